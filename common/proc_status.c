/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc_status.c - the Uid and Gid lines of /proc/PID/status.
 */
#include "proc_status.h"

#include <string.h>

/* FOUR unsigned decimal numbers separated by tabs, up to the line's end. */
static int parse_ids(const char *p, const char *end, unsigned long out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned long v = 0;
		int digits = 0;

		while (p < end && *p == '\t')
			p++;
		for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
			unsigned long d = (unsigned long)(*p - '0');

			if (v > (0xffffffffUL - d) / 10) /* ids are 32 bits */
				return -1;
			v = v * 10 + d;
		}
		if (!digits)
			return -1;
		out[i] = v;
	}
	return (p == end || *p == '\n') ? 0 : -1;
}

int ss_proc_status_ids(const char *buf, size_t len, struct ss_proc_ids *ids)
{
	const char *p = buf, *end = buf + len;
	unsigned long u[4], g[4];
	bool have_u = false, have_g = false;

	/* Only at a line's start: the kernel escapes newlines in Name. */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		size_t n = (size_t)(eol - p);

		if (!have_u && n > 4 && !memcmp(p, "Uid:", 4)) {
			if (parse_ids(p + 4, eol, u))
				return -1;
			have_u = true;
		} else if (!have_g && n > 4 && !memcmp(p, "Gid:", 4)) {
			if (parse_ids(p + 4, eol, g))
				return -1;
			have_g = true;
		}
		p = nl ? nl + 1 : end;
	}
	if (!have_u || !have_g)
		return -1;
	for (int i = 0; i < 4; i++) {
		ids->uid[i] = (uid_t)u[i];
		ids->gid[i] = (gid_t)g[i];
	}
	return 0;
}

bool ss_proc_ids_owned_by(const struct ss_proc_ids *ids, uid_t uid)
{
	for (int i = 0; i < 4; i++)
		if (ids->uid[i] != uid || ids->gid[i] != ids->gid[0])
			return false;
	return true;
}
