/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * connect.c - the Spark Connect endpoint of a --spark-connect step.
 */
#include "connect.h"

#include <stdbool.h>
#include <string.h>

static bool host_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 253)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '.'))
			return false;
	return true;
}

static bool token_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

int ss_connect_url(char *out, size_t outlen, const char *host, unsigned port,
		   const char *token)
{
	int n;

	if (!host_ok(host) || !token_ok(token) || port == 0 || port > 65535)
		return -1;
	n = snprintf(out, outlen, "sc://%s:%u/;token=%s", host, port, token);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* A line of /proc/net/tcp:
 *   sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
 * with LOCAL as %08X:%04X, the address as the kernel holds it (network
 * order read as a native integer) and the port in host order. */
int ss_tcp_listener(FILE *f, struct in_addr addr, uint16_t port, uid_t *uid)
{
	char line[512];
	bool header = true;

	while (fgets(line, sizeof(line), f)) {
		unsigned a, p, st, u;

		if (header) {
			header = false;
			if (!strstr(line, "local_address"))
				return -1;
			continue;
		}
		if (sscanf(line,
			   " %*u: %8X:%4X %*8X:%*4X %2X %*X:%*X %*X:%*X "
			   "%*X %u",
			   &a, &p, &st, &u) != 4)
			return -1;
		if (st == 0x0A && a == addr.s_addr && p == port) {
			*uid = (uid_t)u;
			return 1;
		}
	}
	return header ? -1 : 0;
}
