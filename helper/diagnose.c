/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diagnose.c - why a process of the step failed, said in one line.
 */
#include "diagnose.h"
#include "jvm_cause.h"
#include "log.h"
#include "memwatch.h"
#include "proto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The telling line of the log NAME (in the verified log directory) from
 * offset FROM, at most its last SS_JVM_CAUSE_TAIL bytes. */
static enum ss_jvm_cause log_cause(const struct helper *h, const char *name,
				   off_t from, unsigned want, char *line,
				   size_t linelen)
{
	enum ss_jvm_cause cause = SS_CAUSE_NONE;
	struct stat st;
	char *buf;
	ssize_t n;
	int fd;

	if (h->log_dir_fd < 0 || !name)
		return SS_CAUSE_NONE;
	fd = openat(h->log_dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return SS_CAUSE_NONE;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != h->uid ||
	    !(buf = malloc(SS_JVM_CAUSE_TAIL))) {
		close(fd);
		return SS_CAUSE_NONE;
	}
	if (st.st_size - from > SS_JVM_CAUSE_TAIL)
		from = st.st_size - SS_JVM_CAUSE_TAIL;
	n = pread(fd, buf, SS_JVM_CAUSE_TAIL, from < 0 ? 0 : from);
	if (n > 0)
		cause = ss_jvm_cause(buf, (size_t)n, want, line, linelen);
	free(buf);
	close(fd);
	return cause;
}

bool diagnose_driver(struct helper *h, const struct child *c)
{
	int sig;

	if (memwatch_report(&h->mem, h->host, "the driver",
			    "--spark-driver-memory"))
		return true;
	if (c->err_oom) {
		const char *mem = h->opts.value[SS_OPT_DRIVER_MEMORY];

		log_error("the driver on %s ran out of Java heap (%s%s): raise "
			  "--spark-driver-memory (with --mem), or bring less "
			  "back to the driver (collect, toPandas)",
			  h->host, mem ? "--spark-driver-memory=" : "",
			  mem ? mem : "Spark's default driver memory");
		return true;
	}
	if (!WIFSIGNALED(c->wait_status))
		return false;
	sig = WTERMSIG(c->wait_status);
	log_error("the driver on %s was killed by signal %d (%s)", h->host, sig,
		  strsignal(sig));
	return true;
}

void diagnose_executor_lost(struct helper *h, long id, const struct child *c,
			    int tries, const char *log, off_t from,
			    long heap_mb)
{
	char who[64], line[200];
	enum ss_jvm_cause cause;
	int code = child_exit_code(c);

	snprintf(who, sizeof(who), "executor %ld", id);
	if (memwatch_report(&h->mem, h->host, who,
			    "--spark-executor-memory or "
			    "--spark-executors-per-node"))
		return;
	cause =
	    log_cause(h, log, from, 1U << SS_CAUSE_START | 1U << SS_CAUSE_HEAP,
		      line, sizeof(line));
	if (cause == SS_CAUSE_HEAP || code == SS_SPARK_EXIT_OOM)
		log_error("executor %ld on %s ran out of Java heap (%ld MiB): "
			  "raise --spark-executor-memory (with --mem), or use "
			  "more partitions",
			  id, h->host, heap_mb);
	else if (cause == SS_CAUSE_START)
		log_error("executor %ld on %s could not start (%d tries): the "
			  "JVM said \"%s\"",
			  id, h->host, tries, line);
	else
		log_error("executor %ld on %s exited (status %d) and was "
			  "started %d times already: giving up on it; see %s",
			  id, h->host, code, tries, h->log_dir);
}

void diagnose_node_end(struct helper *h, const char *log, off_t from,
		       bool failed)
{
	char line[200];

	/* The JVMs lived on: the kernel chose a Python worker. */
	if (memwatch_report(&h->mem, h->host, "a Python worker of this step",
			    "--spark-executor-cores (fewer workers at once) "
			    "or set spark.executor.pyspark.memory"))
		return;
	if (failed && log_cause(h, log, from, 1U << SS_CAUSE_DISK, line,
				sizeof(line)) == SS_CAUSE_DISK)
		log_error("the scratch directory %s on %s is full (\"%s\"): "
			  "ask the site for more room there (scratch_dir= in "
			  "plugstack.conf), or shuffle less",
			  h->site.scratch_dir, h->host, line);
}

int diagnose_munge(const struct helper *h, struct proto *p)
{
	char err[256];

	if (proto_munge_ok(p, err, sizeof(err)) == 0)
		return 0;
	log_error("munge does not answer on %s (%s): this host cannot join "
		  "the step; ask the site's admins to (re)start munged on %s",
		  h->host, err, h->host);
	return -1;
}
