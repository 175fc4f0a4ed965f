/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_safedir.c - verified directories and files (common/safedir.c): the
 * tricks another user plays under a world-writable directory.
 */
#include "safedir.h"
#include "tap.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[64];
static char err[512];

static const char *at(const char *rel)
{
	static char path[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/%s", base, rel);
	return path[k];
}

static int open_dir(const char *rel, int flags)
{
	err[0] = '\0';
	return ss_dir_open(at(rel), getuid(), flags, err, sizeof(err));
}

static void test_dirs(void)
{
	const int mk = SS_DIR_CREATE | SS_DIR_OWN;
	struct stat st;
	int fd;

	fd = open_dir("a/b/c", mk);
	ok(fd >= 0, "missing components are created (%s)", err);
	ok(stat(at("a/b/c"), &st) == 0 && (st.st_mode & 07777) == 0700,
	   "...with mode 0700");
	if (fd >= 0)
		close(fd);
	fd = open_dir("a/b/c", SS_DIR_OWN);
	ok(fd >= 0, "an existing directory of ours is accepted");
	if (fd >= 0)
		close(fd);
	ok(open_dir("a/./b//c/", SS_DIR_OWN) >= 0, "dots and slashes");

	SETUP(symlink(at("a"), at("link")));
	is_int(open_dir("link/b", mk), -1,
	       "a symbolic link component is refused");
	like(err, "symbolic link", "...saying so");
	ok(access(at("a/b/c"), F_OK) == 0,
	   "...and nothing is created through it");

	SETUP(mkdir(at("gw"), 0700));
	SETUP(chmod(at("gw"), 0770));
	is_int(open_dir("gw/x", mk), -1,
	       "a group-writable component is refused");
	like(err, "writable by group or others", "...saying so");
	like(err, "chmod go-w", "...and what to do");

	is_int(ss_dir_open("rel/dir", getuid(), mk, err, sizeof(err)), -1,
	       "a relative path is refused");
	is_int(open_dir("a/../a", mk), -1, "a .. component is refused");

	close(open(at("plain"), O_CREAT | O_WRONLY, 0600));
	is_int(open_dir("plain/x", mk), -1, "a file in place of a directory");
}

static void test_other_users(void)
{
	int fd;

	if (getuid() != 0) {
		skip(6, "not root: no other owners to test");
		return;
	}
	/* As another user (uid 4242) would have pre-created them. */
	SETUP(mkdir(at("squat"), 0700));
	SETUP(chown(at("squat"), 4242, 4242));
	err[0] = '\0';
	is_int(ss_dir_open(at("squat/logs"), 1000, SS_DIR_CREATE, err,
			   sizeof(err)),
	       -1, "a directory pre-created by another user is refused");
	like(err, "belongs to uid 4242", "...naming its owner");

	SETUP(mkdir(at("tmp"), 0700));
	SETUP(chmod(at("tmp"), 01777));
	SETUP(mkdir(at("tmp/mine"), 0700));
	SETUP(chown(at("tmp/mine"), 1000, 1000));
	fd = ss_dir_open(at("tmp/mine"), 1000, SS_DIR_OWN, err, sizeof(err));
	ok(fd >= 0, "root's sticky world-writable directory may be on the way");
	if (fd >= 0)
		close(fd);
	SETUP(mkdir(at("open"), 0700));
	SETUP(chmod(at("open"), 0777));
	is_int(ss_dir_open(at("open/x"), 1000, SS_DIR_CREATE, err, sizeof(err)),
	       -1, "root's world-writable directory without sticky bit is not");
	is_int(ss_dir_open(at("a"), 1000, SS_DIR_OWN, err, sizeof(err)), -1,
	       "SS_DIR_OWN: a directory of root's is not the user's own");
}

static void test_files(void)
{
	int dir = open_dir("a", SS_DIR_OWN), fd;

	fd = ss_file_append_at(dir, "helper.log", getuid(), err, sizeof(err));
	ok(fd >= 0, "a new log file is created (%s)", err);
	if (fd >= 0) {
		ok((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, "...close-on-exec");
		ok(!(fcntl(fd, F_GETFL) & O_NONBLOCK), "...blocking");
		close(fd);
	}
	SETUP(symlink("/etc/passwd", at("a/evil.log")));
	is_int(ss_file_append_at(dir, "evil.log", getuid(), err, sizeof(err)),
	       -1, "a symbolic link in place of a log is refused");
	like(err, "symbolic link", "...saying so");
	SETUP(mkfifo(at("a/fifo.log"), 0600));
	is_int(ss_file_append_at(dir, "fifo.log", getuid(), err, sizeof(err)),
	       -1, "a FIFO in place of a log is refused, without hanging");
	SETUP(link(at("a/helper.log"), at("a/hard.log")));
	is_int(ss_file_append_at(dir, "hard.log", getuid(), err, sizeof(err)),
	       -1, "a file with a second hard link is refused");
	close(dir);
}

static void test_mkdtemp(void)
{
	char one[64], two[64];
	int dir = open_dir("a", SS_DIR_OWN);
	struct stat st;

	ok(ss_mkdtemp_at(dir, "spank-spark.1.2.h", one, sizeof(one), err,
			 sizeof(err)) == 0 &&
	       ss_mkdtemp_at(dir, "spank-spark.1.2.h", two, sizeof(two), err,
			     sizeof(err)) == 0,
	   "fresh directories");
	ok(!strncmp(one, "spank-spark.1.2.h.", 18) && strlen(one) == 26,
	   "named prefix.XXXXXXXX (%s)", one);
	ok(strcmp(one, two) != 0, "two calls, two names");
	ok(fstatat(dir, one, &st, 0) == 0 && (st.st_mode & 07777) == 0700,
	   "mode 0700");
	is_int(ss_mkdtemp_at(dir, "p", one, 4, err, sizeof(err)), -1,
	       "a name that does not fit is an error");
	close(dir);
}

int main(void)
{
	char cmd[128];

	snprintf(base, sizeof(base), "/tmp/test_safedir.XXXXXX");
	if (!mkdtemp(base))
		return 1;
	umask(077);
	test_dirs();
	test_other_users();
	test_files();
	test_mkdtemp();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", base);
	return done_testing();
}
