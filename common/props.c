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

/* --- reading (Properties.load) --- */

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* "\uXXXX" at S (N bytes left) as a UTF-16 unit; -1 if malformed. */
static long unit_at(const char *s, size_t n)
{
	long v = 0;

	if (n < 6 || s[0] != '\\' || s[1] != 'u')
		return -1;
	for (int i = 2; i < 6; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Unescape S (N bytes) into OUT (at least N + 1 bytes: an escape never
 * grows).  0, or -1 for a bad \u escape or a lone surrogate. */
static int unescape(const char *s, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		long u, lo;

		if (s[i] != '\\' || i + 1 == n) {
			/* A lone backslash at the very end: dropped. */
			if (s[i] != '\\')
				out[o++] = s[i];
			i++;
			continue;
		}
		if (s[i + 1] != 'u') {
			/* \t \n \r \f, and \X for any other X. */
			static const char letters[] = "tnrf",
					  controls[] = "\t\n\r\f";
			const char *c = strchr(letters, s[i + 1]);

			out[o++] = c && *c ? controls[c - letters] : s[i + 1];
			i += 2;
			continue;
		}
		if ((u = unit_at(s + i, n - i)) < 0 ||
		    (u >= 0xdc00 && u <= 0xdfff))
			return -1;
		if (u >= 0xd800 && u <= 0xdbff) {
			lo = unit_at(s + i + 6, n - i - 6);
			if (lo < 0xdc00 || lo > 0xdfff)
				return -1;
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			i += 6;
		}
		if (u == 0)
			return -1;
		o += put_utf8(out + o, (uint32_t)u);
		i += 6;
	}
	out[o] = '\0';
	return 0;
}

/* One logical line L (LEN bytes, continuations joined) as key and value. */
static int pair(const char *l, size_t len, ss_props_fn fn, void *arg, char *err,
		size_t errlen)
{
	size_t klen = 0, vstart = len;
	bool sep = false, backslash = false;
	char *key = malloc(len + 1), *value = malloc(len + 1);
	int rc = -1;

	if (!key || !value) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (; klen < len; klen++) {
		char c = l[klen];

		if ((c == '=' || c == ':') && !backslash) {
			vstart = klen + 1;
			sep = true;
			break;
		}
		if (blank(c) && !backslash) {
			vstart = klen + 1;
			break;
		}
		backslash = c == '\\' ? !backslash : false;
	}
	for (; vstart < len; vstart++) {
		char c = l[vstart];

		if (!blank(c) && (sep || (c != '=' && c != ':')))
			break;
		if (!blank(c))
			sep = true;
	}
	if (unescape(l, klen, key) ||
	    unescape(l + vstart, len - vstart, value)) {
		snprintf(err, errlen,
			 "a malformed \\uXXXX escape (or an unpaired "
			 "surrogate, or \\u0000) in '%.*s'",
			 (int)(klen < 60 ? klen : 60), l);
		goto out;
	}
	rc = fn(key, value, arg);
out:
	free(key);
	free(value);
	return rc;
}

int ss_props_parse(const char *text, size_t len, ss_props_fn fn, void *arg,
		   char *err, size_t errlen)
{
	char *line = NULL;
	size_t i = 0, n = 0;
	int rc = 0;

	for (size_t k = 0; k < len;) {
		uint32_t cp;
		int step = ss_utf8_decode(text + k, len - k, &cp);

		if (step <= 0 || cp == 0) {
			snprintf(err, errlen,
				 "not UTF-8 text (or a NUL byte) at byte %zu",
				 k);
			return -1;
		}
		k += (size_t)step;
	}
	if (!(line = malloc(len + 1))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (i < len && !rc) {
		bool more = true, first = true;

		n = 0;
		/* A logical line: natural lines joined by an odd number of
		 * trailing backslashes, each one's leading blanks dropped. */
		while (more && i < len) {
			size_t start, end, slashes = 0;

			while (i < len && blank(text[i]))
				i++;
			start = i;
			while (i < len && text[i] != '\n' && text[i] != '\r')
				i++;
			end = i;
			if (i < len && text[i] == '\r' && i + 1 < len &&
			    text[i + 1] == '\n')
				i++;
			if (i < len)
				i++;
			if (first && (start == end || text[start] == '#' ||
				      text[start] == '!'))
				continue; /* blank or comment: not continued */
			first = false;
			while (slashes < end - start &&
			       text[end - 1 - slashes] == '\\')
				slashes++;
			more = slashes % 2 == 1;
			memcpy(line + n, text + start,
			       end - start - (more ? 1 : 0));
			n += end - start - (more ? 1 : 0);
		}
		if (!first)
			rc = pair(line, n, fn, arg, err, errlen);
	}
	free(line);
	return rc;
}
