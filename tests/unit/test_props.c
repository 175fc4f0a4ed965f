/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_props.c - the Java properties writer: exact output for every
 * special character (as java.util.Properties.store writes it), and a
 * round trip through a reader that follows Properties.load's rules.
 */
#include "tap.h"
#include "props.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void value_is(const char *value, const char *want)
{
	char out[512];
	ssize_t n = ss_props_escape(value, false, out, sizeof(out));

	is_str(out, want, "value '%s' escaped", value);
	is_int(n, strlen(want), "... length");
}

static void key_is(const char *key, const char *want)
{
	char out[512];

	ss_props_escape(key, true, out, sizeof(out));
	is_str(out, want, "key '%s' escaped", key);
}

static void test_escape(void)
{
	value_is("1", "1");
	value_is("", "");
	value_is("=x", "\\=x");
	value_is(":x", "\\:x");
	value_is("a=b:c", "a\\=b\\:c");
	value_is("#not a comment", "\\#not a comment");
	value_is("!not a comment", "\\!not a comment");
	value_is(" lead", "\\ lead");
	value_is("  two", "\\  two");
	value_is("a b ", "a b ");
	value_is("C:\\dir\\", "C\\:\\\\dir\\\\");
	value_is("a\nspark.evil=1", "a\\nspark.evil\\=1");
	value_is("\t\r\f", "\\t\\r\\f");
	value_is("\x01\x1f\x7f", "\\u0001\\u001F\\u007F");
	value_is("\"$%&'()*+,-./;<>?@[]^_`{|}~",
		 "\"$%&'()*+,-./;<>?@[]^_`{|}~");
	value_is("caf\xc3\xa9", "caf\\u00E9");
	value_is("\xc2\x85", "\\u0085");
	value_is("\xe2\x82\xac", "\\u20AC");
	value_is("\xef\xbf\xbf", "\\uFFFF");
	value_is("\xf0\x9f\x98\x80", "\\uD83D\\uDE00");
	value_is("\xf4\x8f\xbf\xbf", "\\uDBFF\\uDFFF");
	value_is("\xf0\x90\x80\x80", "\\uD800\\uDC00");
	key_is("spark.a", "spark.a");
	key_is(" k", "\\ k");
	key_is("a b", "a\\ b");
	key_is("k=v", "k\\=v");
	key_is("k:v", "k\\:v");
	key_is("#k", "\\#k");
	key_is("k\n", "k\\n");
}

static void test_refused(void)
{
	static const char *const bad[] = {
	    "caf\xe9", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\xc3",
	};
	char out[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(out, "untouched", 10);
		errno = 0;
		is_int(ss_props_escape(bad[i], false, out, sizeof(out)), -1,
		       "invalid UTF-8 %zu refused", i);
		is_int(errno, EILSEQ, "... with EILSEQ");
		is_str(out, "", "... and no partial output");
	}
	errno = 0;
	ok(ss_props_escape(NULL, false, out, sizeof(out)) == -1 &&
	       errno == EINVAL,
	   "NULL refused");
}

static void test_small_buffer(void)
{
	char out[6];

	is_int(ss_props_escape("=====", false, out, sizeof(out)), 10,
	       "length of the whole text returned");
	is_str(out, "\\=\\=\\", "cut to the buffer, NUL-terminated");
	is_int(ss_props_escape("abc", false, NULL, 0), 3,
	       "measuring with no buffer");
}

/* Properties.load's rules, enough for one-line properties: leading
 * blanks skipped, # and ! comment lines, the key ends at an unescaped
 * '=', ':' or blank, then blanks, one '=' or ':', blanks; \uXXXX (with
 * surrogate pairs, turned into UTF-8 here), \t \n \r \f, \X is X.  A line
 * ending in an odd number of backslashes continues on the next. */
static size_t utf8_put(char *o, uint32_t cp)
{
	if (cp < 0x80)
		return o[0] = (char)cp, 1;
	if (cp < 0x800)
		return o[0] = (char)(0xc0 | cp >> 6),
		       o[1] = (char)(0x80 | (cp & 0x3f)), 2;
	if (cp < 0x10000)
		return o[0] = (char)(0xe0 | cp >> 12),
		       o[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
		       o[2] = (char)(0x80 | (cp & 0x3f)), 3;
	return o[0] = (char)(0xf0 | cp >> 18),
	       o[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
	       o[2] = (char)(0x80 | ((cp >> 6) & 0x3f)),
	       o[3] = (char)(0x80 | (cp & 0x3f)), 4;
}

/* Unescape [P, END) into OUT; stop at an unescaped terminator when KEY. */
static const char *unescape(const char *p, const char *end, bool key, char *out)
{
	uint32_t high = 0;

	while (p < end) {
		uint32_t c = (unsigned char)*p;

		if (key && (c == '=' || c == ':' || c == ' ' || c == '\t' ||
			    c == '\f'))
			break;
		p++;
		if (c == '\\' && p < end) {
			c = (unsigned char)*p++;
			if (c == 'u' && end - p >= 4) {
				c = (uint32_t)strtoul(
				    (char[5]){p[0], p[1], p[2], p[3], 0}, NULL,
				    16);
				p += 4;
			} else {
				c = c == 't'   ? '\t'
				    : c == 'n' ? '\n'
				    : c == 'r' ? '\r'
				    : c == 'f' ? '\f'
					       : c;
			}
		}
		if (c >= 0xd800 && c <= 0xdbff) {
			high = c;
			continue;
		}
		if (c >= 0xdc00 && c <= 0xdfff && high) {
			c = 0x10000 + ((high - 0xd800) << 10) + (c - 0xdc00);
			high = 0;
		}
		out += utf8_put(out, c);
	}
	*out = '\0';
	return p;
}

/* Count the properties in TEXT; the first one into KEY and VALUE. */
static int load(const char *text, char *key, char *value)
{
	int count = 0;
	const char *p = text;

	while (*p) {
		const char *eol = p + strcspn(p, "\r\n");
		char k[1024], v[1024];

		p += strspn(p, " \t\f");
		if (p < eol && *p != '#' && *p != '!') {
			const char *q = unescape(p, eol, true, k);

			q += strspn(q, " \t\f");
			if (q < eol && (*q == '=' || *q == ':'))
				q++;
			q += strspn(q, " \t\f");
			if (q > eol)
				q = eol;
			unescape(q, eol, false, v);
			if (count++ == 0) {
				strcpy(key, k);
				strcpy(value, v);
			}
		}
		p = *eol ? eol + 1 : eol;
	}
	return count;
}

/* ss_props_parse into a list "k=v;k=v;" (escaped bytes as they are). */
struct collect {
	char text[2048];
	int n;
};

static int collect(const char *key, const char *value, void *arg)
{
	struct collect *c = arg;
	size_t len = strlen(c->text);

	snprintf(c->text + len, sizeof(c->text) - len, "%s=%s;", key, value);
	c->n++;
	return 0;
}

static const char *parsed(const char *text)
{
	static struct collect c;
	char err[256] = "";

	memset(&c, 0, sizeof(c));
	if (ss_props_parse(text, strlen(text), collect, &c, err, sizeof(err)))
		snprintf(c.text, sizeof(c.text), "error: %s", err);
	return c.text;
}

static void round_trip(const char *key, const char *value)
{
	char *buf = NULL, k[1024] = "", v[1024] = "";
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ok(f && ss_props_write(f, key, value) == 0, "write '%s'='%s'", key,
	   value);
	if (f)
		fclose(f);
	ok(buf && len > 0 && buf[len - 1] == '\n' &&
	       strchr(buf, '\n') == buf + len - 1,
	   "... one line");
	is_int(load(buf ? buf : "", k, v), 1, "... loads as one property");
	is_str(k, key, "... the key comes back");
	is_str(v, value, "... the value comes back");
	{
		struct collect c = {.n = 0};
		char err[256] = "", want[2048];

		ok(buf &&
		       ss_props_parse(buf, len, collect, &c, err,
				      sizeof(err)) == 0 &&
		       c.n == 1,
		   "... ss_props_parse reads one property (%s)", err);
		snprintf(want, sizeof(want), "%s=%s;", key, value);
		is_str(c.text, want, "... ss_props_parse gives both back");
	}
	free(buf);
}

/* ss_props_parse as java.util.Properties.load. */
static void test_parse(void)
{
	char err[128];
	int rc;

	is_str(parsed("a=1\nb = 2\n c:3\nd 4\ne\n"), "a=1;b=2;c=3;d=4;e=;",
	       "separators: '=', ':', blanks; a key alone");
	is_str(parsed("a = = x\n"), "a== x;",
	       "only the first '=' after the key is a separator");
	is_str(parsed("a  := x\n"), "a== x;", "blanks then one separator");
	is_str(parsed("# c\n  ! c\n\n   \nk=v\n"), "k=v;",
	       "comments and blank lines skipped");
	is_str(parsed("k=a\\\n    b\\\n c\n"), "k=abc;",
	       "a trailing backslash continues, the next line's blanks "
	       "dropped");
	is_str(parsed("k=a\\\\\nb=c\n"), "k=a\\;b=c;",
	       "two trailing backslashes are one, not a continuation");
	is_str(parsed("# c \\\nk=v\n"), "k=v;",
	       "a comment line does not continue");
	is_str(parsed("k=\\\n# not a comment\n"), "k=# not a comment;",
	       "...but a continued line may start with '#'");
	is_str(parsed("a=1\r\nb=2\rc=3"), "a=1;b=2;c=3;",
	       "\\r\\n, \\r and no final newline end lines");
	is_str(parsed("k\\ e\\=y\\:=v\\t\\q\n"), "k e=y:=v\tq;",
	       "escapes in keys and values");
	is_str(parsed("k=caf\\u00e9 \\uD83D\\uDE00\n"),
	       "k=caf\xc3\xa9 \xf0\x9f\x98\x80;",
	       "\\uXXXX and a surrogate pair as UTF-8");
	is_str(parsed("k= v \n"), "k=v ;",
	       "leading blanks of a value dropped, trailing kept");
	is_str(parsed("k=1\nk=2\n"), "k=1;k=2;", "every pair, in order");
	is_str(parsed("k=v\\"), "k=v;",
	       "a backslash at the very end is dropped");
	rc = ss_props_parse("k=\\u12", 6, collect, &(struct collect){0}, err,
			    sizeof(err));
	ok(rc == -1, "a short \\u escape is refused");
	like(err, "\\uXXXX", "...saying which escape");
	rc = ss_props_parse("k=\\uD800x", 9, collect, &(struct collect){0}, err,
			    sizeof(err));
	ok(rc == -1, "an unpaired surrogate is refused");
	like(err, "surrogate", "...saying so");
	rc = ss_props_parse("k=\xff\n", 4, collect, &(struct collect){0}, err,
			    sizeof(err));
	ok(rc == -1, "bytes that are not UTF-8 are refused");
	like(err, "UTF-8", "...saying so");
	rc = ss_props_parse("k=a\0b", 5, collect, &(struct collect){0}, err,
			    sizeof(err));
	ok(rc == -1, "a NUL byte is refused");
}

static void test_round_trip(void)
{
	round_trip("spark.a", "=x");
	round_trip("spark.a", ":x");
	round_trip("spark.a", "==");
	round_trip("spark.a", " leading and trailing ");
	round_trip("spark.a", "a\nspark.authenticate=false");
	round_trip("spark.a", "x\r\nspark.b=1");
	round_trip("spark.a", "ends with a backslash\\");
	round_trip("spark.a", "\\u0041 is not A");
	round_trip("spark.a", "#!");
	round_trip("spark.a", "");
	round_trip("spark.a", "\t\f");
	round_trip("spark.a", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	round_trip("key with = and : and spaces", "v");
	round_trip("#key", "v");
	round_trip("\xe6\x97\xa5", "\xe6\x9c\xac");
}

static void test_write(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ok(ss_props_write(f, "spark.a", "1") == 0, "write a property");
	errno = 0;
	ok(ss_props_write(f, "spark.b", "bad\xff") == -1 && errno == EILSEQ,
	   "invalid UTF-8 value refused");
	ok(ss_props_write(f, "bad\xff", "v") == -1,
	   "invalid UTF-8 key refused");
	ok(ss_props_write(f, NULL, "v") == -1 && errno == EINVAL, "NULL key");
	ok(ss_props_write(NULL, "k", "v") == -1, "NULL file");
	fclose(f);
	is_str(buf, "spark.a=1\n", "nothing written for refused properties");
	free(buf);
}

int main(void)
{
	test_escape();
	test_refused();
	test_small_buffer();
	test_round_trip();
	test_parse();
	test_write();
	return done_testing();
}
