/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * errfilter.h - the driver's standard error without the JVM's incubator
 * warning.
 *
 * Spark 4's launcher gives every driver JVM --add-modules=
 * jdk.incubator.vector, which cannot be taken back, and the JVM then
 * prints ERRFILTER_LINE before anything else: noise no user can act on.
 * A small process of the helper's copies the driver's standard error to
 * the helper's, byte for byte as it comes (a prompt without a newline is
 * not held back), leaving out lines that are exactly ERRFILTER_LINE.
 * Executor JVMs do not get the option at all (jvm/JavaOptions.java).
 * It also watches for the driver's own OutOfMemoryError
 * (ss_driver_oom_line) and then ends with ERRFILTER_EXIT_OOM, so that the
 * helper can say in one line that the driver's memory was too small.
 * A second such process only watches the driver's standard output, copied
 * unchanged: Spark's PythonRunner sends a Python application's standard
 * error (PySpark's ": java.lang.OutOfMemoryError" line among it) to the
 * driver JVM's standard output.
 */
#ifndef SPANK_SPARK_ERRFILTER_H
#define SPANK_SPARK_ERRFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define ERRFILTER_LINE                                                         \
	"WARNING: Using incubator modules: jdk.incubator.vector\n"

/* The copy's exit status when the driver's standard error showed its
 * own OutOfMemoryError. */
#define ERRFILTER_EXIT_OOM 3
/* How much of each line's start is looked at for the error. */
#define ERRFILTER_HEAD 128

/* The filter's state: how much of ERRFILTER_LINE the current line has
 * matched so far (held back), or that it is passing through; the current
 * line's start and whether a line was the driver's OutOfMemoryError. */
struct errfilter {
	size_t matched;
	int passing;
	char head[ERRFILTER_HEAD];
	size_t head_len;
	bool oom;
	bool plain; /* only watch: every byte passes unchanged */
};

/* Filter the N bytes at IN into OUT, which must hold N +
 * sizeof(ERRFILTER_LINE) bytes; returns how many bytes to write.  IN
 * NULL and N 0: the end, what was held back comes out. */
size_t errfilter_feed(struct errfilter *f, const char *in, size_t n, char *out);
/* Start the copying process to TO_FD (STDERR_FILENO: filtered; any other,
 * STDOUT_FILENO, only watched); *PID its id, *WRITE_FD (close-on-exec) the
 * descriptor to give the driver in its place.  It ends when
 * every writer has closed that pipe, and ignores the terminal's SIGINT
 * and the step's SIGTERM and SIGHUP (its writers end then), so that the
 * driver's last lines still come out.  0, or -1 with errno. */
int errfilter_start(pid_t *pid, int *write_fd, int to_fd);

#endif
