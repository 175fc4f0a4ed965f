/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * driver_peers.c - the driver side's executor-side helpers over the
 * rendezvous (rendezvous.h): welcoming each node as it registers, telling it
 * the driver's URL and to start or stop an executor JVM, and its leaving.
 */

#include "driver_int.h"
#include "gpu.h"
#include "log.h"
#include "os.h"
#include "timeline.h"

#include <stdio.h>
#include <string.h>

static json_t *message(const struct driver *d, const char *type)
{
	return json_pack("{s:s, s:i, s:I, s:I}", "type", type, "v",
			 PROTO_VERSION, "job", (json_int_t)d->h->job, "step",
			 (json_int_t)d->h->step);
}

void send_driver_url(struct driver *d, struct rdv_peer *p)
{
	json_t *msg = message(d, "driver");

	if (!msg ||
	    json_object_set_new(msg, "url", json_string(d->driver_url)) ||
	    rdv_server_send(&d->rdv, p, msg) < 0)
		log_error("cannot send the driver's URL to %s",
			  p ? p->host : "the executors");
	json_decref(msg);
}

void on_register(void *arg, struct rdv_peer *p)
{
	struct driver *d = arg;
	json_t *msg;

	/* The driver side refused the step before it read the executors'
	 * settings (the application, the GPUs): no welcome, the node is told
	 * to stop (stop_latecomers). */
	if (!d->local.conf) {
		log_verbose("executor node %s registered as the step ends",
			    p->host);
		return;
	}
	elastic_registered(d, p);
	msg = message(d, "welcome");
	log_verbose("executor node %s (%s) registered: %ld cores, %ld MiB",
		    p->host, p->from, p->cores, p->memory_mb);
	d->nodes_seen++;
	if (d->nodes_seen == d->rdv.expected)
		timeline("rendezvous complete: %d node(s)", d->nodes_seen);
	/* Client mode without a site network: our address is the one the
	 * executors reached us on. */
	if (!d->have_addr && p->local[0]) {
		snprintf(d->h->addr, sizeof(d->h->addr), "%s", p->local);
		d->have_addr = true;
		log_verbose("the driver side on %s advertises %s: the address "
			    "executor node %s reached it on%s",
			    d->h->host, d->h->addr, p->host,
			    d->h->site.have_network || d->h->site.interface[0]
				? " (none of its addresses is on the site's "
				  "network)"
				: " (no network= or interface= in "
				  "plugstack.conf)");
	}
	if (!msg ||
	    json_object_set_new(
		msg, "start",
		json_integer(p->node >= 0 && p->node < d->alloc.nodes
				 ? d->alloc.planned[p->node]
				 : 0)) ||
	    json_object_set_new(msg, "app_id", json_string(d->app_id)) ||
	    (elastic_is_join(d, p->node) &&
	     json_object_set_new(msg, "gen_base",
				 json_integer(elastic_gen_base(d, p->node)))) ||
	    json_object_set_new(msg, "secret", json_string(d->secret)) ||
	    json_object_set_new(msg, "encrypt", json_boolean(d->encrypt)) ||
	    json_object_set(msg, "executor_conf", d->local.conf) ||
	    (d->h->gpu_each > 0 &&
	     json_object_set_new(msg, "gpus", gpu_welcome(d->h))) ||
	    rdv_server_send(&d->rdv, p, msg) < 0)
		log_error("cannot welcome the executor node %s", p->host);
	else if (d->driver_url[0])
		send_driver_url(d, p);
	json_decref(msg);
	/* A join node runs what Spark still wants; if that is nothing any
	 * more, it ends at once. */
	if (elastic_is_join(d, p->node)) {
		grow_to_want(d);
		elastic_node_idle(d, p->node);
	}
}

void on_lost(void *arg, struct rdv_peer *p)
{
	struct driver *d = arg;

	if (elastic_lost(d, p))
		return;
	if (d->state == RUNNING && p->leaving)
		log_verbose("the executor on %s is ending (a signal)", p->host);
	else if (d->state == RUNNING)
		report_loss_later(d,
				  "lost the executor on %s; Spark reschedules "
				  "its tasks",
				  p->host);
	else if (d->state == STARTING) {
		/* It will not come back: waiting ends only at the time-out. */
		if (p->failed || p->leaving)
			log_verbose("the executor side on %s %s during "
				    "start-up: stopping the step",
				    p->host,
				    p->failed ? "failed" : "was ended");
		else if (!d->left_at_ms) {
			/* Said in a while: Slurm ending the step (a task
			 * that failed elsewhere) kills every helper. */
			snprintf(d->left_host, sizeof(d->left_host), "%s",
				 p->host);
			d->left_at_ms = ss_now_ms() + LOSS_REPORT_DELAY_MS;
			return;
		}
		d->node_failed = true;
	}
}

/* The registered executor side of NODE, or NULL. */
static struct rdv_peer *node_peer(struct driver *d, int node)
{
	for (size_t i = 0; i < d->rdv.npeers; i++)
		if (d->rdv.peers[i].registered && d->rdv.peers[i].node == node)
			return &d->rdv.peers[i];
	return NULL;
}

/* Tell NODE's executor side to start one more JVM (TYPE "start") or to
 * end executor ID (TYPE "kill").  A node not registered yet learns its
 * count from its welcome; this node's own JVMs are ours. */
void tell_node(struct driver *d, int node, const char *type, long id)
{
	struct rdv_peer *p;
	json_t *msg;

	if (d->local_n && node == d->local.node) {
		if (!d->local.e)
			return; /* started with the application */
		if (!strcmp(type, "start"))
			executors_add(&d->local, 1);
		else if (executors_kill(&d->local, id) < 0)
			log_verbose("executor %ld to end is already gone", id);
		return;
	}
	if (!(p = node_peer(d, node)))
		return;
	msg = message(d, type);
	if (!msg ||
	    (!strcmp(type, "start")
		 ? json_object_set_new(msg, "count", json_integer(1))
		 : json_object_set_new(msg, "id", json_integer(id))) ||
	    rdv_server_send(&d->rdv, p, msg) < 0)
		log_error("cannot tell the executor node %s to %s an executor",
			  p->host, type);
	json_decref(msg);
}
