/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * driver_cmd.c - the driver JVM's command line without Spark's launcher
 * (driver_cmd.h).
 */
#include "driver_cmd.h"
#include "props.h"
#include "spark_conf.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Java's Character.isWhitespace, for ASCII. */
static bool java_blank(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

int driver_split_options(struct strv *s, const char *opts)
{
	struct strv words = {0};
	size_t len = strlen(opts), n = 0;
	bool in_opt = false, squote = false, dquote = false, esc = false;
	bool data = false;
	char *word = malloc(len + 1);
	char **taken;

	if (!word)
		return -1;
	for (const char *p = opts; *p; p++)
		if ((unsigned char)*p >= 0x80) {
			free(word);
			return -1;
		}
	for (const char *p = opts; *p; p++) {
		char c = *p;

		if (esc) {
			word[n++] = c;
			esc = false;
		} else if (!in_opt) {
			if (c == '\'' || c == '"' || c == '\\' ||
			    !java_blank(c))
				in_opt = data = true;
			if (c == '\'')
				squote = true;
			else if (c == '"')
				dquote = true;
			else if (c == '\\')
				esc = true;
			else if (!java_blank(c))
				word[n++] = c;
		} else if (c == '\\' && !squote) {
			esc = true;
		} else if (c == '\'' && !dquote) {
			squote = !squote;
		} else if (c == '"' && !squote) {
			dquote = !dquote;
		} else if (!java_blank(c) || squote || dquote) {
			word[n++] = c;
		} else {
			word[n] = '\0';
			strv_add(&words, word);
			n = 0;
			in_opt = data = false;
		}
	}
	if (squote || dquote || esc) {
		free(word);
		strv_free(strv_take(&words));
		return -1;
	}
	if (data) {
		word[n] = '\0';
		strv_add(&words, word);
	}
	free(word);
	if (words.failed) {
		strv_free(strv_take(&words));
		return -1;
	}
	taken = strv_take(&words);
	for (size_t i = 0; taken && taken[i]; i++)
		strv_add(s, taken[i]);
	strv_free(taken);
	return 0;
}

/* The value of NAME in ENV, or NULL. */
static const char *env_get(char *const *env, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; env && env[i]; i++)
		if (!strncmp(env[i], name, len) && env[i][len] == '=')
			return env[i] + len + 1;
	return NULL;
}

static bool set(const char *v)
{
	return v && *v;
}

static const char *conf_get(json_t *conf, const char *key)
{
	return json_string_value(json_object_get(conf, key));
}

/* Why the launcher must build the command line, or NULL. */
static const char *launcher_needed(const struct driver_direct *d, json_t *conf)
{
	/* What the launcher reads from the environment beyond what is
	 * handled here: class path additions, developer and test modes,
	 * Spark Connect's client mode. */
	static const char *const env_names[] = {
	    "HADOOP_CONF_DIR", "YARN_CONF_DIR", "SPARK_DIST_CLASSPATH",
	    "SPARK_CLASSPATH", "SPARK_PREPEND_CLASSES", "SPARK_TESTING",
	    "SPARK_SQL_TESTING", "SPARK_REMOTE", "SPARK_CONNECT_MODE",
	    /* The user asks to see the launcher's command line. */
	    "SPARK_PRINT_LAUNCH_COMMAND"};
	/* The launcher treats these main classes apart (daemon options and
	 * memory, shells mixing their arguments). */
	static const char *const classes[] = {
	    "org.apache.spark.repl.Main",
	    "org.apache.spark.sql.hive.thriftserver.SparkSQLCLIDriver",
	    "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2",
	    "org.apache.spark.sql.connect.service.SparkConnectServer",
	    "org.apache.spark.sql.application.ConnectRepl"};
	const char *extra = conf_get(conf, "spark.driver.extraClassPath");
	const char *dflt = conf_get(conf, "spark.driver.defaultExtraClassPath");
	const char *cp = d->cc->classpath;
	char want[CLASS_CACHE_CP_MAX];
	size_t n;

	if (!d->cc->on || !d->cc->submit_opts[0])
		return "the class cache does not record the launcher's "
		       "options (made by an older spank-spark-class-cache)";
	for (size_t i = 0; i < sizeof(env_names) / sizeof(*env_names); i++)
		if (set(env_get(d->env, env_names[i])))
			return env_names[i];
	for (size_t i = 0;
	     d->main_class && i < sizeof(classes) / sizeof(*classes); i++)
		if (!strcmp(d->main_class, classes[i]))
			return "a main class Spark's launcher treats apart";
	if (set(conf_get(conf, "spark.remote")) ||
	    set(conf_get(conf, "spark.api.mode")))
		return "spark.remote or spark.api.mode";
	if (set(conf_get(conf, "spark.driver.extraLibraryPath")))
		return "spark.driver.extraLibraryPath";
	/* The class path the launcher would give: the extra class path, its
	 * default after it, then what the cache recorded after the warm-up's
	 * own (the same jar and default).  Anything else is not the
	 * archive's class path. */
	if (!set(extra) || strpbrk(extra, " \t"))
		return "spark.driver.extraClassPath";
	n = (size_t)snprintf(want, sizeof(want), "%s%s%s:", extra,
			     set(dflt) ? ":" : "", set(dflt) ? dflt : "");
	if (n >= sizeof(want) || strncmp(cp, want, n))
		return "a driver class path that is not the class cache's";
	if (d->driver_memory && !*d->driver_memory)
		return "an empty --driver-memory";
	return NULL;
}

int driver_direct_jvm(const struct driver_direct *d, struct strv *argv,
		      char *why, size_t whylen)
{
	static const char *const opt_keys[] = {
	    "spark.driver.defaultJavaOptions", "spark.driver.extraJavaOptions"};
	json_t *conf = json_object();
	struct strv a = {0};
	const char *reason, *mem;
	char err[256], **taken;
	int rc = 1;

	if (!conf)
		return -1;
	/* As the launcher reads it: the last of a key wins. */
	if (ss_props_parse(d->props, d->props_len, spark_conf_take_trimmed,
			   conf, err, sizeof(err))) {
		snprintf(why, whylen, "the step's properties: %s", err);
		goto out;
	}
	if ((reason = launcher_needed(d, conf))) {
		snprintf(why, whylen, "%s", reason);
		goto out;
	}
	/* --driver-memory, then the file, then the environment, then 1g
	 * (SparkSubmitCommandBuilder.buildSparkSubmitCommand). */
	mem = d->driver_memory;
	if (!set(mem))
		mem = conf_get(conf, "spark.driver.memory");
	if (!set(mem))
		mem = env_get(d->env, "SPARK_DRIVER_MEMORY");
	if (!set(mem))
		mem = env_get(d->env, "SPARK_MEM");
	if (!set(mem))
		mem = "1g";
	/* spark-class runs $JAVA_HOME/bin/java, else java from PATH. */
	if (set(env_get(d->env, "JAVA_HOME")))
		strv_addf(&a, "%s/bin/java", env_get(d->env, "JAVA_HOME"));
	else
		strv_add(&a, d->java);
	strv_add(&a, "-cp");
	strv_add(&a, d->cc->classpath);
	if (set(env_get(d->env, "SPARK_SUBMIT_OPTS")) &&
	    driver_split_options(&a, env_get(d->env, "SPARK_SUBMIT_OPTS"))) {
		snprintf(why, whylen, "SPARK_SUBMIT_OPTS does not parse");
		goto out;
	}
	strv_addf(&a, "-Xmx%s", mem);
	for (size_t i = 0; i < 2; i++) {
		const char *v = conf_get(conf, opt_keys[i]);

		/* The launcher refuses a heap there: let it say so. */
		if (set(v) &&
		    (strstr(v, "Xmx") || driver_split_options(&a, v))) {
			snprintf(why, whylen, "%s", opt_keys[i]);
			goto out;
		}
	}
	if (driver_split_options(&a, d->cc->submit_opts)) {
		snprintf(why, whylen, "the class cache's submit_opts");
		goto out;
	}
	strv_add(&a, "org.apache.spark.deploy.SparkSubmit");
	if (a.failed) {
		rc = -1;
		goto out;
	}
	taken = strv_take(&a);
	for (size_t i = 0; taken && taken[i]; i++)
		strv_add(argv, taken[i]);
	strv_free(taken);
	rc = argv->failed ? -1 : 0;
out:
	strv_free(strv_take(&a));
	json_decref(conf);
	return rc;
}
