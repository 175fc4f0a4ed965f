/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.c - the helper's messages.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *log_host = "?";
static bool log_verbose_on;
static int log_fd = -1;

void log_init(const char *host, bool verbose)
{
	log_host = host;
	log_verbose_on = verbose;
}

void log_to_file(int fd)
{
	log_fd = fd;
}

static void emit(bool to_stderr, const char *tag, const char *fmt, va_list ap)
{
	char line[2048];
	int n;

	n = snprintf(line, sizeof(line), "spank-spark: %s", tag);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	strcat(line, "\n");
	if (to_stderr && write(STDERR_FILENO, line, strlen(line)) < 0) {
		/* srun is gone: exactly when the log file matters, and it
		 * gets the line below all the same. */
	}
	if (log_fd >= 0 && dprintf(log_fd, "[%s] %s", log_host, line) < 0)
		log_fd = -1;
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(true, "error: ", fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(true, "", fmt, ap);
	va_end(ap);
}

void log_verbose(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(log_verbose_on, "", fmt, ap);
	va_end(ap);
}
