#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Brings the lab up, runs every lab test with prove, brings the lab down
# (also when a test fails) and exits non-zero on any failure.
#   [LAB_SLURM=22.05|24.11] tests/run-lab-tests.sh [tests/lab/t/20-cluster.t ...]
# LAB_SLURM picks the lab's Slurm (default 22.05, Debian's; 24.11 needs
# make deps and make lab-plugin LAB_SLURM=24.11).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

if [ "$(id -u)" -ne 0 ]; then
	echo "run-lab-tests: the lab needs root (network namespaces)" >&2
	exit 1
fi
export LAB_SLURM=${LAB_SLURM:-22.05}
# One lab at a time on a machine: wait for whoever has it (the lab's
# daemons never inherit the lock: lab-up closes descriptor 9 for them).
exec 9>/var/tmp/spank-spark-lab.lock
flock 9
echo "run-lab-tests: Slurm $LAB_SLURM, Spark ${LAB_SPARK:-4.0}"
tests/lab/lab-up || exit 1
finish() {
	local rc=$?
	if [ "$rc" -ne 0 ]; then
		# What CI shows is all there is to debug with.
		for f in /var/tmp/spank-spark-lab/log/slurm*.log; do
			[ -e "$f" ] && echo "=== tail $f" && tail -n 25 "$f"
		done
	fi
	tests/lab/lab-down >/dev/null 2>&1
	exit "$rc"
}
trap finish EXIT
if [ $# -eq 0 ]; then
	set -- tests/lab/t/*.t
fi
prove -v --timer "$@"
