/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * elastic.h - --spark-elastic: executors beyond the step, each node its
 * own Slurm job (a "join job") that the driver side submits as the user
 * and whose helper joins the application over the rendezvous with a
 * per-application token (doc/user-guide.md, "Elastic steps").  The pure
 * rules, shared by the driver side (driver_elastic.c) and the join
 * helper (executor_side.c), tested in tests/unit/test_elastic.c.
 */
#ifndef SPANK_SPARK_ELASTIC_H
#define SPANK_SPARK_ELASTIC_H

#include <stdbool.h>
#include <stddef.h>

/* squeue's %L (time left) and %l (time limit): "UNLIMITED" or
 * "NOT_SET". */
#define ELASTIC_UNLIMITED (-1L)
/* Seconds of squeue's D-HH:MM:SS, HH:MM:SS, MM:SS or SS; ELASTIC_UNLIMITED;
 * -2 for anything else (INVALID, garbage). */
long elastic_parse_time(const char *s);
/* sbatch --time in whole minutes for a job that must end before SECONDS
 * are over: the minutes left rounded down; 0 when less than one is left
 * (submit nothing). */
long elastic_time_minutes(long seconds);

/* Join jobs to submit (> 0) or pending ones to cancel (< 0) when Spark
 * wants WANT executors in all, usable nodes hold ROOM slots, each join
 * node PER_NODE, PENDING join jobs wait in the queue and JOINED run, never
 * more than MAX of both at once. */
int elastic_change(int want, int room, int per_node, int pending, int joined,
		   int max);

/* The executor ids of node NODE when the step's NODES nodes and up to
 * ELASTIC join nodes share the id space (executor_jvms.h): NODES +
 * ELASTIC nodes. */
static inline int elastic_id_nodes(int nodes, int elastic)
{
	return nodes + elastic;
}
/* A join node's executor ids never repeat an earlier join job's on the
 * same slot: its starts are counted from this. */
#define ELASTIC_GEN_STRIDE 1000

/* Constant-time comparison of two tokens of LEN bytes. */
bool elastic_token_equal(const char *a, const char *b, size_t len);

#endif
