/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * helper.h - spank-spark-helper: the runtime of a Spark step.
 *
 * One helper per node of a Spark step, run as the job's user:
 *   driver         node 0 in cluster mode: private Master, rendezvous,
 *                  spark-submit (replaces the task, exec'd by the plugin);
 *   client-driver  the same on the srun host in client mode (forked by the
 *                  plugin inside srun);
 *   executor       every other node: one Worker joined to the step's Master.
 * Two more roles exercise the rendezvous alone (tests and benchmarks):
 *   rendezvous-server, rendezvous-client.
 */
#ifndef SPANK_SPARK_HELPER_H
#define SPANK_SPARK_HELPER_H

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
	ROLE_RDV_SERVER,
	ROLE_RDV_CLIENT,
};

struct helper {
	enum helper_role role;
	uint32_t job, step;
	uint32_t nnodes;
	int node_index;
	int lifeline_fd;  /* client-driver: EOF when srun is gone */
	long node_mem_mb; /* the step's memory on this node; 0: unknown */
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
	/* rendezvous tool options */
	int rdv_count;
	bool rdv_replay;
	const char *rdv_target;
	long rdv_target_port; /* 0: the job's first candidate */
};

/* driver.c, executor.c, rdvtool.c: each returns the exit status.
 * SIGNAL_FD is the read end of the signal self-pipe (proc.h). */
int run_driver(struct helper *h, int signal_fd);
int run_executor(struct helper *h, int signal_fd);
int run_rendezvous_server(struct helper *h, int signal_fd);
int run_rendezvous_client(struct helper *h, int signal_fd);

/* Rendezvous port candidates: deterministic from job and step, so that
 * executors find the driver without a shared file system. */
#define RDV_CANDIDATES 8
uint16_t rdv_port(const struct ss_site *site, uint32_t job, uint32_t step,
		  int i);

/* Spark application's exit status when the helper itself failed. */
#define EXIT_HELPER_FAILED 1

#endif
