/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slurm_cmd.h - Slurm's commands (sbatch, squeue, scancel) run by the
 * helper as the user: fork and exec, no shell, nothing secret on the
 * command line, standard input from a buffer, standard output read up to
 * a bound, a deadline.
 */
#ifndef SPANK_SPARK_SLURM_CMD_H
#define SPANK_SPARK_SLURM_CMD_H

#include <stddef.h>

/* Run ARGV (ARGV[0] found in PATH) with IN (NULL: /dev/null) on its
 * standard input; up to OUTLEN - 1 bytes of its standard output and error
 * into OUT (NUL-terminated, the rest read and dropped).  It is killed past
 * TIMEOUT_MS.  Its exit code (0..255, 128 + a signal), or -1 when it could
 * not run (ERR says why). */
int slurm_cmd(char *const argv[], const char *in, char *out, size_t outlen,
	      int timeout_ms, char *err, size_t errlen);

#endif
