/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gpu.c - the step's GPUs as Spark's GPU resources (gpu.h).
 */
#include "gpu.h"
#include "log.h"
#include "parse.h"
#include "spark_conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int gpu_node(struct ss_gpus *g, char *err, size_t errlen)
{
	const char *step = getenv("SLURM_STEP_GPUS");
	const char *cuda = getenv("CUDA_VISIBLE_DEVICES");

	g->n = 0;
	/* Only Slurm's: a CUDA_VISIBLE_DEVICES srun passed on from the
	 * user's shell names no GPU of the step. */
	if (!step || !*step)
		return 0;
	return ss_gpus_parse(cuda && *cuda ? cuda : step, g, err, errlen);
}

/* The user's integer setting KEY into *V (0: not set).  0 or -1. */
static int user_count(const struct helper *h, const char *key, long *v,
		      char *err, size_t errlen)
{
	char value[64];
	int rc =
	    spark_conf_user_value(h, key, value, sizeof(value), err, errlen);

	*v = 0;
	if (rc <= 0)
		return rc;
	if (ss_parse_long(value, 1, SS_GPUS_MAX, v)) {
		snprintf(err, errlen,
			 "%s=%s: with the step's GPUs, give a whole number of "
			 "GPUs from 1 to %d",
			 key, value, SS_GPUS_MAX);
		return -1;
	}
	return 0;
}

/* Client mode: the allocation's --gpus-per-node, "N" or "TYPE:N". */
static int client_gpus(void)
{
	const char *v = getenv("SLURM_GPUS_PER_NODE");
	const char *colon;
	long n;

	if (!v || !*v || strchr(v, ','))
		return 0;
	colon = strrchr(v, ':');
	return ss_parse_long(colon ? colon + 1 : v, 1, SS_GPUS_MAX, &n)
		   ? 0
		   : (int)n;
}

int gpu_plan(struct helper *h, bool local, char *err, size_t errlen)
{
	const char *e = h->opts.value[SS_OPT_EXECUTORS_PER_NODE];
	struct ss_gpus g;
	long per_node = 0, each = 0, driver = 0;
	int n;

	h->gpu_per_node = h->gpu_each = h->gpu_driver = 0;
	if (h->role == ROLE_CLIENT_DRIVER) {
		n = client_gpus();
	} else {
		if (gpu_node(&g, err, errlen))
			return -1;
		n = g.n;
	}
	if (n == 0)
		return 0;
	if ((e && ss_parse_long(e, 1, SS_COUNT_MAX, &per_node)) ||
	    user_count(h, "spark.executor.resource.gpu.amount", &each, err,
		       errlen) ||
	    user_count(h, "spark.driver.resource.gpu.amount", &driver, err,
		       errlen))
		return -1;
	if (ss_gpus_plan(n, &per_node, &each, err, errlen))
		return -1;
	if (driver && h->role == ROLE_DRIVER) {
		if (local) {
			snprintf(err, errlen,
				 "spark.driver.resource.gpu.amount: the "
				 "driver's node runs executors too (one node, "
				 "or --spark-driver-executor), which have all "
				 "its GPUs");
			return -1;
		}
		if (driver > n) {
			snprintf(err, errlen,
				 "spark.driver.resource.gpu.amount=%ld is more "
				 "than the %d GPU(s) of the driver's node",
				 driver, n);
			return -1;
		}
		h->gpu_driver = driver;
	}
	/* One executor per GPU, unasked for: they must fit in the node's
	 * memory as the plugin checks --spark-executors-per-node. */
	if (!e) {
		struct ss_opts o = h->opts;
		char pn[24];

		snprintf(pn, sizeof(pn), "%ld", per_node);
		o.value[SS_OPT_EXECUTORS_PER_NODE] = pn;
		if (h->node_mem_mb > 0 &&
		    ss_check_executor_fit(
			&o, (unsigned long long)h->node_mem_mb, err, errlen)) {
			size_t len = strlen(err);

			snprintf(err + len, errlen - len,
				 " (one executor per GPU, %d GPUs)", n);
			return -1;
		}
	}
	h->gpu_per_node = per_node;
	h->gpu_each = each;
	log_verbose("GPUs: %d per node from Slurm: %ld executor(s) per node, "
		    "%ld GPU(s) each%s%s",
		    n, per_node, each,
		    e ? ""
		      : " (one executor per GPU: no "
			"--spark-executors-per-node)",
		    h->gpu_driver ? "; the driver takes its node's first" : "");
	return 0;
}

json_t *gpu_welcome(const struct helper *h)
{
	if (h->gpu_each <= 0)
		return NULL;
	return json_pack("{s:I, s:I}", "per_node", (json_int_t)h->gpu_per_node,
			 "each", (json_int_t)h->gpu_each);
}

int gpu_take(struct helper *h, json_t *gpus, struct ss_gpus *g, char *err,
	     size_t errlen)
{
	json_int_t per_node = 0, each = 0;

	if (gpu_node(g, err, errlen))
		return -1;
	if (!gpus) {
		if (g->n)
			log_verbose("%d GPU(s) of the step on %s, unknown to "
				    "the driver side (client mode without "
				    "SLURM_GPUS_PER_NODE): left as Slurm set "
				    "them",
				    g->n, h->host);
		return 0;
	}
	if (json_unpack(gpus, "{s:I, s:I}", "per_node", &per_node, "each",
			&each) ||
	    per_node < 1 || per_node > SS_GPUS_MAX || each < 1 ||
	    each > SS_GPUS_MAX) {
		snprintf(err, errlen, "the driver's welcome is malformed");
		return -1;
	}
	if (per_node * each != g->n) {
		snprintf(err, errlen,
			 "%s has %d GPU(s) of the step where the driver side "
			 "planned %lld: give every node the same GPUs "
			 "(--gpus-per-node)",
			 h->host, g->n, (long long)(per_node * each));
		return -1;
	}
	h->gpu_per_node = (long)per_node;
	h->gpu_each = (long)each;
	return 0;
}

int gpu_write_resources(const char *path, const char *component, long each,
			char *err, size_t errlen)
{
	json_t *addr = json_array(), *res;
	char num[24];
	int fd, rc = -1;

	for (long i = 0; addr && i < each; i++) {
		snprintf(num, sizeof(num), "%ld", i);
		json_array_append_new(addr, json_string(num));
	}
	res = json_pack("[{s:{s:s, s:s}, s:o}]", "id", "componentName",
			component, "resourceName", "gpu", "addresses", addr);
	if (!res) {
		snprintf(err, errlen, "out of memory for %s", path);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0 || json_dumpfd(res, fd, JSON_COMPACT) < 0)
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
	else
		rc = 0;
	if (fd >= 0 && close(fd) < 0 && rc == 0) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		rc = -1;
	}
	json_decref(res);
	return rc;
}
