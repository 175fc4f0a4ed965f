/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - spank-spark-helper's command line.
 *
 *   spank-spark-helper ROLE [--job=J --step=S --nodes=N --node-index=K
 *                            --lifeline-fd=FD] [SITE_KEY=VALUE ...]
 *                            -- [APPLICATION ARGS ...]
 *
 * The plugin runs it with the plugstack.conf arguments as SITE_KEY=VALUE
 * and the step's resolved --spark-* options as SPANK_SPARK_* variables;
 * nothing secret is ever on this command line.
 */
#include "helper.h"
#include "log.h"
#include "proc.h"

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
    {"rendezvous-server", ROLE_RDV_SERVER},
    {"rendezvous-client", ROLE_RDV_CLIENT},
};

static void usage(void)
{
	fprintf(stderr,
		"usage: spank-spark-helper ROLE [--job=J] [--step=S] "
		"[--nodes=N] [--node-index=K] [--lifeline-fd=FD] [--count=K] "
		"[--replay] [--target=ADDR] [--port=P] [KEY=VALUE ...] -- [APP "
		"ARGS]\n"
		"roles: driver client-driver executor rendezvous-server "
		"rendezvous-client\n"
		"Started by the spank-spark plugin; the rendezvous roles are "
		"for tests and benchmarks.\n");
}

static const char *process_getenv(const char *name, void *arg)
{
	(void)arg;
	return getenv(name);
}

static int number_arg(const char *arg, const char *prefix, long min, long max,
		      long *out)
{
	size_t n = strlen(prefix);

	if (strncmp(arg, prefix, n))
		return 1;
	if (ss_parse_long(arg + n, min, max, out)) {
		fprintf(stderr, "spank-spark-helper: bad %s\n", arg);
		exit(2);
	}
	return 0;
}

static int parse_args(struct helper *h, int argc, char **argv)
{
	char **site_args = calloc((size_t)argc, sizeof(*site_args));
	char err[512];
	int nsite = 0, i, rc;
	long v;

	if (!site_args)
		return -1;
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i];

		if (!number_arg(a, "--job=", 0, UINT32_MAX, &v))
			h->job = (uint32_t)v;
		else if (!number_arg(a, "--step=", 0, UINT32_MAX, &v))
			h->step = (uint32_t)v;
		else if (!number_arg(a, "--nodes=", 0, 1000000, &v))
			h->nnodes = (uint32_t)v;
		else if (!strcmp(a, "--node-index=-1"))
			h->node_index = -1;
		else if (!number_arg(a, "--node-index=", 0, 1000000, &v))
			h->node_index = (int)v;
		else if (!number_arg(a, "--node-mem-mb=", 0, 1L << 40, &v))
			h->node_mem_mb = v;
		else if (!number_arg(a, "--lifeline-fd=", 0, 1024, &v))
			h->lifeline_fd = (int)v;
		else if (!number_arg(a, "--count=", 1, 100000, &v))
			h->rdv_count = (int)v;
		else if (!number_arg(a, "--port=", 1, 65535, &v))
			h->rdv_target_port = v;
		else if (!strcmp(a, "--replay"))
			h->rdv_replay = true;
		else if (!strncmp(a, "--target=", 9))
			h->rdv_target = a + 9;
		else if (a[0] != '-' && strchr(a, '='))
			site_args[nsite++] = argv[i];
		else {
			fprintf(stderr,
				"spank-spark-helper: unknown "
				"argument %s\n",
				a);
			free(site_args);
			return -1;
		}
	}
	rc = ss_site_parse(&h->site, nsite, site_args, err, sizeof(err));
	free(site_args);
	if (rc) {
		fprintf(stderr, "spank-spark: error: %s\n", err);
		return -1;
	}
	if (i < argc) {
		h->app_argc = argc - i - 1;
		h->app_argv = argv + i + 1;
	}
	if (ss_opts_apply_env(&h->opts, process_getenv, NULL, err,
			      sizeof(err))) {
		fprintf(stderr, "spank-spark: error: %s\n", err);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct helper h = {
	    .lifeline_fd = -1, .log_dir_fd = -1, .rdv_count = 1};
	struct passwd *pw;
	int signal_fd, rc;
	bool found = false;

	if (argc < 2) {
		usage();
		return 2;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("spank-spark-helper %s\n", SS_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(roles) / sizeof(*roles); i++)
		if (!strcmp(argv[1], roles[i].name)) {
			h.role = roles[i].role;
			found = true;
		}
	if (!found || parse_args(&h, argc, argv)) {
		usage();
		return 2;
	}
	/* Everything this helper writes is the job owner's alone. */
	umask(077);
	h.uid = getuid();
	pw = getpwuid(h.uid);
	snprintf(h.user, sizeof(h.user), "%s", pw ? pw->pw_name : "unknown");
	snprintf(h.home, sizeof(h.home), "%s",
		 pw ? pw->pw_dir : "/nonexistent");
	if (gethostname(h.host, sizeof(h.host)) < 0)
		snprintf(h.host, sizeof(h.host), "unknown");
	log_init(h.host, h.opts.value[SS_OPT_VERBOSE] != NULL);
	if ((signal_fd = signals_init()) < 0) {
		log_error("cannot set up signal handling");
		return EXIT_HELPER_FAILED;
	}
	switch (h.role) {
	case ROLE_DRIVER:
	case ROLE_CLIENT_DRIVER:
		rc = run_driver(&h, signal_fd);
		break;
	case ROLE_EXECUTOR:
		rc = run_executor(&h, signal_fd);
		break;
	case ROLE_RDV_SERVER:
		rc = run_rendezvous_server(&h, signal_fd);
		break;
	default:
		rc = run_rendezvous_client(&h, signal_fd);
		break;
	}
	ss_opts_free(&h.opts);
	return rc;
}
