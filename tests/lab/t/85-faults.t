#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults a step can meet (issue 17): each ends with the right exit status,
# one line on srun's stderr naming the cause and the host, and nothing left
# on any host (no_leftovers: JVMs, helpers, Python workers, scratch).
#   - the driver JVM killed (SIGKILL) in cluster mode;
#   - the node's scratch directory full (a small tmpfs as scratch_dir);
#   - slurmctld restarted while a step runs: the step finishes, right;
#   - one node's helper stopped (SIGSTOP) for 20 s during start-up: the step
#     waits, then starts once, without duplicate executors.
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
	lab login srun "$@" >"$log" 2>&1 &
	step_pid=$!
	local deadline=$((SECONDS + 120))
	until grep -q '^started' "$log" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
}

# 1. The driver JVM killed in cluster mode: the step ends on its own (no
#    time limit, no scancel), non-zero, naming the driver, node1, signal 9.
start_step -N3 --spark-mode=cluster sleeper.py
pkill -KILL -u "$LAB_USER" -f 'org\.apache\.spark\.deploy\.SparkSubmit'
ok $? "the driver JVM was SIGKILLed"
timeout 60 tail --pid="$step_pid" -f /dev/null
ok $? "...and the step ended on its own"
wait "$step_pid"
isnt "$?" 0 "...with a non-zero status"
out=$(cat "$log")
like "$out" "the driver on node1 was killed by signal 9" "...saying so in a line" || diag "$out"
rm -f "$log"
no_leftovers "nothing left after the driver's death"

# 2. A full scratch directory: 4 MiB of tmpfs as the site's scratch_dir,
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
out=$(lab login srun -N2 -w node1,node2 --spark-mode=cluster \
	--spark-conf=spark.task.maxFailures=1 bigshuffle.py 64 2>&1)
isnt "$?" 0 "a shuffle bigger than the scratch directory fails"
line=$(grep "scratch directory" <<<"$out")
is "$(grep -c "scratch directory" <<<"$out")" 1 "...with one line about it" || diag "$out"
like "$line" "the scratch directory $small on node2 is full" "...naming the directory and the node"
restore_plugstack
no_leftovers "nothing left after the full scratch"
for n in node1 node2; do in_node "$n" umount "$small"; done
rmdir "$small"

# 3. slurmctld restarted while a step runs.
pidfile=$LAB_DIR/run/lab-slurmctld.pid
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
timeout 150 tail --pid="$step_pid" -f /dev/null
wait "$step_pid"
is "$?" 0 "...and the step still finishes"
out=$(cat "$log")
is "$(field result "$out")" 1770 "...with the right result" || diag "$out"
ok_cmd "slurmctld answers again" lab login scontrol ping
rm -f "$log"
no_leftovers "nothing left after the slurmctld restart"

# 4. node3's helper stopped for 20 s during start-up.
log=$(mktemp)
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
is "$?" 0 "...and the step still succeeds"
out=$(cat "$log")
is "$(field executors "$out")" node2,node3 "...with executors on node2 and node3" || diag "$out"
is "$(grep -c 'executor JVM(s) started on node3' <<<"$out")" 1 "...node3's executors started once"
like "$out" "2/2 executors registered" "...two executors registered"
! grep -q '3/2 executors registered' <<<"$out"
ok $? "...and never a third"
rm -f "$log"
no_leftovers "nothing left after the stopped helper"

# 5. A node that never registers: node3's fabric link down from the start
#    (the site-shaped lab's fab0); start-up times out naming node3.
if ip -n node3 link show fab0 >/dev/null 2>&1; then
	add_to_plugstack "startup_timeout=20"
	ip -n node3 link set fab0 down
	out=$(lab login srun -N3 --spark-mode=cluster first.py 2>&1)
	isnt "$?" 0 "a step with node3 cut off from the fabric fails"
	ip -n node3 link set fab0 up
	line=$(grep "start-up timed out" <<<"$out" | head -n1)
	like "$line" "still missing: node3\\)" "...and the time-out names node3 alone" || diag "$out"
	restore_plugstack
	no_leftovers "nothing left after the time-out"
else
	ok 0 "# SKIP no fabric network in this lab"
fi

done_testing
