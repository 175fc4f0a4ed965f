/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memwatch.c - OOM kills in the step's memory cgroup.
 */
#include "memwatch.h"
#include "log.h"
#include "memcg.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

/* Up to SS_MEMCG_FILE_MAX bytes of PATH into BUF: the length, or -1. */
static ssize_t read_small(const char *path, char *buf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, SS_MEMCG_FILE_MAX);
	close(fd);
	return n;
}

static long long read_kills(const struct memwatch *w)
{
	char path[PATH_MAX + 32], buf[SS_MEMCG_FILE_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", w->dir,
		 w->v2 ? "memory.events" : "memory.oom_control");
	n = read_small(path, buf);
	return n < 0 ? -1 : ss_memcg_oom_kills(buf, (size_t)n);
}

/* The tightest limit from DIR up to the hierarchy's root: a step's limit
 * sits on its job or step cgroup, above the task's. */
static long long tightest_limit(struct memwatch *w, size_t root_len)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], buf[SS_MEMCG_FILE_MAX];
	long long best = 0;

	snprintf(dir, sizeof(dir), "%s", w->dir);
	for (;;) {
		char *slash = strrchr(dir, '/');
		ssize_t n;

		snprintf(path, sizeof(path), "%s/%s", dir,
			 w->v2 ? "memory.max" : "memory.limit_in_bytes");
		if ((n = read_small(path, buf)) > 0) {
			long long mb = ss_memcg_limit_mb(buf, (size_t)n);

			if (mb > 0 && (best == 0 || mb < best))
				best = mb;
		}
		if (strlen(dir) <= root_len || !slash)
			break;
		*slash = '\0';
	}
	return best;
}

void memwatch_init(struct memwatch *w)
{
	char buf[SS_MEMCG_FILE_MAX], rel[PATH_MAX - 64];
	ssize_t n = read_small("/proc/self/cgroup", buf);
	size_t root_len;

	*w = (struct memwatch){.on = false};
	if (n <= 0 ||
	    ss_memcg_self_path(buf, (size_t)n, rel, sizeof(rel), &w->v2))
		return;
	root_len = strlen(w->v2 ? CGROUP_ROOT : CGROUP_ROOT "/memory");
	snprintf(w->dir, sizeof(w->dir), "%s%s",
		 w->v2 ? CGROUP_ROOT : CGROUP_ROOT "/memory",
		 strcmp(rel, "/") ? rel : "");
	w->limit_mb = tightest_limit(w, root_len);
	w->kills = read_kills(w);
	w->on = w->limit_mb > 0 && w->kills >= 0;
	if (w->on)
		log_verbose("Slurm's memory limit for this step here: %lld MiB "
			    "(%s)",
			    w->limit_mb, w->dir);
}

long long memwatch_new_kills(struct memwatch *w)
{
	long long now, fresh;

	if (!w->on || (now = read_kills(w)) < 0)
		return 0;
	fresh = now > w->kills ? now - w->kills : 0;
	w->kills = now;
	return fresh;
}

bool memwatch_report(struct memwatch *w, const char *host, const char *who,
		     const char *hint)
{
	long long n = memwatch_new_kills(w);

	if (n <= 0)
		return false;
	log_error("%s on %s was killed by Slurm's memory limit (%lld MiB for "
		  "this step on %s%s): ask for more with --mem, or lower %s",
		  who, host, w->limit_mb, host,
		  n > 1 ? ", several processes killed" : "", hint);
	return true;
}
