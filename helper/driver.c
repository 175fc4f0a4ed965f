/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * driver.c - the driver side of a Spark step: node 0 in cluster mode, the
 * srun host in client mode.  No Standalone Master, no Worker: the driver
 * itself is the only scheduler, through spank-spark's cluster manager
 * inside Spark (jvm/), and everything starts at once:
 *
 *   - spark-submit --master spark-slurm://... starts right away, with an
 *     event pipe on which the JVM component reports its RPC endpoint,
 *     executors registered and lost, and the UI;
 *   - executor-side helpers register (rendezvous.h) and are welcomed at
 *     once with the app id and the secret: they start their executor JVMs
 *     while the driver is still starting, and get its URL when it is up;
 *   - once every executor registered, the UI's URL is printed; when the
 *     application ends, the executors are told to stop with its status.
 * With --spark-connect the application is Spark's Connect server: once it
 * listens (on loopback, as the user) its URL and token are printed and
 * the step's command, if any, starts beside it; the step ends with that
 * command, or with a signal (scancel, the time limit).
 * A signal, srun's end (client mode) or the start-up timeout stop it all.
 */
#include "os.h"
#include "connect.h"
#include "diagnose.h"
#include "dynalloc.h"
#include "eventlog_step.h"
#include "executor_jvms.h"
#include "gpu.h"
#include "helper.h"
#include "jvm_events.h"
#include "launch.h"
#include "log.h"
#include "net.h"
#include "parse.h"
#include "proc.h"
#include "publish.h"
#include "rendezvous.h"
#include "spark.h"
#include "spark_conf.h"
#include "timeline.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum driver_state { STARTING, RUNNING, DONE };

#define LATECOMER_WAIT_MS 10000
/* As a shell says "command not found"-like: the app cannot be read. */
#define EXIT_APP_NOT_FOUND 2
#define EVENT_LINE_MAX 512
#define CONNECT_POLL_MS 250
/* A lost executor is told only if the step is not ending by then: on
 * scancel or the time limit every node stops at once, and the driver side
 * may hear of its executors' end before its own signal. */
#define LOSS_REPORT_DELAY_MS 2000

struct driver {
	struct helper *h;
	struct proto proto;
	struct rdv_server rdv;
	enum driver_state state;
	bool have_addr;
	bool encrypt;
	struct executors local; /* this node's own executors, if any */
	int local_n;
	int expected;	/* executors in all */
	int registered; /* ...that registered with the driver */
	int nodes_seen; /* registrations accepted, ever */
	int per_node;	/* executors on each node */
	int *added;	/* executors registered with Spark, per node */
	/* JVMs each node was asked to run; with dynamic allocation Spark
	 * moves it (executors-wanted, executor-kill). */
	struct dynalloc alloc;
	struct spark_dynamic dyn;
	char secret[65];
	char ui_token[65];
	char app_id[96];
	char master[64];
	char driver_url[160];
	char ui_url[256];
	struct child submit;
	int event_fd; /* the JVM component's events (a FIFO, read-write) */
	int evlog_fd; /* the event log's directory (eventlog_step.h); -1: none
		       */
	char evlog_claimed[200]; /* its file, claimed before Spark writes it */
	char event_line[EVENT_LINE_MAX];
	size_t event_len;
	bool app_started;
	bool app_ended; /* the application's end event: losses are quiet */
	/* Losses to tell at losses_at_ms, one per line, unless the step ends
	 * first. */
	char losses[1024];
	size_t losses_len;
	long losses_at_ms;
	bool interrupted; /* by a signal: Slurm ends the other tasks */
	bool node_failed; /* a node's executor side left during start-up */
	bool diagnosed;	  /* the driver's failure was said in a line */
	/* Client mode on a terminal: the application (pyspark, spark-shell)
	 * owns it, Ctrl-C included. */
	bool interactive;
	int exit_code;
	long deadline_ms;
	/* --spark-connect (common/connect.h) */
	bool connect;
	bool connect_ready;
	uint16_t connect_port;
	int connect_v6_fd; /* [::1]:connect_port, held (net.h); -1: none */
	char connect_token[65];
	char connect_url[160];
	struct child cmd; /* the step's command, beside the server */
};

static json_t *message(const struct driver *d, const char *type)
{
	return json_pack("{s:s, s:i, s:I, s:I}", "type", type, "v",
			 PROTO_VERSION, "job", (json_int_t)d->h->job, "step",
			 (json_int_t)d->h->step);
}

static void send_driver_url(struct driver *d, struct rdv_peer *p)
{
	json_t *msg = message(d, "driver");

	if (!msg ||
	    json_object_set_new(msg, "url", json_string(d->driver_url)) ||
	    rdv_server_send(&d->rdv, p, msg) < 0)
		log_error("cannot send the driver's URL to %s",
			  p ? p->host : "the executors");
	json_decref(msg);
}

static void on_register(void *arg, struct rdv_peer *p)
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
}

/* Tell a loss in LOSS_REPORT_DELAY_MS unless the step is ending by then. */
static void report_loss_later(struct driver *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void report_loss_later(struct driver *d, const char *fmt, ...)
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
static void report_losses(struct driver *d, bool ending)
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

static void on_lost(void *arg, struct rdv_peer *p)
{
	struct driver *d = arg;

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
		else
			log_error("the executor on %s left during start-up: "
				  "stopping the step",
				  p->host);
		d->node_failed = true;
	}
}

/* Port K of the driver's (common/ports.h: random, never derived from the
 * job or step), none of the K already taken.  The Connect port (HOLD_V6)
 * comes with [::1] held by this helper until the step ends: no other
 * user can listen where pyspark's client tries first ("localhost"). */
static int pick_port(struct driver *d, uint16_t *ports, size_t k, int *hold_v6,
		     bool *fallback)
{
	bool outside = false;

	if (net_pick_port(&d->h->site, ports, k, &ports[k], &outside, hold_v6) <
	    0) {
		log_error("no free port left in the site's range %u-%u nor "
			  "outside it",
			  d->h->site.port_lo, d->h->site.port_hi);
		return -1;
	}
	*fallback = *fallback || outside;
	return 0;
}

/* One --spark-verbose line when another user holds the site's range. */
static void say_fallback(const struct driver *d, const uint16_t *ports,
			 size_t n, bool fallback)
{
	char list[64] = "";

	if (!fallback && !d->rdv.fallback)
		return;
	for (size_t k = 0, off = 0; k < n && off < sizeof(list); k++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%u",
					k ? "," : "", ports[k]);
	log_verbose("the site's range %u-%u is full on %s (another user "
		    "holds it): rendezvous on %u, Spark's ports %s, outside "
		    "the range where needed",
		    d->h->site.port_lo, d->h->site.port_hi, d->h->host,
		    d->rdv.port, list);
}

/* Cluster mode with the step's GPUs: the driver JVM sees the first
 * h->gpu_driver of its node's (spark.driver.resource.gpu.amount, with its
 * resources file), else none; its node's executors, if any, split them
 * (gpu.h).  ENV: the GPU variables for the driver ([0] empty: none). */
static int driver_gpus(struct driver *d, char env[3][300], char *err,
		       size_t errlen)
{
	static const char *const names[] = {GPU_ENV_NAMES};
	struct helper *h = d->h;
	char share[256] = "", path[PATH_MAX + 32];

	for (int i = 0; i < 3; i++)
		env[i][0] = '\0';
	if (h->gpu_each <= 0 || h->role != ROLE_DRIVER)
		return 0;
	if (gpu_node(&d->local.gpus, err, errlen))
		return -1;
	d->local.gpu_each = h->gpu_each;
	if (h->gpu_driver > 0) {
		snprintf(path, sizeof(path), "%s/conf/gpus-driver.json",
			 h->step_dir);
		if (ss_gpus_share(&d->local.gpus, 0, h->gpu_driver, share,
				  sizeof(share)) ||
		    gpu_write_resources(path, "spark.driver", h->gpu_driver,
					err, errlen))
			return -1;
	}
	for (int i = 0, k = 0; i < 3; i++)
		if (i == 0 || getenv(names[i]))
			snprintf(env[k++], sizeof(env[0]), "%s=%s", names[i],
				 share);
	return 0;
}

/* The secret and UI token live only in the environment of the driver's
 * JVM and in the 0600 properties file: never argv, never a log. */
static int start_application(struct driver *d)
{
	struct helper *h = d->h;
	char err[512], conf_dir[PATH_MAX + 8], auth[96], ui[96];
	char fifo[PATH_MAX + 8], event_env[PATH_MAX + 32];
	char gpu_env[3][300];
	const char *extra[] = {auth,	   ui,	       event_env, gpu_env[0],
			       gpu_env[1], gpu_env[2], NULL};
	struct driver_conf dc = {.app_id = d->app_id,
				 .secret = d->secret,
				 .encrypt = d->encrypt,
				 .executors = d->expected,
				 .dynamic = d->dyn.enabled ? &d->dyn : NULL};
	uint16_t ports[4] = {0, 0, 0, 0};
	size_t nports = d->connect ? 4 : 3;
	bool fallback = false;
	long node_cores, node_mem;
	int rc;

	spark_node_resources(h, &node_cores, &node_mem);
	spark_executor_size(h, node_cores, node_mem, &dc.exec_cores,
			    &dc.exec_mem_mb);
	for (size_t k = 0; k < nports; k++)
		if (pick_port(d, ports, k, k == 3 ? &d->connect_v6_fd : NULL,
			      &fallback))
			return -1;
	say_fallback(d, ports, nports, fallback);
	dc.driver_port = ports[0];
	dc.block_port = ports[1];
	dc.ui_port = ports[2];
	if (d->connect) {
		d->connect_port = ports[3];
		dc.connect_port = ports[3];
		dc.connect_token = d->connect_token;
	}
	if (spark_conf_write_driver(h, &dc, err, sizeof(err)) ||
	    driver_gpus(d, gpu_env, err, sizeof(err))) {
		log_error("%s", err);
		return -1;
	}
	for (int i = 3; extra[i]; i++)
		if (!*extra[i]) {
			extra[i] = NULL;
			break;
		}
	/* The JVM component's events come through a FIFO in the 0700 step
	 * directory: its path survives launchers that close inherited
	 * descriptors (pyspark's shell).  Held open read-write, it never
	 * reports EOF or hang-up while the JVM has not opened it yet. */
	snprintf(fifo, sizeof(fifo), "%s/events", h->step_dir);
	if (mkfifo(fifo, 0600) < 0 ||
	    (d->event_fd = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0) {
		log_error("cannot make %s: %s", fifo, strerror(errno));
		return -1;
	}
	snprintf(conf_dir, sizeof(conf_dir), "%s/conf", h->step_dir);
	snprintf(auth, sizeof(auth), "_SPARK_AUTH_SECRET=%s", d->secret);
	snprintf(ui, sizeof(ui), "SPANK_SPARK_UI_TOKEN=%s", d->ui_token);
	snprintf(event_env, sizeof(event_env), "SPANK_SPARK_EVENT_PATH=%s",
		 fifo);
	/* A Connect server leaves the terminal to the step's command. */
	d->submit.same_group = d->interactive && !d->connect;
	rc = launch_submit(h, &d->submit, d->master, conf_dir, extra);
	explicit_bzero(auth, sizeof(auth));
	explicit_bzero(ui, sizeof(ui));
	if (rc < 0)
		return -1;
	timeline("driver JVM started");
	d->app_started = true;
	if (d->local_n) {
		d->local.cores = dc.exec_cores;
		d->local.heap_mb = dc.exec_mem_mb;
		if (executors_start(&d->local, d->local_n,
				    d->alloc.planned[d->local.node]) < 0)
			return -1;
	}
	return 0;
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

/* The server is up when its port listens on loopback; it is ours when
 * the listener's owner is the user and no other user listens where a
 * client of "localhost" may reach the port ([::1], ::, 0.0.0.0, mapped
 * addresses: connect.h): only then does the token go out.
 * 1 when it is, 0 not yet, -1 on an error (logged). */
static int connect_listening(struct driver *d)
{
	static const char *const tables[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	struct in_addr lo;
	uid_t owner = 0, other = 0;
	int rc = 0, foreign = 0;

	inet_pton(AF_INET, SS_CONNECT_ADDR, &lo);
	/* A JVM's socket on 127.0.0.1 is often an IPv6 one (::ffff:...). */
	for (size_t i = 0; i < 2 && rc >= 0 && foreign == 0; i++) {
		FILE *f = fopen(tables[i], "re");
		int up = 0;

		if (!f) {
			if (errno == ENOENT && i == 1)
				break; /* no IPv6 in this kernel */
			log_error("cannot read %s: %s", tables[i],
				  strerror(errno));
			return -1;
		}
		if (rc == 0)
			up = ss_tcp_listener(f, i == 1, lo, d->connect_port,
					     &owner);
		rewind(f);
		if (up >= 0)
			foreign = ss_tcp_foreign_listener(
			    f, i == 1, d->connect_port, d->h->uid, &other);
		fclose(f);
		if (up < 0 || foreign < 0) {
			log_error("cannot make sense of %s", tables[i]);
			return -1;
		}
		rc = rc ? rc : up;
	}
	if (foreign > 0 || (rc > 0 && owner != d->h->uid)) {
		log_error("another user (uid %u) listens on the Spark Connect "
			  "port %u of this host's loopback: the token is not "
			  "given out",
			  (unsigned)(foreign > 0 ? other : owner),
			  d->connect_port);
		return -1;
	}
	return rc;
}

/* The URL and its token, as publish.h says. */
static int connect_serve(struct driver *d)
{
	struct helper *h = d->h;
	char name[64], bare[64];

	if (ss_connect_url(d->connect_url, sizeof(d->connect_url),
			   SS_CONNECT_HOST, d->connect_port,
			   d->connect_token)) {
		log_error("cannot make the Spark Connect URL");
		return -1;
	}
	d->connect_ready = true;
	snprintf(name, sizeof(name), "connect-url.%u", h->step);
	snprintf(bare, sizeof(bare), "sc://%s:%u/", SS_CONNECT_HOST,
		 d->connect_port);
	if (publish_url(h, name, "Spark Connect", d->connect_url, bare))
		return -1;
	/* Both of the user's own loopbacks, or ssh fails: a client there
	 * tries [::1] first, which another user could otherwise hold.  The
	 * quotes keep a shell (zsh) from taking [::1] for a pattern. */
	if (h->role == ROLE_DRIVER)
		log_info(
		    "the Spark Connect server listens on %s's loopback: "
		    "from another host, first ssh -N -o "
		    "ExitOnForwardFailure=yes -L 127.0.0.1:%u:127.0.0.1:%u "
		    "-L '[::1]:%u:127.0.0.1:%u' %s",
		    h->host, d->connect_port, d->connect_port, d->connect_port,
		    d->connect_port, h->host);
	if (h->app_argc == 0)
		return 0;
	d->cmd.same_group = d->interactive;
	return launch_command(h, &d->cmd, d->connect_url);
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

static void all_registered(struct driver *d)
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
	int node = *end ? -1 : executor_node(n, d->per_node, (int)d->h->nnodes);

	if (d->added && node >= 0)
		d->added[node] += by;
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
static void tell_node(struct driver *d, int node, const char *type, long id)
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
	while (dynalloc_total(&d->alloc) < want &&
	       (node = dynalloc_grow(&d->alloc)) >= 0)
		tell_node(d, node, "start", 0);
}

/* Spark lets executor ID go: its node ends that JVM; its end is no loss. */
static void on_kill(struct driver *d, const char *id)
{
	char *end;
	long n = strtol(id, &end, 10);
	int node = *end ? -1 : executor_node(n, d->per_node, (int)d->h->nnodes);

	if (d->h->het_job || node < 0 || dynalloc_kill(&d->alloc, node, n))
		return;
	timeline("executor %ld let go", n);
	tell_node(d, node, "kill", n);
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

static void read_events(struct driver *d)
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

static void startup_timed_out(struct driver *d)
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

static void event_loop(struct driver *d, int signal_fd)
{
	struct helper *h = d->h;
	struct pollfd *pfd = NULL;
	size_t cap = 0;

	while (d->state != DONE) {
		size_t need = rdv_server_nfds(&d->rdv) + 3;
		nfds_t n = 0, rdv_first;
		int timeout = -1, sig;
		bool chld = false;

		if (need > cap) {
			struct pollfd *grown =
			    realloc(pfd, need * sizeof(*pfd));

			if (!grown) {
				log_error("out of memory");
				d->exit_code = EXIT_HELPER_FAILED;
				break;
			}
			pfd = grown;
			cap = need;
		}
		pfd[n++] = (struct pollfd){.fd = signal_fd, .events = POLLIN};
		pfd[n++] =
		    (struct pollfd){.fd = h->lifeline_fd, .events = POLLIN};
		pfd[n++] = (struct pollfd){.fd = d->event_fd, .events = POLLIN};
		rdv_first = n;
		n += rdv_server_pollfds(&d->rdv, pfd + n);
		if (d->state == STARTING)
			timeout = ss_ms_until(d->deadline_ms);
		/* Nothing tells when the Connect server listens: look. */
		if (d->connect && d->app_started && !d->connect_ready &&
		    (timeout < 0 || timeout > CONNECT_POLL_MS))
			timeout = CONNECT_POLL_MS;
		if (d->losses_len &&
		    (timeout < 0 || ss_ms_until(d->losses_at_ms) < timeout))
			timeout = ss_ms_until(d->losses_at_ms);
		timeout = rdv_server_timeout(&d->rdv, timeout);
		if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			d->exit_code = EXIT_HELPER_FAILED;
			break;
		}
		sig = signals_read(signal_fd, &chld);
		if (sig == SIGINT && d->interactive && d->state != DONE) {
			sig = 0; /* the shell's own Ctrl-C */
		} else if (sig) {
			log_info("%s: stopping the Spark step", strsignal(sig));
			d->interrupted = true;
			d->exit_code = 128 + sig;
			break;
		}
		if (h->lifeline_fd >= 0 && pfd[1].revents) {
			char b;

			if (read(h->lifeline_fd, &b, 1) <= 0) {
				log_verbose("srun is gone: stopping");
				d->exit_code = EXIT_HELPER_FAILED;
				break;
			}
		}
		if (d->event_fd >= 0 && pfd[2].revents)
			read_events(d);
		rdv_server_handle(&d->rdv, pfd + rdv_first, n - rdv_first);
		if (!d->app_started && d->have_addr && start_application(d)) {
			d->exit_code = EXIT_HELPER_FAILED;
			break;
		}
		if (d->connect && d->app_started && !d->connect_ready) {
			int up = connect_listening(d);

			if (up < 0 || (up > 0 && connect_serve(d) < 0)) {
				d->exit_code = EXIT_HELPER_FAILED;
				break;
			}
		}
		if (chld) {
			struct child *app[] = {&d->submit, &d->cmd};

			children_reap(app, 2);
			if (d->local_n &&
			    executors_reap(&d->local, d->state == RUNNING) &&
			    !executors_alive(&d->local)) {
				/* Each lost executor had its line. */
				log_verbose("no executor left on %s", h->host);
				d->node_failed = d->state == STARTING;
			}
		}
		if (d->cmd.started && d->cmd.pid == 0) {
			d->exit_code = child_exit_code(&d->cmd);
			log_verbose(
			    "%s ended: stopping the Spark Connect server",
			    d->cmd.name);
			break;
		}
		if (d->submit.started && d->submit.pid == 0) {
			d->exit_code = child_exit_code(&d->submit);
			if (d->exit_code) {
				/* What its standard error showed, to the end.
				 */
				child_relay_wait(&d->submit,
						 h->site.stop_timeout);
				d->diagnosed = diagnose_driver(h, &d->submit);
			}
			break;
		}
		/* Dynamic allocation may start with no executor at all. */
		if (d->state == STARTING && d->dyn.enabled &&
		    d->driver_url[0] && d->registered >= d->expected &&
		    d->rdv.registered >= d->rdv.expected)
			all_registered(d);
		if (d->state == STARTING && d->node_failed) {
			d->exit_code = EXIT_HELPER_FAILED;
			d->state = DONE;
		}
		if (d->state == STARTING && ss_now_ms() >= d->deadline_ms)
			startup_timed_out(d);
		if (d->losses_len && ss_now_ms() >= d->losses_at_ms)
			report_losses(d, d->state != RUNNING || d->app_ended);
	}
	/* The step is ending: what was lost on the way is not news. */
	report_losses(d, true);
	d->state = DONE;
	free(pfd);
}

/* The driver side failed before the application started: executors that
 * are still on their way would wait for the whole start-up timeout.  Stay
 * a little longer and answer each registration with "stop". */
static void stop_latecomers(struct driver *d, int signal_fd)
{
	long until = ss_now_ms() + LATECOMER_WAIT_MS;
	int told = rdv_server_stop(&d->rdv, d->exit_code, false);
	struct pollfd *pfd = NULL;

	while (told < d->rdv.expected && d->rdv.listen_fd >= 0 &&
	       ss_now_ms() < until) {
		size_t need = rdv_server_nfds(&d->rdv) + 1;
		struct pollfd *grown = realloc(pfd, need * sizeof(*pfd));
		bool chld = false;
		nfds_t n;

		if (!grown)
			break;
		pfd = grown;
		pfd[0] = (struct pollfd){.fd = signal_fd, .events = POLLIN};
		n = 1 + rdv_server_pollfds(&d->rdv, pfd + 1);
		if (poll(pfd, n,
			 rdv_server_timeout(&d->rdv, ss_ms_until(until))) < 0 &&
		    errno != EINTR) {
			log_error("cannot wait for the executor nodes still on "
				  "their way: %s",
				  strerror(errno));
			break;
		}
		if (signals_read(signal_fd, &chld))
			break;
		rdv_server_handle(&d->rdv, pfd + 1, n - 1);
		told += rdv_server_stop(&d->rdv, d->exit_code, false);
	}
	free(pfd);
}

/* Spark 4 ships its Connect server in $SPARK_HOME/jars; Spark 3.5's pip
 * package does not. */
static bool have_connect_jar(const struct helper *h)
{
	char jars[PATH_MAX + 8];
	struct dirent *e;
	bool found = false;
	DIR *dir;

	snprintf(jars, sizeof(jars), "%s/jars", h->site.spark_home);
	if (!(dir = opendir(jars)))
		return false;
	while (!found && (e = readdir(dir))) {
		size_t n = strlen(e->d_name);

		found = !strncmp(e->d_name, SS_CONNECT_JAR_PREFIX,
				 strlen(SS_CONNECT_JAR_PREFIX)) &&
			n > 4 && !strcmp(e->d_name + n - 4, ".jar");
	}
	closedir(dir);
	return found;
}

/* --spark-connect: the step's command is optional and any program. */
static int check_connect(const struct helper *h)
{
	char exe[PATH_MAX];

	if (!have_connect_jar(h)) {
		log_error("--spark-connect needs Spark 4: %s/jars has no "
			  "%s*.jar (Spark 3.5 has no Connect server here); "
			  "use a Spark 4 spark_home= in plugstack.conf",
			  h->site.spark_home, SS_CONNECT_JAR_PREFIX);
		return -1;
	}
	if (h->app_argc > 0 && launch_which(h->app_argv[0], exe, sizeof(exe))) {
		log_error("--spark-connect: cannot find the command %s on "
			  "PATH (it runs beside the server; sleep infinity "
			  "serves until scancel)",
			  h->app_argv[0]);
		return -1;
	}
	return 0;
}

/* A missing application is the commonest mistake: say so before any JVM
 * starts.  URLs and launcher names (spark-submit ...) are Spark's to
 * check. */
static int check_application(const struct helper *h)
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
static int plan_executors(struct driver *d, char *err, size_t errlen)
{
	struct helper *h = d->h;
	int slots = d->expected;

	if (dynalloc_init(&d->alloc, (int)h->nnodes, d->per_node)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Cluster mode: the driver's node runs executors only when local. */
	if (h->role == ROLE_DRIVER && !d->local_n)
		d->alloc.usable[0] = false;
	if (spark_conf_dynamic(h, slots, &d->dyn, err, errlen))
		return -1;
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
	if (d->dyn.wait < d->dyn.initial)
		log_verbose("start-up waits for %d of them "
			    "(spark.scheduler.minRegisteredResourcesRatio)",
			    d->dyn.wait);
	return 0;
}

static int new_token(char out[65], const char *what)
{
	if (spark_new_secret(out) == 0)
		return 0;
	log_error("cannot draw a random %s: %s", what, strerror(errno));
	return -1;
}

int run_driver(struct helper *h, int signal_fd)
{
	struct driver d = {.h = h,
			   .exit_code = EXIT_HELPER_FAILED,
			   .event_fd = -1,
			   .evlog_fd = -1,
			   .connect_v6_fd = -1};
	struct child *app[] = {&d.cmd, &d.submit};
	long epn;
	char err[512], gpu_err[512] = "";
	bool local;
	int gpu_rc;

	d.rdv = (struct rdv_server){
	    .proto = &d.proto,
	    .job = h->job,
	    .step = h->step,
	    .uid = h->uid,
	    .listen_fd = -1,
	    .expected = h->role == ROLE_CLIENT_DRIVER ? (int)h->nnodes
						      : (int)h->nnodes - 1,
	    .on_register = on_register,
	    .on_lost = on_lost,
	    .arg = &d,
	};
	d.interactive = h->role == ROLE_CLIENT_DRIVER && isatty(STDIN_FILENO);
	d.connect = h->opts.value[SS_OPT_CONNECT] != NULL;
	local = h->role == ROLE_DRIVER &&
		(h->nnodes <= 1 || h->opts.value[SS_OPT_DRIVER_EXECUTOR]);
	/* The GPUs may set the executors per node; a refusal waits until
	 * the rendezvous can tell the executor nodes to stop. */
	gpu_rc = gpu_plan(h, local, gpu_err, sizeof(gpu_err));
	epn = spark_executors_per_node(h);
	d.local_n = local ? (int)epn : 0;
	d.per_node = (int)epn;
	/* Which nodes' executors are missing, for the time-out's line; a
	 * het step's nodes may run different numbers of them. */
	if (!h->het_job)
		d.added = calloc(h->nnodes, sizeof(*d.added));
	d.expected = d.rdv.expected * (int)epn + d.local_n;
	d.local =
	    (struct executors){.h = h,
			       .node = h->node_index < 0 ? 0 : h->node_index,
			       .nodes = (int)h->nnodes,
			       .log_fd = -1};
	snprintf(d.master, sizeof(d.master), "spark-slurm://%u.%u", h->job,
		 h->step);
	if (rdv_seed(&d.rdv.seed) || spark_conf_encryption(h, &d.encrypt) ||
	    new_token(d.secret, "secret") || new_token(d.ui_token, "token") ||
	    (d.connect && new_token(d.connect_token, "Spark Connect token")))
		goto out;
	/* The id names the event log in a directory every user writes in:
	 * 128 random bits, never on a command line, keep others from
	 * knowing it, and its file is claimed before Spark opens it. */
	if (proto_init(&d.proto, h->site.munge_socket, err, sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	if (diagnose_munge(h, &d.proto))
		goto out;
	if (spark_make_dirs(h, err, sizeof(err)) ||
	    evlog_open(h, &d.evlog_fd, err, sizeof(err)) ||
	    evlog_new_app_id(h, d.evlog_fd, d.app_id, sizeof(d.app_id),
			     d.evlog_claimed, sizeof(d.evlog_claimed), err,
			     sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	/* Client mode with no address on a site network (a login host off
	 * the fabric, or no network= at all) waits for the first executor
	 * to learn which of this host's addresses the cluster reaches. */
	if (h->role == ROLE_DRIVER || h->site.have_network ||
	    h->site.interface[0]) {
		char why[256];

		if (net_local_addr(&h->site, NULL, false, h->addr, why,
				   sizeof(why), err, sizeof(err)) == 0) {
			d.have_addr = true;
			log_verbose("the driver side on %s advertises %s: %s",
				    h->host, h->addr, why);
		} else if (h->role != ROLE_CLIENT_DRIVER) {
			log_error("%s", err);
			goto out;
		}
	}
	/* On every address: the executors reach this host by its name (or
	 * srun's address), maybe on another network than Spark's; the
	 * handshake proves who answers. */
	if (rdv_server_open(&d.rdv, &h->site, NULL, err, sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	/* Checked once the rendezvous is open: executors on their way are
	 * then told to stop at once (stop_latecomers). */
	if (check_application(h)) {
		d.exit_code = EXIT_APP_NOT_FOUND;
		goto out;
	}
	if (gpu_rc) {
		log_error("%s", gpu_err);
		goto out;
	}
	/* The executors' own settings, for every executor of the step. */
	if (!(d.local.conf = spark_conf_executor(h, err, sizeof(err)))) {
		log_error("%s", err);
		goto out;
	}
	if (plan_executors(&d, err, sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	memcpy(d.local.app_id, d.app_id, sizeof(d.app_id));
	memcpy(d.local.secret, d.secret, sizeof(d.secret));
	d.local.encrypt = d.encrypt;
	log_verbose("driver side of job %u step %u: rendezvous on port %u, "
		    "expecting %d executor(s) on %d node(s)",
		    h->job, h->step, d.rdv.port, d.expected,
		    d.rdv.expected + (local ? 1 : 0));
	d.deadline_ms = ss_now_ms() + h->site.startup_timeout * 1000;
	d.state = STARTING;
	if (d.have_addr && start_application(&d)) {
		d.exit_code = EXIT_HELPER_FAILED;
		goto out;
	}
	event_loop(&d, signal_fd);
out:
	/* The driver first, executors after it: stopping, Spark completes
	 * the event log (SparkContext.stop in its shutdown hook). */
	children_stop(app, 2, h->site.stop_timeout);
	/* The loop may have ended first (the application's end event): the
	 * driver's own OutOfMemoryError is known once its filter ended. */
	if (d.exit_code && !d.diagnosed && d.submit.err_oom && !d.interrupted)
		diagnose_driver(h, &d.submit);
	evlog_finish(h, d.evlog_fd, d.app_id, d.evlog_claimed, d.app_started);
	if (d.evlog_fd >= 0)
		close(d.evlog_fd);
	/* Nodes still on their way would wait for the whole start-up
	 * timeout: tell them to stop too. */
	if (!d.interrupted && d.nodes_seen < d.rdv.expected)
		stop_latecomers(&d, signal_fd);
	rdv_server_stop(&d.rdv, d.exit_code, true);
	executors_stop(&d.local);
	rdv_server_close(&d.rdv);
	if (d.event_fd >= 0)
		close(d.event_fd);
	if (d.connect_v6_fd >= 0)
		close(d.connect_v6_fd);
	explicit_bzero(d.secret, sizeof(d.secret));
	explicit_bzero(d.ui_token, sizeof(d.ui_token));
	explicit_bzero(d.connect_token, sizeof(d.connect_token));
	explicit_bzero(d.connect_url, sizeof(d.connect_url));
	spark_remove_dirs(h);
	if (h->log_dir_fd >= 0)
		close(h->log_dir_fd);
	proto_fini(&d.proto);
	free(d.added);
	dynalloc_fini(&d.alloc);
	return d.exit_code;
}
