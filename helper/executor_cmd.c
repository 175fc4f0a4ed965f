/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * executor_cmd.c - the command line of an executor JVM: Spark's JVM
 * options, the class path (the site's class cache, or the user's
 * extraClassPath first), the heap the helper sized, the user's executor
 * settings as Spark's launchers apply them, the security keys, then
 * org.spankspark.ExecutorLauncher with CoarseGrainedExecutorBackend's
 * arguments.  The secret travels in _SPARK_AUTH_SECRET, the application
 * id on standard input (executor_jvms.c): never argv.
 */
#include "executor_cmd.h"
#include "class_cache.h"
#include "gpu.h"
#include "log.h"
#include "net.h"
#include "spark.h"
#include "spark_conf.h"
#include "strv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int launch_executors_jvm(struct executors *x)
{
	if (launch_java(x->h, x->java, sizeof(x->java)))
		return -1;
	launch_find_cache(x->h, x->java, &x->cc);
	return 0;
}

/* X's user setting KEY (spark_conf.h), or NULL when not set or empty. */
static const char *setting(const struct executors *x, const char *key)
{
	const char *v = json_string_value(json_object_get(x->conf, key));

	return v && *v ? v : NULL;
}

void launch_executor_gpu_file(const struct executors *x, int k, char *path,
			      size_t pathlen)
{
	snprintf(path, pathlen, "%s/conf/gpus-%d.json", x->h->step_dir, k);
}

static bool gpu_env_name(const char *name)
{
	static const char *const names[] = {GPU_ENV_NAMES};

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* Executor slot K's own GPUs in each variable that names them: Slurm's
 * form, only its share. */
static void gpu_env(const struct executors *x, int k, struct strv *env)
{
	static const char *const names[] = {GPU_ENV_NAMES};
	char share[256];

	if (ss_gpus_share(&x->gpus, k, x->gpu_each, share, sizeof(share)))
		return; /* checked when the files were written */
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (i == 0 || getenv(names[i]))
			strv_addf(env, "%s=%s", names[i], share);
}

/* The environment an executor adds to spark_env's, as Spark's Worker
 * builds it: spark.executorEnv.NAME=VALUE, and LD_LIBRARY_PATH with
 * spark.executor.extraLibraryPath first (then the executorEnv's, then the
 * helper's own).  With the step's GPUs, their variables are the step's. */
static void executor_env(const struct executors *x, struct strv *env)
{
	const char *lib = setting(x, "spark.executor.extraLibraryPath");
	const char *user_lib = setting(x, SPARK_EXECUTOR_ENV "LD_LIBRARY_PATH");
	const char *own_lib = getenv("LD_LIBRARY_PATH"), *key;
	size_t plen = strlen(SPARK_EXECUTOR_ENV);
	json_t *value;

	json_object_foreach(x->conf, key, value)
	{
		if (strncmp(key, SPARK_EXECUTOR_ENV, plen) ||
		    !strcmp(key + plen, "LD_LIBRARY_PATH") ||
		    (x->gpu_each > 0 && gpu_env_name(key + plen)))
			continue;
		strv_addf(env, "%s=%s", key + plen, json_string_value(value));
	}
	if (lib || user_lib)
		strv_addf(env, "LD_LIBRARY_PATH=%s%s%s%s%s", lib ? lib : "",
			  lib && user_lib ? ":" : "", user_lib ? user_lib : "",
			  own_lib && *own_lib ? ":" : "",
			  own_lib ? own_lib : "");
}

int launch_executor_cmd(const struct executors *x, const struct executor *e,
			uint16_t port, struct launch_cmd *cmd)
{
	const struct helper *h = x->h;
	const char *user_cp = setting(x, "spark.executor.extraClassPath");
	/* A user's class path is not the archive's: no class cache then. */
	bool cds = x->cc.on && !user_cp;
	char id[24];
	struct strv argv = {0}, env = {0};
	long span = h->site.port_hi - h->site.port_lo;
	char **extra;

	snprintf(id, sizeof(id), "%ld", e->id);
	strv_add(&argv, x->java);
	/* Spark's JVM options for this Java (--add-opens...), written beside
	 * the jar when it was built against this Spark (jvm/). */
	strv_addf(&argv, "@%s.args", h->site.jar);
	strv_add(&argv, "-cp");
	/* The driver's class path with the cache: the archive's. */
	if (cds)
		strv_add(&argv, x->cc.classpath);
	else
		strv_addf(&argv, "%s%s%s/jars/*:%s", user_cp ? user_cp : "",
			  user_cp ? ":" : "", h->site.spark_home, h->site.jar);
	if (cds) {
		static const char *const cds_opts[] = {CLASS_CACHE_JVM_OPTS};

		strv_add(&argv, x->cc.archive_opt);
		for (size_t i = 0; i < sizeof(cds_opts) / sizeof(*cds_opts);
		     i++)
			strv_add(&argv, cds_opts[i]);
	}
	strv_addf(&argv, "-Xmx%ldm", x->heap_mb);
	strv_addf(&argv, "-Djava.io.tmpdir=%s/tmp", h->step_dir);
	/* The user's options after the heap, as Spark's launcher puts them,
	 * and before the step's own -Dspark keys (they may set none). */
	if (setting(x, "spark.executor.defaultJavaOptions"))
		strv_add_split(&argv,
			       setting(x, "spark.executor.defaultJavaOptions"),
			       x->app_id, id);
	if (setting(x, "spark.executor.extraJavaOptions"))
		strv_add_split(&argv,
			       setting(x, "spark.executor.extraJavaOptions"),
			       x->app_id, id);
	strv_add(&argv, "-Dspark.authenticate=true");
	/* A join job's executors are decommissioned before its time limit
	 * (SIGPWR, executor_side.c): only theirs, as JVM properties, so that
	 * the driver's dynamic allocation still ends idle executors at once
	 * (with spark.decommission.enabled in its own configuration it would
	 * decommission them instead).  The user's --spark-conf values, which
	 * the executor fetches from the driver, win. */
	if (h->role == ROLE_JOIN) {
		strv_add(&argv, "-Dspark.decommission.enabled=true");
		strv_add(&argv, "-Dspark.storage.decommission.enabled=true");
		strv_add(&argv, "-Dspark.storage.decommission.shuffleBlocks."
				"enabled=true");
		strv_add(&argv,
			 "-Dspark.storage.decommission.rddBlocks.enabled=true");
	}
	if (x->encrypt) {
		strv_add(&argv, "-Dspark.network.crypto.enabled=true");
		strv_add(&argv, "-Dspark.io.encryption.enabled=true");
	}
	strv_addf(&argv, "-Dspark.blockManager.port=%u", port);
	/* Spark tries the next ports when one is taken: stay in range. */
	strv_addf(&argv, "-Dspark.port.maxRetries=%ld",
		  span < 100 ? span : 100);
	strv_add(&argv, LAUNCHER_CLASS);
	strv_add(&argv, "--executor-id");
	strv_add(&argv, id);
	strv_add(&argv, "--hostname");
	strv_add(&argv, h->addr);
	strv_add(&argv, "--bind-address");
	strv_add(&argv, h->addr);
	strv_add(&argv, "--cores");
	strv_addf(&argv, "%ld", x->cores);
	if (x->gpu_each > 0) {
		char path[PATH_MAX + 32];

		launch_executor_gpu_file(x, (int)(e - x->e), path,
					 sizeof(path));
		strv_add(&argv, "--resourcesFile");
		strv_add(&argv, path);
		gpu_env(x, (int)(e - x->e), &env);
	}
	/* The application id comes on standard input (executor_jvms.c): it
	 * names the event log, and argv is every user's to read. */
	strv_addf(&env, "_SPARK_AUTH_SECRET=%s", x->secret);
	executor_env(x, &env);
	extra = strv_take(&env);
	cmd->argv = strv_take(&argv);
	cmd->env = extra ? spark_env(h, (const char *const *)extra) : NULL;
	strv_free(extra);
	if (!cmd->argv || !cmd->env) {
		log_error("out of memory for an executor's command line");
		launch_cmd_free(cmd);
		return -1;
	}
	return 0;
}

int launch_executor(struct executors *x, struct executor *e, int in_fd)
{
	struct helper *h = x->h;
	struct launch_cmd cmd = {0};
	char work[PATH_MAX + 16];
	bool outside = false;
	struct child_io io = {.in_fd = in_fd, .out_fd = x->log_fd, .cwd = work};
	uint16_t port;

	/* Random (common/ports.h): never derived from the job or step. */
	if (net_pick_port(&h->site, NULL, 0, &port, &outside, NULL)) {
		log_error("no free port left in the site's range %u-%u nor "
			  "outside it",
			  h->site.port_lo, h->site.port_hi);
		return -1;
	}
	if (outside)
		log_verbose("the site's range %u-%u is full on %s (another "
			    "user holds it): executor %ld's block manager on "
			    "port %u, outside it",
			    h->site.port_lo, h->site.port_hi, h->host, e->id,
			    port);
	snprintf(work, sizeof(work), "%s/work", h->step_dir);
	if (launch_executor_cmd(x, e, port, &cmd))
		return -1;
	e->c.name = "executor";
	return launch_start(&e->c, &cmd, &io);
}
