/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc.h - the JVMs a helper starts, and how they end.
 *
 * Each child gets its own process group (so that a driver's Python goes
 * with it) unless it must share the terminal, and dies with the helper
 * (PDEATHSIG), so that nothing outlives a helper killed with SIGKILL.
 */
#ifndef SPANK_SPARK_PROC_H
#define SPANK_SPARK_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct child {
	const char *name;
	pid_t pid;  /* > 0 while it has not been reaped */
	pid_t pgid; /* its process group: outlives it when it had children */
	bool started;
	/* Stay in the helper's process group: an interactive application
	 * must be in the terminal's foreground group to read it. */
	bool same_group;
	int wait_status;
	pid_t err_relay; /* its standard error's filter (errfilter.h), or 0 */
	pid_t out_relay; /* its standard output's watch (errfilter.h), or 0 */
	bool err_oom;	 /* a relay saw the child's OutOfMemoryError */
};

/* Wait up to GRACE_S seconds for the relays of C's standard error and
 * output (they end when the child and what it started are gone), so that
 * what they saw is known (err_oom); SIGKILL them after that. */
void child_relay_wait(struct child *c, long grace_s);

/* What a child's descriptors become; -1 leaves stdio inherited. */
struct child_io {
	int in_fd;  /* standard input */
	int out_fd; /* standard output and error */
	const char *cwd;
	/* Standard error through the incubator warning's filter
	 * (errfilter.h); only where out_fd is -1. */
	bool filter_err;
	/* Standard output watched for the child's OutOfMemoryError
	 * (errfilter.h), unless it is a terminal; only where out_fd is -1. */
	bool watch_out;
};

/* Start ARGV (ARGV[0] a path) with ENVP.  Every other descriptor is
 * closed in the child.  0, or -1 with errno. */
int child_start(struct child *c, char *const argv[], char *const envp[],
		const struct child_io *io);
/* Reap whichever of the N children have exited (after SIGCHLD). */
void children_reap(struct child *const cs[], size_t n);
/* SIGTERM every running child's group, wait up to GRACE_S seconds, then
 * SIGKILL what is left and reap it; then let the children's standard
 * error filters copy what is left (bounded by GRACE_S too) and reap them. */
void children_stop(struct child *const cs[], size_t n, long grace_s);
/* As a shell reports it: the exit code, or 128 + the signal. */
int child_exit_code(const struct child *c);
/* Signal self-pipe: install handlers for SIGCHLD, SIGTERM, SIGINT, SIGHUP
 * and SIGPIPE (ignored); returns the read end. */
int signals_init(void);
/* Read the pending signals: returns a termination signal seen (or 0) and
 * sets *chld when SIGCHLD was among them. */
int signals_read(int fd, bool *chld);

#endif
