/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_errfilter.c - the driver's standard error without the JVM's
 * incubator warning (helper/errfilter.c): exactly that line goes, every
 * other byte comes through, at once, however the writes are cut.
 */
#include "tap.h"

#include "../../helper/errfilter.c"
#include "../../helper/proc.c"

#include <sys/wait.h>

#define WARN_LINE ERRFILTER_LINE

/* IN fed in pieces of STEP bytes (0: at once), then the end. */
static char *filter(const char *in, size_t step)
{
	static char res[4096];
	char out[sizeof(res) + sizeof(ERRFILTER_LINE)];
	struct errfilter f = {0};
	size_t len = strlen(in), o = 0;

	for (size_t i = 0; i < len;) {
		size_t n = step && len - i > step ? step : len - i;
		size_t k = errfilter_feed(&f, in + i, n, out);

		memcpy(res + o, out, k);
		o += k;
		i += n;
	}
	o += errfilter_feed(&f, NULL, 0, res + o);
	res[o] = '\0';
	return res;
}

int main(void)
{
	static const char *const kept[] = {
	    "plain output\n",
	    "WARNING: Using incubator modules: jdk.incubator.vectorX\n",
	    "WARNING: Using incubator modules: jdk.incubator.foo\n",
	    ("  " WARN_LINE),
	    "WARNING: something else\nWARN",
	    ">>> ",
	    "",
	};
	struct errfilter f = {0};
	char out[64 + sizeof(ERRFILTER_LINE)];
	int p[2], saved, status;
	pid_t pid;
	int wfd;
	char got[256];
	ssize_t n;

	is_str(filter(WARN_LINE "result=1\n", 0), "result=1\n",
	       "the warning as the first line goes, the next line stays");
	is_str(filter("a\n" WARN_LINE "b\n", 0), "a\nb\n",
	       "...also between two lines");
	is_str(filter(WARN_LINE WARN_LINE "c", 0), "c",
	       "...twice in a row, and a last line without newline stays");
	for (size_t step = 1; step <= 7; step++) {
		char name[64];

		snprintf(name, sizeof(name), "...written %zu byte(s) at a time",
			 step);
		is_str(filter("a\n" WARN_LINE "b\n", step), "a\nb\n", "%s",
		       name);
	}
	for (size_t i = 0; i < sizeof(kept) / sizeof(*kept); i++) {
		is_str(filter(kept[i], 0), kept[i], "kept as it is: '%s'",
		       kept[i]);
		is_str(filter(kept[i], 1), kept[i], "...also byte by byte");
	}
	is_int((int)errfilter_feed(&f, ">>> ", 4, out), 4,
	       "a prompt without a newline comes out at once");
	is_int((int)errfilter_feed(&f, "\nWARN", 5, out), 1,
	       "what may be the warning's start is held back");
	is_int((int)errfilter_feed(&f, "ED\n", 3, out), 7,
	       "...and comes out as soon as it is not");
	out[7] = '\0';
	is_str(out, "WARNED\n", "...unchanged");

	/* The process: the driver's side of the pipe in, our standard
	 * error (here a pipe) out; it ends when the writer closes. */
	SETUP(pipe(p));
	SETUP((saved = dup(STDERR_FILENO)) < 0);
	SETUP(dup2(p[1], STDERR_FILENO) < 0);
	SETUP(errfilter_start(&pid, &wfd, STDERR_FILENO));
	SETUP(dup2(saved, STDERR_FILENO) < 0);
	close(saved);
	close(p[1]);
	ok(fcntl(wfd, F_GETFD) & FD_CLOEXEC,
	   "the driver's end is close-on-exec");
	SETUP(write(wfd, WARN_LINE "out\n", strlen(WARN_LINE) + 4) < 0);
	close(wfd);
	is_int(waitpid(pid, &status, 0), pid, "it ends when the writer closes");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "...with status 0");
	n = read(p[0], got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	is_str(got, "out\n", "it copies the rest to the standard error");
	close(p[0]);

	/* The driver's own OutOfMemoryError, also across reads, and the
	 * status that tells the helper. */
	memset(&f, 0, sizeof(f));
	(void)errfilter_feed(&f, "Traceback\n: java.lang.OutOfMem", 30, out);
	ok(!f.oom, "half an error line is not one yet");
	(void)errfilter_feed(&f, "oryError: Java heap space\n", 26, out);
	ok(f.oom, "the driver's OutOfMemoryError over two reads is seen");
	memset(&f, 0, sizeof(f));
	(void)errfilter_feed(&f,
			     "WARN x: Lost task 1 (executor 1): "
			     "java.lang.OutOfMemoryError\n",
			     61, out);
	ok(!f.oom, "an executor's, quoted by the driver, is not");
	memset(&f, 0, sizeof(f));
	(void)errfilter_feed(&f, "java.lang.OutOfMemoryError", 26, out);
	(void)errfilter_feed(&f, NULL, 0, out);
	ok(f.oom, "a last line without its end counts too");
	SETUP(pipe(p));
	SETUP((saved = dup(STDERR_FILENO)) < 0);
	SETUP(dup2(p[1], STDERR_FILENO) < 0);
	SETUP(errfilter_start(&pid, &wfd, STDERR_FILENO));
	SETUP(dup2(saved, STDERR_FILENO) < 0);
	close(saved);
	close(p[1]);
	SETUP(write(wfd,
		    "Exception in thread \"main\" java.lang.OutOfMemoryError\n",
		    54) < 0);
	close(wfd);
	is_int(waitpid(pid, &status, 0), pid, "the copy ends");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == ERRFILTER_EXIT_OOM,
	   "...with ERRFILTER_EXIT_OOM after the driver's error");
	n = read(p[0], got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	like(got, "OutOfMemoryError", "...which it copied as it came");
	close(p[0]);

	/* The standard output's watch (a Python driver's traceback comes
	 * there): every byte unchanged, the same status. */
	SETUP(pipe(p));
	SETUP((saved = dup(STDOUT_FILENO)) < 0);
	SETUP(dup2(p[1], STDOUT_FILENO) < 0);
	SETUP(errfilter_start(&pid, &wfd, STDOUT_FILENO));
	SETUP(dup2(saved, STDOUT_FILENO) < 0);
	close(saved);
	close(p[1]);
	SETUP(write(wfd, WARN_LINE ": java.lang.OutOfMemoryError: Java heap\n",
		    strlen(WARN_LINE) + 40) < 0);
	close(wfd);
	is_int(waitpid(pid, &status, 0), pid, "the output's watch ends");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == ERRFILTER_EXIT_OOM,
	   "...with ERRFILTER_EXIT_OOM after PySpark's line");
	n = read(p[0], got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	is_str(got, WARN_LINE ": java.lang.OutOfMemoryError: Java heap\n",
	       "...which it copied unchanged, the warning too");
	close(p[0]);
	return done_testing();
}
