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
 *
 * This file is the role's spine: run_driver, starting the application,
 * the event loop and stopping the executors.  The rest, one job a file
 * (struct driver and what they share: driver_int.h): driver_peers.c (the
 * executor sides over the rendezvous), driver_events.c (the JVM
 * component's events), driver_connect.c (--spark-connect),
 * driver_preflight.c (the checks before any JVM) and driver_timeout.c (the
 * start-up time-out).
 */

#include "driver_int.h"
#include "os.h"
#include "diagnose.h"
#include "eventlog_step.h"
#include "gpu.h"
#include "launch.h"
#include "log.h"
#include "net.h"
#include "spark.h"
#include "timeline.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* A poll timeout of TIMEOUT (-1: none) cut to reach AT_MS (monotonic),
 * plus SLACK_MS so that the deadline has passed when poll returns. */
static int sooner(int timeout, long at_ms, int slack_ms)
{
	int until = ss_ms_until(at_ms) + slack_ms;

	return timeout < 0 || until < timeout ? until : timeout;
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
		if (d->losses_len)
			timeout = sooner(timeout, d->losses_at_ms, 0);
		if (d->left_at_ms)
			timeout = sooner(timeout, d->left_at_ms, 0);
		/* sbatch refused a join job: try again then. */
		if (d->elastic && d->join_retry_ms > ss_now_ms())
			timeout = sooner(timeout, d->join_retry_ms, 1);
		if (d->elastic && d->join_check_ms)
			timeout = sooner(timeout, d->join_check_ms, 1);
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
		if (d->state == STARTING && d->left_at_ms &&
		    ss_now_ms() >= d->left_at_ms) {
			log_error("the executor on %s left during start-up: "
				  "stopping the step",
				  d->left_host);
			d->node_failed = true;
		}
		if (d->state == STARTING && d->node_failed) {
			d->exit_code = EXIT_HELPER_FAILED;
			d->state = DONE;
		}
		if (d->state == STARTING && ss_now_ms() >= d->deadline_ms)
			startup_timed_out(d);
		if (d->elastic && d->join_retry_ms &&
		    ss_now_ms() >= d->join_retry_ms) {
			d->join_retry_ms = 0;
			elastic_wanted(d);
		}
		if (d->elastic && d->join_check_ms &&
		    ss_now_ms() >= d->join_check_ms)
			elastic_check_pending(d);
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
void stop_latecomers(struct driver *d, int signal_fd)
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
		d.added = calloc((size_t)helper_id_nodes(h), sizeof(*d.added));
	d.expected = d.rdv.expected * (int)epn + d.local_n;
	d.local =
	    (struct executors){.h = h,
			       .node = h->node_index < 0 ? 0 : h->node_index,
			       .nodes = helper_id_nodes(h),
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
	elastic_end(&d);
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
