/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_size.c - ss_parse_size_mb, ss_size_problem, ss_size_to_spark. */
#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), out[32];
	uint64_t mb = 0, again = 0;
	int rc = ss_parse_size_mb(s, &mb);

	CHECK((rc == 0) == (ss_size_problem(s) == NULL));
	if (rc == 0) {
		CHECK(mb >= 1 && mb <= SS_SIZE_MAX_MB);
		CHECK(ss_size_to_spark(s, out, sizeof(out)) == 0);
		/* The normal form means the same size. */
		CHECK(ss_parse_size_mb(out, &again) == 0 && again == mb);
	} else {
		CHECK(ss_size_to_spark(s, out, sizeof(out)) == -1);
	}
	free(s);
	return 0;
}
