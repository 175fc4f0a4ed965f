/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diagnose.h - why a process of the step failed, said in one line.
 *
 * What the helper can know for sure, in this order: Slurm's memory limit
 * killed it (memwatch.h), the JVM said why (its telling line in the node's
 * executor log, common/jvm_cause.h), a signal killed it.  Each function
 * prints at most one line and returns whether it did.
 */
#ifndef SPANK_SPARK_DIAGNOSE_H
#define SPANK_SPARK_DIAGNOSE_H

#include "helper.h"
#include "proc.h"
#include "proto.h"

#include <stdbool.h>
#include <sys/types.h>

/* The driver's launcher C ended with a failure the helper did not ask for. */
bool diagnose_driver(struct helper *h, const struct child *c);
/* Executor ID (child C) is given up on after TRIES starts; its JVM wrote
 * to LOG (the node's executor log, from offset FROM). */
void diagnose_executor_lost(struct helper *h, long id, const struct child *c,
			    int tries, const char *log, off_t from,
			    long heap_mb);
/* The executor side ends: a Python worker Slurm's memory limit killed
 * while its JVM lived on; when FAILED, a scratch directory that filled up,
 * from LOG (offset FROM). */
void diagnose_node_end(struct helper *h, const char *log, off_t from,
		       bool failed);
/* Does munged answer on this host (proto_munge_ok)?  0, or -1 after one
 * line naming munge and the host: nothing of the step can be trusted
 * without it, and waiting would only end at the start-up time-out. */
int diagnose_munge(const struct helper *h, struct proto *p);

#endif
