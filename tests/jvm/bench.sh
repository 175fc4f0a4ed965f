#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Wall and CPU time of tests/jvm/sum.py: spark-submit --master local[2]
# versus --master spark-slurm:// with two ExecutorLauncher JVMs started at
# the same moment (what the helper will do), on 127.0.0.1, authenticated.
# One run each unless RUNS=n (interleaved). CPU counts every process
# (driver, Python workers, executors). SPARK_HOME and JAR as for run.sh.
# shellcheck disable=SC2317 # functions called through time and the trap
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

SPARK_HOME=${SPARK_HOME:-$(/opt/spank-spark/venv/bin/python3 -c \
	'import pyspark, os; print(os.path.dirname(pyspark.__file__))' 2>/dev/null || echo /opt/spark)}
JAR=$(realpath "${JAR:-jvm/spank-spark.jar}")
PY=${PYSPARK_PYTHON:-$(realpath "$SPARK_HOME/../../../../bin/python3" 2>/dev/null || echo python3)}
export SPARK_HOME PYSPARK_PYTHON=$PY SPARK_LOCAL_IP=127.0.0.1
RUNS=${RUNS:-1}

W=$(mktemp -d /tmp/spank-spark-jvmbench.XXXXXX)
pids=() # this run's executor JVMs, ended by id on exit
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$W"' EXIT
umask 077
secret=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
conf() { # spark.conf for one run; $1: base port
	cat <<CONF
spark.authenticate=true
spark.authenticate.secret=$secret
spark.slurm.appId=spank-bench-$$-$1
spark.slurm.executors=2
spark.driver.host=127.0.0.1
spark.driver.bindAddress=127.0.0.1
spark.driver.port=$1
spark.blockManager.port=$(($1 + 20))
spark.ui.port=$(($1 + 40))
spark.ui.showConsoleProgress=false
spark.driver.memory=512m
spark.executor.memory=512m
CONF
}

local_run() {
	conf "$1" >"$W/spark.conf"
	"$SPARK_HOME/bin/spark-submit" --master 'local[2]' --properties-file "$W/spark.conf" \
		tests/jvm/sum.py >"$W/out" 2>"$W/log"
}

feed_url() {
	local i line host port
	for ((i = 0; i < 1200; i++)); do
		line=$(grep -m1 '^driver ' "$W/events.log" 2>/dev/null) && break
		sleep 0.05
	done
	[ -n "${line:-}" ] || return
	read -r _ host port <<<"$line"
	echo "spark://CoarseGrainedScheduler@$host:$port"
}

slurm_run() {
	local e evw
	pids=()
	conf "$1" >"$W/spark.conf"
	rm -f "$W/events.fifo" "$W/events.log"
	mkfifo "$W/events.fifo"
	cat "$W/events.fifo" >"$W/events.log" &
	for e in 1 2; do
		_SPARK_AUTH_SECRET=$secret java "@$JAR.args" -Xmx512m -cp "$SPARK_HOME/jars/*:$JAR" \
			-Dspark.authenticate=true org.spankspark.ExecutorLauncher --executor-id "$e" \
			--hostname 127.0.0.1 --cores 1 \
			< <(echo "spank-bench-$$-$1"; feed_url) >/dev/null 2>"$W/exec$e.log" &
		pids+=($!)
	done
	exec {evw}>"$W/events.fifo"
	SPANK_SPARK_EVENT_FD=$evw "$SPARK_HOME/bin/spark-submit" --master spark-slurm://bench \
		--properties-file "$W/spark.conf" --driver-class-path "$JAR" \
		tests/jvm/sum.py >"$W/out" 2>"$W/log"
	exec {evw}>&-
	wait "${pids[@]}" # executors stop when the driver does
	wait
}

measure() { # name, function, port: prints name, wall, CPU; checks the answer
	local t
	t=$( { TIMEFORMAT='%R %U %S'; time "$2" "$3"; } 2>&1 >/dev/null | tail -n 1)
	if [ "$(cat "$W/out")" != $'sum=499500\nshuffle=499500' ]; then
		echo "$1: wrong answer; log: $(tail -n 3 "$W/log")" >&2
		return 1
	fi
	read -r wall user sys <<<"$t"
	printf '%-28s wall %6.2f s   CPU %6.2f s (user %.2f + sys %.2f)\n' "$1" "$wall" \
		"$(echo "$user + $sys" | bc)" "$user" "$sys"
}

echo "# $(basename "$(ls "$SPARK_HOME"/jars/spark-core_*.jar)" .jar), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 0; r < RUNS; r++)); do
	base=$((40000 + RANDOM % 20000))
	measure "local[2]" local_run "$base" || exit 1
	measure "spark-slurm + 2 executors" slurm_run "$((base + 100))" || exit 1
done
