/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * local.c - the srun side of client mode: start the driver-side helper on
 * this host, after the allocation is granted and before tasks launch.
 *
 * The helper must die with srun, however srun ends.  It holds the read end
 * of a "lifeline" pipe whose only write end stays in srun: when srun exits
 * or is killed, the helper reads EOF and tears the driver side down.
 * Errors returned from here do not change srun's exit status on 22.05; the
 * application's status reaches srun through the executors' tasks instead.
 */
#include "envp.h"
#include "os.h"
#include "plugin.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define LIFELINE_FD 3
#define EXEC_STATUS_FD 4

static pid_t driver_pid = -1;
static int lifeline_fd = -1; /* srun's end */

static uint32_t step_nodes(spank_t sp)
{
	static const char *const vars[] = {
	    "SLURM_STEP_NUM_NODES", "SLURM_NNODES", "SLURM_JOB_NUM_NODES"};
	uint32_t n = 0;
	long v;

	if (spank_get_item(sp, S_JOB_NNODES, &n) == ESPANK_SUCCESS && n)
		return n;
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]) &&
		    !ss_parse_long(getenv(vars[i]), 1, 1000000, &v))
			return (uint32_t)v;
	return 0;
}

/*
 * Between fork and execve only async-signal-safe calls: srun has threads,
 * and another thread may hold malloc's or setenv's lock at fork time.
 * Everything the child needs (argv, envp, the descriptor limit) is made
 * before the fork.
 */

/* In the child: only the two pipes survive, at fixed numbers; the
 * lifeline without close-on-exec (the helper keeps it), the status pipe
 * with it (EOF tells srun the exec worked). */
static int child_fds(int lifeline_r, int status_w, long max_fd)
{
	int a = fcntl(lifeline_r, F_DUPFD, 10);
	int b = fcntl(status_w, F_DUPFD, 10);

	if (a < 0 || b < 0 || dup2(a, LIFELINE_FD) < 0 ||
	    dup2(b, EXEC_STATUS_FD) < 0 ||
	    fcntl(EXEC_STATUS_FD, F_SETFD, FD_CLOEXEC) < 0)
		return -1;
	ss_close_from(EXEC_STATUS_FD + 1, max_fd);
	return 0;
}

static void child_signals(void)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	sigset_t none;
	static const int sigs[] = {SIGINT,  SIGTERM, SIGHUP,
				   SIGPIPE, SIGCHLD, SIGQUIT};

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &dfl, NULL);
}

static void exec_driver(char **argv, char **envp, int lifeline_r, int status_w,
			long max_fd)
{
	int err;

	if (child_fds(lifeline_r, status_w, max_fd) == 0) {
		child_signals();
		execve(argv[0], argv, envp);
	}
	err = errno;
	while (write(EXEC_STATUS_FD, &err, sizeof(err)) < 0 && errno == EINTR)
		;
	_exit(127);
}

/* The helper's environment: srun's, with the resolved SPANK_SPARK_*. */
static int envp_setenv(void *arg, const char *name, const char *value)
{
	return ss_envp_set(arg, name, value);
}

static int build_envp(struct ss_envp *e)
{
	if (ss_envp_init(e, environ))
		return -1;
	if (ss_export_options(envp_setenv, e)) {
		ss_envp_free(e);
		return -1;
	}
	return 0;
}

static void give_stdin_away(void)
{
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (devnull < 0)
		return;
	if (dup2(devnull, STDIN_FILENO) < 0)
		slurm_verbose("spank-spark: cannot detach srun's stdin: %s",
			      strerror(errno));
	close(devnull);
}

/*
 * srun --pty (every Slurm user's habit for interactive work) has put the
 * terminal in raw mode by now, to relay it to task 0: but in client mode
 * the driver, an interactive shell perhaps, writes to this terminal
 * directly, and in raw mode every line would start where the last one
 * ended.  Give the terminal its usual line discipline back (what
 * cfmakeraw took: echo, canonical input, signals, output processing);
 * srun puts the user's own settings back when it exits.
 */
static void undo_pty_raw_mode(void)
{
	struct termios t;

	if (!getenv("SLURM_PTY_PORT") || !isatty(STDIN_FILENO) ||
	    tcgetattr(STDIN_FILENO, &t) < 0 ||
	    (t.c_lflag & ICANON && t.c_oflag & OPOST))
		return;
	t.c_iflag |= BRKINT | ICRNL | IXON;
	t.c_oflag |= OPOST | ONLCR;
	t.c_lflag |= ECHO | ECHOE | ECHOK | ICANON | ISIG | IEXTEN;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) < 0)
		slurm_error("spank-spark: cannot take the terminal out of "
			    "--pty's raw mode (%s): drop --pty, client mode's "
			    "driver already runs on your terminal",
			    strerror(errno));
	else
		slurm_verbose("spank-spark: --pty: the terminal is the "
			      "driver's, in its usual line mode");
}

/* Does munged take a connection on the socket plugstack.conf names?  Only
 * checked where it names one (munge_socket=): libmunge's default path is
 * its build's.  Without munge the driver side cannot seal a message, and
 * the nodes would wait for it until startup_timeout: failing here, srun
 * does not start the step at all.  0, or -1 with the reason in WHY. */
static int munge_reachable(char *why, size_t whylen)
{
	const char *path = ss_plugin.site.munge_socket;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, rc, saved;

	if (!*path || strlen(path) >= sizeof(sa.sun_path))
		return 0;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0; /* not munge's fault: the helper will tell */
	do
		rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	while (rc < 0 && errno == EINTR);
	saved = errno;
	close(fd);
	if (rc == 0)
		return 0;
	snprintf(why, whylen, "%s: %s", path, strerror(saved));
	return -1;
}

int ss_local_user_init(spank_t sp)
{
	uint32_t job = 0, step = 0;
	int app_argc = 0, err = 0, lifeline[2], status[2];
	char **app_argv = NULL, **argv;
	struct ss_envp envp;
	struct ss_handoff ho;
	ssize_t got;
	long max_fd = sysconf(_SC_OPEN_MAX);

	if (spank_get_item(sp, S_JOB_ID, &job) != ESPANK_SUCCESS ||
	    spank_get_item(sp, S_JOB_STEPID, &step) != ESPANK_SUCCESS ||
	    spank_get_item(sp, S_JOB_ARGV, &app_argc, &app_argv) !=
		ESPANK_SUCCESS) {
		slurm_error("spank-spark: cannot read the step's ids and "
			    "command from Slurm");
		return -1;
	}
	if (max_fd < 0)
		max_fd = 65536;
	{
		char why[256], host[256];

		if (munge_reachable(why, sizeof(why)) < 0) {
			if (gethostname(host, sizeof(host)) < 0)
				snprintf(host, sizeof(host), "this host");
			host[sizeof(host) - 1] = '\0';
			slurm_error("spank-spark: munge does not answer on %s "
				    "(%s): the step cannot start; ask the "
				    "site's admins to (re)start munged on %s",
				    host, why, host);
			return -1;
		}
	}
	undo_pty_raw_mode();
	ss_helper_handoff(&ho, "client-driver");
	ho.job = job;
	ho.step = step;
	ho.nnodes = step_nodes(sp);
	ho.node_index = -1;
	ho.lifeline_fd = LIFELINE_FD;
	ho.app_argc = app_argc;
	ho.app_argv = app_argv;
	if (!(argv = ss_helper_argv(&ho))) {
		slurm_error("spank-spark: out of memory");
		return -1;
	}
	if (build_envp(&envp)) {
		slurm_error("spank-spark: out of memory");
		free(argv);
		return -1;
	}
	/* Both pipes close-on-exec: nothing srun starts later inherits the
	 * lifeline's write end, which must stay in srun alone. */
	if (pipe2(lifeline, O_CLOEXEC) < 0) {
		slurm_error("spank-spark: pipe: %s", strerror(errno));
		ss_envp_free(&envp);
		free(argv);
		return -1;
	}
	if (pipe2(status, O_CLOEXEC) < 0) {
		slurm_error("spank-spark: pipe: %s", strerror(errno));
		close(lifeline[0]);
		close(lifeline[1]);
		ss_envp_free(&envp);
		free(argv);
		return -1;
	}
	driver_pid = fork();
	if (driver_pid == 0)
		exec_driver(argv, envp.v, lifeline[0], status[1], max_fd);
	ss_envp_free(&envp);
	free(argv);
	close(lifeline[0]);
	close(status[1]);
	if (driver_pid < 0) {
		slurm_error("spank-spark: cannot start the driver side: fork: "
			    "%s",
			    strerror(errno));
		close(lifeline[1]);
		close(status[0]);
		return -1;
	}
	lifeline_fd = lifeline[1];
	/* EOF: the exec succeeded; an int: why it did not. */
	do
		got = read(status[0], &err, sizeof(err));
	while (got < 0 && errno == EINTR);
	close(status[0]);
	if (got > 0) {
		slurm_error("spank-spark: cannot run the helper %s: %s (check "
			    "helper= in plugstack.conf)",
			    ss_plugin.site.helper, strerror(err));
		ss_local_exit();
		return -1;
	}
	/* The terminal (or whatever stdin is) belongs to the driver, which
	 * may be an interactive shell: srun would forward it to task 0, an
	 * executor, and steal the user's keystrokes. */
	give_stdin_away();
	slurm_verbose("spank-spark: driver side started (pid %d)",
		      (int)driver_pid);
	return 0;
}

/* srun is ending: let the helper finish its teardown, within bounds. */
void ss_local_exit(void)
{
	long deadline, left;
	pid_t got;

	if (lifeline_fd >= 0) {
		close(lifeline_fd);
		lifeline_fd = -1;
	}
	if (driver_pid <= 0)
		return;
	/* A deadline on the monotonic clock: signals that cut a sleep
	 * short neither shorten nor stretch the wait. */
	deadline = ss_now_ms() + (ss_plugin.site.stop_timeout + 5) * 1000;
	while ((got = waitpid(driver_pid, NULL, WNOHANG)) == 0 ||
	       (got < 0 && errno == EINTR)) {
		struct timespec tick = {0, 0};

		left = deadline - ss_now_ms();
		if (left <= 0) {
			kill(driver_pid, SIGKILL);
			while (waitpid(driver_pid, NULL, 0) < 0 &&
			       errno == EINTR)
				;
			break;
		}
		/* Never a negative or over-long sleep. */
		tick.tv_nsec = (left < 50 ? left : 50) * 1000000L;
		nanosleep(&tick, NULL);
	}
	driver_pid = -1;
}
