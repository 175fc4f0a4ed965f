/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * remote.c - the slurmstepd side: decide this node's role and hand the
 * task over to the helper.
 *
 * Slurm 22.05 has no API to change what a task runs, so the task execs the
 * helper from slurm_spank_task_init (stdio is already wired to srun or the
 * batch output, and the helper's exit status becomes the task's).
 */
#include "plugin.h"
#include "parse.h"

#include <errno.h>
#include <pwd.h>
#include <slurm/slurm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ENV_VALUE_MAX 65536

struct job_env_lookup {
	spank_t sp;
	char buf[ENV_VALUE_MAX];
};

/* The caller copies each value before asking for the next one. */
static const char *job_getenv(const char *name, void *arg)
{
	struct job_env_lookup *l = arg;

	if (spank_getenv(l->sp, name, l->buf, sizeof(l->buf)) != ESPANK_SUCCESS)
		return NULL;
	return l->buf;
}

static bool is_application_step(uint32_t step)
{
	/* The batch script, the extern step and salloc's interactive step
	 * see sbatch's options too, but are never Spark. */
	return step != SLURM_BATCH_SCRIPT && step != SLURM_EXTERN_CONT &&
	       step != SLURM_INTERACTIVE_STEP;
}

static void log_settings(uint32_t job, uint32_t step, uint32_t node,
			 uint32_t nnodes)
{
	const struct ss_opts *o = &ss_plugin.opts;
	char line[2048];
	size_t off = 0;

	for (int id = 0; id < SS_OPT_COUNT && off < sizeof(line); id++)
		if (o->value[id])
			off += (size_t)snprintf(
			    line + off, sizeof(line) - off, " --%s=%s",
			    ss_opt_table[id].name, o->value[id]);
	for (size_t i = 0; i < o->n_conf && off < sizeof(line); i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off,
					" --spark-conf=%s", o->conf[i]);
	slurm_debug(
	    "spank-spark: job %u step %u node %u/%u mode %s settings:%s", job,
	    step, node, nnodes, ss_mode_name(ss_plugin.mode),
	    off ? line : " (none)");
}

static bool user_allowed(spank_t sp)
{
	uid_t uid;
	struct passwd *pw;

	if (!ss_plugin.site.users[0])
		return true;
	if (spank_get_item(sp, S_JOB_UID, &uid) != ESPANK_SUCCESS)
		return false;
	pw = getpwuid(uid);
	return pw && ss_site_user_allowed(&ss_plugin.site, pw->pw_name);
}

int ss_remote_user_init(spank_t sp)
{
	static struct job_env_lookup lookup;
	uint32_t job = 0, step = 0, node = 0, nnodes = 0;
	char err[SS_ERR_LEN];

	if (spank_get_item(sp, S_JOB_STEPID, &step) != ESPANK_SUCCESS ||
	    !is_application_step(step)) {
		ss_plugin.active = false;
		return 0;
	}
	lookup.sp = sp;
	/* srun resolved and exported everything: that set is the truth, and
	 * the callbacks' values (one per option) are dropped. */
	if (job_getenv(ss_opt_table[SS_OPT_MODE].env, &lookup)) {
		ss_opts_free(&ss_plugin.opts);
		memset(ss_plugin.opts.from_cmdline, 0,
		       sizeof(ss_plugin.opts.from_cmdline));
		ss_plugin.deferred_error[0] = '\0';
	}
	if (ss_resolve(job_getenv, &lookup, err, sizeof(err))) {
		/* Raised from task_init, where it fails the task visibly. */
		snprintf(ss_plugin.deferred_error,
			 sizeof(ss_plugin.deferred_error), "%s", err);
		ss_plugin.active = true;
		return 0;
	}
	if (!ss_plugin.active)
		return 0;
	/* srun checked already; a modified client must not get around it. */
	if (!user_allowed(sp)) {
		snprintf(ss_plugin.deferred_error,
			 sizeof(ss_plugin.deferred_error),
			 "this user may not run Spark steps here "
			 "(plugstack.conf users=%.200s)",
			 ss_plugin.site.users);
		return 0;
	}
	spank_get_item(sp, S_JOB_ID, &job);
	spank_get_item(sp, S_JOB_NODEID, &node);
	spank_get_item(sp, S_JOB_NNODES, &nnodes);
	log_settings(job, step, node, nnodes);
	return 0;
}

/* The helper gets the resolved options as SPANK_SPARK_* variables. */
static int task_setenv(void *arg, const char *name, const char *value)
{
	spank_t sp = arg;

	if (!value) {
		spank_unsetenv(sp, name);
		return 0;
	}
	return spank_setenv(sp, name, value, 1) == ESPANK_SUCCESS ? 0 : -1;
}

int ss_remote_task_init(spank_t sp)
{
	uint32_t job = 0, step = 0, node = 0, nnodes = 0, local_task = 0;
	int app_argc = 0;
	char **app_argv = NULL, **env = NULL, **argv;
	uint64_t mem_mb = 0;
	ss_helper_id ids[SS_HELPER_IDS];
	const char *role;

	if (!ss_plugin.active)
		return 0;
	if (ss_plugin.deferred_error[0]) {
		slurm_error("spank-spark: %s", ss_plugin.deferred_error);
		return -1;
	}
	if (spank_get_item(sp, S_TASK_ID, &local_task) != ESPANK_SUCCESS ||
	    spank_get_item(sp, S_JOB_ID, &job) != ESPANK_SUCCESS ||
	    spank_get_item(sp, S_JOB_STEPID, &step) != ESPANK_SUCCESS ||
	    spank_get_item(sp, S_JOB_NODEID, &node) != ESPANK_SUCCESS ||
	    spank_get_item(sp, S_JOB_NNODES, &nnodes) != ESPANK_SUCCESS ||
	    spank_get_item(sp, S_JOB_ARGV, &app_argc, &app_argv) !=
		ESPANK_SUCCESS) {
		slurm_error("spank-spark: cannot read the step's ids and "
			    "command from Slurm");
		return -1;
	}
	/* One helper per node: further tasks on a node have nothing to do
	 * and end at once with status 0 (README: "What happens"). */
	if (local_task != 0)
		_exit(0);
	if (ss_export_options(task_setenv, sp) ||
	    spank_get_item(sp, S_JOB_ENV, &env) != ESPANK_SUCCESS) {
		slurm_error("spank-spark: cannot prepare the helper's "
			    "environment");
		return -1;
	}
	role = (ss_plugin.mode == SS_MODE_CLUSTER && node == 0) ? "driver"
								: "executor";
	snprintf(ids[0], sizeof(ids[0]), "--job=%u", job);
	snprintf(ids[1], sizeof(ids[1]), "--step=%u", step);
	snprintf(ids[2], sizeof(ids[2]), "--nodes=%u", nnodes);
	snprintf(ids[3], sizeof(ids[3]), "--node-index=%u", node);
	/* What the step may use here: SLURM_MEM_PER_NODE is only set when
	 * the user asked for memory, DefMemPerNode applies anyway. */
	if (spank_get_item(sp, S_JOB_ALLOC_MEM, &mem_mb) != ESPANK_SUCCESS)
		mem_mb = 0;
	snprintf(ids[4], sizeof(ids[4]), "--node-mem-mb=%llu",
		 (unsigned long long)mem_mb);
	if (!(argv = ss_helper_argv(role, ids, app_argc, app_argv))) {
		slurm_error("spank-spark: out of memory");
		return -1;
	}
	execve(ss_plugin.site.helper, argv, env);
	slurm_error("spank-spark: cannot run the helper %s: %s (check helper= "
		    "in plugstack.conf)",
		    ss_plugin.site.helper, strerror(errno));
	free(argv);
	return -1;
}

void ss_remote_exit(spank_t sp)
{
	uint32_t job = 0, step = 0;
	char host[256];
	int killed, removed;

	if (spank_get_item(sp, S_JOB_ID, &job) != ESPANK_SUCCESS ||
	    spank_get_item(sp, S_JOB_STEPID, &step) != ESPANK_SUCCESS ||
	    gethostname(host, sizeof(host)) < 0)
		return;
	ss_cleanup(job, step, false, host, &killed, &removed);
	if (killed || removed)
		slurm_info("spank-spark: step %u.%u: killed %d leftover "
			   "process(es), removed %d scratch director%s",
			   job, step, killed, removed,
			   removed == 1 ? "y" : "ies");
}
