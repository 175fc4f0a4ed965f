/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * evlog.c - the step's Spark event log.
 */
#include "evlog.h"
#include "eventlog.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Spark names the file after the application, plus its compression
 * codec's short name when spark.eventLog.compress is on. */
static const char *const codecs[] = {"", ".zstd", ".lz4", ".lzf", ".snappy"};

int evlog_open(struct helper *h, int *dirfd, char *err, size_t errlen)
{
	const char *tmpl;
	bool shared;
	char why[PATH_MAX + 256];

	*dirfd = -1;
	h->event_log_dir[0] = '\0';
	h->event_log_shared = false;
	if (ss_event_log_choice(h->opts.value[SS_OPT_EVENT_LOG],
				h->site.event_log_dir, &tmpl, &shared, err,
				errlen))
		return -1;
	if (!tmpl)
		return 0;
	if (ss_expand_dir(tmpl, h->user, h->home, h->job, h->step,
			  h->event_log_dir, sizeof(h->event_log_dir)) ||
	    h->event_log_dir[0] != '/') {
		snprintf(err, errlen,
			 "cannot expand the event log directory %s "
			 "(--spark-event-log or event_log_dir= in "
			 "plugstack.conf)",
			 tmpl);
		return -1;
	}
	*dirfd = ss_event_log_open_dir(h->event_log_dir, shared, h->uid, why,
				       sizeof(why));
	if (*dirfd < 0) {
		snprintf(err, errlen, "event log directory: %s%s", why,
			 shared ? "" : " (--spark-event-log)");
		h->event_log_dir[0] = '\0';
		return -1;
	}
	h->event_log_shared = shared;
	return 0;
}

void evlog_started(const struct helper *h, const char *app_id)
{
	if (h->event_log_dir[0])
		log_info("event log of application %s in %s", app_id,
			 h->event_log_dir);
}

/* Nobody writes but the owner: Spark made the log group-writable.  In a
 * setgid directory (the site's) the group is the history server's and
 * reads (0640, directories 0750); elsewhere the group is merely the
 * user's and gets nothing.  Never through a link, only what is ours. */
static void tighten(const struct helper *h, int fd, const char *name,
		    bool group)
{
	struct stat st;
	mode_t mode;

	if (fstat(fd, &st) < 0 || st.st_uid != h->uid ||
	    !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
		return;
	if (S_ISDIR(st.st_mode))
		mode = (group ? 0750 : 0700) | (st.st_mode & S_ISGID);
	else
		mode = group ? 0640 : 0600;
	if (fchmod(fd, mode) < 0)
		log_error("cannot chmod the event log %s/%s: %s",
			  h->event_log_dir, name, strerror(errno));
}

static void tighten_at(const struct helper *h, int dirfd, const char *name,
		       bool group)
{
	int fd =
	    openat(dirfd, name,
		   O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0) {
		tighten(h, fd, name, group);
		close(fd);
	}
}

/* Rolling event logs (Spark 4's default): a directory whose
 * appstatus_NAME loses its .inprogress when the application ends. */
static int finish_rolling(const struct helper *h, int top, const char *dir,
			  const char *base, bool group)
{
	char name[200];
	struct stat st;
	struct dirent *e;
	DIR *d;
	int fd =
	    openat(top, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return 0;
	snprintf(name, sizeof(name), "appstatus_%s.inprogress", base);
	if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		log_error("the event log %s/%s was left incomplete (%s): the "
			  "driver did not stop within stop_timeout= "
			  "(plugstack.conf)",
			  h->event_log_dir, dir, name);
		close(fd);
		return -1;
	}
	tighten(h, fd, dir, group);
	if (!(d = fdopendir(fd))) {
		close(fd);
		return 0;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			tighten_at(h, dirfd(d), e->d_name, group);
	closedir(d);
	log_verbose("event log complete: %s/%s", h->event_log_dir, dir);
	return 0;
}

int evlog_finish(const struct helper *h, int dirfd, const char *app_id)
{
	char base[128], name[160];
	struct stat st;
	bool group;

	if (dirfd < 0 || ss_event_log_name(app_id, base, sizeof(base)) ||
	    fstat(dirfd, &st) < 0)
		return 0;
	group = st.st_mode & S_ISGID;
	snprintf(name, sizeof(name), "eventlog_v2_%s", base);
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return finish_rolling(h, dirfd, name, base, group);
	for (size_t i = 0; i < sizeof(codecs) / sizeof(*codecs); i++) {
		snprintf(name, sizeof(name), "%s%s", base, codecs[i]);
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			tighten_at(h, dirfd, name, group);
			log_verbose("event log complete: %s/%s",
				    h->event_log_dir, name);
			return 0;
		}
		snprintf(name, sizeof(name), "%s%s.inprogress", base,
			 codecs[i]);
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			log_error("the event log %s/%s was left incomplete: "
				  "the driver did not stop within "
				  "stop_timeout= (plugstack.conf)",
				  h->event_log_dir, name);
			return -1;
		}
	}
	return 0;
}
