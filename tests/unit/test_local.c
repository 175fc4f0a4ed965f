/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_local.c - srun's client-mode start (plugin/local.c) with this test
 * program as the "helper": the child gets the resolved SPANK_SPARK_*
 * values through the envp built before fork, only descriptors 0-3 survive
 * (3: the lifeline), the lifeline reads EOF once srun's end is closed, a
 * helper that cannot be executed is reported.  Slurm is stubbed.
 */
#include "tap.h"

#include "../../plugin/local.c"
/* Its callback's parameter "optarg" shadows getopt's, which clang (the
 * sanitizer build) reports for system headers too. */
#ifdef __clang__
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wshadow"
#endif
#include "../../plugin/spank_options.c"
#ifdef __clang__
#pragma clang diagnostic pop
#endif

#include <limits.h>
#include <stdarg.h>

struct ss_plugin ss_plugin;
static char last_error[512];
static char *app_argv[] = {"app.py", "arg", NULL};

void slurm_info(const char *fmt, ...)
{
	(void)fmt;
}

void slurm_verbose(const char *fmt, ...)
{
	(void)fmt;
}

void slurm_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
}

spank_err_t spank_option_register(spank_t sp, struct spank_option *opt)
{
	(void)sp;
	(void)opt;
	return ESPANK_SUCCESS;
}

spank_err_t spank_get_item(spank_t sp, spank_item_t item, ...)
{
	va_list ap;

	(void)sp;
	va_start(ap, item);
	switch (item) {
	case S_JOB_ID:
	case S_JOB_STEPID:
	case S_JOB_NNODES:
		*va_arg(ap, uint32_t *) = 7;
		break;
	case S_JOB_ARGV:
		*va_arg(ap, int *) = 2;
		*va_arg(ap, char ***) = app_argv;
		break;
	default:
		va_end(ap);
		return ESPANK_ERROR;
	}
	va_end(ap);
	return ESPANK_SUCCESS;
}

/* The fake helper: report open descriptors and the mode, wait for the
 * lifeline's EOF, report that too. */
static int fake_helper(void)
{
	FILE *out = fopen(getenv("TEST_LOCAL_OUT"), "we");
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	char b;

	if (!out || !d)
		return 1;
	fprintf(out, "fds:");
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && atoi(de->d_name) != dirfd(d) &&
		    atoi(de->d_name) != fileno(out))
			fprintf(out, " %s", de->d_name);
	closedir(d);
	fprintf(out, "\nmode=%s\n", getenv("SPANK_SPARK_MODE") ?: "");
	fflush(out);
	while (read(LIFELINE_FD, &b, 1) < 0 && errno == EINTR)
		;
	fprintf(out, "lifeline EOF\n");
	fclose(out);
	return 0;
}

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	char out[] = "/tmp/test_local.XXXXXX", buf[1024];
	struct timespec t0, t1;
	int fd, stray;

	if (argc > 1 && !strcmp(argv[1], "client-driver"))
		return fake_helper();

	fd = mkstemp(out);
	if (fd < 0 || readlink("/proc/self/exe", ss_plugin.site.helper,
			       sizeof(ss_plugin.site.helper) - 1) < 0) {
		printf("Bail out! setup: %s\n", strerror(errno));
		return 255;
	}
	close(fd);
	setenv("TEST_LOCAL_OUT", out, 1);
	ss_plugin.site.stop_timeout = 10;
	ss_plugin.mode = SS_MODE_CLIENT;
	ss_plugin.active = true;
	/* A stray descriptor of srun's without close-on-exec. */
	stray = open("/dev/null", O_RDONLY);

	ok(ss_local_user_init(NULL) == 0, "driver side started");
	/* Wait for the report (the helper writes it, then waits). */
	for (int i = 0; i < 400; i++) {
		slurp(out, buf, sizeof(buf));
		if (strstr(buf, "mode="))
			break;
		usleep(5000);
	}
	like(buf, "fds: 0 1 2 3\n", "only stdio and the lifeline survive");
	like(buf, "mode=client\n", "SPANK_SPARK_MODE built into envp");
	ok(!strstr(buf, "lifeline EOF"), "lifeline open while srun runs");
	ok(lifeline_fd >= 0 && (fcntl(lifeline_fd, F_GETFD) & FD_CLOEXEC) != 0,
	   "srun's end of the lifeline is close-on-exec");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ss_local_exit();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	slurp(out, buf, sizeof(buf));
	like(buf, "lifeline EOF", "closing srun's end gives the helper EOF");
	ok(t1.tv_sec - t0.tv_sec < 5, "srun waited only for the helper");
	is_int(driver_pid, -1, "helper reaped");

	snprintf(ss_plugin.site.helper, sizeof(ss_plugin.site.helper),
		 "/nonexistent/helper");
	last_error[0] = '\0';
	ok(ss_local_user_init(NULL) == -1, "a missing helper fails");
	like(last_error, "cannot run the helper /nonexistent/helper",
	     "... and says which");
	like(last_error, "No such file", "... and why");
	is_int(driver_pid, -1, "... and leaves no child behind");

	/* munge: checked where plugstack.conf names its socket. */
	{
		char dir[] = "/tmp/test_local_munge.XXXXXX";
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		int lfd;

		if (!mkdtemp(dir) ||
		    (lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) <
			0) {
			printf("Bail out! setup: %s\n", strerror(errno));
			return 255;
		}
		snprintf(ss_plugin.site.munge_socket,
			 sizeof(ss_plugin.site.munge_socket), "%s/sock", dir);
		memcpy(sa.sun_path, ss_plugin.site.munge_socket,
		       strlen(ss_plugin.site.munge_socket) + 1);
		last_error[0] = '\0';
		ok(ss_local_user_init(NULL) == -1,
		   "no munged on munge_socket: the step does not start");
		like(last_error, "munge does not answer on ",
		     "...saying munge does not answer");
		like(last_error, "/sock: No such file or directory",
		     "...where and why");
		like(last_error, "(re)start munged on ", "...and what to do");
		is_int(driver_pid, -1, "...and no helper was started");
		if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
		    listen(lfd, 1) < 0) {
			printf("Bail out! setup: %s\n", strerror(errno));
			return 255;
		}
		last_error[0] = '\0';
		ok(ss_local_user_init(NULL) == -1 &&
		       strstr(last_error, "cannot run the helper"),
		   "a munged listening there: on to the helper");
		close(lfd); /* the socket's file stays */
		last_error[0] = '\0';
		ok(ss_local_user_init(NULL) == -1 &&
		       strstr(last_error, "munge does not answer"),
		   "a socket nobody listens on: refused");
		like(last_error, "Connection refused", "...saying so");
		unlink(sa.sun_path);
		rmdir(dir);
		ss_plugin.site.munge_socket[0] = '\0';
	}
	close(stray);
	unlink(out);
	return done_testing();
}
