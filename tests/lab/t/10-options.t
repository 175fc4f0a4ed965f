#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The plugin's face: every --spark-* option is listed, bad values are
# refused before anything is queued (no job id consumed), values reach
# slurmstepd, and a step without Spark options is untouched.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"

options="mode class name jars py-files files conf properties-file driver-memory
	driver-cores executor-memory executor-cores executors-per-node
	driver-executor encryption log-dir verbose connect elastic"
for cmd in srun sbatch salloc; do
	help=$(lab login "$cmd" --help 2>&1)
	missing=
	for o in $options; do
		grep -q -- "--spark-$o" <<<"$help" || missing="$missing $o"
	done
	is "$missing" "" "$cmd --help lists every --spark-* option"
done

# Each bad value: non-zero exit, one line naming option, value and what is
# accepted, and no job id used.
check_refused() { # CMD OPTION VALUE
	local cmd=$1 opt=$2 val=$3 before out rc
	local -a run=(true)
	[ "$cmd" = sbatch ] && run=(--wrap true)
	before=$(next_job_id)
	out=$(lab login "$cmd" -N1 "--$opt=$val" "${run[@]}" 2>&1 </dev/null)
	rc=$?
	[ "$rc" -ne 0 ]
	ok $? "$cmd --$opt=$val exits non-zero"
	# A size also says why it was refused before what is accepted.
	like "$out" "spank-spark: invalid --$opt value '$val': ([^;]*; )?expected [a-z]" \
		"$cmd --$opt=$val: the message names option, value and what is accepted"
	is "$(next_job_id)" "$before" "$cmd --$opt=$val consumed no job id"
}
for cmd in srun sbatch; do
	check_refused "$cmd" spark-mode bogus
	check_refused "$cmd" spark-executor-memory 8x
	check_refused "$cmd" spark-executor-memory -1g
	check_refused "$cmd" spark-executor-memory 99999999t
	check_refused "$cmd" spark-conf novalue
	check_refused "$cmd" spark-executor-cores 0
	check_refused "$cmd" spark-class "a b"
done
check_refused salloc spark-mode bogus

# The same option twice: fine with one value, refused with two.
before=$(next_job_id)
out=$(lab login srun -N1 --spark-mode=cluster --spark-mode=client true 2>&1)
[ $? -ne 0 ]
ok $? "two different --spark-mode values are refused"
like "$out" "given twice with different values" "...saying so"
is "$(next_job_id)" "$before" "...before a job is queued"

# An environment default is validated like the option.
out=$(lab -e SPANK_SPARK_EXECUTOR_MEMORY=lots login srun -N1 --spark-mode=cluster true 2>&1)
[ $? -ne 0 ]
ok $? "a bad SPANK_SPARK_EXECUTOR_MEMORY is refused"
like "$out" "invalid SPANK_SPARK_EXECUTOR_MEMORY value 'lots'" "...naming the variable"
is "$(next_job_id)" "$before" "...before a job is queued"

# The first good job after all those refusals gets the next id.
jobid=$(lab login sbatch --parsable --wrap true)
is "$jobid" "$before" "the next good job takes the id the refused ones did not use"
job_state "$jobid" >/dev/null

# Values reach slurmstepd on every node: the plugin logs the parsed
# settings at debug level.  The application is missing, so the helper
# stops the step at once, on every node, with status 2.
install_apps
before=$(next_job_id)
out=$(lab login srun -N2 --mem=3G --spark-mode=cluster --spark-executor-memory=2g \
	--spark-conf=spark.x.y=1 --spark-conf='spark.z=a b' nonexistent.py 2>&1)
is "$?" 2 "a missing application ends the step with status 2"
like "$out" "cannot read the application nonexistent.py" "...and says which"
for n in node1 node2; do
	line=$(grep "spank-spark: job $before step 0 " "$LAB_DIR/log/slurmd.$n.log")
	like "$line" "mode cluster settings: --spark-mode=cluster --spark-executor-memory=2g --spark-conf=spark.x.y=1 --spark-conf=spark.z=a b$" \
		"srun's options reach slurmstepd on $n"
done

# sbatch's options reach the batch step's slurmstepd too, and every srun of
# the job sees them.
jobid=$(lab login sbatch --parsable -N1 --spark-mode=client --spark-executor-cores=1 \
	-o /dev/null --wrap 'srun nonexistent.py')
job_state "$jobid" >/dev/null
line=$(grep "spank-spark: job $jobid step 0 " "$LAB_DIR"/log/slurmd.node*.log)
like "$line" "mode client settings: --spark-mode=client --spark-executor-cores=1$" \
	"sbatch's options reach the steps of the job"

# No Spark option: the plugin stays out of the way.
before=$(next_job_id)
out=$(lab login srun -N3 hostname | sort | tr '\n' ' ')
is "$out" "node1 node2 node3 " "srun -N3 hostname without Spark options runs hostname"
! grep -q "spank-spark: job $before " "$LAB_DIR"/log/slurmd.node*.log
ok $? "...and the plugin did not touch it"

done_testing
