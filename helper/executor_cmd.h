/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * executor_cmd.h - the command line of an executor JVM, and starting it
 * (executor_jvms.c owns the JVMs; launch.h the pieces every launcher shares).
 */
#ifndef SPANK_SPARK_EXECUTOR_CMD_H
#define SPANK_SPARK_EXECUTOR_CMD_H

#include "executor_jvms.h"
#include "launch.h"

#include <stdint.h>

/* The main class executors run (jvm/src/org/spankspark/). */
#define LAUNCHER_CLASS "org.spankspark.ExecutorLauncher"

/* Find the JVM and the site's class cache of X's executors, once.  0 or
 * -1 (logged). */
int launch_executors_jvm(struct executors *x);
/* Start executor E of X, its standard input IN_FD.  0 or -1 (logged). */
int launch_executor(struct executors *x, struct executor *e, int in_fd);
/* ...its command, its block manager on PORT.  0 or -1 (logged). */
int launch_executor_cmd(const struct executors *x, const struct executor *e,
			uint16_t port, struct launch_cmd *cmd);

/* Executor slot K's Spark resources file (gpu.h) into PATH. */
void launch_executor_gpu_file(const struct executors *x, int k, char *path,
			      size_t pathlen);

#endif
