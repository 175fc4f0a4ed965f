/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * driver_events.c - the JVM component's events (jvm_events.h) on the driver
 * side: reading its pipe, counting executors registered and lost (the
 * losses told a little later), dynamic allocation's wants and kills, and
 * the UI's URL once every executor registered.
 */

#include "driver_int.h"
#include "os.h"
#include "eventlog_step.h"
#include "jvm_events.h"
#include "log.h"
#include "net.h"
#include "publish.h"
#include "timeline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Tell a loss in LOSS_REPORT_DELAY_MS unless the step is ending by then. */
void report_loss_later(struct driver *d, const char *fmt, ...)
{
	size_t room = sizeof(d->losses) - d->losses_len;
	va_list ap;
	int n;

	if (d->state != RUNNING || d->app_ended)
		return;
	if (!d->losses_len)
		d->losses_at_ms = ss_now_ms() + LOSS_REPORT_DELAY_MS;
	va_start(ap, fmt);
	n = vsnprintf(d->losses + d->losses_len, room, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n + 1 < room) {
		d->losses_len += (size_t)n;
		d->losses[d->losses_len++] = '\n';
	}
	d->losses[d->losses_len] = '\0';
}

/* The pending losses: told while the step runs on, else only logged. */
void report_losses(struct driver *d, bool ending)
{
	for (char *save = NULL, *line = strtok_r(d->losses, "\n", &save);
	     line && d->losses_len; line = strtok_r(NULL, "\n", &save))
		if (ending)
			log_verbose("%s (as the step ended)", line);
		else
			log_info("%s", line);
	d->losses_len = 0;
	d->losses[0] = '\0';
}

/* The UI refuses anyone without the step's token (jvm/UiAuthFilter). */
static void print_ui(struct driver *d)
{
	char name[64], url[512];

	if (!d->ui_url[0])
		return;
	snprintf(url, sizeof(url), "%s/?spank-spark-token=%s", d->ui_url,
		 d->ui_token);
	snprintf(name, sizeof(name), "ui-url.%u", d->h->step);
	publish_url(d->h, name, "application UI", url, d->ui_url);
	explicit_bzero(url, sizeof(url));
}

/* "node1,node2": the nodes whose executors registered, in step order
 * (a het step's: the executor components' nodes). */
static void executor_hosts(const struct driver *d, char *out, size_t outlen)
{
	size_t off = 0;

	out[0] = '\0';
	for (int node = 0; node < (int)d->h->nnodes && off < outlen; node++)
		for (size_t i = 0; i < d->rdv.npeers; i++) {
			const struct rdv_peer *p = &d->rdv.peers[i];

			if (!p->registered || p->node != node)
				continue;
			off += (size_t)snprintf(out + off, outlen - off, "%s%s",
						off ? "," : "", p->host);
			break;
		}
}

void all_registered(struct driver *d)
{
	char hosts[1024];

	d->state = RUNNING;
	timeline("all %d executor(s) registered", d->expected);
	executor_hosts(d, hosts, sizeof(hosts));
	log_verbose("start-up done: driver %s, %d executor(s) on %s%s",
		    d->h->host, d->expected, hosts,
		    d->local_n ? (hosts[0] ? " and the driver's node"
					   : "the driver's node")
			       : "");
	print_ui(d);
}

/* Executor ID (a decimal string) registered (BY 1) or left (-1). */
static void count_executor(struct driver *d, const char *id, int by)
{
	char *end;
	long n = strtol(id, &end, 10);
	int node = *end ? -1 : executor_node(n, d->per_node, d->alloc.nodes);

	if (d->added && node >= 0 && node < d->alloc.nodes)
		d->added[node] += by;
}

/* Spark wants COUNT executors in all (dynamic allocation, or the
 * application's SparkContext.requestExecutors): start what is missing,
 * within the step; a lower count ends none (Spark names those it lets
 * go).  Not in a het step, whose nodes run different numbers. */
static void on_wanted(struct driver *d, const char *count)
{
	char *end;
	long want = strtol(count, &end, 10);
	int node;

	if (d->h->het_job || *end || want < 0)
		return;
	if (want > d->dyn.max)
		want = d->dyn.max;
	d->want = (int)want;
	while (dynalloc_total(&d->alloc) < want &&
	       (node = dynalloc_grow(&d->alloc)) >= 0)
		tell_node(d, node, "start", 0);
	elastic_wanted(d);
}

void grow_to_want(struct driver *d)
{
	char count[16];

	snprintf(count, sizeof(count), "%d", d->want);
	on_wanted(d, count);
}

/* Spark lets executor ID go: its node ends that JVM; its end is no loss. */
static void on_kill(struct driver *d, const char *id)
{
	char *end;
	long n = strtol(id, &end, 10);
	int node = *end ? -1 : executor_node(n, d->per_node, d->alloc.nodes);

	if (d->h->het_job || node < 0 || dynalloc_kill(&d->alloc, node, n))
		return;
	timeline("executor %ld let go", n);
	tell_node(d, node, "kill", n);
	elastic_node_idle(d, node);
}

/* One line of the JVM component (jvm_events.h). */
static void on_event(struct driver *d, char *line)
{
	struct jvm_event ev;

	jvm_event_parse(line, &ev);
	switch (ev.type) {
	case JVM_EVENT_DRIVER:
		snprintf(d->driver_url, sizeof(d->driver_url),
			 "spark://CoarseGrainedScheduler@%s:%s", ev.host,
			 ev.port);
		if (!net_valid_driver_url(d->driver_url)) {
			log_error("the driver reported an unusable endpoint");
			d->driver_url[0] = '\0';
			return;
		}
		log_verbose("driver up at %s", d->driver_url);
		timeline("driver RPC endpoint up");
		if (d->rdv.registered)
			send_driver_url(d, NULL);
		if (d->local_n)
			executors_set_driver(&d->local, d->driver_url);
		break;
	case JVM_EVENT_APP_START:
		timeline("SparkContext up");
		evlog_started(d->h, d->app_id);
		break;
	case JVM_EVENT_UI:
		snprintf(d->ui_url, sizeof(d->ui_url), "%s", ev.url);
		if (d->state == RUNNING)
			print_ui(d);
		break;
	case JVM_EVENT_EXECUTOR_ADDED:
		d->registered++;
		count_executor(d, ev.id, 1);
		timeline("executor %s registered (%s)", ev.id, ev.host);
		if (d->state == STARTING)
			log_info("%d/%d executors registered", d->registered,
				 d->expected);
		if (d->state == STARTING && d->registered >= d->expected)
			all_registered(d);
		break;
	case JVM_EVENT_EXECUTOR_REMOVED:
		d->registered--;
		count_executor(d, ev.id, -1);
		if (dynalloc_take_killed(&d->alloc, strtol(ev.id, NULL, 10)))
			log_verbose("executor %s ended: Spark let it go "
				    "(dynamic allocation)",
				    ev.id);
		else if (ev.reason && strstr(ev.reason, "ecommission"))
			log_verbose("executor %s ended: decommissioned (%s)",
				    ev.id, ev.reason);
		else
			report_loss_later(
			    d, "Spark lost executor %s: %s", ev.id,
			    ev.reason ? ev.reason : "no reason given");
		break;
	case JVM_EVENT_EXECUTORS_WANTED:
		on_wanted(d, ev.count);
		break;
	case JVM_EVENT_EXECUTOR_KILL:
		on_kill(d, ev.id);
		break;
	case JVM_EVENT_TASK_START:
		timeline("first task launched");
		break;
	case JVM_EVENT_TASK_END:
		timeline("first task finished");
		break;
	case JVM_EVENT_APP_END:
		d->app_ended = true;
		break;
	case JVM_EVENT_UNKNOWN:
		break;
	}
}

void read_events(struct driver *d)
{
	char buf[1024];
	ssize_t n;

	while ((n = read(d->event_fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (d->event_len < sizeof(d->event_line) - 1)
					d->event_line[d->event_len++] = buf[i];
				continue;
			}
			d->event_line[d->event_len] = '\0';
			on_event(d, d->event_line);
			d->event_len = 0;
		}
	if (n == 0) {
		close(d->event_fd);
		d->event_fd = -1;
	}
}
