/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * executor_side.c - the executor side of a Spark step: this node's executor
 * JVMs, children of the helper inside the Slurm task.
 *
 * Find the driver (cluster mode: the step's first node; client mode: the
 * host srun runs on, as slurmd saw it), register, receive the app id and
 * the secret, start the executor JVMs at once (they wait for the driver's
 * URL), then hold the connection: "driver" carries the URL, "stop" the
 * application's exit status, which this task exits with (in client mode
 * that is how it becomes srun's); a closed connection means the driver is
 * gone, and the executors go too.
 */
#include "os.h"
#include "diagnose.h"
#include "executor_jvms.h"
#include "gpu.h"
#include "het.h"
#include "helper.h"
#include "log.h"
#include "net.h"
#include "proc.h"
#include "rendezvous.h"
#include "spark.h"
#include "spark_conf.h"
#include "slurm_cmd.h"
#include "elastic.h"

#include <errno.h>
#include <signal.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where the driver side listens; *CLIENT: in client mode (srun's host). */
static int driver_address(const struct helper *h, char addr[INET_ADDRSTRLEN],
			  bool *client)
{
	char first[256];
	const char *v;
	enum ss_mode mode = SS_MODE_CLUSTER;

	if (h->opts.value[SS_OPT_MODE])
		ss_parse_mode(h->opts.value[SS_OPT_MODE], &mode);
	*client = mode == SS_MODE_CLIENT;
	if (mode == SS_MODE_CLIENT) {
		/* srun's address as this node's slurmd saw it: right even
		 * when the login host's name does not resolve here. */
		v = getenv("SLURM_LAUNCH_NODE_IPADDR");
		if (!v || !*v) {
			log_error("SLURM_LAUNCH_NODE_IPADDR is not set: cannot "
				  "find srun's host");
			return -1;
		}
		snprintf(addr, INET_ADDRSTRLEN, "%s", v);
		return 0;
	}
	/* A het step's node list is every component's, sorted: the driver
	 * is the first component's first node (common/het.h). */
	if (h->het_job) {
		char err[256];

		if (ss_het_driver_host(ss_process_getenv, NULL, first,
				       sizeof(first), err, sizeof(err))) {
			log_error("%s", err);
			return -1;
		}
	} else if (!(v = getenv("SLURM_STEP_NODELIST")) ||
		   ss_hostlist_first(v, first, sizeof(first)) < 0) {
		log_error("cannot read the step's first node from "
			  "SLURM_STEP_NODELIST");
		return -1;
	}
	if (net_resolve(first, addr) < 0) {
		log_error("cannot resolve the driver node %s", first);
		return -1;
	}
	return 0;
}

/* The welcome carries only what we expect, checked: it came from the job
 * owner's uid, but it still never writes a file or a command line as it
 * is. */
int executor_take_welcome(struct executors *x, json_t *welcome)
{
	const char *app = json_string_value(json_object_get(welcome, "app_id"));
	const char *secret =
	    json_string_value(json_object_get(welcome, "secret"));
	json_t *enc = json_object_get(welcome, "encrypt");
	json_t *conf = json_object_get(welcome, "executor_conf");
	char err[256];

	if (conf && spark_conf_executor_check(conf, err, sizeof(err))) {
		log_error("the driver's welcome is malformed: %s", err);
		return -1;
	}
	if (!app || !*app || strlen(app) >= sizeof(x->app_id) ||
	    strspn(app, "abcdefghijklmnopqrstuvwxyz0123456789.-") !=
		strlen(app) ||
	    !secret || strlen(secret) != 64 ||
	    strspn(secret, "0123456789abcdef") != 64 || !json_is_boolean(enc)) {
		log_error("the driver's welcome is malformed");
		return -1;
	}
	snprintf(x->app_id, sizeof(x->app_id), "%s", app);
	memcpy(x->secret, secret, 65);
	x->encrypt = json_is_true(enc);
	json_decref(x->conf);
	x->conf = json_incref(conf);
	return 0;
}

/* A join job's helper (--spark-elastic): the driver side's address and
 * port come from the join file; REG carries the application's token.
 * Tries until DEADLINE_MS like rdv_register. */
static int join_driver(struct helper *h, struct proto *proto, json_t *reg,
		       long deadline_ms, int signal_fd, json_t **welcome,
		       char *err, size_t errlen)
{
	int answered = 0;

	for (;;) {
		struct pollfd pfd = {.fd = signal_fd, .events = POLLIN};
		bool chld = false;
		int fd, rc;

		err[0] = '\0';
		rc = rdv_join(proto, h->join_addr, h->join_port,
			      RDV_HELLO_TIMEOUT_MS, reg, h->job, h->step,
			      welcome, &fd, err, errlen);
		if (rc == 0)
			return fd;
		if (rc == RDV_DRIVER_STOP)
			return rc;
		/* Something answered but did not welcome us (another user's
		 * application, a wrong token): trying on does not help. */
		if (err[0] && ++answered >= 2)
			return RDV_TIMED_OUT;
		if (ss_now_ms() >= deadline_ms)
			return RDV_TIMED_OUT;
		if (poll(&pfd, 1, 1000) > 0 && signals_read(signal_fd, &chld))
			return RDV_INTERRUPTED;
	}
}

/* The welcome's first executor start count of a join node: a node of the
 * same slot may have run before, its ids are not to be used again. */
static int welcome_gen_base(json_t *welcome)
{
	json_int_t g = json_integer_value(json_object_get(welcome, "gen_base"));

	return g > 0 && g < 1000000000 ? (int)g : 0;
}

/* How many of the node's N executors start at once: the welcome's
 * "start" (dynamic allocation: maybe fewer, or none), all without it. */
static int welcome_start(json_t *welcome, int n)
{
	json_t *v = json_object_get(welcome, "start");
	json_int_t k = json_integer_value(v);

	if (!json_is_integer(v) || k < 0 || k > n)
		return n;
	return (int)k;
}

/* A join job's helper: when Slurm ends its job (squeue's time left), less
 * the site's elastic_decommission; 0: never (no limit, or not known). */
static long decommission_at(const struct helper *h)
{
	char jobid[16], out[256], err[256];
	char *argv[] = {"squeue", "-h", "-j", jobid, "-o", "%L", NULL};
	long left;
	int rc;

	if (h->role != ROLE_JOIN)
		return 0;
	snprintf(jobid, sizeof(jobid), "%u", h->join_job);
	rc = slurm_cmd(argv, NULL, out, sizeof(out), 30000, err, sizeof(err));
	out[strcspn(out, "\n")] = '\0';
	left = rc == 0 ? elastic_parse_time(out) : -2;
	if (left == ELASTIC_UNLIMITED)
		return 0;
	if (left < 0) {
		log_info("cannot ask Slurm when join job %s ends (%s): its "
			 "executors are not decommissioned before it",
			 jobid, rc < 0 ? err : out);
		return 0;
	}
	log_verbose("join job %s ends in %ld s: its executors are "
		    "decommissioned %ld s before (elastic_decommission)",
		    jobid, left, h->site.elastic_decommission);
	left -= h->site.elastic_decommission;
	return ss_now_ms() + (left > 0 ? left : 0) * 1000;
}

/* Wait for the driver's URL, stop, the driver's loss or a signal; keep the
 * executors running meanwhile (a join job's: until they are decommissioned
 * before its time limit).  Returns the exit status. */
static int hold(struct helper *h, struct proto *proto, int fd,
		struct executors *x, int signal_fd)
{
	char err[256];
	bool running = true;
	long decommission = decommission_at(h);

	for (;;) {
		struct pollfd pfd[2] = {
		    {.fd = signal_fd, .events = POLLIN},
		    {.fd = fd, .events = POLLIN},
		};
		bool chld = false;
		const char *type, *url;
		json_int_t count;
		int sig, status;
		json_t *msg;

		if (poll(pfd, 2,
			 decommission ? ss_ms_until(decommission) : -1) < 0 &&
		    errno != EINTR)
			return EXIT_HELPER_FAILED;
		/* Spark's executors take SIGPWR as "decommission": no new
		 * task, blocks moved, then they exit on their own. */
		if (decommission && ss_now_ms() >= decommission) {
			log_info("join job %u reaches its time limit in %ld s: "
				 "decommissioning its %d executor(s) on %s",
				 h->join_job, h->site.elastic_decommission,
				 executors_signal(x, SIGPWR), h->host);
			decommission = 0;
			running = false;
			if (!executors_alive(x)) {
				if (write(fd, &(char){RDV_LEAVING}, 1) < 0)
					log_verbose("could not tell the driver "
						    "that this node ends");
				return 0;
			}
		}
		if ((sig = signals_read(signal_fd, &chld))) {
			/* A requested ending: the driver side stays quiet
			 * about losing this node. */
			if (write(fd, &(char){RDV_LEAVING}, 1) < 0)
				log_verbose("could not tell the driver that "
					    "a signal ends this node");
			return 128 + sig;
		}
		if (chld && !running) {
			executors_reap(x, false);
			if (!executors_alive(x)) {
				log_verbose("join job %u: its executors were "
					    "decommissioned; it ends",
					    h->join_job);
				if (write(fd, &(char){RDV_LEAVING}, 1) < 0)
					log_verbose("could not tell the driver "
						    "that this node ends");
				return 0;
			}
		}
		if (chld && running && executors_reap(x, running) &&
		    !executors_alive(x)) {
			/* Each lost executor had its line (diagnose.h). */
			log_verbose("no executor left on %s; see %s", h->host,
				    h->log_dir);
			if (write(fd, &(char){RDV_FAILED}, 1) < 0)
				log_verbose("could not tell the driver that "
					    "this node failed");
			return EXIT_HELPER_FAILED;
		}
		if (!pfd[1].revents)
			continue;
		msg = rdv_expect(proto, fd, NULL, h->job, h->step, 5000, err,
				 sizeof(err));
		if (!msg) {
			log_error("lost contact with the driver; stopping the "
				  "executor on %s",
				  h->host);
			return EXIT_HELPER_FAILED;
		}
		type = json_string_value(json_object_get(msg, "type"));
		url = json_string_value(json_object_get(msg, "url"));
		count = json_integer_value(json_object_get(msg, "count"));
		if (!strcmp(type, "stop")) {
			status = (int)json_integer_value(
			    json_object_get(msg, "status"));
			json_decref(msg);
			log_verbose("driver says stop (status %d)", status);
			return status & 0xff;
		}
		if (!strcmp(type, "driver") && url && net_valid_driver_url(url))
			executors_set_driver(x, url);
		else if (!strcmp(type, "start") && count >= 1 &&
			 count <= x->n && !running)
			log_verbose("no new executor on %s: it is being "
				    "decommissioned",
				    h->host);
		else if (!strcmp(type, "start") && count >= 1 && count <= x->n)
			executors_add(x, (int)count);
		else if (!strcmp(type, "kill") &&
			 json_is_integer(json_object_get(msg, "id"))) {
			long id = (long)json_integer_value(
			    json_object_get(msg, "id"));

			if (executors_kill(x, id) < 0)
				log_verbose("executor %ld to end is already "
					    "gone",
					    id);
		} else
			log_error("ignored a message from the driver");
		json_decref(msg);
	}
}

int run_executor(struct helper *h, int signal_fd)
{
	struct proto proto = {0};
	struct executors x = {.h = h,
			      .node = h->node_index,
			      .nodes = helper_id_nodes(h),
			      .log_fd = -1};
	char driver[INET_ADDRSTRLEN], err[512], why[256];
	long cores, mem, n;
	bool client = false;
	json_t *reg = NULL, *welcome = NULL;
	int fd = -1, status = EXIT_HELPER_FAILED;
	uint64_t seed = 0;

	if (h->role != ROLE_JOIN && rdv_seed(&seed))
		return status;
	spark_node_resources(h, &cores, &mem);
	if (access(h->site.jar, R_OK) < 0) {
		log_error("cannot read spank-spark's jar %s on %s: %s (jar= in "
			  "plugstack.conf)",
			  h->site.jar, h->host, strerror(errno));
		goto out;
	}
	if (proto_init(&proto, h->site.munge_socket, err, sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	if (diagnose_munge(h, &proto))
		goto out;
	if (spark_make_dirs(h, err, sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	if (h->role == ROLE_JOIN)
		snprintf(driver, sizeof(driver), "%s", h->join_addr);
	else if (driver_address(h, driver, &client) < 0)
		goto out;
	if (net_local_addr(&h->site, driver, client, h->addr, why, sizeof(why),
			   err, sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	log_verbose("the executor side on %s advertises %s: %s", h->host,
		    h->addr, why);
	reg = json_pack("{s:s, s:i, s:I, s:I, s:i, s:s, s:I, s:I}", "type",
			"register", "v", PROTO_VERSION, "job",
			(json_int_t)h->job, "step", (json_int_t)h->step, "node",
			h->node_index, "host", h->host, "cores",
			(json_int_t)cores, "memory_mb", (json_int_t)mem);
	if (!reg ||
	    (h->role == ROLE_JOIN &&
	     json_object_set_new(reg, "token", json_string(h->join_token))))
		goto out;
	log_verbose("registering with the driver at %s", driver);
	if (h->role == ROLE_JOIN)
		fd = join_driver(h, &proto, reg,
				 ss_now_ms() + h->site.startup_timeout * 1000,
				 signal_fd, &welcome, err, sizeof(err));
	else
		fd = rdv_register(&proto, &h->site, seed, driver, h->job,
				  h->step, reg,
				  ss_now_ms() + h->site.startup_timeout * 1000,
				  signal_fd, &welcome, err, sizeof(err));
	if (fd == RDV_INTERRUPTED)
		goto out;
	if (fd == RDV_DRIVER_STOP) {
		status = (int)json_integer_value(
			     json_object_get(welcome, "status")) &
			 0xff;
		log_verbose("the driver side failed (status %d): stopping",
			    status);
		goto out;
	}
	if (fd < 0 && h->role == ROLE_JOIN) {
		log_error("the driver side at %s:%u did not let this join job "
			  "in (%s): a join job joins only its own user's "
			  "application, with the join file its driver side "
			  "wrote",
			  driver, h->join_port, err);
		goto out;
	}
	if (fd < 0) {
		log_error("could not join the driver at %s within %lds: %s",
			  driver, h->site.startup_timeout, err);
		goto out;
	}
	net_keepalive(fd);
	if (executor_take_welcome(&x, welcome))
		goto out;
	/* The driver side's GPU plan, checked against this node's GPUs: it
	 * may set the executors per node. */
	if (gpu_take(h, json_object_get(welcome, "gpus"), &x.gpus, err,
		     sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	x.gpu_each = h->gpu_each;
	x.gen_base = welcome_gen_base(welcome);
	n = spark_executors_per_node(h);
	spark_executor_size(h, cores, mem, &x.cores, &x.heap_mb);
	/* At once: the JVMs load Spark while the driver starts. */
	if (executors_start(&x, (int)n, welcome_start(welcome, (int)n)) < 0)
		goto out;
	status = hold(h, &proto, fd, &x, signal_fd);
	diagnose_node_end(h, x.log_name, x.log_start, status != 0);
out:
	executors_stop(&x);
	if (fd >= 0)
		close(fd);
	json_decref(reg);
	json_decref(welcome);
	spark_remove_dirs(h);
	proto_fini(&proto);
	return status;
}
