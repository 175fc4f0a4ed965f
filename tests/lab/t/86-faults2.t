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
#   - munge unreachable for one node's step, and for the login host's.
# Each case prints "fault: ..." diagnostics: the closing table of
# doc/faults.md comes from them.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

# One table row: fault, exit status, seconds, the step's line.
# Then every line of the step's own (spank-spark:), as the table's source.
report() {
	diag "fault: $1 | exit $2 | ${3}s | $4"
	grep -E '^(spank-spark|srun: error)' <<<"${5:-}" | while read -r l; do diag "    $l"; done
}
# The step's error lines (spank-spark's own, from the helper or, in srun,
# the plugin; Slurm's and the application's are not counted).
errors() { grep -c -E '^(spank-spark: error: |srun: error: spank-spark: )' <<<"$1"; }

# 1. node3's fabric link down for 30 s while 60 one-second tasks run.
if ip -n node3 link show "$LAB_FAB_IF" >/dev/null 2>&1; then
	job=$(next_job_id)
	log=$(mktemp)
	t0=$SECONDS
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
	is "$rc" 0 "...and the step still succeeds"
	out=$(cat "$log")
	is "$(field result "$out")" 1770 "...with the right result" || diag "$out"
	report "1 fabric link down 30 s" "$rc" $((SECONDS - t0)) "(none: Spark carried on)" "$out"
	rm -f "$log"
	assert_nothing_left "$job"
else
	ok 0 "# SKIP no fabric network in this lab"
	ok 0 "# SKIP no fabric network in this lab"
	ok 0 "# SKIP no fabric network in this lab"
	ok 0 "# SKIP no fabric network in this lab"
fi

# 3. The driver's OutOfMemoryError: 8 million rows of 100 bytes decoded in
#    a 512 MiB driver heap.
job=$(next_job_id)
t0=$SECONDS
out=$(lab login srun -N2 --spark-mode=cluster --spark-driver-memory=512m \
	driveroom.py 8000000 2>&1)
rc=$?
secs=$((SECONDS - t0))
isnt "$rc" 0 "a driver out of heap fails the step"
line=$(grep "ran out of Java heap" <<<"$out")
is "$(grep -c "ran out of Java heap" <<<"$out")" 1 "...with one line about it" || diag "$out"
like "$line" "the driver on node1 ran out of Java heap \\(--spark-driver-memory=512m\\): raise --spark-driver-memory" \
	"...naming the driver, node1, its memory and the option"
is "$(errors "$out")" 1 "...and no other error line of the step's" || diag "$out"
report "3 driver OutOfMemoryError" "$rc" "$secs" "$line" "$out"
[ -n "$line" ] || diag "$(tail -n 20 <<<"$out")"
assert_nothing_left "$job"

# 4. Executor JVMs that cannot start: an initial heap (-Xms4g) above the
#    one the step gives them.  Not an unknown option: Spark's launcher
#    options (jvm/spank-spark.jar.args, as spark-submit's) hold
#    -XX:+IgnoreUnrecognizedVMOptions, with which HotSpot ignores every
#    option it does not know (-XX:+NoSuchFlag, --no-such-option: the step
#    succeeds, as under spark-submit).
job=$(next_job_id)
t0=$SECONDS
out=$(timeout 110 "$LAB_SRC/tests/lab/lab-exec" login srun -N2 --spark-mode=cluster \
	--spark-conf=spark.executor.extraJavaOptions=-Xms4g first.py 2>&1)
rc=$?
secs=$((SECONDS - t0))
isnt "$rc" 0 "executors that cannot start fail the step"
isnt "$rc" 124 "...before the start-up time-out (120 s)"
line=$(grep "could not start" <<<"$out")
is "$(grep -c "could not start" <<<"$out")" 1 "...with one line about it" || diag "$out"
like "$line" "executor [0-9]+ on node2 could not start \\([0-9]+ tries\\): the JVM said \"Error occurred during initialization of VM: Initial heap size set to a larger value than the maximum heap size\"" \
	"...quoting the JVM's own first error line, naming node2"
is "$(errors "$out")" 1 "...and no other error line of the step's" || diag "$out"
report "4 executor JVM cannot start" "$rc" "$secs" "$line" "$out"
assert_nothing_left "$job"

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
t0=$SECONDS
out=$(timeout 110 "$LAB_SRC/tests/lab/lab-exec" login srun -N3 --kill-on-bad-exit=1 \
	--spark-mode=cluster first.py 2>&1)
rc=$?
secs=$((SECONDS - t0))
in_node node2 umount "$site"
isnt "$rc" 0 "a step with munge unreachable on node2 fails"
isnt "$rc" 124 "...before the start-up time-out (120 s)"
line=$(grep "munge" <<<"$out")
is "$(grep -c "munge" <<<"$out")" 1 "...with one line about munge" || diag "$out"
like "$line" "munge does not answer on node2 .*munged on node2" "...naming node2"
is "$(errors "$out")" 1 "...and no other error line of the step's" || diag "$out"
report "5 munge unreachable on node2 (srun -K)" "$rc" "$secs" "$line" "$out"
assert_nothing_left "$job"

# The login host's steps (client mode: the driver on login): srun runs in
# a mount namespace of its own with the same empty tmpfs.
job=$(next_job_id)
t0=$SECONDS
# shellcheck disable=SC2016 # expanded by sh, not here
out=$(timeout 110 unshare -m --propagation private sh -c \
	'mount -t tmpfs -o size=1m,mode=0755 lab-no-munge "$0" && exec "$@"' "$site" \
	"$LAB_SRC/tests/lab/lab-exec" login srun -N2 --spark-mode=client first.py 2>&1)
rc=$?
secs=$((SECONDS - t0))
isnt "$rc" 0 "a client-mode step with munge unreachable on login fails"
isnt "$rc" 124 "...before the start-up time-out (120 s)"
line=$(grep "munge" <<<"$out")
is "$(grep -c "munge" <<<"$out")" 1 "...with one line about munge" || diag "$out"
like "$line" "munge does not answer on login .*munged on login" "...naming login"
is "$(errors "$out")" 1 "...and no other error line of the step's" || diag "$out"
report "5 munge unreachable on login (client mode)" "$rc" "$secs" "$line" "$out"
assert_nothing_left "$job"
restore_plugstack
rm -rf "$site"

done_testing
