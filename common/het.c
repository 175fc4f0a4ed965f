/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * het.c - heterogeneous steps from the task's environment (het.h).
 */
#include "het.h"
#include "parse.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* SLURM_<WHAT>_HET_GROUP_<N>, else the PACK_GROUP name of srun's own het
 * steps on 22.05. */
static const char *group_var(ss_getenv_fn getenv_fn, void *arg,
			     const char *what, uint32_t n, char *name,
			     size_t namelen)
{
	const char *v;

	snprintf(name, namelen, "SLURM_%s_HET_GROUP_%u", what, n);
	if ((v = getenv_fn(name, arg)))
		return v;
	snprintf(name, namelen, "SLURM_%s_PACK_GROUP_%u", what, n);
	return getenv_fn(name, arg);
}

static int get_number(ss_getenv_fn getenv_fn, void *arg, const char *name,
		      long min, long max, long *out, char *err, size_t errlen)
{
	const char *v = getenv_fn(name, arg);

	if (v && ss_parse_long(v, min, max, out) == 0)
		return 0;
	snprintf(err, errlen,
		 "heterogeneous step: %s is %s, not a number from %ld to %ld",
		 name, v ? "malformed" : "not set", min, max);
	return -1;
}

int ss_het_step(ss_getenv_fn getenv_fn, void *arg, uint32_t comp_job,
		uint32_t comp_nnodes, struct ss_het *h, char *err,
		size_t errlen)
{
	const char *size_name = "SLURM_HET_SIZE";
	char name[64];
	long size, nnodes, node, id;
	bool found = false;

	if (!getenv_fn(size_name, arg))
		size_name = "SLURM_PACK_SIZE";
	if (!getenv_fn(size_name, arg))
		return 0;
	if (get_number(getenv_fn, arg, size_name, 1, SS_HET_MAX_COMPONENTS,
		       &size, err, errlen))
		return -1;
	if (size < 2)
		return 0;
	if (get_number(getenv_fn, arg, "SLURM_STEP_NUM_NODES", 1, 1000000,
		       &nnodes, err, errlen))
		return -1;
	/* A step on one component of a het job is an ordinary step. */
	if ((uint32_t)nnodes <= comp_nnodes)
		return 0;
	if (get_number(getenv_fn, arg, "SLURM_NODEID", 0, nnodes - 1, &node,
		       err, errlen))
		return -1;
	*h = (struct ss_het){.size = (uint32_t)size,
			     .nnodes = (uint32_t)nnodes,
			     .node_index = (uint32_t)node};
	for (uint32_t n = 0; n < (uint32_t)size; n++) {
		const char *v =
		    group_var(getenv_fn, arg, "JOB_ID", n, name, sizeof(name));

		if (!v || ss_parse_long(v, 1, UINT32_MAX, &id)) {
			snprintf(err, errlen,
				 "heterogeneous step: %s is %s, not a job id",
				 name, v ? "malformed" : "not set");
			return -1;
		}
		if (n == 0)
			h->leader_job = (uint32_t)id;
		if (!found && (uint32_t)id == comp_job) {
			h->component = n;
			found = true;
		}
	}
	if (!found) {
		snprintf(err, errlen,
			 "heterogeneous step: job %u is none of the %ld "
			 "components in SLURM_JOB_ID_HET_GROUP_*",
			 comp_job, size);
		return -1;
	}
	return 1;
}

int ss_het_driver_host(ss_getenv_fn getenv_fn, void *arg, char *out,
		       size_t outlen, char *err, size_t errlen)
{
	char name[64];
	const char *v =
	    group_var(getenv_fn, arg, "JOB_NODELIST", 0, name, sizeof(name));

	/* A name the resolver may see, nothing else. */
	if (v && ss_hostlist_first(v, out, outlen) == 0 &&
	    strspn(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789.-_") == strlen(out))
		return 0;
	snprintf(err, errlen,
		 "heterogeneous step: %s is %s: cannot find the driver's "
		 "node",
		 name, v ? "malformed" : "not set");
	return -1;
}
