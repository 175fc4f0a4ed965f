/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_memcg.c - the step's memory cgroup: which one, its OOM kills and
 * its limit, from the kernel's own text.
 */
#include "tap.h"
#include "memcg.h"

#include <string.h>

static int path(const char *s, char *out, size_t outlen, bool *v2)
{
	return ss_memcg_self_path(s, strlen(s), out, outlen, v2);
}

static void test_path(void)
{
	char p[256];
	bool v2 = true;

	is_int(path("12:pids:/slurm_node1/uid_1000/job_5/step_0/task_0\n"
		    "4:memory:/slurm_node1/uid_1000/job_5/step_0/task_0\n"
		    "0::/\n",
		    p, sizeof(p), &v2),
	       0, "v1: the memory line");
	is_str(p, "/slurm_node1/uid_1000/job_5/step_0/task_0", "...its path");
	ok(!v2, "...and it is v1");
	is_int(path("3:cpu,memory,pids:/a/b\n", p, sizeof(p), &v2), 0,
	       "v1: memory among several controllers");
	is_str(p, "/a/b", "...its path");
	is_int(path("0::/system.slice/slurmstepd.scope/job_7/step_0/user/"
		    "task_0\n",
		    p, sizeof(p), &v2),
	       0, "v2: the unified line");
	ok(v2, "...and it is v2");
	is_str(p, "/system.slice/slurmstepd.scope/job_7/step_0/user/task_0",
	       "...its path");
	is_int(path("4:memory:/a\n0::/b\n", p, sizeof(p), &v2), 0,
	       "both: v1's memory line wins (the controller is there)");
	is_str(p, "/a", "...v1's path");
	is_int(path("4:memoryx:/a\n", p, sizeof(p), &v2), -1,
	       "a controller named like memory is not memory");
	is_int(path("4:memory:/a/../../etc\n", p, sizeof(p), &v2), -1,
	       "a path climbing out is refused");
	is_int(path("4:memory:relative\n", p, sizeof(p), &v2), -1,
	       "a relative path is refused");
	is_int(path("", p, sizeof(p), &v2), -1, "empty: none");
	is_int(path("4:memory:/a/very/long/path\n", p, 8, &v2), -1,
	       "a path longer than the buffer is refused");
}

static long long kills(const char *s)
{
	return ss_memcg_oom_kills(s, strlen(s));
}

static long long limit(const char *s)
{
	return ss_memcg_limit_mb(s, strlen(s));
}

static void test_counters(void)
{
	ok(kills("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n") == 3,
	   "v1 oom_control: oom_kill 3");
	ok(kills("low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\n"
		 "oom_group_kill 0\n") == 2,
	   "v2 memory.events: oom_kill 2");
	ok(kills("oom_kill_disable 0\nunder_oom 0\n") == -1,
	   "no oom_kill line (an old kernel): unknown");
	ok(kills("oom_kill x\n") == -1, "garbage: unknown");
	ok(kills("oom_kill 99999999999999999999\n") == -1,
	   "an overflowing count: unknown");
	ok(limit("1572864000\n") == 1500, "v1 limit: 1500 MiB");
	ok(limit("9223372036854771712\n") == 0, "v1 no limit: 0");
	ok(limit("max\n") == 0, "v2 no limit: 0");
	ok(limit("2147483648\n") == 2048, "v2 limit: 2048 MiB");
	ok(limit("maxi\n") == -1, "garbage: malformed");
	ok(limit("") == -1, "empty: malformed");
}

int main(void)
{
	test_path();
	test_counters();
	return done_testing();
}
