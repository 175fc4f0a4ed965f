/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * eventlog.h - where a step's Spark event log goes, and whether that
 * directory may be trusted with it.
 *
 * Two kinds of directory: the site's event_log_dir, shared by every user
 * and read by the site's history server, and a user's own --spark-event-log
 * =DIR.  The site's must be root's, setgid (every file takes its group, the
 * history server's: doc/history-server.md), sticky
 * when users may write in it, and not readable by others: Spark makes its
 * files 0660 (0770 before 4.0), so the directory's group decides who reads
 * them.  A user's own must be the user's and writable by nobody else
 * (common/safedir.h).
 */
#ifndef SPANK_SPARK_EVENTLOG_H
#define SPANK_SPARK_EVENTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Which directory, from --spark-event-log's value OPT (NULL: not given;
 * yes/no; or a directory template) and the site's SITE_DIR (empty: none).
 * *TMPL: NULL when event logs are off, else the template (%u %h %j %s,
 * common/site_config.h) that lives as long as OPT or SITE_DIR; *SHARED:
 * it is the site's.  -1 with one line in ERR when the option cannot be
 * honoured. */
int ss_event_log_choice(const char *opt, const char *site_dir,
			const char **tmpl, bool *shared, char *err,
			size_t errlen);

/* Is ST, the last component of the site's event_log_dir PATH, laid out as
 * documented?  0, or -1 with one line in ERR saying what to change. */
int ss_event_log_check_shared(const char *path, const struct stat *st,
			      char *err, size_t errlen);

/* Open the event log directory PATH for UID: verified as common/safedir.h
 * does, created (0700) when it is the user's own and missing, and the
 * site's checked as above.  An O_PATH descriptor, or -1 with ERR. */
int ss_event_log_open_dir(const char *path, bool shared, uid_t uid, char *err,
			  size_t errlen);

/* The file name Spark gives the event log of APP_ID (its
 * Utils.sanitizeDirName: ' ', ':' and '/' to '-', '.', '$', '{', '}' and
 * quotes to '_', lower case).  -1 when it does not fit. */
int ss_event_log_name(const char *app_id, char *out, size_t outlen);

#endif
