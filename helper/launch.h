/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch.h - the command lines of the step's JVMs.
 *
 *   driver side:   spark-submit (or pyspark, spark-shell, spark-sql) with
 *                  the spank-spark master, the user's --spark-* options
 *                  that are spark-submit flags (common/options.c's table),
 *                  then the application and its arguments;
 *   executor side: java ... org.spankspark.ExecutorLauncher with the
 *                  arguments of Spark's CoarseGrainedExecutorBackend; the
 *                  secret in _SPARK_AUTH_SECRET, as Spark's own launchers
 *                  pass it.
 * Nothing secret is ever on a command line.
 */
#ifndef SPANK_SPARK_LAUNCH_H
#define SPANK_SPARK_LAUNCH_H

#include "executors.h"
#include "helper.h"
#include "proc.h"

/* The main class executors run (jvm/src/org/spankspark/). */
#define LAUNCHER_CLASS "org.spankspark.ExecutorLauncher"

/* Start the application C with MASTER, the conf dir CONF_DIR and the
 * extra environment EXTRA (may be NULL).  0 or -1 (logged). */
int launch_submit(struct helper *h, struct child *c, const char *master,
		  const char *conf_dir, const char *const extra[]);
/* Find the JVM and the site's class cache of X's executors, once.  0 or
 * -1 (logged). */
int launch_executors_jvm(struct executors *x);
/* Start executor E of X, its standard input IN_FD.  0 or -1. */
int launch_executor(struct executors *x, struct executor *e, int in_fd);
/* The java binary: $java_home/bin/java, or java from PATH. */
int launch_java(const struct helper *h, char *out, size_t outlen);
/* NAME as a shell would find it: itself when it holds a '/', else the
 * first executable NAME in PATH.  0, or -1 when there is none. */
int launch_which(const char *name, char *out, size_t outlen);
/* --spark-connect: start the step's command (the application's argv) as
 * C, beside the server, with SPARK_REMOTE=URL so that pyspark's
 * SparkSession.builder.getOrCreate() connects to it.  0 or -1 (logged). */
int launch_command(struct helper *h, struct child *c, const char *url);

#endif
