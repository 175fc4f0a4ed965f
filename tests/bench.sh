#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench: measurements on the lab, printed as medians and ratios; it
# asserts nothing (a failed run is reported and left out of the medians).
#   1. time to first result of tests/apps/first.py: srun --spark-mode=cluster
#      (-N3) and client (-N2), spark-submit --master local[*] in srun -N1,
#      and a scripted unauthenticated standalone bring-up (sbatch -N3);
#   2. JVMs of a cluster-mode step on -N3 at its first result: how many,
#      Master/Worker daemons, each JVM's CPU-seconds so far (issue 19);
#   3. srun -N3 true with the plugin enabled versus disabled;
#   4. rendezvous: K simulated executors registering with one driver-side
#      helper over loopback with real munge, and the helper's peak RSS;
#   5. encryption cost: tests/apps/shuffle.py with --spark-encryption=on/off.
# Runs of different configurations are interleaved (round-robin, starting
# one further each round) so that a change in the machine's load spreads
# over all of them.  Absolute times depend on the machine; compare ratios.
#
# Env: BENCH_RUNS (3) runs per configuration, BENCH_TRUE_RUNS (10) sruns per
# batch in 3, BENCH_EXECUTORS (1000) in 4, BENCH_PAIRS (2000000) in 5,
# BENCH_SECTIONS ("1 2 3 4 5"), BENCH_CONFIGS (section 1's: cluster client
# local local_cache cluster_launcher scripted), BENCH_EXECUTOR_OPTS (none): in section 2,
# variants of spark.executor.extraJavaOptions separated by "|", an empty one
# for the step as it is, interleaved (to try options before building them in).  Takes the lab's lock and brings the lab down
# at the end; SPANK_SPARK_LAB_LOCKED=1 if the caller already holds the lock.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=tests/lab/lab.conf disable=SC1091
. tests/lab/lab.conf
RUNS=${BENCH_RUNS:-3}
TRUE_RUNS=${BENCH_TRUE_RUNS:-10}
K=${BENCH_EXECUTORS:-1000}
PAIRS=${BENCH_PAIRS:-2000000}
SECTIONS=" ${BENCH_SECTIONS:-1 2 3 4 5} "
HZ=$(getconf CLK_TCK)
# No run may hang the bench (nor hold the lab past its slot).
LIMIT=${BENCH_TIMEOUT:-300}
lab() { timeout -k 10 "$LIMIT" tests/lab/lab-exec "$@"; }

if [ "$(id -u)" -ne 0 ]; then
	echo "bench: the lab needs root (network namespaces)" >&2
	exit 1
fi
if [ "${SPANK_SPARK_LAB_LOCKED:-}" != 1 ]; then
	# One lab at a time on a machine (as tests/run-lab-tests.sh).
	exec 9>/var/tmp/spank-spark-lab.lock
	flock 9 || exit 1
fi
W=$(mktemp -d /tmp/spank-spark-bench.XXXXXX)
chmod 0755 "$W"
bg=() # background processes of ours, ended by id
finish() {
	[ ${#bg[@]} -gt 0 ] && kill "${bg[@]}" 2>/dev/null
	tests/lab/lab-down >/dev/null 2>&1
	rm -rf "$W"
}
trap finish EXIT
tests/lab/lab-up >/dev/null || exit 1

home=/home/$LAB_USER
install -o "$LAB_USER" -m 0644 tests/apps/first.py tests/apps/sleeper.py tests/apps/shuffle.py tests/apps/held.py "$home/"
spark_home=$("$SPARK_VENV/bin/python3" -c 'import pyspark,os;print(os.path.dirname(pyspark.__file__))')
python=$SPARK_VENV/bin/python3

now() { echo "${EPOCHREALTIME/,/.}"; }
# Busy jiffies of the whole machine (every namespace shares /proc/stat).
busy() { awk '/^cpu /{print $2 + $3 + $4; exit}' /proc/stat; }
median() { # of the numbers in $1; "nan" if none
	tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR] = $1}
		END {if (!NR) print "nan"; else if (NR % 2) print a[(NR + 1) / 2];
		else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "nan" || b == "nan" || b == 0) print "n/a"; else printf "%.2f", a / b}'; }

declare -A WALL CPU FAILED
# timed KEY PATTERN CMD...: runs CMD once, adds its wall time and the
# machine's busy CPU-seconds meanwhile to KEY's samples if its output has
# PATTERN; reports a failure otherwise.
timed() {
	local key=$1 pattern=$2 t0 c0 t1 c1
	shift 2
	c0=$(busy)
	t0=$(now)
	"$@" >"$W/out" 2>"$W/err"
	t1=$(now)
	c1=$(busy)
	if grep -q -- "$pattern" "$W/out"; then
		WALL[$key]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}') "
		CPU[$key]+="$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" 'BEGIN {printf "%.1f", (b - a) / hz}') "
	else
		FAILED[$key]=$((${FAILED[$key]:-0} + 1))
		echo "  ($key: a run gave no $pattern: $(tail -n 1 "$W/err"))"
		# Someone else's lab-down: nothing more to measure.
		[ -e /run/netns/login ] || {
			echo "bench: the lab went away" >&2
			exit 1
		}
	fi
}
report() { # KEY LABEL
	printf '  %-28s wall %7s s   machine CPU %7s s   (%s run(s) ok, %s failed; wall: %s)\n' \
		"$2" "$(median "${WALL[$1]:-}")" "$(median "${CPU[$1]:-}")" \
		"$(wc -w <<<"${WALL[$1]:-}")" "${FAILED[$1]:-0}" "${WALL[$1]:-}"
}
# keep_timeline MODE: the "timeline +S.SSs WHAT" lines of the last run
# (timed's stderr), kept as "WHAT<TAB>S" in $W/timeline-MODE.
keep_timeline() {
	sed -n 's/^spank-spark: timeline +\([0-9.]*\)s \(.*\)$/\2\t\1/p' "$W/err" \
		>>"$W/timeline-$1"
}
# report_timeline MODE: each milestone's median, in order of that median.
report_timeline() {
	[ -s "$W/timeline-$1" ] || {
		echo "    (no timeline: no run succeeded)"
		return
	}
	sort -t "$(printf '\t')" -k1,1 -k2,2g "$W/timeline-$1" | awk -F '\t' '
		function flush() { if (n) printf "%8.2f  %s (%d runs)\n", (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2), key, n }
		$1 != key { flush(); key = $1; n = 0 }
		{ v[++n] = $2 }
		END { flush() }' | sort -g | sed 's/^/    /'
}
# interleave FUNCTION...: BENCH_RUNS rounds, each calling every FUNCTION
# once, each round starting one further.
interleave() {
	local r i n=$#
	local -a f=("$@")
	for ((r = 0; r < RUNS; r++)); do
		for ((i = 0; i < n; i++)); do "${f[(r + i) % n]}"; done
	done
}

echo "# spank-spark bench $(git describe --always --dirty 2>/dev/null), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# Spark $("$python" -c 'import pyspark; print(pyspark.__version__)'), $(lab login srun --version), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
c0=$(busy)
sleep 5
echo "# background: $(awk -v a="$c0" -v b="$(busy)" -v hz="$HZ" 'BEGIN {printf "%.2f", (b - a) / hz / 5}') busy CPUs over 5 s before the runs"
echo "# machine CPU = busy (user+nice+system) CPU-seconds of the whole machine during a run: other load inflates it"

if [[ $SECTIONS == *" 1 "* ]]; then
	echo "== 1. time to first result of tests/apps/first.py, $RUNS interleaved runs each (medians)"
	# What sites script today: an unauthenticated standalone cluster inside
	# an allocation (master, workers via srun, poll the master, submit).
	cat >"$home/standalone.sh" <<SCRIPT
#!/bin/bash
export SPARK_HOME=$spark_home PYSPARK_PYTHON=$python SPARK_DAEMON_MEMORY=256m
export SPARK_WORKER_DIR=\$HOME/standalone-work-\$SLURM_JOB_ID
master=\$(hostname -I | awk '{print \$1}')
srun -N1 -n1 -w \$(hostname) --overlap \$SPARK_HOME/bin/spark-class org.apache.spark.deploy.master.Master --host \$master --port 7077 --webui-port 8080 >master.log 2>&1 &
srun -N2 -n2 -x \$(hostname) --overlap \$SPARK_HOME/bin/spark-class org.apache.spark.deploy.worker.Worker spark://\$master:7077 >workers.log 2>&1 &
for ((i = 0; i < 120; i++)); do
	[ "\$(grep -c 'Registering worker' master.log)" -ge 2 ] && break
	sleep 1
done
\$SPARK_HOME/bin/spark-submit --master spark://\$master:7077 first.py 2>/dev/null
kill %1 %2; wait
rm -rf "\$SPARK_WORKER_DIR"
SCRIPT
	chown "$LAB_USER" "$home/standalone.sh"
	scripted() {
		local job deadline=$((SECONDS + LIMIT))
		job=$(lab login sbatch --parsable -N3 -o 'standalone-%j.out' standalone.sh) || return
		until lab login scontrol show job -o "$job" | grep -Eq 'JobState=(COMPLETED|FAILED|CANCELLED|TIMEOUT)'; do
			[ "$SECONDS" -lt "$deadline" ] || lab login scancel "$job"
			sleep 0.2
		done
		cat "$home/standalone-$job.out"
		rm -f "$home/standalone-$job.out" "$home/master.log" "$home/workers.log"
	}
	# --spark-verbose: each run's start-up timeline (helper/timeline.h).
	run_cluster() {
		timed cluster result=4950 lab login srun -N3 --spark-mode=cluster --spark-verbose first.py
		keep_timeline cluster
	}
	run_client() {
		timed client result=4950 lab login srun -N2 --spark-mode=client --spark-verbose first.py
		keep_timeline client
	}
	# What a user would otherwise run: Spark alone on one node (no CDS archive).
	run_local() {
		timed local result=4950 lab login srun -N1 env PYSPARK_PYTHON="$python" \
			"$spark_home/bin/spark-submit" --master 'local[*]' first.py
	}
	run_scripted() { timed scripted result=4950 scripted; }
	# The floor (issue 19): local[*] in one JVM with the site's class cache,
	# its class path as the archive's (the cache's empty conf, the jar
	# first, no relative default class path).
	run_local_cache() {
		timed local_cache result=4950 lab login srun -N1 env PYSPARK_PYTHON="$python" \
			SPARK_CONF_DIR="$LAB_CLASS_CACHE/conf" \
			SPARK_SUBMIT_OPTS="-XX:SharedArchiveFile=$LAB_CLASS_CACHE/spark.jsa -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off" \
			"$spark_home/bin/spark-submit" --master 'local[*]' --driver-class-path "$LAB_DIR/lib/spank-spark.jar" \
			--conf spark.driver.defaultExtraClassPath= first.py
	}
	# Cluster mode with the driver started by Spark's launcher JVM, as
	# before issue 19 (SPARK_PRINT_LAUNCH_COMMAND keeps that path).
	run_cluster_launcher() {
		timed cluster_launcher result=4950 lab login env SPARK_PRINT_LAUNCH_COMMAND=1 \
			srun -N3 --spark-mode=cluster first.py
	}
	# BENCH_CONFIGS: which of them (all by default).
	configs=()
	for c in ${BENCH_CONFIGS:-cluster client local local_cache cluster_launcher scripted}; do
		configs+=("run_$c")
	done
	interleave "${configs[@]}"
	report cluster "srun -N3 --spark-mode=cluster"
	report cluster_launcher "  ...driver via the launcher"
	report client "srun -N2 --spark-mode=client"
	report local "srun -N1 spark-submit local[*]"
	report local_cache "  ...with the class cache"
	report scripted "scripted standalone (-N3)"
	for p in cluster/local client/local cluster/local_cache client/local_cache \
		cluster_launcher/cluster cluster/scripted scripted/cluster; do
		a=${p%/*} b=${p#*/}
		printf '  %-26s wall %5s   machine CPU %5s\n' "$p" \
			"$(ratio "$(median "${WALL[$a]:-}")" "$(median "${WALL[$b]:-}")")" \
			"$(ratio "$(median "${CPU[$a]:-}")" "$(median "${CPU[$b]:-}")")"
	done
	echo "  (issue 9 asks: scripted/cluster >= 2, cluster/local <= 1.3; issue 19: cluster/local <= 1.1,"
	echo "   cluster/local_cache <= 1.35 wall and <= 1.6 machine CPU)"
	for mode in cluster client; do
		echo "  start-up timeline of $mode mode, seconds since srun started (median of each milestone):"
		report_timeline "$mode"
	done
fi

if [[ $SECTIONS == *" 2 "* ]]; then
	# Variants of spark.executor.extraJavaOptions, interleaved: "" is the
	# step as it is.
	IFS='|' read -r -a variants <<<"${BENCH_EXECUTOR_OPTS:-}"
	[ ${#variants[@]} -gt 0 ] || variants=("")
	echo "== 2. JVMs of srun -N3 --spark-mode=cluster tests/apps/held.py at its first result (first.py's small job), $RUNS interleaved runs each (medians)"
	# CPU-seconds (user+system) of a process so far.
	cpu_of() { awk -v hz="$HZ" '{sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / hz}' "/proc/$1/stat" 2>/dev/null; }
	declare -A EXEC_CPU=() DRIVER_CPU=()
	held() { # VARIANT-INDEX
		local v=${variants[$1]} p deadline conf=()
		[ -z "$v" ] || conf=("--spark-conf=spark.executor.extraJavaOptions=$v")
		lab login srun -J bench-held -N3 --spark-mode=cluster "${conf[@]}" held.py >"$W/held" 2>&1 &
		bg+=($!)
		deadline=$((SECONDS + 180))
		until grep -q '^result=4950' "$W/held" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.2; done
		if grep -q '^result=4950' "$W/held"; then
			# The lab's hosts share this process table; only our step runs.
			for p in $(pgrep -u "$LAB_USER" java); do
				if grep -q 'org\.apache\.spark\.deploy\.SparkSubmit' "/proc/$p/cmdline" 2>/dev/null; then
					DRIVER_CPU[$1]+="$(cpu_of "$p") "
				else
					EXEC_CPU[$1]+="$(cpu_of "$p") "
				fi
			done
			if [ -z "${jvms_said:-}" ]; then
				jvms_said=1
				mapped=0
				for p in $(pgrep -u "$LAB_USER" java); do
					grep -qF "$LAB_CLASS_CACHE/spark.jsa" "/proc/$p/maps" 2>/dev/null && mapped=$((mapped + 1))
				done
				echo "  JVMs per step: $(pgrep -u "$LAB_USER" -c java) (of which map the site's class cache: $mapped)," \
					"Master/Worker: $(pgrep -c -f 'org\.apache\.spark\.deploy\.(master\.Master|worker\.Worker)')"
			fi
		else
			echo "  (no result=4950: $(tail -n 1 "$W/held"))"
		fi
		lab login scancel -n bench-held
		wait "${bg[-1]}" 2>/dev/null
		unset 'bg[-1]'
	}
	fns=()
	for i in "${!variants[@]}"; do
		eval "held_$i() { held $i; }"
		fns+=("held_$i")
	done
	interleave "${fns[@]}"
	for i in "${!variants[@]}"; do
		printf '  executor extraJavaOptions "%s": CPU-s per executor JVM %s (%s), driver JVM %s (%s)\n' \
			"${variants[$i]}" "$(median "${EXEC_CPU[$i]:-}")" "${EXEC_CPU[$i]:-}" \
			"$(median "${DRIVER_CPU[$i]:-}")" "${DRIVER_CPU[$i]:-}"
	done
	echo "  (issue 19 asks: an executor JVM's CPU-s up to the first small job's end <= 2.5)"
fi

if [[ $SECTIONS == *" 3 "* ]]; then
	echo "== 3. srun -N3 true, plugin enabled vs disabled: $RUNS interleaved batches of $TRUE_RUNS (medians)"
	batch() { # KEY: TRUE_RUNS sruns, seconds per srun
		local t0 i
		t0=$(now)
		for ((i = 0; i < TRUE_RUNS; i++)); do lab login srun -Q -N3 true; done
		WALL[$1]+="$(awk -v a="$t0" -v b="$(now)" -v n="$TRUE_RUNS" 'BEGIN {printf "%.3f", (b - a) / n}') "
	}
	for ((r = 0; r < RUNS; r++)); do
		# Slurm reads plugstack.conf afresh for every step: lab-up swaps it.
		tests/lab/lab-up >/dev/null && batch true_on
		LAB_PLUGSTACK=none tests/lab/lab-up >/dev/null && batch true_off
	done
	tests/lab/lab-up >/dev/null
	on=$(median "${WALL[true_on]:-}") off=$(median "${WALL[true_off]:-}")
	printf '  enabled %s s/srun (batches: %s), disabled %s s/srun (batches: %s): ratio %s\n' \
		"$on" "${WALL[true_on]:-}" "$off" "${WALL[true_off]:-}" "$(ratio "$on" "$off")"
fi

if [[ $SECTIONS == *" 4 "* ]]; then
	echo "== 4. rendezvous: $K simulated executors, one driver-side helper, loopback, real munge"
	tool=$LAB_DIR/lib/rdvtool
	install -m 0755 tests/tools/rdvtool "$tool"
	site=(ports=31000-31999 "munge_socket=$LAB_DIR/munge/munge.socket.2" startup_timeout=600)
	out=$W/rdv-server rss=$W/rdv-rss
	: >"$out"
	: >"$rss"
	chmod 0666 "$out" "$rss" # /usr/bin/time writes as the lab user
	# The client holds its K connections open, the server one each.
	lab node1 bash -c "ulimit -n $((K + 64)); SLURM_SPANK_SPARK_RENDEZVOUS=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ') exec /usr/bin/time -f %M -o $rss $tool server --job=990001 --step=0 --count=$K ${site[*]}" >"$out" 2>/dev/null &
	server=$!
	bg+=("$server")
	deadline=$((SECONDS + 30))
	until grep -q '^listening' "$out" || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.1; done
	port=$(sed -n 's/^listening on port //p' "$out")
	# Sequential registrations: within the server's cap on unauthenticated
	# connections (64 in all, 8 per source address).
	client=$(lab node1 bash -c "ulimit -n $((K + 64)); exec $tool client --job=990001 --step=0 --count=$K --port=$port ${site[*]}" 2>&1)
	wait "$server"
	unset 'bg[-1]'
	reg_ms=$(sed -n 's/^registered.*, in \([0-9]*\) ms$/\1/p' "$out")
	printf '  server: %s\n  client: %s\n' "$(grep '^registered' "$out")" "$(tail -n 1 <<<"$client")"
	[ -n "$reg_ms" ] && printf '  per registration: %s ms (munge decode, JSON, answer)\n' "$(ratio "$reg_ms" "$K")"
	printf '  helper-side peak RSS with %s peers: %s KiB\n' "$K" "$(cat "$rss" 2>/dev/null)"
fi

if [[ $SECTIONS == *" 5 "* ]]; then
	echo "== 5. encryption cost: srun -N3 --spark-mode=cluster shuffle.py ($PAIRS pairs, groupByKey, 16 partitions), $RUNS interleaved runs (medians)"
	sum=$(awk -v n="$PAIRS" 'BEGIN {printf "%.0f", n * (n - 1) / 2}') # %d overflows in mawk
	run_enc_on() { timed enc_on "checksum=$sum " lab login srun -N3 --spark-mode=cluster --spark-encryption=on shuffle.py "$PAIRS"; }
	run_enc_off() { timed enc_off "checksum=$sum " lab login srun -N3 --spark-mode=cluster --spark-encryption=off shuffle.py "$PAIRS"; }
	interleave run_enc_on run_enc_off
	report enc_on "--spark-encryption=on"
	report enc_off "--spark-encryption=off"
	printf '  on/off: wall %s   machine CPU %s\n' \
		"$(ratio "$(median "${WALL[enc_on]:-}")" "$(median "${WALL[enc_off]:-}")")" \
		"$(ratio "$(median "${CPU[enc_on]:-}")" "$(median "${CPU[enc_off]:-}")")"
fi
echo "# done $(date -u '+%H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
