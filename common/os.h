/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * os.h - the few system chores the plugin and the helper share: a
 * monotonic clock, closing inherited descriptors in a child, random hex,
 * whole writes, and the process environment as an ss_getenv_fn.
 */
#ifndef SPANK_SPARK_OS_H
#define SPANK_SPARK_OS_H

#include <stddef.h>

/* Monotonic clock in milliseconds: deadlines everywhere. */
long ss_now_ms(void);
/* Milliseconds from now until DEADLINE (ss_now_ms) for poll(): never
 * negative, at most 10^9. */
int ss_ms_until(long deadline);
/* In a child between fork and exec: close every descriptor >= FROM with
 * async-signal-safe calls only: close_range (Linux 5.9), else what
 * /proc/self/fd lists (read with getdents64, no malloc), else every number
 * below MAX_FD (sysconf(_SC_OPEN_MAX), taken before the fork). */
void ss_close_from(int from, long max_fd);
/* NBYTES random bytes as 2 * NBYTES lower-case hex digits and a NUL in
 * OUT.  0, or -1 with errno (getrandom). */
int ss_random_hex(char *out, size_t nbytes);
/* All N bytes of BUF to FD, again after EINTR and short writes: 0, or -1
 * (errno set; 0 bytes written counts as an error). */
int ss_write_all(int fd, const void *buf, size_t n);
/* getenv as an ss_getenv_fn (common/options.h); ARG is unused. */
const char *ss_process_getenv(const char *name, void *arg);

#endif
