/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * environ_match.h - does a process environment hold given entries?
 *
 * The backstops (plugin/cleanup.c, as root) read /proc/PID/environ of
 * processes they do not trust: the data is NUL-separated NAME=VALUE
 * entries of any length, possibly without a final NUL, possibly larger
 * than any buffer.  This matcher is fed the data in chunks of any size
 * and keeps no copy of it, so an entry split across two reads matches
 * like one read in a piece.
 *
 * Each wanted entry ("SPANK_SPARK_JOB=12") is decided by the FIRST entry
 * with its name, as getenv() would see it: SPANK_SPARK_JOB=123 is not
 * SPANK_SPARK_JOB=12, and a later duplicate cannot change the answer.
 * Pure code, no allocation.
 */
#ifndef SPANK_SPARK_ENVIRON_MATCH_H
#define SPANK_SPARK_ENVIRON_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#define SS_ENV_MATCH_MAX 8
/* Read no more than this of one environment: a process cannot make root
 * read without end.  The helper puts its marks first, well inside it. */
#define SS_ENVIRON_CAP (4u << 20)

struct ss_env_match {
	const char *want[SS_ENV_MATCH_MAX]; /* borrowed "NAME=VALUE" */
	size_t want_len[SS_ENV_MATCH_MAX];
	size_t name_len[SS_ENV_MATCH_MAX]; /* up to and with the '=' */
	size_t n;
	size_t pos;	  /* offset inside the current entry */
	unsigned alive;	  /* wanted entries the current one still equals */
	unsigned named;	  /* ... whose "NAME=" the current one starts with */
	unsigned decided; /* names already seen in an earlier entry */
	unsigned matched; /* ... whose first entry was the wanted one */
	bool pending;	  /* bytes of an unterminated entry were fed */
};

/* WANT: N (1..SS_ENV_MATCH_MAX) entries "NAME=VALUE", NAME non-empty.
 * The strings must outlive M.  0, or -1 on a bad argument. */
int ss_env_match_init(struct ss_env_match *m, const char *const *want,
		      size_t n);
void ss_env_match_feed(struct ss_env_match *m, const char *buf, size_t len);
/* Nothing more can change the answer (every name decided). */
bool ss_env_match_settled(const struct ss_env_match *m);
/* Every wanted entry is present.  AT_EOF: the data ended there, so an
 * unterminated last entry counts as whole; otherwise (reading stopped at
 * a cap) it does not, as its rest is unknown. */
bool ss_env_match_result(struct ss_env_match *m, bool at_eof);

/* One buffer holding a whole environment. */
bool ss_environ_match_buf(const char *buf, size_t len, const char *const *want,
			  size_t n);
/* Read FD (a /proc/PID/environ) in chunks, at most CAP bytes, stopping as
 * soon as the answer is known.  1 match, 0 no match (also when CAP was
 * reached first), -1 read error or bad argument (errno set). */
int ss_environ_match_fd(int fd, const char *const *want, size_t n, size_t cap);

#endif
