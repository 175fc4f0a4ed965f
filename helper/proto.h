/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proto.h - the rendezvous wire format.
 *
 * A frame is a 4-byte big-endian length and a munge credential whose
 * payload is one JSON object.  munge proves the sender's uid and the
 * credential's freshness (TTL, replay detection); the JSON names the job
 * and step it is meant for.  Messages (rendezvous.h tells the order):
 *   driver -> executor  {"type":"hello","v","job","step","nonce","port"}
 *   executor -> driver  {"type":"register","v","job","step","node","host",
 *                        "cores","memory_mb","nonce","port"}
 *   driver -> executor  {"type":"welcome","v","job","step","app_id",
 *                        "secret","encrypt"}  (uid-restricted: holds the
 *                        secret)
 *   driver -> executor  {"type":"driver","v","job","step","url"}
 *   driver -> executor  {"type":"stop","v","job","step","status"}
 */
#ifndef SPANK_SPARK_PROTO_H
#define SPANK_SPARK_PROTO_H

#include <jansson.h>
#include <munge.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PROTO_VERSION 2
#define PROTO_FRAME_MAX 65536
#define PROTO_NO_UID_RESTRICTION ((uid_t)-1)

struct proto {
	munge_ctx_t enc;
	munge_ctx_t dec;
};

int proto_init(struct proto *p, const char *munge_socket, char *err,
	       size_t errlen);
void proto_fini(struct proto *p);
/* Does munged answer on this host?  One credential made and dropped: a
 * step whose host cannot reach munge fails at once, not at the start-up
 * time-out.  0, or -1 with munge's words in ERR. */
int proto_munge_ok(struct proto *p, char *err, size_t errlen);
/* Seal MSG (borrowed) into a frame, optionally readable by one uid only.
 * Returns a malloc'd frame (caller frees) and its length, or NULL. */
char *proto_seal(struct proto *p, json_t *msg, uid_t only_uid, size_t *len,
		 char *err, size_t errlen);
/* Open the credential CRED (NUL-terminated, no length prefix) sent by
 * WANT_UID: a new JSON object reference, or NULL with the reason in fixed
 * words (never the sender's text).  The payload is parsed only once munge
 * vouched that WANT_UID sent it. */
json_t *proto_open(struct proto *p, const char *cred, uid_t want_uid, char *err,
		   size_t errlen);
/* Does MSG have this type, version, job and step? */
int proto_check(json_t *msg, const char *type, uint32_t job, uint32_t step,
		char *err, size_t errlen);
/* Write a whole frame (blocking). */
int proto_send(int fd, const char *frame, size_t len);
/* Read one frame into BUF (NUL-terminated).  Returns 0, 1 on EOF before a
 * frame started, -1 on error, timeout or an oversized frame. */
int proto_recv(int fd, char *buf, size_t bufsize, int timeout_ms);
/* The length a frame announces in its first 4 bytes. */
size_t proto_frame_len(const unsigned char hdr[4]);

#endif
