/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * executor_jvms.c - the executor JVMs of one node.
 */
#include "executor_jvms.h"
#include "diagnose.h"
#include "executor_cmd.h"
#include "gpu.h"
#include "log.h"
#include "spark.h"
#include "timeline.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Unique across the step: every node and start has its own range. */
long executor_id_of(int k, int per_node, int node, int nodes, int gen)
{
	return 1 + k + (long)per_node * (node + (long)nodes * gen);
}

static long executor_id(const struct executors *x, int k, int gen)
{
	return executor_id_of(k, x->n, x->node, x->nodes, x->gen_base + gen);
}

static bool live(const struct executor *e)
{
	return e->c.started && e->c.pid > 0;
}

int executor_node(long id, int per_node, int nodes)
{
	if (id < 1 || per_node < 1 || nodes < 1)
		return -1;
	return (int)((id - 1) / per_node % nodes);
}

/* The application id, the first line on E's standard input: never on a
 * command line, where every user of the host reads it.  A few bytes into
 * an empty pipe never block. */
static int hand_app_id(struct executors *x, struct executor *e)
{
	char line[sizeof(x->app_id) + 1];
	int n = snprintf(line, sizeof(line), "%s\n", x->app_id);

	if (write(e->stdin_fd, line, (size_t)n) == n)
		return 0;
	log_error("cannot hand executor %ld its application id: %s", e->id,
		  strerror(errno));
	return -1;
}

/* The driver's URL, the second line on E's standard input, which then
 * closes. */
static void hand_url(struct executors *x, struct executor *e)
{
	char line[sizeof(x->driver_url) + 1];
	int n = snprintf(line, sizeof(line), "%s\n", x->driver_url);

	if (write(e->stdin_fd, line, (size_t)n) != n)
		log_verbose("executor %ld is gone before it learnt the "
			    "driver's URL",
			    e->id);
	close(e->stdin_fd);
	e->stdin_fd = -1;
}

static int start_one(struct executors *x, struct executor *e)
{
	int in[2];

	if (pipe2(in, O_CLOEXEC) < 0) {
		log_error("pipe: %s", strerror(errno));
		return -1;
	}
	if (launch_executor(x, e, in[0]) < 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	close(in[0]);
	e->stdin_fd = in[1];
	/* A launcher that cannot learn its id exits when its input closes. */
	if (hand_app_id(x, e) < 0) {
		close(e->stdin_fd);
		e->stdin_fd = -1;
		return 0;
	}
	if (x->driver_url[0])
		hand_url(x, e);
	return 0;
}

/* Each slot's resources file (executor_cmd.c names it): a relaunched
 * executor takes its slot's GPUs again. */
static int write_gpu_files(struct executors *x)
{
	char path[PATH_MAX + 32], err[PATH_MAX + 64], share[256];

	for (int k = 0; k < x->n; k++) {
		if (ss_gpus_share(&x->gpus, k, x->gpu_each, share,
				  sizeof(share))) {
			log_error("%d GPU(s) on %s cannot give %d executors "
				  "%ld each",
				  x->gpus.n, x->h->host, x->n, x->gpu_each);
			return -1;
		}
		launch_executor_gpu_file(x, k, path, sizeof(path));
		if (gpu_write_resources(path, "spark.executor", x->gpu_each,
					err, sizeof(err))) {
			log_error("%s", err);
			return -1;
		}
		log_verbose("executor slot %d on %s: GPU(s) %s", k, x->h->host,
			    share);
	}
	return 0;
}

int executors_start(struct executors *x, int n, int run)
{
	snprintf(x->log_name, sizeof(x->log_name), "executors-%s.log",
		 x->h->host);
	x->log_fd = spark_open_log(x->h, x->log_name);
	if (x->log_fd < 0)
		return -1;
	/* Earlier steps of the job wrote there too. */
	x->log_start = lseek(x->log_fd, 0, SEEK_END);
	if (!(x->e = calloc((size_t)n, sizeof(*x->e)))) {
		log_error("out of memory");
		return -1;
	}
	x->n = n;
	if (x->gpu_each > 0 && write_gpu_files(x) < 0)
		return -1;
	if (launch_executors_jvm(x) < 0)
		return -1;
	for (int k = 0; k < n; k++) {
		x->e[k].stdin_fd = -1;
		x->e[k].id = executor_id(x, k, 0);
		if (k < run && start_one(x, &x->e[k]) < 0)
			return -1;
	}
	if (run < n)
		log_verbose("%d of %d executor slot(s) on %s started (dynamic "
			    "allocation): %ld cores, %ld MiB heap each",
			    run, n, x->h->host, x->cores, x->heap_mb);
	else
		log_verbose("%d executor JVM(s) started on %s: %ld cores, "
			    "%ld MiB heap each",
			    n, x->h->host, x->cores, x->heap_mb);
	if (run > 0)
		timeline("executor JVMs started on %s", x->h->host);
	return 0;
}

int executors_add(struct executors *x, int count)
{
	int started = 0;

	x->pending += count;
	for (int k = 0; k < x->n && x->pending > 0; k++) {
		struct executor *e = &x->e[k];

		if (live(e))
			continue;
		/* A slot that ran before gets a new id: Spark never sees
		 * an id twice. */
		if (e->c.started)
			e->gen++;
		e->id = executor_id(x, k, e->gen);
		e->attempt = 0;
		e->killed = false;
		if (start_one(x, e) < 0)
			break;
		started++;
		x->pending--;
	}
	if (started)
		log_verbose("started %d more executor JVM(s) on %s (dynamic "
			    "allocation)",
			    started, x->h->host);
	return started;
}

int executors_kill(struct executors *x, long id)
{
	for (int k = 0; k < x->n; k++) {
		struct executor *e = &x->e[k];

		if (!live(e) || e->id != id)
			continue;
		e->killed = true;
		if (e->stdin_fd >= 0) {
			close(e->stdin_fd);
			e->stdin_fd = -1;
		}
		if (e->c.pgid > 0)
			kill(-e->c.pgid, SIGTERM);
		else
			kill(e->c.pid, SIGTERM);
		log_verbose("executor %ld on %s ends: Spark let it go "
			    "(dynamic allocation)",
			    id, x->h->host);
		return 0;
	}
	return -1;
}

void executors_set_driver(struct executors *x, const char *url)
{
	snprintf(x->driver_url, sizeof(x->driver_url), "%s", url);
	for (int k = 0; k < x->n; k++)
		if (x->e[k].stdin_fd >= 0)
			hand_url(x, &x->e[k]);
}

int executors_reap(struct executors *x, bool running)
{
	char who[64];
	int lost = 0;

	for (int k = 0; k < x->n; k++) {
		struct executor *e = &x->e[k];
		struct child *c = &e->c;
		struct child *one[] = {c};

		if (!c->started || c->pid == 0)
			continue;
		children_reap(one, 1);
		if (c->pid != 0)
			continue;
		if (e->stdin_fd >= 0) {
			close(e->stdin_fd);
			e->stdin_fd = -1;
		}
		/* Status 0: the driver told it to shut down; killed: Spark
		 * let it go. */
		if (!running || e->killed || child_exit_code(c) == 0)
			continue;
		snprintf(who, sizeof(who), "executor %ld", e->id);
		memwatch_report(&x->h->mem, x->h->host, who,
				"--spark-executor-memory or "
				"--spark-executors-per-node");
		if (e->attempt >= EXECUTOR_RELAUNCHES) {
			diagnose_executor_lost(x->h, e->id, c, e->attempt + 1,
					       x->log_name, x->log_start,
					       x->heap_mb);
			lost++;
			continue;
		}
		e->attempt++;
		e->gen++;
		/* Only the helper's log and --spark-verbose: if it never
		 * starts, diagnose_executor_lost's line is the one. */
		log_verbose("executor %ld on %s exited (status %d): starting "
			    "it again as executor %ld",
			    e->id, x->h->host, child_exit_code(c),
			    executor_id(x, k, e->gen));
		e->id = executor_id(x, k, e->gen);
		if (start_one(x, e) < 0)
			lost++;
	}
	/* A slot let go is free now. */
	if (running && x->pending > 0)
		executors_add(x, 0);
	return lost;
}

int executors_signal(struct executors *x, int sig)
{
	int n = 0;

	for (int k = 0; k < x->n; k++)
		if (live(&x->e[k]) && kill(x->e[k].c.pid, sig) == 0)
			n++;
	return n;
}

int executors_alive(const struct executors *x)
{
	int alive = 0;

	for (int k = 0; k < x->n; k++)
		alive += live(&x->e[k]);
	return alive;
}

void executors_stop(struct executors *x)
{
	struct child **cs;

	json_decref(x->conf);
	x->conf = NULL;
	if (!x->e || x->n <= 0)
		return;
	for (int k = 0; k < x->n; k++)
		if (x->e[k].stdin_fd >= 0) {
			/* EOF: a JVM still waiting for its driver leaves. */
			close(x->e[k].stdin_fd);
			x->e[k].stdin_fd = -1;
		}
	if ((cs = calloc((size_t)x->n, sizeof(*cs)))) {
		for (int k = 0; k < x->n; k++)
			cs[k] = &x->e[k].c;
		children_stop(cs, (size_t)x->n, x->h->site.stop_timeout);
		free(cs);
	}
	free(x->e);
	x->e = NULL;
	x->n = 0;
	if (x->log_fd >= 0)
		close(x->log_fd);
	x->log_fd = -1;
	explicit_bzero(x->secret, sizeof(x->secret));
}
