/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch.c - the driver side's command lines (spark-submit, the step's
 * command beside a Connect server) and what every launcher shares.
 */
#include "launch.h"
#include "class_cache.h"
#include "connect.h"
#include "driver_cmd.h"
#include "log.h"
#include "net.h"
#include "spark.h"
#include "spark_conf.h"
#include "strv.h"

#include <errno.h>
#include <fcntl.h>
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

void launch_find_cache(const struct helper *h, const char *java,
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

void launch_cmd_free(struct launch_cmd *cmd)
{
	strv_free(cmd->argv);
	strv_free(cmd->env);
	cmd->argv = cmd->env = NULL;
}

int launch_start(struct child *c, struct launch_cmd *cmd,
		 const struct child_io *io)
{
	int rc = child_start(c, cmd->argv, cmd->env, io);

	if (rc < 0)
		log_error("cannot start %s: %s", cmd->argv[0], strerror(errno));
	launch_cmd_free(cmd);
	return rc;
}

int launch_command(struct helper *h, struct child *c, const char *url)
{
	char exe[PATH_MAX], remote[256];
	const char *extra[] = {remote, NULL};
	struct strv argv = {0};
	struct launch_cmd cmd = {0};
	struct child_io io = {.in_fd = -1, .out_fd = -1};

	if (launch_which(h->app_argv[0], exe, sizeof(exe))) {
		log_error("cannot find %s on PATH", h->app_argv[0]);
		return -1;
	}
	strv_add(&argv, exe);
	for (int i = 1; i < h->app_argc; i++)
		strv_add(&argv, h->app_argv[i]);
	snprintf(remote, sizeof(remote), "SPARK_REMOTE=%s", url);
	cmd.argv = strv_take(&argv);
	cmd.env = spark_env(h, extra);
	explicit_bzero(remote, sizeof(remote));
	if (!cmd.argv || !cmd.env) {
		log_error("out of memory for the command %s", h->app_argv[0]);
		launch_cmd_free(&cmd);
		return -1;
	}
	c->name = h->app_argv[0];
	return launch_start(c, &cmd, &io);
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

/* The whole of the step's own properties file PATH (written by the helper
 * in the step's directory) into *TEXT, malloc'd.  0 or -1. */
static int read_props(const char *path, char **text, size_t *len)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	*text = NULL;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_size > 4 * 1024 * 1024 ||
	    !(*text = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size &&
	       (n = read(fd, *text + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	(*text)[got] = '\0';
	*len = got;
	return 0;
}

/* With the class cache, the driver JVM's command line without Spark's
 * launcher (driver_cmd.h): ARGV (spark-submit's, argv[0] its path) becomes
 * java ... SparkSubmit ARGV[1...], and ENV gains what spark-submit's
 * scripts export.  0 done, 1 the launcher builds it (said with
 * --spark-verbose), -1 out of memory. */
static int direct_driver(const struct helper *h, const char *java,
			 const struct class_cache *cc, const char *props,
			 const char *const extra[], struct launch_cmd *cmd)
{
	char mem[32], why[256], *text = NULL, scala[48];
	const char *env_extra[20];
	struct driver_direct d = {.java = java, .cc = cc};
	struct strv argv = {0};
	size_t ne = 0, len = 0;
	int rc;

	if (read_props(props, &text, &len)) {
		log_verbose("the driver JVM is started by Spark's launcher: "
			    "cannot read %s",
			    props);
		return 1;
	}
	d.props = text;
	d.props_len = len;
	d.env = cmd->env;
	d.main_class = h->opts.value[SS_OPT_CLASS];
	d.driver_memory = h->opts.value[SS_OPT_DRIVER_MEMORY];
	if (d.driver_memory &&
	    ss_size_to_spark(d.driver_memory, mem, sizeof(mem)) == 0)
		d.driver_memory = mem;
	rc = driver_direct_jvm(&d, &argv, why, sizeof(why));
	free(text);
	if (rc == 1)
		log_verbose("the driver JVM is started by Spark's launcher: %s",
			    why);
	if (rc)
		return rc;
	for (size_t i = 1; cmd->argv[i]; i++)
		strv_add(&argv, cmd->argv[i]);
	/* What bin/spark-submit and load-spark-env.sh export. */
	env_extra[ne++] = "PYTHONHASHSEED=0";
	snprintf(scala, sizeof(scala), "SPARK_SCALA_VERSION=%s",
		 cc->scala_version);
	if (cc->scala_version[0])
		env_extra[ne++] = scala;
	for (char *const *e = cmd->env; *e; e++)
		if (!strncmp(*e, "SPARK_ENV_LOADED=", 17))
			goto loaded;
	env_extra[ne++] = "SPARK_ENV_LOADED=1";
loaded:
	for (size_t i = 0; extra && extra[i] && ne < 19; i++)
		env_extra[ne++] = extra[i];
	env_extra[ne] = NULL;
	launch_cmd_free(cmd);
	cmd->argv = strv_take(&argv);
	cmd->env = spark_env(h, env_extra);
	if (!cmd->argv || !cmd->env)
		return -1;
	log_verbose("the driver JVM without Spark's launcher (class cache)");
	return 0;
}

int launch_submit_cmd(const struct helper *h, const char *master,
		      const char *conf_dir, const char *const extra[],
		      struct launch_cmd *cmd, const char **name)
{
	static const char *const launchers[] = {"spark-submit", "pyspark",
						"spark-shell", "spark-sql"};
	const char *launcher = "spark-submit";
	char exe[PATH_MAX], mem[32], conf_env[PATH_MAX + 32], java[PATH_MAX];
	char props[PATH_MAX + 32], opts_env[3 * PATH_MAX + 256];
	const char *env_extra[16], *user_opts = getenv("SPARK_SUBMIT_OPTS");
	struct class_cache cc;
	struct strv argv = {0};
	size_t ne = 0;
	int first = 0;

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
	else if (spark_bin(h, launcher, exe, sizeof(exe))) {
		log_error("the path of %s in %s is too long (spark_home= in "
			  "plugstack.conf)",
			  launcher, h->site.spark_home);
		return -1;
	}
	/* The configuration is named, not found in SPARK_CONF_DIR: that
	 * directory is on the driver's class path, which must be the same
	 * for every step for the class cache to apply (class_cache.h). */
	snprintf(props, sizeof(props), "%s/spark-defaults.conf", conf_dir);
	strv_add(&argv, exe);
	strv_add(&argv, "--master");
	strv_add(&argv, master);
	strv_add(&argv, "--properties-file");
	strv_add(&argv, props);
	if (!strcmp(launcher, "spark-submit")) {
		strv_add(&argv, "--deploy-mode");
		strv_add(&argv, "client");
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
		strv_add(&argv, ss_opt_table[id].submit_flag);
		strv_add(&argv, v);
	}
	if (connect) {
		strv_add(&argv, "--class");
		strv_add(&argv, SS_CONNECT_CLASS);
		strv_add(&argv, SS_CONNECT_RESOURCE);
	}
	for (int i = first; !connect && i < h->app_argc; i++)
		strv_add(&argv, h->app_argv[i]);
	cc.on = false;
	if (launch_java(h, java, sizeof(java)) == 0)
		launch_find_cache(h, java, &cc);
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
	cmd->argv = strv_take(&argv);
	cmd->env = spark_env(h, env_extra);
	if (!cmd->argv || !cmd->env ||
	    (cc.on && !first && !connect &&
	     direct_driver(h, java, &cc, props, env_extra, cmd) < 0)) {
		log_error("out of memory for the driver's command line");
		launch_cmd_free(cmd);
		return -1;
	}
	*name = launcher;
	return 0;
}

int launch_submit(struct helper *h, struct child *c, const char *master,
		  const char *conf_dir, const char *const extra[])
{
	struct launch_cmd cmd = {0};
	/* The driver JVM's incubator warning is left out (errfilter.h). */
	struct child_io io = {
	    .in_fd = -1, .out_fd = -1, .filter_err = true, .watch_out = true};

	if (launch_submit_cmd(h, master, conf_dir, extra, &cmd, &c->name))
		return -1;
	return launch_start(c, &cmd, &io);
}
