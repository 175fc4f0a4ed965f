/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gpus.h - the GPUs Slurm gives a step on a node, shared out among that
 * node's executors: each executor its own, never another's.
 *
 * Slurm's GRES plugin sets SLURM_STEP_GPUS (the node's GPU indices) and
 * CUDA_VISIBLE_DEVICES (the same GPUs in the form processes on that node
 * use them: indices from 0 when the cgroup constrains devices) in the
 * task's environment.  Executor K of a node gets entries K*EACH ..
 * K*EACH+EACH-1 of CUDA_VISIBLE_DEVICES as its own CUDA_VISIBLE_DEVICES,
 * and Spark addresses "0".."EACH-1": the CUDA ordinals inside that
 * process, as RAPIDS and CUDA code use them.
 *
 * No Slurm, no I/O: unit-tested (tests/unit/test_gpus.c).
 */
#ifndef SPANK_SPARK_GPUS_H
#define SPANK_SPARK_GPUS_H

#include <stddef.h>

#define SS_GPUS_MAX 64
#define SS_GPU_ID_MAX 128 /* one entry: an index, a UUID, a MIG name */

struct ss_gpus {
	int n;
	char id[SS_GPUS_MAX][SS_GPU_ID_MAX];
};

/* LIST, comma-separated (Slurm's form), into G.  NULL or "" is no GPU.
 * 0, or -1 with ERR (an empty, overlong or odd entry, too many). */
int ss_gpus_parse(const char *list, struct ss_gpus *g, char *err,
		  size_t errlen);

/* How a node's GPUS are shared out: PER_NODE executors (0: the user did
 * not say, --spark-executors-per-node) of EACH GPUs (0: the user did not
 * say, spark.executor.resource.gpu.amount).  Unsaid, one executor per GPU.
 * Every GPU goes to exactly one executor.  0, or -1 with one line in ERR
 * (more executors than GPUs, amounts that do not divide). */
int ss_gpus_plan(int gpus, long *per_node, long *each, char *err,
		 size_t errlen);

/* Executor K's share of G, EACH entries, comma-separated into OUT.  0, or
 * -1 when G has too few or OUT is too small. */
int ss_gpus_share(const struct ss_gpus *g, int k, long each, char *out,
		  size_t outlen);

#endif
