/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * join.c - a join job's helper (--spark-elastic, elastic.h): its join
 * file, which the driver side wrote into the user's log directory, read
 * only when it is this user's own regular 0600 file, whatever else stands
 * at that path.
 *
 *   spank-spark-helper join FILE NODE
 *
 * FILE holds the application's token, the driver side's address and
 * rendezvous port, the step's ids and the site's plugstack.conf arguments;
 * the step's --spark-* options come in the environment (sbatch's export).
 */
#include "elastic.h"
#include "helper.h"
#include "log.h"
#include "net.h"
#include "options.h"
#include "os.h"
#include "parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define JOIN_FILE_MAX 65536

int helper_id_nodes(const struct helper *h)
{
	long n = 0;
	const char *v = h->opts.value[SS_OPT_ELASTIC];

	if (h->het_job || !v || ss_parse_long(v, 1, SS_COUNT_MAX, &n))
		n = 0;
	return elastic_id_nodes((int)h->nnodes, (int)n);
}

/* FILE's text if it is our own regular 0600 file: a new string, or NULL
 * with ERR. */
static char *read_own(const char *file, uid_t uid, char *err, size_t errlen)
{
	struct stat st;
	char *text = NULL;
	ssize_t n;
	size_t have = 0;
	int fd = open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", file,
			 errno == ELOOP ? "a symbolic link, not a join file"
					: strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != uid ||
	    (st.st_mode & 07777) != 0600 || st.st_size > JOIN_FILE_MAX) {
		snprintf(err, errlen,
			 "%s is not a join file of yours (a regular file you "
			 "own, mode 0600, written by the driver side of a step "
			 "with --spark-elastic)",
			 file);
		goto out;
	}
	if (!(text = malloc(JOIN_FILE_MAX + 1))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	while (have < JOIN_FILE_MAX &&
	       (n = read(fd, text + have, JOIN_FILE_MAX - have)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read %s: %s", file,
				 strerror(errno));
			free(text);
			text = NULL;
			goto out;
		}
		have += (size_t)n;
	}
	text[have] = '\0';
out:
	close(fd);
	return text;
}

static int take(struct helper *h, json_t *j, long node, char *err,
		size_t errlen)
{
	const char *token = NULL, *addr = NULL;
	json_int_t port = 0, job = 0, step = -1, nodes = 0;
	json_t *site = NULL;
	const char *v = getenv("SLURM_JOB_ID");
	struct in_addr a;
	size_t i;
	json_t *arg;
	long own, elastic;

	if (json_unpack(j, "{s:s, s:s, s:I, s:I, s:I, s:I, s:o}", "token",
			&token, "addr", &addr, "port", &port, "job", &job,
			"step", &step, "nodes", &nodes, "site", &site) ||
	    strlen(token) != 64 || strspn(token, "0123456789abcdef") != 64 ||
	    inet_pton(AF_INET, addr, &a) != 1 || port < 1 || port > 65535 ||
	    job < 1 || job > UINT32_MAX || step < 0 || step > UINT32_MAX ||
	    nodes < 1 || nodes > SS_COUNT_MAX || !json_is_array(site) ||
	    json_array_size(site) > 256) {
		snprintf(err, errlen, "malformed join file");
		return -1;
	}
	if (!v || ss_parse_long(v, 1, UINT32_MAX, &own)) {
		snprintf(err, errlen,
			 "SLURM_JOB_ID is not set: the join helper runs in a "
			 "join job that the driver side submits");
		return -1;
	}
	h->site_argv = calloc(json_array_size(site) + 1, sizeof(char *));
	if (!h->site_argv) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	json_array_foreach(site, i, arg)
	{
		if (!json_is_string(arg) ||
		    !(h->site_argv[i] = strdup(json_string_value(arg)))) {
			snprintf(err, errlen, "malformed join file");
			return -1;
		}
		h->site_argc = (int)i + 1;
	}
	if (ss_site_parse(&h->site, h->site_argc, h->site_argv, err, errlen) ||
	    ss_opts_apply_env(&h->opts, ss_process_getenv, NULL, err, errlen))
		return -1;
	v = h->opts.value[SS_OPT_ELASTIC];
	if (!v || ss_parse_long(v, 1, SS_COUNT_MAX, &elastic) || node < nodes ||
	    node >= nodes + elastic) {
		snprintf(err, errlen,
			 "join node %ld is not one of the step's join nodes "
			 "(SPANK_SPARK_ELASTIC must be the step's)",
			 node);
		return -1;
	}
	memcpy(h->join_token, token, 65);
	snprintf(h->join_addr, sizeof(h->join_addr), "%s", addr);
	h->join_port = (uint16_t)port;
	h->join_job = (uint32_t)own;
	h->job = (uint32_t)job;
	h->step = (uint32_t)step;
	h->nnodes = (uint32_t)nodes;
	h->node_index = (int)node;
	return 0;
}

int join_load(struct helper *h, const char *file, const char *node)
{
	char err[PATH_MAX + 256];
	long n;
	json_t *j = NULL;
	char *text;
	int rc = -1;

	if (ss_parse_long(node, 1, SS_COUNT_MAX * 2, &n)) {
		log_error("join: the node %s is not a number", node);
		return -1;
	}
	if (!(text = read_own(file, h->uid, err, sizeof(err)))) {
		log_error("join: %s", err);
		return -1;
	}
	j = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	explicit_bzero(text, strlen(text));
	free(text);
	if (!j || take(h, j, n, err, sizeof(err)))
		log_error("join: %s: %s", file,
			  j ? err : "malformed join file");
	else
		rc = 0;
	json_decref(j);
	return rc;
}
