/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proto.c - munge-sealed JSON frames.
 */
#include "proto.h"
#include "os.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int proto_init(struct proto *p, const char *munge_socket, char *err,
	       size_t errlen)
{
	p->enc = munge_ctx_create();
	p->dec = munge_ctx_create();
	if (!p->enc || !p->dec) {
		snprintf(err, errlen, "cannot create a munge context");
		proto_fini(p);
		return -1;
	}
	if (munge_socket && *munge_socket &&
	    (munge_ctx_set(p->enc, MUNGE_OPT_SOCKET, munge_socket) !=
		 EMUNGE_SUCCESS ||
	     munge_ctx_set(p->dec, MUNGE_OPT_SOCKET, munge_socket) !=
		 EMUNGE_SUCCESS)) {
		snprintf(err, errlen, "cannot use munge socket %s",
			 munge_socket);
		proto_fini(p);
		return -1;
	}
	return 0;
}

void proto_fini(struct proto *p)
{
	if (p->enc)
		munge_ctx_destroy(p->enc);
	if (p->dec)
		munge_ctx_destroy(p->dec);
	p->enc = p->dec = NULL;
}

int proto_munge_ok(struct proto *p, char *err, size_t errlen)
{
	char *cred = NULL;
	munge_err_t e = munge_encode(&cred, p->enc, NULL, 0);

	free(cred);
	if (e == EMUNGE_SUCCESS)
		return 0;
	snprintf(err, errlen, "%s", munge_ctx_strerror(p->enc));
	return -1;
}

char *proto_seal(struct proto *p, json_t *msg, uid_t only_uid, size_t *len,
		 char *err, size_t errlen)
{
	char *payload, *cred = NULL, *frame;
	size_t cred_len;
	munge_err_t e;

	if (munge_ctx_set(p->enc, MUNGE_OPT_UID_RESTRICTION, only_uid) !=
	    EMUNGE_SUCCESS) {
		snprintf(err, errlen, "munge: cannot restrict to uid %u",
			 (unsigned)only_uid);
		return NULL;
	}
	if (!(payload = json_dumps(msg, JSON_COMPACT))) {
		snprintf(err, errlen, "cannot encode a JSON message");
		return NULL;
	}
	e = munge_encode(&cred, p->enc, payload, (int)strlen(payload));
	/* The payload may hold the Spark secret. */
	explicit_bzero(payload, strlen(payload));
	free(payload);
	if (e != EMUNGE_SUCCESS) {
		snprintf(err, errlen, "munge encode: %s (is munged running?)",
			 munge_ctx_strerror(p->enc));
		free(cred);
		return NULL;
	}
	cred_len = strlen(cred);
	if (cred_len > PROTO_FRAME_MAX || !(frame = malloc(cred_len + 4))) {
		snprintf(err, errlen, "message too large");
		free(cred);
		return NULL;
	}
	frame[0] = (char)((cred_len >> 24) & 0xff);
	frame[1] = (char)((cred_len >> 16) & 0xff);
	frame[2] = (char)((cred_len >> 8) & 0xff);
	frame[3] = (char)(cred_len & 0xff);
	memcpy(frame + 4, cred, cred_len);
	free(cred);
	*len = cred_len + 4;
	return frame;
}

json_t *proto_open(struct proto *p, const char *cred, uid_t want_uid, char *err,
		   size_t errlen)
{
	uid_t uid;
	void *payload = NULL;
	int payload_len = 0;
	gid_t gid;
	json_error_t jerr;
	json_t *msg;
	munge_err_t e;

	e = munge_decode(cred, p->dec, &payload, &payload_len, &uid, &gid);
	/* Nothing of the payload is looked at before munge vouched for it
	 * and its sender is the job owner; and only our own fixed words
	 * describe what was refused: the sender's bytes never reach a log. */
	if (e != EMUNGE_SUCCESS || uid != want_uid) {
		if (e != EMUNGE_SUCCESS)
			snprintf(err, errlen, "munge: %s", munge_strerror(e));
		else
			snprintf(err, errlen,
				 "sent by uid %u, not the job owner (uid %u)",
				 (unsigned)uid, (unsigned)want_uid);
		if (payload) {
			explicit_bzero(payload, (size_t)payload_len);
			free(payload);
		}
		return NULL;
	}
	msg = json_loadb(payload, (size_t)payload_len, JSON_REJECT_DUPLICATES,
			 &jerr);
	explicit_bzero(payload, (size_t)payload_len);
	free(payload);
	if (!msg || !json_is_object(msg)) {
		snprintf(err, errlen, "not a JSON object");
		json_decref(msg);
		return NULL;
	}
	return msg;
}

int proto_check(json_t *msg, const char *type, uint32_t job, uint32_t step,
		char *err, size_t errlen)
{
	const char *t = json_string_value(json_object_get(msg, "type"));
	json_int_t v = json_integer_value(json_object_get(msg, "v"));
	json_int_t j = json_integer_value(json_object_get(msg, "job"));
	json_int_t s = json_integer_value(json_object_get(msg, "step"));

	if (!t || strcmp(t, type)) {
		snprintf(err, errlen, "not a %s message", type);
		return -1;
	}
	if (v != PROTO_VERSION) {
		snprintf(err, errlen, "protocol version %lld, expected %d",
			 (long long)v, PROTO_VERSION);
		return -1;
	}
	if (j != (json_int_t)job || s != (json_int_t)step) {
		snprintf(err, errlen, "for job %lld step %lld, not %u.%u",
			 (long long)j, (long long)s, job, step);
		return -1;
	}
	return 0;
}

int proto_send(int fd, const char *frame, size_t len)
{
	return ss_write_all(fd, frame, len);
}

size_t proto_frame_len(const unsigned char hdr[4])
{
	return ((size_t)hdr[0] << 24) | ((size_t)hdr[1] << 16) |
	       ((size_t)hdr[2] << 8) | (size_t)hdr[3];
}

/* Read exactly LEN bytes before DEADLINE.  1: EOF at the very start. */
static int read_full(int fd, void *buf, size_t len, long deadline)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		long left = deadline - ss_now_ms();
		ssize_t n;

		if (left <= 0)
			return -1;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n == 0 && got == 0)
			return 1;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int proto_recv(int fd, char *buf, size_t bufsize, int timeout_ms)
{
	long deadline = ss_now_ms() + timeout_ms;
	unsigned char hdr[4];
	size_t len;
	int rc;

	if ((rc = read_full(fd, hdr, sizeof(hdr), deadline)) != 0)
		return rc;
	len = proto_frame_len(hdr);
	if (len == 0 || len >= bufsize)
		return -1;
	if (read_full(fd, buf, len, deadline) != 0)
		return -1;
	buf[len] = '\0';
	return 0;
}
