#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults a step can meet (issue 17): each ends with the right exit status,
# one line on srun's stderr naming the cause and the host, and nothing of
# the job left on any host (assert_nothing_left: processes, scratch, FIFOs,
# ports).
#   - the driver JVM killed (SIGKILL) in cluster mode;
#   - the node's scratch directory full (a small tmpfs as scratch_dir);
#   - slurmctld restarted while a step runs: the step finishes, right;
#   - one node's helper stopped (SIGSTOP) for 20 s during start-up: the step
#     waits, then starts once, without duplicate executors;
#   - one node's helper killed (SIGKILL) during start-up;
#   - a node that never registers (its fabric link down from the start).
# Each case ends with one "# fault N: exit S, T s, line: ..., left: ..."
# diagnostic (fault_row): doc/faults.md's table comes from them.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

# Start "srun ARGS" from login in the background, output to $log; wait
# (bounded) until the application printed "started".
start_step() {
	log=$(mktemp)
	clock_start
	lab login srun "$@" >"$log" 2>&1 &
	step_pid=$!
	local deadline=$((SECONDS + 120))
	until grep -q '^started' "$log" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
}

# 2. The driver JVM killed in cluster mode: the step ends on its own within
#    stop_timeout (long before its 3-minute time limit, and not by it),
#    non-zero, naming the driver, node1 and signal 9.
job=$(next_job_id)
start_step -N3 -t 3 --spark-mode=cluster sleeper.py
pkill -KILL -u "$LAB_USER" -f 'org\.apache\.spark\.deploy\.SparkSubmit'
ok $? "the driver JVM was SIGKILLed"
killed=$(clock_secs)
wait "$step_pid"
rc=$?
secs=$(clock_secs)
isnt "$rc" 0 "...the step fails"
out=$(cat "$log")
is "$(job_state "$job")" FAILED "...ended by the driver's death, not by its time limit" || diag "$out"
! grep -q "TIME LIMIT" <<<"$out"
ok $? "...and Slurm never cancelled it"
like "$(step_errors "$out")" "^spank-spark: error: the driver on node1 was killed by signal 9 \\(Killed\\)$" \
	"...with one line: the driver on node1 killed by signal 9" || diag "$out"
rm -f "$log"
assert_nothing_left "$job"
after=$(awk -v a="$killed" -v b="$secs" 'BEGIN { printf "%.1f", b - a }')
fault_row "2 (driver SIGKILL, cluster mode; ended $after s after the kill)" "$rc" "$secs" "$(error_line "$out")"

# 9. A full scratch directory: 4 MiB of tmpfs as the site's scratch_dir,
#    mounted where the steps see it: in each node's slurmd mount namespace
#    (ip netns exec made one per node; mounts of the root's do not reach it).
small=$LAB_DIR/small-scratch
install -d -m 1777 "$small"
in_node() { nsenter -t "$(cat "$LAB_DIR/run/slurmd.$1.pid")" -m -- "${@:2}"; }
for n in node1 node2; do
	in_node "$n" mount -t tmpfs -o size=4m,mode=1777 lab-small-scratch "$small"
done
ok $? "a 4 MiB tmpfs as scratch on node1 and node2"
add_to_plugstack "scratch_dir=$small"
job=$(next_job_id)
clock_start
out=$(lab login srun -N2 -w node1,node2 --spark-mode=cluster \
	--spark-conf=spark.task.maxFailures=1 bigshuffle.py 64 2>&1)
rc=$?
secs=$(clock_secs)
isnt "$rc" 0 "a shuffle bigger than the scratch directory fails"
is "$(step_errors "$out" | grep -c .)" 1 "...with one error line" || diag "$out"
like "$(step_errors "$out")" "the scratch directory $small on node2 is full" \
	"...naming the directory and the node"
restore_plugstack
assert_nothing_left "$job"
# Its scratch directories were in $small, which only the nodes see.
is "$(for n in node1 node2; do in_node "$n" find "$small" -mindepth 1 -maxdepth 1; done)" "" \
	"...and nothing in the small scratch directories"
fault_row "9 (node2's scratch full, a 4 MiB tmpfs)" "$rc" "$secs" "$(error_line "$out")"
for n in node1 node2; do in_node "$n" umount "$small"; done
rmdir "$small"

# 8. slurmctld restarted while a step runs: it finishes, right, silent.
pidfile=$LAB_DIR/run/lab-slurmctld.pid
job=$(next_job_id)
start_step -N3 --spark-mode=cluster slowjob.py
ctld=$(cat "$pidfile")
exe=$(readlink "/proc/$ctld/exe")
kill -TERM "$ctld"
for _ in $(seq 100); do lab_alive "$ctld" || break; sleep 0.1; done
! lab_alive "$ctld"
ok $? "slurmctld stopped while the step runs"
# As lab-up starts it: its namespace, hostname ctl, in the foreground.
# shellcheck disable=SC2016 # expanded by sh, not here
setsid ip netns exec ctl unshare --uts sh -c 'hostname ctl && exec "$0" -D' "$exe" \
	</dev/null >>"$LAB_DIR/log/slurmctld.out" 2>&1 9>&- &
echo $! >"$pidfile"
wait "$step_pid"
rc=$?
secs=$(clock_secs)
is "$rc" 0 "...and the step still finishes"
out=$(cat "$log")
is "$(field result "$out")" 1770 "...with the right result" || diag "$out"
is "$(error_line "$out")" "" "...and no error line"
ok_cmd "slurmctld answers again" lab login scontrol ping
rm -f "$log"
assert_nothing_left "$job"
fault_row "8 (slurmctld restarted mid-step)" "$rc" "$secs" "$(error_line "$out")"

# 7. node3's helper stopped for 20 s during start-up.
job=$(next_job_id)
log=$(mktemp)
clock_start
lab login srun -N3 --spark-mode=cluster --spark-verbose placement.py >"$log" 2>&1 &
step_pid=$!
deadline=$((SECONDS + 60))
until helper=$(pgrep -u "$LAB_USER" -f 'spank-spark-helper executor .*--node-index=2') ||
	[ "$SECONDS" -ge "$deadline" ]; do sleep 0.05; done
kill -STOP "$helper"
ok $? "node3's helper stopped during start-up"
sleep 20
kill -CONT "$helper"
wait "$step_pid"
rc=$?
secs=$(clock_secs)
is "$rc" 0 "...and the step still succeeds"
out=$(cat "$log")
is "$(field executors "$out")" node2,node3 "...with executors on node2 and node3" || diag "$out"
is "$(grep -c 'executor JVM(s) started on node3' <<<"$out")" 1 "...node3's executors started once"
like "$out" "2/2 executors registered" "...two executors registered"
! grep -q '3/2 executors registered' <<<"$out"
ok $? "...and never a third"
is "$(error_line "$out")" "" "...and no error line"
rm -f "$log"
assert_nothing_left "$job"
fault_row "7 (node3's helper stopped 20 s in start-up)" "$rc" "$secs" "$(error_line "$out")"

# 1, during start-up: node3's helper killed (SIGKILL) once it has joined
#    and started its executor JVM, before Spark has it: the driver side
#    waits LOSS_REPORT_DELAY_MS (Slurm may be ending the whole step), then
#    says so in one line and ends the step.
job=$(next_job_id)
log=$(mktemp)
clock_start
lab login srun -N3 --spark-mode=cluster --spark-verbose placement.py >"$log" 2>&1 &
step_pid=$!
deadline=$((SECONDS + 60))
until grep -q 'executor JVM(s) started on node3' "$log" || [ "$SECONDS" -ge "$deadline" ]; do
	sleep 0.05
done
pkill -KILL -u "$LAB_USER" -f 'spank-spark-helper executor .*--node-index=2'
ok $? "node3's helper killed in start-up, its executor JVM started"
wait "$step_pid"
rc=$?
secs=$(clock_secs)
isnt "$rc" 0 "...the step fails"
out=$(cat "$log")
is "$(error_line "$out")" "spank-spark: error: the executor on node3 left during start-up: stopping the step" \
	"...with one error line naming node3" || diag "$out"
rm -f "$log"
assert_nothing_left "$job"
fault_row "1 (node3's helper killed in start-up)" "$rc" "$secs" "$(error_line "$out")"

# 6. A node that never registers: node3's fabric link down from the start
#    (the site-shaped lab's fab0); start-up times out naming node3.
if ip -n node3 link show "$LAB_FAB_IF" >/dev/null 2>&1; then
	add_to_plugstack "startup_timeout=20"
	ip -n node3 link set "$LAB_FAB_IF" down
	job=$(next_job_id)
	clock_start
	out=$(lab login srun -N3 --spark-mode=cluster first.py 2>&1)
	rc=$?
	secs=$(clock_secs)
	ip -n node3 link set "$LAB_FAB_IF" up
	isnt "$rc" 0 "a step with node3 cut off from the fabric fails"
	is "$(step_errors "$out" | grep -c .)" 1 "...with one error line" || diag "$out"
	like "$(step_errors "$out")" "start-up timed out after 20s: .*still missing: node3\\)" \
		"...the time-out, naming node3 alone"
	restore_plugstack
	assert_nothing_left "$job"
	fault_row "6 (node3's fabric down from the start, startup_timeout=20)" "$rc" "$secs" "$(error_line "$out")"
else
	for _ in 1 2 3 4; do ok 0 "# SKIP no fabric network in this lab"; done
fi

done_testing
