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

/* "512m", "8g", "1t", "4096k", "2048" (MiB, as Spark reads bare numbers). */
int ss_parse_size_mb(const char *s, uint64_t *mb);
/* A decimal integer in [min, max]; no sign, no suffix, no spaces. */
int ss_parse_long(const char *s, long min, long max, long *out);
int ss_parse_mode(const char *s, enum ss_mode *out);
const char *ss_mode_name(enum ss_mode mode);
/* yes/no, on/off, true/false, 1/0. */
int ss_parse_bool(const char *s, bool *out);
/* "spark.some.key=value": key of [A-Za-z0-9._-] starting with a letter. */
int ss_check_conf_pair(const char *s);
/* Length of the key part of a valid conf pair. */
size_t ss_conf_key_len(const char *s);
/* A Java binary class name: identifiers joined by dots. */
int ss_check_class_name(const char *s);
/* Free text (an application name): printable, at most 256 bytes. */
int ss_check_text(const char *s);
/* A comma-separated list of paths or URIs, no blanks or empty elements. */
int ss_check_list(const char *s);
/* A single path: printable, no newline, at most 4095 bytes. */
int ss_check_path(const char *s);
/* "20000-20999": unprivileged ports, at least SS_PORT_RANGE_MIN of them. */
#define SS_PORT_RANGE_MIN 16
int ss_parse_port_range(const char *s, uint16_t *lo, uint16_t *hi);
/* "10.1.0.0/16" (IPv4). */
int ss_parse_cidr(const char *s, struct in_addr *net, unsigned *prefix);
bool ss_cidr_contains(struct in_addr net, unsigned prefix, struct in_addr addr);
/* The first host of a Slurm host list: "node[3-5,7],gpu1" gives "node3". */
int ss_hostlist_first(const char *list, char *out, size_t outlen);

#endif
