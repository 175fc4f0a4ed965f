/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gpu.h - the GPUs Slurm gives a step become Spark's GPU resources.
 *
 * The driver side plans (gpu_plan): the GPUs of a node, from its own
 * task's environment (cluster mode) or SLURM_GPUS_PER_NODE (client mode:
 * the allocation's), with --spark-executors-per-node and the user's
 * spark.executor.resource.gpu.amount, give executors per node and GPUs
 * each (common/gpus.h), sent in the welcome.  Each executor node checks
 * that its own GPUs make the same count, and gives executor K its share:
 * its CUDA_VISIBLE_DEVICES (and GPU_DEVICE_ORDINAL, ROCR_VISIBLE_DEVICES)
 * lists its own GPUs only, in Slurm's form on that node, and its Spark
 * resources file (--resourcesFile, in the 0700 step directory) gives
 * addresses 0..EACH-1, the CUDA ordinals inside the process.  Nothing
 * asks nvidia-smi.  A step without GPUs is left as it was.
 */
#ifndef SPANK_SPARK_GPU_H
#define SPANK_SPARK_GPU_H

#include "gpus.h"
#include "helper.h"

#include <jansson.h>

/* The variables that name a process's GPUs, as Slurm sets them. */
#define GPU_ENV_NAMES                                                          \
	"CUDA_VISIBLE_DEVICES", "GPU_DEVICE_ORDINAL", "ROCR_VISIBLE_DEVICES"

/* This node's GPUs of the step from the task's environment: none unless
 * Slurm set SLURM_STEP_GPUS.  0, or -1 with ERR. */
int gpu_node(struct ss_gpus *g, char *err, size_t errlen);
/* The driver side: set h->gpu_per_node and h->gpu_each (0: no GPUs), and
 * h->gpu_driver (spark.driver.resource.gpu.amount in cluster mode).
 * LOCAL: the driver's node runs executors too.  0, or -1 with one line in
 * ERR. */
int gpu_plan(struct helper *h, bool local, char *err, size_t errlen);
/* The welcome's "gpus" member for H's plan; NULL without GPUs. */
json_t *gpu_welcome(const struct helper *h);
/* An executor node: take the welcome's GPUS (may be NULL) into H and G,
 * checked against this node's own.  0, or -1 with ERR. */
int gpu_take(struct helper *h, json_t *gpus, struct ss_gpus *g, char *err,
	     size_t errlen);
/* Write PATH (0600, replaced): Spark's resources file for COMPONENT
 * ("spark.executor", "spark.driver"), addresses "0".."EACH-1".  0, or -1
 * with ERR. */
int gpu_write_resources(const char *path, const char *component, long each,
			char *err, size_t errlen);

#endif
