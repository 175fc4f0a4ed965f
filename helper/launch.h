/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch.h - the driver side's command lines: spark-submit (or pyspark,
 * spark-shell, spark-sql) with the spank-spark master, the user's
 * --spark-* options that are spark-submit flags (common/options.c's
 * table), then the application and its arguments; and what every launcher
 * shares (the java binary, the class cache, starting a command).  An
 * executor's command line is executor_cmd.h's.  Nothing secret is ever on
 * a command line.
 */
#ifndef SPANK_SPARK_LAUNCH_H
#define SPANK_SPARK_LAUNCH_H

#include "class_cache.h"
#include "helper.h"
#include "proc.h"

/* A command about to start: ARGV and ENV, NULL-terminated, owned (and
 * wiped when freed: ENV may hold the secret). */
struct launch_cmd {
	char **argv;
	char **env;
};
void launch_cmd_free(struct launch_cmd *cmd);

/* Start the application C with MASTER, the conf dir CONF_DIR and the
 * extra environment EXTRA (may be NULL).  0 or -1 (logged). */
int launch_submit(struct helper *h, struct child *c, const char *master,
		  const char *conf_dir, const char *const extra[]);
/* ...its command, and in *NAME the launcher's name (spark-submit...). */
int launch_submit_cmd(const struct helper *h, const char *master,
		      const char *conf_dir, const char *const extra[],
		      struct launch_cmd *cmd, const char **name);
/* Start C as CMD, which it frees either way.  0 or -1 (logged). */
int launch_start(struct child *c, struct launch_cmd *cmd,
		 const struct child_io *io);
/* The site's class cache for JAVA in *CC, or CC->on false (said with
 * --spark-verbose; common/class_cache.h). */
void launch_find_cache(const struct helper *h, const char *java,
		       struct class_cache *cc);
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
