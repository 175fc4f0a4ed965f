/*
 * cleanup.c - the job epilog's backstop, as root on every node of the job.
 *
 * Normally the helper stops its JVMs and removes its scratch directory.
 * When the helper itself was killed (SIGKILL, node trouble), whatever it
 * started may linger: processes carry SPANK_SPARK_JOB=<job> in their
 * environment (set by the helper for everything it starts), scratch
 * directories are named spank-spark.<job>.<step>.<host> under scratch_dir.
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

static int kill_job_processes(uint32_t job)
{
	char want[64];
	struct dirent *de;
	DIR *proc = opendir("/proc");
	int killed = 0;

	if (!proc)
		return 0;
	snprintf(want, sizeof(want), "SPANK_SPARK_JOB=%u", job);
	while ((de = readdir(proc))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (environ_has(de->d_name, want) &&
		    kill((pid_t)atoi(de->d_name), SIGKILL) == 0)
			killed++;
	}
	closedir(proc);
	return killed;
}

static int remove_scratch(uint32_t job)
{
	char prefix[64];
	struct dirent *de;
	size_t len;
	int fd, removed = 0;
	DIR *dir;

	fd = open(ss_plugin.site.scratch_dir,
		  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(dir = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	len = (size_t)snprintf(prefix, sizeof(prefix), "spank-spark.%u.", job);
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, prefix, len))
			continue;
		if (ss_rmtree_at(fd, de->d_name) == 0)
			removed++;
		else
			slurm_error("spank-spark: epilog: cannot remove %s/%s: "
				    "%s",
				    ss_plugin.site.scratch_dir, de->d_name,
				    strerror(errno));
	}
	closedir(dir);
	return removed;
}

int ss_job_epilog(spank_t sp)
{
	uint32_t job = 0;
	int killed, removed;

	if (spank_get_item(sp, S_JOB_ID, &job) != ESPANK_SUCCESS || !job)
		return 0;
	killed = kill_job_processes(job);
	removed = remove_scratch(job);
	if (killed || removed)
		slurm_info("spank-spark: epilog for job %u: killed %d leftover "
			   "process(es), removed %d scratch director%s",
			   job, killed, removed, removed == 1 ? "y" : "ies");
	return 0;
}
