/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cleanup.c - the job epilog's backstop, as root on every node of the job.
 *
 * Normally the helper stops its JVMs and removes its scratch directory.
 * When the helper itself was killed (SIGKILL by slurmstepd when srun dies,
 * scancel past KillWait, node trouble), whatever it started may linger:
 * processes carry SPANK_SPARK_JOB=<job>, SPANK_SPARK_STEP=<step> and
 * SPANK_SPARK_HOST=<host> in their environment (set by the helper for
 * everything it starts), scratch
 * directories are named spank-spark.<job>.<step>.<host>.<random> under
 * scratch_dir.
 * slurmstepd's exit callback cleans up after its step on its node, the job
 * epilog after the whole job.
 */
#include "plugin.h"
#include "rmtree.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Does /proc/PID/environ hold exactly WANT ("SPANK_SPARK_JOB=<job>")? */
static bool environ_has(const char *pid, const char *want)
{
	char path[64], buf[65536];
	size_t want_len = strlen(want) + 1; /* with its NUL */
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/environ", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (ssize_t off = 0; off < n; off += (ssize_t)strlen(buf + off) + 1)
		if (!memcmp(buf + off, want, want_len))
			return true;
	return false;
}

static int kill_processes(uint32_t job, uint32_t step, bool any_step,
			  const char *host)
{
	char want_job[64], want_step[64], want_host[300];
	struct dirent *de;
	DIR *proc = opendir("/proc");
	int killed = 0;

	if (!proc)
		return 0;
	snprintf(want_job, sizeof(want_job), "SPANK_SPARK_JOB=%u", job);
	snprintf(want_step, sizeof(want_step), "SPANK_SPARK_STEP=%u", step);
	snprintf(want_host, sizeof(want_host), "SPANK_SPARK_HOST=%s",
		 host ? host : "");
	while ((de = readdir(proc))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		/* A step ends node by node: only this node's part of it
		 * (nodes may share a process table, as in the lab). */
		if (environ_has(de->d_name, want_job) &&
		    (any_step || (environ_has(de->d_name, want_step) &&
				  environ_has(de->d_name, want_host))) &&
		    kill((pid_t)atoi(de->d_name), SIGKILL) == 0)
			killed++;
	}
	closedir(proc);
	return killed;
}

/* spank-spark.<job>.  or  spank-spark.<job>.<step>.<host>.  followed by
 * the random part the helper gives its directory. */
static bool scratch_match(const char *name, uint32_t job, uint32_t step,
			  bool any_step, const char *host)
{
	char want[300];

	if (any_step) {
		snprintf(want, sizeof(want), "spank-spark.%u.", job);
		return !strncmp(name, want, strlen(want));
	}
	snprintf(want, sizeof(want), "spank-spark.%u.%u.%s.", job, step, host);
	return !strncmp(name, want, strlen(want));
}

static int remove_scratch(uint32_t job, uint32_t step, bool any_step,
			  const char *host)
{
	struct dirent *de;
	int fd, removed = 0;
	DIR *dir;

	fd = open(ss_plugin.site.scratch_dir,
		  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(dir = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((de = readdir(dir))) {
		if (!scratch_match(de->d_name, job, step, any_step, host))
			continue;
		if (ss_rmtree_at(fd, de->d_name) == 0)
			removed++;
		else
			slurm_error("spank-spark: cannot remove %s/%s: %s",
				    ss_plugin.site.scratch_dir, de->d_name,
				    strerror(errno));
	}
	closedir(dir);
	return removed;
}

void ss_cleanup(uint32_t job, uint32_t step, bool any_step, const char *host,
		int *killed, int *removed)
{
	*killed = kill_processes(job, step, any_step, host);
	*removed = remove_scratch(job, step, any_step, host);
}

int ss_job_epilog(spank_t sp)
{
	uint32_t job = 0;
	int killed, removed;

	if (spank_get_item(sp, S_JOB_ID, &job) != ESPANK_SUCCESS || !job)
		return 0;
	ss_cleanup(job, 0, true, NULL, &killed, &removed);
	if (killed || removed)
		slurm_info("spank-spark: epilog for job %u: killed %d leftover "
			   "process(es), removed %d scratch director%s",
			   job, killed, removed, removed == 1 ? "y" : "ies");
	return 0;
}
