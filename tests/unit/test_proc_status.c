/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_proc_status.c - the backstops' owner check: Uid/Gid lines of
 * /proc/PID/status, and who may be signalled.
 */
#include "tap.h"
#include "proc_status.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define STATUS(uid, gid)                                                       \
	"Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t42\n"         \
	"Pid:\t42\nPPid:\t1\nTracerPid:\t0\nUid:\t" uid "\nGid:\t" gid         \
	"\nFDSize:\t64\nGroups:\t100 \n"

static int parse(const char *s, struct ss_proc_ids *ids)
{
	return ss_proc_status_ids(s, strlen(s), ids);
}

static void test_parse(void)
{
	struct ss_proc_ids ids;

	is_int(
	    parse(STATUS("1000\t1000\t1000\t1000", "100\t100\t100\t100"), &ids),
	    0, "a plain process");
	is_int(ids.uid[0], 1000, "real uid");
	is_int(ids.uid[3], 1000, "fs uid");
	is_int(ids.gid[1], 100, "effective gid");
	ok(ss_proc_ids_owned_by(&ids, 1000), "runs as the job's user");
	ok(!ss_proc_ids_owned_by(&ids, 1001), "not another user's");

	parse(STATUS("1000\t0\t0\t0", "100\t100\t100\t100"), &ids);
	ok(!ss_proc_ids_owned_by(&ids, 1000),
	   "setuid root program started by the user: never");
	ok(!ss_proc_ids_owned_by(&ids, 0), "... nor as root's");
	parse(STATUS("1000\t1000\t0\t1000", "100\t100\t100\t100"), &ids);
	ok(!ss_proc_ids_owned_by(&ids, 1000),
	   "setuid program that dropped its euid (saved uid 0): never");
	parse(STATUS("1000\t1000\t1000\t1000", "100\t5\t5\t5"), &ids);
	ok(!ss_proc_ids_owned_by(&ids, 1000), "setgid program: never");
	parse(STATUS("4294967294\t4294967294\t4294967294\t4294967294",
		     "100\t100\t100\t100"),
	      &ids);
	ok(ss_proc_ids_owned_by(&ids, (uid_t)4294967294u),
	   "the largest uid parses");

	is_int(parse("Name:\tx\nGid:\t1\t1\t1\t1\n", &ids), -1, "no Uid line");
	is_int(parse("Name:\tx\nUid:\t1\t1\t1\t1\n", &ids), -1, "no Gid line");
	is_int(parse(STATUS("1000\t1000\t1000", "1\t1\t1\t1"), &ids), -1,
	       "three uids");
	is_int(parse(STATUS("1000\t1000\t1000\t1000\t7", "1\t1\t1\t1"), &ids),
	       -1, "five uids");
	is_int(parse(STATUS("1000\t-1\t1000\t1000", "1\t1\t1\t1"), &ids), -1,
	       "a negative uid");
	is_int(
	    parse(STATUS("1000\t1000\t1000\t99999999999", "1\t1\t1\t1"), &ids),
	    -1, "a uid past 32 bits");
	is_int(parse("", &ids), -1, "empty");
	/* A process names itself (comm) "x\nUid:\t0..." : the kernel prints
	 * the newline escaped, so it is not a line of its own. */
	is_int(parse("Name:\tx\\nUid:\t0\t0\t0\t0\nUid:\t1000\t1000\t1000\t"
		     "1000\nGid:\t1\t1\t1\t1\n",
		     &ids),
	       0, "a Uid inside the Name line");
	is_int(ids.uid[0], 1000, "... is not taken");
	is_int(parse("Uid:\t1\t1\t1\t1\nGid:\t1\t1\t1\t1", &ids), 0,
	       "no final newline");
	/* Truncated: the caller's bounded read may end inside a line. */
	is_int(parse("Uid:\t1\t1\t1\t1\nGid:\t1\t1", &ids), -1,
	       "cut inside the Gid line");
}

static void test_self(void)
{
	char buf[SS_PROC_STATUS_MAX];
	struct ss_proc_ids ids;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	if (fd >= 0)
		close(fd);
	ok(n > 0, "read /proc/self/status");
	is_int(ss_proc_status_ids(buf, n > 0 ? (size_t)n : 0, &ids), 0,
	       "parse /proc/self/status");
	is_int(ids.uid[0], getuid(), "real uid is getuid()");
	is_int(ids.uid[1], geteuid(), "effective uid is geteuid()");
	is_int(ids.gid[0], getgid(), "real gid is getgid()");
	ok(ss_proc_ids_owned_by(&ids, getuid()), "this test owns itself");
}

int main(void)
{
	test_parse();
	test_self();
	return done_testing();
}
