/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_eventlog_step.c - the helper's side of the event log
 * (helper/eventlog_step.c): the directory it verifies, the line it prints, and
 * what it finds and tightens once the driver is gone.
 */
#include "tap.h"

#include "../../helper/eventlog_step.c"

#include <stdarg.h>
#include <stdlib.h>

static char said[4096];

static void say(const char *fmt, va_list ap)
{
	size_t n = strlen(said);

	vsnprintf(said + n, sizeof(said) - n, fmt, ap);
	n = strlen(said);
	if (n + 1 < sizeof(said))
		strcat(said, "\n");
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

void log_verbose(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

#define APP "slurm-7.0-1700000000-0123abcd"
#define NAME "slurm-7_0-1700000000-0123abcd"

static char base[64];

static const char *at(const char *rel)
{
	static char path[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/u/ev/%s", base, rel);
	return path[k];
}

static void make(const char *rel, mode_t mode)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	if (fd < 0 || fchmod(fd, mode) < 0) {
		printf("Bail out! cannot create %s\n", at(rel));
		exit(255);
	}
	close(fd);
}

static unsigned mode_of(const char *rel)
{
	struct stat st;

	return lstat(at(rel), &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0;
}

int main(void)
{
	static struct helper h;
	char err[512], tmpl[128], want[128];
	int fd = -1;

	snprintf(base, sizeof(base), "/tmp/ss-test-evlog.XXXXXX");
	if (!mkdtemp(base)) {
		printf("Bail out! mkdtemp\n");
		return 255;
	}
	h.uid = getuid();
	h.job = 7;
	snprintf(h.user, sizeof(h.user), "u");
	snprintf(h.home, sizeof(h.home), "%s", base);

	ok(evlog_open(&h, &fd, err, sizeof(err)) == 0 && fd == -1 &&
	       !h.event_log_dir[0],
	   "no option, no site directory: no event log");
	snprintf(tmpl, sizeof(tmpl), "%%h/%%u/ev");
	h.opts.value[SS_OPT_EVENT_LOG] = tmpl;
	ok(evlog_open(&h, &fd, err, sizeof(err)) == 0 && fd >= 0,
	   "--spark-event-log=%%h/%%u/ev is opened (%s)", err);
	snprintf(want, sizeof(want), "%s/u/ev", base);
	is_str(h.event_log_dir, want, "...expanded");
	h.opts.value[SS_OPT_EVENT_LOG] = NULL;
	ok(!h.event_log_shared, "...not shared: rolling logs stay allowed");
	if (getuid() == 0) {
		int site_fd = -1;

		snprintf(h.site.event_log_dir, sizeof(h.site.event_log_dir),
			 "%s/site", base);
		if (mkdir(h.site.event_log_dir, 0700) < 0 ||
		    chmod(h.site.event_log_dir, 03753) < 0)
			return 255;
		ok(evlog_open(&h, &site_fd, err, sizeof(err)) == 0 &&
		       site_fd >= 0 && h.event_log_shared,
		   "the site's directory, laid out as documented, is shared "
		   "(%s)",
		   err);
		if (site_fd >= 0)
			close(site_fd);
		rmdir(h.site.event_log_dir);
		h.site.event_log_dir[0] = '\0';
		snprintf(h.event_log_dir, sizeof(h.event_log_dir), "%s", want);
	} else {
		skip(1, "the site's directory needs root");
	}

	said[0] = '\0';
	evlog_started(&h, APP);
	ok(!strstr(said, "event log of application"),
	   "app-start does not print the id: the log is not final yet");

	make(NAME, 0660);
	said[0] = '\0';
	is_int(evlog_finish(&h, fd, APP, "", true), 0,
	       "a finished log is complete");
	like(said, "event log of application " APP " in ",
	     "...and the step says where it is");
	is_int(mode_of(NAME), 0600,
	       "...and made 0600 in a directory without setgid");
	chmod(at(NAME), 0660);
	chmod(at(""), 02700);
	evlog_finish(&h, fd, APP, "", true);
	is_int(mode_of(NAME), 0640,
	       "...0640 in a setgid one (its group is the history server's)");
	unlink(at(NAME));

	make(NAME ".zstd.inprogress", 0660);
	said[0] = '\0';
	is_int(evlog_finish(&h, fd, APP, "", true), -1,
	       "a compressed log left .inprogress is incomplete");
	like(said, "left incomplete", "...and reported");
	like(said, "stop_timeout", "...naming the knob");
	unlink(at(NAME ".zstd.inprogress"));

	if (mkdir(at("eventlog_v2_" NAME), 02770) < 0)
		return 255;
	make("eventlog_v2_" NAME "/events_1_" NAME, 0660);
	make("eventlog_v2_" NAME "/appstatus_" NAME ".inprogress", 0660);
	is_int(evlog_finish(&h, fd, APP, "", true), -1,
	       "a rolling log whose status is .inprogress is incomplete");
	rename(at("eventlog_v2_" NAME "/appstatus_" NAME ".inprogress"),
	       at("eventlog_v2_" NAME "/appstatus_" NAME));
	chmod(at("eventlog_v2_" NAME), 02770);
	is_int(evlog_finish(&h, fd, APP, "", true), 0,
	       "a finished rolling log");
	is_int(mode_of("eventlog_v2_" NAME), 02750,
	       "...its directory made 0750, setgid kept");
	is_int(mode_of("eventlog_v2_" NAME "/events_1_" NAME), 0640,
	       "...its events 0640");

	unlink(at("eventlog_v2_" NAME "/events_1_" NAME));
	unlink(at("eventlog_v2_" NAME "/appstatus_" NAME));
	rmdir(at("eventlog_v2_" NAME));
	/* A link planted under the log's name: nothing is followed. */
	make("target", 0666);
	if (symlink(at("target"), at(NAME)) < 0)
		return 255;
	evlog_finish(&h, fd, APP, "", true);
	is_int(mode_of("target"), 0666,
	       "a link under the log's name is not "
	       "followed");

	unlink(at(NAME));

	/* The codec the step forces in the site's directory. */
	{
		const char *codec = "x";
		char c1[] = "spark.eventLog.compress=false",
		     c2[] = "spark.eventLog.compress=true",
		     c3[] = "spark.eventLog.compression.codec=LZ4",
		     c4[] = "spark.eventLog.compression.codec=org.x.Codec",
		     c5[] = "spark.eventLog.compress=maybe";

		is_int(evlog_codec(&h, &codec, err, sizeof(err)), 0,
		       "no --spark-conf: a codec");
		is_str(codec, "zstd", "...Spark 4's default, zstd");
		h.opts.conf[0] = c1;
		h.opts.n_conf = 1;
		evlog_codec(&h, &codec, err, sizeof(err));
		ok(codec == NULL, "spark.eventLog.compress=false: none");
		h.opts.conf[1] = c2;
		h.opts.conf[2] = c3;
		h.opts.n_conf = 3;
		evlog_codec(&h, &codec, err, sizeof(err));
		is_str(codec, "lz4", "the last pair wins; a codec in any case");
		h.opts.conf[2] = c4;
		is_int(evlog_codec(&h, &codec, err, sizeof(err)), -1,
		       "a codec class: refused");
		like(err, "zstd, lz4, lzf or snappy", "...saying what to use");
		h.opts.conf[0] = c5;
		h.opts.n_conf = 1;
		is_int(evlog_codec(&h, &codec, err, sizeof(err)), -1,
		       "spark.eventLog.compress=maybe: refused");
		h.opts.n_conf = 0;
	}

	/* A new id, its log claimed in a shared directory. */
	{
		char id[96], claimed[200], path[PATH_MAX + 256];
		struct stat st;

		h.event_log_shared = true;
		is_int(evlog_new_app_id(&h, fd, id, sizeof(id), claimed,
					sizeof(claimed), err, sizeof(err)),
		       0, "a new application id (%s)", err);
		like(id, "slurm-7.0-", "...for the job and step");
		is_int((int)strspn(strrchr(id, '-') + 1, "0123456789abcdef"),
		       32, "...ending in 32 random hex digits");
		like(claimed, ".zstd", "...its log claimed, compressed");
		snprintf(path, sizeof(path), "%s.inprogress", claimed);
		ok(fstatat(fd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		       S_ISREG(st.st_mode) && st.st_size == 0,
		   "...as an empty file");
		said[0] = '\0';
		is_int(evlog_finish(&h, fd, id, claimed, false), 0,
		       "the application never started");
		ok(fstatat(fd, path, &st, AT_SYMLINK_NOFOLLOW) < 0,
		   "...its empty claim is removed");

		evlog_new_app_id(&h, fd, id, sizeof(id), claimed,
				 sizeof(claimed), err, sizeof(err));
		snprintf(path, sizeof(path), "%s/%s.inprogress",
			 h.event_log_dir, claimed);
		{
			FILE *f = fopen(path, "w");

			if (f) {
				fputs("{}\n", f);
				fclose(f);
			}
		}
		evlog_finish(&h, fd, id, claimed, false);
		ok(access(path, F_OK) == 0,
		   "a claim Spark wrote in is left alone");
		if (getuid() == 0) {
			char fin[PATH_MAX + 256];
			int pfd;

			snprintf(fin, sizeof(fin), "%s/%s", h.event_log_dir,
				 claimed);
			pfd = open(fin, O_WRONLY | O_CREAT | O_EXCL, 0644);
			if (pfd < 0 || fchown(pfd, 4242, 4242) < 0)
				return 255;
			close(pfd);
			said[0] = '\0';
			is_int(evlog_finish(&h, fd, id, claimed, true), -1,
			       "another user's file under the final name: "
			       "incomplete");
			like(said, "is another user's (uid 4242)",
			     "...and said so");
			unlink(fin);
		} else {
			ok(1, "# SKIP another user's file needs root");
			ok(1, "# SKIP another user's file needs root");
		}
		unlink(path);
		h.event_log_shared = false;
	}

	close(fd);
	unlink(at("target"));
	rmdir(at(""));
	snprintf(want, sizeof(want), "%s/u", base);
	rmdir(want);
	rmdir(base);
	return done_testing();
}
