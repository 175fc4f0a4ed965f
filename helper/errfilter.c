/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * errfilter.c - the driver's standard error without the JVM's incubator
 * warning (errfilter.h).
 */
#include "errfilter.h"
#include "jvm_cause.h"
#include "os.h"
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Keep the start of the current line; at its end, was it the driver's
 * OutOfMemoryError? */
static void watch(struct errfilter *f, const char *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (in[i] != '\n') {
			if (f->head_len < sizeof(f->head))
				f->head[f->head_len++] = in[i];
			continue;
		}
		f->oom |= ss_driver_oom_line(f->head, f->head_len);
		f->head_len = 0;
	}
}

size_t errfilter_feed(struct errfilter *f, const char *in, size_t n, char *out)
{
	static const char line[] = ERRFILTER_LINE;
	size_t len = sizeof(line) - 1, o = 0;

	if (!in) {
		f->oom |= ss_driver_oom_line(f->head, f->head_len);
		f->head_len = 0;
		memcpy(out, line, f->matched);
		o = f->matched;
		f->matched = 0;
		return o;
	}
	watch(f, in, n);
	if (f->plain) {
		memcpy(out, in, n);
		return n;
	}
	for (size_t i = 0; i < n; i++) {
		char c = in[i];

		if (f->passing) {
			out[o++] = c;
			f->passing = c != '\n';
		} else if (c == line[f->matched]) {
			/* The whole line matched: it is left out. */
			if (++f->matched == len)
				f->matched = 0;
		} else {
			memcpy(out + o, line, f->matched);
			o += f->matched;
			f->matched = 0;
			out[o++] = c;
			f->passing = c != '\n';
		}
	}
	return o;
}

static void copy(int in_fd, pid_t helper, int to_fd)
{
	struct errfilter f = {.plain = to_fd != STDERR_FILENO};
	char in[4096], out[sizeof(in) + sizeof(ERRFILTER_LINE)];
	ssize_t n;

	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_DFL);
	/* Nothing outlives the helper (proc.h), this copy neither. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != helper)
		_exit(1);
	for (;;) {
		n = read(in_fd, in, sizeof(in));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (ss_write_all(to_fd, out,
				 errfilter_feed(&f, in, (size_t)n, out)))
			_exit(1);
	}
	(void)ss_write_all(to_fd, out, errfilter_feed(&f, NULL, 0, out));
	_exit(f.oom ? ERRFILTER_EXIT_OOM : 0);
}

int errfilter_start(pid_t *pid, int *write_fd, int to_fd)
{
	pid_t helper = getpid();
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	*pid = fork();
	if (*pid < 0) {
		int saved = errno;

		close(p[0]);
		close(p[1]);
		errno = saved;
		return -1;
	}
	if (*pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(p[1]);
		if (p[0] != STDERR_FILENO + 1 &&
		    dup2(p[0], STDERR_FILENO + 1) < 0)
			_exit(1);
		ss_close_from(STDERR_FILENO + 2, sysconf(_SC_OPEN_MAX));
		copy(STDERR_FILENO + 1, helper, to_fd);
	}
	close(p[0]);
	*write_fd = p[1];
	return 0;
}
