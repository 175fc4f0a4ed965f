/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memcg.h - the memory cgroup Slurm put a step's task in, read from
 * /proc/self/cgroup and the cgroup's own files (v1: memory.oom_control,
 * memory.limit_in_bytes; v2: memory.events, memory.max).
 *
 * With task/cgroup and ConstrainRAMSpace=yes, the kernel kills a process of
 * the step that goes past the step's memory: the JVM or Python worker just
 * dies.  The helper counts the kernel's own OOM kills in its cgroup to say
 * so in a sentence.  Pure parsing, unit-tested; the caller reads files.
 */
#ifndef SPANK_SPARK_MEMCG_H
#define SPANK_SPARK_MEMCG_H

#include <stdbool.h>
#include <stddef.h>

/* More than /proc/self/cgroup or a cgroup's small files ever hold. */
#define SS_MEMCG_FILE_MAX 4096

/* In LEN bytes of /proc/self/cgroup text, the path of the memory
 * controller's cgroup: the v1 "N:...memory...:PATH" line when there is
 * one (*V2 false), else the v2 "0::PATH" line (*V2 true).  PATH starts with
 * '/' and holds no "..".  0, or -1 when there is no such line. */
int ss_memcg_self_path(const char *buf, size_t len, char *out, size_t outlen,
		       bool *v2);

/* The "oom_kill N" count of LEN bytes of memory.oom_control (v1) or
 * memory.events (v2): N, or -1 when absent or malformed. */
long long ss_memcg_oom_kills(const char *buf, size_t len);

/* A memory.limit_in_bytes (v1) or memory.max (v2) value in MiB; 0 for no
 * limit ("max", or v1's huge page-aligned maximum); -1 when malformed. */
long long ss_memcg_limit_mb(const char *buf, size_t len);

#endif
