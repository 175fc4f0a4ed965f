/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * eventlog_step.h - the step's Spark event log (common/eventlog.h): its
 * verified directory, the line that says where it is, and its state once the
 * driver is gone.
 */
#ifndef SPANK_SPARK_EVENTLOG_STEP_H
#define SPANK_SPARK_EVENTLOG_STEP_H

#include "helper.h"

/* Resolve and verify the directory into H->event_log_dir (empty: event
 * logs off) and *DIRFD (-1 when off).  0, or -1 with ERR. */
int evlog_open(struct helper *h, int *dirfd, char *err, size_t errlen);
/* The codec of event logs in the site's directory, which the step forces
 * (spark_conf.c) so that the helper knows the log's name in advance: from
 * the user's --spark-conf spark.eventLog.compress and
 * spark.eventLog.compression.codec, by default Spark 4's (zstd).  *CODEC:
 * NULL for none, else its short name.  -1 with ERR for a codec that Spark
 * would not name by its short name. */
int evlog_codec(const struct helper *h, const char **codec, char *err,
		size_t errlen);
/* A new application id into APP_ID (IDLEN bytes), 128 random bits.  In the
 * site's shared directory DIRFD its event log is claimed first
 * (common/eventlog.h: ss_event_log_new_id), and its file name (without
 * .inprogress) goes into CLAIMED; elsewhere CLAIMED is "".  0, or -1 with
 * ERR. */
int evlog_new_app_id(const struct helper *h, int dirfd, char *app_id,
		     size_t idlen, char *claimed, size_t claimedlen, char *err,
		     size_t errlen);
/* The driver's application APP_ID started (verbose only, without the id,
 * which names the log: evlog_finish prints it once the log is final). */
void evlog_started(const struct helper *h, const char *app_id);
/* The driver is gone: find the log of APP_ID in DIRFD, a file or a
 * rolling log's directory, and say where it is.  A complete one loses the
 * group write bit Spark gives it: 0640 (directories 0750) in a setgid
 * directory like the site's, whose group is the history server's, else
 * 0600 (0700).  One left .inprogress is reported.  When the application
 * never STARTED, the file CLAIMED by evlog_new_app_id is removed if it is
 * still empty.  0: complete or none, -1: incomplete. */
int evlog_finish(const struct helper *h, int dirfd, const char *app_id,
		 const char *claimed, bool started);

#endif
