/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - shared bits of the libFuzzer harnesses (make fuzz).
 *
 * Each harness checks properties, not only crashes: a broken property
 * aborts, which libFuzzer reports like a crash and saves the input.
 */
#ifndef SPANK_SPARK_FUZZ_H
#define SPANK_SPARK_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "property failed: %s (%s:%d)\n",       \
				#cond, __FILE__, __LINE__);                    \
			abort();                                               \
		}                                                              \
	} while (0)

/* DATA as a NUL-terminated string (cut at an embedded NUL); free it. */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* No raw control byte (C0, DEL) in a message meant for a terminal. */
static inline bool fuzz_clean(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* Split a copy of DATA at NULs and newlines into at most MAX strings.
 * Returns the count; *BUF is the copy to free. */
static inline int fuzz_split(const uint8_t *data, size_t size, char **argv,
			     int max, char **buf)
{
	int n = 0;
	char *s = malloc(size + 1), *p;

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	p = s;
	for (size_t i = 0; i <= size && n < max; i++) {
		if (i == size || s[i] == '\0' || s[i] == '\n') {
			s[i] = '\0';
			argv[n++] = p;
			p = s + i + 1;
		}
	}
	*buf = s;
	return n;
}

#endif
