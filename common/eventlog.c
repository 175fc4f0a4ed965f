/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * eventlog.c - where a step's Spark event log goes.
 */
#include "eventlog.h"
#include "parse.h"
#include "safedir.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int ss_event_log_choice(const char *opt, const char *site_dir,
			const char **tmpl, bool *shared, char *err,
			size_t errlen)
{
	bool on = true;

	*tmpl = NULL;
	*shared = false;
	if (opt && ss_parse_bool(opt, &on) != 0) {
		*tmpl = opt; /* a directory of the user's */
		return 0;
	}
	if (!on)
		return 0;
	if (site_dir[0]) {
		*tmpl = site_dir;
		*shared = true;
		return 0;
	}
	if (opt) {
		snprintf(err, errlen,
			 "--spark-event-log: this site has no event_log_dir "
			 "(plugstack.conf); give a directory of yours: "
			 "--spark-event-log=DIR");
		return -1;
	}
	return 0;
}

int ss_event_log_check_shared(const char *path, const struct stat *st,
			      char *err, size_t errlen)
{
	mode_t m = st->st_mode;
	const char *why = NULL;

	if (st->st_uid != 0)
		why = "is not root's";
	else if (!(m & S_ISGID))
		why = "lacks the setgid bit (files would not take the history "
		      "server's group)";
	else if ((m & (S_IWGRP | S_IWOTH)) && !(m & S_ISVTX))
		why = "is writable by others without the sticky bit";
	else if (m & S_IROTH)
		why = "is readable by others";
	if (!why)
		return 0;
	snprintf(err, errlen,
		 "event_log_dir %s (mode %04o, uid %u) %s: the site sets it up "
		 "as root:GROUP mode 3753 with GROUP the history server's "
		 "(man spank-spark: event_log_dir)",
		 path, (unsigned)(m & 07777), (unsigned)st->st_uid, why);
	return -1;
}

int ss_event_log_open_dir(const char *path, bool shared, uid_t uid, char *err,
			  size_t errlen)
{
	struct stat st;
	int fd = ss_dir_open(path, uid, shared ? 0 : SS_DIR_CREATE | SS_DIR_OWN,
			     err, errlen);

	if (fd < 0 || !shared)
		return fd;
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "cannot stat %s", path);
		close(fd);
		return -1;
	}
	if (ss_event_log_check_shared(path, &st, err, errlen)) {
		close(fd);
		return -1;
	}
	return fd;
}

int ss_event_log_name(const char *app_id, char *out, size_t outlen)
{
	size_t n = strlen(app_id);

	if (n == 0 || n >= outlen)
		return -1;
	for (size_t i = 0; i <= n; i++) {
		char c = app_id[i];

		if (strchr(" :/", c) && c)
			c = '-';
		else if (strchr(".${}'\"", c) && c)
			c = '_';
		out[i] = (char)tolower((unsigned char)c);
	}
	return 0;
}

int ss_app_id(char *out, size_t outlen, unsigned job, unsigned step, long now,
	      const char *hex)
{
	int n;

	if (strspn(hex, "0123456789abcdef") < SS_APP_ID_RANDOM)
		return -1;
	n = snprintf(out, outlen, "slurm-%u.%u-%ld-%.*s", job, step, now,
		     SS_APP_ID_RANDOM, hex);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

int ss_event_log_claim(int dirfd, const char *final)
{
	char name[256];
	struct stat st;
	int fd, rc, saved;
	int n = snprintf(name, sizeof(name), "%s.inprogress", final);

	if (n < 0 || (size_t)n >= sizeof(name) || strchr(final, '/') ||
	    !final[0]) {
		errno = EINVAL;
		return -1;
	}
	fd = openat(dirfd, name,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK |
			O_NOCTTY | O_CLOEXEC,
		    0600);
	if (fd < 0)
		return errno == EEXIST ? 1 : -1;
	close(fd);
	/* Spark renames the log to FINAL at the end, and only when nothing
	 * is there: a name already taken is given up now. */
	if (fstatat(dirfd, final, &st, AT_SYMLINK_NOFOLLOW) == 0)
		rc = 1;
	else if (errno == ENOENT)
		return 0;
	else
		rc = -1;
	saved = errno;
	unlinkat(dirfd, name, 0);
	errno = saved;
	return rc;
}

int ss_event_log_new_id(int dirfd, const char *ext, unsigned job, unsigned step,
			long now, int (*draw)(char *, void *), void *arg,
			char *app_id, size_t idlen, char *final,
			size_t finallen)
{
	for (int i = 0; i < SS_EVENT_LOG_TRIES; i++) {
		char hex[65], base[200];
		int n, rc;

		if (draw(hex, arg) != 0)
			return -1;
		rc = ss_app_id(app_id, idlen, job, step, now, hex);
		explicit_bzero(hex, sizeof(hex));
		if (rc) {
			errno = EINVAL;
			return -1;
		}
		if (dirfd < 0)
			return 0;
		if (ss_event_log_name(app_id, base, sizeof(base))) {
			errno = ENAMETOOLONG;
			return -1;
		}
		n = snprintf(final, finallen, "%s%s", base, ext);
		if (n < 0 || (size_t)n >= finallen) {
			errno = ENAMETOOLONG;
			return -1;
		}
		rc = ss_event_log_claim(dirfd, final);
		if (rc <= 0)
			return rc;
	}
	final[0] = '\0';
	errno = EEXIST;
	return -1;
}
