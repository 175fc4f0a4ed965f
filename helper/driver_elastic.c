/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * driver_elastic.c - --spark-elastic on the driver side (elastic.h): when
 * Spark wants more executors than the step holds, join jobs submitted as
 * the user (sbatch, one node each, the step's account, partition and QOS,
 * no longer than the step has left), whose helpers join over the
 * rendezvous with the application's token from a 0600 join file; a join
 * node whose executors Spark let go is told to stop (its job ends), join
 * jobs still pending and no longer wanted are cancelled, and every join
 * job is cancelled when the application ends.
 */
#include "driver_int.h"
#include "elastic.h"
#include "log.h"
#include "os.h"
#include "parse.h"
#include "slurm_cmd.h"
#include "spark.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SLURM_CMD_TIMEOUT_MS 30000
#define JOIN_RETRY_MS 60000
#define JOIN_NAME_PREFIX "spark-join-"

int elastic_setup(struct driver *d, char *err, size_t errlen)
{
	struct helper *h = d->h;
	const char *v = h->opts.value[SS_OPT_ELASTIC];
	long n;

	if (!v || ss_parse_long(v, 1, SS_COUNT_MAX, &n))
		return 0;
	if (h->het_job) {
		snprintf(err, errlen,
			 "--spark-elastic: not in a heterogeneous step; drop "
			 "it or use one component");
		return -1;
	}
	if (n > h->site.elastic_max_nodes) {
		snprintf(err, errlen,
			 "--spark-elastic=%ld: this cluster allows at most %ld "
			 "(elastic_max_nodes in plugstack.conf)",
			 n, h->site.elastic_max_nodes);
		return -1;
	}
	if (!(d->joins = calloc((size_t)n, sizeof(*d->joins)))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (spark_new_secret(d->join_token)) {
		snprintf(err, errlen, "cannot draw a join token: %s",
			 strerror(errno));
		return -1;
	}
	d->elastic = (int)n;
	d->rdv.step_nodes = (int)h->nnodes;
	d->rdv.join_nodes = d->elastic;
	d->rdv.join_token = d->join_token;
	if (h->role == ROLE_DRIVER)
		spark_node_resources(h, &d->join_cores, &d->join_mem_mb);
	return 0;
}

bool elastic_is_join(const struct driver *d, int node)
{
	return d->elastic && node >= (int)d->h->nnodes &&
	       node < (int)d->h->nnodes + d->elastic;
}

/* The join file: what a join job's helper needs, 0600 in the log
 * directory (spark_open_log verifies it and every component). */
static int write_join_file(struct driver *d)
{
	struct helper *h = d->h;
	json_t *j, *site = json_array();
	char name[64], *text = NULL;
	int fd = -1, rc = -1;

	if (d->join_file_written)
		return 0;
	for (int i = 0; site && i < h->site_argc; i++)
		json_array_append_new(site, json_string(h->site_argv[i]));
	j = json_pack("{s:i, s:s, s:s, s:i, s:I, s:I, s:I, s:o}", "v", 1,
		      "token", d->join_token, "addr", h->addr, "port",
		      (int)d->rdv.port, "job", (json_int_t)h->job, "step",
		      (json_int_t)h->step, "nodes", (json_int_t)h->nnodes,
		      "site", site);
	snprintf(name, sizeof(name), "join.%u", h->step);
	if (j && (text = json_dumps(j, JSON_COMPACT)) &&
	    (fd = spark_open_log(h, name)) >= 0 && fchmod(fd, 0600) == 0 &&
	    ftruncate(fd, 0) == 0 && ss_write_all(fd, text, strlen(text)) == 0)
		rc = 0;
	else
		log_error("cannot write the join file %s/%s: %s", h->log_dir,
			  name, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (text) {
		explicit_bzero(text, strlen(text));
		free(text);
	}
	json_decref(j);
	if (rc == 0) {
		snprintf(d->join_file, sizeof(d->join_file), "%s/%s",
			 h->log_dir, name);
		d->join_file_written = true;
	}
	return rc;
}

/* The first line of OUT, for a message. */
static const char *first_line(char *out)
{
	out[strcspn(out, "\n")] = '\0';
	return out[0] ? out : "no message";
}

/* What Slurm says of the step's job: its time left in whole minutes
 * (*MINUTES; -1: unlimited), account, partition and QOS.  0, or -1
 * (logged). */
static int job_facts(struct driver *d, long *minutes, char *account,
		     char *partition, char *qos, size_t len)
{
	char jobid[16], out[512], err[256], *f[4], *save = NULL;
	char *argv[] = {"squeue", "-h", "-j", jobid, "-o", "%L|%a|%P|%q", NULL};
	long left;
	int rc, k = 0;

	snprintf(jobid, sizeof(jobid), "%u", d->h->job);
	rc = slurm_cmd(argv, NULL, out, sizeof(out), SLURM_CMD_TIMEOUT_MS, err,
		       sizeof(err));
	if (rc != 0) {
		log_info("cannot ask Slurm how long job %s has left (%s): no "
			 "join job submitted",
			 jobid, rc < 0 ? err : first_line(out));
		return -1;
	}
	out[strcspn(out, "\n")] = '\0';
	for (char *t = strtok_r(out, "|", &save); t && k < 4;
	     t = strtok_r(NULL, "|", &save))
		f[k++] = t;
	left = k == 4 ? elastic_parse_time(f[0]) : -2;
	if (left == -2) {
		log_info(
		    "Slurm's answer for job %s is not a time left: no join "
		    "job submitted",
		    jobid);
		return -1;
	}
	*minutes = left == ELASTIC_UNLIMITED ? -1 : elastic_time_minutes(left);
	snprintf(account, len, "%s", f[1]);
	snprintf(partition, len, "%s", f[2]);
	snprintf(qos, len, "%s", f[3]);
	return 0;
}

/* A value Slurm printed that we hand back to it as an option: plain. */
static bool plain(const char *v)
{
	return v[0] && strcmp(v, "(null)") && strcmp(v, "N/A") &&
	       strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_.-") == strlen(v);
}

/* Submit the join job of slot K: 0, or -1 (one line said why). */
static int submit(struct driver *d, int k)
{
	struct helper *h = d->h;
	char account[128], partition[128], qos[128], out[512], err[256];
	char name[64], cpus[48], mem[48], time[48], output[PATH_MAX + 32];
	char acc[160], part[160], q[160], chdir[PATH_MAX + 16];
	char script[2 * PATH_MAX + 64];
	char *argv[20];
	long minutes, id;
	int n = 0, rc;

	if (write_join_file(d) ||
	    job_facts(d, &minutes, account, partition, qos, sizeof(account)))
		return -1;
	if (minutes == 0 ||
	    (minutes > 0 && minutes * 60 <= h->site.elastic_decommission)) {
		log_info("job %u has %ld minute(s) left, no more than the "
			 "site's elastic_decommission=%ld s: no join job "
			 "submitted",
			 h->job, minutes, h->site.elastic_decommission);
		return -1;
	}
	/* The script names only paths: nothing secret, no quote in them. */
	if (strchr(h->site.helper, '\'') || strchr(d->join_file, '\'')) {
		log_error("cannot name %s in a join job's script (a quote in "
			  "the path)",
			  d->join_file);
		return -1;
	}
	snprintf(script, sizeof(script), "#!/bin/sh\nexec '%s' join '%s' %d\n",
		 h->site.helper, d->join_file, (int)h->nnodes + k);
	snprintf(name, sizeof(name), "--job-name=" JOIN_NAME_PREFIX "%u",
		 h->job);
	snprintf(output, sizeof(output),
		 "--output=%s/" JOIN_NAME_PREFIX "%%j.log", h->log_dir);
	snprintf(chdir, sizeof(chdir), "--chdir=%s", h->log_dir);
	argv[n++] = "sbatch";
	argv[n++] = "--parsable";
	argv[n++] = name;
	argv[n++] = "--nodes=1";
	argv[n++] = "--ntasks=1";
	argv[n++] = output;
	argv[n++] = chdir;
	if (d->join_cores > 0) {
		snprintf(cpus, sizeof(cpus), "--cpus-per-task=%ld",
			 d->join_cores);
		argv[n++] = cpus;
	}
	if (d->join_mem_mb > 0) {
		snprintf(mem, sizeof(mem), "--mem=%ldM", d->join_mem_mb);
		argv[n++] = mem;
	}
	if (minutes > 0) {
		snprintf(time, sizeof(time), "--time=%ld", minutes);
		argv[n++] = time;
	}
	if (plain(account)) {
		snprintf(acc, sizeof(acc), "--account=%s", account);
		argv[n++] = acc;
	}
	if (plain(partition)) {
		snprintf(part, sizeof(part), "--partition=%s", partition);
		argv[n++] = part;
	}
	if (plain(qos)) {
		snprintf(q, sizeof(q), "--qos=%s", qos);
		argv[n++] = q;
	}
	argv[n] = NULL;
	rc = slurm_cmd(argv, script, out, sizeof(out), SLURM_CMD_TIMEOUT_MS,
		       err, sizeof(err));
	out[strcspn(out, ";\n")] = '\0';
	if (rc != 0 || ss_parse_long(out, 1, UINT32_MAX, &id)) {
		log_info(
		    "sbatch refused a join job (%s): the application "
		    "carries on with the executors it has, and tries again "
		    "in %d s",
		    rc < 0 ? err : first_line(out), JOIN_RETRY_MS / 1000);
		return -1;
	}
	d->joins[k].job = (uint32_t)id;
	d->joins[k].state = JOIN_PENDING;
	d->joins[k].released = false;
	d->joins[k].uses++;
	if (!d->join_check_ms)
		d->join_check_ms = ss_now_ms() + JOIN_CHECK_MS;
	log_verbose("submitted join job %ld (%s%u) for more executors", id,
		    JOIN_NAME_PREFIX, h->job);
	return 0;
}

/* scancel the join jobs whose ids JOBS holds (N of them). */
static void cancel(uint32_t *jobs, int n)
{
	char ids[64][16], out[512], err[256];
	char *argv[64 + 3];
	int k = 0, rc;

	argv[k++] = "scancel";
	argv[k++] = "--quiet"; /* one that ended already is no error */
	for (int i = 0; i < n && i < 64; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%u", jobs[i]);
		argv[k++] = ids[i];
	}
	argv[k] = NULL;
	if (k == 2)
		return;
	rc = slurm_cmd(argv, NULL, out, sizeof(out), SLURM_CMD_TIMEOUT_MS, err,
		       sizeof(err));
	if (rc != 0)
		log_info("scancel of %d join job(s) failed (%s): cancel them "
			 "with scancel --name=%s...",
			 n, rc < 0 ? err : first_line(out), JOIN_NAME_PREFIX);
}

void elastic_wanted(struct driver *d)
{
	int pending = 0, joined = 0, change;

	if (!d->elastic || d->state == DONE)
		return;
	for (int k = 0; k < d->elastic; k++) {
		pending += d->joins[k].state == JOIN_PENDING;
		joined += d->joins[k].state == JOIN_JOINED;
	}
	change = elastic_change(d->want, dynalloc_slots(&d->alloc), d->per_node,
				pending, joined, d->elastic);
	if (change > 0 && ss_now_ms() >= d->join_retry_ms) {
		for (int k = 0; k < d->elastic && change > 0; k++)
			if (d->joins[k].state == JOIN_FREE) {
				if (submit(d, k)) {
					d->join_retry_ms =
					    ss_now_ms() + JOIN_RETRY_MS;
					break;
				}
				change--;
			}
	} else if (change < 0) {
		uint32_t jobs[64];
		int n = 0;

		for (int k = d->elastic; k-- > 0 && change < 0 && n < 64;)
			if (d->joins[k].state == JOIN_PENDING) {
				jobs[n++] = d->joins[k].job;
				d->joins[k].state = JOIN_FREE;
				d->joins[k].job = 0;
				change++;
			}
		log_verbose("cancelling %d join job(s) no longer wanted", n);
		cancel(jobs, n);
	}
}

/* STATE, squeue's %T up to the end of its line, is a job that ended. */
static bool join_ended(const char *state)
{
	static const char *const ended[] = {
	    "COMPLETED", "COMPLETING", "FAILED",      "CANCELLED",
	    "TIMEOUT",	 "NODE_FAIL",  "PREEMPTED",   "OUT_OF_MEMORY",
	    "BOOT_FAIL", "DEADLINE",   "SPECIAL_EXIT"};
	size_t len = strcspn(state, "\n");

	for (size_t i = 0; i < sizeof(ended) / sizeof(*ended); i++)
		if (strlen(ended[i]) == len && !strncmp(state, ended[i], len))
			return true;
	return false;
}

void elastic_check_pending(struct driver *d)
{
	char ids[64 * 12] = "", out[1024], err[256];
	char *argv[] = {"squeue", "-h", "-o", "%i %T", "-j", ids, NULL};
	size_t off = 0;
	int rc;

	d->join_check_ms = 0;
	for (int k = 0; k < d->elastic && k < 64; k++)
		if (d->joins[k].state == JOIN_PENDING)
			off += (size_t)snprintf(ids + off, sizeof(ids) - off,
						"%s%u", off ? "," : "",
						d->joins[k].job);
	if (!off)
		return;
	d->join_check_ms = ss_now_ms() + JOIN_CHECK_MS;
	rc = slurm_cmd(argv, NULL, out, sizeof(out), SLURM_CMD_TIMEOUT_MS, err,
		       sizeof(err));
	/* squeue fails for a list of jobs it all forgot: none listed; for
	 * anything else (slurmctld busy), look again later. */
	if (rc < 0 || (rc != 0 && !strstr(out, "Invalid job id")))
		return;
	if (rc != 0)
		out[0] = '\0';
	for (int k = 0; k < d->elastic; k++) {
		char id[16];
		bool listed = false;

		if (d->joins[k].state != JOIN_PENDING)
			continue;
		snprintf(id, sizeof(id), "%u", d->joins[k].job);
		for (const char *line = out; *line && !listed;
		     line += strcspn(line, "\n"), line += *line == '\n')
			listed = !strncmp(line, id, strlen(id)) &&
				 line[strlen(id)] == ' ' &&
				 !join_ended(line + strlen(id) + 1);
		if (listed)
			continue;
		log_info("join job %s ended without joining: see %s/%s%s.log",
			 id, d->h->log_dir, JOIN_NAME_PREFIX, id);
		d->joins[k].state = JOIN_FREE;
		d->joins[k].job = 0;
	}
	elastic_wanted(d);
}

void elastic_registered(struct driver *d, struct rdv_peer *p)
{
	struct join_slot *j;

	if (!elastic_is_join(d, p->node)) {
		/* Client mode: join jobs get the step's nodes' size. */
		if (d->elastic && d->join_cores <= 0) {
			d->join_cores = p->cores;
			d->join_mem_mb = p->memory_mb;
		}
		return;
	}
	j = &d->joins[p->node - (int)d->h->nnodes];
	log_verbose("join job %u joined on %s (%s)", j->job, p->host, p->from);
	j->state = JOIN_JOINED;
	d->alloc.usable[p->node] = true;
	d->alloc.planned[p->node] = 0;
}

int elastic_gen_base(const struct driver *d, int node)
{
	if (!elastic_is_join(d, node))
		return 0;
	return (d->joins[node - (int)d->h->nnodes].uses - 1) *
	       ELASTIC_GEN_STRIDE;
}

void elastic_node_idle(struct driver *d, int node)
{
	struct join_slot *j;
	json_t *msg;

	if (!elastic_is_join(d, node) || d->alloc.planned[node] > 0)
		return;
	j = &d->joins[node - (int)d->h->nnodes];
	if (j->state != JOIN_JOINED)
		return;
	j->released = true;
	d->alloc.usable[node] = false;
	msg = json_pack("{s:s, s:i, s:I, s:I, s:i}", "type", "stop", "v",
			PROTO_VERSION, "job", (json_int_t)d->h->job, "step",
			(json_int_t)d->h->step, "status", 0);
	for (size_t i = 0; msg && i < d->rdv.npeers; i++)
		if (d->rdv.peers[i].registered && d->rdv.peers[i].node == node)
			rdv_server_send(&d->rdv, &d->rdv.peers[i], msg);
	json_decref(msg);
	log_verbose("join job %u has no executor left: it ends", j->job);
}

bool elastic_lost(struct driver *d, struct rdv_peer *p)
{
	struct join_slot *j;

	if (!elastic_is_join(d, p->node))
		return false;
	j = &d->joins[p->node - (int)d->h->nnodes];
	if (j->released || p->leaving)
		log_verbose("join job %u on %s ended", j->job, p->host);
	else if (d->state == RUNNING)
		log_info("lost join job %u on %s; Spark reschedules its tasks",
			 j->job, p->host);
	d->alloc.usable[p->node] = false;
	d->alloc.planned[p->node] = 0;
	j->state = JOIN_FREE;
	j->job = 0;
	j->released = false;
	elastic_wanted(d);
	return true;
}

void elastic_end(struct driver *d)
{
	uint32_t jobs[64];
	int n = 0;

	for (int k = 0; k < d->elastic && n < 64; k++)
		if (d->joins[k].state != JOIN_FREE && d->joins[k].job)
			jobs[n++] = d->joins[k].job;
	if (n)
		log_verbose("cancelling %d join job(s): the application ends",
			    n);
	cancel(jobs, n);
	if (d->join_file_written &&
	    unlinkat(d->h->log_dir_fd, strrchr(d->join_file, '/') + 1, 0) < 0)
		log_verbose("cannot remove %s: %s", d->join_file,
			    strerror(errno));
	explicit_bzero(d->join_token, sizeof(d->join_token));
	free(d->joins);
	d->joins = NULL;
	d->elastic = 0;
}
