/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_text.c - UTF-8 validation of free text, and escaping of values
 * quoted in messages.
 */
#include "tap.h"
#include "text.h"

#include <string.h>

static void test_decode(void)
{
	static const struct {
		const char *s;
		int len;
		unsigned cp;
	} good[] = {
	    {"A", 1, 0x41},
	    {"\xc3\xa9", 2, 0xe9},	      /* é */
	    {"\xc2\x80", 2, 0x80},	      /* smallest 2-byte */
	    {"\xe2\x82\xac", 3, 0x20ac},      /* € */
	    {"\xef\xbf\xbf", 3, 0xffff},      /* largest 3-byte */
	    {"\xf0\x9f\x98\x80", 4, 0x1f600}, /* emoji */
	    {"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
	};
	static const char *const bad[] = {
	    "\x80",		/* lone continuation */
	    "\xbf",		/* lone continuation */
	    "\xc0\xaf",		/* overlong '/' */
	    "\xc1\xbf",		/* overlong */
	    "\xe0\x80\xaf",	/* overlong '/' */
	    "\xe0\x9f\xbf",	/* overlong */
	    "\xf0\x80\x80\xaf", /* overlong '/' */
	    "\xed\xa0\x80",	/* surrogate U+D800 */
	    "\xed\xbf\xbf",	/* surrogate U+DFFF */
	    "\xf4\x90\x80\x80", /* U+110000 */
	    "\xf5\x80\x80\x80",
	    "\xff",
	    "\xfe",
	    "\xc3",	    /* truncated */
	    "\xe2\x82",	    /* truncated */
	    "\xf0\x9f\x98", /* truncated */
	    "\xc3\x28",	    /* bad continuation */
	    "\xe2\x28\xa1", /* bad continuation */
	};
	uint32_t cp;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		cp = 0;
		is_int(ss_utf8_decode(good[i].s, strlen(good[i].s), &cp),
		       good[i].len, "decode U+%04X: length", good[i].cp);
		is_int(cp, good[i].cp, "decode U+%04X: code point", good[i].cp);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(ss_utf8_decode(bad[i], strlen(bad[i]), &cp), -1,
		       "ill-formed sequence %zu refused", i);
	is_int(ss_utf8_decode("\xc3\xa9", 1, &cp), -1,
	       "a sequence past LEN refused");
	is_int(ss_utf8_decode("", 0, &cp), -1, "nothing to decode");
}

static void test_text_ok(void)
{
	ok(ss_text_ok("my app", 256), "ASCII text");
	ok(ss_text_ok("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 256),
	   "UTF-8 text");
	ok(!ss_text_ok("", 256), "empty refused");
	ok(!ss_text_ok(NULL, 256), "NULL refused");
	ok(!ss_text_ok("abc", 2), "longer than MAX refused");
	ok(ss_text_ok("ab", 2), "exactly MAX accepted");
	ok(!ss_text_ok("caf\xe9", 256), "Latin-1 (invalid UTF-8) refused");
	ok(!ss_text_ok("a\nb", 256), "a newline refused");
	ok(!ss_text_ok("a\tb", 256), "a tab refused");
	ok(!ss_text_ok("a\x1b[31mb", 256), "an escape sequence refused");
	ok(!ss_text_ok("a\x7f", 256), "DEL refused");
	ok(!ss_text_ok("a\xc2\x85", 256), "C1 NEL (U+0085) refused");
	ok(!ss_text_ok("a\xc2\x9b", 256), "C1 CSI (U+009B) refused");
	ok(ss_text_ok("a\xc2\xa0", 256), "no-break space U+00A0 accepted");
	ok(!ss_text_ok("\xed\xa0\x80", 256), "a surrogate refused");
}

static void test_escape(void)
{
	char out[SS_ESCAPED_MAX], small[12];

	is_str(ss_escape("plain text", out, sizeof(out)), "plain text",
	       "plain text unchanged");
	is_str(ss_escape("a\nb\tc\rd\\e", out, sizeof(out)),
	       "a\\nb\\tc\\rd\\\\e", "newline, tab, CR, backslash");
	is_str(ss_escape("\x1b[2J", out, sizeof(out)), "\\x1b[2J",
	       "terminal escape shown as \\x1b");
	is_str(ss_escape("caf\xe9", out, sizeof(out)), "caf\\xe9",
	       "invalid UTF-8 byte shown as \\xe9");
	is_str(ss_escape("caf\xc3\xa9", out, sizeof(out)), "caf\xc3\xa9",
	       "valid UTF-8 kept");
	is_str(ss_escape("\xc2\x9b"
			 "1m",
			 out, sizeof(out)),
	       "\\xc2\\x9b1m", "C1 control shown byte by byte");
	is_str(ss_escape("\x7f", out, sizeof(out)), "\\x7f", "DEL");
	is_str(ss_escape(NULL, out, sizeof(out)), "", "NULL is empty");
	is_str(ss_escape("0123456789abcdef", small, sizeof(small)),
	       "01234567...", "cut to fit with ...");
	is_str(ss_escape("0123456789a", small, sizeof(small)), "0123456789a",
	       "exactly fits: not cut");
	is_str(ss_escape("\n\n\n\n\n\n", small, sizeof(small)),
	       "\\n\\n\\n\\n...", "never cuts an escape in half");
	is_str(ss_escape("ab\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80",
			 small, sizeof(small)),
	       "ab\xf0\x9f\x98\x80...", "never cuts a character in half");
	{
		char big[2000];

		memset(big, '\n', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		ss_escape(big, out, sizeof(out));
		ok(strlen(out) < sizeof(out), "long input stays in OUT");
		ok(!strchr(out, '\n'), "... with no raw newline");
	}
}

int main(void)
{
	test_decode();
	test_text_ok();
	test_escape();
	return done_testing();
}
