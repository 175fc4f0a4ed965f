/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spark_conf.h - the Spark configuration the driver side writes: the
 * step's spark-defaults.conf (0600, in the 0700 per-step directory: it
 * holds the secret) and log4j2.properties.  Executors get theirs from the
 * driver, except the few keys they need before they reach it.
 */
#ifndef SPANK_SPARK_SPARK_CONF_H
#define SPANK_SPARK_SPARK_CONF_H

#include "helper.h"

#include <jansson.h>
#include <stdint.h>

/* Spark's dynamic allocation within the step (doc/user-guide.md): the
 * user's spark.dynamicAllocation.* settings, bounded by the step's slots. */
struct spark_dynamic {
	bool enabled;
	int min, max, initial; /* executors */
	/* start-up waits for this many of the initial executors: all, or
	 * spark.scheduler.minRegisteredResourcesRatio of them */
	int wait;
};

struct driver_conf {
	const char *app_id;
	const char *secret;
	bool encrypt;
	int executors; /* expected in all (dynamic: at start-up) */
	const struct spark_dynamic *dynamic; /* NULL: off */
	long exec_cores, exec_mem_mb;
	uint16_t driver_port, block_port, ui_port;
	/* --spark-connect: the server's token and port; NULL and 0 without */
	const char *connect_token;
	uint16_t connect_port;
};

/* Write <step>/conf/spark-defaults.conf and log4j2.properties.  In the
 * file's order, the last key winning: ours, the user's properties file,
 * the step's --spark-* properties and --spark-conf pairs, then the keys
 * nobody overrides (security, the cluster manager, the UI filter). */
int spark_conf_write_driver(struct helper *h, const struct driver_conf *dc,
			    char *err, size_t errlen);
/* The executor-side settings a step honours as Spark's own launchers do
 * (Standalone Worker, Kubernetes): spark.executor.defaultJavaOptions then
 * .extraJavaOptions (Spark's command-line splitting, {{APP_ID}} and
 * {{EXECUTOR_ID}} replaced) after the heap, .extraClassPath before Spark's
 * jars, .extraLibraryPath first in LD_LIBRARY_PATH, and each
 * spark.executorEnv.NAME in the environment.  The driver side reads them
 * from the step's final configuration (the properties file, then the
 * --spark-conf pairs; values trimmed as Spark trims them) and sends them
 * in the welcome.  Not honoured, with one line: -Xmx or -Dspark in the
 * Java options (refused, as Spark refuses them: the heap is Slurm's
 * sizing, --spark-executor-memory, and Spark settings go in the
 * configuration) and spark.executorEnv of a variable the step sets itself
 * (SPARK_HOME, JAVA_HOME, the secret's...: ignored). */
#define SPARK_EXECUTOR_ENV "spark.executorEnv."
#define SPARK_EXECUTOR_CONF_MAX 32768 /* bytes, to fit in a welcome */
/* A JSON object of those keys and their values, or NULL (ERR says why). */
json_t *spark_conf_executor(const struct helper *h, char *err, size_t errlen);
/* CONF is such an object: only those keys, string values of UTF-8 text,
 * no -Xmx or -Dspark, no variable of the step's.  0, or -1 with ERR. */
int spark_conf_executor_check(json_t *conf, char *err, size_t errlen);

/* The user's setting of KEY (properties file, then --spark-conf) into OUT:
 * 1, or 0 when not set (or empty), or -1 with ERR. */
int spark_conf_user_value(const struct helper *h, const char *key, char *out,
			  size_t outlen, char *err, size_t errlen);
/* Dynamic allocation as CONF (the user's settings: key -> string) asks for
 * it, in a step of SLOTS executor slots: enabled by
 * spark.dynamicAllocation.enabled=true; min and initial as Spark computes
 * them (initial: the largest of minExecutors, initialExecutors and
 * spark.executor.instances); max is maxExecutors cut to SLOTS; wait is
 * initial times spark.scheduler.minRegisteredResourcesRatio (0 to 1,
 * default 1), rounded up.  0, or -1 with ERR saying what to change. */
int spark_dynamic_from(json_t *conf, int slots, struct spark_dynamic *da,
		       char *err, size_t errlen);
/* The same from the step's final configuration. */
int spark_conf_dynamic(const struct helper *h, int slots,
		       struct spark_dynamic *da, char *err, size_t errlen);

/* KEY's VALUE into the JSON object ARG, trimmed as Spark trims a properties
 * file's values (String.trim; the launcher's loadPropertiesFile too); an
 * ss_props_fn.  0, or -1 when out of memory. */
int spark_conf_take_trimmed(const char *key, const char *value, void *arg);

/* The site's encryption policy and --spark-encryption: ON, or -1 with the
 * reason logged. */
int spark_conf_encryption(const struct helper *h, bool *on);

#endif
