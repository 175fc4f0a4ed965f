/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_os.c - common/os.c, the system chores plugin and helper share:
 * closing descriptors in a child (each fallback), random hex, the clock,
 * the process environment as an ss_getenv_fn.
 */
#include "tap.h"

#include "../../common/os.c"

#include <sys/wait.h>

/* In a child: open a few descriptors, close >= 5 with the fallback
 * FALLBACK, report how many of 5..63 are still open. */
static int left_open(int fallback)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int left = 0;

		for (int i = 0; i < 10; i++)
			open("/dev/null", O_RDONLY);
		dup2(0, 40);
		if (fallback == 0)
			ss_close_from(5, 64);
		else if (fallback == 1)
			close_listed(5);
		else
			for (long fd = 5; fd < 64; fd++)
				close((int)fd);
		for (int fd = 5; fd < 64; fd++)
			left += fcntl(fd, F_GETFD) >= 0;
		_exit(left);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(void)
{
	char a[65], b[65], big[200];
	long t0, t1;

	is_int(left_open(0), 0, "ss_close_from closes every descriptor >= 5");
	is_int(left_open(1), 0, "... also without close_range (/proc/self/fd)");
	is_int(left_open(2), 0, "... also without /proc (every number)");

	ok(ss_random_hex(a, 32) == 0 && strlen(a) == 64 &&
	       strspn(a, "0123456789abcdef") == 64,
	   "32 random bytes: 64 lower-case hex digits");
	ok(ss_random_hex(b, 32) == 0 && strcmp(a, b) != 0,
	   "...different the next time");
	ok(ss_random_hex(a, 8) == 0 && strlen(a) == 16, "8 bytes: 16 digits");
	ok(ss_random_hex(big, 65) == -1 && errno == EINVAL && !big[0],
	   "more than 64 bytes at once is refused");

	t0 = ss_now_ms();
	t1 = ss_now_ms();
	ok(t0 > 0 && t1 >= t0, "the clock is monotonic");
	is_int(ss_ms_until(t1 - 5000), 0, "a past deadline is 0 ms away");
	ok(ss_ms_until(t1 + 3600000) > 3000000,
	   "a deadline in an hour is about an hour away");

	setenv("TEST_OS_VAR", "value", 1);
	is_str(ss_process_getenv("TEST_OS_VAR", NULL), "value",
	       "ss_process_getenv reads the environment");
	ok(ss_process_getenv("TEST_OS_UNSET_VAR", NULL) == NULL,
	   "...NULL when unset");
	return done_testing();
}
