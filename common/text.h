/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * text.h - UTF-8 text as users give it, and as messages show it.
 *
 * Every free-text value (names, paths, lists, --spark-conf values) must be
 * valid UTF-8 without control characters: it ends up in Java properties,
 * command lines, logs and terminals.  Messages that quote a refused value
 * escape it, so a value never reaches a terminal or a log raw.
 */
#ifndef SPANK_SPARK_TEXT_H
#define SPANK_SPARK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one UTF-8 sequence of S (LEN bytes available) into *CP: its
 * length 1..4, or -1 when it is not well-formed (bad or missing
 * continuation, overlong form, surrogate, beyond U+10FFFF). */
int ss_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* A C0 or C1 control character, or DEL. */
bool ss_is_control(uint32_t cp);
/* S is 1..MAX bytes of valid UTF-8 with no control character. */
bool ss_text_ok(const char *s, size_t max);
/* S made safe to print inside quotes on one line: printable ASCII and
 * valid non-control UTF-8 as they are, a backslash as \\, \n \r \t, other
 * controls and bytes of invalid UTF-8 as \xNN; cut with "..." to fit OUT
 * (OUTLEN >= 8).  Returns OUT. */
#define SS_ESCAPED_MAX 256
const char *ss_escape(const char *s, char *out, size_t outlen);

#endif
