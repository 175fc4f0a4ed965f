/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * text.c - UTF-8 validation and escaping for messages.
 */
#include "text.h"

#include <stdio.h>
#include <string.h>

int ss_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	int n;

	if (len == 0)
		return -1;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 2, c = u[0] & 0x1f, min = 0x80;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3, c = u[0] & 0x0f, min = 0x800;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4, c = u[0] & 0x07, min = 0x10000;
	} else {
		return -1; /* continuation byte, C0/C1 overlong lead, F5+ */
	}
	if (len < (size_t)n)
		return -1;
	for (int i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	return n;
}

bool ss_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

bool ss_text_ok(const char *s, size_t max)
{
	size_t len, off = 0;

	if (!s || (len = strlen(s)) == 0 || len > max)
		return false;
	while (off < len) {
		uint32_t cp;
		int n = ss_utf8_decode(s + off, len - off, &cp);

		if (n < 0 || ss_is_control(cp))
			return false;
		off += (size_t)n;
	}
	return true;
}

const char *ss_escape(const char *s, char *out, size_t outlen)
{
	size_t len, off = 0, o = 0, cut = 0;

	if (outlen < 8) {
		if (outlen)
			out[0] = '\0';
		return out;
	}
	if (!s)
		s = "";
	len = strlen(s);
	while (off < len) {
		char piece[8];
		uint32_t cp;
		int n = ss_utf8_decode(s + off, len - off, &cp);
		size_t plen;

		if (n < 0) {
			snprintf(piece, sizeof(piece), "\\x%02x",
				 (unsigned char)s[off]);
			n = 1;
		} else if (cp == '\\' || cp == '\n' || cp == '\r' ||
			   cp == '\t') {
			piece[0] = '\\';
			piece[1] = cp == '\\'	? '\\'
				   : cp == '\n' ? 'n'
				   : cp == '\r' ? 'r'
						: 't';
			piece[2] = '\0';
		} else if (ss_is_control(cp)) {
			/* Each byte: a C1 control is two. */
			snprintf(piece, sizeof(piece), "\\x%02x",
				 (unsigned char)s[off]);
			n = 1;
		} else {
			memcpy(piece, s + off, (size_t)n);
			piece[n] = '\0';
		}
		plen = strlen(piece);
		if (o + plen >= outlen) {
			/* Back to the last boundary with room for "...". */
			memcpy(out + cut, "...", 3);
			o = cut + 3;
			break;
		}
		memcpy(out + o, piece, plen);
		o += plen;
		off += (size_t)n;
		if (o + 3 < outlen)
			cut = o;
	}
	out[o] = '\0';
	return out;
}
