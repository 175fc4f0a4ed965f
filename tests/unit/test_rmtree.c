/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_rmtree.c - ss_rmtree_at removes a tree and never follows a link.
 */
#include "tap.h"
#include "rmtree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[] = "/tmp/test_rmtree.XXXXXX";
static int basefd = -1;

/* Create PATH (relative to base): a directory when it ends in '/', else a
 * file holding a line. */
static void make(const char *path)
{
	size_t n = strlen(path);
	int fd;

	if (path[n - 1] == '/') {
		if (mkdirat(basefd, path, 0700) < 0) {
			printf("Bail out! mkdir %s: %s\n", path,
			       strerror(errno));
			exit(255);
		}
		return;
	}
	fd =
	    openat(basefd, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, "data\n", 5) != 5 || close(fd) < 0) {
		printf("Bail out! create %s: %s\n", path, strerror(errno));
		exit(255);
	}
}

static void link_to(const char *target, const char *path)
{
	if (symlinkat(target, basefd, path) < 0) {
		printf("Bail out! symlink %s: %s\n", path, strerror(errno));
		exit(255);
	}
}

static bool exists(const char *path)
{
	struct stat st;

	return fstatat(basefd, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static void test_tree(void)
{
	char abs_target[sizeof(base) + 32];

	/* Outside the tree: a directory with a file, and a lone file. */
	make("outside/");
	make("outside/precious");
	make("outside/sub/");
	make("outside/sub/precious2");
	make("lonely");

	make("tree/");
	make("tree/a");
	make("tree/.hidden");
	make("tree/empty/");
	make("tree/d1/");
	make("tree/d1/b");
	make("tree/d1/d2/");
	make("tree/d1/d2/c");
	make("tree/d1/d2/d3/");
	make("tree/d1/d2/d3/d");
	ok(mkfifoat(basefd, "tree/d1/fifo", 0600) == 0, "a fifo in the tree");
	/* Links out of the tree: relative, absolute, to a file, dangling. */
	link_to("../../outside", "tree/d1/out");
	snprintf(abs_target, sizeof(abs_target), "%s/outside", base);
	link_to(abs_target, "tree/abs_out");
	link_to("../lonely", "tree/file_link");
	link_to("../nowhere", "tree/dangling");
	link_to(".", "tree/self");
	ok(exists("tree/d1/out/precious"),
	   "the tree reaches outside by a link");

	errno = 0;
	is_int(ss_rmtree_at(basefd, "tree"), 0,
	       "ss_rmtree_at removes the tree");
	if (errno)
		printf("# errno %d: %s\n", errno, strerror(errno));
	ok(!exists("tree"), "the tree is gone");
	ok(exists("outside"), "the link's target directory survives");
	ok(exists("outside/precious"), "the file in the target survives");
	ok(exists("outside/sub/precious2"), "the target's subtree survives");
	ok(exists("lonely"), "a linked-to file survives");
}

static void test_single(void)
{
	struct stat st;

	is_int(ss_rmtree_at(basefd, "missing"), 0, "a missing name returns 0");
	is_int(ss_rmtree_at(basefd, "missing/below"), 0,
	       "a missing parent returns 0");

	make("file");
	is_int(ss_rmtree_at(basefd, "file"), 0, "a plain file is removed");
	ok(!exists("file"), "the file is gone");

	link_to("outside", "toplink");
	is_int(ss_rmtree_at(basefd, "toplink"), 0,
	       "a link to a directory as the name");
	ok(!exists("toplink"), "the link is gone");
	ok(exists("outside/precious"), "its target is untouched");

	/* Last: the whole temporary directory, by absolute name. */
	make("t2/");
	make("t2/x");
	is_int(ss_rmtree_at(AT_FDCWD, base), 0,
	       "an absolute name with AT_FDCWD");
	ok(stat(base, &st) < 0 && errno == ENOENT,
	   "the temporary directory is gone");
}

static void test_deep(void)
{
	char path[4096] = "deep/";
	size_t off = strlen(path);
	int depth = 0;

	make("deep/");
	for (; depth < 70; depth++) {
		memcpy(path + off, "d/", 3);
		off += 2;
		make(path);
	}
	errno = 0;
	is_int(ss_rmtree_at(basefd, "deep"), -1, "a tree 70 deep is refused");
	is_int(errno, ELOOP, "errno ELOOP");
	ok(exists("deep"), "the deep tree's top is kept");
	/* Remove it from below the limit. */
	ok(ss_rmtree_at(basefd, "deep/d/d/d/d/d/d/d/d/d/d") == 0 &&
	       ss_rmtree_at(basefd, "deep") == 0 && !exists("deep"),
	   "removed from half-way, then the top");
}

int main(void)
{
	if (!mkdtemp(base) ||
	    (basefd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 255;
	}
	test_tree();
	test_deep();
	test_single();
	close(basefd);
	return done_testing();
}
