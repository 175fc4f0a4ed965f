#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: on the running lab, as the lab user types them on the login
# host: the smallest Spark step first (one node, its first result in
# seconds), then three nodes in cluster mode, a word count, client mode.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/lab/lab.conf disable=SC1091
. tests/lab/lab.conf
lab() { tests/lab/lab-exec "$@"; }

install -o "$LAB_USER" -m 0644 tests/apps/*.py "/home/$LAB_USER/"
for i in $(seq 1 100); do echo "to be or not to be $((i % 4))"; done >"/home/$LAB_USER/demo.txt"
chown "$LAB_USER" "/home/$LAB_USER/demo.txt"

show() {
	echo
	echo "login\$ $*"
	lab login "$@"
}

echo "== spank-spark demo: Slurm $(lab login srun --version | cut -d' ' -f2), lab nodes: $(lab login sinfo -h -o %N)"
show srun -N1 --spark-mode=cluster first.py
show srun -N3 --spark-mode=cluster placement.py
show srun -N3 --spark-mode=cluster --spark-py-files=wcutil.py wordcount.py demo.txt
show srun -N2 --spark-mode=client placement.py
echo
echo "== logs: $LAB_DIR/logs/$LAB_USER/<job id>; lab down with: make lab-down"
