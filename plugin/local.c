/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * local.c - the srun side of client mode: start the driver-side helper on
 * this host, after the allocation is granted and before tasks launch.
 *
 * The helper must die with srun, however srun ends.  It holds the read end
 * of a "lifeline" pipe whose only write end stays in srun: when srun exits
 * or is killed, the helper reads EOF and tears the driver side down.
 * Errors returned from here do not change srun's exit status on 22.05; the
 * application's status reaches srun through the executors' tasks instead.
 */
#include "plugin.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LIFELINE_FD 3
#define EXEC_STATUS_FD 4

static pid_t driver_pid = -1;
static int lifeline_fd = -1; /* srun's end */

static uint32_t step_nodes(spank_t sp)
{
	static const char *const vars[] = {
	    "SLURM_STEP_NUM_NODES", "SLURM_NNODES", "SLURM_JOB_NUM_NODES"};
	uint32_t n = 0;
	long v;

	if (spank_get_item(sp, S_JOB_NNODES, &n) == ESPANK_SUCCESS && n)
		return n;
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]) &&
		    !ss_parse_long(getenv(vars[i]), 1, 1000000, &v))
			return (uint32_t)v;
	return 0;
}

/* In the child: only the two pipes survive, at fixed numbers. */
static int child_fds(int lifeline_r, int status_w)
{
	int a = fcntl(lifeline_r, F_DUPFD, 10);
	int b = fcntl(status_w, F_DUPFD, 10);

	if (a < 0 || b < 0 || dup2(a, LIFELINE_FD) < 0 ||
	    dup2(b, EXEC_STATUS_FD) < 0 ||
	    fcntl(EXEC_STATUS_FD, F_SETFD, FD_CLOEXEC) < 0)
		return -1;
	return close_range(EXEC_STATUS_FD + 1, ~0U, 0);
}

static void child_signals(void)
{
	sigset_t none;
	static const int sigs[] = {SIGINT,  SIGTERM, SIGHUP,
				   SIGPIPE, SIGCHLD, SIGQUIT};

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
}

static void exec_driver(char **argv, int lifeline_r, int status_w)
{
	int err;

	if (child_fds(lifeline_r, status_w) == 0 &&
	    ss_export_to_environment() == 0) {
		child_signals();
		execv(argv[0], argv);
	}
	err = errno;
	if (write(EXEC_STATUS_FD, &err, sizeof(err)) < 0)
		_exit(126);
	_exit(127);
}

static void give_stdin_away(void)
{
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (devnull < 0)
		return;
	if (dup2(devnull, STDIN_FILENO) < 0)
		slurm_verbose("spank-spark: cannot detach srun's stdin: %s",
			      strerror(errno));
	close(devnull);
}

int ss_local_user_init(spank_t sp)
{
	uint32_t job = 0, step = 0;
	int app_argc = 0, err = 0, lifeline[2], status[2];
	char **app_argv = NULL, **argv;
	struct ss_handoff ho;
	ssize_t got;

	if (spank_get_item(sp, S_JOB_ID, &job) != ESPANK_SUCCESS ||
	    spank_get_item(sp, S_JOB_STEPID, &step) != ESPANK_SUCCESS ||
	    spank_get_item(sp, S_JOB_ARGV, &app_argc, &app_argv) !=
		ESPANK_SUCCESS) {
		slurm_error("spank-spark: cannot read the step's ids and "
			    "command from Slurm");
		return -1;
	}
	ss_helper_handoff(&ho, "client-driver");
	ho.job = job;
	ho.step = step;
	ho.nnodes = step_nodes(sp);
	ho.node_index = -1;
	ho.lifeline_fd = LIFELINE_FD;
	ho.app_argc = app_argc;
	ho.app_argv = app_argv;
	if (!(argv = ss_helper_argv(&ho))) {
		slurm_error("spank-spark: out of memory");
		return -1;
	}

	if (pipe2(lifeline, O_CLOEXEC) < 0) {
		slurm_error("spank-spark: pipe: %s", strerror(errno));
		free(argv);
		return -1;
	}
	if (pipe2(status, O_CLOEXEC) < 0) {
		slurm_error("spank-spark: pipe: %s", strerror(errno));
		close(lifeline[0]);
		close(lifeline[1]);
		free(argv);
		return -1;
	}
	driver_pid = fork();
	if (driver_pid == 0)
		exec_driver(argv, lifeline[0], status[1]);
	free(argv);
	close(lifeline[0]);
	close(status[1]);
	if (driver_pid < 0) {
		slurm_error("spank-spark: cannot start the driver side: fork: "
			    "%s",
			    strerror(errno));
		close(lifeline[1]);
		close(status[0]);
		return -1;
	}
	lifeline_fd = lifeline[1];
	/* EOF: the exec succeeded; an int: why it did not. */
	do
		got = read(status[0], &err, sizeof(err));
	while (got < 0 && errno == EINTR);
	close(status[0]);
	if (got > 0) {
		slurm_error("spank-spark: cannot run the helper %s: %s (check "
			    "helper= in plugstack.conf)",
			    ss_plugin.site.helper, strerror(err));
		ss_local_exit();
		return -1;
	}
	/* The terminal (or whatever stdin is) belongs to the driver, which
	 * may be an interactive shell: srun would forward it to task 0, an
	 * executor, and steal the user's keystrokes. */
	give_stdin_away();
	slurm_verbose("spank-spark: driver side started (pid %d)",
		      (int)driver_pid);
	return 0;
}

/* srun is ending: let the helper finish its teardown, within bounds. */
void ss_local_exit(void)
{
	struct timespec tick = {0, 50 * 1000 * 1000};
	long waited_ms = 0, limit_ms;

	if (lifeline_fd >= 0) {
		close(lifeline_fd);
		lifeline_fd = -1;
	}
	if (driver_pid <= 0)
		return;
	limit_ms = (ss_plugin.site.stop_timeout + 5) * 1000;
	while (waitpid(driver_pid, NULL, WNOHANG) == 0) {
		if (waited_ms >= limit_ms) {
			kill(driver_pid, SIGKILL);
			waitpid(driver_pid, NULL, 0);
			break;
		}
		nanosleep(&tick, NULL);
		waited_ms += 50;
	}
	driver_pid = -1;
}
