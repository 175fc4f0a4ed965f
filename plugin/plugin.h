/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plugin.h - state shared by the SPANK glue of spank-spark.
 *
 * One instance per process that loads the plugin (srun, sbatch, salloc,
 * slurmstepd, the prolog/epilog runner); Slurm calls us from one thread.
 */
#ifndef SPANK_SPARK_PLUGIN_H
#define SPANK_SPARK_PLUGIN_H

#include "handoff.h"
#include "options.h"
#include "site_config.h"

#include <slurm/spank.h>
#include <stdbool.h>
#include <stdint.h>

#define SS_ERR_LEN 512

struct ss_plugin {
	struct ss_site site;
	/* plugstack.conf arguments, handed on to the helper as they are;
	 * Slurm keeps them for the plugin's lifetime. */
	int site_argc;
	char **site_argv;
	struct ss_opts opts;
	bool active;	   /* this step runs Spark */
	enum ss_mode mode; /* resolved: option, environment or site */
	/* Errors Slurm would drop (remote option callbacks) are kept and
	 * raised where they can fail the task. */
	char deferred_error[SS_ERR_LEN];
};

extern struct ss_plugin ss_plugin;

/* spank_options.c */
int ss_register_options(spank_t sp);
/* Resolve defaults from the environment and decide whether the step is a
 * Spark step.  LOOKUP reads the job's or the process's environment. */
int ss_resolve(ss_getenv_fn lookup, void *arg, char *err, size_t errlen);
/* Write the resolved options as SPANK_SPARK_* through SET (VALUE NULL:
 * remove the variable): the mode always, every other option that has a
 * value, --spark-conf pairs joined by SS_CONF_SEP.  0 or -1. */
typedef int (*ss_setenv_fn)(void *arg, const char *name, const char *value);
int ss_export_options(ss_setenv_fn set, void *arg);
/* ... into this process's environment (srun, sbatch, salloc: the tasks or
 * the job inherit them). */
int ss_export_to_environment(void);
/* The site's users= list; prints why and returns -1 when refused. */
int ss_check_user(void);

/* A hand-off to the helper (common/handoff.h) for ROLE, with the site's
 * plugstack.conf arguments filled in; the caller sets the ids. */
void ss_helper_handoff(struct ss_handoff *h, const char *role);
/* The helper's command line for H: HELPER ROLE IDS... SITE-ARGS... --
 * APP...  One allocation (free()); the strings are borrowed.  NULL when
 * out of memory. */
char **ss_helper_argv(const struct ss_handoff *h);

/* remote.c: slurmstepd */
int ss_remote_user_init(spank_t sp);
int ss_remote_task_init(spank_t sp);
/* After the step's tasks ended: what a killed helper left on this node. */
void ss_remote_exit(spank_t sp);

/* local.c: srun */
int ss_local_user_init(spank_t sp);
void ss_local_exit(void);

/* cleanup.c: as root on every node */
int ss_job_epilog(spank_t sp);
/* Kill processes marked with this job (and step, unless ANY_STEP) and
 * remove their scratch directories (HOST: only this node's); returns the
 * number of processes killed and directories removed. */
void ss_cleanup(uint32_t job, uint32_t step, bool any_step, const char *host,
		int *killed, int *removed);

#endif
