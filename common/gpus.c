/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gpus.c - a node's Slurm-bound GPUs shared out among its executors.
 */
#include "gpus.h"

#include <stdio.h>
#include <string.h>

/* What Slurm writes there: indices, GPU-/MIG- UUIDs, MIG's a/b/c. */
#define ID_CHARS                                                               \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./:"

int ss_gpus_parse(const char *list, struct ss_gpus *g, char *err, size_t errlen)
{
	const char *p = list;

	g->n = 0;
	if (!list || !*list)
		return 0;
	for (;;) {
		size_t len = strcspn(p, ",");

		if (len == 0 || len >= SS_GPU_ID_MAX ||
		    strspn(p, ID_CHARS) != len) {
			snprintf(err, errlen,
				 "cannot read the step's GPUs \"%.80s\": "
				 "entry %d is not a GPU index or UUID",
				 list, g->n + 1);
			return -1;
		}
		if (g->n == SS_GPUS_MAX) {
			snprintf(err, errlen,
				 "the step has more than %d GPUs on a node",
				 SS_GPUS_MAX);
			return -1;
		}
		memcpy(g->id[g->n], p, len);
		g->id[g->n++][len] = '\0';
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int ss_gpus_plan(int gpus, long *per_node, long *each, char *err, size_t errlen)
{
	if (gpus <= 0) {
		snprintf(err, errlen, "the step has no GPU on this node");
		return -1;
	}
	if (*per_node > gpus) {
		snprintf(err, errlen,
			 "--spark-executors-per-node=%ld is more executors "
			 "than the %d GPU(s) Slurm gives the step on each "
			 "node: ask for fewer executors or more GPUs "
			 "(--gpus-per-node)",
			 *per_node, gpus);
		return -1;
	}
	if (*each > gpus) {
		snprintf(err, errlen,
			 "spark.executor.resource.gpu.amount=%ld is more than "
			 "the %d GPU(s) Slurm gives the step on each node",
			 *each, gpus);
		return -1;
	}
	if (!*per_node && !*each) {
		*per_node = gpus;
		*each = 1;
	} else if (!*each) {
		*each = gpus / *per_node;
	} else if (!*per_node) {
		*per_node = gpus / *each;
	}
	if (*per_node * *each != gpus) {
		snprintf(err, errlen,
			 "%ld executor(s) per node of %ld GPU(s) each do not "
			 "share the %d GPU(s) Slurm gives the step on each "
			 "node: make --spark-executors-per-node times "
			 "spark.executor.resource.gpu.amount equal %d",
			 *per_node, *each, gpus, gpus);
		return -1;
	}
	return 0;
}

int ss_gpus_share(const struct ss_gpus *g, int k, long each, char *out,
		  size_t outlen)
{
	size_t off = 0;

	if (k < 0 || each < 1 || (long)k * each + each > g->n)
		return -1;
	out[0] = '\0';
	for (long i = (long)k * each; i < (long)k * each + each; i++) {
		int n = snprintf(out + off, outlen - off, "%s%s",
				 off ? "," : "", g->id[i]);

		if (n < 0 || (size_t)n >= outlen - off)
			return -1;
		off += (size_t)n;
	}
	return 0;
}
