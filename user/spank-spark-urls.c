/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spank-spark-urls - print the calling user's running Spark steps' UI and
 * Spark Connect URLs.
 *
 *   spank-spark-urls [-c PLUGSTACK_FILE] [-d LOG_DIR] [JOBID[.STEP]]
 *
 * Each step writes its URLs, which carry the step's token, to 0600 files
 * in its log directory (ui-url.STEP, connect-url.STEP): the site's log_dir
 * template (plugstack.conf), or the directory given to --spark-log-dir,
 * which -d names.  Without JOBID: every running step of the caller's
 * (squeue --me -s); with JOBID: that job's running steps; with
 * JOBID.STEP: that step, running or not.
 * A directory may use the templates' %u %h %j %s.
 *
 * Only the caller's own files are read: the directory is verified as the
 * helper verified it (common/safedir.h: no symbolic link, no component
 * another user may write), and each file is opened below it without
 * following links, and read only if it is a regular file of the caller's,
 * readable by nobody else.
 */
#include "safedir.h"
#include "site_config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROG "spank-spark-urls"
#define URL_MAX 4096
#define MAX_STEPS 4096

struct step {
	unsigned long job, step;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: " PROG " [-c PLUGSTACK_FILE] [-d LOG_DIR] "
		   "[JOBID[.STEP]]\n"
		   "Prints your running Spark steps' UI and Spark Connect "
		   "URLs (man spank-spark).\n");
}

/* The spank_spark line's arguments in FILE, following "include" lines
 * (one level, as Slurm's globs); 1 found, 0 not, -1 unreadable. */
static int find_plugin_line(const char *file, int depth, struct ss_site *site,
			    char *err, size_t errlen)
{
	char line[8192];
	FILE *f = fopen(file, "re");
	int found = 0;

	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", file,
			 strerror(errno));
		return -1;
	}
	while (!found && fgets(line, sizeof(line), f)) {
		char *words[256], *save = NULL;
		int n = 0;

		for (char *w = strtok_r(line, " \t\r\n", &save); w && n < 256;
		     w = strtok_r(NULL, " \t\r\n", &save))
			words[n++] = w;
		if (n == 0 || words[0][0] == '#')
			continue;
		if (!strcmp(words[0], "include") && n == 2 && depth == 0) {
			glob_t g;

			if (glob(words[1], 0, NULL, &g) != 0)
				continue;
			for (size_t i = 0; !found && i < g.gl_pathc; i++)
				found = find_plugin_line(g.gl_pathv[i], 1, site,
							 err, errlen) == 1;
			globfree(&g);
			continue;
		}
		/* required|optional PATH [KEY=VALUE ...] */
		if (n >= 2 && strstr(words[1], "spank_spark")) {
			if (ss_site_parse(site, n - 2, words + 2, err, errlen))
				found = -1;
			else
				found = 1;
		}
	}
	fclose(f);
	return found;
}

/* Slurm's plugstack.conf: beside slurm.conf (SLURM_CONF) by default. */
static void default_plugstack(char *out, size_t outlen)
{
	const char *conf = getenv("SLURM_CONF");
	const char *slash = conf ? strrchr(conf, '/') : NULL;

	if (slash)
		snprintf(out, outlen, "%.*s/plugstack.conf",
			 (int)(slash - conf), conf);
	else
		snprintf(out, outlen, "/etc/slurm/plugstack.conf");
}

/* "JOB" or "JOB.STEP" (also squeue's "JOB+K.STEP" of a het job, whose
 * log directory is the leader's): 0, or -1 when it is neither. */
static int parse_id(const char *s, struct step *st, int *has_step)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	st->job = strtoul(s, &end, 10);
	if (*end == '+') {
		do
			end++;
		while (isdigit((unsigned char)*end));
	}
	*has_step = *end == '.';
	if (!*has_step)
		return *end ? -1 : 0;
	if (!isdigit((unsigned char)end[1]))
		return -1;
	st->step = strtoul(end + 1, &end, 10);
	return *end ? -1 : 0;
}

/* The caller's running steps (of JOB, when not 0) from squeue. */
static int running_steps(unsigned long job, struct step *steps, int max)
{
	char cmd[128], line[256];
	FILE *p;
	int n = 0;

	if (job)
		snprintf(cmd, sizeof(cmd),
			 "squeue --me -h -s -o %%i -j %lu 2>/dev/null", job);
	else
		snprintf(cmd, sizeof(cmd), "squeue --me -h -s -o %%i");
	if (!(p = popen(cmd, "re")))
		return -1;
	while (n < max && fgets(line, sizeof(line), p)) {
		int has_step;

		line[strcspn(line, " \n")] = '\0';
		/* batch, extern and interactive steps are not Spark's. */
		if (parse_id(line, &steps[n], &has_step) == 0 && has_step)
			n++;
	}
	return pclose(p) == 0 || job ? n : -1;
}

/* Print the URL file NAME of DIRFD, prefixed with the step and KIND, if it
 * is the caller's alone.  1 printed, 0 absent, -1 refused (said why). */
static int print_url(int dirfd, const char *dir, const char *name,
		     const struct step *st, const char *kind)
{
	char url[URL_MAX];
	struct stat sb;
	ssize_t n;
	int fd =
	    openat(dirfd, name,
		   O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, PROG ": cannot open %s/%s: %s\n", dir, name,
			errno == ELOOP ? "a symbolic link, not followed"
				       : strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_uid != getuid() || sb.st_mode & 077 || sb.st_nlink != 1) {
		fprintf(stderr,
			PROG ": %s/%s is not a file of yours that only you can "
			     "read: not shown\n",
			dir, name);
		close(fd);
		return -1;
	}
	n = read(fd, url, sizeof(url) - 1);
	close(fd);
	if (n <= 0)
		return 0; /* still being written */
	url[n] = '\0';
	url[strcspn(url, "\n")] = '\0';
	printf("%lu.%lu %-7s %s\n", st->job, st->step, kind, url);
	return 1;
}

static int print_step(const struct ss_site *site, const char *dir_opt,
		      const struct passwd *pw, const struct step *st,
		      bool quiet_absent)
{
	char dir[SS_PATH_LEN + 64], name[64], err[512];
	int dirfd, ui, connect;

	if (ss_expand_dir(dir_opt ? dir_opt : site->log_dir, pw->pw_name,
			  pw->pw_dir, st->job, st->step, dir, sizeof(dir))) {
		fprintf(stderr,
			PROG ": step %lu.%lu: its log directory's name "
			     "is too long\n",
			st->job, st->step);
		return -1;
	}
	if ((dirfd = ss_dir_open(dir, getuid(), SS_DIR_OWN, err, sizeof(err))) <
	    0) {
		if (quiet_absent && errno == ENOENT)
			return 0;
		fprintf(stderr, PROG ": step %lu.%lu: %s\n", st->job, st->step,
			err);
		return -1;
	}
	snprintf(name, sizeof(name), "ui-url.%lu", st->step);
	ui = print_url(dirfd, dir, name, st, "ui");
	snprintf(name, sizeof(name), "connect-url.%lu", st->step);
	connect = print_url(dirfd, dir, name, st, "connect");
	close(dirfd);
	if (ui < 0 || connect < 0)
		return -1;
	if (ui == 0 && connect == 0 && !quiet_absent) {
		fprintf(stderr,
			PROG ": no URL for step %lu.%lu in %s: not a Spark "
			     "step, still starting, or its logs are elsewhere "
			     "(--spark-log-dir: give it with -d)\n",
			st->job, st->step, dir);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct step steps[MAX_STEPS];
	char plugstack[SS_PATH_LEN], err[512];
	const char *conf = NULL, *dir_opt = NULL;
	struct ss_site site;
	struct passwd *pw;
	struct step one = {0};
	int opt, has_step = 0, n, rc = 0;

	while ((opt = getopt(argc, argv, "c:d:h")) != -1) {
		switch (opt) {
		case 'c':
			conf = optarg;
			break;
		case 'd':
			dir_opt = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind > 1 ||
	    (argc - optind == 1 && parse_id(argv[optind], &one, &has_step))) {
		usage(stderr);
		return 2;
	}
	if (dir_opt && dir_opt[0] != '/') {
		fprintf(stderr, PROG ": -d %s: give an absolute directory\n",
			dir_opt);
		return 2;
	}
	if (!(pw = getpwuid(getuid()))) {
		fprintf(stderr,
			PROG ": who are you? (no passwd entry for uid "
			     "%u)\n",
			(unsigned)getuid());
		return 1;
	}
	if (!conf) {
		default_plugstack(plugstack, sizeof(plugstack));
		conf = plugstack;
	}
	ss_site_parse(&site, 0, NULL, err, sizeof(err));
	err[0] = '\0';
	if (!dir_opt && find_plugin_line(conf, 0, &site, err, sizeof(err)) <= 0)
		fprintf(stderr,
			PROG ": %s%sno spank_spark line in %s: using the "
			     "default log_dir %s (-c names another file)\n",
			err[0] ? err : "", err[0] ? "; " : "", conf,
			site.log_dir);
	if (has_step)
		return print_step(&site, dir_opt, pw, &one, false) ? 1 : 0;
	if ((n = running_steps(one.job, steps, MAX_STEPS)) < 0) {
		fprintf(stderr, PROG ": cannot list your running steps with "
				     "squeue: give JOBID.STEP\n");
		return 1;
	}
	if (n == 0 && one.job) {
		fprintf(stderr,
			PROG ": job %lu has no running step of yours (a "
			     "finished step: give JOBID.STEP)\n",
			one.job);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		/* A het step is listed once per component. */
		if (i > 0 && steps[i].job == steps[i - 1].job &&
		    steps[i].step == steps[i - 1].step)
			continue;
		if (print_step(&site, dir_opt, pw, &steps[i], true))
			rc = 1;
	}
	return rc;
}
