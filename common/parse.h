/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse.h - validation of the values users and admins give spank-spark.
 *
 * Pure functions with no Slurm dependency: shared by the plugin (which
 * validates before anything is queued) and the helper, and unit-tested in
 * tests/unit.  Each returns 0 on success and -1 on a bad value; callers name
 * the option and what is accepted in their message.
 */
#ifndef SPANK_SPARK_PARSE_H
#define SPANK_SPARK_PARSE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

/* Largest memory size accepted anywhere: 16 TiB, in MiB. */
#define SS_SIZE_MAX_MB (16ULL * 1024 * 1024)

enum ss_mode { SS_MODE_NONE = 0, SS_MODE_CLUSTER, SS_MODE_CLIENT };

/* A size as Spark's JavaUtils.byteStringAsMb reads it, restricted to what
 * a JVM heap can be: "512m", "8g", "8gb", "1t", "4096k", "2048" (a bare
 * number is MiB); any case; 1 MiB to 16 TiB; k sizes in whole MiB.  No
 * sign, blanks, fractions, b or p units. */
int ss_parse_size_mb(const char *s, uint64_t *mb);
/* Why S is not a size (a phrase for a message), or NULL when it is. */
const char *ss_size_problem(const char *s);
/* A valid size in the form every consumer reads alike (Spark, -Xmx,
 * SPARK_DAEMON_MEMORY): "<MiB>m", e.g. "8gb" gives "8192m", "4096k"
 * "4m".  0, or -1 when S is not a size or OUT is too small. */
int ss_size_to_spark(const char *s, char *out, size_t outlen);
/* A decimal integer in [min, max]; no sign, no suffix, no spaces. */
int ss_parse_long(const char *s, long min, long max, long *out);
int ss_parse_mode(const char *s, enum ss_mode *out);
const char *ss_mode_name(enum ss_mode mode);
/* yes/no, on/off, true/false, 1/0. */
int ss_parse_bool(const char *s, bool *out);
/* "spark.some.key=value": key of [A-Za-z0-9._-] starting with a letter,
 * a value of at most 8192 bytes of text (may be empty). */
int ss_check_conf_pair(const char *s);
/* Length of the key part of a valid conf pair. */
size_t ss_conf_key_len(const char *s);
/* A Java binary class name: identifiers joined by dots. */
int ss_check_class_name(const char *s);
/* Free text in these checks is valid UTF-8 without control characters
 * (C0, DEL, C1): see text.h. */
/* Free text (an application name): at most 256 bytes. */
int ss_check_text(const char *s);
/* A comma-separated list of paths or URIs, no blanks or empty elements,
 * at most SS_LIST_MAX bytes. */
#define SS_LIST_MAX 65536
int ss_check_list(const char *s);
/* A single path: at most 4095 bytes. */
int ss_check_path(const char *s);
/* "20000-20999": unprivileged ports, at least SS_PORT_RANGE_MIN of them. */
#define SS_PORT_RANGE_MIN 16
int ss_parse_port_range(const char *s, uint16_t *lo, uint16_t *hi);
/* "10.1.0.0/16" (IPv4). */
int ss_parse_cidr(const char *s, struct in_addr *net, unsigned *prefix);
bool ss_cidr_contains(struct in_addr net, unsigned prefix, struct in_addr addr);
/* The first host of a Slurm host list: "node[3-5,7],gpu1" gives "node3". */
int ss_hostlist_first(const char *list, char *out, size_t outlen);
/* Host number N (from 0) of a Slurm host list, in the list's order:
 * "node[3-5,07],gpu1" has node3 node4 node5 node07 gpu1.  0, or -1 when
 * the list is malformed, shorter, or the name longer than OUTLEN. */
int ss_hostlist_nth(const char *list, long n, char *out, size_t outlen);

#endif
