/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spank_spark.c - the SPANK entry points of spank-spark.
 *
 * The only file Slurm's symbols land in: each callback finds out where it
 * runs (srun, sbatch/salloc, slurmstepd, the job epilog) and hands over to
 * the module for that place.  A step with no --spark-* option (and no
 * SPANK_SPARK_* default) passes through untouched.
 */
#include "os.h"
#include "het.h"
#include "plugin.h"
#include "props_file.h"

#include <errno.h>
#include <slurm/spank.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

SPANK_PLUGIN(spark, 1);

struct ss_plugin ss_plugin;

/* The plugstack.conf arguments: fail closed, in one line naming the key. */
static int load_site(int ac, char **av)
{
	char err[SS_ERR_LEN];

	if (ss_site_parse(&ss_plugin.site, ac, av, err, sizeof(err))) {
		slurm_error("spank-spark: %s", err);
		return -1;
	}
	return 0;
}

/* Each srun step's rendezvous ports derive from a random seed its tasks
 * inherit: another user can neither predict nor pre-bind them
 * (helper/rendezvous.h).  Its name starts with SLURM_ because srun
 * --export=NONE still gives the tasks those of its variables. */
static int export_rendezvous_seed(void)
{
	char hex[17];

	if (ss_random_hex(hex, 8))
		return -1;
	return setenv("SLURM_SPANK_SPARK_RENDEZVOUS", hex, 1);
}

/* When srun started, for the helpers' start-up timeline
 * (helper/timeline.h): epoch milliseconds. */
static int export_start_time(void)
{
	struct timespec ts;
	char ms[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(ms, sizeof(ms), "%lld",
		 (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	return setenv("SLURM_SPANK_SPARK_T0", ms, 1);
}

int slurm_spank_init(spank_t sp, int ac, char **av)
{
	spank_context_t ctx = spank_context();

	slurm_debug("spank-spark: version %s", SS_VERSION);
	if (load_site(ac, av))
		return -1;
	ss_plugin.site_argc = ac;
	ss_plugin.site_argv = av;
	if (ctx == S_CTX_LOCAL || ctx == S_CTX_ALLOCATOR ||
	    ctx == S_CTX_REMOTE || ctx == S_CTX_JOB_SCRIPT)
		return ss_register_options(sp);
	return 0;
}

/* A FIFO, a device, a directory or a huge --spark-properties-file:
 * refused here, not once the job runs (the helper reads it the same way).
 * A missing one is left to the helper: it may exist where the driver runs
 * (srun --chdir, a node's own disk). */
static int check_properties_file(char *err, size_t errlen)
{
	const char *path = ss_plugin.opts.value[SS_OPT_PROPERTIES_FILE];
	struct stat st;

	if (!path || (stat(path, &st) < 0 && errno == ENOENT))
		return 0;
	return ss_props_file_check(path, err, errlen);
}

/*
 * srun, sbatch, salloc: everything is checked here, before a job is queued;
 * a non-zero return makes the command exit.  The resolved values then go
 * into the command's own environment as SPANK_SPARK_*:
 *  - sbatch/salloc: the job inherits them, and every srun inside sees them
 *    as defaults that its own options override;
 *  - srun: the tasks inherit them, and slurmstepd reads the whole set from
 *    there (Slurm forwards only the last value of a repeated option).
 * srun calls this once per component of a heterogeneous step (measured on
 * 22.05, common/het.h), with one set of options for all of them.
 */
int slurm_spank_init_post_opt(spank_t sp, int ac, char **av)
{
	static int srun_calls;
	char err[SS_ERR_LEN];
	spank_context_t ctx = spank_context();

	(void)sp;
	(void)ac;
	(void)av;
	if (ctx != S_CTX_LOCAL && ctx != S_CTX_ALLOCATOR)
		return 0;
	if (ctx == S_CTX_LOCAL)
		srun_calls++;
	if (ss_resolve(ss_process_getenv, NULL, err, sizeof(err))) {
		slurm_error("spank-spark: %s", err);
		return -1;
	}
	if (!ss_plugin.active)
		return 0;
	if (check_properties_file(err, sizeof(err))) {
		slurm_error("spank-spark: %s", err);
		return -1;
	}
	if (srun_calls > 1 && ss_plugin.mode == SS_MODE_CLIENT) {
		slurm_error("spank-spark: %s", SS_HET_CLIENT_REFUSED);
		return -1;
	}
	if (ss_export_to_environment() ||
	    (ctx == S_CTX_LOCAL &&
	     (export_rendezvous_seed() || export_start_time()))) {
		slurm_error("spank-spark: cannot set SPANK_SPARK_* in the "
			    "job's environment: out of memory");
		return -1;
	}
	return ss_check_user();
}

int slurm_spank_local_user_init(spank_t sp, int ac, char **av)
{
	(void)ac;
	(void)av;
	if (!ss_plugin.active || ss_plugin.mode != SS_MODE_CLIENT)
		return 0;
	return ss_local_user_init(sp);
}

int slurm_spank_user_init(spank_t sp, int ac, char **av)
{
	(void)ac;
	(void)av;
	if (spank_remote(sp) != 1)
		return 0;
	return ss_remote_user_init(sp);
}

int slurm_spank_task_init(spank_t sp, int ac, char **av)
{
	(void)ac;
	(void)av;
	if (spank_remote(sp) != 1)
		return 0;
	return ss_remote_task_init(sp);
}

int slurm_spank_job_epilog(spank_t sp, int ac, char **av)
{
	/* slurm_spank_init is not run before this callback. */
	if (load_site(ac, av))
		return -1;
	return ss_job_epilog(sp);
}

int slurm_spank_exit(spank_t sp, int ac, char **av)
{
	(void)ac;
	(void)av;
	if (spank_context() == S_CTX_LOCAL)
		ss_local_exit();
	else if (spank_remote(sp) == 1 && ss_plugin.active)
		ss_remote_exit(sp);
	ss_opts_free(&ss_plugin.opts);
	return 0;
}
