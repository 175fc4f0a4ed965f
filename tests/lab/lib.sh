# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the Spark lab tests: source after tap.sh.
#   . "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "must run as root"
[ -e /run/netns/login ] || skip_all "lab is not up (tests/lab/lab-up)"

LAB_HOME=/home/$LAB_USER
SCRATCH=$LAB_DIR/scratch

# Wait (bounded) for job $1 to reach a final state; print that state.
job_state() {
	local deadline=$((SECONDS + ${2:-30})) st
	while :; do
		st=$(lab login scontrol show job -o "$1" | grep -o 'JobState=[A-Z_]*')
		st=${st#JobState=}
		case $st in
		PENDING | CONFIGURING | RUNNING | COMPLETING | "") ;;
		*) break ;;
		esac
		[ "$SECONDS" -lt "$deadline" ] || break
		sleep 0.2
	done
	echo "$st"
}

# The id the next job will get (jobs are numbered in order).
next_job_id() {
	lab login scontrol show config | awk '/^NEXT_JOB_ID/ {print $3}'
}

# Copy the test applications into the lab user's home.
install_apps() {
	install -o "$LAB_USER" -m 0644 "$LAB_SRC"/tests/apps/*.py "$LAB_HOME/"
}

# What is left of the lab user's Spark: JVMs, helpers and Python workers
# on any host (all lab hosts share this machine's process table), scratch
# dirs, and sockets the lab user still listens on in a lab host.
leftovers() {
	local h
	pgrep -u "$LAB_USER" -a -f 'java|spank-spark-helper|pyspark' || true
	find "$SCRATCH" -mindepth 1 -maxdepth 1 2>/dev/null || true
	for h in $(lab_hosts); do
		ip netns exec "$h" ss -Hltnu -e 2>/dev/null |
			awk -v u="uid:$(id -u "$LAB_USER")" -v h="$h" '$0 ~ u {print h ": " $0}'
	done
}

# Passes when nothing is left within $2 seconds (default 15).
no_leftovers() {
	local deadline=$((SECONDS + ${2:-15})) left
	while left=$(leftovers) && [ -n "$left" ] && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.2
	done
	is "$left" "" "$1"
}

# Is process $2 one of job $1's?  Helpers carry --job=JOB in argv; every
# process they start (JVMs, Python workers, the application) carries
# SPANK_SPARK_JOB=JOB in its environment.
# (The [b] keeps grep from finding its own argv.)
_of_job() {
	grep -qazx -- "--jo[b]=$1" "/proc/$2/cmdline" 2>/dev/null ||
		grep -qazx -- "SPANK_SPARK_JO[B]=$1" "/proc/$2/environ" 2>/dev/null
}

# What is left of job $1 on any host, one line each: its processes (one
# process table for every host), its scratch directories and any FIFO in
# them, and a port of the site's range (plugstack.conf's ports=) listening
# in any host's namespace for a process of the job, or for a process that
# ss cannot name.
job_leftovers() {
	local job=$1 f pid h lo hi line
	for f in $(grep -lazx -- "--jo[b]=$job" /proc/[0-9]*/cmdline 2>/dev/null) \
		$(grep -lazx -- "SPANK_SPARK_JO[B]=$job" /proc/[0-9]*/environ 2>/dev/null); do
		pid=${f#/proc/}
		pid=${pid%%/*}
		lab_alive "$pid" || continue
		echo "process $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-120)"
	done | sort -u
	find "$SCRATCH" -mindepth 1 -maxdepth 1 -name "spank-spark.$job.*" -printf 'scratch directory %p\n' 2>/dev/null
	find "$SCRATCH" -path "$SCRATCH/spank-spark.$job.*" -type p -printf 'FIFO %p\n' 2>/dev/null
	lo=$(sed -n 's/.* ports=\([0-9]*\)-\([0-9]*\).*/\1/p' "$PLUGSTACK" | head -n1)
	hi=$(sed -n 's/.* ports=\([0-9]*\)-\([0-9]*\).*/\2/p' "$PLUGSTACK" | head -n1)
	for h in $(lab_hosts); do
		while read -r line; do
			pid=$(grep -o 'pid=[0-9]*' <<<"$line" | head -n1)
			pid=${pid#pid=}
			if [ -z "$pid" ] || _of_job "$job" "$pid"; then
				echo "listening port on $h: $line"
			fi
		done < <(ip netns exec "$h" ss -Htlnp 2>/dev/null |
			awk -v lo="${lo:-20000}" -v hi="${hi:-20999}" \
				'{ n = split($4, a, ":"); if (a[n] + 0 >= lo && a[n] + 0 <= hi) print $4, $NF }')
	done
}

# Passes when nothing of job $1 is left on any host within $2 seconds
# (default 20): no JVM, helper, Python worker or application process, no
# scratch directory or FIFO, no listening port (job_leftovers).  For the
# tests that end steps abnormally; shows what is left when it fails.
assert_nothing_left() {
	local job=$1 deadline=$((SECONDS + ${2:-20})) left
	while left=$(job_leftovers "$job") && [ -n "$left" ] && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.2
	done
	# For fault_row: what was left, on one line.
	LEFT=$(tr '\n' ';' <<<"$left" | sed 's/;$//; s/;/; /g')
	LEFT=${LEFT:-nothing}
	is "$left" "" "nothing of job $job left on any host (processes, scratch, FIFOs, ports)"
}

# Fault tests (doc/faults.md's table): clock_start before the srun,
# clock_secs after it prints the seconds in between (a diag, never a
# check), fault_row after assert_nothing_left prints the table's row:
#   fault_row NAME EXIT SECONDS LINE  ->  # fault NAME: exit 1, 3.2 s, line: ..., left: nothing
clock_start() { CLOCK=$(date +%s.%N); }
clock_secs() { awk -v a="$CLOCK" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
fault_row() {
	diag "fault $1: exit $2, $3 s, line: ${4:-none}, left: ${LEFT:-unchecked}"
	LEFT=
}
# The step's own lines in output $1 (the helper's, or the plugin's in
# srun), and its error lines among them; Slurm's and the application's
# lines are not the step's.
step_lines() { grep -E '^(srun: (error: )?)?spank-spark: ' <<<"$1"; }
step_errors() { grep -E '^(spank-spark: error: |srun: error: spank-spark: )' <<<"$1"; }
# Those error lines as fault_row's LINE: joined by " | ", or nothing.
error_line() { step_errors "$1" | sed ':a;N;$!ba;s/\n/ | /g'; }

# The value of key=value line $1 in text $2.
field() { sed -n "s/^$1=//p" <<<"$2" | head -n1; }

# Change the lab's plugstack.conf line for a while: add_to_plugstack appends
# words, drop_from_plugstack removes those matching an ERE; both start
# from the good line, which restore_plugstack (and the end of the test)
# puts back.
PLUGSTACK=$LAB_DIR/etc/plugstack.conf
_keep_plugstack() { [ -e "$PLUGSTACK.good" ] || cp "$PLUGSTACK" "$PLUGSTACK.good"; }
add_to_plugstack() { _keep_plugstack && sed "1s|\$| $*|" "$PLUGSTACK.good" >"$PLUGSTACK"; }
drop_from_plugstack() { _keep_plugstack && sed -E "1s# $1( |\$)# #" "$PLUGSTACK.good" >"$PLUGSTACK"; }
restore_plugstack() {
	if [ -e "$PLUGSTACK.good" ]; then mv -f "$PLUGSTACK.good" "$PLUGSTACK"; fi
}
# shellcheck disable=SC2154 # _rc is set inside the trap
trap '_rc=$?; restore_plugstack; (exit $_rc); _tap_end' EXIT
