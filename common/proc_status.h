/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc_status.h - who a process runs as, from /proc/PID/status.
 *
 * The backstops signal processes as root: only those that run entirely as
 * the job's user, never a setuid or setgid program (its effective or saved
 * ids differ from the real ones) nor another user's process.  Pure parsing,
 * unit-tested; the caller reads the file.
 */
#ifndef SPANK_SPARK_PROC_STATUS_H
#define SPANK_SPARK_PROC_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* More than a status file's Uid and Gid lines ever need. */
#define SS_PROC_STATUS_MAX 8192

struct ss_proc_ids {
	uid_t uid[4]; /* real, effective, saved, filesystem */
	gid_t gid[4];
};

/* Parse the "Uid:" and "Gid:" lines (four numbers each) of LEN bytes of
 * status text (no NUL needed).  0, or -1 when either is missing or
 * malformed. */
int ss_proc_status_ids(const char *buf, size_t len, struct ss_proc_ids *ids);
/* All four uids are UID and all four gids equal each other. */
bool ss_proc_ids_owned_by(const struct ss_proc_ids *ids, uid_t uid);

#endif
