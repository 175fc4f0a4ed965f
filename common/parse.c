/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse.c - validation of the values users and admins give spank-spark.
 */
#include "parse.h"
#include "text.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * Spark reads sizes with JavaUtils.byteStringAsMb: digits, an optional
 * unit (k, kb, m, mb, g, gb, t, tb, ...; any case), a bare number is MiB,
 * fractions are an error.  We accept exactly that for these units, and
 * refuse what Spark would take but the JVM or a step cannot use: zero,
 * more than 16 TiB, and k sizes that are not whole MiB (Spark would round
 * them down; -Xmx and Spark's MiB-based sizing need whole MiB).  Spark
 * also trims blanks and takes b and p units: not here.
 */
static const char *size_parse(const char *s, uint64_t *mb)
{
	size_t n, digits, lead;
	uint64_t value = 0, kib_per_unit;

	if (!s || !*s)
		return "no size given";
	n = strlen(s);
	digits = strspn(s, "0123456789");
	if (digits == 0)
		return "it must start with a whole number (no sign, no blanks)";
	if (s[digits] == '.')
		return "fractions are not accepted: use a smaller unit, e.g. "
		       "1536m for 1.5g";
	/* Spark's "8gb" has an optional trailing "b". */
	if (n == digits + 2 && (s[n - 1] == 'b' || s[n - 1] == 'B'))
		n--;
	if (n == digits) {
		kib_per_unit = 1024; /* bare number: MiB */
	} else if (n == digits + 1) {
		switch (s[digits]) {
		case 'k':
		case 'K':
			kib_per_unit = 1;
			break;
		case 'm':
		case 'M':
			kib_per_unit = 1024;
			break;
		case 'g':
		case 'G':
			kib_per_unit = 1024ULL * 1024;
			break;
		case 't':
		case 'T':
			kib_per_unit = 1024ULL * 1024 * 1024;
			break;
		default:
			return "unknown unit: use k, m, g or t (or kb, mb, gb, "
			       "tb)";
		}
	} else {
		return "unknown unit: use k, m, g or t (or kb, mb, gb, tb)";
	}
	/* Leading zeros are fine (Spark's Long.parseLong takes them); 15
	 * significant digits are more than 16 TiB in any unit and cannot
	 * overflow. */
	for (lead = 0; lead + 1 < digits && s[lead] == '0'; lead++)
		;
	if (digits - lead > 15)
		return "larger than 16t, the most accepted";
	for (size_t i = lead; i < digits; i++)
		value = value * 10 + (uint64_t)(s[i] - '0');
	if (value == 0)
		return "a size must be more than 0";
	if (value > SS_SIZE_MAX_MB * 1024 / kib_per_unit)
		return "larger than 16t, the most accepted";
	if (value * kib_per_unit % 1024)
		return "not a whole number of MiB (the JVM's heap is set in "
		       "MiB): use a multiple of 1024k, or m";
	*mb = value * kib_per_unit / 1024;
	return NULL;
}

int ss_parse_size_mb(const char *s, uint64_t *mb)
{
	return size_parse(s, mb) ? -1 : 0;
}

const char *ss_size_problem(const char *s)
{
	uint64_t mb;

	return size_parse(s, &mb);
}

int ss_size_to_spark(const char *s, char *out, size_t outlen)
{
	uint64_t mb;
	int n;

	if (ss_parse_size_mb(s, &mb) || !out)
		return -1;
	n = snprintf(out, outlen, "%llum", (unsigned long long)mb);
	return (n < 0 || (size_t)n >= outlen) ? -1 : 0;
}

int ss_parse_long(const char *s, long min, long max, long *out)
{
	long v;
	char *end;

	if (!s || !all_digits(s, strlen(s)))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int ss_parse_mode(const char *s, enum ss_mode *out)
{
	if (!s)
		return -1;
	if (!strcmp(s, "cluster"))
		*out = SS_MODE_CLUSTER;
	else if (!strcmp(s, "client"))
		*out = SS_MODE_CLIENT;
	else
		return -1;
	return 0;
}

const char *ss_mode_name(enum ss_mode mode)
{
	switch (mode) {
	case SS_MODE_CLUSTER:
		return "cluster";
	case SS_MODE_CLIENT:
		return "client";
	default:
		return "none";
	}
}

int ss_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"yes", "on", "true", "1"};
	static const char *const no[] = {"no", "off", "false", "0"};

	if (!s)
		return -1;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

size_t ss_conf_key_len(const char *s)
{
	const char *eq = strchr(s, '=');

	return eq ? (size_t)(eq - s) : 0;
}

int ss_check_conf_pair(const char *s)
{
	size_t key_len;

	if (!s || !isalpha((unsigned char)s[0]))
		return -1;
	key_len = ss_conf_key_len(s);
	if (key_len == 0 || key_len > 256)
		return -1;
	for (size_t i = 0; i < key_len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return -1;
	/* The value may be empty or hold blanks; it must be UTF-8 without
	 * control characters, which would break spark-defaults.conf. */
	return (s[key_len + 1] == '\0' || ss_text_ok(s + key_len + 1, 8192))
		   ? 0
		   : -1;
}

int ss_check_class_name(const char *s)
{
	bool start = true;

	if (!s || !*s || strlen(s) > 1024)
		return -1;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '.') {
			if (start)
				return -1;
			start = true;
			continue;
		}
		if (!(isalpha(c) || c == '_' || c == '$' ||
		      (!start && isdigit(c))))
			return -1;
		start = false;
	}
	return start ? -1 : 0;
}

int ss_check_text(const char *s)
{
	return ss_text_ok(s, 256) ? 0 : -1;
}

int ss_check_path(const char *s)
{
	return ss_text_ok(s, 4095) ? 0 : -1;
}

int ss_check_list(const char *s)
{
	const char *p;

	if (!ss_text_ok(s, SS_LIST_MAX))
		return -1;
	if (s[0] == ',' || s[strlen(s) - 1] == ',' || strstr(s, ",,"))
		return -1;
	for (p = s; *p; p++)
		if (isspace((unsigned char)*p))
			return -1;
	return 0;
}

/* Copies s into buf and cuts it at the first sep: buf holds the part
 * before it and the part after is returned; NULL when s does not fit or
 * has no sep. */
static const char *split_copy(const char *s, char sep, char *buf, size_t len)
{
	char *at;

	if (!s || strlen(s) >= len)
		return NULL;
	strcpy(buf, s);
	at = strchr(buf, sep);
	if (!at)
		return NULL;
	*at = '\0';
	return at + 1;
}

int ss_parse_port_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	char buf[32];
	const char *dash = split_copy(s, '-', buf, sizeof(buf));
	long a, b;

	if (!dash)
		return -1;
	if (ss_parse_long(buf, 1024, 65535, &a) ||
	    ss_parse_long(dash, 1024, 65535, &b))
		return -1;
	if (b - a + 1 < SS_PORT_RANGE_MIN)
		return -1;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

int ss_parse_cidr(const char *s, struct in_addr *net, unsigned *prefix)
{
	char buf[INET_ADDRSTRLEN + 4];
	const char *bits = split_copy(s, '/', buf, sizeof(buf));
	long p;
	uint32_t mask;

	if (!bits || inet_pton(AF_INET, buf, net) != 1)
		return -1;
	if (ss_parse_long(bits, 0, 32, &p))
		return -1;
	mask = p ? htonl(~0U << (32 - p)) : 0;
	net->s_addr &= mask;
	*prefix = (unsigned)p;
	return 0;
}

bool ss_cidr_contains(struct in_addr net, unsigned prefix, struct in_addr addr)
{
	uint32_t mask = prefix ? htonl(~0U << (32 - prefix)) : 0;

	return (addr.s_addr & mask) == net.s_addr;
}

int ss_hostlist_first(const char *list, char *out, size_t outlen)
{
	size_t prefix, digits;
	const char *br;

	if (!list || !*list)
		return -1;
	prefix = strcspn(list, ",[");
	if (prefix == 0 || prefix >= outlen)
		return -1;
	memcpy(out, list, prefix);
	out[prefix] = '\0';
	if (list[prefix] != '[')
		return 0;
	/* "node[01-04]": keep the first number as written (zero padding). */
	br = list + prefix + 1;
	digits = strspn(br, "0123456789");
	if (digits == 0 || br[digits] == '\0' || !strchr("-,]", br[digits]) ||
	    !strchr(br, ']') || prefix + digits >= outlen)
		return -1;
	memcpy(out + prefix, br, digits);
	out[prefix + digits] = '\0';
	return 0;
}

/* One "[a-b,c]" range list at P (after the '['): host number *N of it into
 * OUT after PREFIX (LEN bytes), else *N less the hosts it has.  1 found, 0
 * not in it, -1 malformed.  *END: the character after the ']'. */
static int range_nth(const char *p, long *n, char *out, size_t outlen,
		     size_t len, const char **end)
{
	for (;;) {
		size_t w = strspn(p, "0123456789"), w2 = 0;
		unsigned long lo, hi;
		char *e;

		if (w == 0 || w > 9)
			return -1;
		lo = hi = strtoul(p, &e, 10);
		p += w;
		if (*p == '-') {
			w2 = strspn(p + 1, "0123456789");
			if (w2 == 0 || w2 > 9)
				return -1;
			hi = strtoul(p + 1, &e, 10);
			p += 1 + w2;
		}
		if (hi < lo)
			return -1;
		if ((unsigned long)*n <= hi - lo) {
			int k = snprintf(out + len, outlen - len, "%0*lu",
					 (int)w, lo + (unsigned long)*n);

			if (k < 0 || (size_t)k >= outlen - len)
				return -1;
			*n = -1; /* found: the caller adds the suffix */
		} else {
			*n -= (long)(hi - lo + 1);
		}
		if (*p == ']') {
			*end = p + 1;
			return *n < 0;
		}
		if (*p != ',')
			return -1;
		p++;
	}
}

int ss_hostlist_nth(const char *list, long n, char *out, size_t outlen)
{
	const char *p = list;

	if (!list || n < 0 || outlen == 0)
		return -1;
	while (*p) {
		size_t len = strcspn(p, ",[");

		if (len == 0 || len >= outlen)
			return -1;
		memcpy(out, p, len);
		out[len] = '\0';
		p += len;
		if (*p == '[') {
			const char *end;
			int found =
			    range_nth(p + 1, &n, out, outlen, len, &end);

			if (found < 0 || (*end && *end != ','))
				return -1;
			if (found)
				return 0;
			p = end;
		} else if (n-- == 0) {
			return 0;
		}
		if (*p == ',')
			p++;
	}
	return -1;
}
