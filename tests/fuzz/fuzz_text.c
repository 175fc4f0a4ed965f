/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_text.c - UTF-8 validation and the escaping of values in messages:
 * the escaped form is never raw control bytes, always valid UTF-8. */
#include "fuzz.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), out[SS_ESCAPED_MAX], tiny[8];

	(void)ss_text_ok(s, 4096);
	ss_escape(s, out, sizeof(out));
	CHECK(strlen(out) < sizeof(out) && fuzz_clean(out));
	CHECK(!out[0] || ss_text_ok(out, sizeof(out)));
	/* Escaping text that is already fine changes only backslashes. */
	if (ss_text_ok(s, sizeof(out) / 2) && !strchr(s, '\\'))
		CHECK(!strcmp(out, s));
	ss_escape(s, tiny, sizeof(tiny));
	CHECK(strlen(tiny) < sizeof(tiny) && fuzz_clean(tiny));
	free(s);
	return 0;
}
