/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_environ_match.c - the backstops' matcher of /proc/PID/environ data:
 * exact entries, first entry of a name wins, chunks split anywhere, huge
 * and unterminated environments, the read cap.
 */
#include "tap.h"
#include "environ_match.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *const marks[] = {"SPANK_SPARK_JOB=12", "SPANK_SPARK_STEP=0",
				    "SPANK_SPARK_HOST=node1"};
#define NMARKS 3

/* Literal with embedded NULs: its length without the literal's own NUL. */
#define ENV(s) s, sizeof(s) - 1

static bool match(const char *buf, size_t len)
{
	return ss_environ_match_buf(buf, len, marks, NMARKS);
}

static void test_exact(void)
{
	ok(match(ENV("SPANK_SPARK_JOB=12\0SPANK_SPARK_STEP=0\0"
		     "SPANK_SPARK_HOST=node1\0")),
	   "all three marks first");
	ok(match(ENV("PATH=/bin\0HOME=/x\0SPANK_SPARK_HOST=node1\0A=\0"
		     "SPANK_SPARK_STEP=0\0B=1\0SPANK_SPARK_JOB=12\0")),
	   "marks anywhere, in any order");
	ok(!match(ENV("SPANK_SPARK_JOB=123\0SPANK_SPARK_STEP=0\0"
		      "SPANK_SPARK_HOST=node1\0")),
	   "SPANK_SPARK_JOB=123 is not job 12");
	ok(!match(ENV("SPANK_SPARK_JOB=1\0SPANK_SPARK_STEP=0\0"
		      "SPANK_SPARK_HOST=node1\0")),
	   "SPANK_SPARK_JOB=1 is not job 12");
	ok(!match(ENV("SPANK_SPARK_JOB=12\0SPANK_SPARK_STEP=0\0"
		      "SPANK_SPARK_HOST=node10\0")),
	   "host node10 is not node1");
	ok(!match(ENV("XSPANK_SPARK_JOB=12\0SPANK_SPARK_STEP=0\0"
		      "SPANK_SPARK_HOST=node1\0")),
	   "a longer name is another name");
	ok(!match(ENV("SPANK_SPARK_JOBX=12\0SPANK_SPARK_STEP=0\0"
		      "SPANK_SPARK_HOST=node1\0")),
	   "a name with a suffix is another name");
	ok(!match(ENV("SPANK_SPARK_STEP=0\0SPANK_SPARK_HOST=node1\0")),
	   "a missing mark: no match");
	ok(!match(ENV("")), "an empty environment: no match");
	ok(!match(ENV("\0\0\0")), "only NULs: no match");
	ok(!match(ENV("A=SPANK_SPARK_JOB=12\0SPANK_SPARK_STEP=0\0"
		      "SPANK_SPARK_HOST=node1\0")),
	   "a mark inside another entry's value does not count");
}

static void test_first_wins(void)
{
	ok(!match(ENV("SPANK_SPARK_JOB=9\0SPANK_SPARK_JOB=12\0"
		      "SPANK_SPARK_STEP=0\0SPANK_SPARK_HOST=node1\0")),
	   "a later duplicate cannot add a mark (getenv sees job 9)");
	ok(match(ENV("SPANK_SPARK_JOB=12\0SPANK_SPARK_JOB=9\0"
		     "SPANK_SPARK_STEP=0\0SPANK_SPARK_HOST=node1\0")),
	   "a later duplicate cannot remove a mark (getenv sees job 12)");
	ok(match(ENV("SPANK_SPARK_JOBS=1\0SPANK_SPARK_JOB=12\0"
		     "SPANK_SPARK_STEP=0\0SPANK_SPARK_HOST=node1\0")),
	   "a different name with the mark's prefix does not decide");
	ok(match(ENV("SPANK_SPARK_JOB\0SPANK_SPARK_JOB=12\0"
		     "SPANK_SPARK_STEP=0\0SPANK_SPARK_HOST=node1\0")),
	   "an entry without '=' does not decide");
}

static void test_unterminated(void)
{
	ok(match(ENV("A=1\0SPANK_SPARK_STEP=0\0SPANK_SPARK_HOST=node1\0"
		     "SPANK_SPARK_JOB=12")),
	   "a last entry without NUL counts at the end of the data");
	ok(!match(ENV("A=1\0SPANK_SPARK_STEP=0\0SPANK_SPARK_HOST=node1\0"
		      "SPANK_SPARK_JOB=1")),
	   "... but must still be exact");
}

/* Every way of cutting BUF in two or three gives the one-piece answer. */
static void test_splits(void)
{
	static const char env[] = "PATH=/bin\0SPANK_SPARK_JOB=12\0"
				  "SPANK_SPARK_STEP=0\0SPANK_SPARK_HOST=node1";
	static const char bad[] = "PATH=/bin\0SPANK_SPARK_JOB=123\0"
				  "SPANK_SPARK_STEP=0\0SPANK_SPARK_HOST=node1";
	size_t n = sizeof(env) - 1, nb = sizeof(bad) - 1;
	int wrong = 0;

	for (size_t a = 0; a <= n; a++)
		for (size_t b = a; b <= n; b++) {
			struct ss_env_match m;

			ss_env_match_init(&m, marks, NMARKS);
			ss_env_match_feed(&m, env, a);
			ss_env_match_feed(&m, env + a, b - a);
			ss_env_match_feed(&m, env + b, n - b);
			wrong += !ss_env_match_result(&m, true);
		}
	is_int(wrong, 0, "a match split at every pair of points still matches");
	wrong = 0;
	for (size_t a = 0; a <= nb; a++) {
		struct ss_env_match m;

		ss_env_match_init(&m, marks, NMARKS);
		ss_env_match_feed(&m, bad, a);
		ss_env_match_feed(&m, bad + a, nb - a);
		wrong += ss_env_match_result(&m, true);
	}
	is_int(wrong, 0, "job 123 split anywhere is still not job 12");
	{
		struct ss_env_match m;

		ss_env_match_init(&m, marks, NMARKS);
		for (size_t k = 0; k < n; k++)
			ss_env_match_feed(&m, env + k, 1);
		ok(ss_env_match_result(&m, true), "fed one byte at a time");
	}
}

static void test_init(void)
{
	struct ss_env_match m;
	const char *noeq[] = {"SPANK_SPARK_JOB"};
	const char *noname[] = {"=12"};
	const char *nul[] = {NULL};
	const char *many[SS_ENV_MATCH_MAX + 1];

	for (size_t i = 0; i < SS_ENV_MATCH_MAX + 1; i++)
		many[i] = "A=1";
	ok(ss_env_match_init(&m, marks, 0) == -1, "no wanted entry refused");
	ok(ss_env_match_init(&m, noeq, 1) == -1, "an entry without '='");
	ok(ss_env_match_init(&m, noname, 1) == -1, "an entry without name");
	ok(ss_env_match_init(&m, nul, 1) == -1, "a NULL entry");
	ok(ss_env_match_init(&m, many, SS_ENV_MATCH_MAX + 1) == -1,
	   "too many entries");
	ok(ss_env_match_init(&m, many, SS_ENV_MATCH_MAX) == 0,
	   "the most entries");
	ok(!ss_environ_match_buf(ENV("A=1\0"), noeq, 1),
	   "a bad wanted list never matches");
}

/* A memfd holding PREFIX_LEN bytes of filler entries, then TAIL. */
static int env_fd(size_t prefix_len, const char *tail, size_t tail_len)
{
	int fd = memfd_create("environ", MFD_CLOEXEC);
	char *fill = malloc(prefix_len ? prefix_len : 1);

	if (fd < 0 || !fill) {
		printf("Bail out! memfd/malloc: %s\n", strerror(errno));
		exit(255);
	}
	/* Entries "F=xxx...x\0" of 1000 bytes. */
	for (size_t i = 0; i < prefix_len; i++)
		fill[i] = (i % 1000 == 999 || i == prefix_len - 1) ? '\0'
			  : (i % 1000 == 0)			   ? 'F'
			  : (i % 1000 == 1)			   ? '='
								   : 'x';
	if (write(fd, fill, prefix_len) != (ssize_t)prefix_len ||
	    write(fd, tail, tail_len) != (ssize_t)tail_len ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		printf("Bail out! write: %s\n", strerror(errno));
		exit(255);
	}
	free(fill);
	return fd;
}

static void test_fd(void)
{
	static const char tail[] = "SPANK_SPARK_JOB=12\0SPANK_SPARK_STEP=0\0"
				   "SPANK_SPARK_HOST=node1\0";
	int fd;

	fd = env_fd(0, ENV(tail));
	is_int(ss_environ_match_fd(fd, marks, NMARKS, SS_ENVIRON_CAP), 1,
	       "fd: marks alone");
	close(fd);
	/* The old backstop read 64 KiB and missed the rest. */
	fd = env_fd(70000, ENV(tail));
	is_int(ss_environ_match_fd(fd, marks, NMARKS, SS_ENVIRON_CAP), 1,
	       "fd: marks after 70000 bytes of environment");
	close(fd);
	fd = env_fd(3u << 20, ENV(tail));
	is_int(ss_environ_match_fd(fd, marks, NMARKS, SS_ENVIRON_CAP), 1,
	       "fd: marks after 3 MiB of environment");
	close(fd);
	fd = env_fd(5u << 20, ENV(tail));
	is_int(ss_environ_match_fd(fd, marks, NMARKS, SS_ENVIRON_CAP), 0,
	       "fd: marks past the 4 MiB cap are not read");
	ok(lseek(fd, 0, SEEK_CUR) == SS_ENVIRON_CAP,
	   "fd: reading stopped at the cap");
	close(fd);
	/* The cap falls right after "...JOB=12": it may be "...JOB=123". */
	fd = env_fd(0, ENV("SPANK_SPARK_STEP=0\0SPANK_SPARK_HOST=node1\0"
			   "SPANK_SPARK_JOB=123\0"));
	is_int(ss_environ_match_fd(fd, marks, NMARKS,
				   sizeof("SPANK_SPARK_STEP=0\0SPANK_SPARK_"
					  "HOST=node1\0SPANK_SPARK_JOB=12") -
				       1),
	       0, "fd: an entry cut by the cap does not count");
	close(fd);
	/* One entry of 6 MiB without any NUL. */
	fd = memfd_create("environ", MFD_CLOEXEC);
	{
		static char chunk[65536];

		memset(chunk, 'y', sizeof(chunk));
		for (int i = 0; i < 96; i++)
			if (write(fd, chunk, sizeof(chunk)) !=
			    (ssize_t)sizeof(chunk))
				break;
		lseek(fd, 0, SEEK_SET);
	}
	is_int(ss_environ_match_fd(fd, marks, NMARKS, SS_ENVIRON_CAP), 0,
	       "fd: a 6 MiB entry without NUL");
	close(fd);
	/* Decided early: job 9 comes first, the rest is never read. */
	fd = env_fd(0, ENV("SPANK_SPARK_JOB=9\0"));
	{
		static char rest[1 << 20];

		lseek(fd, 0, SEEK_END);
		if (write(fd, rest, sizeof(rest)) != (ssize_t)sizeof(rest))
			printf("# short write\n");
		lseek(fd, 0, SEEK_SET);
	}
	is_int(ss_environ_match_fd(fd, marks, NMARKS, SS_ENVIRON_CAP), 0,
	       "fd: another job");
	ok(lseek(fd, 0, SEEK_CUR) < (off_t)(1 << 20),
	   "fd: reading stopped once the answer was known");
	close(fd);
	errno = 0;
	is_int(ss_environ_match_fd(-1, marks, NMARKS, SS_ENVIRON_CAP), -1,
	       "fd: a read error is an error, not a no");
	is_int(errno, EBADF, "fd: errno says why");
}

int main(void)
{
	test_exact();
	test_first_wins();
	test_unterminated();
	test_splits();
	test_init();
	test_fd();
	return done_testing();
}
