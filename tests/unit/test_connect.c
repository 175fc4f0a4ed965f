/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Spark Connect URL and the loopback listener's owner. */
#include "connect.h"
#include "tap.h"

#include <arpa/inet.h>
#include <string.h>

static void test_url(void)
{
	char out[128], small[20];

	ok(ss_connect_url(out, sizeof(out), "localhost", 15002, "ab12CD") == 0,
	   "URL made");
	is_str(out, "sc://localhost:15002/;token=ab12CD",
	       "sc://HOST:PORT/;token=TOKEN");
	ok(ss_connect_url(out, sizeof(out), "node-1.lab", 1, "x") == 0,
	   "host name with '-' and '.'");
	ok(ss_connect_url(out, sizeof(out), "localhost", 15002,
			  "a;use_ssl=1") == -1,
	   "a token that would add a parameter is refused");
	ok(ss_connect_url(out, sizeof(out), "localhost", 15002, "a/b") == -1,
	   "a token with '/' is refused");
	ok(ss_connect_url(out, sizeof(out), "localhost", 15002, "") == -1,
	   "an empty token is refused");
	ok(ss_connect_url(out, sizeof(out), "local host", 15002, "a") == -1,
	   "a host with a blank is refused");
	ok(ss_connect_url(out, sizeof(out), "h:1", 15002, "a") == -1,
	   "a host with ':' is refused");
	ok(ss_connect_url(out, sizeof(out), "", 15002, "a") == -1,
	   "an empty host is refused");
	ok(ss_connect_url(out, sizeof(out), "localhost", 0, "a") == -1,
	   "port 0 is refused");
	ok(ss_connect_url(out, sizeof(out), "localhost", 65536, "a") == -1,
	   "port 65536 is refused");
	ok(ss_connect_url(small, sizeof(small), "localhost", 15002, "abcdef") ==
	       -1,
	   "a URL longer than the buffer is refused, not cut");
}

static const char listing[] =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
    "retrnsmt   uid  timeout inode\n"
    "   0: 00000000:3A9A 00000000:0000 0A 00000000:00000000 00:00000000 "
    "00000000     0        0 1161 1 0000000008612f1c 100 0 0 10 0\n"
    "   1: 0100007F:3A9A 0100007F:944A 06 00000000:00000000 03:000002AF "
    "00000000  1001        0 0 3 0000000027bcbf94\n"
    "   2: 0100007F:3A9B 00000000:0000 0A 00000000:00000000 00:00000000 "
    "00000000  1002        0 2211 1 0000000008612f1c 100 0 0 10 0\n";

static const char listing6[] =
    "  sl  local_address                         remote_address          "
    "              st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode\n"
    "   0: 0000000000000000FFFF00000100007F:4EFE "
    "00000000000000000000000000000000:0000 0A 00000000:00000000 "
    "00:00000000 00000000  1001        0 11153444 1 000000007585a0c9 100 0 0 "
    "10 0\n"
    "   1: 0000000000000000FFFF0000144DC70A:51B7 "
    "00000000000000000000000000000000:0000 0A 00000000:00000000 "
    "00:00000000 00000000  1001        0 11152559 1 00000000c0ac4444 100 0 0 "
    "10 0\n";

static int probe6(const char *text, const char *addr, uint16_t port, uid_t *uid)
{
	struct in_addr a;
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	inet_pton(AF_INET, addr, &a);
	rc = ss_tcp_listener(f, true, a, port, uid);
	fclose(f);
	return rc;
}

static int probe(const char *text, const char *addr, uint16_t port, uid_t *uid)
{
	struct in_addr a;
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	inet_pton(AF_INET, addr, &a);
	rc = ss_tcp_listener(f, false, a, port, uid);
	fclose(f);
	return rc;
}

static void test_listener(void)
{
	uid_t uid = 0;

	is_int(probe(listing, "127.0.0.1", 0x3A9B, &uid), 1,
	       "a listener on 127.0.0.1:15003 is found");
	is_int((int)uid, 1002, "...with its owner");
	is_int(probe(listing, "127.0.0.1", 0x3A9A, &uid), 0,
	       "a connected socket on the port is not a listener");
	is_int(probe(listing, "0.0.0.0", 0x3A9A, &uid), 1,
	       "the wildcard address is told apart from loopback");
	is_int((int)uid, 0, "...with its owner");
	is_int(probe(listing, "127.0.0.1", 1, &uid), 0, "other ports: none");
	is_int(probe("garbage\n", "127.0.0.1", 1, &uid), -1,
	       "not a listing: -1");
	is_int(probe("", "127.0.0.1", 1, &uid), -1, "empty: -1");
	is_int(probe("  sl  local_address\n   0: zz\n", "127.0.0.1", 1, &uid),
	       -1, "a malformed line: -1");
	is_int(probe("  sl  local_address rem_address\n", "127.0.0.1", 1, &uid),
	       0, "a header alone: no listener");

	/* A JVM's IPv6 socket on an IPv4 address (as read in the lab). */
	uid = 0;
	is_int(probe6(listing6, "127.0.0.1", 20222, &uid), 1,
	       "tcp6: a listener on ::ffff:127.0.0.1:20222 is found");
	is_int((int)uid, 1001, "...with its owner");
	is_int(probe6(listing6, "10.199.77.20", 20222, &uid), 0,
	       "tcp6: the same port on another address is not it");
	is_int(probe6(listing6, "10.199.77.20", 0x51B7, &uid), 1,
	       "tcp6: another mapped address is read right");
	is_int(probe6(listing, "127.0.0.1", 0x3A9B, &uid), -1,
	       "an IPv4 listing read as tcp6: -1");
}

/* As read on x86 (each 32-bit word a native %08X): ::1:20000, :::20001,
 * ::ffff:127.0.0.1:20002 (the owner's, 1001), ::ffff:0.0.0.0:20003,
 * fe80::1:20004, ::1:20005 established, ::2:20006. */
#define L6(addr, port, st, uid)                                                \
	"   0: " addr ":" port " 00000000000000000000000000000000:0000 " st    \
	" 00000000:00000000 00:00000000 00000000  " uid                        \
	"        0 11153444 1 000000007585a0c9 100 0 0 10 0\n"
static const char foreign6[] =
    "  sl  local_address                         remote_address          "
    "              st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode\n" L6("00000000000000000000000001000000", "4E20", "0A", "1002")
	L6("00000000000000000000000000000000", "4E21", "0A",
	   "1002") L6("0000000000000000FFFF00000100007F", "4E22", "0A", "1001")
	    L6("0000000000000000FFFF000000000000", "4E23", "0A", "1002")
		L6("000080FE000000000000000001000000", "4E24", "0A", "1002")
		    L6("00000000000000000000000001000000", "4E25", "01", "1002")
			L6("00000000000000000000000002000000", "4E26", "0A",
			   "1002");

static int foreign(const char *text, bool v6, uint16_t port, uid_t uid,
		   uid_t *who)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc = ss_tcp_foreign_listener(f, v6, port, uid, who);

	fclose(f);
	return rc;
}

static void test_foreign(void)
{
	static const char v4[] =
	    "  sl  local_address rem_address   st tx_queue rx_queue tr "
	    "tm->when retrnsmt   uid  timeout inode\n"
	    "   0: 0200007F:4E20 00000000:0000 0A 00000000:00000000 "
	    "00:00000000 00000000  1002        0 1 1 0 100 0 0 10 0\n"
	    "   1: 0100000A:4E21 00000000:0000 0A 00000000:00000000 "
	    "00:00000000 00000000  1002        0 1 1 0 100 0 0 10 0\n";
	uid_t who = 0;

	is_int(foreign(foreign6, true, 20000, 1001, &who), 1,
	       "another user's listener on [::1] is found");
	is_int((int)who, 1002, "...with its owner");
	is_int(foreign(foreign6, true, 20001, 1001, &who), 1, "...and on [::]");
	is_int(foreign(foreign6, true, 20003, 1001, &who), 1,
	       "...and on ::ffff:0.0.0.0");
	is_int(foreign(foreign6, true, 20002, 1001, &who), 0,
	       "the owner's own listener on ::ffff:127.0.0.1 is not foreign");
	is_int(foreign(foreign6, true, 20000, 1002, &who), 0,
	       "nor is a listener of the owner's on [::1]");
	is_int(foreign(foreign6, true, 20004, 1001, &who), 0,
	       "a link-local address is no loopback");
	is_int(foreign(foreign6, true, 20006, 1001, &who), 0, "nor is ::2");
	is_int(foreign(foreign6, true, 20005, 1001, &who), 0,
	       "a connected socket is no listener");
	is_int(foreign(foreign6, true, 20009, 1001, &who), 0,
	       "other ports: none");
	is_int(foreign(listing, false, 0x3A9A, 1001, &who), 1,
	       "tcp: a listener on 0.0.0.0 is found");
	is_int((int)who, 0, "...with its owner");
	is_int(foreign(listing, false, 0x3A9B, 1001, &who), 1,
	       "tcp: ...and on 127.0.0.1");
	is_int(foreign(v4, false, 20000, 1001, &who), 0,
	       "tcp: not on 127.0.0.2, where no client of localhost goes");
	is_int(foreign(v4, false, 20001, 1001, &who), 0,
	       "tcp: another address is not");
	is_int(foreign("garbage\n", true, 1, 1001, &who), -1,
	       "not a listing: -1");
	is_int(foreign(listing, true, 0x3A9A, 1001, &who), -1,
	       "an IPv4 listing read as tcp6: -1");
}

int main(void)
{
	test_url();
	test_listener();
	test_foreign();
	return done_testing();
}
