/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * props_file.c - the user's --spark-properties-file: a bounded regular
 * file, opened without blocking.
 */
#include "props_file.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a plain file";
}

int ss_props_file_open(const char *path, char *err, size_t errlen)
{
	char shown[SS_ESCAPED_MAX];
	struct stat st;
	int fd;

	ss_escape(path, shown, sizeof(shown));
	/* O_NONBLOCK: opening a FIFO for reading waits for a writer. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen,
			 "cannot read --spark-properties-file %s: %s", shown,
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen,
			 "cannot read --spark-properties-file %s: %s", shown,
			 strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen,
			 "--spark-properties-file %s is %s: give a regular "
			 "file of Spark properties",
			 shown, kind(st.st_mode));
		close(fd);
		return -1;
	}
	if (st.st_size > SS_PROPS_FILE_MAX) {
		snprintf(err, errlen,
			 "--spark-properties-file %s holds %lld bytes, more "
			 "than %d: is it the right file?",
			 shown, (long long)st.st_size, SS_PROPS_FILE_MAX);
		close(fd);
		return -1;
	}
	return fd;
}

int ss_props_file_copy(int fd, const char *path, FILE *out, char *err,
		       size_t errlen)
{
	char buf[8192], shown[SS_ESCAPED_MAX];
	size_t total = 0;
	int rc = 0;

	ss_escape(path, shown, sizeof(shown));
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen,
				 "cannot read --spark-properties-file %s: %s",
				 shown, strerror(errno));
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > SS_PROPS_FILE_MAX) {
			snprintf(err, errlen,
				 "--spark-properties-file %s grew past %d "
				 "bytes while it was read",
				 shown, SS_PROPS_FILE_MAX);
			rc = -1;
			break;
		}
		if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
			snprintf(err, errlen,
				 "cannot copy --spark-properties-file %s",
				 shown);
			rc = -1;
			break;
		}
	}
	close(fd);
	return rc;
}

int ss_props_file_check(const char *path, char *err, size_t errlen)
{
	int fd = ss_props_file_open(path, err, errlen);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}
