/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * site_config.h - the site's settings: the key=value arguments of the
 * plugstack.conf line.  Every key has a default; an unknown key or a bad
 * value is an error (fail closed).  Shared by plugin and helper: the plugin
 * hands the helper the same arguments.
 */
#ifndef SPANK_SPARK_SITE_CONFIG_H
#define SPANK_SPARK_SITE_CONFIG_H

#include "parse.h"

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#define SS_PATH_LEN 1024

enum ss_encryption { SS_ENC_OFF, SS_ENC_ALLOWED, SS_ENC_REQUIRED };

struct ss_site {
	char helper[SS_PATH_LEN];
	char jar[SS_PATH_LEN]; /* the JVM component (jvm/) */
	char spark_home[SS_PATH_LEN];
	char java_home[SS_PATH_LEN]; /* empty: java from PATH */
	/* Spark's classes pre-parsed for a fast JVM start (common/
	 * class_cache.h); empty: none. */
	char class_cache[SS_PATH_LEN];
	char python[SS_PATH_LEN];
	uint16_t port_lo, port_hi;
	char scratch_dir[SS_PATH_LEN];
	char log_dir[SS_PATH_LEN];	 /* %u user, %h home, %j job, %s step */
	char event_log_dir[SS_PATH_LEN]; /* empty: no event logs */
	char munge_socket[SS_PATH_LEN];	 /* empty: libmunge's default */
	bool have_network;
	struct in_addr network;
	unsigned network_prefix;
	char interface[IF_NAMESIZE]; /* empty: not set */
	enum ss_mode default_mode;
	long startup_timeout; /* seconds */
	long stop_timeout;    /* seconds between SIGTERM and SIGKILL */
	/* --spark-elastic's cap: join jobs at once; 0 forbids it. */
	long elastic_max_nodes;
	/* Seconds before a join job's end its executors are decommissioned. */
	long elastic_decommission;
	enum ss_encryption encryption;
	char users[SS_PATH_LEN]; /* empty: everyone; else comma list */
};

/* Defaults, then ARGV's key=value items in order.  On error writes one
 * line naming the key into ERR and returns -1. */
int ss_site_parse(struct ss_site *site, int argc, char *const argv[], char *err,
		  size_t errlen);
/* The step's encryption from the site's policy (encryption=) and the
 * user's --spark-encryption value V (NULL: not given): on unless the site
 * turned it off or V says off.  0 with *ON, or -1 with one line in ERR when
 * V contradicts the policy (or is not a yes/no value). */
int ss_site_encryption(const struct ss_site *site, const char *v, bool *on,
		       char *err, size_t errlen);
/* May USER run Spark steps here? */
bool ss_site_user_allowed(const struct ss_site *site, const char *user);
/* Expand %u (user) %h (home) %j %s %% of a log_dir template into OUT. */
int ss_expand_dir(const char *tmpl, const char *user, const char *home,
		  unsigned long job, unsigned long step, char *out,
		  size_t outlen);

#endif
