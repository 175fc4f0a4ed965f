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

/* Read TEXT (LEN bytes, UTF-8) as java.util.Properties.load reads a
 * file: natural lines ending in \n, \r or \r\n; a line ending in an odd
 * number of backslashes continues on the next (its leading blanks
 * dropped); blank lines and lines whose first non-blank is '#' or '!'
 * skipped; the key ends at the first unescaped '=', ':' or blank, then
 * blanks and one '=' or ':' and blanks more; escapes \t \n \r \f
 * \uXXXX (a surrogate pair: one code point) and \X for X.  Values are not
 * trimmed (Spark trims them).  FN gets each pair in order, as UTF-8 (the
 * last one of a key wins, as in Java); a non-zero return stops the reading
 * and is returned.  -1 with one line in ERR: not UTF-8, a NUL, a bad \u
 * escape, or out of memory. */
typedef int (*ss_props_fn)(const char *key, const char *value, void *arg);
int ss_props_parse(const char *text, size_t len, ss_props_fn fn, void *arg,
		   char *err, size_t errlen);

#endif
