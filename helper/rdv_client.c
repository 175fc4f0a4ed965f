/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rdv_client.c - the executor side of the rendezvous.
 */
#include "os.h"
#include "rendezvous.h"
#include "net.h"
#include "proc.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CONNECT_TIMEOUT_MS 2000
#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 1000
#define WELCOME_TIMEOUT_MS 10000
/* The driver's hello comes at once; another user's listener on a
 * candidate never says it.  Wait for it briefly in the first rounds, so
 * that a range held by another user's listeners costs seconds, not
 * RDV_HELLO_TIMEOUT_MS per candidate; longer later (a loaded host). */
#define HELLO_FIRST_MS 250

json_t *rdv_expect(struct proto *proto, int fd, const char *type, uint32_t job,
		   uint32_t step, int timeout_ms, char *err, size_t errlen)
{
	char *buf = malloc(PROTO_FRAME_MAX);
	json_t *msg = NULL;
	int rc;

	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rc = proto_recv(fd, buf, PROTO_FRAME_MAX, timeout_ms);
	if (rc == 0)
		msg = proto_open(proto, buf, getuid(), err, errlen);
	else
		snprintf(err, errlen, "no %s message", type ? type : "");
	explicit_bzero(buf, PROTO_FRAME_MAX);
	free(buf);
	if (msg) {
		/* NULL TYPE: whatever the driver says next. */
		const char *t = json_string_value(json_object_get(msg, "type"));

		if (!type)
			type = t ? t : "";
		if (proto_check(msg, type, job, step, err, errlen) == 0)
			return msg;
	}
	json_decref(msg);
	return NULL;
}

static const char *msg_type(json_t *msg)
{
	const char *t = json_string_value(json_object_get(msg, "type"));

	return t ? t : "";
}

int rdv_join(struct proto *proto, const char *addr, uint16_t port, int hello_ms,
	     json_t *reg, uint32_t job, uint32_t step, json_t **welcome,
	     int *fd_out, char *err, size_t errlen)
{
	json_t *msg;
	const char *nonce;
	char *frame = NULL;
	size_t len;
	int fd;

	if ((fd = net_connect(addr, port, CONNECT_TIMEOUT_MS)) < 0)
		return RDV_TIMED_OUT;
	msg = rdv_expect(proto, fd, "hello", job, step, hello_ms, err, errlen);
	nonce = json_string_value(json_object_get(msg, "nonce"));
	if (!msg || !nonce || strlen(nonce) != RDV_NONCE_LEN ||
	    json_integer_value(json_object_get(msg, "port")) != port) {
		/* Someone else's listener, or a relay from another port. */
		if (msg)
			snprintf(err, errlen, "a hello not for port %u", port);
		json_decref(msg);
		close(fd);
		return RDV_TIMED_OUT;
	}
	if (json_object_set_new(reg, "nonce", json_string(nonce)) ||
	    json_object_set_new(reg, "port", json_integer(port)))
		goto fail;
	json_decref(msg);
	msg = NULL;
	if (!(frame = proto_seal(proto, reg, PROTO_NO_UID_RESTRICTION, &len,
				 err, errlen)) ||
	    proto_send(fd, frame, len) < 0)
		goto fail;
	free(frame);
	frame = NULL;
	msg = rdv_expect(proto, fd, NULL, job, step, WELCOME_TIMEOUT_MS, err,
			 errlen);
	if (msg && !strcmp(msg_type(msg), "stop")) {
		/* The driver side failed before it could welcome us. */
		*welcome = msg;
		close(fd);
		return RDV_DRIVER_STOP;
	}
	if (!msg || strcmp(msg_type(msg), "welcome")) {
		if (msg)
			snprintf(err, errlen,
				 "unexpected answer from the "
				 "driver");
		goto fail;
	}
	*welcome = msg;
	*fd_out = fd;
	return 0;
fail:
	free(frame);
	json_decref(msg);
	close(fd);
	return RDV_TIMED_OUT;
}

int rdv_register(struct proto *proto, const struct ss_site *site, uint64_t seed,
		 const char *addr, uint32_t job, uint32_t step, json_t *reg,
		 long deadline_ms, int signal_fd, json_t **welcome, char *err,
		 size_t errlen)
{
	long backoff = BACKOFF_FIRST_MS;
	int hello_ms = HELLO_FIRST_MS;
	int fd = -1;

	snprintf(err, errlen, "no driver answered at %s", addr);
	while (ss_now_ms() < deadline_ms) {
		struct pollfd pfd = {.fd = signal_fd, .events = POLLIN};
		bool chld = false;

		for (int i = 0; i < RDV_ALL_CANDIDATES; i++) {
			uint16_t port = rdv_port(site, seed, i);
			int rc = port ? rdv_join(proto, addr, port, hello_ms,
						 reg, job, step, welcome, &fd,
						 err, errlen)
				      : RDV_TIMED_OUT;

			if (rc == 0)
				return fd;
			if (rc == RDV_DRIVER_STOP)
				return RDV_DRIVER_STOP;
		}
		hello_ms = hello_ms * 2 > RDV_HELLO_TIMEOUT_MS
			       ? RDV_HELLO_TIMEOUT_MS
			       : hello_ms * 2;
		/* The driver side may not be listening yet. */
		if (signal_fd >= 0 && poll(&pfd, 1, (int)backoff) > 0 &&
		    signals_read(signal_fd, &chld))
			return RDV_INTERRUPTED;
		if (signal_fd < 0)
			usleep((useconds_t)backoff * 1000);
		backoff =
		    backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
	}
	return RDV_TIMED_OUT;
}
