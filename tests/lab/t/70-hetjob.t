#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Heterogeneous jobs: a het step (srun ... : ...), an #SBATCH hetjob job's
# and a salloc ... : ... shell's srun --het-group=0,1 each run one Spark
# application, its driver on the first component's first node and its
# executors on the other components' nodes; combinations that cannot work
# are refused in one line.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

# The states of every component of het job $1, once none is pending or
# running any more (bounded by $2 seconds): "COMPLETED" when all did.
het_state() {
	local deadline=$((SECONDS + $2)) st
	while :; do
		st=$(lab login scontrol show job -o "$1" | grep -o 'JobState=[A-Z_]*' |
			sed 's/^JobState=//' | sort -u | tr '\n' ' ')
		case $st in
		*PENDING* | *CONFIGURING* | *RUNNING* | *COMPLETING* | "") ;;
		*) break ;;
		esac
		[ "$SECONDS" -lt "$deadline" ] || break
		sleep 0.5
	done
	echo "${st% }"
}

# --- srun -w node3 : -w node1,node2: the driver where the user put it;
# the second component has 2 CPUs and 1500 MiB per node, the first the
# lab's defaults (1 CPU, 1024 MiB).
err=$(mktemp)
out=$(lab login srun -w node3 --spark-mode=cluster --spark-verbose : -w node1,node2 -c 2 --mem=1500M \
	placement.py 0 2>"$err")
is "$?" 0 "a het step runs"
is "$(field driver "$out")" node3 "its driver runs on the first component's node" ||
	diag "$(tail -n 20 "$err")"
is "$(field executors "$out")" node1,node2 "its executors on the second component's nodes"
like "$(cat "$err")" "start-up done: driver node3, 2 executor\(s\) on node1,node2" \
	"--spark-verbose names the driver's node and the executors'"
for n in node1 node2; do
	like "$(cat "$err")" "executor JVM\(s\) started on $n: 2 cores, 1116 MiB heap" \
		"$n's executor is sized from its own component (2 CPUs, 1500 MiB)"
done
no_leftovers "no JVM, helper or scratch left after the het step"

# --- #SBATCH hetjob: srun --het-group=0,1 spans both components.
script=$LAB_HOME/spark-het.sh
cat >"$script" <<'SCRIPT'
#!/bin/bash
#SBATCH -w node3
#SBATCH hetjob
#SBATCH -w node1,node2
srun --het-group=0,1 --spark-mode=cluster --spark-verbose first.py >het-step.txt 2>het-step.err
SCRIPT
chown "$LAB_USER" "$script"
rm -f "$LAB_HOME"/het-step.txt "$LAB_HOME"/het-step.err
jobid=$(lab login sbatch --parsable -o het-%j.out spark-het.sh)
like "$jobid" '^[0-9]+(\+0)?$' "sbatch of an #SBATCH hetjob script is accepted"
jobid=${jobid%+0}
is "$(het_state "$jobid" 300)" COMPLETED "both components of the het batch job complete"
is "$(field result "$(cat "$LAB_HOME/het-step.txt" 2>&1)")" 4950 \
	"srun --het-group=0,1: the application's result is right" ||
	diag "$(tail -n 20 "$LAB_HOME/het-step.err" 2>&1)"
like "$(cat "$LAB_HOME/het-step.err" 2>&1)" "start-up done: driver node3, 2 executor\(s\) on node1,node2" \
	"...driver on node3, executors on node1,node2"
no_leftovers "no JVM, helper or scratch left after the het batch job"
rm -f "$LAB_HOME"/het-step.txt "$LAB_HOME"/het-step.err "$LAB_HOME/het-$jobid.out" "$script"

# --- salloc ... : ... with the Spark options, srun --het-group=0,1 inside.
out=$(lab login salloc -w node3 --spark-mode=cluster --spark-verbose : -w node1,node2 \
	srun --het-group=0,1 first.py 2>"$err")
is "$(field result "$out")" 4950 "salloc with components: srun --het-group=0,1 gets the right result" ||
	diag "$(tail -n 20 "$err")"
like "$(cat "$err")" "start-up done: driver node3, 2 executor\(s\) on node1,node2" \
	"...driver on node3, executors on node1,node2"
no_leftovers "no JVM, helper or scratch left after salloc"

# --- Refused: client mode (its driver runs where srun runs), by srun,
# whichever component the option is written in.
for where in first second; do
	before=$(next_job_id)
	if [ "$where" = first ]; then
		out=$(lab login srun -w node3 --spark-mode=client : -w node1,node2 first.py 2>&1)
	else
		out=$(lab login srun -w node3 : -w node1,node2 --spark-mode=client first.py 2>&1)
	fi
	[ $? -ne 0 ]
	ok $? "--spark-mode=client in the $where component of a het step: refused"
	is "$(grep -c 'spank-spark: --spark-mode=client cannot run a heterogeneous step' <<<"$out")" 1 \
		"...in one line of ours" || diag "$out"
	is "$(next_job_id)" "$before" "...before any job is queued"
done
no_leftovers "no JVM, helper or scratch left after the refusals"

# --- Refused before any job: one option, two values in two components.
before=$(next_job_id)
out=$(lab login srun -w node3 --spark-mode=cluster --spark-executor-memory=600m : \
	-w node1,node2 --spark-executor-memory=700m first.py 2>&1)
[ $? -ne 0 ]
ok $? "an option with different values in two components: refused"
like "$out" "spank-spark: --spark-executor-memory given twice with different values" \
	"...naming the option"
is "$(next_job_id)" "$before" "...before any job is queued"
rm -f "$err"
done_testing
