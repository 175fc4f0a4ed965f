#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# More faults a step can meet (issue 17, after 85-faults.t): each ends with
# the right exit status, one line on srun's stderr naming the cause and the
# host, and nothing of the job left on any host (assert_nothing_left).
#   - an executor node's fabric link down for 30 s mid-job: Spark carries
#     on, the result is right;
#   - the driver's own OutOfMemoryError (a collect of too much with a small
#     --spark-driver-memory): the line names the driver's memory;
#   - an executor JVM that cannot start (a bad extraJavaOptions): after its
#     relaunches, the JVM's own first error line, long before any time-out;
#   - munge unreachable for one node's step, and for the login host's;
#   - munged stopped on one node for slurmd too: Slurm refuses the step.
# Each case ends with one "# fault N: exit S, T s, line: ..., left: ..."
# diagnostic (fault_row): doc/faults.md's table comes from them.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

# How many error lines of the step's (step_errors) output $1 holds.
errors() { step_errors "$1" | grep -c .; }

# 1. node3's fabric link down for 30 s while 60 one-second tasks run.
if ip -n node3 link show "$LAB_FAB_IF" >/dev/null 2>&1; then
	job=$(next_job_id)
	log=$(mktemp)
	clock_start
	lab login srun -N3 --spark-mode=cluster slowjob.py >"$log" 2>&1 &
	step_pid=$!
	deadline=$((SECONDS + 120))
	until grep -q '^started' "$log" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
	sleep 3 # the tasks are spread over the executors
	ip -n node3 link set "$LAB_FAB_IF" down
	ok $? "node3's fabric link taken down mid-job"
	sleep 30
	ip -n node3 link set "$LAB_FAB_IF" up
	wait "$step_pid"
	rc=$?
	secs=$(clock_secs)
	is "$rc" 0 "...and the step still succeeds"
	out=$(cat "$log")
	is "$(field result "$out")" 1770 "...with the right result" || diag "$out"
	is "$(errors "$out")" 0 "...and no error line" || diag "$out"
	rm -f "$log"
	assert_nothing_left "$job"
	fault_row "1 (node3's fabric link down 30 s mid-job)" "$rc" "$secs" "$(error_line "$out")"
else
	for _ in 1 2 3 4 5; do ok 0 "# SKIP no fabric network in this lab"; done
fi

# 3. The driver's OutOfMemoryError: 8 million rows of 100 bytes decoded in
#    a 512 MiB driver heap.
job=$(next_job_id)
clock_start
out=$(lab login srun -N2 --spark-mode=cluster --spark-driver-memory=512m \
	driveroom.py 8000000 2>&1)
rc=$?
secs=$(clock_secs)
isnt "$rc" 0 "a driver out of heap fails the step"
line=$(grep "ran out of Java heap" <<<"$out")
is "$(grep -c "ran out of Java heap" <<<"$out")" 1 "...with one line about it" || diag "$out"
like "$line" "the driver on node1 ran out of Java heap \\(--spark-driver-memory=512m\\): raise --spark-driver-memory" \
	"...naming the driver, node1, its memory and the option"
is "$(errors "$out")" 1 "...and no other error line of the step's" || diag "$out"
[ -n "$line" ] || diag "$(tail -n 20 <<<"$out")"
assert_nothing_left "$job"
fault_row "3 (the driver's OutOfMemoryError, 512m)" "$rc" "$secs" "$(error_line "$out")"

# 4. Executor JVMs that cannot start: an initial heap (-Xms4g) above the
#    one the step gives them.  Not an unknown option: Spark's launcher
#    options (jvm/spank-spark.jar.args, as spark-submit's) hold
#    -XX:+IgnoreUnrecognizedVMOptions, with which HotSpot ignores every
#    option it does not know (-XX:+NoSuchFlag, --no-such-option: the step
#    succeeds, as under spark-submit).
#    srun's stderr holds this one line of the step's: the relaunches are
#    said in the node's helper log (and with --spark-verbose).
job=$(next_job_id)
errf=$(mktemp)
clock_start
out=$(timeout 110 "$LAB_SRC/tests/lab/lab-exec" login srun -N2 --spark-mode=cluster \
	--spark-conf=spark.executor.extraJavaOptions=-Xms4g first.py 2>"$errf")
rc=$?
secs=$(clock_secs)
err=$(cat "$errf")
rm -f "$errf"
isnt "$rc" 0 "executors that cannot start fail the step"
isnt "$rc" 124 "...before the start-up time-out (120 s)"
is "$(step_lines "$err" | grep -c .)" 1 "...with one line of the step's on srun's stderr" ||
	diag "$err"
like "$(step_lines "$err")" "^spank-spark: error: executor [0-9]+ on node2 could not start \\([0-9]+ tries\\): the JVM said \"Error occurred during initialization of VM: Initial heap size set to a larger value than the maximum heap size\"$" \
	"...quoting the JVM's own first error line, naming node2"
relaunches=$(grep -c ': starting it again as executor' "$LAB_DIR/logs/$LAB_USER/$job/helper-node2.log")
[ "${relaunches:-0}" -ge 1 ]
ok $? "...its relaunches said in node2's helper log (${relaunches:-0})"
assert_nothing_left "$job"
fault_row "4 (executor JVMs cannot start: extraJavaOptions=-Xms4g)" "$rc" "$secs" "$(error_line "$err")"
[ -z "$out" ] || diag "its standard output:" "$out"

# 5. munge unreachable for one host's step.  The lab has ONE munged for
#    every host, and slurmd itself needs it (auth/munge, cred/munge): with
#    munged really stopped on a node, Slurm refuses the step before any
#    plugin runs.  What the plugin must handle is a host whose steps cannot
#    reach munge while Slurm's own daemons still can (auth/slurm sites, a
#    munged restarting): here plugstack.conf's munge_socket goes through a
#    directory of its own, and an empty tmpfs over that directory, in the
#    host's mount namespace only, hides munge from that host's steps.
site=$LAB_DIR/munge-site
install -d -m 0755 "$site"
ln -sfn "$LAB_DIR/munge/munge.socket.2" "$site/munge.socket.2"
_keep_plugstack
sed "1s|munge_socket=[^ ]*|munge_socket=$site/munge.socket.2|" "$PLUGSTACK.good" >"$PLUGSTACK"
ok_cmd "the steps still reach munge through $site" lab login srun -N3 --spark-mode=cluster first.py
in_node() { nsenter -t "$(cat "$LAB_DIR/run/slurmd.$1.pid")" -m -- "${@:2}"; }
in_node node2 mount -t tmpfs -o size=1m,mode=0755 lab-no-munge "$site"
ok $? "munge hidden from node2's steps"
job=$(next_job_id)
clock_start
out=$(timeout 110 "$LAB_SRC/tests/lab/lab-exec" login srun -N3 --kill-on-bad-exit=1 \
	--spark-mode=cluster first.py 2>&1)
rc=$?
secs=$(clock_secs)
in_node node2 umount "$site"
isnt "$rc" 0 "a step with munge unreachable on node2 fails"
isnt "$rc" 124 "...before the start-up time-out (120 s)"
line=$(grep "munge" <<<"$out")
is "$(grep -c "munge" <<<"$out")" 1 "...with one line about munge" || diag "$out"
like "$line" "munge does not answer on node2 .*munged on node2" "...naming node2"
is "$(errors "$out")" 1 "...and no other error line of the step's" || diag "$out"
assert_nothing_left "$job"
fault_row "5 (munge unreachable from node2's steps, srun -K)" "$rc" "$secs" "$(error_line "$out")"

# The login host's steps (client mode: the driver on login): srun runs in
# a mount namespace of its own with the same empty tmpfs.
job=$(next_job_id)
clock_start
# shellcheck disable=SC2016 # expanded by sh, not here
out=$(timeout 110 unshare -m --propagation private sh -c \
	'mount -t tmpfs -o size=1m,mode=0755 lab-no-munge "$0" && exec "$@"' "$site" \
	"$LAB_SRC/tests/lab/lab-exec" login srun -N2 --spark-mode=client first.py 2>&1)
rc=$?
secs=$(clock_secs)
isnt "$rc" 0 "a client-mode step with munge unreachable on login fails"
isnt "$rc" 124 "...before the start-up time-out (120 s)"
line=$(grep "munge" <<<"$out")
is "$(grep -c "munge" <<<"$out")" 1 "...with one line about munge" || diag "$out"
like "$line" "munge does not answer on login .*munged on login" "...naming login"
is "$(errors "$out")" 1 "...and no other error line of the step's" || diag "$out"
assert_nothing_left "$job"
fault_row "5 (munge unreachable from login's steps, client mode)" "$rc" "$secs" "$(error_line "$out")"
restore_plugstack
rm -rf "$site"

# 5, as a site has it: munged stopped on node2 for everything there, slurmd
# included.  An empty tmpfs over the lab's munge directory in node2's
# slurmd mount namespace hides the one munged from slurmd and all it
# starts as a stopped munged does (munged removes its socket on the way
# out: libmunge then says the same "Failed to access ...: No such file or
# directory (Did you start munged?)").  slurmd cannot check the step's
# launch: Slurm refuses it on node2 in its own words, before any plugin
# runs there.  Then munge is back and node2 takes steps again.
job=$(next_job_id)
in_node node2 mount -t tmpfs -o size=1m,mode=0755 lab-no-munge "$LAB_DIR/munge"
ok $? "munged hidden from node2: slurmd and its steps"
clock_start
out=$(timeout 110 "$LAB_SRC/tests/lab/lab-exec" login srun -N3 --spark-mode=cluster first.py 2>&1)
rc=$?
secs=$(clock_secs)
in_node node2 umount "$LAB_DIR/munge"
isnt "$rc" 0 "a step with munged stopped on node2 fails"
isnt "$rc" 124 "...before the start-up time-out (120 s)"
slurm_line=$(grep -E '^srun: error: .*node2' <<<"$out" | head -n1)
like "$slurm_line" "node2" "...with Slurm's own line naming node2" || diag "$out"
is "$(errors "$out")" 0 "...and no error line of the step's (no helper ran on node2)" || diag "$out"
assert_nothing_left "$job"
fault_row "5 (munged stopped on node2 for slurmd too)" "$rc" "$secs" "${slurm_line:-}"
diag "its whole output:" "$out"
ok_cmd "all three nodes take a step again once munged is back" \
	timeout 330 "$LAB_SRC/tests/lab/lab-exec" login srun -N3 true

done_testing
