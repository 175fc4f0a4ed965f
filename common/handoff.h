/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * handoff.h - what the plugin hands to spank-spark-helper, in one place.
 *
 * The plugin (slurmstepd or srun) fills a struct ss_handoff and turns it
 * into the helper's command line; the helper turns its command line back
 * into the same struct.  The command line is
 *
 *   HELPER ROLE --job=J --step=S --nodes=N --node-index=K --local-task=T
 *          --node-mem-mb=M [--lifeline-fd=FD] [--het-job=C]
 *          [SITE_KEY=VALUE ...]
 *          -- [APPLICATION ARGS ...]
 *
 * The site arguments are plugstack.conf's, as they are (the helper parses
 * them with the same code, common/site_config.c).  Nothing secret is ever
 * part of a hand-off.
 *
 * Slurm 22.05 cannot lengthen a task's argv (see ss_handoff_to_env): there
 * the hand-off travels in the task's environment instead, and
 * ss_handoff_argv_from_env rebuilds the same command line in the helper.
 */
#ifndef SPANK_SPARK_HANDOFF_H
#define SPANK_SPARK_HANDOFF_H

#include <stddef.h>
#include <stdint.h>

struct ss_handoff {
	const char *role; /* "driver", "client-driver", "executor", ... */
	uint32_t job, step;
	uint32_t nnodes; /* nodes of the step */
	int node_index;	 /* this node's index in the step; -1: srun's host */
	uint32_t local_task; /* the task's index on this node (SLURM_LOCALID) */
	uint64_t node_mem_mb; /* the step's memory on this node; 0: unknown */
	int lifeline_fd;      /* client-driver: EOF when srun is gone; -1 */
	/* A heterogeneous step (common/het.h): JOB, NNODES and NODE_INDEX are
	 * the whole step's (the leader's id, every component's nodes), and
	 * HET_JOB is this node's component's own job id, which marks its
	 * processes and scratch for the plugin's cleanup; 0 otherwise. */
	uint32_t het_job;
	int site_argc; /* plugstack.conf arguments, borrowed */
	char **site_argv;
	int app_argc; /* the application's command, borrowed */
	char **app_argv;
};

/* A hand-off with every field at its "unknown" value. */
void ss_handoff_init(struct ss_handoff *h);

/* HELPER ROLE IDS... SITE... -- APP...: one allocation (the array and the
 * number arguments' text), released with free(); the other strings are
 * borrowed from H.  NULL when out of memory. */
char **ss_handoff_to_argv(const struct ss_handoff *h, const char *helper);

/* The inverse: fills H from ARGV (argv[0] is the helper, argv[1] the
 * role).  Arguments that are not part of a hand-off are offered to EXTRA
 * (when not NULL), which returns 0 when it took one.  H->site_argv is
 * allocated (ss_handoff_release); everything else points into ARGV.
 * 0, or -1 with ERR set. */
typedef int (*ss_handoff_extra_fn)(const char *arg, void *ctx);
int ss_handoff_from_argv(struct ss_handoff *h, int argc, char **argv,
			 ss_handoff_extra_fn extra, void *ctx, char *err,
			 size_t errlen);
void ss_handoff_release(struct ss_handoff *h);

/*
 * Slurm 22.05: a task's argv can be rewritten in place but not lengthened.
 * The plugin replaces only argv[0] with the helper and puts the rest of
 * the hand-off in two environment variables:
 *   SS_HANDOFF_ENV        ROLE, the ids and the site arguments, one per
 *                         line (plugstack.conf arguments hold no newline);
 *   SS_HANDOFF_ARGV0_ENV  the application's own argv[0].
 * ss_handoff_to_env makes the first one's value (malloc'd; NULL when out of
 * memory or when a site argument holds a newline).
 */
#define SS_HANDOFF_ENV "SPANK_SPARK_HANDOFF"
#define SS_HANDOFF_ARGV0_ENV "SPANK_SPARK_HANDOFF_ARGV0"
char *ss_handoff_to_env(const struct ss_handoff *h);

/* In the helper: when SS_HANDOFF_ENV is set (by the lookup GETENV), make
 * the command line the plugin meant, HELPER ROLE ... -- ARGV0 ARGV[1..],
 * into *NEW_ARGV (one allocation, free()); returns 1.  0 when the variable
 * is not set (ARGV is already the hand-off), -1 on a malformed value or no
 * memory. */
int ss_handoff_argv_from_env(int argc, char **argv,
			     const char *(*getenv_fn)(const char *name),
			     int *new_argc, char ***new_argv);

#endif
