/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc.c - children of the helper.
 */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int signal_pipe[2] = {-1, -1};

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

static void child_setup(int out_w, pid_t helper, bool same_group)
{
	sigset_t none;
	int devnull;

	if (!same_group)
		setpgid(0, 0);
	/* Die with the helper, even if it is killed with SIGKILL. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != helper)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (out_w >= 0) {
		devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (devnull < 0 || dup2(devnull, STDIN_FILENO) < 0 ||
		    dup2(out_w, STDOUT_FILENO) < 0 ||
		    dup2(out_w, STDERR_FILENO) < 0)
			_exit(127);
	}
}

int child_start(struct child *c, char *const argv[], char *const envp[],
		bool capture)
{
	int out[2] = {-1, -1};
	pid_t helper = getpid();

	c->pid = -1;
	c->pgid = 0;
	c->started = false;
	c->out_fd = -1;
	c->line_len = 0;
	if (capture && pipe2(out, O_CLOEXEC) < 0)
		return -1;
	c->pid = fork();
	if (c->pid == 0) {
		child_setup(out[1], helper, c->same_group);
		execve(argv[0], argv, envp);
		dprintf(STDERR_FILENO,
			"spank-spark: error: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (out[1] >= 0)
		close(out[1]);
	if (c->pid < 0) {
		if (out[0] >= 0)
			close(out[0]);
		return -1;
	}
	c->started = true;
	/* Also from here: no window where a signal finds no group. */
	if (!c->same_group) {
		setpgid(c->pid, c->pid);
		c->pgid = c->pid;
	}
	if (out[0] >= 0) {
		fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
		c->out_fd = out[0];
	}
	return 0;
}

int child_drain(struct child *c)
{
	char buf[4096];
	ssize_t n;

	if (c->out_fd < 0)
		return 1;
	while ((n = read(c->out_fd, buf, sizeof(buf))) > 0) {
		if (c->log_fd >= 0 && write(c->log_fd, buf, (size_t)n) < 0)
			c->log_fd = -1;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n' &&
			    c->line_len < sizeof(c->line) - 1) {
				c->line[c->line_len++] = buf[i];
				continue;
			}
			if (buf[i] != '\n')
				continue; /* overlong line: keep its head */
			c->line[c->line_len] = '\0';
			if (c->on_line)
				c->on_line(c->arg, c->line);
			c->line_len = 0;
		}
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		close(c->out_fd);
		c->out_fd = -1;
		return 1;
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

long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static size_t running(struct child *const cs[], size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count += cs[i]->pid > 0;
	return count;
}

void children_stop(struct child *const cs[], size_t n, long grace_s)
{
	long deadline = now_ms() + grace_s * 1000;

	for (size_t i = 0; i < n; i++) {
		if (cs[i]->pgid > 0)
			kill(-cs[i]->pgid, SIGTERM);
		else if (cs[i]->pid > 0)
			kill(cs[i]->pid, SIGTERM);
	}
	while (running(cs, n) && now_ms() < deadline) {
		struct pollfd pfd[16];
		nfds_t np = 0;
		bool chld = false;

		pfd[np++] =
		    (struct pollfd){.fd = signal_pipe[0], .events = POLLIN};
		for (size_t i = 0; i < n && np < 16; i++)
			if (cs[i]->out_fd >= 0)
				pfd[np++] = (struct pollfd){.fd = cs[i]->out_fd,
							    .events = POLLIN};
		poll(pfd, np, (int)(deadline - now_ms()));
		signals_read(signal_pipe[0], &chld);
		for (size_t i = 0; i < n; i++)
			child_drain(cs[i]);
		children_reap(cs, n);
	}
	/* The group may outlive its leader: a Worker's executors. */
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
		child_drain(cs[i]);
	}
}

int child_exit_code(const struct child *c)
{
	if (WIFEXITED(c->wait_status))
		return WEXITSTATUS(c->wait_status);
	if (WIFSIGNALED(c->wait_status))
		return 128 + WTERMSIG(c->wait_status);
	return EXIT_FAILURE;
}
