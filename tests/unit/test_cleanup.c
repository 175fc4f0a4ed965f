/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_cleanup.c - the root backstop (plugin/cleanup.c) against real
 * processes: it kills the job user's marked processes and nothing else,
 * not another user's copy of the marks, not a setuid or setgid program,
 * not job 123 for job 12, and finds marks past the first 64 KiB.
 * Slurm's logging and ss_plugin are stubbed; the uid cases need root.
 */
#include "tap.h"

#include "../../plugin/cleanup.c"

#include <grp.h>
#include <stdarg.h>
#include <sys/wait.h>

struct ss_plugin ss_plugin;

/* What root's log got from slurm_info: how many lines, the last one. */
static int info_lines;
static char info_last[1024];

void slurm_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(info_last, sizeof(info_last), fmt, ap);
	va_end(ap);
	info_lines++;
}

void slurm_verbose(const char *fmt, ...)
{
	(void)fmt;
}

void slurm_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# slurm_error: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

spank_err_t spank_get_item(spank_t sp, spank_item_t item, ...)
{
	(void)sp;
	(void)item;
	return ESPANK_ERROR;
}

#define OWNER 65534    /* the job's user */
#define INTRUDER 65533 /* another user */

static unsigned job;

/* Start /bin/sleep with ids RUID/EUID, RGID/EGID (root only) and an
 * environment of FILLER bytes then "SPANK_SPARK_JOB=<JOB_TEXT>",
 * step 0, host HOST.  Returns once it has exec'd. */
static pid_t start(uid_t ruid, uid_t euid, gid_t rgid, gid_t egid,
		   size_t filler, const char *job_text, const char *host)
{
	static char fill[200000];
	char ejob[64], ehost[128];
	char *envp[] = {fill, ejob, "SPANK_SPARK_STEP=0", ehost, NULL};
	char *argv[] = {"/bin/sleep", "60", NULL};
	int sync[2];
	char c;
	pid_t pid;

	memset(fill, 'x', filler);
	memcpy(fill, "FILL=", 5);
	fill[filler] = '\0';
	snprintf(ejob, sizeof(ejob), "SPANK_SPARK_JOB=%s", job_text);
	snprintf(ehost, sizeof(ehost), "SPANK_SPARK_HOST=%s", host);
	if (pipe2(sync, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		printf("Bail out! fork: %s\n", strerror(errno));
		exit(255);
	}
	if (pid == 0) {
		close(sync[0]);
		if (getuid() == 0 &&
		    (setgroups(0, NULL) || setresgid(rgid, egid, egid) ||
		     setresuid(ruid, euid, euid)))
			_exit(126);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(sync[1]);
	/* EOF once the child has exec'd (the pipe is close-on-exec). */
	while (read(sync[0], &c, 1) < 0 && errno == EINTR)
		;
	close(sync[0]);
	return pid;
}

/* Killed by SIGKILL (reaped), or still running (then stopped here). */
static bool was_killed(pid_t pid)
{
	int status;
	pid_t got = 0;

	for (int i = 0; i < 40 && got == 0; i++) {
		got = waitpid(pid, &status, WNOHANG);
		if (got == 0)
			usleep(5000);
	}
	if (got == pid)
		return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return false;
}

static void test_processes(void)
{
	char j[32], j3[32];
	pid_t plain, late, intruder, other_job, setuid_, setgid_, other_host;
	int killed, removed;
	bool root = getuid() == 0;
	uid_t owner = root ? OWNER : getuid();
	gid_t group = root ? OWNER : getgid();

	snprintf(j, sizeof(j), "%u", job);
	snprintf(j3, sizeof(j3), "%u3", job);
	plain = start(owner, owner, group, group, 10, j, "node1");
	late = start(owner, owner, group, group, 100000, j, "node1");
	other_job = start(owner, owner, group, group, 10, j3, "node1");
	other_host = start(owner, owner, group, group, 10, j, "node2");
	if (root) {
		intruder = start(INTRUDER, INTRUDER, INTRUDER, INTRUDER, 10, j,
				 "node1");
		setuid_ = start(owner, 0, group, group, 10, j, "node1");
		setgid_ = start(owner, owner, group, 0, 10, j, "node1");
	}
	ss_cleanup(owner, job, 0, false, "node1", &killed, &removed);
	is_int(killed, 2, "the step's backstop killed two processes");
	ok(was_killed(plain), "the owner's marked process");
	ok(was_killed(late), "the owner's process with marks after 100 KB");
	ok(!was_killed(other_job), "not a process of job %s3", j);
	if (root) {
		ok(!was_killed(intruder),
		   "not another user's process carrying the marks");
		ok(!was_killed(setuid_), "not a setuid program (euid 0)");
		ok(!was_killed(setgid_), "not a setgid program (egid 0)");
	} else {
		for (int i = 0; i < 3; i++)
			ok(1, "skip: the uid cases need root");
	}
	/* The epilog: every step and host of the job. */
	ss_cleanup(owner, job, 0, true, NULL, &killed, &removed);
	is_int(killed, 1, "the job's backstop killed one more");
	ok(was_killed(other_host), "the job's process on another host");
}

static void test_scratch(void)
{
	char dir[] = "/tmp/test_cleanup.XXXXXX", path[256];
	int killed, removed;
	bool root = getuid() == 0;
	uid_t owner = root ? OWNER : getuid();

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		exit(255);
	}
	snprintf(ss_plugin.site.scratch_dir, sizeof(ss_plugin.site.scratch_dir),
		 "%s", dir);
	snprintf(path, sizeof(path), "%s/spank-spark.%u.0.node1", dir, job);
	mkdir(path, 0700);
	if (chown(path, owner, (gid_t)-1) < 0)
		printf("# chown: %s\n", strerror(errno));
	snprintf(path, sizeof(path), "%s/spank-spark.%u.1.node1", dir, job);
	mkdir(path, 0700);
	if (root && chown(path, INTRUDER, (gid_t)-1) < 0)
		printf("# chown: %s\n", strerror(errno));
	ss_cleanup(owner, job, 0, true, NULL, &killed, &removed);
	is_int(removed, root ? 1 : 2, "the owner's scratch directory removed");
	snprintf(path, sizeof(path), "%s/spank-spark.%u.1.node1", dir, job);
	if (root) {
		ok(rmdir(path) == 0, "another user's directory left alone");
	} else {
		ok(1, "skip: the uid cases need root");
	}
	rmdir(dir);
}

/* Thousands of planted names: one summary line per cleanup, not one line
 * per name (root's log is not the intruder's to fill). */
static void test_scratch_flood(void)
{
	char dir[] = "/tmp/test_cleanup.XXXXXX", path[256], want[300];
	int killed, removed, fd;
	bool root = getuid() == 0;
	uid_t owner = root ? OWNER : getuid();
	const int planted = 3000;

	SETUP(mkdtemp(dir) == NULL);
	snprintf(ss_plugin.site.scratch_dir, sizeof(ss_plugin.site.scratch_dir),
		 "%s", dir);
	/* Files: "not a directory" even without root to chown them. */
	for (int i = 0; i < planted; i++) {
		snprintf(path, sizeof(path), "%s/spank-spark.%u.0.node1.%d",
			 dir, job, i);
		SETUP((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
				 0600)) < 0);
		close(fd);
	}
	/* One with a newline: it must not start a line of its own. */
	snprintf(path, sizeof(path), "%s/spank-spark.%u.0.node1.\nfake", dir,
		 job);
	SETUP((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) <
	      0);
	close(fd);
	info_lines = 0;
	ss_cleanup(owner, job, 0, false, "node1", &killed, &removed);
	is_int(info_lines, 1,
	       "the step's cleanup: one line for %d planted "
	       "names",
	       planted + 1);
	snprintf(want, sizeof(want), "left %d entries alone in %s", planted + 1,
		 dir);
	like(info_last, want, "...saying how many and where");
	ok(!strchr(info_last, '\n'), "...on one line (a name's newline "
				     "escaped)");
	like(info_last, "e.g. 'spank-spark.", "...with one name as an example");
	info_lines = 0;
	ss_cleanup(owner, job, 0, true, NULL, &killed, &removed);
	is_int(info_lines, 1, "the epilog's cleanup: one line too");
	is_int(removed, 0, "nothing removed");
	for (int i = 0; i < planted; i++) {
		snprintf(path, sizeof(path), "%s/spank-spark.%u.0.node1.%d",
			 dir, job, i);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/spank-spark.%u.0.node1.\nfake", dir,
		 job);
	unlink(path);
	ok(rmdir(dir) == 0, "every planted name left in place (and removed "
			    "by the test)");
}

int main(void)
{
	/* Tests may run in parallel: a job id of our own. */
	job = (unsigned)getpid();
	test_processes();
	test_scratch();
	test_scratch_flood();
	return done_testing();
}
