#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Batch jobs and the site admin: #SBATCH options are defaults for every
# srun step and a step's own options win; salloc's options reach the srun
# inside it (client mode: driver where srun runs); a bad plugstack.conf
# line makes srun say so in one line; after a helper is SIGKILLed and the
# job cancelled, the epilog leaves no scratch and no process of the job.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

# --- sbatch: job-level options, step-level overrides, three steps.
script=$LAB_HOME/spark-batch.sh
cat >"$script" <<'SCRIPT'
#!/bin/bash
#SBATCH -N3
#SBATCH --spark-mode=cluster
#SBATCH --spark-conf=spark.lab.level=job
srun placement.py 0 spark.lab.level >step1.txt
srun --spark-conf=spark.lab.level=step placement.py 0 spark.lab.level >step2.txt
srun --spark-conf=spark.lab.other=x placement.py 0 spark.lab.level spark.lab.other >step3.txt
SCRIPT
chown "$LAB_USER" "$script"
rm -f "$LAB_HOME"/step[123].txt
jobid=$(lab login sbatch --parsable -o batch-%j.out spark-batch.sh)
like "$jobid" '^[0-9]+$' "sbatch of a script with #SBATCH --spark-* lines is accepted"
is "$(job_state "$jobid" 300)" COMPLETED "the batch job completes"
s1=$(cat "$LAB_HOME/step1.txt" 2>&1) s2=$(cat "$LAB_HOME/step2.txt" 2>&1) s3=$(cat "$LAB_HOME/step3.txt" 2>&1)
is "$(field conf.spark.lab.level "$s1")" job "step 1: the job-level --spark-conf reaches the app" || diag "$(cat "$LAB_HOME/batch-$jobid.out")"
is "$(field conf.spark.lab.level "$s2")" step "step 2: a step-level --spark-conf overrides it"
is "$(field conf.spark.lab.level "$s3"):$(field conf.spark.lab.other "$s3")" job:x \
	"step 3: job-level and step-level pairs of other keys combine"
for s in "$s1" "$s2" "$s3"; do
	is "$(field driver "$s")/$(field executors "$s")" node1/node2,node3 \
		"a batch step: driver node1, executors node2,node3"
done
no_leftovers "no JVM, helper or scratch left after the batch job"
rm -f "$LAB_HOME"/step[123].txt "$LAB_HOME/batch-$jobid.out" "$script"

# --- salloc: client mode, srun inside puts the driver where it runs.
out=$(lab login salloc -N2 --spark-mode=client srun placement.py 0 2>/dev/null)
is "$(field driver "$out")/$(field executors "$out")" login/node1,node2 \
	"salloc --spark-mode=client + srun app.py: driver on the salloc host"
no_leftovers "no JVM, helper or scratch left after salloc"

# --- A plugstack.conf error is refused in one clear line (fail closed).
bad_conf() { # WORDS WANT-REGEX NAME
	add_to_plugstack "$1"
	out=$(lab login srun -N1 hostname 2>&1)
	[ $? -ne 0 ]
	ok $? "plugstack.conf with '$1': srun refuses to run"
	like "$out" "$2" "$3"
	is "$(grep -c 'spank-spark:' <<<"$out")" 1 "...in one line of ours"
}
bad_conf bogus_key=1 "spank-spark: unknown plugstack.conf argument 'bogus_key=1'" \
	"an unknown key is named"
bad_conf ports=10-20 "spank-spark: bad plugstack.conf value ports='10-20': expected a range" \
	"a bad value is named with what is accepted"

# users= limits who may run Spark steps; everyone else's plain steps run.
add_to_plugstack users=alice,bob
out=$(lab login srun -N1 --spark-mode=cluster placement.py 2>&1)
[ $? -ne 0 ]
ok $? "users=alice,bob: $LAB_USER's Spark step is refused"
like "$out" "spank-spark: user $LAB_USER may not run Spark steps here" "...saying why"
ok_cmd "users=alice,bob: $LAB_USER's plain step still runs" lab login srun -N1 true

# The encryption policy is enforced before anything is queued.
before=$(next_job_id)
add_to_plugstack encryption=required
out=$(lab login srun -N1 --spark-mode=cluster --spark-encryption=off placement.py 2>&1)
like "$out" "this site requires encryption" "encryption=required refuses --spark-encryption=off"
add_to_plugstack encryption=off
out=$(lab login sbatch -N1 --spark-mode=cluster --spark-encryption=on --wrap true 2>&1)
like "$out" "this site has turned encryption off" "encryption=off refuses --spark-encryption=on"
is "$(next_job_id)" "$before" "...before a job is queued"
restore_plugstack
ok_cmd "with the good plugstack.conf back, srun works again" lab login srun -N1 true

# --- The backstops: SIGKILL the driver-side helper, cancel the job.  The
# batch script also leaves a marked process and a scratch directory that
# only the job epilog knows about.
rm -f "$LAB_HOME"/epilog-*.out
jobid=$(lab login sbatch --parsable -N2 --spark-mode=cluster -o 'epilog-%j.out' \
	--wrap "mkdir $SCRATCH/spank-spark.\$SLURM_JOB_ID.99.stray
		setsid env SPANK_SPARK_JOB=\$SLURM_JOB_ID sleep 600 &
		srun sleeper.py")
deadline=$((SECONDS + 120))
until grep -qs '^started' "$LAB_HOME/epilog-$jobid.out" || [ "$SECONDS" -ge "$deadline" ]; do
	sleep 0.2
done
grep -qs '^started' "$LAB_HOME/epilog-$jobid.out"
ok $? "the application started" || diag "$(cat "$LAB_HOME/epilog-$jobid.out" 2>&1)"
pkill -KILL -u "$LAB_USER" -f 'spank-spark-helper driver'
ok $? "the driver-side helper was SIGKILLed"
lab login scancel "$jobid"
state=$(job_state "$jobid" 60)
like "$state" '^(CANCELLED|FAILED|COMPLETED)' "the job ends"
no_leftovers "no JVM, helper or scratch of the job left" 30
left=$(pgrep -u "$LAB_USER" -a -f 'sleep 600')
is "$left" "" "the epilog killed the job's marked stray process"
rm -f "$LAB_HOME/epilog-$jobid.out"

done_testing
