/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * het.h - is this step heterogeneous (srun ... : ..., or srun
 * --het-group=0,1 inside an #SBATCH hetjob / salloc ... : ... job), and
 * where in it is this node?
 *
 * SPANK has no item for het jobs.  What Slurm 22.05 gives, as measured in
 * the lab with srun -w node3 : -w node1,node2 (README: "Heterogeneous
 * jobs"):
 *   SPANK items (one slurmstepd per component and node):
 *     S_JOB_ID      the COMPONENT's job id (1 on node3, 2 on node1,node2)
 *     S_JOB_NODEID  the node's index in its component (0; 0 and 1)
 *     S_JOB_NNODES  the component's nodes (1; 2)
 *     S_TASK_GLOBAL_ID, S_JOB_TOTAL_TASK_COUNT  per component too
 *   the task's environment (the same set on every node):
 *     SLURM_JOB_ID=1            the leader's (component 0's) id
 *     SLURM_NODEID=0,1,2        the node in the WHOLE step, components in
 *                               order (node3 0, node1 1, node2 2)
 *     SLURM_STEP_NUM_NODES=3    the whole step; SLURM_STEP_NODELIST is
 *                               the sorted union (node[1-3]): its first
 *                               host is NOT the first component's
 *     SLURM_HET_SIZE=2 and SLURM_PACK_SIZE=2
 *     SLURM_JOB_ID_PACK_GROUP_n, SLURM_JOB_NODELIST_PACK_GROUP_n: srun's
 *       own het step has only the old PACK names; a step inside an
 *       #SBATCH hetjob or salloc ... : ... allocation also has the
 *       _HET_GROUP_n ones.  SLURM_HET_JOB_ID / _OFFSET: never set here.
 *   srun runs slurm_spank_init_post_opt once per component, with one set
 *   of options for all of them (options given in two components with
 *   different values are refused there); the tasks of every component
 *   inherit srun's environment, SLURM_SPANK_SPARK_RENDEZVOUS included.
 *   salloc/sbatch of a het job hand the later components the first one's
 *   options again, a flag's missing value as the text "(null)".
 *   Inside an hetjob allocation SLURM_HET_SIZE is set for every step,
 *   also for a plain srun that runs on component 0 alone: a step is
 *   heterogeneous when it spans more nodes than its component has.
 */
#ifndef SPANK_SPARK_HET_H
#define SPANK_SPARK_HET_H

#include "options.h"

#include <stddef.h>
#include <stdint.h>

/* Why client mode and a het step do not go together, said by srun before
 * the job (a second init_post_opt call: a second component) and, should
 * srun not tell, by the step's first node. */
#define SS_HET_CLIENT_REFUSED                                                  \
	"--spark-mode=client cannot run a heterogeneous step: its driver "     \
	"runs where srun runs; use --spark-mode=cluster (driver on the first " \
	"component's first node)"

/* Slurm's own limit (MAX_HET_JOB_COMPONENTS). */
#define SS_HET_MAX_COMPONENTS 128

struct ss_het {
	uint32_t leader_job; /* the het job's id: component 0's */
	uint32_t component;  /* this node's component */
	uint32_t size;	     /* components of the job */
	uint32_t node_index; /* this node in the whole step */
	uint32_t nnodes;     /* nodes of the whole step */
};

/* From the task's environment (GETENV, see above), with this component's
 * job id and node count (SPANK's S_JOB_ID, S_JOB_NNODES): 1 with *H
 * filled when the step is heterogeneous, 0 when it is not, -1 with one
 * line in ERR when the variables contradict each other. */
int ss_het_step(ss_getenv_fn getenv_fn, void *arg, uint32_t comp_job,
		uint32_t comp_nnodes, struct ss_het *h, char *err,
		size_t errlen);

/* The first node of component 0, where the driver runs: 0, or -1 with
 * one line in ERR. */
int ss_het_driver_host(ss_getenv_fn getenv_fn, void *arg, char *out,
		       size_t outlen, char *err, size_t errlen);

#endif
