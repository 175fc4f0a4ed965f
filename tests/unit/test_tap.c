/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_tap.c - tap.h itself: a skipped check must read as a skip ("ok N #
 * SKIP why"), never as a plain pass, and a '#' in a check's name must not
 * start a directive.  A child writes TAP with tap.h into a pipe; the parent
 * compares it line by line.
 */
#include "tap.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

/* What the child prints, run through tap.h. */
static void child_tap(int out_fd)
{
	if (dup2(out_fd, STDOUT_FILENO) < 0)
		_exit(127);
	close(out_fd);
	ok(1, "a pass");
	skip(2, "no %s here", "frobnicator");
	ok(1, "# SKIP is only a name");
	exit(done_testing());
}

int main(void)
{
	static const char want[] = "ok 1 - a pass\n"
				   "ok 2 # SKIP no frobnicator here\n"
				   "ok 3 # SKIP no frobnicator here\n"
				   "ok 4 - \\# SKIP is only a name\n"
				   "1..4\n";
	char got[512];
	size_t len = 0;
	ssize_t n;
	int fds[2], status;
	pid_t pid;

	fflush(stdout);
	SETUP(pipe2(fds, O_CLOEXEC));
	SETUP((pid = fork()) < 0);
	if (pid == 0) {
		close(fds[0]);
		child_tap(fds[1]);
	}
	close(fds[1]);
	while (len < sizeof(got) - 1 &&
	       (n = read(fds[0], got + len, sizeof(got) - 1 - len)) > 0)
		len += (size_t)n;
	got[len] = '\0';
	close(fds[0]);
	SETUP(waitpid(pid, &status, 0) != pid);

	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "a run with skips and passes exits 0");
	is_str(got, want, "skip() prints '# SKIP why', one line per check");
	like(got, "ok 2 # SKIP no frobnicator here\n",
	     "a skipped check is a SKIP directive, not a pass");
	like(got, "ok 4 - \\# SKIP",
	     "a '#' in a check's name is escaped: a name cannot skip");
	return done_testing();
}
