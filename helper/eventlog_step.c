/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * eventlog_step.c - the step's Spark event log.
 */
#include "eventlog_step.h"
#include "eventlog.h"
#include "log.h"
#include "parse.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
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

/* The value of the user's last --spark-conf KEY=..., or NULL. */
static const char *user_conf(const struct helper *h, const char *key)
{
	const char *v = NULL;
	size_t klen = strlen(key);

	for (size_t i = 0; i < h->opts.n_conf; i++)
		if (ss_conf_key_len(h->opts.conf[i]) == klen &&
		    !strncmp(h->opts.conf[i], key, klen))
			v = h->opts.conf[i] + klen + 1;
	return v;
}

int evlog_codec(const struct helper *h, const char **codec, char *err,
		size_t errlen)
{
	static const char *const names[] = {"zstd", "lz4", "lzf", "snappy"};
	const char *on = user_conf(h, "spark.eventLog.compress");
	const char *name = user_conf(h, "spark.eventLog.compression.codec");
	bool compress = true;

	*codec = NULL;
	if (on && ss_parse_bool(on, &compress)) {
		snprintf(err, errlen,
			 "--spark-conf spark.eventLog.compress=%.40s: want "
			 "true or false",
			 on);
		return -1;
	}
	if (!compress)
		return 0;
	if (!name) {
		*codec = names[0];
		return 0;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcasecmp(name, names[i])) {
			*codec = names[i];
			return 0;
		}
	snprintf(err, errlen,
		 "--spark-conf spark.eventLog.compression.codec=%.40s: in the "
		 "site's event log directory use zstd, lz4, lzf or snappy",
		 name);
	return -1;
}

static int draw(char *hex, void *arg)
{
	unsigned char raw[SS_APP_ID_RANDOM / 2];

	(void)arg;
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return -1;
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

int evlog_new_app_id(const struct helper *h, int dirfd, char *app_id,
		     size_t idlen, char *claimed, size_t claimedlen, char *err,
		     size_t errlen)
{
	const char *codec = NULL;
	char ext[16] = "";
	bool shared = dirfd >= 0 && h->event_log_shared;

	claimed[0] = '\0';
	if (shared) {
		if (evlog_codec(h, &codec, err, errlen))
			return -1;
		if (codec)
			snprintf(ext, sizeof(ext), ".%s", codec);
	}
	if (ss_event_log_new_id(shared ? dirfd : -1, ext, h->job, h->step,
				(long)time(NULL), draw, NULL, app_id, idlen,
				claimed, claimedlen) == 0)
		return 0;
	claimed[0] = '\0';
	if (errno == EEXIST)
		snprintf(err, errlen,
			 "event log directory %s: the names of %d new "
			 "application ids were all taken; ask the site to look "
			 "at who creates files there",
			 h->event_log_dir, SS_EVENT_LOG_TRIES);
	else
		snprintf(err, errlen,
			 "cannot make an application id and its event log in "
			 "%s: %s",
			 h->event_log_dir, strerror(errno));
	return -1;
}

void evlog_started(const struct helper *h, const char *app_id)
{
	/* Not the id yet: it names a log another user could still plant
	 * something for (evlog_finish prints it). */
	(void)app_id;
	if (h->event_log_dir[0])
		log_verbose("the application started, its event log in %s",
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
	return 0;
}

/* Is NAME in DIRFD a regular file of the user's (*EMPTY: of no bytes)? */
static bool ours_at(const struct helper *h, int dirfd, const char *name,
		    bool *empty)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISREG(st.st_mode) || st.st_uid != h->uid)
		return false;
	*empty = st.st_size == 0;
	return true;
}

/* The application never started: remove our claim on its log's name,
 * unless Spark wrote in it. */
static void unclaim(const struct helper *h, int dirfd, const char *claimed)
{
	char name[256];
	bool empty = false;

	snprintf(name, sizeof(name), "%s.inprogress", claimed);
	if (ours_at(h, dirfd, name, &empty) && empty &&
	    unlinkat(dirfd, name, 0) < 0)
		log_verbose("cannot remove %s/%s: %s", h->event_log_dir, name,
			    strerror(errno));
}

int evlog_finish(const struct helper *h, int dirfd, const char *app_id,
		 const char *claimed, bool started)
{
	char base[128], name[192], final[160];
	struct stat st;
	bool group, empty;

	if (dirfd < 0)
		return 0;
	if (!started) {
		if (claimed && claimed[0])
			unclaim(h, dirfd, claimed);
		return 0;
	}
	if (ss_event_log_name(app_id, base, sizeof(base)) ||
	    fstat(dirfd, &st) < 0)
		return 0;
	group = st.st_mode & S_ISGID;
	snprintf(name, sizeof(name), "eventlog_v2_%s", base);
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (finish_rolling(h, dirfd, name, base, group))
			return -1;
		log_info("event log of application %s in %s", app_id,
			 h->event_log_dir);
		return 0;
	}
	for (size_t i = 0; i < sizeof(codecs) / sizeof(*codecs); i++) {
		snprintf(final, sizeof(final), "%s%s", base, codecs[i]);
		snprintf(name, sizeof(name), "%s.inprogress", final);
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			/* Spark renames it only onto a free name. */
			if (ours_at(h, dirfd, name, &empty) &&
			    fstatat(dirfd, final, &st, AT_SYMLINK_NOFOLLOW) ==
				0 &&
			    !ours_at(h, dirfd, final, &empty))
				log_error("the event log of application %s is "
					  "kept as %s/%s: %s, its final name, "
					  "is another user's (uid %u)",
					  app_id, h->event_log_dir, name, final,
					  (unsigned)st.st_uid);
			else
				log_error("the event log %s/%s was left "
					  "incomplete: the driver did not "
					  "stop within stop_timeout= "
					  "(plugstack.conf)",
					  h->event_log_dir, name);
			return -1;
		}
		if (ours_at(h, dirfd, final, &empty)) {
			tighten_at(h, dirfd, final, group);
			log_info("event log of application %s in %s", app_id,
				 h->event_log_dir);
			return 0;
		}
	}
	return 0;
}
