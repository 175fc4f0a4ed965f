/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * executor.c - the executor side of a Spark step: one Spark Worker on this
 * node, joined to the step's Master.
 *
 * Find the driver (cluster mode: the step's first node; client mode: the
 * host srun runs on, as slurmd saw it), register, receive the master URL
 * and the secret, start the Worker, then hold the connection: "stop"
 * carries the application's exit status, which this task exits with (in
 * client mode that is how it becomes srun's); a closed connection means
 * the driver is gone, and the Worker goes too.
 */
#include "helper.h"
#include "log.h"
#include "net.h"
#include "proc.h"
#include "rendezvous.h"
#include "spark.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where the driver side listens. */
static int driver_address(const struct helper *h, char addr[INET_ADDRSTRLEN])
{
	char first[256];
	const char *v;
	enum ss_mode mode = SS_MODE_CLUSTER;

	if (h->opts.value[SS_OPT_MODE])
		ss_parse_mode(h->opts.value[SS_OPT_MODE], &mode);
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
	v = getenv("SLURM_STEP_NODELIST");
	if (!v || ss_hostlist_first(v, first, sizeof(first)) < 0) {
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

static void on_worker_line(void *arg, const char *line)
{
	(void)arg;
	if (strstr(line, "Successfully registered with master"))
		log_verbose("Worker registered with the master");
}

static int start_worker(struct helper *h, json_t *welcome, struct child *worker,
			long cores, long mem_mb)
{
	uint32_t seed =
	    h->job * 7919U + h->step * 31U + (uint32_t)h->node_index * 577U;
	const char *master =
	    json_string_value(json_object_get(welcome, "master"));
	json_t *conf = json_object_get(welcome, "conf");
	uint16_t ports[2];

	if (!master || !json_is_object(conf)) {
		log_error("the driver's welcome lacks master or conf");
		return -1;
	}
	if (net_pick_port(&h->site, seed, NULL, 0, &ports[0]) ||
	    net_pick_port(&h->site, seed + 1, ports, 1, &ports[1])) {
		log_error("no free port left in the site's range %u-%u",
			  h->site.port_lo, h->site.port_hi);
		return -1;
	}
	worker->on_line = on_worker_line;
	worker->arg = h;
	return spark_start_worker(h, worker, master, conf, cores, mem_mb,
				  ports);
}

/* Wait for stop, the driver's loss, the Worker's end or a signal. */
static int hold(struct helper *h, struct proto *proto, int fd,
		struct child *worker, int signal_fd)
{
	struct child *kids[] = {worker};
	char *buf = malloc(PROTO_FRAME_MAX), err[256];

	if (!buf)
		return EXIT_HELPER_FAILED;
	for (;;) {
		struct pollfd pfd[3] = {
		    {.fd = signal_fd, .events = POLLIN},
		    {.fd = fd, .events = POLLIN},
		    {.fd = worker->out_fd, .events = POLLIN},
		};
		bool chld = false;
		int sig, rc;
		json_t *msg;

		if (poll(pfd, 3, -1) < 0 && errno != EINTR)
			break;
		if ((sig = signals_read(signal_fd, &chld))) {
			free(buf);
			return 128 + sig;
		}
		child_drain(worker);
		if (chld)
			children_reap(kids, 1);
		if (worker->started && worker->pid == 0) {
			log_error("the Spark Worker on %s exited (status %d); "
				  "see %s",
				  h->host, child_exit_code(worker), h->log_dir);
			break;
		}
		if (!pfd[1].revents)
			continue;
		rc = proto_recv(fd, buf, PROTO_FRAME_MAX, 5000);
		if (rc != 0) {
			log_error("lost contact with the driver; stopping the "
				  "executor on %s",
				  h->host);
			break;
		}
		msg = proto_open(proto, buf, h->uid, err, sizeof(err));
		if (msg && proto_check(msg, "stop", h->job, h->step, err,
				       sizeof(err)) == 0) {
			rc = (int)json_integer_value(
			    json_object_get(msg, "status"));
			json_decref(msg);
			free(buf);
			log_verbose("driver says stop (status %d)", rc);
			return rc & 0xff;
		}
		json_decref(msg);
		log_error("ignored a message from the driver: %s", err);
	}
	free(buf);
	return EXIT_HELPER_FAILED;
}

int run_executor(struct helper *h, int signal_fd)
{
	struct proto proto = {0};
	struct child worker = {.out_fd = -1, .log_fd = -1};
	struct child *kids[] = {&worker};
	char driver[INET_ADDRSTRLEN], err[512];
	long cores, mem, ec, em, n = spark_executors_per_node(h);
	json_t *reg = NULL, *welcome = NULL;
	int fd = -1, status = EXIT_HELPER_FAILED;

	spark_node_resources(h, &cores, &mem);
	spark_executor_size(h, cores, mem, &ec, &em);
	if (proto_init(&proto, h->site.munge_socket, err, sizeof(err)) ||
	    spark_make_dirs(h, err, sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	if (driver_address(h, driver) < 0)
		goto out;
	if (net_local_addr(&h->site, driver, h->addr, err, sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	reg = json_pack("{s:s, s:i, s:I, s:I, s:i, s:s, s:I, s:I}", "type",
			"register", "v", PROTO_VERSION, "job",
			(json_int_t)h->job, "step", (json_int_t)h->step, "node",
			h->node_index, "host", h->host, "cores",
			(json_int_t)cores, "memory_mb", (json_int_t)mem);
	if (!reg)
		goto out;
	log_verbose("registering with the driver at %s", driver);
	fd = rdv_register(&proto, &h->site, driver, h->job, h->step, reg,
			  now_ms() + h->site.startup_timeout * 1000, signal_fd,
			  &welcome, err, sizeof(err));
	if (fd == -2)
		goto out;
	if (fd == -3) {
		status = (int)json_integer_value(
			     json_object_get(welcome, "status")) &
			 0xff;
		log_verbose("the driver side failed (status %d): stopping",
			    status);
		goto out;
	}
	if (fd < 0) {
		log_error("could not join the driver at %s within %lds: %s",
			  driver, h->site.startup_timeout, err);
		goto out;
	}
	/* The Worker offers what the executors of this node need. */
	if (start_worker(h, welcome, &worker, n * ec, n * em) < 0)
		goto out;
	status = hold(h, &proto, fd, &worker, signal_fd);
out:
	children_stop(kids, 1, h->site.stop_timeout);
	if (worker.log_fd >= 0)
		close(worker.log_fd);
	if (fd >= 0)
		close(fd);
	json_decref(reg);
	json_decref(welcome);
	spark_remove_dirs(h);
	proto_fini(&proto);
	return status;
}
