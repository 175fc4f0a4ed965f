#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cluster mode end to end with a real Spark: driver on the step's first
# node, executors on the others, wired by the helper over munge; exit
# status, options, Python and JVM applications, one node, two jobs at
# once; and after every job nothing of it is left on any host.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

# Placement, authentication, --spark-conf reaching the app, exit status.
out=$(lab login srun -N3 --spark-mode=cluster --spark-conf=spark.lab.marker=42 \
	placement.py 3 spark.lab.marker spark.authenticate.secret)
is "$?" 3 "the application's exit status 3 is srun's"
is "$(field driver "$out")" node1 "the driver runs on the step's first node"
is "$(field executors "$out")" node2,node3 "executors run on the other nodes"
is "$(field authenticate "$out")" true "spark.authenticate is on"
is "$(field conf.spark.lab.marker "$out")" 42 "--spark-conf reaches the application"
like "$(field conf.spark.authenticate.secret "$out")" '^[0-9a-f]{64}$' "the app has a per-step secret"
secret=$(field conf.spark.authenticate.secret "$out")
no_leftovers "no JVM, helper or scratch left after the job"
! grep -rqs "$secret" "$LAB_DIR/logs" "$LAB_DIR/log"
ok $? "the secret is in no log"

# A word count with a known answer; --spark-py-files ships the splitter.
words=$LAB_HOME/words.txt
for i in $(seq 1 300); do
	echo "spark slurm munge $((i % 7)) $((i % 3)) spark"
done >"$words"
chown "$LAB_USER" "$words"
want=$(tr -s ' ' '\n' <"$words" | sed '/^$/d' | sort | uniq -c | awk '{print $2, $1}')
got=$(lab login srun -N3 --spark-mode=cluster --spark-name=lab-wordcount \
	--spark-py-files=wcutil.py wordcount.py "$words" | LC_ALL=C sort)
is "$got" "$(LC_ALL=C sort <<<"$want")" "word count equals the known answer"
no_leftovers "no JVM, helper or scratch left after the word count"

# A JVM application compiled here against Spark's jars.
spark_home=$("$SPARK_VENV/bin/python3" -c 'import pyspark,os;print(os.path.dirname(pyspark.__file__))')
build=$(mktemp -d)
if javac -d "$build" -cp "$spark_home/jars/*" "$LAB_SRC/tests/apps/SumApp.java" &&
	jar cf "$LAB_HOME/sumapp.jar" -C "$build" . && chown "$LAB_USER" "$LAB_HOME/sumapp.jar"; then
	ok 0 "SumApp.java compiles against Spark's jars"
else
	ok 1 "SumApp.java compiles against Spark's jars"
fi
rm -rf "$build"
out=$(lab login srun -N2 --spark-mode=cluster --spark-class=SumApp sumapp.jar 100)
is "$?" 0 "a jar with --spark-class runs"
is "$(field sum "$out")" 5050 "...and computes on the executors"
is "$(field driver "$out")" node1 "...with its driver on node1"
no_leftovers "no JVM, helper or scratch left after the jar"

# A command that is spark-submit itself is completed, not replaced.
out=$(lab login srun -N2 --spark-mode=cluster spark-submit --class SumApp sumapp.jar 10)
is "$(field sum "$out")" 55 "srun --spark-mode=cluster spark-submit --class ... works"
no_leftovers "no JVM, helper or scratch left after spark-submit"
# Spark reads one properties file: the user's own would replace the step's
# (its secret among them).
out=$(lab login srun -N2 --spark-mode=cluster spark-submit --verbose --properties-file /dev/null --class SumApp sumapp.jar 10 2>&1)
isnt "$?" 0 "spark-submit --properties-file: the step fails"
like "$out" "give the file with --spark-properties-file instead" "...saying what to use instead"
no_leftovers "no JVM, helper or scratch left after that refusal"

# Every other option takes effect.
echo hello >"$LAB_HOME/data.txt"
printf 'spark.lab.fromfile yes\nspark.lab.both fromfile\n' >"$LAB_HOME/props.conf"
chown "$LAB_USER" "$LAB_HOME/data.txt" "$LAB_HOME/props.conf"
rm -rf "$LAB_HOME/sparklogs"
# --mem: the driver's node holds its heap and overhead (the fit check).
out=$(lab login srun -N2 --mem=2G --spark-mode=cluster --spark-name=optcheck \
	--spark-jars=sumapp.jar --spark-files=data.txt --spark-properties-file=props.conf \
	--spark-conf=spark.lab.both=fromconf \
	--spark-executor-memory=600m --spark-executor-cores=1 --spark-driver-memory=700m \
	--spark-encryption=on --spark-log-dir='sparklogs/%j' \
	options.py spark.app.name spark.jars spark.executor.memory spark.executor.cores \
	spark.driver.memory spark.lab.fromfile spark.lab.both spark.network.crypto.enabled spark.io.encryption.enabled)
is "$(field conf.spark.app.name "$out")" optcheck "--spark-name names the application"
like "$(field conf.spark.jars "$out")" 'sumapp\.jar$' "--spark-jars reaches Spark"
is "$(field files "$out")" hello "--spark-files: every executor reads its copy"
is "$(field conf.spark.lab.fromfile "$out")" yes "--spark-properties-file is read"
is "$(field conf.spark.lab.both "$out")" fromconf \
	"a --spark-conf pair wins over the same key in --spark-properties-file"
is "$(field conf.spark.executor.memory "$out")/$(field conf.spark.executor.cores "$out")" 600m/1 \
	"--spark-executor-memory and --spark-executor-cores"
is "$(field conf.spark.driver.memory "$out")" 700m "--spark-driver-memory"
is "$(field conf.spark.network.crypto.enabled "$out")/$(field conf.spark.io.encryption.enabled "$out")" \
	true/true "--spark-encryption=on turns on RPC and I/O encryption (and the job still runs)"
ls "$LAB_HOME"/sparklogs/*/driver.log >/dev/null 2>&1
ok $? "--spark-log-dir: the step's logs are kept there"
no_leftovers "no JVM, helper or scratch left after the options job"

# Executors per node, and the driver's node running executors too.
out=$(lab login srun -N2 -c2 --mem=2G --spark-mode=cluster --spark-driver-executor \
	--spark-executors-per-node=2 options.py)
is "$(field executor.count "$out")" 4 "-c2 --spark-executors-per-node=2 on 2 nodes: 4 executors"
is "$(field hosts "$out")" node1,node2 "--spark-driver-executor: node1 runs executors too"
no_leftovers "no JVM, helper or scratch left after the executors-per-node job"

# A lost executor node: Spark reschedules its tasks, the helper reports the
# loss, and the other nodes' parts of the step go on (Slurm still reports
# the killed task in srun's status).
log=$(mktemp)
lost_job=$(next_job_id)
lab login srun -N3 --spark-mode=cluster slowjob.py >"$log" 2>&1 &
job_pid=$!
deadline=$((SECONDS + 120))
until grep -q '^started' "$log" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
pkill -KILL -u "$LAB_USER" -f 'spank-spark-helper executor .*--node-index=2'
ok $? "the executor-side helper of node3 was SIGKILLed"
wait $job_pid
out=$(cat "$log")
is "$(field result "$out")" 1770 "the application still gets the right answer" || diag "$out"
like "$out" "lost the executor on node3; Spark reschedules its tasks" "...and the loss is reported"
rm -f "$log"
no_leftovers "no JVM, helper or scratch left after losing an executor"
assert_nothing_left "$lost_job"

# While a step runs: one driver JVM and two executor JVMs, no Master or
# Worker; each executor a child of the helper under that step's slurmstepd
# on its own node (same UTS namespace: the lab's nodes share one process
# table).  scancel ends every JVM.
# The executors' own settings (spark.executor.extraJavaOptions from
# --spark-conf, extraLibraryPath from the properties file) reach their JVMs.
log=$(mktemp)
printf 'spark.executor.extraLibraryPath /opt/lab-native\n' >"$LAB_HOME/exec.conf"
chown "$LAB_USER" "$LAB_HOME/exec.conf"
lab login srun -N3 --spark-mode=cluster --spark-properties-file=exec.conf \
	--spark-conf='spark.executor.extraJavaOptions=-Dmark=lab-{{EXECUTOR_ID}} -Dother=x' \
	sleeper.py >"$log" 2>&1 &
job_pid=$!
deadline=$((SECONDS + 120))
until grep -q '^started' "$log" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
jobid=$(lab login squeue -h -u "$LAB_USER" -o %i | head -n1)
is "$(pgrep -c -f 'deploy\.master\.Master|deploy\.worker\.Worker')" 0 \
	"no Standalone Master or Worker on any host"
is "$(pgrep -c -u "$LAB_USER" -f 'org\.apache\.spark\.deploy\.SparkSubmit')" 1 "exactly one driver JVM"
execs=$(pgrep -u "$LAB_USER" -f 'org\.spankspark\.ExecutorLauncher')
is "$(wc -w <<<"$execs")" 2 "exactly two executor JVMs"
for e in $execs; do
	id=$(tr '\0' '\n' <"/proc/$e/cmdline" | sed -n '/^--executor-id$/{n;p}')
	tr '\0' '\n' <"/proc/$e/cmdline" | grep -qx -- "-Dmark=lab-$id"
	ok $? "executor $id's JVM has spark.executor.extraJavaOptions' -Dmark=lab-$id on its command line"
	tr '\0' '\n' <"/proc/$e/environ" | grep -q '^LD_LIBRARY_PATH=/opt/lab-native\(:\|$\)'
	ok $? "...and the properties file's extraLibraryPath first in its LD_LIBRARY_PATH"
done
under_step() { # pid: the slurmstepd of step $jobid.0 on the same node is an ancestor
	local pid=$1 uts
	uts=$(readlink "/proc/$pid/ns/uts")
	while pid=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [ "${pid:-0}" -gt 1 ]; do
		if [ "$(cat "/proc/$pid/comm")" = slurmstepd ]; then
			tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "\[$jobid\.0\]" &&
				[ "$(readlink "/proc/$pid/ns/uts")" = "$uts" ]
			return
		fi
	done
	return 1
}
for e in $execs; do
	under_step "$e"
	ok $? "executor $e descends from step $jobid.0's slurmstepd on its own node"
done
# The site's class cache (lab-up makes it, as an admin would): every JVM of
# the step maps its archive.
cache=$LAB_CLASS_CACHE/spark.jsa
driver=$(pgrep -u "$LAB_USER" -f 'org\.apache\.spark\.deploy\.SparkSubmit')
mapped=0
for p in $driver $execs; do
	grep -qF "$cache" "/proc/$p/maps" && mapped=$((mapped + 1))
done
is "$mapped" 3 "the driver and both executors map the class cache's archive"
lab login scancel "$jobid"
wait $job_pid
no_leftovers "scancel: no JVM, helper or scratch left within 20 s" 20
! grep -E 'lost executor|lost the executor' "$log"
ok $? "scancel, an ending the user asked for, reports no lost executor" || diag "$(cat "$log")"
assert_nothing_left "$jobid"
rm -f "$log" "$LAB_HOME/exec.conf"

# A class path of the user's: the executors run without the class cache.
out=$(lab login srun -N2 --spark-mode=cluster \
	--spark-conf=spark.executor.extraClassPath=/opt/lab-none.jar placement.py 2>&1)
is "$?" 0 "spark.executor.extraClassPath: the step runs (without the class cache)" || diag "$out"
out=$(lab login srun -N2 --spark-mode=cluster \
	--spark-conf=spark.executor.extraJavaOptions=-Xmx1g placement.py 2>&1)
isnt "$?" 0 "-Xmx in spark.executor.extraJavaOptions fails the step, as in Spark"
like "$out" "spark-executor-memory" "...saying what to use instead"
no_leftovers "no JVM, helper or scratch left after the executor settings' jobs"

# One node: driver and an executor share it (the one the scheduler picks:
# the previous job's node may still be completing).
out=$(lab login srun -N1 -w node1 --spark-mode=cluster placement.py)
is "$?" 0 "-N1 runs"
is "$(field driver "$out"):$(field executors "$out")" node1:node1 "-N1: driver and executor on node1"
no_leftovers "no JVM, helper or scratch left after -N1"

# Two jobs at once on the same nodes: ports and directories do not clash.
a=$(mktemp) b=$(mktemp)
lab login srun -N2 -w node1,node2 --spark-mode=cluster placement.py 0 >"$a" 2>&1 &
pa=$!
lab login srun -N2 -w node1,node2 --spark-mode=cluster placement.py 5 >"$b" 2>&1 &
pb=$!
wait $pa
is "$?" 0 "first of two simultaneous jobs succeeds"
wait $pb
is "$?" 5 "second of two simultaneous jobs ends with its own status"
is "$(field executors "$(cat "$a")")" node2 "first job's executor on node2" || diag "$(cat "$a")"
is "$(field executors "$(cat "$b")")" node2 "second job's executor on node2" || diag "$(cat "$b")"
rm -f "$a" "$b"
no_leftovers "no JVM, helper or scratch left after two simultaneous jobs"

done_testing
