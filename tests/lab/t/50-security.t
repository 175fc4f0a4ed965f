#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The attacks of the security audit, played by the lab's intruder against
# labuser's jobs: pre-created log and scratch paths, the application UI and
# its kill links, forged backstop marks; and sizes the JVM would refuse.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

evil() { lab --user "$LAB_INTRUDER" "$@"; }
logs=$LAB_DIR/logs
bashrc=$LAB_HOME/.bashrc
before=$(sha256sum <"$bashrc")

# 1. The intruder pre-creates the owner's log directory and plants a link
#    to the owner's ~/.bashrc where the helper's log would go.
rm -rf "${logs:?}/$LAB_USER"
job=$(next_job_id)
evil node1 bash -c "mkdir -p $logs/$LAB_USER/$job && chmod 777 $logs/$LAB_USER $logs/$LAB_USER/$job &&
	ln -s $bashrc $logs/$LAB_USER/$job/helper-node1.log"
out=$(lab login srun -N2 --spark-mode=cluster placement.py 2>&1)
isnt "$?" 0 "a log directory pre-created by another user fails the step"
like "$out" "belongs to uid $(id -u "$LAB_INTRUDER"), not to you" "...saying whose it is" || diag "$out"
is "$(sha256sum <"$bashrc")" "$before" "...and nothing is written through the planted link"
rm -rf "${logs:?}/$LAB_USER"
no_leftovers "no JVM, helper or scratch left after the refused step"

# 2. Pre-created scratch names for the next job, on every node: the step
#    still runs in a directory of its own.
job=$(next_job_id)
for n in node1 node2; do
	evil "$n" mkdir -p "$SCRATCH/spank-spark.$job.0.$n" "$SCRATCH/spank-spark.$job.0.$n.x"
done
out=$(lab login srun -N2 --spark-mode=cluster placement.py 2>&1)
is "$?" 0 "squatted scratch names do not stop a step" || diag "$out"
is "$(field executors "$out")" node2 "...which runs as usual"
find "$SCRATCH" -mindepth 1 -maxdepth 1 -user "$LAB_INTRUDER" -exec rm -rf {} +

# 3. The application UI: the owner's URL works, the intruder gets nothing,
#    not even the kill link; the job survives the attempt.
log=$(mktemp)
chmod 0644 "$log"
lab login srun -N2 --spark-mode=cluster sleeper.py >"$log" 2>&1 &
job_pid=$!
deadline=$((SECONDS + 120))
until grep -q '^started' "$log" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
jobid=$(lab login squeue -h -u "$LAB_USER" -o %i | head -n1)
url_file=$(ls "$logs/$LAB_USER/$jobid"/ui-url.* 2>/dev/null | head -n1)
like "$(stat -c %a "$url_file" 2>/dev/null)" '^600$' "the UI's URL with its token is in a 0600 file"
url=$(cat "$url_file" 2>/dev/null)
base=${url%%/\?*}
like "$url" '^http://10\.199\.77\.101:[0-9]+/\?spank-spark-token=[0-9a-f]{64}$' "...on node1's address"
! grep -q 'spank-spark-token' "$log"
ok $? "the token is not in srun's output (a batch output file may be readable by others)"

is "$(evil login curl -s -o /dev/null -w '%{http_code}' "$base/jobs/")" 403 "the intruder gets 403 from the UI"
is "$(evil login curl -s -o /dev/null -w '%{http_code}' "$base/jobs/job/kill/?id=0")" 403 \
	"...and from its kill link"
is "$(evil login curl -s -o /dev/null -w '%{http_code}' -X POST "$base/stages/stage/kill/?id=0&terminate=true")" \
	403 "...and from the stage kill"
is "$(evil login curl -s -o /dev/null -w '%{http_code}' "$base/?spank-spark-token=$(printf '0%.0s' {1..64})")" \
	403 "...and with a guessed token"
jar=$(mktemp -u)
is "$(lab login curl -s -o /dev/null -w '%{http_code}' -c "$jar" "$url")" 302 \
	"the owner's URL sets the cookie"
# The cookie is for the UI's secret path only (57-audit2-misc.t): the
# redirects lead there.
is "$(lab login curl -s -o /dev/null -w '%{http_code}' -L -b "$jar" -c "$jar" "$url")" 200 \
	"...and the UI answers the owner"
lab login rm -f "$jar"
is "$(lab login squeue -h -j "$jobid" -o %T)" RUNNING "the job still runs after the intruder's attempts"

# 4. Forged marks: a process of the intruder's claiming to belong to the
#    owner's running step must survive the backstops that end it.
evil node1 env SPANK_SPARK_JOB="$jobid" SPANK_SPARK_STEP=0 SPANK_SPARK_HOST=node1 \
	sleep 300 &
sleep 0.5
forged=$(pgrep -u "$LAB_INTRUDER" -f 'sleep 300')
lab login scancel "$jobid"
wait $job_pid
no_leftovers "scancel: nothing of the owner's left" 20
sleep 1
kill -0 "$forged" 2>/dev/null
ok $? "the intruder's process with forged marks was not killed by root's backstops"
kill "$forged" 2>/dev/null
rm -f "$log"

# 5. Sizes: a bare number is MiB, as documented; more memory per executor
#    than the step has on a node is refused at once, naming --mem.
out=$(lab login srun -N2 --mem=3G --spark-mode=cluster --spark-driver-memory=2048 options.py spark.driver.memory 2>&1)
is "$?" 0 "--spark-driver-memory=2048 runs" || diag "$out"
is "$(field conf.spark.driver.memory "$out")" 2048m "...as 2048 MiB"
out=$(lab login srun -N2 --mem=1G --spark-mode=cluster --spark-executor-memory=6g placement.py 2>&1)
isnt "$?" 0 "--spark-executor-memory=6g with --mem=1G is refused"
like "$out" "--mem" "...with a line naming --mem" || diag "$out"
no_leftovers "no JVM, helper or scratch left after the size checks"

done_testing
