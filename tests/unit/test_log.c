/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_log.c - the helper's messages (helper/log.c): every line starts with
 * "spank-spark: ", goes to stderr and to the helper's log file, and to the
 * file still when stderr is gone (srun died: when the file matters most).
 */
#include "tap.h"

#include "log.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

static char file[] = "/tmp/test_log.XXXXXX";

static const char *file_text(void)
{
	static char text[4096];
	ssize_t n;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	text[0] = '\0';
	if (fd < 0)
		return text;
	n = read(fd, text, sizeof(text) - 1);
	text[n > 0 ? n : 0] = '\0';
	close(fd);
	return text;
}

int main(void)
{
	int fd = mkstemp(file), saved, pipefd[2];
	char got[512] = "";
	ssize_t n;

	SETUP(fd < 0);
	SETUP(pipe2(pipefd, O_CLOEXEC));
	SETUP((saved = dup(STDERR_FILENO)) < 0);
	log_init("node7", false);
	log_to_file(fd);

	SETUP(dup2(pipefd[1], STDERR_FILENO) < 0);
	log_error("first %d", 1);
	log_verbose("quiet %s", "detail");
	n = read(pipefd[0], got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	is_str(got, "spank-spark: error: first 1\n",
	       "an error goes to stderr, prefixed; a verbose line does not");
	like(file_text(), "[node7] spank-spark: error: first 1\n",
	     "...and to the log file, with the host");
	like(file_text(), "[node7] spank-spark: quiet detail\n",
	     "a verbose line goes to the log file");

	/* stderr gone: the reader closed, as when srun dies. */
	close(pipefd[0]);
	signal(SIGPIPE, SIG_IGN);
	log_info("after %s", "srun");
	like(file_text(), "[node7] spank-spark: after srun\n",
	     "a line is still written to the log file when stderr fails");
	close(STDERR_FILENO);
	log_error("closed %s", "stderr");
	like(file_text(), "[node7] spank-spark: error: closed stderr\n",
	     "...and when stderr is closed");

	SETUP(dup2(saved, STDERR_FILENO) < 0);
	close(saved);
	close(pipefd[1]);
	close(fd);
	unlink(file);
	return done_testing();
}
