/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * driver_preflight.c - the driver side's checks before any JVM starts: the
 * application exists (or --spark-connect can run), and the plan of which
 * nodes run how many executors.
 */

#include "driver_int.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A missing application is the commonest mistake: say so before any JVM
 * starts.  URLs and launcher names (spark-submit ...) are Spark's to
 * check. */
int check_application(const struct helper *h)
{
	const char *app = h->app_argc > 0 ? h->app_argv[0] : NULL;
	bool connect = h->opts.value[SS_OPT_CONNECT] != NULL;
	struct stat st;

	if (connect && check_connect(h))
		return -1;
	if (!app && !connect) {
		log_error("no application given: srun --spark-mode=... app.py "
			  "[args], or app.jar with --spark-class");
		return -1;
	}
	if (stat(h->site.jar, &st) < 0) {
		log_error("cannot find spank-spark's jar %s: %s (jar= in "
			  "plugstack.conf)",
			  h->site.jar, strerror(errno));
		return -1;
	}
	/* A Connect step's command is a program found on PATH. */
	if (connect || strstr(app, "://") || !strchr(app, '.'))
		return 0;
	if (access(app, R_OK) < 0) {
		log_error("cannot read the application %s: %s", app,
			  strerror(errno));
		return -1;
	}
	return 0;
}

/* Which nodes run executors, and how many each starts with: all of their
 * slots, or with dynamic allocation the initial executors spread over
 * them.  0, or -1 with ERR. */
int plan_executors(struct driver *d, char *err, size_t errlen)
{
	struct helper *h = d->h;
	int slots = d->expected;

	if (elastic_setup(d, err, errlen))
		return -1;
	if (dynalloc_init(&d->alloc, (int)h->nnodes + d->elastic,
			  d->per_node)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Join nodes hold slots once their job joined. */
	for (int i = (int)h->nnodes; i < d->alloc.nodes; i++)
		d->alloc.usable[i] = false;
	/* Cluster mode: the driver's node runs executors only when local. */
	if (h->role == ROLE_DRIVER && !d->local_n)
		d->alloc.usable[0] = false;
	if (spark_conf_dynamic(h, slots + d->elastic * d->per_node, &d->dyn,
			       err, errlen))
		return -1;
	if (d->elastic && !d->dyn.enabled) {
		snprintf(err, errlen,
			 "--spark-elastic grows the application with Spark's "
			 "dynamic allocation: drop "
			 "spark.dynamicAllocation.enabled=false");
		return -1;
	}
	if (d->elastic && d->dyn.min > slots) {
		snprintf(err, errlen,
			 "spark.dynamicAllocation.minExecutors=%d, but the "
			 "step has room for %d executor(s) (join jobs come "
			 "only when Spark asks): ask Slurm for more nodes or "
			 "lower it",
			 d->dyn.min, slots);
		return -1;
	}
	/* Start-up waits only for what the step itself holds. */
	if (d->dyn.initial > slots)
		d->dyn.initial = slots;
	if (d->dyn.wait > d->dyn.initial)
		d->dyn.wait = d->dyn.initial;
	if (d->dyn.enabled && h->het_job) {
		snprintf(err, errlen,
			 "spark.dynamicAllocation.enabled=true: not in a "
			 "heterogeneous step (its components' nodes run "
			 "different numbers of executors); drop it or use one "
			 "component");
		return -1;
	}
	if (!d->dyn.enabled) {
		for (int i = 0; i < d->alloc.nodes; i++)
			d->alloc.planned[i] =
			    d->alloc.usable[i] ? d->per_node : 0;
		d->dyn.max = slots;
		return 0;
	}
	while (dynalloc_total(&d->alloc) < d->dyn.initial &&
	       dynalloc_grow(&d->alloc) >= 0)
		;
	d->expected = d->dyn.wait;
	log_verbose("dynamic allocation: %d to %d executor(s), %d at start-up, "
		    "in %d slot(s) of the step",
		    d->dyn.min, d->dyn.max, d->dyn.initial, slots);
	if (d->elastic)
		log_verbose("elastic: up to %d join job(s) of %d executor(s) "
			    "each when Spark wants more",
			    d->elastic, d->per_node);
	if (d->dyn.wait < d->dyn.initial)
		log_verbose("start-up waits for %d of them "
			    "(spark.scheduler.minRegisteredResourcesRatio)",
			    d->dyn.wait);
	return 0;
}
