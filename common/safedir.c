/*
 * safedir.c - directories and files that another user cannot redirect.
 */
#include "safedir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define COMPONENT_MAX 255

/* May UID rely on a directory with this owner and mode? */
static bool trusted(const struct stat *st, uid_t uid)
{
	if (st->st_uid != 0 && st->st_uid != uid)
		return false;
	if (!(st->st_mode & (S_IWGRP | S_IWOTH)))
		return true;
	/* Like /tmp: others add entries, but cannot replace ours. */
	return st->st_uid == 0 && (st->st_mode & S_ISVTX);
}

static void explain(const char *path, size_t len, const struct stat *st,
		    uid_t uid, bool own, char *err, size_t errlen)
{
	if (st->st_uid != uid && (own || st->st_uid != 0))
		snprintf(err, errlen,
			 "%.*s belongs to uid %u, not to you (uid %u): "
			 "another user may have created it; use another "
			 "directory",
			 (int)len, path, (unsigned)st->st_uid, (unsigned)uid);
	else
		snprintf(err, errlen,
			 "%.*s is writable by group or others (mode %04o): "
			 "chmod go-w it, or use another directory",
			 (int)len, path, (unsigned)(st->st_mode & 07777));
}

/* Open component NAME of DIRFD (PATH[0..LEN) names it in messages). */
static int open_component(int dirfd, const char *name, const char *path,
			  size_t len, bool create, char *err, size_t errlen)
{
	int fd =
	    openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT && create) {
		if (mkdirat(dirfd, name, 0700) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %.*s: %s",
				 (int)len, path, strerror(errno));
			return -1;
		}
		fd = openat(dirfd, name,
			    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		snprintf(err, errlen, "cannot open %.*s: %s", (int)len, path,
			 errno == ELOOP || errno == ENOTDIR
			     ? "a symbolic link or not a directory"
			     : strerror(errno));
	return fd;
}

int ss_dir_open(const char *path, uid_t uid, int flags, char *err,
		size_t errlen)
{
	char name[COMPONENT_MAX + 1];
	struct stat st;
	const char *p = path;
	int fd;

	if (path[0] != '/') {
		snprintf(err, errlen, "%s is not an absolute path", path);
		return -1;
	}
	if ((fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "cannot open /: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		size_t n, len;
		int next;
		bool last;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n > COMPONENT_MAX || (n == 2 && !strncmp(p, "..", 2))) {
			snprintf(err, errlen, "%s: bad path component", path);
			close(fd);
			return -1;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		if (!strcmp(name, "."))
			continue;
		next = open_component(fd, name, path, (size_t)(p - path),
				      flags & SS_DIR_CREATE, err, errlen);
		close(fd);
		if ((fd = next) < 0)
			return -1;
		if (fstat(fd, &st) < 0) {
			snprintf(err, errlen, "cannot stat %.*s: %s",
				 (int)(p - path), path, strerror(errno));
			close(fd);
			return -1;
		}
		len = (size_t)(p - path);
		p += strspn(p, "/");
		last = *p == '\0';
		if (!trusted(&st, uid) ||
		    (last && (flags & SS_DIR_OWN) &&
		     (st.st_uid != uid ||
		      (st.st_mode & (S_IWGRP | S_IWOTH))))) {
			explain(path, len, &st, uid,
				last && (flags & SS_DIR_OWN), err, errlen);
			close(fd);
			return -1;
		}
	}
	return fd;
}

int ss_file_append_at(int dirfd, const char *name, uid_t uid, char *err,
		      size_t errlen)
{
	struct stat st;
	int fd = openat(dirfd, name,
			O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW |
			    O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
			0600);

	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", name,
			 errno == ELOOP	  ? "it is a symbolic link"
			 : errno == ENXIO ? "it is a FIFO or device"
					  : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != uid ||
	    st.st_nlink != 1) {
		snprintf(err, errlen,
			 "refusing %s: not a regular file of yours with a "
			 "single link",
			 name);
		close(fd);
		return -1;
	}
	/* Writes to a regular file never block; keep the flag off anyway
	 * so that children inheriting it see an ordinary descriptor. */
	if (fcntl(fd, F_SETFL, O_WRONLY | O_APPEND) < 0) {
		snprintf(err, errlen, "fcntl %s: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int ss_mkdtemp_at(int dirfd, const char *prefix, char *name, size_t namelen,
		  char *err, size_t errlen)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";

	for (int tries = 0; tries < 100; tries++) {
		unsigned char r[8];
		char suffix[sizeof(r) + 1];
		int n;

		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
			snprintf(err, errlen, "getrandom: %s", strerror(errno));
			return -1;
		}
		for (size_t i = 0; i < sizeof(r); i++)
			suffix[i] = alnum[r[i] % (sizeof(alnum) - 1)];
		suffix[sizeof(r)] = '\0';
		n = snprintf(name, namelen, "%s.%s", prefix, suffix);
		if (n < 0 || (size_t)n >= namelen) {
			snprintf(err, errlen, "%s: name too long", prefix);
			return -1;
		}
		if (mkdirat(dirfd, name, 0700) == 0)
			return 0;
		if (errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", name,
				 strerror(errno));
			return -1;
		}
	}
	snprintf(err, errlen, "cannot create a fresh %s.XXXXXXXX", prefix);
	return -1;
}
