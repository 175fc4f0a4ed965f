/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * class_cache.h - the site's class cache: Spark's classes pre-parsed into a
 * class-data-sharing archive (Java's -XX:SharedArchiveFile), made once per
 * Spark installation by spank-spark-class-cache, used by the driver and
 * executor JVMs of every step to start with less CPU.
 *
 * Classes load from the archive, so it is a trust boundary: the directory,
 * every component above it and every file in it must be root's and
 * writable by nobody else.  The JVM only accepts the archive with the class
 * path it was made with, so the cache also records that class path (and
 * an empty configuration directory that is part of it); the executors use
 * the same one.  A missing, foreign or stale cache means a normal start.
 */
#ifndef SPANK_SPARK_CLASS_CACHE_H
#define SPANK_SPARK_CLASS_CACHE_H

#include "site_config.h"

#include <limits.h>
#include <stddef.h>

#include <stdbool.h>

#define CLASS_CACHE_CP_MAX 8192
#define CLASS_CACHE_OPTS_MAX 4096

struct class_cache {
	bool on;
	char archive[PATH_MAX];	 /* DIR/spark.jsa */
	char conf_dir[PATH_MAX]; /* DIR/conf: empty, on the class path */
	char classpath[CLASS_CACHE_CP_MAX];
	char archive_opt[PATH_MAX + 32]; /* -XX:SharedArchiveFile=... */
	/* What Spark's launcher added to the warm-up driver's command line
	 * after the heap and the user's options (--add-opens..., blank-
	 * separated), and the SPARK_SCALA_VERSION its scripts export: with
	 * them the helper starts the driver JVM without the launcher
	 * (driver_cmd.h).  Empty in a cache made before they were recorded:
	 * the launcher then builds the command line. */
	char submit_opts[CLASS_CACHE_OPTS_MAX];
	char scala_version[16];
};

/* The JVM options that go with archive_opt: a stale archive (Spark or Java
 * upgraded since it was made) is refused by the JVM itself, quietly, and
 * the JVM starts as it would without it. */
#define CLASS_CACHE_JVM_OPTS                                                   \
	"-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"
#define CLASS_CACHE_JVM_OPTS_LINE                                              \
	"-Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"

/* Fill CC from SITE's class_cache for JAVA (the JVM the step runs).  0 when
 * it can be used (CC->on); -1 with the reason in WHY, when it cannot, which
 * should never fail a step: its JVMs then start as without it. */
int class_cache_find(const struct ss_site *site, const char *java,
		     struct class_cache *cc, char *why, size_t whylen);

/* The same checks on the contents of a manifest (for unit tests):
 * "key=value" lines spark_home, jar, java, classpath (and the optional
 * submit_opts and scala_version: class_cache_parse_launcher).  0 when it fits
 * SITE and JAVA (CLASSPATH filled), else -1 with the reason in WHY. */
int class_cache_parse_manifest(const char *text, const struct ss_site *site,
			       const char *java, char *classpath, size_t cplen,
			       char *why, size_t whylen);

/* The optional submit_opts and scala_version of manifest TEXT into CC (left
 * empty when missing or unusable: a control character, a scala_version
 * that is not digits and dots). */
void class_cache_parse_launcher(const char *text, struct class_cache *cc);

#endif
