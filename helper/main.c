/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - spank-spark-helper's command line.
 *
 *   spank-spark-helper ROLE [--job=J --step=S --nodes=N --node-index=K
 *                            --local-task=T --node-mem-mb=M
 *                            --lifeline-fd=FD] [SITE_KEY=VALUE ...]
 *                            -- [APPLICATION ARGS ...]
 *
 * (the hand-off of common/handoff.h; on Slurm 22.05 most of it comes in
 * the environment instead, see handoff_from_env).
 *
 * The plugin runs it with the plugstack.conf arguments as SITE_KEY=VALUE
 * and the step's resolved --spark-* options as SPANK_SPARK_* variables;
 * nothing secret is ever on this command line.
 */
#include "handoff.h"
#include "helper.h"
#include "log.h"
#include "os.h"
#include "proc.h"
#include "timeline.h"

#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *name;
	enum helper_role role;
} roles[] = {
    {"driver", ROLE_DRIVER},
    {"client-driver", ROLE_CLIENT_DRIVER},
    {"executor", ROLE_EXECUTOR},
};

static void usage(void)
{
	fprintf(stderr,
		"usage: spank-spark-helper ROLE [--job=J] [--step=S] "
		"[--nodes=N] [--node-index=K] [--local-task=T] "
		"[--node-mem-mb=M] [--lifeline-fd=FD] [KEY=VALUE ...] -- "
		"[APP ARGS]\n"
		"       spank-spark-helper --version\n"
		"       spank-spark-helper join FILE NODE\n"
		"roles: driver client-driver executor\n"
		"Started by the spank-spark plugin; join by a join job of "
		"--spark-elastic.\n");
}

/* The plugin's hand-off (common/handoff.h) into H. */
static int parse_args(struct helper *h, int argc, char **argv)
{
	struct ss_handoff ho;
	char err[512];
	int rc;

	if (ss_handoff_from_argv(&ho, argc, argv, NULL, NULL, err,
				 sizeof(err))) {
		fprintf(stderr, "spank-spark-helper: %s\n", err);
		return -1;
	}
	/* Slurm runs the helper as every task of the step; one per node
	 * does the work, the node's other tasks end at once. */
	if (ho.local_task != 0) {
		ss_handoff_release(&ho);
		exit(0);
	}
	h->job = ho.job;
	h->het_job = ho.het_job;
	h->step = ho.step;
	h->nnodes = ho.nnodes;
	h->node_index = ho.node_index;
	h->node_mem_mb = (long)ho.node_mem_mb;
	h->lifeline_fd = ho.lifeline_fd;
	h->app_argc = ho.app_argc;
	h->app_argv = ho.app_argv;
	h->site_argc = ho.site_argc;
	h->site_argv = ho.site_argv; /* kept for a join file */
	ho.site_argv = NULL;
	rc = ss_site_parse(&h->site, h->site_argc, h->site_argv, err,
			   sizeof(err));
	ss_handoff_release(&ho);
	if (rc) {
		fprintf(stderr, "spank-spark: error: %s\n", err);
		return -1;
	}
	if (ss_opts_apply_env(&h->opts, ss_process_getenv, NULL, err,
			      sizeof(err))) {
		fprintf(stderr, "spank-spark: error: %s\n", err);
		return -1;
	}
	return 0;
}

static const char *getenv_plain(const char *name)
{
	return getenv(name);
}

/* Slurm 22.05 hands over through the environment: rebuild the command
 * line and exec it, so that the helper looks the same in ps (and to the
 * tests that find it there) on every Slurm; the variables do not reach
 * the application. */
static int handoff_from_env(int *argc, char ***argv)
{
	int rc =
	    ss_handoff_argv_from_env(*argc, *argv, getenv_plain, argc, argv);

	unsetenv(SS_HANDOFF_ENV);
	unsetenv(SS_HANDOFF_ARGV0_ENV);
	if (rc < 0) {
		fprintf(stderr, "spank-spark-helper: malformed %s\n",
			SS_HANDOFF_ENV);
		return -1;
	}
	if (rc > 0)
		execv("/proc/self/exe", *argv); /* else: go on as we are */
	return 0;
}

int main(int argc, char **argv)
{
	static struct helper h = {.lifeline_fd = -1, .log_dir_fd = -1};
	struct passwd *pw;
	int signal_fd, rc;
	bool found = false;

	if (handoff_from_env(&argc, &argv))
		return 2;
	if (argc < 2) {
		usage();
		return 2;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("spank-spark-helper %s\n", SS_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "join")) {
		if (argc != 4) {
			usage();
			return 2;
		}
		h.role = ROLE_JOIN;
		found = true;
	}
	for (size_t i = 0; i < sizeof(roles) / sizeof(*roles); i++)
		if (!strcmp(argv[1], roles[i].name)) {
			h.role = roles[i].role;
			found = true;
		}
	if (!found || (h.role != ROLE_JOIN && parse_args(&h, argc, argv))) {
		usage();
		return 2;
	}
	/* srun's lifeline must not leak into the JVMs. */
	if (h.lifeline_fd >= 0)
		fcntl(h.lifeline_fd, F_SETFD, FD_CLOEXEC);
	/* Everything this helper writes is the job owner's alone. */
	umask(077);
	h.uid = getuid();
	pw = getpwuid(h.uid);
	snprintf(h.user, sizeof(h.user), "%s", pw ? pw->pw_name : "unknown");
	snprintf(h.home, sizeof(h.home), "%s",
		 pw ? pw->pw_dir : "/nonexistent");
	if (gethostname(h.host, sizeof(h.host)) < 0)
		snprintf(h.host, sizeof(h.host), "unknown");
	if (h.role == ROLE_JOIN && join_load(&h, argv[2], argv[3]))
		return EXIT_HELPER_FAILED;
	log_init(h.host, h.opts.value[SS_OPT_VERBOSE] != NULL);
	timeline_init();
	timeline("helper up on %s", h.host);
	if ((signal_fd = signals_init()) < 0) {
		log_error("cannot set up signal handling");
		return EXIT_HELPER_FAILED;
	}
	/* Before any JVM: kills counted from here are this step's. */
	memwatch_init(&h.mem);
	switch (h.role) {
	case ROLE_DRIVER:
	case ROLE_CLIENT_DRIVER:
		rc = run_driver(&h, signal_fd);
		break;
	default:
		rc = run_executor(&h, signal_fd);
		break;
	}
	ss_opts_free(&h.opts);
	free(h.site_argv);
	return rc;
}
