/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_publish.c - a tokened URL goes to a 0600 file of the log directory
 * (whatever mode an older file had) and, off a terminal, only its bare
 * form to the log.
 */
#include "tap.h"
#include "log.h"
#include "publish.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
	static struct helper h;
	char dir[] = "/tmp/test_publish.XXXXXX", path[PATH_MAX], buf[256];
	struct stat st;
	int fd, err_fd;
	ssize_t n;

	SETUP(mkdtemp(dir) ? 0 : -1);
	snprintf(h.log_dir, sizeof(h.log_dir), "%s", dir);
	h.log_dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	SETUP(h.log_dir_fd < 0 ? -1 : 0);
	h.uid = getuid();
	log_init("testhost", false);
	/* An older file of the name, readable by all. */
	snprintf(path, sizeof(path), "%s/ui-url.3", dir);
	SETUP((fd = open(path, O_WRONLY | O_CREAT, 0644)) < 0 ? -1 : 0);
	SETUP(fchmod(fd, 0644));
	SETUP(write(fd, "old stuff that is longer than the URL\n", 38) == 38
		  ? 0
		  : -1);
	close(fd);
	/* Standard error to a file: not a terminal. */
	snprintf(buf, sizeof(buf), "%s/stderr", dir);
	SETUP((err_fd = open(buf, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0 ? -1
									 : 0);
	SETUP(dup2(err_fd, STDERR_FILENO) < 0 ? -1 : 0);

	is_int(publish_url(&h, "ui-url.3", "application UI",
			   "http://n1:4040/?spank-spark-token=SECRET",
			   "http://n1:4040"),
	       0, "a UI URL is published");
	SETUP(stat(path, &st));
	is_int((int)(st.st_mode & 0777), 0600,
	       "...its file is 0600 though it was 0644");
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	is_str(buf, "http://n1:4040/?spank-spark-token=SECRET\n",
	       "...holding the URL alone (the old content is gone)");
	n = pread(err_fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	ok(!strstr(buf, "SECRET"), "off a terminal the token is not shown");
	like(buf,
	     "application UI http://n1:4040 (the URL with its token is in ",
	     "...the bare URL and where the file is");
	h.log_dir_fd = -1;
	is_int(publish_url(&h, "x", "what", "u", "b"), -1,
	       "no log directory: an error");
	unlink(path);
	snprintf(path, sizeof(path), "%s/stderr", dir);
	unlink(path);
	rmdir(dir);
	return done_testing();
}
