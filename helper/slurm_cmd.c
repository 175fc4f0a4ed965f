/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slurm_cmd.c - Slurm's commands, run as the user.
 */
#include "slurm_cmd.h"
#include "os.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(char *const argv[], int in_fd, int out_fd)
{
	sigset_t none;
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (dup2(in_fd >= 0 ? in_fd : null, 0) < 0 || dup2(out_fd, 1) < 0 ||
	    dup2(out_fd, 2) < 0)
		_exit(127);
	ss_close_from(3, -1);
	execvp(argv[0], argv);
	dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int slurm_cmd(char *const argv[], const char *in, char *out, size_t outlen,
	      int timeout_ms, char *err, size_t errlen)
{
	int inp[2] = {-1, -1}, outp[2] = {-1, -1}, status = 0;
	long deadline = ss_now_ms() + timeout_ms;
	size_t have = 0;
	pid_t pid;

	out[0] = '\0';
	if ((in && pipe2(inp, O_CLOEXEC) < 0) || pipe2(outp, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot run %s: pipe: %s", argv[0],
			 strerror(errno));
		goto fail;
	}
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "cannot run %s: fork: %s", argv[0],
			 strerror(errno));
		goto fail;
	}
	if (pid == 0)
		child(argv, inp[0], outp[1]);
	close(outp[1]);
	outp[1] = -1;
	if (in) {
		close(inp[0]);
		inp[0] = -1;
		/* A batch script is far smaller than a pipe's buffer. */
		signal(SIGPIPE, SIG_IGN);
		if (ss_write_all(inp[1], in, strlen(in)) < 0)
			snprintf(out, outlen, "(its input was cut short)");
		close(inp[1]);
		inp[1] = -1;
	}
	for (;;) {
		struct pollfd pfd = {.fd = outp[0], .events = POLLIN};
		char buf[512];
		ssize_t n;
		int left = ss_ms_until(deadline);

		if (left == 0 || (poll(&pfd, 1, left) < 0 && errno != EINTR)) {
			kill(pid, SIGKILL);
			snprintf(out, outlen, "no answer within %d s",
				 timeout_ms / 1000);
			break;
		}
		if (!pfd.revents)
			continue;
		if ((n = read(outp[0], buf, sizeof(buf))) < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n && have + 1 < outlen; i++)
			out[have++] = buf[i];
		out[have] = '\0';
	}
	close(outp[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
fail:
	for (int i = 0; i < 2; i++) {
		if (inp[i] >= 0)
			close(inp[i]);
		if (outp[i] >= 0)
			close(outp[i]);
	}
	return -1;
}
