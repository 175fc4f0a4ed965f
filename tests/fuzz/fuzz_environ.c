/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_environ.c - the backstops' environment matcher, against a plain
 * reference: one buffer, split at NULs, the first entry of each name
 * decides.  Streaming in chunks of any size must agree with it. */
#include "environ_match.h"
#include "fuzz.h"

static const char *const marks[] = {"SPANK_SPARK_JOB=12", "SPANK_SPARK_STEP=0",
				    "SPANK_SPARK_HOST=n1"};

static bool reference(const char *buf, size_t len, size_t n)
{
	bool decided[3] = {false}, good[3] = {false};
	size_t start = 0;

	while (start < len) {
		const char *nul = memchr(buf + start, '\0', len - start);
		size_t elen = nul ? (size_t)(nul - buf) - start : len - start;
		const char *e = buf + start;

		for (size_t i = 0; i < n; i++) {
			size_t name =
			    (size_t)(strchr(marks[i], '=') - marks[i]) + 1;

			if (decided[i] || elen < name ||
			    memcmp(e, marks[i], name))
				continue;
			decided[i] = true;
			good[i] = elen == strlen(marks[i]) &&
				  !memcmp(e, marks[i], elen);
		}
		start += elen + 1;
	}
	for (size_t i = 0; i < n; i++)
		if (!good[i])
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ss_env_match m;
	size_t n, chunk, off = 0;
	const char *buf;
	bool want;

	if (size < 1)
		return 0;
	/* First byte: how many marks (1-3) and the chunk size (1-64). */
	n = (size_t)(data[0] % 3) + 1;
	chunk = (size_t)(data[0] >> 2) + 1;
	buf = (const char *)data + 1;
	size--;
	want = reference(buf, size, n);
	CHECK(ss_environ_match_buf(buf, size, marks, n) == want);
	CHECK(ss_env_match_init(&m, marks, n) == 0);
	while (off < size) {
		size_t k = size - off < chunk ? size - off : chunk;

		ss_env_match_feed(&m, buf + off, k);
		off += k;
	}
	CHECK(ss_env_match_result(&m, true) == want);
	return 0;
}
