/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_conf_pair.c - ss_check_conf_pair and ss_conf_key_len. */
#include "fuzz.h"
#include "parse.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	size_t key_len = ss_conf_key_len(s);

	if (ss_check_conf_pair(s) == 0) {
		CHECK(key_len > 0 && key_len <= 256 && s[key_len] == '=');
		CHECK(s[key_len + 1] == '\0' ||
		      ss_text_ok(s + key_len + 1, 8192));
		CHECK(!strchr(s, '\n'));
	}
	free(s);
	return 0;
}
