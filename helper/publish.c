/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * publish.c - tokened URLs to a terminal or a 0600 file.
 */
#include "publish.h"
#include "log.h"
#include "os.h"
#include "spark.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int publish_url(const struct helper *h, const char *name, const char *what,
		const char *url, const char *bare)
{
	int fd = spark_open_log(h, name), rc = 0;

	/* An older file of that name keeps its mode: set it. */
	if (fd < 0 || fchmod(fd, 0600) < 0 || ftruncate(fd, 0) < 0 ||
	    ss_write_all(fd, url, strlen(url)) < 0 ||
	    ss_write_all(fd, "\n", 1) < 0) {
		log_error("cannot write %s/%s: %s", h->log_dir, name,
			  strerror(errno));
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	if (rc)
		return -1;
	if (isatty(STDERR_FILENO))
		dprintf(STDERR_FILENO, "spank-spark: %s %s\n", what, url);
	else
		log_info("%s %s (the URL with its token is in %s/%s)", what,
			 bare, h->log_dir, name);
	return 0;
}
