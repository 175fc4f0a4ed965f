/*
 * safedir.h - directories and files that another user cannot redirect.
 *
 * Log and scratch paths may lie below a world-writable directory (/tmp),
 * where another user can pre-create a component, plant a symbolic link or
 * a FIFO.  As munge does for its key and socket directories, every
 * component is opened without following links and checked: owned by the
 * user or by root, and writable by nobody else unless it is root's and
 * sticky (like /tmp, where others may add entries but not replace ours).
 * Files are then opened relative to the verified directory descriptor.
 */
#ifndef SPANK_SPARK_SAFEDIR_H
#define SPANK_SPARK_SAFEDIR_H

#include <stddef.h>
#include <sys/types.h>

#define SS_DIR_CREATE 1 /* create missing components, mode 0700 */
#define SS_DIR_OWN 2	/* the last component must be UID's, not root's */

/* Open the absolute directory PATH for UID, every component verified.
 * Returns an O_PATH|O_DIRECTORY descriptor (close-on-exec), or -1 with one
 * line in ERR naming the offending component and what to do. */
int ss_dir_open(const char *path, uid_t uid, int flags, char *err,
		size_t errlen);

/* Open (create, mode 0600) NAME in the verified directory DIRFD for
 * appending: a regular file owned by UID with one link; never follows a
 * link and never blocks on a FIFO.  -1 with the reason in ERR. */
int ss_file_append_at(int dirfd, const char *name, uid_t uid, char *err,
		      size_t errlen);

/* Create a fresh directory PREFIX.XXXXXX (mode 0700) in the verified
 * directory DIRFD; its name goes to NAME (NAMELEN bytes).  0 or -1 with the
 * reason in ERR.  Another user cannot have pre-created it. */
int ss_mkdtemp_at(int dirfd, const char *prefix, char *name, size_t namelen,
		  char *err, size_t errlen);

#endif
