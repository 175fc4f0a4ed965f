/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * remote.c - the slurmstepd side: decide this node's role and hand the
 * task over to the helper.
 *
 * The task runs the helper through Slurm's normal exec path, so that
 * Slurm's own task setup (TaskProlog, TMPDIR, rlimits, containers) applies
 * to it: spank_prepend_task_argv on Slurm 23.11+, an in-place rewrite of
 * the task's argv on 22.05 (hand_over).
 */
#include "het.h"
#include "parse.h"
#include "plugin.h"

#include <errno.h>
#include <pwd.h>
#include <slurm/slurm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct job_env_lookup {
	spank_t sp;
	const char *too_long; /* a variable that did not fit in BUF */
	char buf[SS_ENV_VALUE_MAX + 1];
};

/* The caller copies each value before asking for the next one.  A value
 * too long for BUF is remembered, never taken for an absent one. */
static const char *job_getenv(const char *name, void *arg)
{
	struct job_env_lookup *l = arg;
	spank_err_t rc = spank_getenv(l->sp, name, l->buf, sizeof(l->buf));

	if (rc == ESPANK_NOSPACE && !l->too_long)
		l->too_long = name;
	if (rc != ESPANK_SUCCESS)
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
	int rc;

	if (spank_get_item(sp, S_JOB_STEPID, &step) != ESPANK_SUCCESS ||
	    !is_application_step(step)) {
		ss_plugin.active = false;
		return 0;
	}
	lookup.sp = sp;
	lookup.too_long = NULL;
	/* srun resolved and exported everything: that set is the truth, and
	 * the callbacks' values (one per option) are dropped. */
	if (job_getenv(ss_opt_table[SS_OPT_MODE].env, &lookup)) {
		ss_opts_free(&ss_plugin.opts);
		memset(ss_plugin.opts.from_cmdline, 0,
		       sizeof(ss_plugin.opts.from_cmdline));
		ss_plugin.deferred_error[0] = '\0';
	}
	rc = ss_resolve(job_getenv, &lookup, err, sizeof(err));
	/* A value cut off would silently drop options: an error instead. */
	if (rc == 0 && lookup.too_long) {
		snprintf(err, sizeof(err),
			 "%s in the job's environment is longer than %d "
			 "bytes: put Spark properties in a file given with "
			 "--spark-properties-file",
			 lookup.too_long, SS_ENV_VALUE_MAX);
		rc = -1;
	}
	if (rc) {
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

#ifdef HAVE_SPANK_PREPEND_TASK_ARGV
/* Slurm 23.11+: the task runs HELPER ROLE IDS... SITE... -- APP... */
static int hand_over(spank_t sp, const struct ss_handoff *ho)
{
	char **argv = ss_helper_argv(ho);
	int argc = 0;
	spank_err_t rc;

	if (!argv) {
		slurm_error("spank-spark: out of memory");
		return -1;
	}
	while (argv[argc])
		argc++;
	/* Slurm copies the strings. */
	rc = spank_prepend_task_argv(sp, argc, (const char **)argv);
	free(argv);
	if (rc != ESPANK_SUCCESS) {
		slurm_error("spank-spark: cannot make the task run the helper: "
			    "%s",
			    spank_strerror(rc));
		return -1;
	}
	return 0;
}
#else
/* Slurm 22.05: argv can be rewritten in place, not lengthened.  The task
 * runs HELPER APP[1..] with the rest of the hand-off in its environment
 * (common/handoff.h); the helper puts the command line back together. */
static int hand_over(spank_t sp, const struct ss_handoff *ho)
{
	char *value = ss_handoff_to_env(ho), *helper;
	int rc = -1;

	if (!value) {
		slurm_error("spank-spark: cannot hand the step over to the "
			    "helper (out of memory, or a newline in a "
			    "plugstack.conf argument)");
		return -1;
	}
	if (ho->app_argc < 1 || !(helper = strdup(ss_plugin.site.helper)))
		slurm_error("spank-spark: cannot hand the step over to the "
			    "helper");
	else if (spank_setenv(sp, SS_HANDOFF_ENV, value, 1) != ESPANK_SUCCESS ||
		 spank_setenv(sp, SS_HANDOFF_ARGV0_ENV, ho->app_argv[0], 1) !=
		     ESPANK_SUCCESS) {
		slurm_error("spank-spark: cannot set the helper's hand-off in "
			    "the task's environment");
		free(helper);
	} else {
		/* This task's own copy of argv: Slurm execs it after its
		 * task setup (TaskProlog, TMPDIR, limits).  Never freed:
		 * the task execs or ends. */
		ho->app_argv[0] = helper;
		rc = 0;
	}
	free(value);
	return rc;
}
#endif

/*
 * A heterogeneous step (common/het.h) is one Spark step: the driver on the
 * first component's first node, executors on every other node, each sized
 * from its own component's allocation (SLURM_CPUS_ON_NODE and S_JOB_ALLOC_MEM
 * are that component's).  HO gets the whole step's node index and count
 * and the leader's job id, which every component derives the rendezvous
 * from; its own job id stays in HO->het_job.  1: heterogeneous, 0: not,
 * -1: refused (client mode, which srun refuses first where it can, only
 * on the step's first node, so that the user reads it once).
 */
static int het_task(spank_t sp, struct ss_handoff *ho, uint32_t comp_nnodes)
{
	static struct job_env_lookup lookup;
	struct ss_het het;
	char err[SS_ERR_LEN], first[256];
	const char *me;
	int rc;

	lookup.sp = sp;
	lookup.too_long = NULL;
	rc = ss_het_step(job_getenv, &lookup, ho->job, comp_nnodes, &het, err,
			 sizeof(err));
	if (rc < 0)
		slurm_error("spank-spark: %s", err);
	if (rc <= 0)
		return rc;
	if (ss_plugin.mode == SS_MODE_CLIENT) {
		if (het.node_index == 0)
			slurm_error("spank-spark: %s", SS_HET_CLIENT_REFUSED);
		return -1;
	}
	if (het.node_index == 0) {
		/* The executors look for the driver there. */
		if (ss_het_driver_host(job_getenv, &lookup, first,
				       sizeof(first), err, sizeof(err))) {
			slurm_error("spank-spark: %s", err);
			return -1;
		}
		me = job_getenv("SLURMD_NODENAME", &lookup);
		if (me && strcmp(me, first)) {
			slurm_error("spank-spark: heterogeneous step: the "
				    "driver must run on the first node of the "
				    "first component's allocation (%s), not "
				    "%.200s: start that component's step on "
				    "it",
				    first, me);
			return -1;
		}
	}
	ho->het_job = ho->job;
	ho->job = het.leader_job;
	ho->node_index = (int)het.node_index;
	ho->nnodes = het.nnodes;
	return 1;
}

/* Make this task run the helper, through Slurm's own task setup: the
 * helper is exec'd by slurmstepd after TaskProlog, TMPDIR and the user's
 * limits are applied. */
int ss_remote_task_init(spank_t sp)
{
	uint32_t job = 0, step = 0, node = 0, nnodes = 0, local_task = 0;
	int app_argc = 0;
	char **app_argv = NULL;
	uint64_t mem_mb = 0;
	struct ss_handoff ho;

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
	if (ss_export_options(task_setenv, sp)) {
		slurm_error("spank-spark: cannot prepare the helper's "
			    "environment");
		return -1;
	}
	/* Slurm would only say "execve(): No such file" later. */
	if (access(ss_plugin.site.helper, X_OK)) {
		slurm_error("spank-spark: cannot run the helper %s: %s (check "
			    "helper= in plugstack.conf)",
			    ss_plugin.site.helper, strerror(errno));
		return -1;
	}
	/* Every task of the node runs the helper; all but the node's first
	 * (--local-task) end at once with status 0 (doc/design.md:
	 * "What happens"). */
	ss_helper_handoff(&ho, "executor");
	ho.job = job;
	ho.step = step;
	ho.nnodes = nnodes;
	ho.node_index = (int)node;
	ho.local_task = local_task;
	if (het_task(sp, &ho, nnodes) < 0)
		return -1;
	if (ss_plugin.mode == SS_MODE_CLUSTER && ho.node_index == 0)
		ho.role = "driver";
	/* What the step may use here: SLURM_MEM_PER_NODE is only set when
	 * the user asked for memory, DefMemPerNode applies anyway. */
	if (spank_get_item(sp, S_JOB_ALLOC_MEM, &mem_mb) != ESPANK_SUCCESS)
		mem_mb = 0;
	{
		char err[SS_ERR_LEN];

		/* Cluster mode's first node holds the driver, and executors
		 * only when it is the step's one node or asked to. */
		bool driver = ho.role && !strcmp(ho.role, "driver");
		unsigned what =
		    !driver || ho.nnodes <= 1 ||
			    ss_plugin.opts.value[SS_OPT_DRIVER_EXECUTOR]
			? SS_FIT_EXECUTORS
			: 0;

		if (driver)
			what |= SS_FIT_DRIVER;
		if (ss_check_node_fit(&ss_plugin.opts, mem_mb, what, err,
				      sizeof(err))) {
			slurm_error("spank-spark: %s", err);
			return -1;
		}
	}
	ho.node_mem_mb = mem_mb;
	ho.app_argc = app_argc;
	ho.app_argv = app_argv;
#ifdef HAVE_SPANK_PREPEND_TASK_ARGV
	ho.app_argc = 0; /* Slurm keeps the task's own argv after ours */
#endif
	return hand_over(sp, &ho);
}

void ss_remote_exit(spank_t sp)
{
	uint32_t job = 0, step = 0;
	uid_t uid;
	char host[256];
	int killed, removed;

	if (spank_get_item(sp, S_JOB_ID, &job) != ESPANK_SUCCESS ||
	    spank_get_item(sp, S_JOB_STEPID, &step) != ESPANK_SUCCESS ||
	    spank_get_item(sp, S_JOB_UID, &uid) != ESPANK_SUCCESS ||
	    gethostname(host, sizeof(host)) < 0)
		return;
	ss_cleanup(uid, job, step, false, host, &killed, &removed);
	if (killed || removed)
		slurm_info("spank-spark: step %u.%u: killed %d leftover "
			   "process(es), removed %d scratch director%s",
			   job, step, killed, removed,
			   removed == 1 ? "y" : "ies");
}
