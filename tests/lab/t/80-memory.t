#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Memory enforced by Slurm (the 24.11 lab: task/cgroup, ConstrainRAMSpace=
# yes): a process of a step that goes past the step's --mem on a node is
# killed by the kernel, and the step says so in one line naming the
# process, the node, the limit and --mem, instead of a bare lost executor
# or dead driver.  Skipped where the lab does not enforce memory (22.05).
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
grep -qx 'ConstrainRAMSpace=yes' "$LAB_DIR/etc/cgroup.conf" 2>/dev/null ||
	skip_all "this lab does not enforce memory (Slurm 24.11 with cgroup v1 does)"
install_apps

count() { grep -c "$1" <<<"$2"; }

# An executor's Python worker fills 1500 MiB in a step of 1200 MiB a node.
out=$(lab login srun -N2 --mem=1200M --spark-mode=cluster \
	--spark-conf=spark.task.maxFailures=1 memhog.py executor 1500 2>&1)
isnt "$?" 0 "a step whose Python worker goes past --mem fails"
line=$(grep "killed by Slurm's memory limit" <<<"$out")
is "$(count "killed by Slurm's memory limit" "$out")" 1 "...and says so in one line" || diag "$out"
like "$line" "Python worker .* on node2 .*1200 MiB for this step on node2" \
	"...naming the Python worker, the node and the limit"
like "$line" "--mem" "...and --mem"
no_leftovers "nothing left after the executor side's kill"

# The driver's Python fills 1500 MiB after a first job.
out=$(lab login srun -N2 --mem=1200M --spark-mode=cluster memhog.py driver 1500 2>&1)
isnt "$?" 0 "a step whose driver goes past --mem fails"
like "$out" "first=4950" "...after the first job's result"
line=$(grep "killed by Slurm's memory limit" <<<"$out")
is "$(count "killed by Slurm's memory limit" "$out")" 1 "...and says so in one line" || diag "$out"
like "$line" "the driver on node1 .*1200 MiB for this step on node1.*--mem" \
	"...naming the driver, node1, the limit and --mem"
no_leftovers "nothing left after the driver's kill"

# Within its memory a step says nothing of the kind.
out=$(lab login srun -N2 --mem=1200M --spark-mode=cluster memhog.py executor 50 2>&1)
is "$?" 0 "a step within its memory succeeds"
is "$(count "memory limit" "$out")" 0 "...and says nothing about the limit"

done_testing
