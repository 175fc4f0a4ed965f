/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * driver_timeout.c - the start-up time-out: saying which executor nodes
 * never registered, and ending the step.
 */

#include "driver_int.h"
#include "log.h"
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>

/* The name of the step's node INDEX (a het step's: its number). */
static void node_name(const struct helper *h, int index, char *out,
		      size_t outlen)
{
	const char *list = getenv("SLURM_STEP_NODELIST");

	if (h->het_job || !list ||
	    ss_hostlist_nth(list, index, out, outlen) < 0)
		snprintf(out, outlen, "node #%d of the step", index);
}

/* ", still missing: node3,node4": the executor nodes whose helper never
 * registered, or whose executors did not all register with Spark (a
 * fabric the driver cannot reach, say). */
static void missing_nodes(const struct driver *d, char *out, size_t outlen)
{
	int first = d->h->role == ROLE_CLIENT_DRIVER ? 0 : 1;
	size_t off = 0;

	out[0] = '\0';
	for (int node = first; node < (int)d->h->nnodes && off < outlen;
	     node++) {
		char name[128];
		bool seen = false;

		for (size_t i = 0; i < d->rdv.npeers && !seen; i++)
			seen = d->rdv.peers[i].registered &&
			       d->rdv.peers[i].node == node;
		if (seen &&
		    (!d->added || d->added[node] >= d->alloc.planned[node]))
			continue;
		node_name(d->h, node, name, sizeof(name));
		off += (size_t)snprintf(out + off, outlen - off, "%s%s",
					off ? "," : "; still missing: ", name);
	}
}

void startup_timed_out(struct driver *d)
{
	char missing[512];

	missing_nodes(d, missing, sizeof(missing));
	log_error("start-up timed out after %lds: %d/%d executors registered "
		  "(%d/%d nodes reached the driver%s); logs in %s "
		  "(startup_timeout= in plugstack.conf)",
		  d->h->site.startup_timeout, d->registered, d->expected,
		  d->rdv.registered, d->rdv.expected, missing, d->h->log_dir);
	d->exit_code = EXIT_HELPER_FAILED;
	d->state = DONE;
}
