/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_het.c - ss_het_step and ss_het_driver_host (common/het.c): the
 * first 8 bytes are the component's job id and node count, the rest's
 * NUL/newline-separated pieces the values of NAMES, in order; an empty
 * piece is an unset variable. */
#include "fuzz.h"
#include "het.h"

static const char *const names[] = {"SLURM_HET_SIZE",
				    "SLURM_PACK_SIZE",
				    "SLURM_STEP_NUM_NODES",
				    "SLURM_NODEID",
				    "SLURM_JOB_ID_HET_GROUP_0",
				    "SLURM_JOB_ID_HET_GROUP_1",
				    "SLURM_JOB_ID_PACK_GROUP_1",
				    "SLURM_JOB_ID_HET_GROUP_2",
				    "SLURM_JOB_NODELIST_HET_GROUP_0",
				    "SLURM_JOB_NODELIST_PACK_GROUP_0"};
#define NNAMES (int)(sizeof(names) / sizeof(*names))

static const char *fake_getenv(const char *name, void *arg)
{
	char **values = arg;

	for (int i = 0; i < NNAMES; i++)
		if (!strcmp(names[i], name))
			return values[i] && values[i][0] ? values[i] : NULL;
	return NULL;
}

static uint32_t be32(const uint8_t *d)
{
	return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
	       (uint32_t)d[2] << 8 | d[3];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *values[NNAMES] = {0}, *buf, err[512] = "", host[64];
	uint32_t job = 1, nnodes = 1;
	struct ss_het h;
	int rc;

	if (size >= 8) {
		job = be32(data);
		nnodes = be32(data + 4);
		data += 8;
		size -= 8;
	}
	fuzz_split(data, size, values, NNAMES, &buf);
	rc =
	    ss_het_step(fake_getenv, values, job, nnodes, &h, err, sizeof(err));
	CHECK(rc >= -1 && rc <= 1);
	if (rc == 1) {
		CHECK(h.size >= 2 && h.size <= SS_HET_MAX_COMPONENTS);
		CHECK(h.nnodes > nnodes && h.node_index < h.nnodes);
		CHECK(h.component < h.size && h.leader_job != 0);
	} else if (rc < 0) {
		CHECK(err[0] && fuzz_clean(err));
	}
	err[0] = '\0';
	if (ss_het_driver_host(fake_getenv, values, host, sizeof(host), err,
			       sizeof(err)) == 0)
		CHECK(host[0] &&
		      strspn(host, "abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") ==
			  strlen(host));
	else
		CHECK(err[0] && fuzz_clean(err));
	free(buf);
	return 0;
}
