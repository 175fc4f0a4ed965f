/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spark.h - what a Spark JVM of this step needs on disk and in its
 * environment: the per-step scratch directory, the properties files that
 * hold the secret (0600 in a 0700 directory, never argv), the environment,
 * and the executors' sizes.
 */
#ifndef SPANK_SPARK_SPARK_H
#define SPANK_SPARK_SPARK_H

#include "helper.h"
#include "proc.h"

#include <jansson.h>

/* <scratch_dir>/spank-spark.<job>.<step>.<host>/{conf,local,work,tmp} and
 * the log directory. */
int spark_make_dirs(struct helper *h, char *err, size_t errlen);
void spark_remove_dirs(struct helper *h);
/* Open (create) LOG_DIR/NAME for appending; -1 on failure. */
int spark_open_log(const struct helper *h, const char *name);

/* A fresh random secret, hex; 0 or -1. */
int spark_new_secret(char out[65]);

/* Write CONF (a JSON object of strings) as a properties file at PATH,
 * mode 0600, then RAW_FILE as it is (the user's properties file; may be
 * NULL), then AFTER (may be NULL): in a properties file the last key wins,
 * so AFTER wins over RAW_FILE, which wins over CONF. */
int spark_write_properties(const char *path, json_t *conf, const char *raw_file,
			   json_t *after, char *err, size_t errlen);

/* Environment for a Spark process: the backstop's marks first (so that
 * plugin/cleanup.c finds them even in a huge environment), then JAVA_HOME,
 * SPARK_HOME, the address and scratch, then EXTRA ("NAME=VALUE" strings,
 * NULL-terminated, may be NULL), then the task's own variables minus those
 * we set.  malloc'd; spark_env_free wipes and frees it. */
char **spark_env(const struct helper *h, const char *const extra[]);
void spark_env_free(char **env);
/* NAME is one of the variables spark_env sets itself (a user's setting of
 * it, e.g. spark.executorEnv.NAME, cannot be honoured). */
bool spark_env_ours(const char *name);

/* "$SPARK_HOME/bin/NAME" into OUT. */
int spark_bin(const struct helper *h, const char *name, char *out,
	      size_t outlen);

/* Executor heap for a share of MEM_MB: Spark adds max(384 MiB, 10%) of
 * overhead on top of the heap. */
long spark_heap_mb(long mem_mb);
#define SPARK_MIN_HEAP_MB SS_EXECUTOR_MIN_HEAP_MB
/* This node's allocation: cores and memory (MiB) of the step here. */
void spark_node_resources(const struct helper *h, long *cores, long *mem_mb);
/* Executors per node (--spark-executors-per-node, default 1; with GPUs,
 * the GPUs' plan: gpu.h). */
long spark_executors_per_node(const struct helper *h);
/* What one executor gets on a node with CORES and MEM_MB, unless the user
 * said otherwise; MEM is the heap. */
void spark_executor_size(const struct helper *h, long cores, long mem_mb,
			 long *exec_cores, long *exec_mem_mb);

#endif
