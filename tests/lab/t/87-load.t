#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Load (issue 17, fault 10): 20 small Spark steps at once from three users
# (the lab user, the intruder and the history server's user), cluster and
# client mode, on the three nodes: Slurm queues what does not fit (2 cores
# a step), every result is right, no port or directory clash, nothing left;
# then 100 plain "srun -N3 true" with the plugin loaded leave no descriptor,
# process or file behind (counted before and after).
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
users=("$LAB_USER" "$LAB_INTRUDER" "$LAB_HISTORY_USER")
for u in "${users[@]}"; do
	install -o "$u" -m 0644 "$LAB_SRC/tests/apps/first.py" "/home/$u/"
done

# What any of the three users left: processes, scratch and log
# directories' entries, listening ports of the site's range in any host.
left_of_users() {
	local u h
	for u in "${users[@]}"; do
		pgrep -u "$u" -a -f 'java|spank-spark-helper|pyspark|first\.py' || true
	done
	find "$SCRATCH" -mindepth 1 -maxdepth 1 2>/dev/null
	for h in $(lab_hosts); do
		ip netns exec "$h" ss -Htlnu 2>/dev/null |
			awk -v h="$h" '{ n = split($4, a, ":"); p = a[n] + 0;
				if (p >= 20000 && p <= 20999) print h ": " $0 }'
	done
}

# 1. Twenty steps at once, round robin over the users; even ones in
#    cluster mode on two nodes, odd ones in client mode (driver on login)
#    on one node; -c 2 and --mem size them: two steps a node at a time.
dir=$(mktemp -d)
t0=$SECONDS
for i in $(seq 0 19); do
	u=${users[$((i % 3))]}
	if [ $((i % 2)) -eq 0 ]; then
		args=(-N2 --spark-mode=cluster)
	else
		args=(-N1 --spark-mode=client)
	fi
	lab --user "$u" login srun "${args[@]}" -c 2 --mem=1500M \
		--spark-executor-memory=600m first.py >"$dir/$i.out" 2>"$dir/$i.err" &
	echo $! >"$dir/$i.pid"
done
failed=0 wrong=0
for i in $(seq 0 19); do
	wait "$(cat "$dir/$i.pid")" || { failed=$((failed + 1)) && diag "step $i: $(tail -n 5 "$dir/$i.err")"; }
	[ "$(field result "$(cat "$dir/$i.out")")" = 4950 ] || wrong=$((wrong + 1))
done
diag "fault: 10 twenty steps at once, 3 users, both modes | $failed failed, $wrong wrong | $((SECONDS - t0))s |"
is "$failed" 0 "20 steps of 3 users at once, both modes: every step succeeds"
is "$wrong" 0 "...every result is right"
clash=$(cat "$dir"/*.err | grep -E 'Address already in use|BindException|File exists' || true)
is "$clash" "" "...no port or directory clash reported"
deadline=$((SECONDS + 30))
while left=$(left_of_users) && [ -n "$left" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
is "$left" "" "...and nothing of any user's step left on any host"
rm -rf "$dir"

# 2. 100 plain steps with the plugin loaded: what the daemons hold (their
#    descriptors), the lab user's files, and the processes (a process that
#    was there before may end; no new one may stay), before and after.
count_state() {
	local n pid fds=0
	for n in $(lab_hosts); do
		[ -e "$LAB_DIR/run/slurmd.$n.pid" ] || continue
		pid=$(cat "$LAB_DIR/run/slurmd.$n.pid")
		fds=$((fds + $(find "/proc/$pid/fd" -mindepth 1 | wc -l)))
	done
	pid=$(cat "$LAB_DIR/run/lab-slurmctld.pid")
	fds=$((fds + $(find "/proc/$pid/fd" -mindepth 1 | wc -l)))
	echo "fds=$fds files=$(find "$SCRATCH" "$LAB_DIR/logs" /dev/shm /tmp -user "$LAB_USER" 2>/dev/null | wc -l)"
}
procs() { (pgrep -u "$LAB_USER" || true; pgrep -x slurmstepd || true) | sort; }
before=$(count_state)
procs_before=$(procs)
t0=$SECONDS
bad=0
for _ in $(seq 100); do
	lab login srun -N3 true >/dev/null 2>&1 || bad=$((bad + 1))
done
secs=$((SECONDS - t0))
is "$bad" 0 "100 srun -N3 true with the plugin loaded succeed"
deadline=$((SECONDS + 20))
while after=$(count_state) && new=$(comm -13 <(echo "$procs_before") <(procs)) &&
	{ [ "$after" != "$before" ] || [ -n "$new" ]; } && [ "$SECONDS" -lt "$deadline" ]; do
	sleep 0.5
done
is "$after" "$before" "...leaving no descriptor in the daemons and no file"
is "$new" "" "...and no process" || diag "$(ps -o pid,user,args -p "$(echo "$new" | paste -sd,)")"
diag "fault: 10 100 x srun -N3 true | $bad failed | ${secs}s | before: $before, $(echo "$procs_before" | grep -c .) processes; after: $after, $(procs | grep -c .) processes"

done_testing
