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

struct class_cache {
	bool on;
	char archive[PATH_MAX];	 /* DIR/spark.jsa */
	char conf_dir[PATH_MAX]; /* DIR/conf: empty, on the class path */
	char classpath[CLASS_CACHE_CP_MAX];
	char archive_opt[PATH_MAX + 32]; /* -XX:SharedArchiveFile=... */
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
 * "key=value" lines spark_home, jar, java, classpath.  0 when it fits
 * SITE and JAVA (CLASSPATH filled), else -1 with the reason in WHY. */
int class_cache_parse_manifest(const char *text, const struct ss_site *site,
			       const char *java, char *classpath, size_t cplen,
			       char *why, size_t whylen);

#endif
