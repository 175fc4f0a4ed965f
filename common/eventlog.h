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

/* Hex digits of randomness in a step's application id: 128 bits. */
#define SS_APP_ID_RANDOM 32
/* Ids drawn before giving up when their event log names are taken. */
#define SS_EVENT_LOG_TRIES 8

/* The application id "slurm-JOB.STEP-NOW-RANDOM" into OUT, RANDOM the first
 * SS_APP_ID_RANDOM hex digits of HEX.  Only RANDOM keeps others from
 * knowing the id (and so the event log's name) in advance: it is never on
 * a command line (jvm/README.md).  -1 when HEX is short or OUT too small. */
int ss_app_id(char *out, size_t outlen, unsigned job, unsigned step, long now,
	      const char *hex);

/* Claim the event log FINAL (its file name, codec suffix included) in the
 * directory DIRFD before Spark writes it: FINAL.inprogress, which Spark
 * opens by path following links, is created here as an empty 0600 file of
 * ours (O_CREAT|O_EXCL|O_NOFOLLOW: never through a link, never another's
 * file).  In a sticky directory nobody else can then remove or replace it,
 * so Spark writes our file.  0: claimed; 1: taken (FINAL.inprogress or
 * FINAL exists, as anything, a dangling link too: nothing is left behind);
 * -1 with errno for any other failure. */
int ss_event_log_claim(int dirfd, const char *final);

/* A new application id into APP_ID (IDLEN bytes) for JOB, STEP at NOW, its
 * random part from DRAW (65 bytes of hex, 0 on success).  With DIRFD >= 0
 * (the site's shared directory) its event log FINAL (base name, then EXT,
 * e.g. "" or ".zstd") is claimed as above and a taken name draws a new id,
 * SS_EVENT_LOG_TRIES times at most.  0, or -1 with errno (EEXIST: every
 * name drawn was taken). */
int ss_event_log_new_id(int dirfd, const char *ext, unsigned job, unsigned step,
			long now, int (*draw)(char *, void *), void *arg,
			char *app_id, size_t idlen, char *final,
			size_t finallen);

#endif
