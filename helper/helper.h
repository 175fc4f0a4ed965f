/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * helper.h - spank-spark-helper: the runtime of a Spark step.
 *
 * One helper per node of a Spark step, run as the job's user:
 *   driver         node 0 in cluster mode: rendezvous, spark-submit with
 *                  spank-spark's cluster manager (replaces the task);
 *   client-driver  the same on the srun host in client mode (forked by the
 *                  plugin inside srun);
 *   executor       every other node: the executor JVMs, as children.
 * The rendezvous alone is exercised by tests/tools/rdvtool.
 */
#ifndef SPANK_SPARK_HELPER_H
#define SPANK_SPARK_HELPER_H

#include "memwatch.h"
#include "options.h"
#include "site_config.h"

#include <limits.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum helper_role {
	ROLE_DRIVER,
	ROLE_CLIENT_DRIVER,
	ROLE_EXECUTOR,
	ROLE_JOIN, /* a join job's executor side (--spark-elastic) */
};

struct helper {
	enum helper_role role;
	uint32_t job, step; /* a het step: the leader's job id */
	uint32_t nnodes;    /* a het step: every component's nodes */
	int node_index;	    /* ...and this node's index among them */
	uint32_t het_job;   /* a het step: this component's job id; else 0 */
	int lifeline_fd;    /* client-driver: EOF when srun is gone */
	long node_mem_mb;   /* the step's memory on this node; 0: unknown */
	struct ss_site site;
	struct ss_opts opts;
	int app_argc;
	char **app_argv;
	uid_t uid;
	char user[64];
	char home[PATH_MAX];
	char host[256];
	char addr[INET_ADDRSTRLEN]; /* this host as Spark peers see it */
	char step_dir[PATH_MAX];    /* per-step scratch, 0700 */
	char log_dir[PATH_MAX];
	int log_dir_fd; /* verified (common/safedir.h); -1 until made */
	char
	    event_log_dir[PATH_MAX]; /* empty: no event log (eventlog_step.h) */
	bool event_log_shared;	     /* ...the site's, read by its group */
	struct memwatch mem;	     /* Slurm's memory limit here, if any */
	/* GPUs (gpu.h): executors per node and GPUs each; 0: no GPU */
	long gpu_per_node, gpu_each;
	long gpu_driver; /* the driver's GPUs, cluster mode; 0: none */
	/* plugstack.conf's arguments as the plugin handed them over (the
	 * strings borrowed from argv): a join file carries them. */
	int site_argc;
	char **site_argv;
	/* --spark-elastic (elastic.h): extra nodes at most; 0: none */
	int elastic;
	/* A join job's helper (ROLE_JOIN, join.c): its own job id, which marks
	 * its processes and scratch; 0 in a step.  JOB, STEP and NNODES are
	 * the application's step's. */
	uint32_t join_job;
	char join_token[65];
	char join_addr[INET_ADDRSTRLEN]; /* the driver side's */
	uint16_t join_port;		 /* ...its rendezvous port */
};

/* The job id the plugin's cleanup knows this node's processes and
 * scratch by (plugin/cleanup.c): slurmstepd's own, the component's in a
 * het step. */
static inline uint32_t helper_own_job(const struct helper *h)
{
	if (h->join_job)
		return h->join_job;
	return h->het_job ? h->het_job : h->job;
}

/* driver.c, executor_side.c: each returns the exit status.
 * SIGNAL_FD is the read end of the signal self-pipe (proc.h). */
int run_driver(struct helper *h, int signal_fd);
int run_executor(struct helper *h, int signal_fd);
/* join.c: a join job's helper reads its join file FILE (0600, the user's
 * own) and its node NODE into H.  0, or -1 (logged). */
int join_load(struct helper *h, const char *file, const char *node);
/* Executors per node and --spark-elastic, as executor ids count nodes. */
int helper_id_nodes(const struct helper *h);

/* Spark application's exit status when the helper itself failed. */
#define EXIT_HELPER_FAILED 1

#endif
