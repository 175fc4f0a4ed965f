#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --spark-elastic (issue 20, part 2): a Connect step on ONE node with
# --spark-elastic=2 gets a query whose partitions want more executors than
# the node holds: the driver side submits join jobs as the user (squeue
# shows them running on the other nodes), the query's tasks run there too
# and its answer is right; after the idle timeout the join jobs are gone;
# the intruder (and the user with a forged token) cannot join an executor;
# scancel of the step leaves no join job, JVM or scratch.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

logs=$LAB_DIR/logs
py=$SPARK_VENV/bin/python3
helper=$LAB_DIR/lib/spank-spark-helper
"$py" -c 'import grpc, pyarrow, pandas' 2>/dev/null ||
	bail_out "the Connect client's modules are missing from $SPARK_VENV: make deps-check"
evil() { lab --user "$LAB_INTRUDER" "$@"; }

# The join jobs of step job $1 in squeue: "ID STATE NODE" lines.
joins() { lab login squeue -h -n "spark-join-$1" -o '%i %T %N'; }

# 0. The option: listed, validated in srun before a job is queued, within
#    the site's elastic_max_nodes (default 4; 0 forbids it).
like "$(lab login srun --help 2>&1)" "--spark-elastic=maxnodes" "srun --help lists --spark-elastic"
before=$(next_job_id)
out=$(lab login srun -N1 --spark-elastic=0 true 2>&1)
isnt "$?" 0 "--spark-elastic=0 is refused"
like "$out" "invalid --spark-elastic value '0'" "...naming option and value"
out=$(lab login srun -N1 --spark-elastic=5 true 2>&1)
isnt "$?" 0 "--spark-elastic=5 is refused by the default elastic_max_nodes=4"
like "$out" "at most 4" "...saying what the site allows"
add_to_plugstack elastic_max_nodes=0
out=$(lab -e SPANK_SPARK_ELASTIC=1 login srun -N1 true 2>&1)
isnt "$?" 0 "elastic_max_nodes=0 forbids it (SPANK_SPARK_ELASTIC=1)"
like "$out" "not allowed on this cluster" "...saying so"
restore_plugstack
is "$(next_job_id)" "$before" "no job was queued for any of them"

log=$(mktemp)
chmod 0644 "$log"
job=$(next_job_id)
lab login srun -N1 -w node1 --exclusive --spark-mode=client --spark-connect --spark-verbose \
	--spark-elastic=2 \
	--spark-conf=spark.dynamicAllocation.minExecutors=0 \
	--spark-conf=spark.dynamicAllocation.initialExecutors=1 \
	--spark-conf=spark.dynamicAllocation.executorIdleTimeout=10s \
	--spark-conf=spark.dynamicAllocation.shuffleTracking.timeout=10s \
	--spark-conf=spark.dynamicAllocation.schedulerBacklogTimeout=1s \
	--spark-conf=spark.dynamicAllocation.sustainedSchedulerBacklogTimeout=1s \
	sleep infinity >"$log" 2>&1 &
srun_pid=$!
url_file=$logs/$LAB_USER/$job/connect-url.0
join_file=$logs/$LAB_USER/$job/join.0
deadline=$((SECONDS + 180))
until [ -s "$url_file" ] || [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$srun_pid" 2>/dev/null; do
	sleep 0.5
done
ok "$([ -s "$url_file" ] && echo 0 || echo 1)" "the elastic Connect step serves on one node" ||
	diag "$(cat "$log")"
like "$(cat "$log")" "elastic: up to 2 join job\\(s\\) of 1 executor\\(s\\) each" \
	"the driver side may add 2 join jobs of one executor each"
is "$(joins "$job")" "" "no join job while Spark wants no more than the step holds"

# 1. A query of 48 partitions of 4 s: Spark wants more executors than
#    node1 holds; the join jobs come, run on node2 and node3, and the
#    query's tasks run there.
out_file=$LAB_HOME/elastic-out
rm -f "$out_file"
lab login sh -c "timeout 240 '$py' elastic_client.py '$url_file' 48 4 >elastic-out 2>&1" &
client_pid=$!
running=""
deadline=$((SECONDS + 150))
while [ "$SECONDS" -lt "$deadline" ] && kill -0 "$client_pid" 2>/dev/null; do
	j=$(joins "$job")
	if [ "$(grep -c ' RUNNING ' <<<"$j")" = 2 ]; then
		running=$j
		break
	fi
	sleep 1
done
like "$running" "RUNNING node[23]" "squeue shows the join jobs running" || diag "$(cat "$log")"
is "$(awk '{print $3}' <<<"$running" | sort | tr '\n' ' ')" "node2 node3 " "...on the other nodes"
join_ids=$(awk '{print $1}' <<<"$running")
wait "$client_pid"
out=$(cat "$out_file")
rm -f "$out_file"
is "$(field sum "$out")/$(field tasks "$out")" "$((48 * 47 / 2))/48" "the query's answer is right" ||
	diag "$out"
like "$(field hosts "$out")" "node[23]" "...and tasks ran on a join job's node ($(field hosts "$out"))"
like "$(cat "$log")" "submitted join job [0-9]+ \\(spark-join-$job\\)" "the driver side said it submitted them"
like "$(cat "$log")" "join job [0-9]+ joined on node[23]" "...and that they joined"

# 2. Idle: Spark lets the joined executors go, their jobs end.
deadline=$((SECONDS + 120))
while [ -n "$(joins "$job")" ] && [ "$SECONDS" -lt "$deadline" ]; do
	sleep 1
done
is "$(joins "$job")" "" "after the idle timeout no join job is left"
for j in $join_ids; do
	is "$(job_state "$j" 30)" COMPLETED "join job $j completed (exit 0), not failed or cancelled"
done
lost=$(grep -E '[Ll]ost (the |an )?executor|Spark lost|lost join job' "$log")
is "$lost" "" "no executor of a join job is reported lost"
is "$(lab login squeue -h -j "$job" -o %T)" RUNNING "...and the step still serves"

# 3. Nobody else joins.  The intruder cannot read the join file...
ok "$([ -s "$join_file" ] && echo 0 || echo 1)" "the join file is there ($join_file)"
is "$(stat -c '%a %U' "$join_file")" "600 $LAB_USER" "...the user's own, mode 0600"
out=$(evil node2 env SLURM_JOB_ID=1 SPANK_SPARK_ELASTIC=2 "$helper" join "$join_file" 1 2>&1)
isnt "$?" 0 "the intruder's join helper on the user's join file fails" || diag "$out"
like "$out" "join: cannot open .*Permission denied" "...it cannot read it"
# ...nor join with its own file naming the right address and port, a
# token of its own (munge says who it is).
addr_port=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["addr"], j["port"])' "$join_file")
read -r addr port <<<"$addr_port"
site=$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["site"]))' "$join_file")
forge() { # $1 user: a join file of theirs with a token of ours
	local f=$LAB_DIR/tmp/forged-join.$1.json
	printf '{"v":1,"token":"%s","addr":"%s","port":%s,"job":%s,"step":0,"nodes":1,"site":%s}' \
		"$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" "$addr" "$port" "$job" "$site" >"$f"
	chown "$1" "$f"
	chmod 0600 "$f"
	echo "$f"
}
before=$(grep -c 'refused a registration' "$log")
f=$(forge "$LAB_INTRUDER")
out=$(evil node2 env SLURM_JOB_ID=1 SPANK_SPARK_ELASTIC=2 "$helper" join "$f" 1 2>&1)
isnt "$?" 0 "the intruder's join helper with a forged join file fails" || diag "$out"
like "$out" "did not let this join job in" "...in one line saying so"
rm -f "$f"
# ...and the user's own helper with a wrong token is refused by the driver.
f=$(forge "$LAB_USER")
out=$(lab node3 env SLURM_JOB_ID=1 SPANK_SPARK_ELASTIC=2 "$helper" join "$f" 2 2>&1)
isnt "$?" 0 "the user's join helper with a wrong token fails" || diag "$out"
rm -f "$f"
sleep 1
like "$(cat "$log")" "refused a registration from [0-9.]+: a join job's registration without this application's join token" \
	"the driver side refused the wrong token in a line"
ok "$([ "$(grep -c 'refused a registration' "$log")" -gt "$before" ] && echo 0 || echo 1)" \
	"...and said so for each refusal"
is "$(pgrep -u "$LAB_INTRUDER" -f 'org.spankspark.ExecutorLauncher')" "" "no executor JVM of the intruder's"

# 4. A second query brings join jobs again; scancel of the step while they
#    run ends them all.
# (The client waits for the server it lost until its timeout.)
lab login sh -c "timeout 100 '$py' elastic_client.py '$url_file' 48 6 >/dev/null 2>&1" &
client_pid=$!
deadline=$((SECONDS + 150))
until joins "$job" | grep -q RUNNING || [ "$SECONDS" -ge "$deadline" ]; do
	sleep 1
done
join_ids=$(joins "$job" | awk '{print $1}')
ok "$([ -n "$join_ids" ] && echo 0 || echo 1)" "a second query: join jobs again (${join_ids//$'\n'/ })"
lab login scancel "$job"
wait "$srun_pid"
wait "$client_pid"
deadline=$((SECONDS + 60))
while [ -n "$(joins "$job")" ] && [ "$SECONDS" -lt "$deadline" ]; do
	sleep 1
done
is "$(joins "$job")" "" "scancel of the step: no join job left"
assert_nothing_left "$job" 30
for j in $join_ids; do
	assert_nothing_left "$j" 30
done
ok "$([ ! -e "$join_file" ] && echo 0 || echo 1)" "the join file is gone"
# (Slurm's own lines for the scancel are not ours: slurmstepd's, and
# srun's for the task that SIGTERM ended, 128 + 15.)
errors=$(grep -E 'ERROR|error:' "$log" | grep -v 'Spark Connect RPC error during: releaseExecute' |
	grep -vE 'STEP [0-9.]+ ON node1 CANCELLED AT|srun: error: node1: task 0: Exited with exit code 143$')
is "$errors" "" "no error on the console" || diag "$(cat "$log")"
rm -f "$log"

# 5. Before the time limit (part 3): a step of 3 minutes gives its join
#    jobs 2 (sbatch --time=2); with elastic_decommission=90 their helpers
#    decommission their executors (SIGPWR) 90 s before it, the jobs end
#    on their own before the limit, no task fails, the answer is right.
add_to_plugstack elastic_decommission=90
log=$(mktemp)
chmod 0644 "$log"
job=$(next_job_id)
lab login srun -N1 -w node1 --exclusive --time=3 --spark-mode=client --spark-connect --spark-verbose \
	--spark-elastic=2 \
	--spark-conf=spark.dynamicAllocation.minExecutors=0 \
	--spark-conf=spark.dynamicAllocation.initialExecutors=1 \
	--spark-conf=spark.dynamicAllocation.schedulerBacklogTimeout=1s \
	--spark-conf=spark.dynamicAllocation.sustainedSchedulerBacklogTimeout=1s \
	sleep infinity >"$log" 2>&1 &
srun_pid=$!
url_file=$logs/$LAB_USER/$job/connect-url.0
deadline=$((SECONDS + 120))
until [ -s "$url_file" ] || [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$srun_pid" 2>/dev/null; do
	sleep 0.5
done
ok "$([ -s "$url_file" ] && echo 0 || echo 1)" "a 3-minute elastic step serves" || diag "$(cat "$log")"
rm -f "$out_file"
lab login sh -c "timeout 240 '$py' elastic_client.py '$url_file' 64 6 >elastic-out 2>&1" &
client_pid=$!
join_ids=""
deadline=$((SECONDS + 100))
while [ "$SECONDS" -lt "$deadline" ] && kill -0 "$client_pid" 2>/dev/null; do
	join_ids=$(joins "$job" | awk '$2 == "RUNNING" {print $1}')
	[ -n "$join_ids" ] && break
	sleep 1
done
ok "$([ -n "$join_ids" ] && echo 0 || echo 1)" "its query gets join jobs (${join_ids//$'\n'/ })"
sleep 10 # the second one, if it comes
join_ids=$(joins "$job" | awk '$2 == "RUNNING" {print $1}')
for j in $join_ids; do
	like "$(lab login scontrol show job -o "$j")" "TimeLimit=00:02:00" "join job $j: 2 minutes, what the step has left"
done
wait "$client_pid"
out=$(cat "$out_file")
is "$(field sum "$out")/$(field tasks "$out")" "$((64 * 63 / 2))/64" "the query's answer is right" || diag "$out"
for j in $join_ids; do
	is "$(job_state "$j" 120)" COMPLETED "join job $j ended on its own before its limit (not TIMEOUT)"
done
like "$(cat "$log")" "decommissioned" "the driver side saw executors decommissioned"
like "$(cat "$logs/$LAB_USER/$job"/spark-join-*.log 2>/dev/null)" "decommissioning its [0-9]+ executor\\(s\\)" \
	"...which the join job's helper decommissioned before the limit"
# Spark's driver logs a failed or lost task (TaskSetManager's WARN "Lost
# task") in its log, driver.log of the log directory.
driver_log=$logs/$LAB_USER/$job/driver.log
ok "$([ -s "$driver_log" ] && echo 0 || echo 1)" "the driver's log is there ($driver_log)"
failed=$(grep -hE 'Lost task|ExecutorLostFailure|TaskKilled|FAILED' "$log" "$driver_log")
is "$failed" "" "no task failed or was lost (console and driver log)" || diag "$(cat "$log")"
lab login scancel "$job"
wait "$srun_pid"
deadline=$((SECONDS + 60))
while [ -n "$(joins "$job")" ] && [ "$SECONDS" -lt "$deadline" ]; do
	sleep 1
done
is "$(joins "$job")" "" "no join job left"
assert_nothing_left "$job" 30
for j in $join_ids; do
	assert_nothing_left "$j" 30
done
restore_plugstack
rm -f "$log" "$out_file"

done_testing
