/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * publish.h - how a URL that carries a step's token (the application UI's,
 * Spark Connect's) reaches the user: a terminal, or a 0600 file of the
 * verified log directory (spank-spark-urls reads it), never a shared log
 * or the batch output another user may read.
 */
#ifndef SPANK_SPARK_PUBLISH_H
#define SPANK_SPARK_PUBLISH_H

#include "helper.h"

/* URL (with its token) into NAME of the log directory, 0600 whatever the
 * file was, then "spank-spark: WHAT URL" on a terminal, else "WHAT BARE
 * (the URL with its token is in DIR/NAME)" in the log.  0, or -1 when the
 * file could not be written (logged). */
int publish_url(const struct helper *h, const char *name, const char *what,
		const char *url, const char *bare);

#endif
