/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.h - the --spark-* options: one table, validation, environment
 * defaults and the hand-over to the helper.
 *
 * No Slurm dependency: the plugin registers the table with SPANK
 * (spank_options.c) and the helper reads the resolved values back from the
 * environment the plugin hands it, through the same code.
 */
#ifndef SPANK_SPARK_OPTIONS_H
#define SPANK_SPARK_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

enum ss_opt_id {
	SS_OPT_MODE,
	SS_OPT_CLASS,
	SS_OPT_NAME,
	SS_OPT_JARS,
	SS_OPT_PY_FILES,
	SS_OPT_FILES,
	SS_OPT_CONF,
	SS_OPT_PROPERTIES_FILE,
	SS_OPT_DRIVER_MEMORY,
	SS_OPT_DRIVER_CORES,
	SS_OPT_EXECUTOR_MEMORY,
	SS_OPT_EXECUTOR_CORES,
	SS_OPT_EXECUTORS_PER_NODE,
	SS_OPT_DRIVER_EXECUTOR,
	SS_OPT_ENCRYPTION,
	SS_OPT_LOG_DIR,
	SS_OPT_EVENT_LOG,
	SS_OPT_VERBOSE,
	SS_OPT_CONNECT,
	SS_OPT_ELASTIC,
	SS_OPT_COUNT
};

enum ss_opt_kind {
	SS_KIND_MODE,
	SS_KIND_CLASS,
	SS_KIND_TEXT,
	SS_KIND_LIST,
	SS_KIND_CONF,
	SS_KIND_PATH,
	SS_KIND_DIR, /* a path with the helper's %-expansions */
	SS_KIND_SIZE,
	SS_KIND_COUNT,
	SS_KIND_BOOL,
	SS_KIND_FLAG,	  /* takes no argument */
	SS_KIND_FLAG_DIR, /* a flag, or =DIR (an optional argument) */
};

struct ss_opt_desc {
	const char *name;     /* without the leading "--" */
	const char *env;      /* environment default, e.g. SPANK_SPARK_MODE */
	const char *arginfo;  /* shown in --help */
	const char *usage;    /* one line of help */
	const char *accepted; /* what a bad value is told it should be */
	enum ss_opt_kind kind;
	/* How the driver side hands it to Spark: a spark-submit flag, or a
	 * property; NULL for both: spank-spark's own (or computed). */
	const char *submit_flag;
	const char *property;
};

extern const struct ss_opt_desc ss_opt_table[SS_OPT_COUNT];

/* Separates --spark-conf entries in SPANK_SPARK_CONF: values may hold
 * blanks and commas, never a newline. */
#define SS_CONF_SEP '\n'
#define SS_CONF_MAX 128
/* The largest count (cores, executors per node, cores per node): a plain
 * number, also spelled out in messages (SS_STR). */
#define SS_COUNT_MAX 4096
#define SS_STR_(x) #x
#define SS_STR(x) SS_STR_(x)
/* Longest value of one SPANK_SPARK_* variable, without its NUL: the joined
 * --spark-conf pairs and every list must fit (ss_opts_check refuses more),
 * as slurmstepd reads each variable into a buffer of this size plus one. */
#define SS_ENV_VALUE_MAX 65536

struct ss_opts {
	char *value[SS_OPT_COUNT]; /* owned; NULL when not given */
	char *conf[SS_CONF_MAX];   /* owned; --spark-conf pairs in order */
	size_t n_conf;
	/* Where the command line gave a value: environment defaults only
	 * fill the gaps. */
	bool from_cmdline[SS_OPT_COUNT];
};

typedef const char *(*ss_getenv_fn)(const char *name, void *arg);

/* Validate VALUE for option ID and store it.  The same value twice is
 * accepted (Slurm may run a callback twice); with STRICT a different
 * second value is an error, otherwise it replaces the first.  On error
 * writes one line into ERR and returns -1. */
int ss_opts_set(struct ss_opts *o, enum ss_opt_id id, const char *value,
		bool strict, char *err, size_t errlen);
/* Fill options not given on the command line from their environment
 * variables, validating them the same way. */
int ss_opts_apply_env(struct ss_opts *o, ss_getenv_fn getenv_fn, void *arg,
		      char *err, size_t errlen);
/* True when any Spark option is set: the step is a Spark step. */
bool ss_opts_any(const struct ss_opts *o);
/* Cross-option checks that need the whole set (also: the joined
 * --spark-conf pairs fit in SS_ENV_VALUE_MAX bytes). */
int ss_opts_check(const struct ss_opts *o, char *err, size_t errlen);
/* Spark's minimum executor memory overhead (spark.executor.memoryOverhead
 * defaults to max(this, 10% of the heap)). */
#define SS_EXECUTOR_OVERHEAD_MIN_MB 384
/* The smallest heap the helper gives an executor (Spark refuses less than
 * 450 MiB). */
#define SS_EXECUTOR_MIN_HEAP_MB 512
/* Spark's default overhead for a heap of HEAP_MB: max(384 MiB, 10%). */
unsigned long long ss_executor_overhead_mb(unsigned long long heap_mb);
/* The heap the helper gives an executor without --spark-executor-memory
 * when it may use MEM_MB: what is left after the overhead, at least
 * SS_EXECUTOR_MIN_HEAP_MB (then it does not fit: ss_check_executor_fit). */
long ss_default_executor_heap_mb(long mem_mb);
/* Do the executors of one node fit in NODE_MEM_MB, the memory the step
 * got on it (0: unknown, not checked)?  Executors per node times (heap +
 * Spark's overhead), the heap being --spark-executor-memory or else the
 * helper's share of NODE_MEM_MB (ss_default_executor_heap_mb), which does
 * not fit when even the smallest heap is too much.  On error writes one
 * line into ERR and returns -1: a step that cannot fit would be killed
 * for memory on a real site. */
int ss_check_executor_fit(const struct ss_opts *o,
			  unsigned long long node_mem_mb, char *err,
			  size_t errlen);
/* What a node's share holds (ss_check_node_fit): the executors, the
 * driver, or both (cluster mode's first node with executors of its own). */
#define SS_FIT_EXECUTORS 1U
#define SS_FIT_DRIVER 2U
/* What the step's processes on a node need, in MiB: each executor's heap
 * (--spark-executor-memory, or the helper's share of what the driver
 * leaves), its overhead (spark.executor.memoryOverhead or Spark's
 * default), spark.executor.pyspark.memory, spark.memory.offHeap.size when
 * spark.memory.offHeap.enabled=true; the driver's heap (--spark-driver-
 * memory or spark.driver.memory; not counted when neither is given: a JVM
 * takes Spark's default of 1g only as it needs it) and its overhead
 * (spark.driver.memoryOverhead or Spark's default); the total. */
struct ss_node_need {
	long executors;
	unsigned long long heap, overhead, pyspark, offheap;
	unsigned long long driver_heap, driver_overhead;
	unsigned long long total;
};
/* Fill N for a node of NODE_MEM_MB holding WHAT (SS_FIT_*). */
void ss_node_need(const struct ss_opts *o, unsigned long long node_mem_mb,
		  unsigned what, struct ss_node_need *n);
/* Does what WHAT names (SS_FIT_*) fit in NODE_MEM_MB, the memory the step
 * got on a node (0: unknown, not checked)?  Everything ss_node_need
 * counts.  On error writes one line into ERR and returns -1. */
int ss_check_node_fit(const struct ss_opts *o, unsigned long long node_mem_mb,
		      unsigned what, char *err, size_t errlen);
/* SPANK_SPARK_CONF's value: conf pairs joined by SS_CONF_SEP; malloc'd
 * (caller frees), NULL when there are none or on allocation failure. */
char *ss_opts_conf_joined(const struct ss_opts *o);
void ss_opts_free(struct ss_opts *o);

#endif
