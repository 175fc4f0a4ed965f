/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * elastic.c - --spark-elastic's pure rules (elastic.h).
 */
#include "elastic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long elastic_parse_time(const char *s)
{
	long part[4] = {0, 0, 0, 0}, days = 0;
	int n = 0;
	const char *p = s;
	char *end;

	if (!s)
		return -2;
	if (!strcmp(s, "UNLIMITED") || !strcmp(s, "NOT_SET"))
		return ELASTIC_UNLIMITED;
	if (strchr(s, '-')) {
		if (*s < '0' || *s > '9')
			return -2;
		days = strtol(s, &end, 10);
		if (*end != '-' || days > 100000)
			return -2;
		p = end + 1;
	}
	for (;;) {
		if (*p < '0' || *p > '9' || n == 3)
			return -2;
		part[n++] = strtol(p, &end, 10);
		if (end - p > 6)
			return -2;
		if (*end == '\0')
			break;
		if (*end != ':')
			return -2;
		p = end + 1;
	}
	/* MM:SS, HH:MM:SS; with days always HH[:MM[:SS]]. */
	if (days || strchr(s, '-')) {
		long h = part[0], m = n > 1 ? part[1] : 0,
		     sec = n > 2 ? part[2] : 0;

		return ((days * 24 + h) * 60 + m) * 60 + sec;
	}
	if (n == 1)
		return part[0];
	if (n == 2)
		return part[0] * 60 + part[1];
	return (part[0] * 60 + part[1]) * 60 + part[2];
}

long elastic_time_minutes(long seconds)
{
	return seconds > 0 ? seconds / 60 : 0;
}

int elastic_change(int want, int room, int per_node, int pending, int joined,
		   int max)
{
	int short_of, need;

	if (per_node < 1 || max < 1)
		return 0;
	short_of = want - room;
	need = short_of > 0 ? (short_of + per_node - 1) / per_node : 0;
	if (need > pending) {
		int free = max - pending - joined;
		int more = need - pending;

		return more < free ? more : (free > 0 ? free : 0);
	}
	return need - pending; /* <= 0: pending ones no longer wanted */
}

bool elastic_token_equal(const char *a, const char *b, size_t len)
{
	unsigned char d = 0;

	for (size_t i = 0; i < len; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}
