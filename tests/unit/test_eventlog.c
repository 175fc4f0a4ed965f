/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_eventlog.c - where a step's event log goes (common/eventlog.c) and
 * --spark-event-log's values (common/options.c).
 */
#include "eventlog.h"
#include "options.h"
#include "tap.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char err[512];

static void test_choice(void)
{
	const char *tmpl;
	bool shared;

	ok(ss_event_log_choice(NULL, "", &tmpl, &shared, err, sizeof(err)) ==
		   0 &&
	       tmpl == NULL,
	   "no option, no site directory: off");
	ok(ss_event_log_choice(NULL, "/ev", &tmpl, &shared, err, sizeof(err)) ==
		   0 &&
	       tmpl && !strcmp(tmpl, "/ev") && shared,
	   "no option, a site directory: on, in the site's");
	ok(ss_event_log_choice("yes", "/ev", &tmpl, &shared, err,
			       sizeof(err)) == 0 &&
	       tmpl && !strcmp(tmpl, "/ev") && shared,
	   "--spark-event-log alone: the site's directory");
	ok(ss_event_log_choice("no", "/ev", &tmpl, &shared, err, sizeof(err)) ==
		   0 &&
	       tmpl == NULL,
	   "--spark-event-log=no: off despite the site's directory");
	ok(ss_event_log_choice("/home/u/ev/%j", "/ev", &tmpl, &shared, err,
			       sizeof(err)) == 0 &&
	       tmpl && !strcmp(tmpl, "/home/u/ev/%j") && !shared,
	   "--spark-event-log=DIR: the user's own, not shared");
	err[0] = '\0';
	ok(ss_event_log_choice("yes", "", &tmpl, &shared, err, sizeof(err)) ==
	       -1,
	   "--spark-event-log alone without a site directory is refused");
	like(err, "no event_log_dir", "...saying the site has none");
	like(err, "--spark-event-log=DIR", "...and what to give instead");
	ok(!strchr(err, '\n'), "...in one line");
}

static void check_mode(uid_t uid, mode_t mode, int want, const char *needle,
		       const char *what)
{
	struct stat st = {.st_uid = uid, .st_mode = S_IFDIR | mode};

	err[0] = '\0';
	is_int(ss_event_log_check_shared("/ev", &st, err, sizeof(err)), want,
	       "%s", what);
	if (needle)
		like(err, needle, "...saying why");
}

static void test_shared_modes(void)
{
	check_mode(0, 03753, 0, NULL,
		   "root:GROUP 3753 (documented layout) is accepted");
	check_mode(0, 02750, 0, NULL,
		   "root's 2750: nobody but root writes, still sound");
	check_mode(0, 03733, 0, NULL, "3733 is sound too");
	check_mode(1000, 03753, -1, "is not root's", "a user's directory");
	check_mode(0, 01753, -1, "setgid", "without setgid, refused");
	check_mode(0, 02753, -1, "sticky", "others write, no sticky: refused");
	check_mode(0, 03757, -1, "readable by others",
		   "others may list it: refused");
	check_mode(0, 01777, -1, "setgid", "a /tmp-like 1777: refused");
	like(err, "3753", "...naming the documented mode");
	like(err, "man spank-spark", "...and where it is explained");
}

static void test_name(void)
{
	char out[64];

	ok(ss_event_log_name("slurm-12.0-1700000000-ab12cd34", out,
			     sizeof(out)) == 0,
	   "a name for our application ids");
	is_str(out, "slurm-12_0-1700000000-ab12cd34",
	       "dots become underscores, as Spark's sanitizeDirName does");
	ok(ss_event_log_name("App 1:a/b.C${x}'\"", out, sizeof(out)) == 0,
	   "every character Spark changes");
	is_str(out, "app-1-a-b_c__x___", "...changed as Spark does");
	ok(ss_event_log_name("", out, sizeof(out)) == -1, "empty: refused");
	ok(ss_event_log_name("abcdef", out, 6) == -1,
	   "too long for OUT: refused");
}

static void test_open(void)
{
	char base[64], path[128];
	struct stat st;
	int fd;

	snprintf(base, sizeof(base), "/tmp/ss-test-eventlog.XXXXXX");
	if (!mkdtemp(base)) {
		printf("Bail out! mkdtemp\n");
		exit(255);
	}
	snprintf(path, sizeof(path), "%s/ev/%s", base, "j1");
	fd = ss_event_log_open_dir(path, false, getuid(), err, sizeof(err));
	ok(fd >= 0, "the user's own directory is created (%s)", err);
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0700,
	   "...mode 0700");
	if (fd >= 0)
		close(fd);
	chmod(path, 0777);
	err[0] = '\0';
	ok(ss_event_log_open_dir(path, false, getuid(), err, sizeof(err)) < 0,
	   "a user directory writable by others is refused");
	like(err, "writable by group or others", "...saying so");
	chmod(path, 0700);
	if (getuid() != 0) {
		err[0] = '\0';
		ok(ss_event_log_open_dir(path, true, getuid(), err,
					 sizeof(err)) < 0,
		   "a user's directory as the site's is refused");
		like(err, "not root's", "...as not root's");
	} else {
		err[0] = '\0';
		ok(ss_event_log_open_dir(path, true, getuid(), err,
					 sizeof(err)) < 0,
		   "a 0700 directory without setgid as the site's is "
		   "refused");
		like(err, "setgid", "...for its missing setgid bit");
	}
	rmdir(path);
	snprintf(path, sizeof(path), "%s/ev", base);
	rmdir(path);
	rmdir(base);
}

static void test_option(void)
{
	struct ss_opts o = {0};

	ok(ss_opts_set(&o, SS_OPT_EVENT_LOG, NULL, true, err, sizeof(err)) ==
		   0 &&
	       !strcmp(o.value[SS_OPT_EVENT_LOG], "yes"),
	   "--spark-event-log without a value is 'yes'");
	ss_opts_free(&o);
	ok(ss_opts_set(&o, SS_OPT_EVENT_LOG, "/scratch/%u/ev", true, err,
		       sizeof(err)) == 0,
	   "--spark-event-log=/scratch/%%u/ev");
	ss_opts_free(&o);
	ok(ss_opts_set(&o, SS_OPT_EVENT_LOG, "%h/ev", true, err, sizeof(err)) ==
	       0,
	   "--spark-event-log=%%h/ev");
	ss_opts_free(&o);
	ok(ss_opts_set(&o, SS_OPT_EVENT_LOG, "no", true, err, sizeof(err)) == 0,
	   "--spark-event-log=no");
	ss_opts_free(&o);
	ok(ss_opts_set(&o, SS_OPT_EVENT_LOG, "ev", true, err, sizeof(err)) ==
	       -1,
	   "a relative directory is refused");
	like(err, "absolute directory", "...saying an absolute one is wanted");
	ok(ss_opts_set(&o, SS_OPT_EVENT_LOG, "/ev/%x", true, err,
		       sizeof(err)) == -1,
	   "an unknown %%-expansion is refused");
	ok(ss_opts_set(&o, SS_OPT_EVENT_LOG, "/ev/\x1b[1m", true, err,
		       sizeof(err)) == -1,
	   "control characters are refused");
	ss_opts_free(&o);
}

static const char *env_no(const char *name, void *arg)
{
	(void)arg;
	return strcmp(name, "SPANK_SPARK_EVENT_LOG") ? NULL : "no";
}

static const char *env_dir(const char *name, void *arg)
{
	(void)arg;
	return strcmp(name, "SPANK_SPARK_EVENT_LOG") ? NULL : "/ev/%u";
}

static void test_env(void)
{
	struct ss_opts o = {0};

	ok(ss_opts_apply_env(&o, env_no, NULL, err, sizeof(err)) == 0 &&
	       !o.value[SS_OPT_EVENT_LOG] && !ss_opts_any(&o),
	   "SPANK_SPARK_EVENT_LOG=no alone does not make a Spark step");
	ok(ss_opts_apply_env(&o, env_dir, NULL, err, sizeof(err)) == 0 &&
	       o.value[SS_OPT_EVENT_LOG] &&
	       !strcmp(o.value[SS_OPT_EVENT_LOG], "/ev/%u"),
	   "SPANK_SPARK_EVENT_LOG=/ev/%%u is taken");
	ss_opts_free(&o);
}

int main(void)
{
	test_choice();
	test_shared_modes();
	test_name();
	test_open();
	test_option();
	test_env();
	return done_testing();
}
