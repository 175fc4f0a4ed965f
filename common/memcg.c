/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memcg.c - the step's memory cgroup: /proc/self/cgroup and counters.
 */
#include "memcg.h"

#include <string.h>

/* v1 reports "no limit" as the largest page-aligned value (2^63 - 4096 on
 * x86-64): anything from 2^62 bytes is no limit. */
#define V1_UNLIMITED_FROM (1ULL << 62)

/* Is NAME one of the comma-separated controllers of LIST[0, n)? */
static bool has_controller(const char *list, size_t n, const char *name)
{
	size_t k = strlen(name);

	for (const char *p = list, *end = list + n; p < end;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;

		if ((size_t)(stop - p) == k && !memcmp(p, name, k))
			return true;
		p = stop + 1;
	}
	return false;
}

static int copy_path(const char *p, size_t n, char *out, size_t outlen)
{
	if (n == 0 || p[0] != '/' || n >= outlen || memchr(p, '\0', n))
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return strstr(out, "/..") ? -1 : 0;
}

int ss_memcg_self_path(const char *buf, size_t len, char *out, size_t outlen,
		       bool *v2)
{
	const char *p = buf, *end = buf + len;
	const char *v2_path = NULL;
	size_t v2_len = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *c1 = memchr(p, ':', (size_t)(eol - p));
		const char *c2 =
		    c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;

		if (c2) {
			size_t nctl = (size_t)(c2 - c1 - 1);

			if (has_controller(c1 + 1, nctl, "memory")) {
				*v2 = false;
				return copy_path(c2 + 1, (size_t)(eol - c2 - 1),
						 out, outlen);
			}
			if (nctl == 0 && c1 - p == 1 && *p == '0') {
				v2_path = c2 + 1;
				v2_len = (size_t)(eol - c2 - 1);
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (!v2_path)
		return -1;
	*v2 = true;
	return copy_path(v2_path, v2_len, out, outlen);
}

/* A decimal number of at most 18 digits at [p, end), up to a newline or
 * the end.  -1 when it is not that. */
static long long number(const char *p, const char *end)
{
	long long v = 0;
	int digits = 0;

	for (; p < end && *p >= '0' && *p <= '9'; p++)
		if (++digits > 18)
			return -1;
		else
			v = v * 10 + (*p - '0');
	return digits && (p == end || *p == '\n') ? v : -1;
}

long long ss_memcg_oom_kills(const char *buf, size_t len)
{
	static const char key[] = "oom_kill ";
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		if ((size_t)(eol - p) > sizeof(key) - 1 &&
		    !memcmp(p, key, sizeof(key) - 1))
			return number(p + sizeof(key) - 1, eol);
		p = nl ? nl + 1 : end;
	}
	return -1;
}

long long ss_memcg_limit_mb(const char *buf, size_t len)
{
	const char *end = buf + len;
	unsigned long long v = 0;
	int digits = 0;
	const char *p = buf;

	if (len >= 3 && !memcmp(buf, "max", 3) && (len == 3 || buf[3] == '\n'))
		return 0;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (++digits > 19)
			return -1;
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	if (!digits || (p != end && *p != '\n'))
		return -1;
	return v >= V1_UNLIMITED_FROM ? 0 : (long long)(v >> 20);
}
