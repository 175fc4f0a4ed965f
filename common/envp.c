/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * envp.c - an owned environment array.
 */
#include "envp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow(struct ss_envp *e)
{
	size_t cap = e->cap ? e->cap * 2 : 32;
	char **v;

	if (e->n + 1 < e->cap)
		return 0;
	if (!(v = realloc(e->v, cap * sizeof(*v))))
		return -1;
	e->v = v;
	e->cap = cap;
	return 0;
}

int ss_envp_init(struct ss_envp *e, char *const *base)
{
	e->v = NULL;
	e->n = e->cap = 0;
	if (grow(e))
		return -1;
	e->v[0] = NULL;
	for (size_t i = 0; base && base[i]; i++) {
		char *copy;

		if (grow(e) || !(copy = strdup(base[i]))) {
			ss_envp_free(e);
			return -1;
		}
		e->v[e->n++] = copy;
		e->v[e->n] = NULL;
	}
	return 0;
}

int ss_envp_set(struct ss_envp *e, const char *name, const char *value)
{
	size_t len, keep = 0;
	char *entry = NULL;

	if (!e->v || !name || !*name || strchr(name, '='))
		return -1;
	len = strlen(name);
	/* Allocate first: on failure E is unchanged. */
	if (value) {
		size_t size = len + strlen(value) + 2;

		if (grow(e) || !(entry = malloc(size)))
			return -1;
		snprintf(entry, size, "%s=%s", name, value);
	}
	for (size_t i = 0; i < e->n; i++) {
		if (!strncmp(e->v[i], name, len) && e->v[i][len] == '=')
			free(e->v[i]);
		else
			e->v[keep++] = e->v[i];
	}
	e->n = keep;
	if (entry)
		e->v[e->n++] = entry;
	e->v[e->n] = NULL;
	return 0;
}

void ss_envp_free(struct ss_envp *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	e->v = NULL;
	e->n = e->cap = 0;
}
