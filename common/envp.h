/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * envp.h - an environment array built in full before fork(), so that the
 * child only calls execve (setenv and malloc are not async-signal-safe,
 * and srun has threads).
 */
#ifndef SPANK_SPARK_ENVP_H
#define SPANK_SPARK_ENVP_H

#include <stddef.h>

struct ss_envp {
	char **v; /* owned, NULL-terminated; each string owned */
	size_t n, cap;
};

/* A copy of BASE (may be NULL: empty).  0, or -1 when out of memory (E
 * is then empty but valid). */
int ss_envp_init(struct ss_envp *e, char *const *base);
/* Set NAME to VALUE (NULL: remove every NAME=...), replacing every
 * existing NAME entry.  NAME must be non-empty without '='.  0 or -1. */
int ss_envp_set(struct ss_envp *e, const char *name, const char *value);
void ss_envp_free(struct ss_envp *e);

#endif
