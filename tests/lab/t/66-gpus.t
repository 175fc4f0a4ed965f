#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# GPUs (issue 21, helper/gpu.h): the GPUs Slurm binds to a step become
# Spark's GPU resources.  The lab's nodes have fake GPUs (lab-up: gres.conf);
# gpus.py prints, per task, its host, its executor (the JVM's pid), Spark's
# addresses and CUDA_VISIBLE_DEVICES.  Every task's GPU is one of its own
# node's Slurm-bound set (SLURM_STEP_GPUS), executors of a node never
# share one, tasks running at once on one executor never share one; a step
# without GPUs has no GPU settings; the refusals are one line each.
set -uo pipefail
# shellcheck source=tests/lab/tap.sh disable=SC1091
. "$(dirname "$0")/../tap.sh"
# shellcheck source=tests/lab/lib.sh disable=SC1091
. "$(dirname "$0")/../lib.sh"
install_apps

# Check task lines $1, each executor having $2 GPUs, against the set Slurm
# bound to the step on the task's node (SLURM_STEP_GPUS, which Slurm sets
# in the task's environment and the helper passes on untouched; the lab
# has ConstrainDevices=no, so CUDA_VISIBLE_DEVICES uses the same indices);
# prints one verdict per property, "ok" or why not.
check_tasks() {
	python3 - "$1" "$2" <<'PY'
import sys
tasks = [dict(w.split("=", 1) for w in l.split()) for l in sys.argv[1].splitlines() if l.startswith("task=")]
bound = {}
for t in tasks:
    bound.setdefault(t["host"], set()).add(t["step_gpus"])
bound = {h: set(s.pop().split(",")) if len(s) == 1 else set() for h, s in bound.items()}
each = int(sys.argv[2])
own, per_exec, overlap = [], {}, []
for t in tasks:
    cuda = t["cuda"].split(",") if t["cuda"] != "unset" else []
    addrs = t["gpus"].split(",") if t["gpus"] != "none" else []
    phys = [cuda[int(a)] if a.isdigit() and int(a) < len(cuda) else "?" + a for a in addrs]
    t["phys"] = phys
    if len(addrs) != 1 or not set(phys) <= bound.get(t["host"], set()) or len(cuda) != each:
        own.append("task %s on %s: addresses %s of CUDA_VISIBLE_DEVICES %s, Slurm bound %s"
                   % (t["task"], t["host"], t["gpus"], t["cuda"], sorted(bound.get(t["host"], []))))
    per_exec.setdefault((t["host"], t["jvm"]), set()).add(t["cuda"])
print("own:", "ok" if tasks and not own else "; ".join(own) or "no task")
# Executors of one node: each one CUDA_VISIBLE_DEVICES, disjoint.
shared = []
for (h, j), cs in per_exec.items():
    if len(cs) != 1:
        shared.append("executor %s on %s saw %s" % (j, h, sorted(cs)))
for (h, j), cs in per_exec.items():
    for (h2, j2), cs2 in per_exec.items():
        if h == h2 and j < j2 and set(",".join(cs).split(",")) & set(",".join(cs2).split(",")):
            shared.append("executors %s and %s on %s share %s / %s" % (j, j2, h, cs, cs2))
print("executors:", "ok" if not shared else "; ".join(shared))
for a in tasks:
    for b in tasks:
        if a["task"] < b["task"] and (a["host"], a["jvm"]) == (b["host"], b["jvm"]) and \
                float(a["start"]) < float(b["end"]) and float(b["start"]) < float(a["end"]):
            overlap.append((a, b))
bad = ["tasks %s and %s at once on executor %s both on GPU %s" % (a["task"], b["task"], a["jvm"], a["phys"])
       for a, b in overlap if set(a["phys"]) & set(b["phys"])]
print("concurrent:", "ok" if not bad else "; ".join(bad))
print("overlapping pairs:", len(overlap))
print("executors seen:", " ".join(sorted("%s:%s" % (h, next(iter(c))) for (h, j), c in per_exec.items())),
      "of", " ".join("%s:%s" % (h, ",".join(sorted(b))) for h, b in sorted(bound.items())))
PY
}

# The issue's "Must show": 3 nodes of 2 GPUs, the driver on node1, one
# executor per GPU on node2 and node3, 8 tasks of one GPU each.
err=$(mktemp)
out=$(lab login srun -N3 --mem=3G --gpus-per-node=2 --spark-mode=cluster --spark-verbose \
	--spark-conf=spark.task.resource.gpu.amount=1 gpus.py 8 2 2>"$err")
is "$?" 0 "srun -N3 --gpus-per-node=2 --spark-mode=cluster gpus.py runs" || diag "$(tail -n 30 "$err")"
like "$(cat "$err")" "GPUs: 2 per node from Slurm: 2 executor\(s\) per node, 1 GPU\(s\) each \(one executor per GPU" \
	"--spark-verbose says: one executor per GPU"
diag "$(grep '^task=' <<<"$out")"
is "$(grep -c '^task=' <<<"$out")" 8 "8 tasks report"
verdict=$(check_tasks "$out" 1)
diag "$(grep -E '^(overlapping|executors seen)' <<<"$verdict")"
is "$(sed -n 's/^own: //p' <<<"$verdict")" ok \
	"every task has one GPU, of its own node's Slurm-bound set, as its executor's only CUDA_VISIBLE_DEVICES"
is "$(sed -n 's/^executors: //p' <<<"$verdict")" ok "two executors of one node never share a GPU"
is "$(field conf.spark.executor.resource.gpu.amount "$out")" 1 "spark.executor.resource.gpu.amount=1"
is "$(field conf.spark.executor.instances "$out")" 4 "4 executors: one per GPU of node2 and node3"
is "$(field driver.cuda "$out")" "" "the driver sees none of its node's GPUs (no spark.driver.resource.gpu.amount)"
no_leftovers "nothing left after the GPU step"

# One executor of 2 GPUs and 2 cores: its tasks run two at a time, each on
# a GPU of its own; the task amount is the step's default.
out=$(lab login srun -N2 -c2 --mem=3G --gpus-per-node=2 --spark-executors-per-node=1 \
	--spark-mode=cluster gpus.py 6 3 2>"$err")
is "$?" 0 "--spark-executors-per-node=1 with 2 GPUs runs" || diag "$(tail -n 30 "$err")"
verdict=$(check_tasks "$out" 2)
diag "$(grep -E '^(overlapping|executors seen)' <<<"$verdict")"
is "$(sed -n 's/^own: //p' <<<"$verdict")" ok "every task has one GPU of the node's Slurm-bound set"
is "$(sed -n 's/^concurrent: //p' <<<"$verdict")" ok "tasks at the same time on one executor never share a GPU"
isnt "$(sed -n 's/^overlapping pairs: //p' <<<"$verdict")" 0 "...and some did run at the same time"
is "$(field conf.spark.executor.resource.gpu.amount "$out")" 2 "spark.executor.resource.gpu.amount=2"
is "$(field conf.spark.task.resource.gpu.amount "$out")" 1 "spark.task.resource.gpu.amount defaults to 1"
no_leftovers "nothing left after the two-GPU executor"

# A step without GPUs is unchanged.
out=$(lab login srun -N2 --spark-mode=cluster gpus.py 2 0 2>"$err")
is "$?" 0 "a step without GPUs runs" || diag "$(tail -n 30 "$err")"
is "$(grep '^task=' <<<"$out" | grep -vc 'gpus=none cuda=unset ')" 0 \
	"...its tasks have no GPU resource and no CUDA_VISIBLE_DEVICES"
is "$(grep '^conf\.' <<<"$out" | grep -v 'executor.instances' | grep -vc '=unset$')" 0 \
	"...and the step sets no GPU setting"

# The other ways Slurm gives a step GPUs: --gres=gpu:N on srun; an sbatch
# job's --gpus-per-node, which its srun steps get (Slurm gives a step all
# of its job's GPUs); salloc in client mode, where the driver on login
# learns the GPUs per node from the allocation (SLURM_GPUS_PER_NODE).
out=$(lab login srun -N2 --mem=3G --gres=gpu:2 --spark-mode=cluster gpus.py 2 1 2>"$err")
is "$?" 0 "srun --gres=gpu:2 --spark-mode=cluster runs" || diag "$(tail -n 30 "$err")"
verdict=$(check_tasks "$out" 1)
is "$(sed -n 's/^own: //p' <<<"$verdict")" ok "--gres=gpu:2: every task has one GPU of its node's Slurm-bound set"
is "$(field conf.spark.executor.instances "$out")" 2 "...one executor per GPU of node2"
no_leftovers "nothing left after the --gres step"

rm -f "$LAB_HOME"/gpus-*.out
jobid=$(lab login sbatch --parsable -N2 --mem=3G --gpus-per-node=2 --spark-mode=cluster \
	-o 'gpus-%j.out' --wrap 'srun gpus.py 2 1')
is "$(job_state "$jobid" 300)" COMPLETED "sbatch --gpus-per-node=2 --spark-mode=cluster: the batch job completes"
out=$(cat "$LAB_HOME/gpus-$jobid.out" 2>&1)
verdict=$(check_tasks "$out" 1)
is "$(sed -n 's/^own: //p' <<<"$verdict")" ok "...its step's tasks each have one GPU of their node's set" ||
	diag "$out"
is "$(field conf.spark.executor.instances "$out")" 2 "...one executor per GPU"
no_leftovers "nothing left after the batch job"
rm -f "$LAB_HOME/gpus-$jobid.out"

out=$(lab login salloc -N2 --mem=3G --gpus-per-node=2 --spark-mode=client srun gpus.py 4 1 2>"$err")
is "$?" 0 "salloc --gpus-per-node=2 --spark-mode=client + srun gpus.py runs" || diag "$(tail -n 30 "$err")"
verdict=$(check_tasks "$out" 1)
diag "$(grep -E '^executors seen' <<<"$verdict")"
is "$(sed -n 's/^own: //p' <<<"$verdict")" ok "client mode: every task has one GPU of its node's Slurm-bound set"
is "$(sed -n 's/^executors: //p' <<<"$verdict")" ok "...two executors of one node never share a GPU"
is "$(field conf.spark.executor.instances "$out")" 4 "...one executor per GPU of node1 and node2"
no_leftovers "nothing left after the client-mode GPU step"

# Refusals: one line, before any JVM, nothing left.  Sets msg: the line.
# Memory enough for 3 executors per node: the plugin's own fit check
# (common/options.c) would refuse first.
refused() {
	local job out
	job=$(next_job_id)
	out=$(lab login srun --mem=4G "$@" --spark-mode=cluster gpus.py 2>&1)
	isnt "$?" 0 "srun $* is refused"
	msg=$(grep 'spank-spark' <<<"$out")
	is "$(grep -c 'spank-spark' <<<"$out")" 1 "...in one line" || diag "$out"
	diag "$msg"
	assert_nothing_left "$job"
}
refused -N2 --gpus-per-node=2 --spark-executors-per-node=3
like "$msg" "executors-per-node=3 is more executors than the 2 GPU\(s\)" "more executors per node than GPUs: says so"
refused -N2 --gpus-per-node=3 --spark-executors-per-node=2
like "$msg" "do not share the 3 GPU\(s\)" "3 GPUs among 2 executors: says they do not divide"
rm -f "$err"

done_testing
