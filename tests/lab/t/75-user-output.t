#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What a user sees (issue 18): no JVM warning that is not theirs to act on,
# a quiet scancel of a running step, and spank-spark-urls, which prints the
# caller's running steps' UI and Connect URLs from their 0600 files and
# nobody else's.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

logs=$LAB_DIR/logs
urls=$LAB_SRC/user/spank-spark-urls
[ -x "$urls" ] || bail_out "no $urls: make"
evil() { lab --user "$LAB_INTRUDER" "$@"; }

# 1. Spark 4 starts every JVM with --add-modules=jdk.incubator.vector,
#    which prints "WARNING: Using incubator modules" first thing.
for mode in cluster client; do
	out=$(lab login srun -N2 --spark-mode=$mode placement.py 2>&1)
	is "$?" 0 "$mode mode: a step runs" || diag "$out"
	like "$out" "driver=" "...and prints its result" || diag "$out"
	! grep -q 'incubator' <<<"$out"
	ok $? "...without the JVM's incubator-module warning" || diag "$out"
done
job=$(($(next_job_id) - 1))
! grep -qs 'incubator' "$logs/$LAB_USER/$job"/executors-*.log
ok $? "...nor in the executors' logs"

# 2. scancel of a running step (client mode: the executors end first,
#    while the driver still runs), a batch job's step and a Connect
#    server: the ending the user asked for prints no ERROR.
cancel_quietly() { # NAME URL-FILE-OR-EMPTY SRUN-ARGS...
	local name=$1 wait_for=$2 log job pid deadline
	shift 2
	log=$(mktemp)
	chmod 0644 "$log"
	job=$(next_job_id)
	lab login srun "$@" >"$log" 2>&1 &
	pid=$!
	deadline=$((SECONDS + 180))
	until { if [ -n "$wait_for" ]; then [ -s "$logs/$LAB_USER/$job/$wait_for" ]; else grep -q '^started' "$log"; fi; } ||
		[ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; do
		sleep 0.5
	done
	is "$(lab login squeue -h -j "$job" -o %T)" RUNNING "$name: running" || diag "$(cat "$log")"
	CANCELLED_JOB=$job
	[ -z "$wait_for" ] || {
		out=$(lab login "$urls" 2>&1)
		is "$?" 0 "spank-spark-urls: exit status 0" || diag "$out"
		url=$(cat "$logs/$LAB_USER/$job/connect-url.0" 2>/dev/null)
		grep -Eq "^$job\\.0 ui +http://[^ ]+spank-spark-token=[^ ]+\$" <<<"$out"
		ok $? "...prints the step's UI URL with its token" || diag "$out"
		[[ $out == *"$job.0 connect $url"* ]] && [ -n "$url" ]
		ok $? "...and its Spark Connect URL, as in connect-url.0" || diag "$out"
		out=$(lab login "$urls" "$job" 2>&1)
		is "$(cut -d' ' -f1,2 <<<"$out")" "$job.0 ui
$job.0 connect" "spank-spark-urls $job: the same two lines"
		out=$(evil login "$urls" -d "$logs/$LAB_USER/%j" "$job.0" 2>&1)
		isnt "$?" 0 "the intruder's spank-spark-urls -d <the owner's directory> $job.0 fails" || diag "$out"
		! grep -q 'token=' <<<"$out"
		ok $? "...showing no token" || diag "$out"
		out=$(evil login "$urls" 2>&1)
		! grep -q 'token=' <<<"$out"
		ok $? "the intruder's spank-spark-urls shows none of the owner's steps" || diag "$out"
	}
	lab login scancel "$job"
	wait "$pid"
	! grep -E '(^| )ERROR ' "$log"
	ok $? "$name: scancel prints no ERROR line" || diag "$(cat "$log")"
	! grep -E 'TaskSetManager|TaskSchedulerImpl' "$log"
	ok $? "...nor Spark's lines about the executors it ended" || diag "$(cat "$log")"
	! grep 'lost the executor on' "$log"
	ok $? "...nor that the driver side lost an executor node" || diag "$(cat "$log")"
	no_leftovers "...and leaves nothing" 30
	rm -f "$log"
}
cancel_quietly "client mode" "" -N2 --spark-mode=client sleeper.py
cancel_quietly "cluster mode" "" -N2 --spark-mode=cluster sleeper.py
cancel_quietly "a Connect server" connect-url.0 -N2 --spark-mode=client --spark-connect sleep infinity

# 3. A finished step, asked for by name; nothing of another user's.
job=$CANCELLED_JOB
out=$(lab login "$urls" "$job.0" 2>&1)
like "$out" "^$job\\.0 ui " "spank-spark-urls JOB.STEP: a finished step's URLs too" || diag "$out"
out=$(lab login "$urls" "$job" 2>&1)
isnt "$?" 0 "spank-spark-urls JOB of a finished job fails" || diag "$out"
like "$out" "give JOBID.STEP" "...saying what to do"
# The intruder's directory, with a link to the owner's file: refused as a
# whole (not the owner's), the link never followed.
evil_dir=$(evil login mktemp -d /tmp/evil-urls.XXXXXX)
evil login chmod 0755 "$evil_dir"
evil login ln -s "$logs/$LAB_USER/$job/ui-url.0" "$evil_dir/ui-url.0"
out=$(lab login "$urls" -d "$evil_dir" "$job.0" 2>&1)
isnt "$?" 0 "spank-spark-urls -d <another user's directory> fails" || diag "$out"
like "$out" "spank-spark-urls: step $job\\.0: .*$evil_dir" "...naming it" || diag "$out"
! grep -q 'token=' <<<"$out"
ok $? "...and shows nothing from it"
rm -rf "$evil_dir"
out=$(lab login "$urls" bogus 2>&1)
is "$?" 2 "spank-spark-urls bogus: usage, status 2"

done_testing
