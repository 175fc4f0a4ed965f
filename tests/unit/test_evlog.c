/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_evlog.c - the helper's side of the event log (helper/evlog.c): the
 * directory it verifies, the line it prints, and what it finds and
 * tightens once the driver is gone.
 */
#include "tap.h"

#include "../../helper/evlog.c"

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
	like(said, "event log of application " APP " in ",
	     "app-start prints where the log is");

	make(NAME, 0660);
	said[0] = '\0';
	is_int(evlog_finish(&h, fd, APP), 0, "a finished log is complete");
	is_int(mode_of(NAME), 0600,
	       "...and made 0600 in a directory without setgid");
	chmod(at(NAME), 0660);
	chmod(at(""), 02700);
	evlog_finish(&h, fd, APP);
	is_int(mode_of(NAME), 0640,
	       "...0640 in a setgid one (its group is the history server's)");
	unlink(at(NAME));

	make(NAME ".zstd.inprogress", 0660);
	said[0] = '\0';
	is_int(evlog_finish(&h, fd, APP), -1,
	       "a compressed log left .inprogress is incomplete");
	like(said, "left incomplete", "...and reported");
	like(said, "stop_timeout", "...naming the knob");
	unlink(at(NAME ".zstd.inprogress"));

	if (mkdir(at("eventlog_v2_" NAME), 02770) < 0)
		return 255;
	make("eventlog_v2_" NAME "/events_1_" NAME, 0660);
	make("eventlog_v2_" NAME "/appstatus_" NAME ".inprogress", 0660);
	is_int(evlog_finish(&h, fd, APP), -1,
	       "a rolling log whose status is .inprogress is incomplete");
	rename(at("eventlog_v2_" NAME "/appstatus_" NAME ".inprogress"),
	       at("eventlog_v2_" NAME "/appstatus_" NAME));
	chmod(at("eventlog_v2_" NAME), 02770);
	is_int(evlog_finish(&h, fd, APP), 0, "a finished rolling log");
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
	evlog_finish(&h, fd, APP);
	is_int(mode_of("target"), 0666,
	       "a link under the log's name is not "
	       "followed");

	close(fd);
	unlink(at(NAME));
	unlink(at("target"));
	rmdir(at(""));
	snprintf(want, sizeof(want), "%s/u", base);
	rmdir(want);
	rmdir(base);
	return done_testing();
}
