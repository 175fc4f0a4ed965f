/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memwatch.h - did Slurm's memory limit kill a process of this step?
 *
 * The kernel counts the processes it kills for going past a memory
 * cgroup's limit (common/memcg.h).  The helper notes the count of its own
 * task's cgroup when it starts and looks again when a JVM dies or the
 * step ends: a new kill is said in one line (which process, which node,
 * the limit, what to change) instead of a bare "executor lost".  Without a
 * memory limit (task/none, ConstrainRAMSpace=no, client mode's srun host)
 * it stays off and says nothing.
 */
#ifndef SPANK_SPARK_MEMWATCH_H
#define SPANK_SPARK_MEMWATCH_H

#include <limits.h>
#include <stdbool.h>

struct memwatch {
	bool on;
	bool v2;
	char dir[PATH_MAX]; /* the task's memory cgroup */
	long long kills;    /* OOM kills seen so far */
	long long limit_mb; /* the tightest limit at or above it */
};

void memwatch_init(struct memwatch *w);
/* OOM kills since the last call (0 when off or unreadable). */
long long memwatch_new_kills(struct memwatch *w);
/* When Slurm's limit killed something since the last look: one line saying
 * that WHO on HOST was killed by it, the limit, and what to change (HINT,
 * after --mem).  True when it said so. */
bool memwatch_report(struct memwatch *w, const char *host, const char *who,
		     const char *hint);

#endif
