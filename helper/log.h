/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h - what the helper tells the user (stderr, reaching srun) and its
 * log file.  Every line starts with "spank-spark: ".
 */
#ifndef SPANK_SPARK_LOG_H
#define SPANK_SPARK_LOG_H

#include <stdbool.h>

void log_init(const char *host, bool verbose);
/* Also copy every line to this file (the node's helper log). */
void log_to_file(int fd);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only with --spark-verbose on stderr; always in the log file. */
void log_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
