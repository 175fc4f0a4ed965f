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
 * epilog after the whole job.  Anyone can put the marks in an environment:
 * a process is killed only when it also runs wholly as the job's user, and
 * a directory removed only when that user owns it.
 */
#include "environ_match.h"
#include "plugin.h"
#include "proc_status.h"
#include "rmtree.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * Root signals processes it does not trust, so each is pinned first: a
 * pidfd (Linux 5.3) refers to one process for good, while a pid number
 * may be reused between reading /proc and kill().  The raw syscalls keep
 * this building on C libraries without the wrappers.  Kernels without
 * pidfds fall back to kill() right after re-reading the process's files
 * through its /proc directory descriptor, which fails once that process
 * is gone (a reuse would need the pid space to wrap in between).
 */
static int pidfd_open_(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0); /* always close-on-exec */
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

static int pidfd_signal_(int pidfd, int sig)
{
#ifdef SYS_pidfd_send_signal
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
#else
	(void)pidfd;
	(void)sig;
	errno = ENOSYS;
	return -1;
#endif
}

/* Does the process of /proc directory DIRFD run wholly as UID?  A bounded
 * read: the file is the kernel's, but the process names itself. */
static bool owned_by(int dirfd, uid_t uid)
{
	char buf[SS_PROC_STATUS_MAX];
	struct ss_proc_ids ids;
	size_t len = 0;
	int fd = openat(dirfd, "status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	while (len < sizeof(buf)) {
		ssize_t got = read(fd, buf + len, sizeof(buf) - len);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	return ss_proc_status_ids(buf, len, &ids) == 0 &&
	       ss_proc_ids_owned_by(&ids, uid);
}

static bool marked(int dirfd, const char *const *want, size_t n)
{
	int fd = openat(dirfd, "environ", O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return false;
	rc = ss_environ_match_fd(fd, want, n, SS_ENVIRON_CAP);
	close(fd);
	return rc == 1;
}

/*
 * SIGKILL process PID if it carries every mark in WANT and runs as UID
 * (real, effective, saved and filesystem uids; gids all alike: never a
 * setuid or setgid program, never another user's process, even one that
 * copied the marks).  True when it was signalled.
 */
static bool kill_if_ours(pid_t pid, uid_t uid, const char *const *want,
			 size_t n, bool *have_pidfd)
{
	char path[32];
	int pidfd = -1, dirfd = -1;
	bool killed = false;

	if (*have_pidfd && (pidfd = pidfd_open_(pid)) < 0) {
		if (errno != ENOSYS)
			return false; /* gone already */
		*have_pidfd = false;
		slurm_verbose("spank-spark: no pidfd_open on this kernel: "
			      "backstop falls back to kill()");
	}
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		goto out;
	/* The pidfd's process is still alive, so it still holds the pid and
	 * DIRFD, opened after the pidfd, is that same process. */
	if (pidfd >= 0 && pidfd_signal_(pidfd, 0) < 0)
		goto out;
	if (!owned_by(dirfd, uid) || !marked(dirfd, want, n))
		goto out;
	/* Again, right before the signal: it may have exec'd a setuid
	 * program while its environment was read. */
	if (!owned_by(dirfd, uid))
		goto out;
	if (pidfd >= 0)
		killed = pidfd_signal_(pidfd, SIGKILL) == 0;
	else
		killed = kill(pid, SIGKILL) == 0;
out:
	if (dirfd >= 0)
		close(dirfd);
	if (pidfd >= 0)
		close(pidfd);
	return killed;
}

static pid_t parse_pid(const char *name)
{
	long v;

	if (ss_parse_long(name, 1, 0x3fffffff, &v)) /* PID_MAX_LIMIT */
		return -1;
	return (pid_t)v;
}

static int kill_processes(uid_t uid, uint32_t job, uint32_t step, bool any_step,
			  const char *host)
{
	char want_job[64], want_step[64], want_host[300];
	const char *want[] = {want_job, want_step, want_host};
	bool have_pidfd = true;
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
		pid_t pid = parse_pid(de->d_name);

		if (pid <= 0 || pid == getpid())
			continue;
		/* A step ends node by node: only this node's part of it
		 * (nodes may share a process table, as in the lab). */
		if (kill_if_ours(pid, uid, want, any_step ? 1 : 3, &have_pidfd))
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

static int remove_scratch(uid_t uid, uint32_t job, uint32_t step, bool any_step,
			  const char *host)
{
	struct dirent *de;
	struct stat st;
	int fd, removed = 0;
	unsigned long skipped = 0;
	char first[SS_ESCAPED_MAX] = "";
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
		/* Another user may have made one with this job's name. */
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != uid) {
			/* Counted, not logged one by one: anyone can plant
			 * thousands of names in root's log. */
			if (skipped++ == 0)
				ss_escape(de->d_name, first, sizeof(first));
			continue;
		}
		if (ss_rmtree_at(fd, de->d_name) == 0)
			removed++;
		else
			slurm_error("spank-spark: cannot remove %s/%s: %s",
				    ss_plugin.site.scratch_dir, de->d_name,
				    strerror(errno));
	}
	closedir(dir);
	if (skipped)
		slurm_info("spank-spark: left %lu entr%s alone in %s: not "
			   "directories of the job's user (uid %u), e.g. '%s'",
			   skipped, skipped == 1 ? "y" : "ies",
			   ss_plugin.site.scratch_dir, (unsigned)uid, first);
	return removed;
}

void ss_cleanup(uid_t uid, uint32_t job, uint32_t step, bool any_step,
		const char *host, int *killed, int *removed)
{
	*killed = kill_processes(uid, job, step, any_step, host);
	*removed = remove_scratch(uid, job, step, any_step, host);
}

int ss_job_epilog(spank_t sp)
{
	uint32_t job = 0;
	uid_t uid;
	int killed, removed;

	if (spank_get_item(sp, S_JOB_ID, &job) != ESPANK_SUCCESS || !job)
		return 0;
	/* Without the owner nothing can be told apart from an intruder's
	 * copy of the marks: leave everything alone. */
	if (spank_get_item(sp, S_JOB_UID, &uid) != ESPANK_SUCCESS) {
		slurm_error("spank-spark: epilog for job %u: no job uid from "
			    "Slurm, leftover processes not cleaned up",
			    job);
		return 0;
	}
	ss_cleanup(uid, job, 0, true, NULL, &killed, &removed);
	if (killed || removed)
		slurm_info("spank-spark: epilog for job %u: killed %d leftover "
			   "process(es), removed %d scratch director%s",
			   job, killed, removed, removed == 1 ? "y" : "ies");
	return 0;
}
