/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dynalloc.h - the driver side's bookkeeping for Spark's dynamic
 * allocation within a step: how many executor JVMs each node was asked to
 * run, where the next one goes, and which executors Spark let go (their
 * end is not a loss).  Pure: no I/O; driver_events.c sends the messages.
 */
#ifndef SPANK_SPARK_DYNALLOC_H
#define SPANK_SPARK_DYNALLOC_H

#include <stdbool.h>

#define DYNALLOC_KILLED_MAX 256

struct dynalloc {
	int nodes;
	int per_node; /* slots on each node */
	int *planned; /* JVMs each node was asked to run, 0..per_node */
	bool *usable; /* the node runs executors (not a driver alone) */
	long killed[DYNALLOC_KILLED_MAX]; /* ids Spark let go, not yet gone */
	int nkilled;
};

/* NODES nodes of PER_NODE slots each, none planned, all usable.  0, or -1
 * out of memory. */
int dynalloc_init(struct dynalloc *a, int nodes, int per_node);
void dynalloc_fini(struct dynalloc *a);
/* JVMs planned on every node. */
int dynalloc_total(const struct dynalloc *a);
/* Room for this many in all. */
int dynalloc_slots(const struct dynalloc *a);
/* Plan one more JVM on the usable node with the fewest (the lowest such
 * index on a tie): that node, or -1 when every slot is planned. */
int dynalloc_grow(struct dynalloc *a);
/* Executor ID, on NODE, is let go: one fewer planned there, and its end
 * is expected (dynalloc_take_killed).  -1 for a node out of range. */
int dynalloc_kill(struct dynalloc *a, int node, long id);
/* ID ended: true (and forgotten) when Spark had let it go. */
bool dynalloc_take_killed(struct dynalloc *a, long id);

#endif
