/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dynalloc.c - dynamic allocation's bookkeeping on the driver side.
 */
#include "dynalloc.h"

#include <stdlib.h>
#include <string.h>

int dynalloc_init(struct dynalloc *a, int nodes, int per_node)
{
	memset(a, 0, sizeof(*a));
	if (nodes < 1 || per_node < 0)
		return -1;
	a->planned = calloc((size_t)nodes, sizeof(*a->planned));
	a->usable = calloc((size_t)nodes, sizeof(*a->usable));
	if (!a->planned || !a->usable) {
		dynalloc_fini(a);
		return -1;
	}
	a->nodes = nodes;
	a->per_node = per_node;
	for (int i = 0; i < nodes; i++)
		a->usable[i] = true;
	return 0;
}

void dynalloc_fini(struct dynalloc *a)
{
	free(a->planned);
	free(a->usable);
	a->planned = NULL;
	a->usable = NULL;
	a->nodes = 0;
}

int dynalloc_total(const struct dynalloc *a)
{
	int n = 0;

	for (int i = 0; i < a->nodes; i++)
		n += a->planned[i];
	return n;
}

int dynalloc_slots(const struct dynalloc *a)
{
	int n = 0;

	for (int i = 0; i < a->nodes; i++)
		n += a->usable[i] ? a->per_node : 0;
	return n;
}

int dynalloc_grow(struct dynalloc *a)
{
	int best = -1;

	for (int i = 0; i < a->nodes; i++)
		if (a->usable[i] && a->planned[i] < a->per_node &&
		    (best < 0 || a->planned[i] < a->planned[best]))
			best = i;
	if (best >= 0)
		a->planned[best]++;
	return best;
}

int dynalloc_kill(struct dynalloc *a, int node, long id)
{
	if (node < 0 || node >= a->nodes)
		return -1;
	if (a->planned[node] > 0)
		a->planned[node]--;
	/* Full: the oldest is forgotten (its end, if ever, is then told as
	 * a loss: only a line). */
	if (a->nkilled == DYNALLOC_KILLED_MAX) {
		memmove(a->killed, a->killed + 1,
			sizeof(*a->killed) * (DYNALLOC_KILLED_MAX - 1));
		a->nkilled--;
	}
	a->killed[a->nkilled++] = id;
	return 0;
}

bool dynalloc_take_killed(struct dynalloc *a, long id)
{
	for (int i = 0; i < a->nkilled; i++)
		if (a->killed[i] == id) {
			a->killed[i] = a->killed[--a->nkilled];
			return true;
		}
	return false;
}
