/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch.c - the command lines of the step's JVMs.
 */
#include "launch.h"
#include "class_cache.h"
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

/* The site's class cache for JAVA, or none (common/class_cache.h). */
static void find_cache(const struct helper *h, const char *java,
		       struct class_cache *cc)
{
	char why[512];

	if (class_cache_find(&h->site, java, cc, why, sizeof(why)) == 0)
		log_verbose("class cache %s", h->site.class_cache);
	else
		log_verbose("no class cache in %s: %s", h->site.class_cache,
			    why);
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

/* Start C with ARGV and ENV, which it frees either way. */
static int start_and_free(struct child *c, char **argv, char **env,
			  const struct child_io *io)
{
	int rc = child_start(c, argv, env, io);

	if (rc < 0)
		log_error("cannot start %s: %s", argv[0], strerror(errno));
	spark_env_free(env);
	free(argv);
	return rc;
}

int launch_command(struct helper *h, struct child *c, const char *url)
{
	char exe[PATH_MAX], remote[256];
	const char *extra[] = {remote, NULL};
	char **argv, **env;
	struct child_io io = {.in_fd = -1, .out_fd = -1};

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
	return start_and_free(c, argv, env, &io);
}

/* Would a completed launcher's own options (ARGV up to the application)
 * replace the step's configuration?  Spark reads one properties file. */
static bool names_properties_file(char *const argv[], int argc)
{
	for (int i = 0; i < argc && !strncmp(argv[i], "-", 1);) {
		if (!strcmp(argv[i], "--properties-file") ||
		    !strncmp(argv[i], "--properties-file=", 18))
			return true;
		if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v") ||
		    !strcmp(argv[i], "--supervise") || strchr(argv[i], '='))
			i++;
		else
			i += 2; /* an option and its value */
	}
	return false;
}

int launch_submit(struct helper *h, struct child *c, const char *master,
		  const char *conf_dir, const char *const extra[])
{
	static const char *const launchers[] = {"spark-submit", "pyspark",
						"spark-shell", "spark-sql"};
	const char *launcher = "spark-submit";
	char exe[PATH_MAX], mem[32], conf_env[PATH_MAX + 32], java[PATH_MAX];
	char props[PATH_MAX + 32], opts_env[3 * PATH_MAX + 256];
	const char *env_extra[16], *user_opts = getenv("SPARK_SUBMIT_OPTS");
	struct class_cache cc;
	char **argv, **env;
	size_t ne = 0;
	int n = 0, first = 0;
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
	if (first && names_properties_file(h->app_argv + 1, h->app_argc - 1)) {
		log_error("%s --properties-file would replace the step's Spark "
			  "configuration: give the file with "
			  "--spark-properties-file instead",
			  launcher);
		return -1;
	}
	if (first && strchr(h->app_argv[0], '/'))
		snprintf(exe, sizeof(exe), "%s", h->app_argv[0]);
	else if (spark_bin(h, launcher, exe, sizeof(exe)))
		return -1;
	argv =
	    calloc((size_t)h->app_argc + 2 * SS_OPT_COUNT + 16, sizeof(*argv));
	if (!argv)
		return -1;
	/* The configuration is named, not found in SPARK_CONF_DIR: that
	 * directory is on the driver's class path, which must be the same
	 * for every step for the class cache to apply (class_cache.h). */
	snprintf(props, sizeof(props), "%s/spark-defaults.conf", conf_dir);
	argv[n++] = exe;
	argv[n++] = "--master";
	argv[n++] = (char *)master;
	argv[n++] = "--properties-file";
	argv[n++] = props;
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
	cc.on = false;
	if (launch_java(h, java, sizeof(java)) == 0)
		find_cache(h, java, &cc);
	snprintf(conf_env, sizeof(conf_env), "SPARK_CONF_DIR=%s",
		 cc.on ? cc.conf_dir : conf_dir);
	/* Spark's launcher adds SPARK_SUBMIT_OPTS to the driver JVM's
	 * options, where a user's spark.driver.extraJavaOptions cannot
	 * drop them. */
	snprintf(opts_env, sizeof(opts_env),
		 "SPARK_SUBMIT_OPTS=%s%s%s-Dlog4j2.configurationFile=file:%s/"
		 "log4j2.properties%s%s",
		 cc.on ? cc.archive_opt : "", cc.on ? " " : "",
		 cc.on ? CLASS_CACHE_JVM_OPTS_LINE " " : "", conf_dir,
		 user_opts ? " " : "", user_opts ? user_opts : "");
	env_extra[ne++] = conf_env;
	env_extra[ne++] = opts_env;
	for (size_t i = 0; extra && extra[i] && ne < 15; i++)
		env_extra[ne++] = extra[i];
	env_extra[ne] = NULL;
	if (!(env = spark_env(h, env_extra))) {
		free(argv);
		return -1;
	}
	c->name = launcher;
	return start_and_free(c, argv, env, &io);
}

int launch_executors_jvm(struct executors *x)
{
	if (launch_java(x->h, x->java, sizeof(x->java)))
		return -1;
	find_cache(x->h, x->java, &x->cc);
	return 0;
}

int launch_executor(struct executors *x, struct executor *e, int in_fd)
{
	struct helper *h = x->h;
	const struct class_cache *cc = &x->cc;
	char cp[PATH_MAX * 2 + 16], heap[32], tmp[PATH_MAX + 48];
	char bm[48], retries[48], id[24], cores[24], work[PATH_MAX + 16];
	char secret[96], opts[PATH_MAX + 16];
	const char *argv[48], *extra[2];
	char **env;
	uint16_t port;
	size_t n = 0;
	int rc;
	long span = h->site.port_hi - h->site.port_lo;
	struct child_io io = {.in_fd = in_fd, .out_fd = x->log_fd, .cwd = work};

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
	argv[n++] = x->java;
	argv[n++] = opts;
	argv[n++] = "-cp";
	/* The driver's class path with the cache: the archive's. */
	argv[n++] = cc->on ? cc->classpath : cp;
	if (cc->on) {
		static const char *const cds[] = {CLASS_CACHE_JVM_OPTS};

		argv[n++] = cc->archive_opt;
		for (size_t i = 0; i < sizeof(cds) / sizeof(*cds); i++)
			argv[n++] = cds[i];
	}
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
	/* The application id comes on standard input (executors.c): it
	 * names the event log, and argv is every user's to read. */
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
