/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * evlog.h - the step's Spark event log (common/eventlog.h): its verified
 * directory, the line that says where it is, and its state once the
 * driver is gone.
 */
#ifndef SPANK_SPARK_EVLOG_H
#define SPANK_SPARK_EVLOG_H

#include "helper.h"

/* Resolve and verify the directory into H->event_log_dir (empty: event
 * logs off) and *DIRFD (-1 when off).  0, or -1 with ERR. */
int evlog_open(struct helper *h, int *dirfd, char *err, size_t errlen);
/* The driver's application APP_ID started: say where its log goes. */
void evlog_started(const struct helper *h, const char *app_id);
/* The driver is gone: find the log of APP_ID in DIRFD, a file or a
 * rolling log's directory.  A complete one loses the group write bit
 * Spark gives it: 0640 (directories 0750) in a setgid directory like the
 * site's, whose group is the history server's, else 0600 (0700).  One
 * left .inprogress is reported.  0: complete or none, -1: incomplete. */
int evlog_finish(const struct helper *h, int dirfd, const char *app_id);

#endif
