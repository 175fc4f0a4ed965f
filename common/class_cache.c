/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * class_cache.c - find and verify the site's class cache (class_cache.h).
 */
#include "class_cache.h"
#include "safedir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANIFEST_MAX 16384

/* Root's, and nobody else may change it. */
static bool root_only(const struct stat *st)
{
	return st->st_uid == 0 && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

/* Copy the value of "KEY=" in TEXT (one per line) into OUT. */
static int manifest_value(const char *text, const char *key, char *out,
			  size_t outlen)
{
	size_t klen = strlen(key);

	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");

		if (len > klen && !strncmp(line, key, klen) &&
		    line[klen] == '=') {
			if (len - klen - 1 >= outlen)
				return -1;
			memcpy(out, line + klen + 1, len - klen - 1);
			out[len - klen - 1] = '\0';
			return 0;
		}
		line += len + (line[len] == '\n');
	}
	return -1;
}

/* Every entry of CP absolute: a relative one (Spark 4.0's hive-jackson jars)
 * would be looked up in a JVM's working directory, which another user may
 * be able to write in. */
static bool all_absolute(const char *cp)
{
	for (const char *e = cp;; e++) {
		if (*e != '/')
			return false;
		e += strcspn(e, ":");
		if (!*e)
			return true;
	}
}

int class_cache_parse_manifest(const char *text, const struct ss_site *site,
			       const char *java, char *classpath, size_t cplen,
			       char *why, size_t whylen)
{
	char v[SS_PATH_LEN];
	static const char *const keys[] = {"spark_home", "jar", "java"};
	const char *want[] = {site->spark_home, site->jar, java};

	for (size_t i = 0; i < 3; i++)
		if (manifest_value(text, keys[i], v, sizeof(v)) ||
		    strcmp(v, want[i])) {
			snprintf(why, whylen,
				 "it was made for another %s: run "
				 "spank-spark-class-cache again",
				 keys[i]);
			return -1;
		}
	if (manifest_value(text, "classpath", classpath, cplen) ||
	    !classpath[0] || strpbrk(classpath, " \t\r")) {
		snprintf(why, whylen, "its manifest has no usable classpath");
		return -1;
	}
	if (!all_absolute(classpath)) {
		snprintf(
		    why, whylen,
		    "its classpath has a relative entry (made by an older "
		    "spank-spark-class-cache): run spank-spark-class-cache "
		    "again");
		classpath[0] = '\0';
		return -1;
	}
	return 0;
}

void class_cache_parse_launcher(const char *text, struct class_cache *cc)
{
	char *o = cc->submit_opts, *v = cc->scala_version;

	if (manifest_value(text, "submit_opts", o, sizeof(cc->submit_opts)))
		o[0] = '\0';
	for (const char *c = o; *c; c++)
		if ((unsigned char)*c < ' ' || *c == 0x7f) {
			o[0] = '\0';
			break;
		}
	if (manifest_value(text, "scala_version", v,
			   sizeof(cc->scala_version)) ||
	    strspn(v, "0123456789.") != strlen(v))
		v[0] = '\0';
}

static int read_manifest(int dirfd, char *buf, size_t buflen, char *why,
			 size_t whylen)
{
	struct stat st;
	size_t len = 0;
	ssize_t n;
	int fd = openat(dirfd, "manifest",
			O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, whylen, "no manifest (%s)", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !root_only(&st)) {
		snprintf(why, whylen,
			 "its manifest is not a regular file of root's "
			 "that only root may write");
		close(fd);
		return -1;
	}
	while (len < buflen - 1 &&
	       (n = read(fd, buf + len, buflen - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	if (len == buflen - 1 || memchr(buf, '\0', len)) {
		snprintf(why, whylen, "its manifest is too long or binary");
		return -1;
	}
	return 0;
}

/* DIR/conf must be root's, unwritable and empty: it is on the class path
 * of the driver (Spark's launcher puts SPARK_CONF_DIR there), and the JVM
 * refuses an archive whose class path holds a non-empty directory. */
static int check_conf_dir(int dirfd, char *why, size_t whylen)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int fd = openat(dirfd, "conf",
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc = 0;

	if (fd < 0 || fstat(fd, &st) || !root_only(&st)) {
		snprintf(why, whylen,
			 "its conf directory is missing or not root's alone");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!(d = fdopendir(fd))) {
		close(fd);
		snprintf(why, whylen, "cannot read its conf directory");
		return -1;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			snprintf(why, whylen,
				 "its conf directory is not empty");
			rc = -1;
			break;
		}
	closedir(d);
	return rc;
}

int class_cache_find(const struct ss_site *site, const char *java,
		     struct class_cache *cc, char *why, size_t whylen)
{
	const char *dir = site->class_cache;
	char manifest[MANIFEST_MAX];
	struct stat st;
	int dirfd = -1;

	memset(cc, 0, sizeof(*cc));
	if (!dir[0]) {
		snprintf(why, whylen, "class_cache=none");
		return -1;
	}
	/* SPARK_SUBMIT_OPTS, where the driver's options go, splits at blanks.
	 */
	if (strpbrk(dir, " \t\n")) {
		snprintf(why, whylen, "%s: its path has a blank", dir);
		return -1;
	}
	/* uid 0: every component root's (or a root sticky one like /tmp). */
	dirfd = ss_dir_open(dir, 0, 0, why, whylen);
	if (dirfd < 0)
		return -1;
	if (read_manifest(dirfd, manifest, sizeof(manifest), why, whylen) ||
	    class_cache_parse_manifest(manifest, site, java, cc->classpath,
				       sizeof(cc->classpath), why, whylen) ||
	    check_conf_dir(dirfd, why, whylen))
		goto off;
	if (fstatat(dirfd, "spark.jsa", &st, AT_SYMLINK_NOFOLLOW) ||
	    !S_ISREG(st.st_mode) || !root_only(&st)) {
		snprintf(why, whylen,
			 "its spark.jsa is missing or not root's alone");
		goto off;
	}
	close(dirfd);
	class_cache_parse_launcher(manifest, cc);
	snprintf(cc->archive, sizeof(cc->archive), "%s/spark.jsa", dir);
	snprintf(cc->conf_dir, sizeof(cc->conf_dir), "%s/conf", dir);
	snprintf(cc->archive_opt, sizeof(cc->archive_opt),
		 "-XX:SharedArchiveFile=%s", cc->archive);
	cc->on = true;
	return 0;
off:
	close(dirfd);
	cc->classpath[0] = '\0';
	return -1;
}
