/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_join.c - a join job's join file (helper/join.c): read only when it
 * is the caller's own regular 0600 file, its fields checked before use.
 */
#include "tap.h"

#include "helper.h"
#include "options.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static char dir[] = "/tmp/test_join.XXXXXX";

/* DIR/NAME holding TEXT with MODE: its path (static). */
static const char *put(const char *name, const char *text, mode_t mode)
{
	static char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	SETUP(fd < 0);
	SETUP(write(fd, text, strlen(text)) != (ssize_t)strlen(text));
	close(fd);
	SETUP(chmod(path, mode));
	return path;
}

static int load(const char *path, const char *node, struct helper *h)
{
	for (int i = 0; h->site_argv && i < h->site_argc; i++)
		free(h->site_argv[i]);
	free(h->site_argv);
	ss_opts_free(&h->opts);
	memset(h, 0, sizeof(*h));
	h->uid = getuid();
	return join_load(h, path, node);
}

int main(void)
{
	static struct helper h;
	char good[512], link_path[300];
	const char *path;

	SETUP(!mkdtemp(dir));
	setenv("SLURM_JOB_ID", "77", 1);
	setenv("SPANK_SPARK_ELASTIC", "2", 1);
	snprintf(good, sizeof(good),
		 "{\"token\": \"%s\", \"addr\": \"10.0.0.1\", \"port\": 20001,"
		 " \"job\": 12, \"step\": 0, \"nodes\": 1, \"site\": []}",
		 TOKEN);

	path = put("join.0", good, 0600);
	is_int(load(path, "1", &h), 0, "the user's own 0600 join file");
	ok(!strcmp(h.join_token, TOKEN) && !strcmp(h.join_addr, "10.0.0.1") &&
	       h.join_port == 20001,
	   "...its token, address and port");
	ok(h.job == 12 && h.step == 0 && h.join_job == 77 && h.nnodes == 1 &&
	       h.node_index == 1,
	   "...the step's ids, this join job's id, the node index");
	is_int(load(path, "3", &h), -1,
	       "node 3 of a 1-node step with --spark-elastic=2: refused");

	path = put("join.1", good, 0640);
	is_int(load(path, "1", &h), -1, "mode 0640: refused");
	snprintf(link_path, sizeof(link_path), "%s/link", dir);
	SETUP(symlink(put("join.2", good, 0600), link_path));
	is_int(load(link_path, "1", &h), -1, "a symbolic link: refused");
	is_int(load("/nonexistent/join.0", "1", &h), -1, "no file: refused");

	path = put("join.3", "{\"token\": \"abc\"}", 0600);
	is_int(load(path, "1", &h), -1, "fields missing: refused");
	path = put("join.4",
		   "{\"token\": \"" TOKEN "\", \"addr\": \"10.0.0.1\", "
		   "\"port\": \"20001\", \"job\": 12, \"step\": 0, "
		   "\"nodes\": 1, \"site\": []}",
		   0600);
	is_int(load(path, "1", &h), -1, "a port given as text: refused");
	path = put("join.5",
		   "{\"token\": \"" TOKEN "\", \"addr\": \"node1\", "
		   "\"port\": 20001, \"job\": 12, \"step\": 0, "
		   "\"nodes\": 1, \"site\": []}",
		   0600);
	is_int(load(path, "1", &h), -1, "a host name, not an address: refused");
	path = put("join.6", "not json", 0600);
	is_int(load(path, "1", &h), -1, "not JSON: refused");
	path = put("join.7", good, 0600);
	unsetenv("SLURM_JOB_ID");
	is_int(load(path, "1", &h), -1, "outside a Slurm job: refused");

	if (getuid() == 0) {
		path = put("join.8", good, 0600);
		SETUP(chown(path, 65534, 65534));
		setenv("SLURM_JOB_ID", "77", 1);
		is_int(load(path, "1", &h), -1,
		       "another user's 0600 file: refused");
	} else {
		skip(1, "another user's file needs root to make");
	}
	load("/nonexistent", "1", &h); /* frees the last one's arguments */
	snprintf(good, sizeof(good), "rm -rf '%s'", dir);
	SETUP(system(good) != 0);
	return done_testing();
}
