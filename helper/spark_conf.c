/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spark_conf.c - the Spark configuration the driver side writes.
 */
#include "spark_conf.h"
#include "parse.h"
#include "connect.h"
#include "eventlog_step.h"
#include "log.h"
#include "props.h"
#include "props_file.h"
#include "spark.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int spark_conf_encryption(const struct helper *h, bool *on)
{
	char err[256];

	if (ss_site_encryption(&h->site, h->opts.value[SS_OPT_ENCRYPTION], on,
			       err, sizeof(err)) == 0)
		return 0;
	log_error("%s", err);
	return -1;
}

static int set(json_t *conf, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int set(json_t *conf, const char *key, const char *fmt, ...)
{
	char v[PATH_MAX + 64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(v))
		return -1;
	/* Delete first: a later setting of a key also comes later. */
	json_object_del(conf, key);
	return json_object_set_new(conf, key, json_string(v));
}

/* What we choose unless the user's properties file or command line says
 * otherwise. */
static int ours(const struct helper *h, const struct driver_conf *dc,
		json_t *conf)
{
	long span = h->site.port_hi - h->site.port_lo;
	int rc = 0;

	rc |= set(conf, "spark.driver.host", "%s", h->addr);
	rc |= set(conf, "spark.driver.bindAddress", "%s", h->addr);
	rc |= set(conf, "spark.driver.port", "%u", dc->driver_port);
	rc |= set(conf, "spark.driver.blockManager.port", "%u", dc->block_port);
	/* Spark tries the next ports when one is taken: stay in range.  The
	 * port the driver really got reaches the executors by the JVM
	 * component's "driver" event, never by guessing. */
	rc |=
	    set(conf, "spark.port.maxRetries", "%ld", span < 100 ? span : 100);
	rc |= set(conf, "spark.ui.port", "%u", dc->ui_port);
	rc |= set(conf, "spark.executor.cores", "%ld", dc->exec_cores);
	rc |= set(conf, "spark.executor.memory", "%ldm", dc->exec_mem_mb);
	if (dc->dynamic) {
		/* Without an external shuffle service: Spark keeps the
		 * executors whose shuffle files are still wanted. */
		rc |=
		    set(conf, "spark.dynamicAllocation.shuffleTracking.enabled",
			"true");
	} else {
		rc |=
		    set(conf, "spark.executor.instances", "%d", dc->executors);
	}
	rc |= set(conf, "spark.scheduler.maxRegisteredResourcesWaitingTime",
		  "%lds", h->site.startup_timeout);
	rc |= set(conf, "spark.pyspark.python", "%s", h->site.python);
	rc |= set(conf, "spark.pyspark.driver.python", "%s", h->site.python);
	rc |= set(conf, "spark.driver.extraJavaOptions",
		  "-Djava.io.tmpdir=%s/tmp", h->step_dir);
	/* With GPUs (gpu.h), a task takes one unless the user says. */
	if (h->gpu_each > 0)
		rc |= set(conf, "spark.task.resource.gpu.amount", "1");
	if (h->event_log_dir[0]) {
		rc |= set(conf, "spark.eventLog.enabled", "true");
		rc |= set(conf, "spark.eventLog.dir", "%s", h->event_log_dir);
	}
	return rc ? -1 : 0;
}

/* What the step's command line says: its --spark-* options that are
 * properties, then its --spark-conf pairs (the later pair wins).  These
 * come after the user's properties file, and win over it. */
static int given(const struct helper *h, json_t *conf)
{
	int rc = 0;

	for (int id = 0; id < SS_OPT_COUNT; id++)
		if (h->opts.value[id] && ss_opt_table[id].property)
			rc |= set(conf, ss_opt_table[id].property, "%s",
				  h->opts.value[id]);
	for (size_t i = 0; i < h->opts.n_conf; i++) {
		const char *pair = h->opts.conf[i];
		size_t klen = ss_conf_key_len(pair);
		char key[260];

		snprintf(key, sizeof(key), "%.*s", (int)klen, pair);
		rc |= set(conf, key, "%s", pair + klen + 1);
	}
	return rc ? -1 : 0;
}

int spark_conf_take_trimmed(const char *key, const char *value, void *arg)
{
	size_t len;

	while (*value && (unsigned char)*value <= ' ')
		value++;
	len = strlen(value);
	while (len && (unsigned char)value[len - 1] <= ' ')
		len--;
	return json_object_set_new(arg, key, json_stringn(value, len));
}

/* The whole of PATH, NUL-terminated, into *TEXT (malloc'd): opened and
 * bounded as srun checked it (common/props_file.h), so that a FIFO or a
 * device put there since cannot hold or flood the helper. */
static int read_all(const char *path, char **text, size_t *len, char *err,
		    size_t errlen)
{
	int fd = ss_props_file_open(path, err, errlen), rc;
	FILE *mem;

	*text = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	if (!(mem = open_memstream(text, len))) {
		close(fd);
		snprintf(err, errlen,
			 "--spark-properties-file %s: out of memory", path);
		return -1;
	}
	rc = ss_props_file_copy(fd, path, mem, err, errlen);
	if (fclose(mem) != 0 && rc == 0) {
		snprintf(err, errlen,
			 "--spark-properties-file %s: out of memory", path);
		rc = -1;
	}
	if (rc) {
		free(*text);
		*text = NULL;
		return -1;
	}
	return 0;
}

/* The user's own settings as Spark ends up with them: the properties file,
 * then the --spark-conf pairs (values trimmed).  NULL with ERR. */
static json_t *user_conf(const struct helper *h, char *err, size_t errlen)
{
	const char *file = h->opts.value[SS_OPT_PROPERTIES_FILE];
	json_t *conf = json_object();
	char *text = NULL, why[256];
	size_t len;
	int rc = conf ? 0 : -1;

	if (!rc && file &&
	    (rc = read_all(file, &text, &len, err, errlen)) == 0) {
		rc = ss_props_parse(text, len, spark_conf_take_trimmed, conf,
				    why, sizeof(why));
		if (rc)
			snprintf(err, errlen, "--spark-properties-file %s: %s",
				 file, why);
		free(text);
	}
	for (size_t i = 0; !rc && i < h->opts.n_conf; i++) {
		const char *pair = h->opts.conf[i];
		size_t klen = ss_conf_key_len(pair);
		char k[260];

		snprintf(k, sizeof(k), "%.*s", (int)klen, pair);
		rc = spark_conf_take_trimmed(k, pair + klen + 1, conf);
	}
	/* --spark-elastic turns dynamic allocation on unless the user
	 * said otherwise (then plan_executors refuses it in one line). */
	if (!rc && h->opts.value[SS_OPT_ELASTIC] &&
	    !json_object_get(conf, "spark.dynamicAllocation.enabled"))
		rc =
		    json_object_set_new(conf, "spark.dynamicAllocation.enabled",
					json_string("true"));
	if (rc && conf && !err[0])
		snprintf(err, errlen,
			 "cannot read the Spark configuration "
			 "(out of memory?)");
	if (rc || !conf) {
		json_decref(conf);
		return NULL;
	}
	return conf;
}

/* Spark 4.0's launcher puts spark.driver.defaultExtraClassPath, the
 * relative "hive-jackson" wildcard, on the driver's class path ahead of
 * Spark's jars: a jar another user plants in the step's working directory
 * would run as the user.  The step's is absolute: Spark's own directory
 * when it has one (a full distribution), else none (the pip package).  The
 * class cache records the same (contrib/spank-spark-class-cache). */
static void hive_jackson(const struct helper *h, char *out, size_t outlen)
{
	struct stat st;
	int n = snprintf(out, outlen, "%s/hive-jackson", h->site.spark_home);

	if (n < 0 || (size_t)n + 2 >= outlen || stat(out, &st) != 0 ||
	    !S_ISDIR(st.st_mode))
		out[0] = '\0';
	else
		memcpy(out + n, "/*", 3);
}

/* In the site's directory the helper claims the log's file before Spark
 * opens it (eventlog_step.h): the codec, part of its name, is the helper's
 * choice, and Spark must not delete the file to create another in its place
 * (spark.eventLog.overwrite), nor replace a final name already taken. */
static int event_log_names(const struct helper *h, json_t *conf)
{
	const char *codec = NULL;
	char err[256];
	int rc = 0;

	if (evlog_codec(h, &codec, err, sizeof(err)))
		return -1; /* refused before: evlog_new_app_id */
	rc |= set(conf, "spark.eventLog.overwrite", "false");
	rc |= set(conf, "spark.eventLog.compress", "%s",
		  codec ? "true" : "false");
	if (codec)
		rc |=
		    set(conf, "spark.eventLog.compression.codec", "%s", codec);
	return rc;
}

/* What nobody overrides: authentication, our cluster manager, the UI's
 * access control. */
static int forced(const struct helper *h, const struct driver_conf *dc,
		  json_t *user, json_t *conf)
{
	/* The user's class path (file or --spark-conf) after the jar. */
	const char *user_cp = json_string_value(
	    json_object_get(user, "spark.driver.extraClassPath"));
	char hj[PATH_MAX + 16];
	int rc = 0;

	if (user_cp && !*user_cp)
		user_cp = NULL;
	rc |= set(conf, "spark.authenticate", "true");
	rc |= set(conf, "spark.authenticate.secret", "%s", dc->secret);
	rc |= set(conf, "spark.master.rest.enabled", "false");
	rc |= set(conf, "spark.network.crypto.enabled", "%s",
		  dc->encrypt ? "true" : "false");
	rc |= set(conf, "spark.io.encryption.enabled", "%s",
		  dc->encrypt ? "true" : "false");
	rc |= set(conf, "spark.slurm.appId", "%s", dc->app_id);
	rc |= set(conf, "spark.slurm.executors", "%d", dc->executors);
	if (dc->dynamic) {
		rc |= set(conf, "spark.dynamicAllocation.enabled", "true");
		rc |= set(conf, "spark.dynamicAllocation.minExecutors", "%d",
			  dc->dynamic->min);
		rc |= set(conf, "spark.dynamicAllocation.maxExecutors", "%d",
			  dc->dynamic->max);
		rc |= set(conf, "spark.dynamicAllocation.initialExecutors",
			  "%d", dc->dynamic->initial);
		rc |= set(conf, "spark.executor.instances", "%d",
			  dc->dynamic->initial);
	} else {
		rc |= set(conf, "spark.dynamicAllocation.enabled", "false");
	}
	rc |= set(conf, "spark.scheduler.minRegisteredResourcesRatio", "1.0");
	rc |= set(conf, "spark.ui.filters", "org.spankspark.UiAuthFilter");
	/* What every executor's resources file holds (gpu.h): the user's
	 * amount, if given, made the plan. */
	if (h->gpu_each > 0)
		rc |= set(conf, "spark.executor.resource.gpu.amount", "%ld",
			  h->gpu_each);
	if (h->gpu_driver > 0)
		rc |= set(conf, "spark.driver.resourcesFile",
			  "%s/conf/gpus-driver.json", h->step_dir);
	/* A rolling event log is a directory, which Spark chmods: that
	 * clears its setgid bit (the user is not in the site directory's
	 * group), and its files would not be the history server's to read.
	 * One file takes the group of the setgid directory. */
	if (h->event_log_shared) {
		rc |= set(conf, "spark.eventLog.rolling.enabled", "false");
		rc |= event_log_names(h, conf);
	}
	rc |= set(conf, "spark.driver.extraClassPath", "%s%s%s", h->site.jar,
		  user_cp ? ":" : "", user_cp ? user_cp : "");
	hive_jackson(h, hj, sizeof(hj));
	rc |= set(conf, "spark.driver.defaultExtraClassPath", "%s", hj);
	rc |= set(conf, "spark.executor.defaultExtraClassPath", "%s", hj);
	/* Loopback only (common/connect.h), on the port the helper watches
	 * for, with the token in this 0600 file rather than on argv. */
	if (dc->connect_token) {
		rc |= set(conf, "spark.connect.grpc.binding.address", "%s",
			  SS_CONNECT_ADDR);
		rc |= set(conf, "spark.connect.grpc.binding.port", "%u",
			  dc->connect_port);
		rc |= set(conf, "spark.connect.grpc.port.maxRetries", "0");
		rc |= set(conf, "spark.connect.authenticate.token", "%s",
			  dc->connect_token);
	}
	return rc ? -1 : 0;
}

static int write_log4j(const struct helper *h, char *err, size_t errlen)
{
	char path[PATH_MAX + 64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/conf/log4j2.properties", h->step_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(err, errlen, "cannot write %s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* The console shows warnings; the full driver log goes to a file in
	 * the verified log directory (common/safedir.h).  Not on the console:
	 * Spark's own lines about a lost executor and the tasks it took, and
	 * an answer the driver could not send to an executor already gone
	 * (an ERROR and WARNs on every scancel of a running step, which ends
	 * the executors first); the helper reports a loss itself. */
	fprintf(
	    f,
	    "rootLogger.level = info\n"
	    "rootLogger.appenderRef.console.ref = console\n"
	    "rootLogger.appenderRef.console.filter.lost.type = RegexFilter\n"
	    "rootLogger.appenderRef.console.filter.lost.regex = (Lost "
	    "executor [0-9]+ on |Lost task .*: ExecutorLostFailure |Error "
	    "sending result .* closing connection).*\n"
	    "rootLogger.appenderRef.console.filter.lost.onMatch = DENY\n"
	    "rootLogger.appenderRef.console.filter.lost.onMismatch = "
	    "NEUTRAL\n"
	    "rootLogger.appenderRef.file.ref = file\n"
	    "appender.console.type = Console\n"
	    "appender.console.name = console\n"
	    "appender.console.target = SYSTEM_ERR\n"
	    "appender.console.layout.type = PatternLayout\n"
	    "appender.console.layout.pattern = %%d{HH:mm:ss} %%p %%c{1}: "
	    "%%m%%n\n"
	    "appender.console.filter.threshold.type = ThresholdFilter\n"
	    "appender.console.filter.threshold.level = warn\n"
	    "logger.hadoop.name = org.apache.hadoop.util.NativeCodeLoader\n"
	    "logger.hadoop.level = error\n"
	    "appender.file.type = File\n"
	    "appender.file.name = file\n"
	    "appender.file.fileName = %s/driver.log\n"
	    "appender.file.layout.type = PatternLayout\n"
	    "appender.file.layout.pattern = %%d{yy/MM/dd HH:mm:ss} %%p "
	    "%%c{1}: %%m%%n\n",
	    h->log_dir);
	if (fclose(f) != 0) {
		snprintf(err, errlen, "cannot write %s", path);
		return -1;
	}
	return 0;
}

int spark_conf_write_driver(struct helper *h, const struct driver_conf *dc,
			    char *err, size_t errlen)
{
	char path[PATH_MAX + 64];
	json_t *conf = json_object(), *after = json_object(), *user;
	int rc = -1;

	err[0] = '\0';
	if (!(user = user_conf(h, err, errlen)))
		goto out;
	/* The properties file holds the user's file between CONF (ours) and
	 * AFTER: the step's own settings, then the keys nobody overrides
	 * (set() deletes a key before adding it: the forced value replaces
	 * a user's). */
	if (!conf || !after || ours(h, dc, conf) || given(h, after) ||
	    forced(h, dc, user, after)) {
		snprintf(err, errlen,
			 "cannot build the Spark configuration "
			 "(out of memory?)");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/conf/spark-defaults.conf",
		 h->step_dir);
	if (spark_write_properties(path, conf,
				   h->opts.value[SS_OPT_PROPERTIES_FILE], after,
				   err, errlen) ||
	    write_log4j(h, err, errlen))
		goto out;
	rc = 0;
out:
	json_decref(user);
	json_decref(conf);
	json_decref(after);
	return rc;
}

int spark_conf_user_value(const struct helper *h, const char *key, char *out,
			  size_t outlen, char *err, size_t errlen)
{
	json_t *user;
	const char *v;
	int rc = 0;

	err[0] = '\0';
	out[0] = '\0';
	if (!(user = user_conf(h, err, errlen)))
		return -1;
	v = json_string_value(json_object_get(user, key));
	if (v && *v) {
		snprintf(out, outlen, "%s", v);
		rc = 1;
	}
	json_decref(user);
	return rc;
}

/* --- dynamic allocation --- */

/* KEY of CONF as a whole number >= 0 in *OUT (DEF when absent). */
/* KEY's whole number in *OUT (DEF when unset), read as Spark reads an int
 * setting: blanks around it and a leading '+' are fine. */
static int count_key(json_t *conf, const char *key, int def, int *out,
		     char *err, size_t errlen)
{
	const char *v = json_string_value(json_object_get(conf, key));
	char digits[16];
	size_t len;
	long n;
	const char *p;

	*out = def;
	if (!v)
		return 0;
	p = v + strspn(v, " \t");
	if (*p == '+')
		p++;
	len = strlen(p);
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len < sizeof(digits)) {
		memcpy(digits, p, len);
		digits[len] = '\0';
	}
	if (len >= sizeof(digits) || ss_parse_long(digits, 0, 1000000, &n)) {
		snprintf(err, errlen, "%s=%.40s is not a whole number >= 0",
			 key, v);
		return -1;
	}
	*out = (int)n;
	return 0;
}

/* DA->wait: how many of the initial executors start-up waits for. */
static int wait_ratio(json_t *conf, struct spark_dynamic *da, char *err,
		      size_t errlen)
{
	const char *key = "spark.scheduler.minRegisteredResourcesRatio";
	const char *v = json_string_value(json_object_get(conf, key));
	double ratio = 1.0;
	char *end;

	if (v) {
		errno = 0;
		ratio = strtod(v, &end);
		if (!*v || *end || errno || !(ratio >= 0.0 && ratio <= 1.0)) {
			snprintf(err, errlen,
				 "%s=%.40s is not a number from 0 to 1", key,
				 v);
			return -1;
		}
	}
	da->wait = (int)(da->initial * ratio);
	if (da->wait < da->initial * ratio)
		da->wait++;
	return 0;
}

int spark_dynamic_from(json_t *conf, int slots, struct spark_dynamic *da,
		       char *err, size_t errlen)
{
	const char *on = json_string_value(
	    json_object_get(conf, "spark.dynamicAllocation.enabled"));
	int init, instances;

	memset(da, 0, sizeof(*da));
	if (!on || !strcasecmp(on, "false"))
		return 0;
	if (strcasecmp(on, "true")) {
		snprintf(err, errlen,
			 "spark.dynamicAllocation.enabled=%.40s is not true or "
			 "false",
			 on);
		return -1;
	}
	da->enabled = true;
	if (count_key(conf, "spark.dynamicAllocation.minExecutors", 0, &da->min,
		      err, errlen) ||
	    count_key(conf, "spark.dynamicAllocation.maxExecutors", slots,
		      &da->max, err, errlen) ||
	    count_key(conf, "spark.dynamicAllocation.initialExecutors", da->min,
		      &init, err, errlen) ||
	    count_key(conf, "spark.executor.instances", 0, &instances, err,
		      errlen))
		return -1;
	if (da->max == 0) {
		snprintf(err, errlen,
			 "spark.dynamicAllocation.maxExecutors=0: Spark needs "
			 "at least 1");
		return -1;
	}
	if (da->min > slots) {
		snprintf(err, errlen,
			 "spark.dynamicAllocation.minExecutors=%d, but the "
			 "step has room for %d executor(s): ask Slurm for more "
			 "nodes or lower it",
			 da->min, slots);
		return -1;
	}
	if (da->min > da->max) {
		snprintf(err, errlen,
			 "spark.dynamicAllocation.minExecutors=%d is more than "
			 "maxExecutors=%d",
			 da->min, da->max);
		return -1;
	}
	if (da->max > slots)
		da->max = slots;
	da->initial = init > da->min ? init : da->min;
	if (instances > da->initial)
		da->initial = instances;
	if (da->initial > da->max)
		da->initial = da->max;
	return wait_ratio(conf, da, err, errlen);
}

int spark_conf_dynamic(const struct helper *h, int slots,
		       struct spark_dynamic *da, char *err, size_t errlen)
{
	json_t *conf;
	int rc;

	err[0] = '\0';
	if (!(conf = user_conf(h, err, errlen)))
		return -1;
	rc = spark_dynamic_from(conf, slots, da, err, errlen);
	json_decref(conf);
	return rc;
}

/* --- the executors' own settings --- */

static const char *const exec_keys[] = {
    "spark.executor.defaultJavaOptions", "spark.executor.extraJavaOptions",
    "spark.executor.extraClassPath", "spark.executor.extraLibraryPath"};

/* NAME of spark.executorEnv.NAME: a shell variable's name. */
static bool env_name_ok(const char *name)
{
	return (*name == '_' || (*name >= 'A' && *name <= 'Z') ||
		(*name >= 'a' && *name <= 'z')) &&
	       strspn(name,
		      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789_") == strlen(name);
}

static bool executor_key(const char *key)
{
	for (size_t i = 0; i < sizeof(exec_keys) / sizeof(*exec_keys); i++)
		if (!strcmp(key, exec_keys[i]))
			return true;
	return !strncmp(key, SPARK_EXECUTOR_ENV, strlen(SPARK_EXECUTOR_ENV)) &&
	       env_name_ok(key + strlen(SPARK_EXECUTOR_ENV));
}

/* Java options Spark refuses for executors (SparkConf.validateSettings). */
static int check_java_opts(const char *key, const char *value, char *err,
			   size_t errlen)
{
	if (strstr(value, "-Xmx")) {
		snprintf(err, errlen,
			 "%s may not set the heap (-Xmx), as in Spark: the "
			 "step sizes executors from Slurm's allocation, or "
			 "give --spark-executor-memory",
			 key);
		return -1;
	}
	if (strstr(value, "-Dspark")) {
		snprintf(err, errlen,
			 "%s may not set Spark properties (-Dspark...), as in "
			 "Spark: give them with --spark-conf or in "
			 "--spark-properties-file",
			 key);
		return -1;
	}
	return 0;
}

int spark_conf_executor_check(json_t *conf, char *err, size_t errlen)
{
	const char *key;
	json_t *value;
	char *dump;
	size_t size;

	if (!json_is_object(conf)) {
		snprintf(err, errlen,
			 "the executor settings are not an object");
		return -1;
	}
	json_object_foreach(conf, key, value)
	{
		const char *v = json_string_value(value);
		const char *name = key + strlen(SPARK_EXECUTOR_ENV);

		if (!executor_key(key)) {
			snprintf(err, errlen,
				 "%.80s is not an executor setting", key);
			return -1;
		}
		if (!v || (*v && !ss_text_ok(v, SPARK_EXECUTOR_CONF_MAX))) {
			snprintf(err, errlen,
				 "%s: not UTF-8 text without control "
				 "characters",
				 key);
			return -1;
		}
		if (strstr(key, "JavaOptions") &&
		    check_java_opts(key, v, err, errlen))
			return -1;
		if (!strncmp(key, SPARK_EXECUTOR_ENV,
			     strlen(SPARK_EXECUTOR_ENV)) &&
		    spark_env_ours(name)) {
			snprintf(err, errlen, "%s: the step sets %s itself",
				 key, name);
			return -1;
		}
	}
	dump = json_dumps(conf, JSON_COMPACT);
	size = dump ? strlen(dump) : SIZE_MAX;
	free(dump);
	if (size > SPARK_EXECUTOR_CONF_MAX) {
		snprintf(err, errlen,
			 "the executor settings (spark.executor.*Options, "
			 "*Path, spark.executorEnv.*) take more than %d bytes",
			 SPARK_EXECUTOR_CONF_MAX);
		return -1;
	}
	return 0;
}

json_t *spark_conf_executor(const struct helper *h, char *err, size_t errlen)
{
	json_t *conf, *value;
	const char *key;
	void *tmp;
	int rc = 0;

	err[0] = '\0';
	if (!(conf = user_conf(h, err, errlen)))
		return NULL;
	json_object_foreach_safe(conf, tmp, key, value)
	{
		if (!executor_key(key))
			json_object_del(conf, key);
	}
	/* What the step sets itself cannot be the user's. */
	json_object_foreach_safe(conf, tmp, key, value)
	{
		const char *name = key + strlen(SPARK_EXECUTOR_ENV);

		if (!rc &&
		    !strncmp(key, SPARK_EXECUTOR_ENV,
			     strlen(SPARK_EXECUTOR_ENV)) &&
		    spark_env_ours(name)) {
			log_info("%s is ignored: the step sets %s itself", key,
				 name);
			json_object_del(conf, key);
		}
	}
	if (!rc)
		rc = spark_conf_executor_check(conf, err, errlen);
	if (rc) {
		if (!err[0])
			snprintf(err, errlen,
				 "cannot read the executor "
				 "settings (out of memory?)");
		json_decref(conf);
		return NULL;
	}
	return conf;
}
