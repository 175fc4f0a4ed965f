/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc.c - children of the helper.
 */
#include "os.h"
#include "proc.h"
#include "errfilter.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int signal_pipe[2] = {-1, -1};

static void relays_stop(struct child *const cs[], size_t n, long grace_s);

static void on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int saved = errno;

	if (write(signal_pipe[1], &b, 1) < 0) {
		/* pipe full: a wake-up is already pending */
	}
	errno = saved;
}

int signals_init(void)
{
	static const int sigs[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP};
	struct sigaction sa = {.sa_handler = on_signal};

	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			return -1;
	signal(SIGPIPE, SIG_IGN);
	return signal_pipe[0];
}

int signals_read(int fd, bool *chld)
{
	unsigned char buf[64];
	ssize_t n;
	int term = 0;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == SIGCHLD)
				*chld = true;
			else
				term = buf[i];
		}
	return term;
}

/* In the child, before exec: only async-signal-safe calls (MAX_FD was
 * read by the parent). */
static void child_setup(const struct child_io *io, int out_fd, int err_fd,
			pid_t helper, bool same_group, long max_fd)
{
	sigset_t none;

	if (!same_group)
		setpgid(0, 0);
	/* Die with the helper, even if it is killed with SIGKILL. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != helper)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (io && io->in_fd >= 0 && dup2(io->in_fd, STDIN_FILENO) < 0)
		_exit(127);
	if (io && io->out_fd >= 0 &&
	    (dup2(io->out_fd, STDOUT_FILENO) < 0 ||
	     dup2(io->out_fd, STDERR_FILENO) < 0))
		_exit(127);
	if (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0)
		_exit(127);
	if (err_fd >= 0 && dup2(err_fd, STDERR_FILENO) < 0)
		_exit(127);
	ss_close_from(STDERR_FILENO + 1, max_fd);
	if (io && io->cwd && chdir(io->cwd) < 0)
		_exit(127);
}

int child_start(struct child *c, char *const argv[], char *const envp[],
		const struct child_io *io)
{
	pid_t helper = getpid();
	long max_fd = sysconf(_SC_OPEN_MAX);
	int err_fd = -1, out_fd = -1;

	c->pid = -1;
	c->pgid = 0;
	c->started = false;
	c->err_relay = 0;
	c->out_relay = 0;
	c->err_oom = false;
	/* Without its filter the child's standard error is just noisier;
	 * without the watch of its output, a Python driver's error is only
	 * not named. */
	if (io && io->filter_err && io->out_fd < 0 &&
	    errfilter_start(&c->err_relay, &err_fd, STDERR_FILENO) < 0)
		c->err_relay = 0;
	if (io && io->watch_out && io->out_fd < 0 && !isatty(STDOUT_FILENO) &&
	    errfilter_start(&c->out_relay, &out_fd, STDOUT_FILENO) < 0)
		c->out_relay = 0;
	c->pid = fork();
	if (c->pid == 0) {
		child_setup(io, out_fd, err_fd, helper, c->same_group,
			    max_fd > 0 ? max_fd : 65536);
		execve(argv[0], argv, envp);
		dprintf(STDERR_FILENO,
			"spank-spark: error: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (err_fd >= 0 || out_fd >= 0) {
		int saved = errno;

		if (err_fd >= 0)
			close(err_fd);
		if (out_fd >= 0)
			close(out_fd);
		errno = saved;
	}
	if (c->pid < 0) {
		relays_stop(&c, 1, 0);
		return -1;
	}
	c->started = true;
	/* Also from here: no window where a signal finds no group. */
	if (!c->same_group) {
		setpgid(c->pid, c->pid);
		c->pgid = c->pid;
	}
	return 0;
}

void children_reap(struct child *const cs[], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct child *c = cs[i];
		int status;

		if (c->pid > 0 && waitpid(c->pid, &status, WNOHANG) == c->pid) {
			c->wait_status = status;
			c->pid = 0;
		}
	}
}

static size_t running(struct child *const cs[], size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count += cs[i]->pid > 0;
	return count;
}

/* Wait up to GRACE_S seconds for the children's relays, which end once
 * the last writer (the child, what it started) is gone; SIGKILL and reap
 * what is left. */
static void relays_stop(struct child *const cs[], size_t n, long grace_s)
{
	long deadline = ss_now_ms() + grace_s * 1000;

	for (size_t k = 0; k < 2 * n; k++) {
		struct child *c = cs[k / 2];
		pid_t *relay = k % 2 ? &c->out_relay : &c->err_relay;
		pid_t pid = *relay;
		int status = 0;

		if (pid <= 0)
			continue;
		while (waitpid(pid, &status, WNOHANG) == 0) {
			struct pollfd pfd = {.fd = signal_pipe[0],
					     .events = POLLIN};
			bool chld = false;

			if (ss_now_ms() >= deadline) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				break;
			}
			poll(&pfd, 1, ss_ms_until(deadline));
			signals_read(signal_pipe[0], &chld);
		}
		if (WIFEXITED(status) &&
		    WEXITSTATUS(status) == ERRFILTER_EXIT_OOM)
			c->err_oom = true;
		*relay = 0;
	}
}

void child_relay_wait(struct child *c, long grace_s)
{
	relays_stop(&c, 1, grace_s);
}

void children_stop(struct child *const cs[], size_t n, long grace_s)
{
	long deadline = ss_now_ms() + grace_s * 1000;

	for (size_t i = 0; i < n; i++) {
		if (cs[i]->pgid > 0)
			kill(-cs[i]->pgid, SIGTERM);
		else if (cs[i]->pid > 0)
			kill(cs[i]->pid, SIGTERM);
	}
	while (running(cs, n) && ss_now_ms() < deadline) {
		struct pollfd pfd = {.fd = signal_pipe[0], .events = POLLIN};
		bool chld = false;

		poll(&pfd, 1, ss_ms_until(deadline));
		signals_read(signal_pipe[0], &chld);
		children_reap(cs, n);
	}
	/* The group may outlive its leader: a driver's Python. */
	for (size_t i = 0; i < n; i++) {
		if (cs[i]->pgid > 0)
			kill(-cs[i]->pgid, SIGKILL);
		else if (cs[i]->pid > 0)
			kill(cs[i]->pid, SIGKILL);
		if (cs[i]->pid > 0) {
			waitpid(cs[i]->pid, &cs[i]->wait_status, 0);
			cs[i]->pid = 0;
		}
		cs[i]->pgid = 0;
	}
	relays_stop(cs, n, grace_s);
}

int child_exit_code(const struct child *c)
{
	if (WIFEXITED(c->wait_status))
		return WEXITSTATUS(c->wait_status);
	if (WIFSIGNALED(c->wait_status))
		return 128 + WTERMSIG(c->wait_status);
	return EXIT_FAILURE;
}
