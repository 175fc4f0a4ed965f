#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench: measurements on the lab, one run each, printed as ratios
# (absolute times vary with the machine; the ratios are what to compare).
#   1. time to first result of a trivial app: srun --spark-mode=cluster and
#      client versus spark-submit --master local[*] on one node, and versus a
#      scripted standalone bring-up (master, workers via srun, poll, submit);
#   2. srun -N3 true with the plugin enabled versus disabled;
#   3. rendezvous: K simulated executors registering with one driver-side
#      helper over loopback with real munge;
#   4. peak RSS of the helper.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/lab/lab.conf disable=SC1091
. tests/lab/lab.conf
lab() { tests/lab/lab-exec "$@"; }
K=${BENCH_EXECUTORS:-1000}
TRUE_RUNS=${BENCH_TRUE_RUNS:-20}

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }
ratio() { echo "scale=2; $1 / $2" | bc; }

tests/lab/lab-up >/dev/null
install -o "$LAB_USER" -m 0644 tests/apps/first.py "/home/$LAB_USER/"
spark_home=$("$SPARK_VENV/bin/python3" -c 'import pyspark,os;print(os.path.dirname(pyspark.__file__))')
python=$SPARK_VENV/bin/python3

echo "== 1. time to first result of a trivial application"
t=$(now)
lab login srun -N1 env PYSPARK_PYTHON="$python" "$spark_home/bin/spark-submit" \
	--master 'local[*]' first.py 2>/dev/null | grep -q result=4950
local_s=$(elapsed "$t")
t=$(now)
lab login srun -N3 --spark-mode=cluster first.py 2>/dev/null | grep -q result=4950
cluster_s=$(elapsed "$t")
t=$(now)
lab login srun -N2 --spark-mode=client first.py 2>/dev/null | grep -q result=4950
client_s=$(elapsed "$t")
# What sites script today: an unauthenticated standalone cluster inside an
# allocation (master, workers via srun, poll the master, submit, tear down).
cat >"/home/$LAB_USER/standalone.sh" <<SCRIPT
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
chown "$LAB_USER" "/home/$LAB_USER/standalone.sh"
t=$(now)
job=$(lab login sbatch --parsable -N3 -o 'standalone-%j.out' standalone.sh)
until lab login scontrol show job -o "$job" | grep -Eq 'JobState=(COMPLETED|FAILED|CANCELLED|TIMEOUT)'; do
	sleep 0.2
done
scripted_s=$(elapsed "$t")
grep -q result=4950 "/home/$LAB_USER/standalone-$job.out" || echo "  (scripted standalone run gave no result)"
rm -f "/home/$LAB_USER/standalone-$job.out" "/home/$LAB_USER/master.log" "/home/$LAB_USER/workers.log"
printf '  local[*] on one node      %6.1f s  1.00\n' "$local_s"
printf '  srun --spark-mode=cluster %6.1f s  %s x local\n' "$cluster_s" "$(ratio "$cluster_s" "$local_s")"
printf '  srun --spark-mode=client  %6.1f s  %s x local\n' "$client_s" "$(ratio "$client_s" "$local_s")"
printf '  scripted standalone       %6.1f s  %s x local (cluster mode: %s x scripted)\n' \
	"$scripted_s" "$(ratio "$scripted_s" "$local_s")" "$(ratio "$cluster_s" "$scripted_s")"

echo "== 2. srun -N3 true, $TRUE_RUNS runs, plugin enabled vs disabled"
run_true() {
	local t i
	t=$(now)
	for ((i = 0; i < TRUE_RUNS; i++)); do lab login srun -Q -N3 true; done
	elapsed "$t"
}
on_s=$(run_true)
LAB_PLUGSTACK=none tests/lab/lab-up >/dev/null
off_s=$(run_true)
tests/lab/lab-up >/dev/null
printf '  enabled %.3f s/run, disabled %.3f s/run: ratio %s\n' \
	"$(echo "$on_s / $TRUE_RUNS" | bc -l)" "$(echo "$off_s / $TRUE_RUNS" | bc -l)" \
	"$(ratio "$on_s" "$off_s")"

echo "== 3. rendezvous: $K simulated executors, one driver-side helper, loopback, real munge"
helper=$LAB_DIR/lib/spank-spark-helper
site=(ports=31000-31999 "munge_socket=$LAB_DIR/munge/munge.socket.2" startup_timeout=600)
out=$(mktemp) rss=$(mktemp)
chmod 0666 "$out" "$rss"
lab node1 bash -c "ulimit -n $((K + 64)); exec /usr/bin/time -f %M -o $rss $helper rendezvous-server --job=990001 --step=0 --count=$K ${site[*]}" >"$out" 2>/dev/null &
server=$!
until grep -q '^listening' "$out"; do sleep 0.1; done
client=$(lab node1 bash -c "ulimit -n $((K + 64)); exec $helper rendezvous-client --job=990001 --step=0 --count=$K ${site[*]}" 2>&1)
wait $server
reg_ms=$(sed -n 's/.*, in \([0-9]*\) ms$/\1/p' "$out")
printf '  %s\n  %s\n' "$(grep registered "$out")" "$(tail -n1 <<<"$client")"
printf '  per registration: %s ms (munge decode, JSON, answer)\n' "$(echo "scale=3; $reg_ms / $K" | bc)"
echo "== 4. peak RSS of the helper"
printf '  rendezvous server with %s peers: %s KiB\n' "$K" "$(cat "$rss")"
rm -f "$out" "$rss"
