/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spark_conf.h - the Spark configuration the driver side writes: the
 * step's spark-defaults.conf (0600, in the 0700 per-step directory: it
 * holds the secret) and log4j2.properties.  Executors get theirs from the
 * driver, except the few keys they need before they reach it.
 */
#ifndef SPANK_SPARK_SPARK_CONF_H
#define SPANK_SPARK_SPARK_CONF_H

#include "helper.h"

#include <stdint.h>

struct driver_conf {
	const char *app_id;
	const char *secret;
	bool encrypt;
	int executors; /* expected in all */
	long exec_cores, exec_mem_mb;
	uint16_t driver_port, block_port, ui_port;
	/* --spark-connect: the server's token and port; NULL and 0 without */
	const char *connect_token;
	uint16_t connect_port;
};

/* Write <step>/conf/spark-defaults.conf and log4j2.properties.  In the
 * file's order, the last key winning: ours, the user's properties file,
 * the step's --spark-* properties and --spark-conf pairs, then the keys
 * nobody overrides (security, the cluster manager, the UI filter). */
int spark_conf_write_driver(struct helper *h, const struct driver_conf *dc,
			    char *err, size_t errlen);
/* The site's encryption policy and --spark-encryption: ON, or -1 with the
 * reason logged. */
int spark_conf_encryption(const struct helper *h, bool *on);

#endif
