#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Client mode end to end: the driver runs on the host where srun was typed
# (login), executors on every allocated node, reached across the lab
# network although the login host's name does not resolve there; srun's
# exit status is the application's; Ctrl-C or SIGKILL of srun leave
# nothing behind on any host.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

! lab node1 getent hosts login >/dev/null
ok $? "precondition: the login host's name does not resolve on the nodes"

out=$(lab login srun -N2 --spark-mode=client placement.py 3 spark.driver.host)
is "$?" 3 "the application's exit status 3 is srun's"
is "$(field driver "$out")" login "the driver runs on login, where srun was typed"
is "$(field executors "$out")" node1,node2 "executors run on every allocated node"
is "$(field authenticate "$out")" true "spark.authenticate is on"
like "$(field master "$out")" '^spark-slurm://' "spank-spark's own cluster manager schedules"
is "$(field conf.spark.driver.host "$out")" "$(lab_addr login)" "the driver listens on login's address (the executors reach it across the router)"
no_leftovers "no JVM, helper or scratch left after the job"

# The environment default chooses the mode.
out=$(lab -e SPANK_SPARK_MODE=client login srun -N1 placement.py)
is "$(field driver "$out")/$(field executors "$out")" login/node1 \
	"SPANK_SPARK_MODE=client srun -N1 app.py: client mode from the environment"
no_leftovers "no JVM, helper or scratch left after that job"

# srun --export=NONE gives the tasks only srun's SLURM_ variables: the
# rendezvous seed is one of them, so the executors still find the driver.
out=$(lab login srun -N1 -w node1 --export=NONE --spark-mode=client placement.py)
is "$(field driver "$out")/$(field executors "$out")" login/node1 \
	"srun --export=NONE: client mode works" || diag "$out"
no_leftovers "no JVM, helper or scratch left after the --export=NONE job"

words=$LAB_HOME/words-client.txt
for i in $(seq 1 200); do echo "client mode $((i % 5)) mode"; done >"$words"
chown "$LAB_USER" "$words"
want=$(tr -s ' ' '\n' <"$words" | sed '/^$/d' | sort | uniq -c | awk '{print $2, $1}')
got=$(lab login srun -N2 --spark-mode=client --spark-py-files=wcutil.py \
	wordcount.py "$words" | LC_ALL=C sort)
is "$got" "$(LC_ALL=C sort <<<"$want")" "client-mode word count equals the known answer"
no_leftovers "no JVM, helper or scratch left after the word count"

# With no network= in plugstack.conf, the driver advertises the address
# the executors reached it on.
drop_from_plugstack 'network=[^ ]*'
out=$(lab login srun -N2 --spark-mode=client placement.py 0 spark.driver.host)
restore_plugstack
is "$(field driver "$out")/$(field executors "$out")" login/node1,node2 \
	"without network=: client mode still works"
is "$(field conf.spark.driver.host "$out")" "$(lab_addr login)" "...on login's address"
no_leftovers "no JVM, helper or scratch left after that job"

# Interrupt srun once the application runs: $1 is the signal, $2 "group"
# to signal srun's whole process group as a terminal's Ctrl-C does.
interrupt() {
	local sig=$1 target=$2 log pid deadline job
	log=$(mktemp)
	job=$(next_job_id)
	setsid "$LAB_SRC/tests/lab/lab-exec" login srun -N2 --spark-mode=client \
		sleeper.py >"$log" 2>&1 </dev/null &
	pid=$!
	deadline=$((SECONDS + 120))
	until grep -q '^started' "$log" || [ "$SECONDS" -ge "$deadline" ]; do
		sleep 0.2
	done
	grep -q '^started' "$log"
	ok $? "sleeper.py started before SIG$sig" || diag "$(cat "$log")"
	if [ "$target" = group ]; then
		kill -s "$sig" -- -"$pid"
	else
		kill -s "$sig" "$pid"
	fi
	wait "$pid"
	no_leftovers "SIG$sig to srun ($target): no JVM, helper or scratch left on any host" 20
	assert_nothing_left "$job"
	rm -f "$log"
}
interrupt INT group
interrupt KILL srun
# srun is gone; its allocation may linger until slurmctld notices.
lab login scancel -u "$LAB_USER" 2>/dev/null

done_testing
