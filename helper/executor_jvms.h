/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * executor_jvms.h - the executor JVMs of one node, started by the helper as
 * its own children: no Worker in between.
 *
 * Each JVM runs org.spankspark.ExecutorLauncher (jvm/), which loads Spark
 * at once and waits on its standard input for the driver's URL: the JVMs
 * start while the driver is still starting.  A JVM that dies while the
 * application runs is started again, a bounded number of times, under a
 * new executor id.
 *
 * A node has N slots (executors per node); without dynamic allocation all
 * of them run from the start.  With it, Spark asks for more executors
 * (executors_add: idle slots start a JVM, each start a new id) and names
 * the ones it lets go (executors_kill: that JVM is ended, its slot idle,
 * and its end is neither a loss nor a reason to start it again).
 */
#ifndef SPANK_SPARK_EXECUTOR_JVMS_H
#define SPANK_SPARK_EXECUTOR_JVMS_H

#include "class_cache.h"
#include "gpus.h"
#include "helper.h"
#include "proc.h"

#include <jansson.h>
#include <sys/types.h>

#define EXECUTOR_RELAUNCHES 3

struct executor {
	struct child c;
	int stdin_fd; /* the driver URL goes here; -1 once sent */
	int attempt;  /* starts again after a failure */
	int gen;      /* starts of this slot, ever: each has its own id */
	bool killed;  /* its end was asked for (executors_kill) */
	long id;
};

struct executors {
	struct helper *h;
	int n;
	struct executor *e;
	int pending; /* JVMs asked for while their slots were still ending */
	long cores, heap_mb;
	int node;     /* this node's slot: ids never clash between nodes */
	int gen_base; /* a join node's first start count (elastic.h) */
	int nodes;
	char app_id[96];
	char secret[65];
	bool encrypt;
	char driver_url[160]; /* empty until the driver is up */
	int log_fd;	      /* executors-<host>.log */
	char log_name[300];   /* ...its name in the log directory */
	off_t log_start;      /* ...and its size when this step began */
	/* The user's executor settings from the driver (spark_conf.h:
	 * spark_conf_executor), owned; NULL: none. */
	json_t *conf;
	char java[PATH_MAX];   /* found once for every JVM of the node */
	struct class_cache cc; /* the site's, or cc.on false */
	/* The node's GPUs of the step, GPU_EACH to each executor slot (gpu.h);
	 * GPU_EACH 0: none */
	struct ss_gpus gpus;
	long gpu_each;
};

/* executor_side.c: take the app id, the secret, the encryption setting and the
 * executor settings from the driver's welcome into X, each checked.  0, or
 * -1 (logged). */
int executor_take_welcome(struct executors *x, json_t *welcome);
/* The node (0..NODES-1) whose executor JVMs got executor ID when each node
 * runs PER_NODE of them; -1 for an id no node gives. */
int executor_node(long id, int per_node, int nodes);
/* The executor id of slot K's GEN-th start when each of NODES nodes has
 * PER_NODE slots: unique across the step. */
long executor_id_of(int k, int per_node, int node, int nodes, int gen);
/* N slots for executor JVMs of CORES and HEAP_MB each (with GPU_EACH,
 * each its own GPUs); start RUN of them now.  0 or -1 (logged). */
int executors_start(struct executors *x, int n, int run);
/* Start COUNT more JVMs in idle slots; those with no idle slot yet (a
 * JVM let go still ending) start when one is reaped.  How many started. */
int executors_add(struct executors *x, int count);
/* End executor ID's JVM at Spark's request: 0, or -1 when no live JVM of
 * this node has that id. */
int executors_kill(struct executors *x, long id);
/* The driver is up at URL: tell every JVM waiting for it. */
void executors_set_driver(struct executors *x, const char *url);
/* After SIGCHLD: reap; while RUNNING, start the dead ones again (bounded)
 * and return how many were lost for good. */
int executors_reap(struct executors *x, bool running);
int executors_alive(const struct executors *x);
/* Send SIG to every live executor JVM: how many got it. */
int executors_signal(struct executors *x, int sig);
void executors_stop(struct executors *x);

#endif
