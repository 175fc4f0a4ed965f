/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_proto.c - the rendezvous frame decoder (helper/proto.c) with what a
 * peer may send: the 4-byte length, proto_recv over a socketpair holding
 * the bytes, and the message checks on whatever JSON they hold (munge is
 * left out: it vouches for the sender before any of this is parsed).
 */
#include "fuzz.h"
#include "proto.h"

#include <sys/socket.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[4096], err[256] = "";
	json_error_t jerr;
	json_t *msg;
	int sv[2], rc;

	if (size >= 4)
		CHECK(proto_frame_len(data) <= 0xffffffffu);
	if (size <= 65536 && socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
		CHECK(write(sv[0], data, size) == (ssize_t)size);
		close(sv[0]);
		rc = proto_recv(sv[1], buf, sizeof(buf), 100);
		CHECK(rc == 0 || rc == 1 || rc == -1);
		/* A frame fits the buffer, NUL-terminated, or is refused. */
		if (rc == 0)
			CHECK(size >= 4 &&
			      strlen(buf) <= proto_frame_len(data));
		close(sv[1]);
	}
	msg =
	    json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (json_is_object(msg)) {
		if (proto_check(msg, "register", 1, 2, err, sizeof(err)) != 0) {
			/* Our own words only: nothing of the sender's bytes. */
			CHECK(err[0] != '\0');
			for (const char *p = err; *p; p++)
				CHECK(*p >= 0x20 && *p < 0x7f);
		}
	}
	json_decref(msg);
	return 0;
}
