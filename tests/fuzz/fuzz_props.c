/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_props.c - the Java properties writer and reader: the input is KEY
 * NUL VALUE.  Whatever the input, the writer's output is one line of
 * printable ASCII that the reader (ss_props_parse) gives back as exactly
 * KEY and VALUE; the reader, given the raw input as a file, hands out only
 * UTF-8 and never crashes. */
#include "fuzz.h"
#include "props.h"
#include "text.h"

static bool valid_utf8(const char *s)
{
	size_t len = strlen(s);
	uint32_t cp;

	for (size_t off = 0; off < len;) {
		int n = ss_utf8_decode(s + off, len - off, &cp);

		if (n < 0)
			return false;
		off += (size_t)n;
	}
	return true;
}

struct pairs {
	const char *key, *value;
	int n, same;
};

static int got_pair(const char *key, const char *value, void *arg)
{
	struct pairs *p = arg;

	CHECK(valid_utf8(key) && valid_utf8(value));
	p->n++;
	if (p->key && !strcmp(key, p->key) && !strcmp(value, p->value))
		p->same++;
	return 0;
}

/* What ss_props_write makes of KEY and VALUE reads back as them. */
static void round_trip(const char *key, const char *value)
{
	struct pairs p = {.key = key, .value = value};
	char *buf = NULL, err[256];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	if (ss_props_write(f, key, value) == 0) {
		fclose(f);
		CHECK(ss_props_parse(buf, len, got_pair, &p, err,
				     sizeof(err)) == 0);
		CHECK(p.n == 1 && p.same == 1);
	} else {
		fclose(f);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pairs raw = {0};
	char err[256];
	char *key = fuzz_str(data, size);
	size_t klen = strlen(key);
	const char *value = klen < size ? key + klen + 1 : "";
	char *copy =
	    klen < size ? fuzz_str(data + klen + 1, size - klen - 1) : NULL;
	char out[8192];
	ssize_t n;

	if (copy)
		value = copy;
	n = ss_props_escape(value, false, out, sizeof(out));
	/* Refused exactly when it is not UTF-8. */
	CHECK((n >= 0) == valid_utf8(value));
	if (n >= 0) {
		CHECK((size_t)n >= strlen(value));
		CHECK(strlen(out) ==
		      ((size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1));
		for (const char *p = out; *p; p++)
			CHECK(*p >= 0x20 && *p <= 0x7e);
		/* A value never starts with a blank load() would skip. */
		CHECK(out[0] != ' ');
	}
	n = ss_props_escape(key, true, out, sizeof(out));
	if (n >= 0)
		for (const char *p = out; *p; p++) {
			CHECK(*p >= 0x20 && *p <= 0x7e);
			/* Nothing that ends a key unescaped. */
			if (*p == '\\' && p[1])
				p++;
			else
				CHECK(!strchr("=: \t\f", *p));
		}
	if (valid_utf8(key) && valid_utf8(value))
		round_trip(key, value);
	ss_props_parse((const char *)data, size, got_pair, &raw, err,
		       sizeof(err));
	free(copy);
	free(key);
	return 0;
}
