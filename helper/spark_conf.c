/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spark_conf.c - the Spark configuration the driver side writes.
 */
#include "spark_conf.h"
#include "connect.h"
#include "evlog.h"
#include "log.h"
#include "spark.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int spark_conf_encryption(const struct helper *h, bool *on)
{
	/* On unless the site turned it off or the user asked for it off:
	 * measured at 1.03x the wall time of a shuffle job (make bench). */
	*on = h->site.encryption != SS_ENC_OFF;
	if (h->opts.value[SS_OPT_ENCRYPTION])
		ss_parse_bool(h->opts.value[SS_OPT_ENCRYPTION], on);
	if (*on && h->site.encryption == SS_ENC_OFF) {
		log_error("--spark-encryption=on: this site turned "
			  "encryption off (encryption= in plugstack.conf)");
		return -1;
	}
	if (!*on && h->site.encryption == SS_ENC_REQUIRED) {
		log_error("--spark-encryption=off: this site requires "
			  "encryption (encryption= in plugstack.conf)");
		return -1;
	}
	return 0;
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

/* What a user may set but we would otherwise choose. */
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
	rc |= set(conf, "spark.executor.instances", "%d", dc->executors);
	rc |= set(conf, "spark.scheduler.maxRegisteredResourcesWaitingTime",
		  "%lds", h->site.startup_timeout);
	rc |= set(conf, "spark.pyspark.python", "%s", h->site.python);
	rc |= set(conf, "spark.pyspark.driver.python", "%s", h->site.python);
	rc |= set(conf, "spark.driver.extraJavaOptions",
		  "-Djava.io.tmpdir=%s/tmp", h->step_dir);
	if (h->event_log_dir[0]) {
		rc |= set(conf, "spark.eventLog.enabled", "true");
		rc |= set(conf, "spark.eventLog.dir", "%s", h->event_log_dir);
	}
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
 * opens it (evlog.h): the codec, part of its name, is the helper's choice,
 * and Spark must not delete the file to create another in its place
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
		  json_t *conf)
{
	const char *user_cp = NULL;
	char hj[PATH_MAX + 16];
	int rc = 0;

	for (size_t i = 0; i < h->opts.n_conf; i++)
		if (!strncmp(h->opts.conf[i],
			     "spark.driver.extraClassPath=", 28))
			user_cp = h->opts.conf[i] + 28;
	rc |= set(conf, "spark.authenticate", "true");
	rc |= set(conf, "spark.authenticate.secret", "%s", dc->secret);
	rc |= set(conf, "spark.master.rest.enabled", "false");
	rc |= set(conf, "spark.network.crypto.enabled", "%s",
		  dc->encrypt ? "true" : "false");
	rc |= set(conf, "spark.io.encryption.enabled", "%s",
		  dc->encrypt ? "true" : "false");
	rc |= set(conf, "spark.slurm.appId", "%s", dc->app_id);
	rc |= set(conf, "spark.slurm.executors", "%d", dc->executors);
	rc |= set(conf, "spark.dynamicAllocation.enabled", "false");
	rc |= set(conf, "spark.scheduler.minRegisteredResourcesRatio", "1.0");
	rc |= set(conf, "spark.ui.filters", "org.spankspark.UiAuthFilter");
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
	 * the verified log directory (common/safedir.h). */
	fprintf(f,
		"rootLogger.level = info\n"
		"rootLogger.appenderRef.console.ref = console\n"
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
	json_t *conf = json_object(), *force = json_object();
	int rc = -1;

	if (!conf || !force || ours(h, dc, conf) || forced(h, dc, force)) {
		snprintf(err, errlen,
			 "cannot build the Spark configuration "
			 "(out of memory?)");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/conf/spark-defaults.conf",
		 h->step_dir);
	if (spark_write_properties(path, conf,
				   h->opts.value[SS_OPT_PROPERTIES_FILE], force,
				   err, errlen) ||
	    write_log4j(h, err, errlen))
		goto out;
	rc = 0;
out:
	json_decref(conf);
	json_decref(force);
	return rc;
}
