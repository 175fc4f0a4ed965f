#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The JVM component on its own (make jvm-test), TAP output, 127.0.0.1 only:
# spark-submit --master spark-slurm://test with the event pipe and the UI
# filter, plus two ExecutorLauncher JVMs started at the same moment and fed
# the driver URL once the `driver` event arrives; then the launcher's exits.
# SPARK_HOME and JAR choose the Spark and the jar built for it; KEEP=1
# keeps the logs.
# shellcheck disable=SC2317 # functions called through check, wait_for, trap
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

SPARK_HOME=${SPARK_HOME:-$(/opt/spank-spark/venv/bin/python3 -c \
	'import pyspark, os; print(os.path.dirname(pyspark.__file__))' 2>/dev/null || echo /opt/spark)}
JAR=$(realpath "${JAR:-jvm/spank-spark.jar}")
# The venv python of a pip-installed Spark, for the driver and the workers.
PY=${PYSPARK_PYTHON:-$(realpath "$SPARK_HOME/../../../../bin/python3" 2>/dev/null || echo python3)}
export SPARK_HOME
export SPARK_LOCAL_IP=127.0.0.1 # every listener (UI too) on loopback only
JAVA_HEAP=-Xmx512m # Spark refuses executors under 450 MiB

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	shift
	local l
	for l in "$@"; do echo "#   $l"; done
}
check() { # description, then a command that must succeed
	local d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d" "failed: $*"; fi
}

if [ ! -f "$JAR" ] || [ ! -f "$JAR.args" ]; then
	echo "1..0 # SKIP no $JAR or $JAR.args (make jar)"
	exit 1
fi
[ -x "$SPARK_HOME/bin/spark-submit" ] || { echo "1..0 # SKIP no spark-submit in $SPARK_HOME"; exit 1; }
echo "1..27"
echo "# Spark $(basename "$(ls "$SPARK_HOME"/jars/spark-core_*.jar)" .jar) in $SPARK_HOME"

W=$(mktemp -d /tmp/spank-spark-jvmtest.XXXXXX)
pids=() # process groups (setsid), ended by id on exit
cleanup() {
	local p
	for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
	sleep 0.5
	for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null; done
	[ -z "${reader:-}" ] || kill "$reader" 2>/dev/null # blocked in open() if no driver
	if [ -n "${KEEP:-}" ]; then echo "# kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

secret=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
token=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
appid=spank-test-$$-$RANDOM
base=$((40000 + RANDOM % 20000))
umask 077
cat >"$W/spark.conf" <<CONF
spark.authenticate=true
spark.authenticate.secret=$secret
spark.slurm.appId=$appid
spark.slurm.executors=2
spark.driver.host=127.0.0.1
spark.driver.bindAddress=127.0.0.1
spark.driver.port=$base
spark.blockManager.port=$((base + 20))
spark.ui.port=$((base + 40))
spark.ui.filters=org.spankspark.UiAuthFilter
spark.ui.showConsoleProgress=false
spark.driver.memory=512m
spark.executor.memory=512m
spark.scheduler.maxRegisteredResourcesWaitingTime=60s
CONF

# Polls the event log for "driver HOST PORT" and prints the executor's URL;
# prints nothing (EOF for the launcher) if it never comes.
feed_url() {
	local i line host port
	for ((i = 0; i < 1200; i++)); do
		[ -d "$W" ] || return
		line=$(grep -m1 '^driver ' "$W/events.log" 2>/dev/null) && break
		sleep 0.1
	done
	[ -n "${line:-}" ] || return
	read -r _ host port <<<"$line"
	echo "spark://CoarseGrainedScheduler@$host:$port"
}

launcher() { # executor id, then java's standard input is the caller's
	_SPARK_AUTH_SECRET=$secret setsid java "@$JAR.args" $JAVA_HEAP -cp "$SPARK_HOME/jars/*:$JAR" \
		-Dspark.authenticate=true org.spankspark.ExecutorLauncher \
		--executor-id "$1" --hostname 127.0.0.1 --cores 1 "${@:2}"
}

# The event pipe: a fifo read into events.log; only spark-submit gets the
# write end, so the reader ends when the driver does.
mkfifo "$W/events.fifo"
cat "$W/events.fifo" >"$W/events.log" &
reader=$!
start=$(date +%s.%N)
# Standard input: the application id, then the driver's URL.
launcher 1 < <(echo "$appid"; feed_url) >"$W/exec1.out" 2>"$W/exec1.log" &
pids+=($!)
launcher 2 < <(echo "$appid"; feed_url) >"$W/exec2.out" 2>"$W/exec2.log" &
pids+=($!)
exec {evw}>"$W/events.fifo"
SUM_ASK_EXECUTORS=1 SPANK_SPARK_EVENT_FD=$evw SPANK_SPARK_UI_TOKEN=$token PYSPARK_PYTHON=$PY \
	setsid "$SPARK_HOME/bin/spark-submit" --master spark-slurm://test --deploy-mode client \
	--properties-file "$W/spark.conf" --driver-class-path "$JAR" \
	tests/jvm/sum.py "$W/release" >"$W/driver.out" 2>"$W/driver.log" &
driver=$!
pids+=("$driver")
exec {evw}>&-

wait_for() { # seconds, command: polls until the command succeeds
	local t=$(($1 * 10))
	shift
	while ! "$@"; do
		t=$((t - 1))
		[ "$t" -gt 0 ] || return 1
		sleep 0.1
	done
}

# Predicates for check(); they read the test's variables.
running() { # not gone, not a zombie
	local st
	st=$(ps -o stat= -p "$1") && [ "${st#Z}" = "$st" ]
}
stopped() { ! running "$1"; }
# The tokened URL's answer: a redirect into the secret prefix, a cookie
# scoped to that prefix whose value is not the token.
cookie_ok() {
	[ "$code" = 302 ] && [ -n "$prefix" ] && [[ $cookie == spank-spark-*=* ]] &&
		[[ $cookie != *"$token"* ]] && [[ $prefix != *"$token"* ]] &&
		grep -qi "^location: $prefix/jobs/.\$" "$W/headers" &&
		grep -qi "^set-cookie:.*; *Path=$prefix;" "$W/headers" &&
		grep -qi '^set-cookie:.*; *HttpOnly' "$W/headers" &&
		grep -qi '^set-cookie:.*; *SameSite=Strict' "$W/headers" &&
		grep -qi '^referrer-policy: *no-referrer' "$W/headers"
}
# The jobs page through the prefix: Spark's own links lead back into it.
prefixed_page() {
	[ "$code" = 200 ] && grep -q "href=\"$prefix/stages/" "$W/body" &&
		grep -qi '^referrer-policy: *no-referrer' "$W/headers"
}
# The filter's decisions, no server (tests/jvm/UiAuthFilterTest.java).
decisions() {
	mkdir -p "$W/test-classes" &&
		javac -J-Xmx256m --release 17 -Xlint:all,-path -Werror -cp "$JAR:$SPARK_HOME/jars/*" \
			-d "$W/test-classes" tests/jvm/UiAuthFilterTest.java >"$W/decisions.out" 2>&1 &&
		java -Xmx64m -cp "$W/test-classes:$JAR:$SPARK_HOME/jars/*" org.spankspark.UiAuthFilterTest \
			>"$W/decisions.out" 2>&1
}
two_executors_added() {
	[ "$(grep -c '^executor-added [12] 127\.0\.0\.1 1$' "$W/events.log")" = 2 ]
}
no_refused_fetch() { ! grep -q 'not authorized to read stream' "$W/driver.log" "$W"/exec*.log; }
handed_over() {
	[ "$(grep -l 'starting the executor backend' "$W/exec1.log" "$W/exec2.log" | wc -l)" = 2 ]
}
exited_with_lines() { # expected status, status, file of stderr, its line count
	# (not counting the JVM's own note about Spark 4's --add-modules option)
	[ "$2" = "$1" ] && [ "$(grep -vc '^WARNING: Using incubator modules' "$3")" = "$4" ]
}

# --- the UI filter's decisions on their own ---
if decisions; then
	ok "UiAuthFilter's decisions ($(grep -c '^ok' "$W/decisions.out") checks of tests/jvm/UiAuthFilterTest.java)"
else
	mapfile -t lines < <(grep -v '^ok' "$W/decisions.out" | head -n 20)
	not_ok "UiAuthFilter's decisions (tests/jvm/UiAuthFilterTest.java)" "${lines[@]}"
fi

# --- while the application runs: its answer, then the UI ---
answered_or_gone() { grep -q '^shuffle=' "$W/driver.out" || stopped "$driver"; }
if wait_for 120 answered_or_gone && grep -q '^shuffle=' "$W/driver.out"; then
	ok "application answered after $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s"
else
	not_ok "application answered" "$(tail -n 5 "$W/driver.log" | tr '\n' '|')"
fi
check "sum=499500 and shuffle=499500, then a request and a kill granted ($(tr '\n' ' ' <"$W/driver.out"))" \
	[ "$(cat "$W/driver.out")" = $'sum=499500\nshuffle=499500\nasked=true\nkilled=true' ]

url=$(awk '$1 == "ui" { print $2; exit }' "$W/events.log")
status() { # curl config on stdin (keeps the token out of argv), [URL path]
	curl -s -o "$W/body" -D "$W/headers" -w '%{http_code}' -K - ${1+"$url$1"}
}
if [ -n "$url" ]; then
	code=$(status /jobs/ </dev/null)
	check "UI without token: 403 (got $code)" [ "$code" = 403 ]
	code=$(status "/jobs/job/kill/?id=0" </dev/null)
	check "job kill link without token: 403 (got $code)" [ "$code" = 403 ]
	code=$(status "/stages/stage/kill/?id=0" </dev/null)
	check "stage kill link without token: 403 (got $code)" [ "$code" = 403 ]
	code=$(status "/api/v1/applications" </dev/null)
	check "REST API without token: 403 (got $code)" [ "$code" = 403 ]
	code=$(echo "url = \"$url/jobs/?spank-spark-token=${token}0\"" | status)
	check "UI with a wrong token: 403 (got $code)" [ "$code" = 403 ]
	code=$(echo "url = \"$url/jobs/?spank-spark-token=$token\"" | status)
	cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\);.*/\1/p' "$W/headers" | tr -d '\r')
	prefix=$(sed -n 's/^[Ss]et-[Cc]ookie:.*; *Path=\([^;]*\);.*/\1/p' "$W/headers" | tr -d '\r')
	check "UI with token: 302 into a secret prefix, an HttpOnly SameSite=Strict cookie for that path only, not the token, no referrer (got $code)" cookie_ok
	code=$(echo "cookie = \"$cookie\"" | status "$prefix/jobs/")
	check "UI under the prefix with the cookie: 200, Spark's links under the prefix (got $code)" prefixed_page
	code=$(echo "cookie = \"$cookie\"" | status /jobs/)
	check "the cookie replayed without the prefix: 403 (got $code)" [ "$code" = 403 ]
	code=$(echo "cookie = \"$cookie\"" | status "/jobs/job/kill/?id=0")
	check "the kill link with the cookie, without the prefix: 403 (got $code)" [ "$code" = 403 ]
	code=$(status "$prefix/jobs/" </dev/null)
	check "the prefix without the cookie: 403 (got $code)" [ "$code" = 403 ]
	code=$(printf 'url = "%s/?spank-spark-token=%s"\ncookie = "%s"\ncookie-jar = "%s"\nlocation\n' "$url" "$token" "$W/jar" "$W/jar" |
		curl -s -o "$W/body" -w '%{http_code} %{url_effective}' -K - | sed "s|$url||")
	check "the printed URL opens the jobs page in one step, redirects followed (got $code)" \
		[ "$code" = "200 $prefix/jobs/" ]
else
	for d in "UI without token" "job kill link without token" "stage kill link without token" \
		"REST API without token" "UI with a wrong token" "UI with token" "UI with the cookie" \
		"the cookie without the prefix" "the kill link without the prefix" "the prefix without the cookie" \
		"the printed URL in one step"; do
		not_ok "$d" "no ui event"
	done
fi
touch "$W/release"

# --- after the end ---
if wait_for 60 stopped "$driver"; then
	wait "$driver"
	rc=$?
	check "spark-submit exited 0 (got $rc)" [ "$rc" = 0 ]
else
	not_ok "spark-submit exited" "still running after 60 s"
fi
wait_for 10 stopped "$reader"
order=$(awk '$1 != "ui" && $1 != "executors-wanted" && $1 != "executor-kill" { print $1 }' \
	"$W/events.log" | tr '\n' ' ')
case $order in
"driver app-start executor-added executor-added task-start task-end app-end "*)
	ok "events in order: $order" ;;
*)
	not_ok "events driver, app-start, executor-added x2, task-start, task-end (once each), app-end in order" "got: $order" ;;
esac
check "executor-added events name 127.0.0.1 and 1 core" two_executors_added
check "app-start carries spark.slurm.appId" grep -qx "app-start $appid" "$W/events.log"
check "no block fetch refused (executors used the app id)" no_refused_fetch
# Dynamic allocation's calls reach the helper: SparkContext.requestExecutors
# (Spark's requested total starts at 0 without dynamic allocation: 1) and
# killExecutor("2") (which lowers that total again: 0).
wanted=$(grep '^executors-wanted' "$W/events.log" | tr '\n' ' ')
check "requestExecutors(1), then killExecutor: executors-wanted 1, then 0 (got $wanted)" \
	[ "$wanted" = "executors-wanted 1 executors-wanted 0 " ]
check "killExecutor(\"2\"): the event executor-kill 2" grep -qx 'executor-kill 2' "$W/events.log"
kill_after_want() { # the kill comes after the request, both before app-end
	awk '$1 == "executors-wanted" { w = NR } $1 == "executor-kill" { k = NR } $1 == "app-end" { e = NR }
		END { exit !(w && k > w && e > k) }' "$W/events.log"
}
check "...in the order Spark made them, before app-end" kill_after_want
check "both launchers handed over to the executor backend" handed_over

# --- the launcher alone: a bad URL, a bad id, an id on argv, then a
# closed standard input ---
printf '%s\n%s\n' "$appid" 'spark://CoarseGrainedScheduler@127.0.0.1:65536' |
	launcher 3 >/dev/null 2>"$W/bad.log"
rc=$?
check "launcher given a bad driver URL exits 2 with one line (got $rc: $(grep -m1 '^spank-spark' "$W/bad.log" | cut -c1-100))" \
	exited_with_lines 2 "$rc" "$W/bad.log" 1
printf '%s\n%s\n' '../app id' 'spark://CoarseGrainedScheduler@127.0.0.1:1' |
	launcher 5 >/dev/null 2>"$W/badid.log"
rc=$?
check "launcher given a bad application id exits 2 with one line (got $rc: $(grep -m1 '^spank-spark' "$W/badid.log" | cut -c1-100))" \
	exited_with_lines 2 "$rc" "$W/badid.log" 1
printf '%s\n%s\n' "$appid" 'spark://CoarseGrainedScheduler@127.0.0.1:1' |
	launcher 6 --app-id "$appid" >/dev/null 2>"$W/argid.log"
rc=$?
check "launcher given --app-id on its command line exits 2 with one line (got $rc: $(grep -m1 '^spank-spark' "$W/argid.log" | cut -c1-100))" \
	exited_with_lines 2 "$rc" "$W/argid.log" 1
launcher 4 </dev/null >/dev/null 2>"$W/eof.log"
rc=$?
check "launcher whose standard input ends exits 0 silently (got $rc)" \
	exited_with_lines 0 "$rc" "$W/eof.log" 0

[ "$failed" = 0 ] || echo "# $failed failed; logs: KEEP=1 $0"
exit $((failed > 0))
