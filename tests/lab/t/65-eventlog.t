#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Event logs and the history server: a step with --spark-event-log killed
# by its time limit still leaves a complete event log in the site's
# event_log_dir, readable by the history server's group and by no other
# user; Spark's own history server (contrib/spark-history-server.sh) lists
# the application as completed.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

events=$LAB_DIR/spark-events
if ! [ -d "$events" ] || ! id -u "$LAB_HISTORY_USER" >/dev/null 2>&1; then
	bail_out "no $events or user $LAB_HISTORY_USER: bring the lab up again (tests/lab/lab-down; tests/lab/lab-up)"
fi

# 1. Refusals, before any allocation.
out=$(lab login srun -N1 --spark-event-log placement.py 2>&1)
isnt "$?" 0 "--spark-event-log alone on a site without event_log_dir fails"
like "$out" "no event_log_dir.*--spark-event-log=DIR" "...in one line saying what to give" || diag "$out"
out=$(lab login srun -N1 --spark-event-log=spark-events placement.py 2>&1)
isnt "$?" 0 "a relative --spark-event-log=DIR fails"
like "$out" "absolute directory" "...asking for an absolute one" || diag "$out"

# 2. The site's directory: a step that outlives its time limit (1 minute).
#    The driver's JVM gets stop_timeout to stop, on a busy 2-core machine
#    more than the lab's 5 s; KillWait (lab-up, 30 s) is longer still.
#    With 20 s, a driver stopping at its time limit (once cluster mode's,
#    once client mode's) twice failed to finish its event log in about six
#    runs while the other one stopped too: not understood yet.
add_to_plugstack "event_log_dir=$events stop_timeout=28"
# The client-mode step of part 3 runs meanwhile, on the third node: both
# wait a minute for their time limit.
client_out=$(mktemp)
lab login srun -t 1 -N1 --spark-mode=client --spark-event-log \
	--spark-conf spark.eventLog.compress=false sleeper.py >"$client_out" 2>&1 &
client_pid=$!
out=$(lab login srun -t 1 -N2 --spark-mode=cluster --spark-event-log \
	--spark-conf spark.eventLog.compress=false sleeper.py 2>&1)
isnt "$?" 0 "the step outliving srun -t 1 is ended"
like "$out" "CANCELLED .* DUE TO TIME LIMIT" "...by its time limit" || diag "$out"
app=$(sed -n "s|^spank-spark: event log of application \(slurm-[0-9a-z.-]*\) in $events\$|\1|p" <<<"$out")
like "$app" '^slurm-[0-9]+\.0-[0-9]+-[0-9a-f]{32}$' "the step printed where its event log is (an id with 128 random bits)" || diag "$out"
is "$(grep -c 'left incomplete' <<<"$out")" 0 "the helper found the log complete"

# Spark 4 rolls event logs (a directory whose appstatus_ file loses its
# .inprogress at the end); Spark 3.5 writes one file.
name=$(tr '.' '_' <<<"$app")
if [ -d "$events/eventlog_v2_$name" ]; then
	dir=$events/eventlog_v2_$name
	ok_cmd "the application's status file is final" test -e "$dir/appstatus_$name"
	ok_cmd "...and none is left .inprogress" test ! -e "$dir/appstatus_$name.inprogress"
	log=$(find "$dir" -name "events_*_$name" | sort | tail -n1)
else
	log=$events/$name
	ok_cmd "the event log is final" test -f "$log"
	ok_cmd "...and not left .inprogress" test ! -e "$log.inprogress"
fi
grep -q '"Event":"SparkListenerApplicationEnd"' "$log" 2>/dev/null
ok $? "the event log ends the application (SparkListenerApplicationEnd)"
is "$(stat -c '%U:%G %a' "$log" 2>/dev/null)" "$LAB_USER:$LAB_HISTORY_GROUP 640" \
	"it is the user's, readable by the history server's group only (0640)"

# 3. Another user reads nothing of it.
! lab --user "$LAB_INTRUDER" login cat "$log" >/dev/null 2>&1
ok $? "$LAB_INTRUDER cannot read the event log"
! lab --user "$LAB_INTRUDER" login ls "$events" >/dev/null 2>&1
ok $? "$LAB_INTRUDER cannot list the event log directory"
lab --user "$LAB_HISTORY_USER" login cat "$log" >/dev/null 2>&1
ok $? "$LAB_HISTORY_USER, of group $LAB_HISTORY_GROUP, can read it"

# Client mode: the driver runs on login, out of slurmstepd's reach; when
# the time limit ends the tasks and srun, the helper stops it just as well.
wait "$client_pid"
out=$(cat "$client_out")
rm -f "$client_out"
like "$out" "CANCELLED .* DUE TO TIME LIMIT" "client mode: the step outliving srun -t 1 is ended" || diag "$out"
app2=$(sed -n "s|^spank-spark: event log of application \(slurm-[0-9a-z.-]*\) in $events\$|\1|p" <<<"$out")
log2=$events/$(tr '.' '_' <<<"$app2")
ok_cmd "...and leaves a final event log, not .inprogress" test -f "$log2" -a ! -e "$log2.inprogress"
grep -q '"Event":"SparkListenerApplicationEnd"' "$log2" 2>/dev/null
ok $? "...that ends the application" || diag "$out"
restore_plugstack
no_leftovers "no JVM, helper or scratch left after both time limits"

# 4. The history server lists the application as completed.
line=$(head -n1 "$PLUGSTACK")
spark_home=$(sed -n 's/.* spark_home=\([^ ]*\).*/\1/p' <<<"$line")
java_home=$(sed -n 's/.* java_home=\([^ ]*\).*/\1/p' <<<"$line")
install -m 0755 "$LAB_SRC/contrib/spark-history-server.sh" "$LAB_DIR/lib/"
hs() {
	lab --user "$LAB_HISTORY_USER" -e SPARK_HOME="$spark_home" -e JAVA_HOME="$java_home" \
		-e EVENT_LOG_DIR="$events" -e HISTORY_PORT=18080 login \
		"$LAB_DIR/lib/spark-history-server.sh" "$@"
}
hs start >/dev/null 2>&1
ok $? "contrib/spark-history-server.sh start"
api=http://127.0.0.1:18080/api/v1/applications
deadline=$((SECONDS + 120))
until got=$(lab login curl -sf "$api/$app") || [ "$SECONDS" -ge "$deadline" ]; do sleep 1; done
like "$got" "\"id\" : \"$app\"" "the history server's REST API lists the step's application"
like "$got" '"completed" : true' "...as completed"
like "$(lab login curl -sf "$api")" "$app" "...in /api/v1/applications too"
like "$(pgrep -a -u "$LAB_HISTORY_USER" -f HistoryServer)" '-Xmx256m' "...in a JVM of 256 MiB of heap"
hs stop >/dev/null 2>&1
ok $? "contrib/spark-history-server.sh stop"
deadline=$((SECONDS + 20))
while pgrep -u "$LAB_HISTORY_USER" java >/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
is "$(pgrep -u "$LAB_HISTORY_USER" -a java)" "" "no history server JVM is left"

# 5. A directory of the user's, created on the first node: 0700, and the
#    finished log the user's alone.
out=$(lab login srun -N1 --spark-mode=cluster --spark-event-log=%h/spark-events/%j \
	--spark-conf spark.eventLog.rolling.enabled=false placement.py 2>&1)
is "$?" 0 "a step with --spark-event-log=%h/spark-events/%j runs" || diag "$out"
app=$(sed -n 's|^spank-spark: event log of application \(slurm-[0-9a-z.-]*\) in .*|\1|p' <<<"$out")
dir=$(sed -n 's|^spank-spark: event log of application slurm-[0-9a-z.-]* in \(.*\)|\1|p' <<<"$out")
like "$dir" "^$LAB_HOME/spark-events/[0-9]+\$" "...and says where, expanded"
is "$(stat -c %a "$dir" 2>/dev/null)" 700 "...in a directory it made 0700"
f=$(find "$dir" -maxdepth 1 -name "$(tr '.' '_' <<<"$app")*" 2>/dev/null | head -n1)
like "$f" "/$(tr '.' '_' <<<"$app")(\.[a-z0-9]+)?\$" "...a single finished log file"
is "$(stat -c '%U %a' "$f" 2>/dev/null)" "$LAB_USER 600" "...the user's alone (0600)"
rm -rf "$LAB_HOME/spark-events"
no_leftovers "no JVM, helper or scratch left"

find "$events" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
done_testing
