/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * driver_cmd.h - the driver JVM's command line built by the helper, as
 * Spark's launcher (org.apache.spark.launcher.Main, run by spark-submit
 * through spark-class) builds it for spark-submit in client mode, so that
 * a step starts one JVM fewer (issue 19: about a CPU-second and a second
 * of wall time on the lab):
 *
 *   JAVA -cp CP  SPARK_SUBMIT_OPTS...  -XmxMEM  spark.driver.defaultJava-
 *   Options...  spark.driver.extraJavaOptions...  LAUNCHER_OPTS...
 *   org.apache.spark.deploy.SparkSubmit  ARGS...
 *
 * Only with the site's class cache: its manifest records the class path
 * and LAUNCHER_OPTS (--add-opens..., what the launcher of this very Spark
 * added for the cache's warm-up: contrib/spank-spark-class-cache).  Every
 * case whose command line the helper cannot know exactly stays with the
 * launcher (driver_direct_jvm says which and why).
 */
#ifndef SPANK_SPARK_DRIVER_CMD_H
#define SPANK_SPARK_DRIVER_CMD_H

#include "class_cache.h"
#include "strv.h"

#include <stddef.h>

struct driver_direct {
	const char *java; /* the site's java (launch_java) */
	const struct class_cache *cc;
	const char *props; /* the step's spark-defaults.conf, as written */
	size_t props_len;
	const char *driver_memory; /* spark-submit's --driver-memory, or NULL */
	const char *main_class;	   /* its --class, or NULL */
	char *const *env;	   /* the driver's environment */
};

/* Add to ARGV the driver JVM's command line up to and including the class
 * org.apache.spark.deploy.SparkSubmit (spark-submit's arguments follow).
 * 0 when done; 1 when Spark's launcher must build it, with the reason in
 * WHY (ARGV then untouched); -1 out of memory. */
int driver_direct_jvm(const struct driver_direct *d, struct strv *argv,
		      char *why, size_t whylen);

/* Spark's launcher's CommandBuilderUtils.parseOptionString: words split
 * at blanks; '...' quotes everything; "..." quotes, a backslash escaping
 * the next character; outside quotes a backslash escapes the next
 * character too; '' or "" is an empty word.  The words are added to S.
 * 0, or -1 (S untouched) for what the launcher refuses (an unterminated
 * quote or a trailing backslash) or where Java's idea of a blank may
 * differ (any byte outside ASCII). */
int driver_split_options(struct strv *s, const char *opts);

#endif
