/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rdv_client.c - the executor side of the rendezvous.
 */
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
#define ACCEPTED_TIMEOUT_MS 10000

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
		snprintf(err, errlen, "no %s answer", type);
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

/* Send FRAME to ADDR:PORT; on "accepted", wait for the welcome.  0 with
 * *welcome and *fd_out set; -1 when nobody, or not our driver, answers. */
static int try_port(struct proto *proto, const char *addr, uint16_t port,
		    const char *frame, size_t len, uint32_t job, uint32_t step,
		    long deadline_ms, json_t **welcome, int *fd_out, char *err,
		    size_t errlen)
{
	json_t *msg;
	int fd;

	if ((fd = net_connect(addr, port, CONNECT_TIMEOUT_MS)) < 0)
		return -1;
	if (proto_send(fd, frame, len) < 0 ||
	    !(msg = rdv_expect(proto, fd, "accepted", job, step,
			       ACCEPTED_TIMEOUT_MS, err, errlen))) {
		close(fd);
		return -1;
	}
	json_decref(msg);
	/* The driver answers once its Master is up: allow the whole
	 * start-up time. */
	msg = rdv_expect(proto, fd, NULL, job, step,
			 (int)(deadline_ms - now_ms()), err, errlen);
	if (msg &&
	    !strcmp(json_string_value(json_object_get(msg, "type")), "stop")) {
		/* The driver side failed before it could welcome us. */
		*welcome = msg;
		close(fd);
		return -3;
	}
	if (msg && strcmp(json_string_value(json_object_get(msg, "type")),
			  "welcome")) {
		snprintf(err, errlen, "unexpected answer from the driver");
		json_decref(msg);
		msg = NULL;
	}
	if (!msg) {
		close(fd);
		return -1;
	}
	net_keepalive(fd);
	*welcome = msg;
	*fd_out = fd;
	return 0;
}

int rdv_register(struct proto *proto, const struct ss_site *site,
		 const char *addr, uint32_t job, uint32_t step, json_t *reg,
		 long deadline_ms, int signal_fd, json_t **welcome, char *err,
		 size_t errlen)
{
	long backoff = BACKOFF_FIRST_MS;
	size_t len;
	char *frame;
	int fd = -1;

	snprintf(err, errlen, "no driver answered at %s", addr);
	while (now_ms() < deadline_ms) {
		struct pollfd pfd = {.fd = signal_fd, .events = POLLIN};
		bool chld = false;

		for (int i = 0; i < RDV_CANDIDATES; i++) {
			/* A fresh credential for each try: munge refuses a
			 * credential it has seen before, rightly. */
			if (!(frame = proto_seal(proto, reg,
						 PROTO_NO_UID_RESTRICTION, &len,
						 err, errlen)))
				return -1;
			int rc =
			    try_port(proto, addr, rdv_port(site, job, step, i),
				     frame, len, job, step, deadline_ms,
				     welcome, &fd, err, errlen);

			free(frame);
			if (rc == 0)
				return fd;
			if (rc == -3)
				return -3;
		}
		/* The driver side may not be listening yet. */
		if (signal_fd >= 0 && poll(&pfd, 1, (int)backoff) > 0 &&
		    signals_read(signal_fd, &chld))
			return -2;
		if (signal_fd < 0)
			usleep((useconds_t)backoff * 1000);
		backoff =
		    backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
	}
	return -1;
}
