#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The lab's Slurm version (22.05 or 24.11, LAB_SLURM) and what differs
# between them: the helper runs through Slurm's own task setup on both
# (TaskProlog, TMPDIR, propagated limits), placement in cluster mode,
# options with --export=NONE, a node's extra tasks, and a helper that
# cannot start (srun's own callback fails on 23.11+, the tasks on 22.05).
# Part of the core subset run on every Slurm version (make check).
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps
install -o "$LAB_USER" -m 0644 "$LAB_SRC/tests/apps/taskprolog.py" "$LAB_HOME/"

version=$(lab_slurm_current)
like "$(lab login srun --version)" "^slurm(-wlm)? $version\\." "srun on login is Slurm $version"
like "$(lab login scontrol show config | grep '^TaskProlog ')" "= $LAB_DIR/etc/taskprolog\$" \
	"the lab configures a TaskProlog"
is "$(lab login srun -N3 printenv SPANK_SPARK_LAB_TASKPROLOG | tr '\n' ' ')" "1 1 1 " \
	"a plain step's tasks see the TaskProlog's variable"

# Cluster mode: driver on node1, executors on node2,node3, and every one
# went through Slurm's task setup: the TaskProlog's variable, the TMPDIR
# slurmstepd made for the node, the soft limit srun propagated.
job=$(next_job_id)
out=$(lab login bash -c 'ulimit -Sc 7 && exec srun -N3 --spark-mode=cluster taskprolog.py')
is "$?" 0 "srun -N3 --spark-mode=cluster taskprolog.py succeeds"
is "$(field driver "$out")" node1 "the driver runs on node1"
is "$(field executors "$out")" node2,node3 "executors run on node2 and node3"
is "$(field driver.taskprolog "$out")" 1 "the driver sees the TaskProlog's variable"
is "$(field executors.taskprolog "$out")" 1 "executor-side Python sees it on every executor"
is "$(field driver.tmpdir "$out")" "$job.0.node1" "the driver's TMPDIR is node1's, made by slurmstepd"
is "$(field executors.tmpdir "$out")" "$job.0.node2,$job.0.node3" "...and each executor's its node's"
is "$(field driver.core "$out")" 7168 "the driver has the core size limit srun propagated"
is "$(field executors.core "$out")" 7168 "...and so have the executors"
[ -n "$out" ] || diag "no output; logs in $LAB_DIR/logs"
no_leftovers "no JVM, helper or scratch left after the job"

# Options reach slurmstepd even when the job's environment does not
# (--export=NONE): the step is a Spark step on every node.
out=$(lab login srun --export=NONE -N2 --spark-mode=cluster nonexistent.py 2>&1)
is "$?" 2 "--export=NONE: still a Spark step (missing application: status 2)"
like "$out" "cannot read the application nonexistent.py" "...saying why"

# Every task of a node runs the helper; only the first does anything.
out=$(lab login srun -l -N1 -n3 --spark-mode=cluster nonexistent.py 2>&1)
is "$?" 2 "three tasks on one node: the step's status is the helper's"
is "$(grep -c 'cannot read the application' <<<"$out")" 1 "...which only the node's first task ran"

# A helper that cannot run: srun fails with a message naming it on every
# version (23.11+: srun's own client-mode callback; 22.05: the tasks).
_keep_plugstack
sed -E "1s#helper=[^ ]*#helper=$LAB_DIR/nonexistent#" "$PLUGSTACK.good" >"$PLUGSTACK"
for mode in cluster client; do
	out=$(lab login srun -N1 --spark-mode=$mode true 2>&1)
	rc=$?
	[ "$rc" -ne 0 ]
	ok $? "$mode mode, helper missing: srun fails (status $rc)"
	like "$out" "cannot run the helper $LAB_DIR/nonexistent" "...naming the helper"
done
restore_plugstack

done_testing
