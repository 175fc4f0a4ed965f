/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_props.c - the Java properties writer: the input is KEY NUL VALUE.
 * Whatever the input, the output is one line of printable ASCII. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
	free(copy);
	free(key);
	return 0;
}
