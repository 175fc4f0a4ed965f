/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_slurm_cmd.c - running Slurm's commands (helper/slurm_cmd.c) with
 * ordinary commands in their place: standard input from a buffer, output
 * bounded, the exit code, a command that does not exist, a deadline.
 */
#include "tap.h"

#include "slurm_cmd.h"

#include <string.h>

int main(void)
{
	char out[16], err[256];
	char *cat[] = {"cat", NULL};
	char *fail[] = {"false", NULL};
	char *none[] = {"spank-spark-no-such-command", NULL};
	char *slow[] = {"sleep", "30", NULL};
	char *echo[] = {"echo", "123456789;cluster", NULL};

	is_int(slurm_cmd(echo, NULL, out, sizeof(out), 10000, err, sizeof(err)),
	       0, "echo: exit 0");
	is_str(out, "123456789;clust", "...its output, cut to the buffer");
	is_int(slurm_cmd(cat, "#!/bin/sh\n", out, sizeof(out), 10000, err,
			 sizeof(err)),
	       0, "cat: exit 0");
	is_str(out, "#!/bin/sh\n", "...it read the script on standard input");
	is_int(slurm_cmd(fail, NULL, out, sizeof(out), 10000, err, sizeof(err)),
	       1, "false: its exit code");
	is_int(slurm_cmd(none, NULL, out, sizeof(out), 10000, err, sizeof(err)),
	       127, "a command that does not exist: 127");
	ok(strstr(out, "cannot run") != NULL, "...with a line saying so");
	is_int(slurm_cmd(slow, NULL, out, sizeof(out), 200, err, sizeof(err)),
	       128 + 9, "past its deadline: killed");
	return done_testing();
}
