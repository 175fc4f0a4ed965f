/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * timeline.c - milestones of a step's start-up, since srun started.
 */
#include "timeline.h"
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long t0_ms;

static long long wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void timeline_init(void)
{
	const char *v = getenv(SS_T0_ENV);
	char *end;
	long long t;

	t0_ms = wall_ms();
	if (!v || !*v)
		return;
	t = strtoll(v, &end, 10);
	/* A start in the future or a day ago is not this step's. */
	if (*end == '\0' && t > 0 && t <= t0_ms && t0_ms - t < 86400000LL)
		t0_ms = t;
}

void timeline(const char *fmt, ...)
{
	long long ms = wall_ms() - t0_ms;
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	log_verbose("timeline +%lld.%02llds %s", ms / 1000, ms % 1000 / 10,
		    what);
}
