/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc.h - the JVMs and scripts a helper starts, and how they end.
 *
 * Each child gets its own process group (so that a Worker's executors and
 * a driver's Python go with it) and dies with the helper (PDEATHSIG), so
 * that nothing outlives a helper killed with SIGKILL.  Daemons' output goes
 * through a pipe into the step's log file, read line by line by the helper:
 * that is how start-up progress is seen without sleeping.
 */
#ifndef SPANK_SPARK_PROC_H
#define SPANK_SPARK_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef void (*child_line_fn)(void *arg, const char *line);

struct child {
	const char *name;
	pid_t pid;  /* > 0 while it has not been reaped */
	pid_t pgid; /* its process group: outlives it when it had children */
	bool started;
	/* Stay in the helper's process group: an interactive application
	 * must be in the terminal's foreground group to read it. */
	bool same_group;
	int wait_status;
	int out_fd; /* its stdout and stderr, or -1 when inherited */
	int log_fd; /* copy of its output, or -1; owned by the caller */
	child_line_fn on_line;
	void *arg;
	char line[8192];
	size_t line_len;
};

/* Start ARGV (ARGV[0] a path) with ENVP.  With CAPTURE, output goes
 * through out_fd to log_fd and on_line; otherwise stdio is inherited. */
int child_start(struct child *c, char *const argv[], char *const envp[],
		bool capture);
/* Consume what the child printed.  Returns 1 once its output is closed. */
int child_drain(struct child *c);
/* Reap whichever of the N children have exited (after SIGCHLD). */
void children_reap(struct child *const cs[], size_t n);
/* SIGTERM every running child's group, wait up to GRACE_S seconds while
 * draining output, then SIGKILL what is left and reap it. */
void children_stop(struct child *const cs[], size_t n, long grace_s);
/* Monotonic clock in milliseconds: deadlines everywhere in the helper. */
long now_ms(void);
/* As a shell reports it: the exit code, or 128 + the signal. */
int child_exit_code(const struct child *c);
/* Signal self-pipe: install handlers for SIGCHLD, SIGTERM, SIGINT, SIGHUP
 * and SIGPIPE (ignored); returns the read end. */
int signals_init(void);
/* Read the pending signals: returns a termination signal seen (or 0) and
 * sets *chld when SIGCHLD was among them. */
int signals_read(int fd, bool *chld);

#endif
