/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strv.h - a growing NULL-terminated array of malloc'd strings (an argv or
 * an environment being built).  An allocation failure is remembered, so a
 * caller checks once, at strv_take.
 *
 *	struct strv a = {0};
 *	strv_add(&a, "java");
 *	strv_addf(&a, "-Xmx%ldm", mb);
 *	char **argv = strv_take(&a);   NULL if anything failed
 *	...
 *	strv_free(argv);               wipes each string, then frees
 */
#ifndef SPANK_SPARK_STRV_H
#define SPANK_SPARK_STRV_H

#include <stdbool.h>
#include <stddef.h>

struct strv {
	char **v; /* NULL-terminated once anything was added */
	size_t n, cap;
	bool failed;
};

void strv_add(struct strv *s, const char *str);
void strv_addf(struct strv *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Spark's Utils.splitCommandString: words split at blanks, '...' and
 * "..." quote (a backslash escapes the next character inside "..."
 * only); each word is added with every "{{APP_ID}}" and "{{EXECUTOR_ID}}"
 * replaced by APP_ID and EXEC_ID (Utils.substituteAppNExecIds). */
void strv_add_split(struct strv *s, const char *cmd, const char *app_id,
		    const char *exec_id);
/* The array (the caller's, for strv_free), or NULL after any failure
 * (everything freed).  S is empty again either way. */
char **strv_take(struct strv *s);
/* Wipe (it may hold a secret) and free a taken array; NULL is fine. */
void strv_free(char **v);

#endif
