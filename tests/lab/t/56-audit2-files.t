#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The second audit's file attacks (issue 16, items 2 and 3), played by the
# lab's intruder against labuser's steps run from a shared 1777 directory:
#  - a jar the intruder planted in hive-jackson/ there (Spark 4.0's
#    relative default class path entry) never runs as the owner;
#  - the application id, which names the event log in the site's shared
#    directory, is on no command line while the steps run (the intruder
#    polls every /proc/*/cmdline, and plants, as in the audit, a link to
#    an owner's 0600 file and a plain file under the names it would give);
#  - told the log's real name (the worst case), the intruder can neither
#    take it nor remove it, and what it plants under the final name (a
#    link to the owner's 0600 file, a plain file) neither changes the
#    owner's file nor stops the step.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

evil() { lab --user "$LAB_INTRUDER" "$@"; }
events=$LAB_DIR/spark-events
[ -d "$events" ] || bail_out "no $events: bring the lab up again (tests/lab/lab-down; tests/lab/lab-up)"
spark_home=$(sed -n 's/.* spark_home=\([^ ]*\).*/\1/p' <<<"$(head -n1 "$PLUGSTACK")")
shared=$LAB_DIR/shared-56
rm -rf "$shared"
install -d -m 1777 "$shared"
secret=$LAB_HOME/secret-56
printf 'the owner'"'"'s own\n' >"$secret"
chown "$LAB_USER" "$secret"
chmod 0600 "$secret"
before=$(sha256sum <"$secret")
intact() { # the owner's 0600 file: same bytes, mode, owner
	[ "$(sha256sum <"$secret")" = "$before" ] &&
		[ "$(stat -c '%U %a' "$secret")" = "$LAB_USER 600" ]
}

# 1. The intruder's jar in hive-jackson/ of the shared directory: an
#    ExternalClusterManager whose class, once loaded, writes a marker.
cat >"$shared/Evil.java" <<EOF
public class Evil implements org.apache.spark.scheduler.ExternalClusterManager {
    static {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("$shared/marker"),
                    "loaded as " + System.getProperty("user.name") + "\n");
        } catch (Exception e) {
            // nothing to say
        }
    }
    public boolean canCreate(String url) { return false; }
    public org.apache.spark.scheduler.TaskScheduler createTaskScheduler(
            org.apache.spark.SparkContext sc, String url) { throw new UnsupportedOperationException(); }
    public org.apache.spark.scheduler.SchedulerBackend createSchedulerBackend(org.apache.spark.SparkContext sc,
            String url, org.apache.spark.scheduler.TaskScheduler s) { throw new UnsupportedOperationException(); }
    public void initialize(org.apache.spark.scheduler.TaskScheduler s,
            org.apache.spark.scheduler.SchedulerBackend b) { }
}
EOF
chmod 0644 "$shared/Evil.java"
evil login bash -c "set -e; cd '$shared'; mkdir -p build/META-INF/services hive-jackson
	javac -J-Xmx128m -cp '$spark_home/jars/*' -d build Evil.java
	echo Evil >build/META-INF/services/org.apache.spark.scheduler.ExternalClusterManager
	jar -J-Xmx64m --create --file hive-jackson/evil.jar -C build .
	chmod -R a+rX hive-jackson" >/dev/null 2>&1
ok $? "the intruder builds hive-jackson/evil.jar in the shared directory"

# 2. The intruder's poller: every process's command line, for anything
#    like an application id (slurm-J.S-TIME-HEX); found, it plants a link
#    to the owner's 0600 file and a plain file of its own under that id's
#    event log names, as in the audit.  The pattern is written so that the
#    poller's own grep does not match it.
cat >"$shared/poll.sh" <<EOF
while [ ! -e '$shared/stop' ]; do
	for f in \$(grep -l -a -E 'slurm-[0-9]+[.][0-9]+-[0-9]+-[0-9a-f]+' /proc/[0-9]*/cmdline 2>/dev/null); do
		line=\$(tr '\\0' ' ' <"\$f" 2>/dev/null) || continue
		id=\$(grep -o -E 'slurm-[0-9]+[.][0-9]+-[0-9]+-[0-9a-f]+' <<<"\$line" | head -n1)
		[ -n "\$id" ] || continue
		echo "\$line" >>'$shared/found'
		name=\$(tr '.' '_' <<<"\$id")
		ln -s '$secret' '$events/'"\$name.zstd.inprogress" 2>/dev/null
		ln -s '$secret' '$events/'"\$name.zstd" 2>/dev/null
		(umask 0; : >'$events/'"\$name.inprogress") 2>/dev/null
	done
	sleep 0.1
done
EOF
chmod 0755 "$shared/poll.sh"
evil login bash "$shared/poll.sh" &
poller=$!

add_to_plugstack "event_log_dir=$events"

# Runs a step from the shared directory in the background: $1 its output
# file, then srun's options; the application waits at gate file $gate.
step() {
	local out=$1
	shift
	LAB_CWD=$shared lab login srun "$@" "$LAB_HOME/gated.py" "$gate" >"$out" 2>&1 &
	step_pid=$!
	local deadline=$((SECONDS + 180))
	until grep -q '^started' "$out" || ! kill -0 "$step_pid" 2>/dev/null ||
		[ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
}
# The name of the event log the owner's step $job claimed, or a bail-out:
# nothing after it would mean anything.
claimed_log() {
	claimed=$(find "$events" -maxdepth 1 -user "$LAB_USER" -name "slurm-${job}_0-*" -printf '%f\n' | head -n1)
	[ -z "$claimed" ] || return 0
	diag "$(cat "$out")"
	touch "$shared/stop" "$gate"
	wait
	# Today's main: the intruder's link took the name first.
	ok_cmd "the owner's 0600 file is unchanged" intact
	rm -f "$secret"
	bail_out "no event log of job $job in $events (the step's output above)"
}

# 3. A step with the site's event log, compressed (Spark 4's default).
out=$(mktemp)
gate=$shared/gate-a
job=$(next_job_id)
step "$out" -N2 --spark-mode=cluster --spark-event-log
like "$(cat "$out")" "started" "a step runs from the shared directory, with an event log" || diag "$(cat "$out")"
execs=$(pgrep -u "$LAB_USER" -f 'org\.spankspark\.ExecutorLauncher')
driver=$(pgrep -u "$LAB_USER" -f 'org\.apache\.spark\.deploy\.SparkSubmit')
args=$(for p in $execs; do tr '\0' ' ' <"/proc/$p/cmdline"; echo; done)
like "$args" "ExecutorLauncher --executor-id" "its executor JVMs run"
! grep -q -- '--app-id' <<<"$args"
ok $? "...with no --app-id on their command line" || diag "$args"
cache=$LAB_CLASS_CACHE/spark.jsa
mapped=0
for p in $driver $execs; do
	grep -qF "$cache" "/proc/$p/maps" && mapped=$((mapped + 1))
done
is "$mapped" 2 "the driver and the executor still map the class cache's archive"
claimed_log
like "$claimed" "^slurm-${job}_0-[0-9]+-[0-9a-f]{32}\\.zstd\\.inprogress\$" \
	"its event log has a name with 128 random bits" || diag "$(ls -l "$events")"
# The intruder is told that name: the worst case, e.g. a leak.
final=${claimed%.inprogress}
! evil login ln -s "$secret" "$events/$claimed" 2>/dev/null
ok $? "the intruder cannot put a link under the log's name"
! evil login rm -f "$events/$claimed" 2>/dev/null
ok $? "...nor remove the owner's log"
evil login ln -s "$secret" "$events/$final"
ok $? "...but takes its final name with a link to the owner's 0600 file"
touch "$gate"
wait "$step_pid"
rc=$?
is "$rc" 0 "the step still succeeds" || diag "$(cat "$out")"
is "$(field result "$(cat "$out")")" 4950 "...with the right result"
like "$(cat "$out")" "kept as $events/$claimed: $final, its final name, is another user's" \
	"...and says why its log keeps the name .inprogress"
ok_cmd "the owner's 0600 file is unchanged" intact
ok_cmd "no class of the intruder's jar was loaded (no marker)" test ! -e "$shared/marker"
[ ! -e "$shared/marker" ] || diag "marker: $(cat "$shared/marker")"
is "$(stat -c '%U' "$events/$claimed" 2>/dev/null)" "$LAB_USER" "the log is still the owner's"
rm -f "$out"

# 4. Uncompressed, one node: a plain file of the intruder's under the
#    final name.
out=$(mktemp)
gate=$shared/gate-b
job=$(next_job_id)
step "$out" -N1 --spark-mode=cluster --spark-event-log --spark-conf spark.eventLog.compress=false
like "$(cat "$out")" "started" "an uncompressed event log's step runs" || diag "$(cat "$out")"
claimed_log
like "$claimed" "^slurm-${job}_0-[0-9]+-[0-9a-f]{32}\\.inprogress\$" "...its log claimed by the owner" ||
	diag "$(ls -l "$events")"
final=${claimed%.inprogress}
evil login bash -c "umask 0; : >'$events/$final'"
ok $? "the intruder takes its final name with a plain file"
! evil login bash -c ": >'$events/$claimed'" 2>/dev/null
ok $? "...and cannot write the owner's log"
touch "$gate"
wait "$step_pid"
rc=$?
is "$rc" 0 "the step still succeeds" || diag "$(cat "$out")"
is "$(field result "$(cat "$out")")" 4950 "...with the right result"
is "$(stat -c %s "$events/$final")" 0 "...and writes nothing in the intruder's file"
rm -f "$out"

# 5. Nothing of either step's id was on a command line.
touch "$shared/stop"
wait "$poller"
is "$(cat "$shared/found" 2>/dev/null)" "" "the intruder's poller found no application id in /proc/*/cmdline"
ok_cmd "the owner's 0600 file is still unchanged" intact

restore_plugstack
no_leftovers "no JVM, helper or scratch left"
find "$events" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
rm -rf "$shared" "$secret"
done_testing
