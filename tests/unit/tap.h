/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tap.h - a tiny header-only TAP producer for the unit tests (run by prove).
 *
 *	plan(3);                          or nothing, then done_testing()
 *	ok(x > 0, "x is positive (%d)", x);
 *	is_int(n, 4, "four");
 *	is_str(s, "abc", "the string");
 *	like(err, "--spark-mode", "the message names the option");
 *	todo_start("bug: ...");  ...checks...  todo_end();
 *	skip(3, "not root: no other owners");  instead of 3 checks not run
 *	SETUP(mkdir(path, 0700));         set-up that must work: else bail out
 *	return done_testing();
 *
 * A failure prints "# got/want" diagnostics.  done_testing() returns the
 * exit status: the number of failures outside TODO blocks (at most 254), or
 * 255 when the plan does not match the number of tests run.
 */
#ifndef SPANK_SPARK_TAP_H
#define SPANK_SPARK_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Test set-up that must work, or nothing after it means anything. */
#define SETUP(call)                                                            \
	do {                                                                   \
		if ((call) != 0) {                                             \
			printf("Bail out! set-up failed: %s\n", #call);        \
			exit(255);                                             \
		}                                                              \
	} while (0)

static int tap_run_, tap_failed_, tap_planned_ = -1;
static const char *tap_todo_;

static inline void plan(int n)
{
	tap_planned_ = n;
	printf("1..%d\n", n);
}

static inline void todo_start(const char *reason)
{
	tap_todo_ = reason;
}

static inline void todo_end(void)
{
	tap_todo_ = NULL;
}

/* One line per test: a newline, a control byte or (with HASH) a '#',
 * which would start a directive, escaped. */
static inline void tap_print_escaped_(const char *s, bool hash)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p == '\n')
			printf("\\n");
		else if (hash && *p == '#')
			printf("\\#");
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
}

__attribute__((format(printf, 4, 5))) static inline bool
tap_ok_(const char *file, int line, bool pass, const char *fmt, ...)
{
	char name[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	printf("%s %d - ", pass ? "ok" : "not ok", ++tap_run_);
	tap_print_escaped_(name, true);
	if (tap_todo_)
		printf(" # TODO %s", tap_todo_);
	printf("\n");
	if (!pass) {
		/* TODO failures are expected: their diagnostics go to stdout.
		 */
		fflush(stdout);
		fprintf(tap_todo_ ? stdout : stderr, "#   failed at %s:%d\n",
			file, line);
		if (!tap_todo_)
			tap_failed_++;
	}
	fflush(stdout);
	return pass;
}

/* skip(n, why, ...): N checks that cannot run here, each reported as
 * "ok N # SKIP why" (a skip, never a pass). */
__attribute__((format(printf, 2, 3))) static inline void
skip(int n, const char *fmt, ...)
{
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	for (int i = 0; i < n; i++) {
		printf("ok %d # SKIP ", ++tap_run_);
		tap_print_escaped_(why, false);
		printf("\n");
	}
	fflush(stdout);
}

#define ok(cond, ...) tap_ok_(__FILE__, __LINE__, (cond) ? 1 : 0, __VA_ARGS__)

#define tap_diag_(...) fprintf(tap_todo_ ? stdout : stderr, __VA_ARGS__)

#define is_int(got, want, ...)                                                 \
	do {                                                                   \
		long long g_ = (long long)(got), w_ = (long long)(want);       \
		if (!ok(g_ == w_, __VA_ARGS__))                                \
			tap_diag_("#          got: %lld\n#     expected: "     \
				  "%lld\n",                                    \
				  g_, w_);                                     \
	} while (0)

#define is_str(got, want, ...)                                                 \
	do {                                                                   \
		const char *g_ = (got), *w_ = (want);                          \
		if (!ok(g_ && w_ ? !strcmp(g_, w_) : g_ == w_, __VA_ARGS__))   \
			tap_diag_("#          got: '%s'\n#     expected: "     \
				  "'%s'\n",                                    \
				  g_ ? g_ : "(null)", w_ ? w_ : "(null)");     \
	} while (0)

/* like(got, needle, name): GOT contains the substring NEEDLE. */
#define like(got, needle, ...)                                                 \
	do {                                                                   \
		const char *g_ = (got), *n_ = (needle);                        \
		if (!ok(g_ && strstr(g_, n_), __VA_ARGS__))                    \
			tap_diag_("#          got: '%s'\n#     expected to "   \
				  "contain: '%s'\n",                           \
				  g_ ? g_ : "(null)", n_);                     \
	} while (0)

static inline int done_testing(void)
{
	if (tap_planned_ < 0)
		printf("1..%d\n", tap_planned_ = tap_run_);
	if (tap_planned_ != tap_run_) {
		fprintf(stderr, "# planned %d tests but ran %d\n", tap_planned_,
			tap_run_);
		return 255;
	}
	if (tap_failed_)
		fprintf(stderr, "# failed %d of %d tests\n", tap_failed_,
			tap_run_);
	return tap_failed_ > 254 ? 254 : tap_failed_;
}

#endif
