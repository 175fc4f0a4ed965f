/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_props_file.c - the --spark-properties-file checks: a regular file
 * (also through a symbolic link) is read, a FIFO is refused without
 * blocking, a device, a directory, a missing file and one over
 * SS_PROPS_FILE_MAX are refused in one line naming the file and why.
 */
#include "tap.h"
#include "props_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/test_props_file.XXXXXX";

static void path_of(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", dir, name);
}

static void write_file(const char *path, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	SETUP(fd < 0);
	if (size)
		SETUP(ftruncate(fd, (off_t)size));
	close(fd);
}

static void refused(const char *path, const char *why, const char *name)
{
	char err[512] = "";

	ok(ss_props_file_check(path, err, sizeof(err)) == -1, "%s refused",
	   name);
	like(err, "--spark-properties-file", "...the message names the option");
	like(err, path, "...and the file");
	like(err, why, "...and says why");
	ok(!strchr(err, '\n'), "...on one line");
}

int main(void)
{
	char path[256], link[256], err[512] = "", buf[64] = "";
	size_t got;
	FILE *out;
	int fd;

	SETUP(mkdtemp(dir) == NULL);

	path_of(path, sizeof(path), "props.conf");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	SETUP(fd < 0);
	SETUP(write(fd, "spark.a=1\n", 10) != 10);
	close(fd);
	ok(ss_props_file_check(path, err, sizeof(err)) == 0,
	   "a regular file is accepted (%s)", err);
	fd = ss_props_file_open(path, err, sizeof(err));
	ok(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC),
	   "...opened close-on-exec");
	out = tmpfile();
	SETUP(out == NULL);
	ok(ss_props_file_copy(fd, path, out, err, sizeof(err)) == 0,
	   "...and copied");
	rewind(out);
	got = fread(buf, 1, sizeof(buf) - 1, out);
	buf[got] = '\0';
	is_str(buf, "spark.a=1\n", "...as it is");
	fclose(out);

	path_of(link, sizeof(link), "link.conf");
	SETUP(symlink(path, link));
	ok(ss_props_file_check(link, err, sizeof(err)) == 0,
	   "a symbolic link to the user's file is followed");

	path_of(path, sizeof(path), "fifo");
	SETUP(mkfifo(path, 0600));
	/* Without O_NONBLOCK this open would wait for a writer for ever. */
	refused(path, "is a FIFO", "a FIFO (no writer)");
	path_of(link, sizeof(link), "fifo-link");
	SETUP(symlink(path, link));
	refused(link, "is a FIFO", "a symbolic link to a FIFO");
	refused("/dev/zero", "is a device", "/dev/zero");
	refused(dir, "is a directory", "a directory");
	path_of(path, sizeof(path), "missing.conf");
	refused(path, "No such file", "a missing file");

	path_of(path, sizeof(path), "max.conf");
	write_file(path, SS_PROPS_FILE_MAX);
	ok(ss_props_file_check(path, err, sizeof(err)) == 0,
	   "a file of exactly %d bytes is accepted", SS_PROPS_FILE_MAX);
	path_of(path, sizeof(path), "big.conf");
	write_file(path, SS_PROPS_FILE_MAX + 1);
	refused(path, "holds 1048577 bytes, more than 1048576",
		"a file one byte over the bound");

	/* A file that grows after the check is cut off while copied. */
	path_of(path, sizeof(path), "grows.conf");
	write_file(path, 10);
	fd = ss_props_file_open(path, err, sizeof(err));
	SETUP(fd < 0);
	SETUP(truncate(path, SS_PROPS_FILE_MAX + 10));
	out = fopen("/dev/null", "we");
	SETUP(out == NULL);
	err[0] = '\0';
	ok(ss_props_file_copy(fd, path, out, err, sizeof(err)) == -1,
	   "a file grown past the bound after the check: copy refused");
	like(err, "grew past 1048576 bytes", "...saying so");
	fclose(out);

	{
		static const char *const names[] = {
		    "props.conf", "link.conf", "fifo",	    "fifo-link",
		    "max.conf",	  "big.conf",  "grows.conf"};

		for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
			path_of(path, sizeof(path), names[i]);
			unlink(path);
		}
		ok(rmdir(dir) == 0, "test directory removed");
	}
	return done_testing();
}
