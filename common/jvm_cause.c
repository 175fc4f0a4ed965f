/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jvm_cause.c - the telling line of a JVM's output.
 */
#include "jvm_cause.h"

#include <stdbool.h>
#include <string.h>

struct marker {
	enum ss_jvm_cause cause;
	const char *text;
	bool at_start; /* only at the start of the line */
};

#define INIT_ERROR "Error occurred during initialization of VM"

/* What HotSpot and Spark print, in the order they are looked for. */
static const struct marker markers[] = {
    {SS_CAUSE_START, "Unrecognized option:", true},
    {SS_CAUSE_START, "Unrecognized VM option", true},
    {SS_CAUSE_START, "Error: Could not find or load main class", true},
    {SS_CAUSE_START, INIT_ERROR, true},
    {SS_CAUSE_START, "Invalid maximum heap size:", true},
    {SS_CAUSE_START, "Invalid initial heap size:", true},
    {SS_CAUSE_START, "Invalid thread stack size:", true},
    {SS_CAUSE_HEAP, "java.lang.OutOfMemoryError", false},
    {SS_CAUSE_DISK, "No space left on device", false},
};

static bool line_has(const char *line, size_t n, const struct marker *m)
{
	size_t k = strlen(m->text);

	if (m->at_start)
		return n >= k && !memcmp(line, m->text, k);
	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(line + i, m->text, k))
			return true;
	return false;
}

static void copy_line(const char *line, size_t n, char *out, size_t outlen)
{
	size_t k = 0;

	if (outlen == 0)
		return;
	/* Only printable ASCII reaches the user's terminal. */
	for (size_t i = 0; i < n && k + 1 < outlen; i++)
		if (line[i] >= 0x20 && line[i] < 0x7f)
			out[k++] = line[i];
	out[k] = '\0';
}

/* OUT (a copied line) gets ": " and the line at P, as far as it fits. */
static void add_next_line(const char *p, const char *end, char *out,
			  size_t outlen)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = (size_t)((nl ? nl : end) - p), k = strlen(out);

	if (n && p[n - 1] == '\r')
		n--;
	if (!n || k + 3 >= outlen)
		return;
	memcpy(out + k, ": ", 3);
	copy_line(p, n, out + k + 2, outlen - k - 2);
}

enum ss_jvm_cause ss_jvm_cause(const char *text, size_t len, unsigned want,
			       char *out, size_t outlen)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);

		if (n && p[n - 1] == '\r')
			n--;
		for (size_t i = 0; i < sizeof(markers) / sizeof(*markers);
		     i++) {
			if (!(want & (1U << markers[i].cause)) ||
			    !line_has(p, n, &markers[i]))
				continue;
			copy_line(p, n, out, outlen);
			/* HotSpot says why on the next line. */
			if (!strcmp(markers[i].text, INIT_ERROR) && nl &&
			    nl + 1 < end)
				add_next_line(nl + 1, end, out, outlen);
			return markers[i].cause;
		}
		p = nl ? nl + 1 : end;
	}
	return SS_CAUSE_NONE;
}

bool ss_driver_oom_line(const char *line, size_t len)
{
	static const char oom[] = "java.lang.OutOfMemoryError";
	static const char thread[] = "Exception in thread \"";
	size_t k = sizeof(oom) - 1, t = sizeof(thread) - 1;
	const char *q;

	if (len >= 2 && line[0] == ':' && line[1] == ' ') {
		line += 2;
		len -= 2;
	} else if (len > t && !memcmp(line, thread, t) &&
		   (q = memchr(line + t, '"', len - t)) &&
		   (size_t)(q - line) + 2 <= len && q[1] == ' ') {
		len -= (size_t)(q + 2 - line);
		line = q + 2;
	}
	return len >= k && !memcmp(line, oom, k);
}
