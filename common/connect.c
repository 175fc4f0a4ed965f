/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * connect.c - the Spark Connect endpoint of a --spark-connect step.
 */
#include "connect.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

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

/* How /proc/net/tcp{,6} shows ADDR: each 32-bit word of the address as
 * the kernel holds it (network order), printed as a native %08X. */
static void kernel_hex(bool v6, struct in_addr addr, char out[33])
{
	struct in6_addr a6 = {0};
	uint32_t w;

	if (!v6) {
		snprintf(out, 33, "%08X", (unsigned)addr.s_addr);
		return;
	}
	a6.s6_addr[10] = 0xff;
	a6.s6_addr[11] = 0xff;
	memcpy(&a6.s6_addr[12], &addr.s_addr, 4);
	out[0] = '\0';
	for (int i = 0; i < 4; i++) {
		memcpy(&w, &a6.s6_addr[4 * i], 4);
		snprintf(out + 8 * i, 9, "%08X", (unsigned)w);
	}
}

/* A line of /proc/net/tcp{,6}:
 *   sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
 * with LOCAL as HEX:%04X, the port in host order. */
int ss_tcp_listener(FILE *f, bool v6, struct in_addr addr, uint16_t port,
		    uid_t *uid)
{
	char line[512], want[33], got[33];
	bool header = true;

	kernel_hex(v6, addr, want);
	while (fgets(line, sizeof(line), f)) {
		unsigned p, st, u;

		if (header) {
			header = false;
			if (!strstr(line, "local_address"))
				return -1;
			continue;
		}
		if (sscanf(line,
			   " %*u: %32[0-9A-Fa-f]:%4X %*[0-9A-Fa-f]:%*4X %2X "
			   "%*X:%*X %*X:%*X %*X %u",
			   got, &p, &st, &u) != 4 ||
		    strlen(got) != (v6 ? 32 : 8))
			return -1;
		if (st == 0x0A && !strcasecmp(got, want) && p == port) {
			*uid = (uid_t)u;
			return 1;
		}
	}
	return header ? -1 : 0;
}
