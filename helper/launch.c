/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch.c - the command lines of the step's JVMs.
 */
#include "launch.h"
#include "connect.h"
#include "log.h"
#include "net.h"
#include "spark.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int launch_which(const char *name, char *out, size_t outlen)
{
	const char *path = getenv("PATH");
	int n;

	if (strchr(name, '/')) {
		n = snprintf(out, outlen, "%s", name);
		return n < 0 || (size_t)n >= outlen ? -1 : 0;
	}
	while (*name && path && *path) {
		size_t len = strcspn(path, ":");
		struct stat st;

		n = snprintf(out, outlen, "%.*s/%s", (int)len, path, name);
		if (len && n > 0 && (size_t)n < outlen &&
		    access(out, X_OK) == 0 && stat(out, &st) == 0 &&
		    S_ISREG(st.st_mode))
			return 0;
		path += len + (path[len] == ':');
	}
	return -1;
}

int launch_java(const struct helper *h, char *out, size_t outlen)
{
	int n;

	if (h->site.java_home[0]) {
		n = snprintf(out, outlen, "%s/bin/java", h->site.java_home);
		return n < 0 || (size_t)n >= outlen ? -1 : 0;
	}
	if (launch_which("java", out, outlen) == 0)
		return 0;
	log_error("no java on PATH: set java_home= in plugstack.conf");
	return -1;
}

int launch_command(struct helper *h, struct child *c, const char *url)
{
	char exe[PATH_MAX], remote[256];
	const char *extra[] = {remote, NULL};
	char **argv, **env;
	struct child_io io = {.in_fd = -1, .out_fd = -1};
	int rc;

	if (launch_which(h->app_argv[0], exe, sizeof(exe))) {
		log_error("cannot find %s on PATH", h->app_argv[0]);
		return -1;
	}
	if (!(argv = calloc((size_t)h->app_argc + 1, sizeof(*argv))))
		return -1;
	argv[0] = exe;
	for (int i = 1; i < h->app_argc; i++)
		argv[i] = h->app_argv[i];
	snprintf(remote, sizeof(remote), "SPARK_REMOTE=%s", url);
	env = spark_env(h, extra);
	explicit_bzero(remote, sizeof(remote));
	if (!env) {
		free(argv);
		return -1;
	}
	c->name = h->app_argv[0];
	rc = child_start(c, argv, env, &io);
	if (rc < 0)
		log_error("cannot start %s: %s", exe, strerror(errno));
	spark_env_free(env);
	free(argv);
	return rc;
}

int launch_submit(struct helper *h, struct child *c, const char *master,
		  const char *conf_dir, const char *const extra[])
{
	static const char *const launchers[] = {"spark-submit", "pyspark",
						"spark-shell", "spark-sql"};
	const char *launcher = "spark-submit";
	char exe[PATH_MAX], mem[32], conf_env[PATH_MAX + 32];
	const char *env_extra[16];
	char **argv, **env;
	size_t ne = 0;
	int n = 0, first = 0, rc;
	struct child_io io = {.in_fd = -1, .out_fd = -1};

	/* --spark-connect: the driver is Spark's Connect server; the step's
	 * command runs beside it (launch_command). */
	bool connect = h->opts.value[SS_OPT_CONNECT] != NULL;

	for (size_t i = 0;
	     !connect && i < sizeof(launchers) / sizeof(*launchers); i++)
		if (!strcmp(base_name(h->app_argv[0]), launchers[i])) {
			launcher = launchers[i];
			first = 1; /* completed, not replaced */
		}
	if (first && strchr(h->app_argv[0], '/'))
		snprintf(exe, sizeof(exe), "%s", h->app_argv[0]);
	else if (spark_bin(h, launcher, exe, sizeof(exe)))
		return -1;
	argv =
	    calloc((size_t)h->app_argc + 2 * SS_OPT_COUNT + 8, sizeof(*argv));
	if (!argv)
		return -1;
	argv[n++] = exe;
	argv[n++] = "--master";
	argv[n++] = (char *)master;
	if (!strcmp(launcher, "spark-submit")) {
		argv[n++] = "--deploy-mode";
		argv[n++] = "client";
	}
	/* The option table says which options are spark-submit flags. */
	for (int id = 0; id < SS_OPT_COUNT; id++) {
		const char *v = h->opts.value[id];

		if (!v || !ss_opt_table[id].submit_flag)
			continue;
		/* The JVM reads "2048" as bytes and refuses "8gb". */
		if (ss_opt_table[id].kind == SS_KIND_SIZE &&
		    ss_size_to_spark(v, mem, sizeof(mem)) == 0)
			v = mem;
		argv[n++] = (char *)ss_opt_table[id].submit_flag;
		argv[n++] = (char *)v;
	}
	if (connect) {
		argv[n++] = "--class";
		argv[n++] = SS_CONNECT_CLASS;
		argv[n++] = SS_CONNECT_RESOURCE;
	}
	for (int i = first; !connect && i < h->app_argc; i++)
		argv[n++] = h->app_argv[i];
	snprintf(conf_env, sizeof(conf_env), "SPARK_CONF_DIR=%s", conf_dir);
	env_extra[ne++] = conf_env;
	for (size_t i = 0; extra && extra[i] && ne < 15; i++)
		env_extra[ne++] = extra[i];
	env_extra[ne] = NULL;
	if (!(env = spark_env(h, env_extra))) {
		free(argv);
		return -1;
	}
	c->name = launcher;
	rc = child_start(c, argv, env, &io);
	if (rc < 0)
		log_error("cannot start %s: %s", exe, strerror(errno));
	spark_env_free(env);
	free(argv);
	return rc;
}

int launch_executor(struct executors *x, struct executor *e, int in_fd)
{
	struct helper *h = x->h;
	char java[PATH_MAX], cp[PATH_MAX * 2 + 16], heap[32],
	    tmp[PATH_MAX + 48];
	char bm[48], retries[48], id[24], cores[24], work[PATH_MAX + 16];
	char secret[96], opts[PATH_MAX + 16];
	const char *argv[40], *extra[2];
	char **env;
	uint16_t port;
	size_t n = 0;
	int rc;
	long span = h->site.port_hi - h->site.port_lo;
	struct child_io io = {.in_fd = in_fd, .out_fd = x->log_fd, .cwd = work};

	if (launch_java(h, java, sizeof(java)))
		return -1;
	if (net_pick_port(&h->site, (uint32_t)(h->job * 7919U + e->id * 131U),
			  NULL, 0, &port)) {
		log_error("no free port left in the site's range %u-%u",
			  h->site.port_lo, h->site.port_hi);
		return -1;
	}
	snprintf(cp, sizeof(cp), "%s/jars/*:%s", h->site.spark_home,
		 h->site.jar);
	snprintf(heap, sizeof(heap), "-Xmx%ldm", x->heap_mb);
	snprintf(tmp, sizeof(tmp), "-Djava.io.tmpdir=%s/tmp", h->step_dir);
	snprintf(bm, sizeof(bm), "-Dspark.blockManager.port=%u", port);
	/* Spark tries the next ports when one is taken: stay in range. */
	snprintf(retries, sizeof(retries), "-Dspark.port.maxRetries=%ld",
		 span < 100 ? span : 100);
	snprintf(id, sizeof(id), "%ld", e->id);
	snprintf(cores, sizeof(cores), "%ld", x->cores);
	snprintf(work, sizeof(work), "%s/work", h->step_dir);
	/* Spark's JVM options for this Java (--add-opens...), written beside
	 * the jar when it was built against this Spark (jvm/). */
	snprintf(opts, sizeof(opts), "@%s.args", h->site.jar);
	argv[n++] = java;
	argv[n++] = opts;
	argv[n++] = "-cp";
	argv[n++] = cp;
	argv[n++] = heap;
	argv[n++] = tmp;
	argv[n++] = "-Dspark.authenticate=true";
	if (x->encrypt) {
		argv[n++] = "-Dspark.network.crypto.enabled=true";
		argv[n++] = "-Dspark.io.encryption.enabled=true";
	}
	argv[n++] = bm;
	argv[n++] = retries;
	argv[n++] = LAUNCHER_CLASS;
	argv[n++] = "--executor-id";
	argv[n++] = id;
	argv[n++] = "--hostname";
	argv[n++] = h->addr;
	argv[n++] = "--bind-address";
	argv[n++] = h->addr;
	argv[n++] = "--cores";
	argv[n++] = cores;
	argv[n++] = "--app-id";
	argv[n++] = x->app_id;
	argv[n] = NULL;
	snprintf(secret, sizeof(secret), "_SPARK_AUTH_SECRET=%s", x->secret);
	extra[0] = secret;
	extra[1] = NULL;
	env = spark_env(h, extra);
	explicit_bzero(secret, sizeof(secret));
	if (!env)
		return -1;
	e->c.name = "executor";
	rc = child_start(&e->c, (char *const *)argv, env, &io);
	if (rc < 0)
		log_error("cannot start an executor JVM: %s", strerror(errno));
	spark_env_free(env);
	return rc;
}
