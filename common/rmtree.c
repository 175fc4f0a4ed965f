/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmtree.c - remove a directory tree without following symbolic links.
 */
#include "rmtree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RMTREE_MAX_DEPTH 64

static int rmtree(int dirfd, const char *name, int depth)
{
	struct stat st;
	struct dirent *de;
	DIR *dir;
	int fd, rc = 0, saved = 0;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0);
	if (depth > RMTREE_MAX_DEPTH) {
		errno = ELOOP;
		return -1;
	}
	fd = openat(dirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!(dir = fdopendir(fd))) {
		close(fd);
		return -1;
	}
	while ((de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (rmtree(fd, de->d_name, depth + 1) < 0 && !rc) {
			rc = -1;
			saved = errno;
		}
	}
	closedir(dir); /* closes fd */
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && !rc) {
		rc = -1;
		saved = errno;
	}
	if (rc)
		errno = saved;
	return rc;
}

int ss_rmtree_at(int dirfd, const char *name)
{
	return rmtree(dirfd, name, 0);
}
