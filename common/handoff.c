/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * handoff.c - the plugin -> helper hand-off as a command line (handoff.h).
 */
#include "handoff.h"
#include "parse.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUM_ARGS 8     /* --job ... --lifeline-fd, --het-job */
#define NUM_ARG_LEN 40 /* "--node-mem-mb=" and a 64-bit number */

void ss_handoff_init(struct ss_handoff *h)
{
	memset(h, 0, sizeof(*h));
	h->lifeline_fd = -1;
}

char **ss_handoff_to_argv(const struct ss_handoff *h, const char *helper)
{
	size_t slots =
	    2 + NUM_ARGS + (size_t)h->site_argc + 1 + (size_t)h->app_argc + 1;
	char **argv = malloc(slots * sizeof(*argv) + NUM_ARGS * NUM_ARG_LEN);
	char *num;
	size_t n = 0;
	int k = 0;

	if (!argv)
		return NULL;
	num = (char *)(argv + slots);
#define NUM_ARG(...)                                                           \
	do {                                                                   \
		snprintf(num + k * NUM_ARG_LEN, NUM_ARG_LEN, __VA_ARGS__);     \
		argv[n++] = num + k++ * NUM_ARG_LEN;                           \
	} while (0)
	argv[n++] = (char *)helper;
	argv[n++] = (char *)h->role;
	NUM_ARG("--job=%u", h->job);
	NUM_ARG("--step=%u", h->step);
	NUM_ARG("--nodes=%u", h->nnodes);
	NUM_ARG("--node-index=%d", h->node_index);
	NUM_ARG("--local-task=%u", h->local_task);
	NUM_ARG("--node-mem-mb=%llu", (unsigned long long)h->node_mem_mb);
	if (h->lifeline_fd >= 0)
		NUM_ARG("--lifeline-fd=%d", h->lifeline_fd);
	if (h->het_job)
		NUM_ARG("--het-job=%u", h->het_job);
#undef NUM_ARG
	for (int i = 0; i < h->site_argc; i++)
		argv[n++] = h->site_argv[i];
	argv[n++] = "--";
	for (int i = 0; i < h->app_argc; i++)
		argv[n++] = h->app_argv[i];
	argv[n] = NULL;
	return argv;
}

/* "--name=NUMBER": 1 when ARG is not that option, 0 with *OUT set, -1 when
 * the number is bad. */
static int number_arg(const char *arg, const char *prefix, long min, long max,
		      long *out)
{
	size_t n = strlen(prefix);

	if (strncmp(arg, prefix, n))
		return 1;
	return ss_parse_long(arg + n, min, max, out) ? -1 : 0;
}

/* One hand-off option into H: 1 when ARG is not one, 0 when taken, -1 on a
 * bad number. */
static int handoff_option(struct ss_handoff *h, const char *a)
{
	long v;
	int rc;

	if ((rc = number_arg(a, "--job=", 0, UINT32_MAX, &v)) != 1) {
		if (!rc)
			h->job = (uint32_t)v;
	} else if ((rc = number_arg(a, "--step=", 0, UINT32_MAX, &v)) != 1) {
		if (!rc)
			h->step = (uint32_t)v;
	} else if ((rc = number_arg(a, "--nodes=", 0, 1000000, &v)) != 1) {
		if (!rc)
			h->nnodes = (uint32_t)v;
	} else if (!strcmp(a, "--node-index=-1")) {
		h->node_index = -1;
		rc = 0;
	} else if ((rc = number_arg(a, "--node-index=", 0, 1000000, &v)) != 1) {
		if (!rc)
			h->node_index = (int)v;
	} else if ((rc = number_arg(a, "--local-task=", 0, 1000000, &v)) != 1) {
		if (!rc)
			h->local_task = (uint32_t)v;
	} else if ((rc = number_arg(a, "--node-mem-mb=", 0, 1L << 40, &v)) !=
		   1) {
		if (!rc)
			h->node_mem_mb = (uint64_t)v;
	} else if ((rc = number_arg(a, "--lifeline-fd=", 0, 1024, &v)) != 1) {
		if (!rc)
			h->lifeline_fd = (int)v;
	} else if ((rc = number_arg(a, "--het-job=", 1, UINT32_MAX, &v)) != 1) {
		if (!rc)
			h->het_job = (uint32_t)v;
	}
	return rc;
}

int ss_handoff_from_argv(struct ss_handoff *h, int argc, char **argv,
			 ss_handoff_extra_fn extra, void *ctx, char *err,
			 size_t errlen)
{
	int i, rc;

	ss_handoff_init(h);
	if (argc < 2 || !argv[1]) {
		snprintf(err, errlen, "no role given");
		return -1;
	}
	h->role = argv[1];
	if (!(h->site_argv = calloc((size_t)argc, sizeof(*h->site_argv)))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i];

		if ((rc = handoff_option(h, a)) == 0)
			continue;
		if (rc < 0) {
			snprintf(err, errlen, "bad %.200s", a);
			goto fail;
		}
		if (a[0] != '-' && strchr(a, '='))
			h->site_argv[h->site_argc++] = argv[i];
		else if (!extra || extra(a, ctx)) {
			snprintf(err, errlen, "unknown argument %.200s", a);
			goto fail;
		}
	}
	if (i < argc) {
		h->app_argc = argc - i - 1;
		h->app_argv = argv + i + 1;
	}
	return 0;
fail:
	ss_handoff_release(h);
	return -1;
}

void ss_handoff_release(struct ss_handoff *h)
{
	free(h->site_argv);
	h->site_argv = NULL;
	h->site_argc = 0;
}

char *ss_handoff_to_env(const struct ss_handoff *h)
{
	struct ss_handoff ids = *h;
	char **argv, *value = NULL;
	size_t len = 0, off = 0;
	int n;

	ids.app_argc = 0;
	if (!(argv = ss_handoff_to_argv(&ids, "")))
		return NULL;
	/* argv[1] (the role) up to the "--" that ends it. */
	for (n = 1; argv[n] && strcmp(argv[n], "--"); n++) {
		if (strchr(argv[n], '\n'))
			goto out;
		len += strlen(argv[n]) + 1;
	}
	if (!(value = malloc(len + 1)))
		goto out;
	for (int i = 1; i < n; i++) {
		size_t l = strlen(argv[i]);

		memcpy(value + off, argv[i], l);
		off += l;
		value[off++] = '\n';
	}
	if (off)
		off--; /* no newline after the last one */
	value[off] = '\0';
out:
	free(argv);
	return value;
}

int ss_handoff_argv_from_env(int argc, char **argv,
			     const char *(*getenv_fn)(const char *name),
			     int *new_argc, char ***new_argv)
{
	const char *value = getenv_fn(SS_HANDOFF_ENV);
	const char *argv0 = getenv_fn(SS_HANDOFF_ARGV0_ENV);
	size_t lines = 1, slots, len;
	char **out, *copy, *p;
	int n = 0;

	if (!value)
		return 0;
	if (!*value || !argv0 || argc < 1)
		return -1;
	for (p = (char *)value; *p; p++)
		lines += *p == '\n';
	/* argv[0] LINES... -- ARGV0 argv[1..] NULL */
	slots = 1 + lines + 2 + (size_t)(argc - 1) + 1;
	len = strlen(value) + 1;
	if (!(out = malloc(slots * sizeof(*out) + len)))
		return -1;
	copy = (char *)(out + slots);
	memcpy(copy, value, len);
	out[n++] = argv[0];
	for (p = copy;;) {
		char *nl = strchr(p, '\n');

		if (!*p || *p == '\n') { /* empty line: not the plugin's */
			free(out);
			return -1;
		}
		out[n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	out[n++] = "--";
	out[n++] = (char *)argv0;
	for (int i = 1; i < argc; i++)
		out[n++] = argv[i];
	out[n] = NULL;
	*new_argc = n;
	*new_argv = out;
	return 1;
}
