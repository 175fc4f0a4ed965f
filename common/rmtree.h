/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmtree.h - remove a directory tree without following symbolic links.
 *
 * Used by the helper (as the user) and by the job epilog (as root, inside
 * a world-writable scratch root, where following a link planted by a user
 * would delete someone else's files).
 */
#ifndef SPANK_SPARK_RMTREE_H
#define SPANK_SPARK_RMTREE_H

/* Remove NAME, relative to the directory DIRFD, and all below it.
 * Returns 0, or -1 with errno set by the first failure. */
int ss_rmtree_at(int dirfd, const char *name);

#endif
