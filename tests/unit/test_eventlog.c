/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_eventlog.c - where a step's event log goes (common/eventlog.c) and
 * --spark-event-log's values (common/options.c).
 */
#include "eventlog.h"
#include "options.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
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

static void test_app_id(void)
{
	const char *hex = "0123456789abcdef0123456789abcdef"
			  "ffffffffffffffffffffffffffffffff";
	char id[96];

	is_int(ss_app_id(id, sizeof(id), 12, 3, 1700000000, hex), 0,
	       "an application id");
	is_str(id, "slurm-12.3-1700000000-0123456789abcdef0123456789abcdef",
	       "...with 32 random hex digits (128 bits)");
	is_int(ss_app_id(id, sizeof(id), 12, 3, 1700000000, "0123abcd"), -1,
	       "fewer random digits: refused");
	is_int(ss_app_id(id, sizeof(id), 12, 3, 1700000000,
			 "0123456789ABCDEF0123456789abcdef"),
	       -1, "not lower-case hex: refused");
	is_int(ss_app_id(id, 40, 12, 3, 1700000000, hex), -1,
	       "too long for OUT: refused");
}

static char dir[64];

static const char *in_dir(const char *name)
{
	static char path[2][256];
	static int k;

	k = !k;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	return path[k];
}

static void plant(const char *name, const char *text)
{
	FILE *f;

	SETUP(!(f = fopen(in_dir(name), "w")));
	fputs(text, f);
	SETUP(fclose(f));
}

static char *slurp(const char *name)
{
	static char buf[256];
	FILE *f = fopen(in_dir(name), "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

static bool exists(const char *name)
{
	struct stat st;

	return lstat(in_dir(name), &st) == 0;
}

static void test_claim(void)
{
	struct stat st;
	int dfd;

	snprintf(dir, sizeof(dir), "/tmp/ss-test-claim.XXXXXX");
	SETUP(!mkdtemp(dir));
	SETUP((dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0);

	is_int(ss_event_log_claim(dfd, "a"), 0, "a free name is claimed");
	ok(lstat(in_dir("a.inprogress"), &st) == 0 && S_ISREG(st.st_mode) &&
	       (st.st_mode & 07777) == 0600 && st.st_size == 0 &&
	       st.st_uid == getuid(),
	   "...as an empty 0600 file of ours, a.inprogress");
	is_int(ss_event_log_claim(dfd, "a"), 1, "claimed twice: taken");

	plant("secret", "the owner's");
	SETUP(chmod(in_dir("secret"), 0600));
	SETUP(symlink(in_dir("secret"), in_dir("b.inprogress")));
	is_int(ss_event_log_claim(dfd, "b"), 1,
	       "a link planted under the .inprogress name: taken");
	is_str(slurp("secret"), "the owner's", "...its target unchanged");
	ok(stat(in_dir("secret"), &st) == 0 && (st.st_mode & 07777) == 0600,
	   "...and its mode");

	SETUP(symlink(in_dir("nowhere"), in_dir("c.inprogress")));
	is_int(ss_event_log_claim(dfd, "c"), 1,
	       "a dangling link under the .inprogress name: taken");
	ok(!exists("nowhere"), "...nothing created where it points");

	plant("d.inprogress", "planted");
	is_int(ss_event_log_claim(dfd, "d"), 1,
	       "a plain file under the .inprogress name: taken");
	is_str(slurp("d.inprogress"), "planted", "...left as it was");

	plant("e.zstd", "planted");
	is_int(ss_event_log_claim(dfd, "e.zstd"), 1,
	       "a file under the final name: taken");
	ok(!exists("e.zstd.inprogress"), "...and no .inprogress left behind");
	SETUP(symlink(in_dir("nowhere"), in_dir("f")));
	is_int(ss_event_log_claim(dfd, "f"), 1,
	       "a dangling link under the final name: taken");
	ok(!exists("f.inprogress") && !exists("nowhere"),
	   "...nothing left behind, nothing created where it points");

	errno = 0;
	is_int(ss_event_log_claim(dfd, "g/h"), -1, "a name with a slash: -1");
	is_int(errno, EINVAL, "...EINVAL");
	is_int(ss_event_log_claim(-1, "g"), -1, "no directory: -1");

	close(dfd);
}

/* Draws the ids of SEQ in turn: "0" * 32, "1" * 32, ... */
struct seq {
	int next, fail_at;
};

static int draw(char *out, void *arg)
{
	struct seq *s = arg;
	int digit = s->next++;

	if (digit == s->fail_at)
		return -1;
	memset(out, "0123456789abcdef"[digit % 16], 64);
	out[64] = '\0';
	return 0;
}

#define ID(c) "slurm-5.1-1700000000-" c c c c c c c c c c c c c c c c
#define FILE_OF(c) "slurm-5_1-1700000000-" c c c c c c c c c c c c c c c c

static void test_new_id(void)
{
	char id[96], final[200], cmd[128];
	struct seq s = {0, -1};
	int dfd;

	SETUP((dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0);
	is_int(ss_event_log_new_id(-1, "", 5, 1, 1700000000, draw, &s, id,
				   sizeof(id), final, sizeof(final)),
	       0, "no shared directory: an id");
	is_str(id, ID("00"), "...from the first draw");

	/* The first two ids' names are taken: the third is claimed. */
	plant(FILE_OF("00") ".zstd.inprogress", "planted");
	SETUP(symlink(in_dir("secret"), in_dir(FILE_OF("11") ".zstd")));
	s = (struct seq){0, -1};
	is_int(ss_event_log_new_id(dfd, ".zstd", 5, 1, 1700000000, draw, &s, id,
				   sizeof(id), final, sizeof(final)),
	       0, "names taken: a new id is drawn");
	is_str(id, ID("22"), "...the third");
	is_str(final, FILE_OF("22") ".zstd", "...whose log name is given");
	ok(exists(FILE_OF("22") ".zstd.inprogress"), "...and claimed");
	ok(!exists(FILE_OF("11") ".zstd.inprogress"),
	   "...nothing left for the one whose final name was taken");
	is_str(slurp(FILE_OF("00") ".zstd.inprogress"), "planted",
	       "...the planted file unchanged");
	is_str(slurp("secret"), "the owner's", "...the linked one too");

	/* Every draw taken. */
	s = (struct seq){3, -1};
	for (int c = 3; c < 3 + SS_EVENT_LOG_TRIES; c++) {
		char hex[65], name[160];

		memset(hex, "0123456789abcdef"[c % 16], 32);
		hex[32] = '\0';
		snprintf(name, sizeof(name), "slurm-5_1-1700000000-%s", hex);
		plant(name, "planted");
	}
	errno = 0;
	is_int(ss_event_log_new_id(dfd, "", 5, 1, 1700000000, draw, &s, id,
				   sizeof(id), final, sizeof(final)),
	       -1, "every name drawn taken: -1");
	is_int(errno, EEXIST, "...EEXIST");
	is_int(s.next, 3 + SS_EVENT_LOG_TRIES,
	       "...after SS_EVENT_LOG_TRIES draws");

	s = (struct seq){0, 0};
	is_int(ss_event_log_new_id(dfd, "", 5, 1, 1700000000, draw, &s, id,
				   sizeof(id), final, sizeof(final)),
	       -1, "no randomness: -1");
	close(dfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	SETUP(system(cmd));
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
	test_app_id();
	test_claim();
	test_new_id();
	test_option();
	test_env();
	return done_testing();
}
