/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * props_file.h - the user's --spark-properties-file, opened so that a bad
 * one is refused at once: srun, sbatch and salloc check it before anything
 * is queued (plugin/spank_spark.c), the helper reads it through the same
 * descriptor checks (helper/spark.c).
 */
#ifndef SPANK_SPARK_PROPS_FILE_H
#define SPANK_SPARK_PROPS_FILE_H

#include <stddef.h>
#include <stdio.h>

/* The most a --spark-properties-file may hold (Spark's own files are a few
 * KiB; this bounds the copy into the step's configuration). */
#define SS_PROPS_FILE_MAX (1024 * 1024)

/*
 * Open PATH for reading without blocking (a FIFO with no writer would hold
 * the step forever) and accept only a regular file of at most
 * SS_PROPS_FILE_MAX bytes: never a FIFO, a device (/dev/zero copies without
 * end), a directory or a socket.  A symbolic link is followed: the file is
 * the user's own argument, opened with the user's rights, and what is
 * checked is what the link leads to.  Returns the descriptor (close-on-
 * exec), or -1 with one line in ERR naming the file and why.
 */
int ss_props_file_open(const char *path, char *err, size_t errlen);

/* Copy all of FD (from ss_props_file_open; closed here) to OUT, refusing a
 * file that grew past SS_PROPS_FILE_MAX since it was opened.  0, or -1
 * with one line in ERR naming PATH. */
int ss_props_file_copy(int fd, const char *path, FILE *out, char *err,
		       size_t errlen);

/* Open PATH as above and close it: 0, or -1 with one line in ERR. */
int ss_props_file_check(const char *path, char *err, size_t errlen);

#endif
