/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_handoff.c - the plugin -> helper hand-off (common/handoff.c): argv
 * and environment round trips, and what the helper refuses.
 */
#include "tap.h"
#include "handoff.h"

#include <stdlib.h>
#include <string.h>

static char *site[] = {"spark_home=/opt/spark", "ports=20000-20999",
		       "log_dir=/tmp/x/%u/%j"};
static char *app[] = {"placement.py", "3", "--", "a b", "x=y"};

static struct ss_handoff sample(void)
{
	struct ss_handoff h;

	ss_handoff_init(&h);
	h.role = "executor";
	h.job = 4294967294u;
	h.step = 7;
	h.nnodes = 3;
	h.node_index = 2;
	h.local_task = 1;
	h.node_mem_mb = 1ULL << 39;
	h.het_job = 4294967295u;
	h.site_argc = 3;
	h.site_argv = site;
	h.app_argc = 5;
	h.app_argv = app;
	return h;
}

static int argc_of(char **argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

static void same(const struct ss_handoff *got, const struct ss_handoff *want,
		 const char *how)
{
	is_str(got->role, want->role, "%s: role", how);
	is_int(got->job, want->job, "%s: job", how);
	is_int(got->step, want->step, "%s: step", how);
	is_int(got->nnodes, want->nnodes, "%s: nodes", how);
	is_int(got->node_index, want->node_index, "%s: node index", how);
	is_int(got->local_task, want->local_task, "%s: local task", how);
	ok(got->node_mem_mb == want->node_mem_mb, "%s: node memory", how);
	is_int(got->lifeline_fd, want->lifeline_fd, "%s: lifeline fd", how);
	ok(got->het_job == want->het_job, "%s: het component's job", how);
	is_int(got->site_argc, want->site_argc, "%s: site argument count", how);
	for (int i = 0; i < want->site_argc && i < got->site_argc; i++)
		is_str(got->site_argv[i], want->site_argv[i],
		       "%s: site argument %d", how, i);
	is_int(got->app_argc, want->app_argc, "%s: application argc", how);
	for (int i = 0; i < want->app_argc && i < got->app_argc; i++)
		is_str(got->app_argv[i], want->app_argv[i],
		       "%s: application argument %d", how, i);
}

static void test_argv_round_trip(void)
{
	struct ss_handoff h = sample(), back;
	char err[256] = "", **argv = ss_handoff_to_argv(&h, "/x/helper");

	ok(argv != NULL, "to_argv");
	is_str(argv[0], "/x/helper", "argv[0] is the helper");
	is_str(argv[1], "executor", "argv[1] is the role");
	is_int(ss_handoff_from_argv(&back, argc_of(argv), argv, NULL, NULL, err,
				    sizeof(err)),
	       0, "from_argv accepts what to_argv made (%s)", err);
	same(&back, &h, "argv");
	ss_handoff_release(&back);
	free(argv);

	/* client-driver: node index -1, a lifeline, no site args, no app */
	ss_handoff_init(&h);
	h.role = "client-driver";
	h.node_index = -1;
	h.lifeline_fd = 10;
	argv = ss_handoff_to_argv(&h, "h");
	is_str(argv[argc_of(argv) - 1], "--",
	       "an empty application: ends "
	       "with --");
	is_int(ss_handoff_from_argv(&back, argc_of(argv), argv, NULL, NULL, err,
				    sizeof(err)),
	       0, "from_argv: client-driver");
	same(&back, &h, "client-driver");
	ss_handoff_release(&back);
	free(argv);
}

static int take_count(const char *arg, void *ctx)
{
	if (strncmp(arg, "--count=", 8))
		return -1;
	*(int *)ctx = atoi(arg + 8);
	return 0;
}

static void test_argv_refused(void)
{
	struct ss_handoff h;
	char err[256] = "";
	char *bad_num[] = {"h", "driver", "--job=-1", NULL};
	char *bad_het[] = {"h", "executor", "--het-job=0", NULL};
	char *big_het[] = {"h", "executor", "--het-job=4294967296", NULL};
	char *unknown[] = {"h", "driver", "--frobnicate", NULL};
	char *extra[] = {"h", "rendezvous-client", "--count=12", "--job=3",
			 NULL};
	char *role_only[] = {"h", NULL};
	int count = 0;

	is_int(
	    ss_handoff_from_argv(&h, 3, bad_num, NULL, NULL, err, sizeof(err)),
	    -1, "a negative job id is refused");
	like(err, "bad --job=-1", "...naming it");
	is_int(
	    ss_handoff_from_argv(&h, 3, bad_het, NULL, NULL, err, sizeof(err)),
	    -1, "a het component's job id 0 is refused");
	is_int(
	    ss_handoff_from_argv(&h, 3, big_het, NULL, NULL, err, sizeof(err)),
	    -1, "a het component's job id over 32 bits is refused");
	is_int(
	    ss_handoff_from_argv(&h, 3, unknown, NULL, NULL, err, sizeof(err)),
	    -1, "an unknown option is refused");
	like(err, "unknown argument --frobnicate", "...naming it");
	is_int(ss_handoff_from_argv(&h, 4, extra, take_count, &count, err,
				    sizeof(err)),
	       0, "a role's own option goes to the extra callback");
	is_int(count, 12, "...which took it");
	is_int(h.job, 3, "...and the hand-off options still count");
	ss_handoff_release(&h);
	is_int(ss_handoff_from_argv(&h, 1, role_only, NULL, NULL, err,
				    sizeof(err)),
	       -1, "no role: refused");
}

/* The environment the helper sees, for ss_handoff_argv_from_env. */
static const char *env_handoff, *env_argv0;
static const char *fake_getenv(const char *name)
{
	if (!strcmp(name, SS_HANDOFF_ENV))
		return env_handoff;
	if (!strcmp(name, SS_HANDOFF_ARGV0_ENV))
		return env_argv0;
	return NULL;
}

static void test_env_round_trip(void)
{
	struct ss_handoff h = sample(), back;
	char *value = ss_handoff_to_env(&h), err[256] = "";
	/* What Slurm 22.05 execs: argv[0] replaced by the helper. */
	char *task_argv[] = {"/x/helper", "3", "--", "a b", "x=y", NULL};
	char **argv = NULL;
	int argc = 0;

	ok(value && !strchr(value, ' ') && !strstr(value, "placement"),
	   "to_env: ids and site args only, one per line");
	env_handoff = value;
	env_argv0 = "placement.py";
	is_int(
	    ss_handoff_argv_from_env(5, task_argv, fake_getenv, &argc, &argv),
	    1, "argv_from_env rebuilds the command line");
	is_str(argv[0], "/x/helper", "...keeping argv[0]");
	is_int(ss_handoff_from_argv(&back, argc, argv, NULL, NULL, err,
				    sizeof(err)),
	       0, "...which from_argv accepts (%s)", err);
	same(&back, &h, "env");
	ss_handoff_release(&back);
	free(argv);
	free(value);

	env_handoff = NULL;
	is_int(
	    ss_handoff_argv_from_env(5, task_argv, fake_getenv, &argc, &argv),
	    0, "no variable: the command line is the hand-off");
	env_handoff = "driver\n\n--job=1";
	is_int(
	    ss_handoff_argv_from_env(5, task_argv, fake_getenv, &argc, &argv),
	    -1, "an empty line is refused");
	env_handoff = "driver";
	env_argv0 = NULL;
	is_int(
	    ss_handoff_argv_from_env(5, task_argv, fake_getenv, &argc, &argv),
	    -1, "no application argv[0]: refused");

	{
		char *nl_site[] = {"log_dir=/a\nb"};

		h.site_argc = 1;
		h.site_argv = nl_site;
		ok(ss_handoff_to_env(&h) == NULL,
		   "to_env refuses a site argument with a newline");
	}
}

int main(void)
{
	test_argv_round_trip();
	test_argv_refused();
	test_env_round_trip();
	return done_testing();
}
