/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_het.c - heterogeneous steps from the task's environment
 * (common/het.c): the environments Slurm 22.05 gave in the lab, and
 * hostile or contradictory values.
 */
#include "tap.h"
#include "het.h"

#include <string.h>

/* NAME=VALUE entries, NULL-terminated. */
static const char *const *env;

static const char *fake_getenv(const char *name, void *arg)
{
	size_t n = strlen(name);

	(void)arg;
	for (const char *const *e = env; *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* srun -w node3 : -w node1,node2, as a task on node2 saw it. */
static const char *const srun_step[] = {
    "SLURM_HET_SIZE=2",
    "SLURM_PACK_SIZE=2",
    "SLURM_JOB_ID=1",
    "SLURM_JOB_ID_PACK_GROUP_0=1",
    "SLURM_JOB_ID_PACK_GROUP_1=2",
    "SLURM_JOB_NODELIST_PACK_GROUP_0=node3",
    "SLURM_JOB_NODELIST_PACK_GROUP_1=node[1-2]",
    "SLURM_STEP_NODELIST=node[1-3]",
    "SLURM_STEP_NUM_NODES=3",
    "SLURM_NODEID=2",
    NULL};

/* srun --het-group=0,1 in an #SBATCH hetjob job 9+10, on node3. */
static const char *const batch_step[] = {
    "SLURM_HET_SIZE=2",
    "SLURM_JOB_ID=9",
    "SLURM_JOB_ID_HET_GROUP_0=9",
    "SLURM_JOB_ID_HET_GROUP_1=10",
    "SLURM_JOB_ID_PACK_GROUP_0=9",
    "SLURM_JOB_ID_PACK_GROUP_1=10",
    "SLURM_JOB_NODELIST_HET_GROUP_0=node3",
    "SLURM_JOB_NODELIST_HET_GROUP_1=node[1-2]",
    "SLURM_STEP_NUM_NODES=3",
    "SLURM_NODEID=0",
    NULL};

/* A plain srun in that job: component 0 alone, one node. */
static const char *const batch_plain[] = {"SLURM_HET_SIZE=2",
					  "SLURM_JOB_ID=9",
					  "SLURM_JOB_ID_HET_GROUP_0=9",
					  "SLURM_JOB_ID_HET_GROUP_1=10",
					  "SLURM_STEP_NUM_NODES=1",
					  "SLURM_NODEID=0",
					  NULL};

static const char *const plain[] = {"SLURM_JOB_ID=5", "SLURM_STEP_NUM_NODES=3",
				    "SLURM_NODEID=1", NULL};

static int step(const char *const *e, uint32_t job, uint32_t nnodes,
		struct ss_het *h, char *err, size_t errlen)
{
	env = e;
	err[0] = '\0';
	return ss_het_step(fake_getenv, NULL, job, nnodes, h, err, errlen);
}

static void test_measured(void)
{
	struct ss_het h;
	char err[256], host[64];

	is_int(step(srun_step, 2, 2, &h, err, sizeof(err)), 1,
	       "srun ... : ...: a het step on node2 (%s)", err);
	is_int(h.leader_job, 1, "...the leader's job id");
	is_int(h.component, 1, "...in component 1");
	is_int(h.size, 2, "...of 2");
	is_int(h.node_index, 2, "...node 2 of the whole step");
	is_int(h.nnodes, 3, "...of 3");
	is_int(ss_het_driver_host(fake_getenv, NULL, host, sizeof(host), err,
				  sizeof(err)),
	       0, "the driver's node is found from the PACK_GROUP name");
	is_str(host, "node3", "...the first component's first node");

	is_int(step(batch_step, 9, 1, &h, err, sizeof(err)), 1,
	       "srun --het-group=0,1 in a batch job: het (%s)", err);
	is_int(h.leader_job, 9, "...the leader's job id");
	is_int(h.component, 0, "...component 0");
	is_int(h.node_index, 0, "...node 0: the driver's");
	is_int(ss_het_driver_host(fake_getenv, NULL, host, sizeof(host), err,
				  sizeof(err)),
	       0, "the driver's node from the HET_GROUP name");
	is_str(host, "node3", "...node3");

	is_int(step(batch_plain, 9, 1, &h, err, sizeof(err)), 0,
	       "a plain srun in a hetjob allocation is an ordinary step");
	is_int(step(plain, 5, 3, &h, err, sizeof(err)), 0,
	       "no SLURM_HET_SIZE: an ordinary step");
}

static void refused(const char *const *e, uint32_t job, uint32_t nnodes,
		    const char *needle, const char *what)
{
	struct ss_het h;
	char err[256];

	is_int(step(e, job, nnodes, &h, err, sizeof(err)), -1, "%s", what);
	like(err, needle, "...saying %s", needle);
}

static void test_hostile(void)
{
	static const char *const size_bad[] = {"SLURM_HET_SIZE=2x", NULL};
	static const char *const size_big[] = {"SLURM_HET_SIZE=129", NULL};
	static const char *const size_neg[] = {"SLURM_PACK_SIZE=-2", NULL};
	static const char *const size_one[] = {"SLURM_HET_SIZE=1", NULL};
	static const char *const no_nodes[] = {"SLURM_HET_SIZE=2", NULL};
	static const char *const node_out[] = {"SLURM_HET_SIZE=2",
					       "SLURM_STEP_NUM_NODES=3",
					       "SLURM_NODEID=3", NULL};
	static const char *const group_missing[] = {
	    "SLURM_HET_SIZE=3",
	    "SLURM_STEP_NUM_NODES=3",
	    "SLURM_NODEID=1",
	    "SLURM_JOB_ID_HET_GROUP_0=1",
	    "SLURM_JOB_ID_HET_GROUP_1=2",
	    NULL};
	static const char *const group_bad[] = {"SLURM_HET_SIZE=2",
						"SLURM_STEP_NUM_NODES=3",
						"SLURM_NODEID=1",
						"SLURM_JOB_ID_HET_GROUP_0=1",
						"SLURM_JOB_ID_HET_GROUP_1=2;rm",
						NULL};
	static const char *const group_zero[] = {"SLURM_HET_SIZE=2",
						 "SLURM_STEP_NUM_NODES=3",
						 "SLURM_NODEID=1",
						 "SLURM_JOB_ID_HET_GROUP_0=0",
						 "SLURM_JOB_ID_HET_GROUP_1=2",
						 NULL};
	static const char *const group_huge[] = {
	    "SLURM_HET_SIZE=2",
	    "SLURM_STEP_NUM_NODES=3",
	    "SLURM_NODEID=1",
	    "SLURM_JOB_ID_HET_GROUP_0=4294967296",
	    "SLURM_JOB_ID_HET_GROUP_1=2",
	    NULL};
	static const char *const not_ours[] = {"SLURM_HET_SIZE=2",
					       "SLURM_STEP_NUM_NODES=3",
					       "SLURM_NODEID=1",
					       "SLURM_JOB_ID_HET_GROUP_0=1",
					       "SLURM_JOB_ID_HET_GROUP_1=2",
					       NULL};
	static const char *const list_evil[] = {
	    "SLURM_JOB_NODELIST_HET_GROUP_0=node3 -oProxyCommand=x", NULL};
	static const char *const list_bad[] = {
	    "SLURM_JOB_NODELIST_HET_GROUP_0=node[", NULL};
	static const char *const list_none[] = {NULL};
	struct ss_het h;
	char err[256], host[64];

	refused(size_bad, 1, 1, "SLURM_HET_SIZE is malformed",
		"a malformed SLURM_HET_SIZE is refused");
	refused(size_big, 1, 1, "from 1 to 128",
		"more components than Slurm allows: refused");
	refused(size_neg, 1, 1, "SLURM_PACK_SIZE is malformed",
		"a negative SLURM_PACK_SIZE is refused");
	is_int(step(size_one, 1, 1, &h, err, sizeof(err)), 0,
	       "one component: an ordinary step");
	refused(no_nodes, 1, 1, "SLURM_STEP_NUM_NODES is not set",
		"no step node count: refused");
	refused(node_out, 1, 1, "SLURM_NODEID is malformed",
		"a node index past the step's nodes: refused");
	refused(group_missing, 2, 1, "SLURM_JOB_ID_PACK_GROUP_2 is not set",
		"a component's job id missing: refused");
	refused(group_bad, 2, 1, "SLURM_JOB_ID_HET_GROUP_1 is malformed",
		"a job id with trailing junk: refused");
	refused(group_zero, 2, 1, "SLURM_JOB_ID_HET_GROUP_0 is malformed",
		"job id 0: refused");
	refused(group_huge, 2, 1, "SLURM_JOB_ID_HET_GROUP_0 is malformed",
		"a job id over 32 bits: refused");
	refused(not_ours, 7, 1, "job 7 is none of the 2 components",
		"this component's job id not among them: refused");

	env = list_evil;
	is_int(ss_het_driver_host(fake_getenv, NULL, host, sizeof(host), err,
				  sizeof(err)),
	       -1, "a node list with blanks and options: refused");
	env = list_bad;
	is_int(ss_het_driver_host(fake_getenv, NULL, host, sizeof(host), err,
				  sizeof(err)),
	       -1, "an unterminated host range: refused");
	like(err, "SLURM_JOB_NODELIST_HET_GROUP_0 is malformed",
	     "...naming the variable");
	env = list_none;
	is_int(ss_het_driver_host(fake_getenv, NULL, host, 4, err, sizeof(err)),
	       -1, "no node list: refused");
	like(err, "cannot find the driver's node", "...saying what for");
}

int main(void)
{
	test_measured();
	test_hostile();
	return done_testing();
}
