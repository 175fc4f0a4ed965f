/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * props.c - Java properties escaping, as Properties.store writes it.
 */
#include "props.h"
#include "text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct sink {
	char *out;
	size_t cap; /* bytes of OUT, with the NUL */
	size_t len; /* bytes the whole text takes */
};

static void put(struct sink *k, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, k->len++)
		if (k->len + 1 < k->cap)
			k->out[k->len] = s[i];
}

static void put_unit(struct sink *k, unsigned unit)
{
	static const char hex[] = "0123456789ABCDEF";
	char u[6] = {'\\',
		     'u',
		     hex[(unit >> 12) & 0xf],
		     hex[(unit >> 8) & 0xf],
		     hex[(unit >> 4) & 0xf],
		     hex[unit & 0xf]};

	put(k, u, sizeof(u));
}

static int escape(const char *s, bool is_key, struct sink *k)
{
	size_t len = strlen(s), off = 0;

	while (off < len) {
		uint32_t cp;
		int n = ss_utf8_decode(s + off, len - off, &cp);
		char esc[2] = {'\\', 0};

		if (n < 0)
			return -1;
		switch (cp) {
		case '\\':
		case '=':
		case ':':
		case '#':
		case '!':
			esc[1] = (char)cp;
			put(k, esc, 2);
			break;
		case '\t':
		case '\n':
		case '\r':
		case '\f':
			esc[1] = cp == '\t'   ? 't'
				 : cp == '\n' ? 'n'
				 : cp == '\r' ? 'r'
					      : 'f';
			put(k, esc, 2);
			break;
		case ' ':
			/* A leading blank would be skipped by load(); in a key
			 * any blank would end it. */
			if (is_key || off == 0)
				put(k, "\\ ", 2);
			else
				put(k, " ", 1);
			break;
		default:
			if (cp >= 0x20 && cp <= 0x7e) {
				char c = (char)cp;

				put(k, &c, 1);
			} else if (cp <= 0xffff) {
				put_unit(k, cp);
			} else {
				cp -= 0x10000;
				put_unit(k, 0xd800 + (cp >> 10));
				put_unit(k, 0xdc00 + (cp & 0x3ff));
			}
		}
		off += (size_t)n;
	}
	return 0;
}

ssize_t ss_props_escape(const char *s, bool is_key, char *out, size_t outlen)
{
	struct sink k = {out, outlen, 0};

	if (!s) {
		errno = EINVAL;
		return -1;
	}
	if (escape(s, is_key, &k)) {
		if (outlen)
			out[0] = '\0';
		errno = EILSEQ;
		return -1;
	}
	if (outlen)
		out[k.len < outlen ? k.len : outlen - 1] = '\0';
	return (ssize_t)k.len;
}

int ss_props_write(FILE *f, const char *key, const char *value)
{
	struct sink k = {NULL, 0, 0}, v = {NULL, 0, 0};
	char *line;
	int rc = 0;

	if (!f || !key || !value) {
		errno = EINVAL;
		return -1;
	}
	/* Measure (and validate) both before writing anything. */
	if (escape(key, true, &k) || escape(value, false, &v)) {
		errno = EILSEQ;
		return -1;
	}
	if (!(line = malloc(k.len + v.len + 3)))
		return -1;
	ss_props_escape(key, true, line, k.len + 1);
	line[k.len] = '=';
	ss_props_escape(value, false, line + k.len + 1, v.len + 1);
	line[k.len + 1 + v.len] = '\n';
	if (fwrite(line, 1, k.len + v.len + 2, f) != k.len + v.len + 2)
		rc = -1;
	free(line);
	return rc;
}
