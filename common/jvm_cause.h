/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jvm_cause.h - why a JVM of the step failed, in the JVM's own words.
 *
 * A JVM that cannot start, runs out of heap or of scratch space writes
 * one telling line among many (Spark's stack traces, log4j).  The helper
 * reads the tail of the node's executor log and quotes that line in its
 * one-line message.  Pure text scanning, unit-tested.
 */
#ifndef SPANK_SPARK_JVM_CAUSE_H
#define SPANK_SPARK_JVM_CAUSE_H

#include <stdbool.h>
#include <stddef.h>

enum ss_jvm_cause {
	SS_CAUSE_NONE,
	SS_CAUSE_START, /* the JVM refused its options or could not start */
	SS_CAUSE_HEAP,	/* java.lang.OutOfMemoryError */
	SS_CAUSE_DISK,	/* No space left on device */
};

/* How much of a log's end the helper reads. */
#define SS_JVM_CAUSE_TAIL (64 * 1024)
/* Spark's executors exit with this status on an OutOfMemoryError
 * (SparkExitCode.OOM). */
#define SS_SPARK_EXIT_OOM 52

/* The first telling line in LEN bytes of TEXT, of a kind in WANT (a mask
 * of 1 << cause), copied without its line end into OUT (cut to fit).
 * Returns its kind, SS_CAUSE_NONE when there is none. */
enum ss_jvm_cause ss_jvm_cause(const char *text, size_t len, unsigned want,
			       char *out, size_t outlen);

/* Is the line LINE (LEN bytes, no line end) the driver's own
 * OutOfMemoryError, as its standard error shows it: a Java application's
 * uncaught error (Exception in thread "..." java.lang.OutOfMemoryError),
 * PySpark's (the Py4J error's ": java.lang.OutOfMemoryError" line) or the
 * error alone at the start of a line?  Not an executor's, which the
 * driver quotes inside its lines about a lost task. */
bool ss_driver_oom_line(const char *line, size_t len);

#endif
