/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * props.h - write Java properties files (spark-defaults.conf style) as
 * java.util.Properties.store does, so that Spark reads back exactly the
 * key and value given, whatever they hold.
 *
 * Escaping (Properties.saveConvert, with Unicode escapes on):
 *  - '\\' '\t' '\n' '\r' '\f' as \\ \t \n \r \f;
 *  - '=' ':' '#' '!' with a backslash, in keys and values;
 *  - a space with a backslash: every space in a key, only a leading one
 *    in a value;
 *  - anything outside printable ASCII (0x20..0x7e) as \uXXXX (upper-case
 *    hex) of its UTF-16 code units: a surrogate pair above U+FFFF.
 * The output is plain ASCII, one line per property.  Input must be valid
 * UTF-8 (text.h): anything else is refused and nothing is written.
 */
#ifndef SPANK_SPARK_PROPS_H
#define SPANK_SPARK_PROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Escape S as a key (IS_KEY) or a value into OUT (OUTLEN bytes, NUL
 * terminated, cut when too small, like snprintf).  Returns the length
 * of the whole escaped text, or -1 (errno EILSEQ) when S is not valid
 * UTF-8 (OUT then holds ""). */
ssize_t ss_props_escape(const char *s, bool is_key, char *out, size_t outlen);
/* Write "KEY=VALUE\n", escaped, to F.  0, or -1 with errno EILSEQ (not
 * UTF-8: nothing written), EINVAL (NULL) or the write's error. */
int ss_props_write(FILE *f, const char *key, const char *value);

#endif
