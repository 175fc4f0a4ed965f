/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * connect.c - the Spark Connect endpoint of a --spark-connect step.
 */
#include "connect.h"

#include <stdbool.h>
#include <stdlib.h>
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

/* One line of /proc/net/tcp{,6}:
 *   sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
 * with LOCAL as HEX:%04X, the port in host order: its local address as
 * printed (HEX, 8 or 32 digits), port, state and owner.  0, or -1. */
static int parse_line(const char *line, bool v6, char hex[33], unsigned *port,
		      unsigned *st, unsigned *uid)
{
	if (sscanf(line,
		   " %*u: %32[0-9A-Fa-f]:%4X %*[0-9A-Fa-f]:%*4X %2X "
		   "%*X:%*X %*X:%*X %*X %u",
		   hex, port, st, uid) != 4 ||
	    strlen(hex) != (v6 ? 32 : 8))
		return -1;
	return 0;
}

/* The address HEX (parse_line) as the kernel holds it: each 32-bit word
 * printed as a native %08X. */
static void kernel_bytes(const char *hex, bool v6, unsigned char out[16])
{
	for (int i = 0; i < (v6 ? 4 : 1); i++) {
		char word[9];
		uint32_t w;

		memcpy(word, hex + 8 * i, 8);
		word[8] = '\0';
		w = (uint32_t)strtoul(word, NULL, 16);
		memcpy(out + 4 * i, &w, 4);
	}
}

/* Would a client of "localhost" reach a listener on ADDR (V6: 16 bytes,
 * else 4)?  127.0.0.1, 0.0.0.0, ::1, ::, and the first two as
 * ::ffff:a.b.c.d.  Not the rest of 127/8: nobody dials it, and a check
 * that counted it would let another user stop the step at will. */
static bool reaches_loopback(const unsigned char *a, bool v6)
{
	static const unsigned char zero[12],
	    mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const unsigned char any4[4], lo4[4] = {127, 0, 0, 1};

	if (v6) {
		if (!memcmp(a, zero, 12) && (a[12] | a[13] | a[14]) == 0 &&
		    (a[15] == 0 || a[15] == 1))
			return true; /* :: or ::1 */
		if (memcmp(a, mapped, 12))
			return false;
		a += 12;
	}
	return !memcmp(a, lo4, 4) || !memcmp(a, any4, 4);
}

/* What a listener of a /proc/net/tcp{,6} line is matched against. */
struct listener_query {
	bool v6;
	uint16_t port;
	const char *want; /* ss_tcp_listener: this address (kernel_hex) */
	uid_t uid;	  /* ss_tcp_foreign_listener: not this owner's */
	uid_t found;	  /* the owner of the one that matched */
};

typedef bool listener_match_fn(const char *hex, unsigned uid,
			       const struct listener_query *q);

/* The listening sockets of F on Q's port, until MATCH says yes: 1 with
 * its owner in Q->found, 0 when none does, -1 when F is not a listing. */
static int find_listener(FILE *f, struct listener_query *q,
			 listener_match_fn *match)
{
	char line[512], got[33];
	bool header = true;

	while (fgets(line, sizeof(line), f)) {
		unsigned p, st, u;

		if (header) {
			header = false;
			if (!strstr(line, "local_address"))
				return -1;
			continue;
		}
		if (parse_line(line, q->v6, got, &p, &st, &u))
			return -1;
		if (st == 0x0A && p == q->port && match(got, u, q)) {
			q->found = (uid_t)u;
			return 1;
		}
	}
	return header ? -1 : 0;
}

static bool same_address(const char *hex, unsigned uid,
			 const struct listener_query *q)
{
	(void)uid;
	return !strcasecmp(hex, q->want);
}

static bool foreign_on_loopback(const char *hex, unsigned uid,
				const struct listener_query *q)
{
	unsigned char a[16];

	if ((uid_t)uid == q->uid)
		return false;
	kernel_bytes(hex, q->v6, a);
	return reaches_loopback(a, q->v6);
}

int ss_tcp_listener(FILE *f, bool v6, struct in_addr addr, uint16_t port,
		    uid_t *uid)
{
	char want[33];
	struct listener_query q = {.v6 = v6, .port = port, .want = want};
	int rc;

	kernel_hex(v6, addr, want);
	if ((rc = find_listener(f, &q, same_address)) == 1)
		*uid = q.found;
	return rc;
}

int ss_tcp_foreign_listener(FILE *f, bool v6, uint16_t port, uid_t uid,
			    uid_t *who)
{
	struct listener_query q = {.v6 = v6, .port = port, .uid = uid};
	int rc;

	if ((rc = find_listener(f, &q, foreign_on_loopback)) == 1)
		*who = q.found;
	return rc;
}
