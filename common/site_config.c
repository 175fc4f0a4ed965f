/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * site_config.c - the site's settings from the plugstack.conf line.
 */
#include "site_config.h"
#include "options.h"
#include "parse.h"
#include "text.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#ifndef SS_DEFAULT_JAR
#define SS_DEFAULT_JAR "/usr/libexec/spank-spark/spank-spark.jar"
#endif
#ifndef SS_DEFAULT_CLASS_CACHE
#define SS_DEFAULT_CLASS_CACHE "/var/cache/spank-spark"
#endif
#ifndef SS_DEFAULT_HELPER
#define SS_DEFAULT_HELPER "/usr/libexec/spank-spark/spank-spark-helper"
#endif

enum key_kind {
	KEY_PATH,
	KEY_PATH_OR_NONE, /* a path, or none: empty */
	KEY_LOG_DIR,	  /* a path, or one in the user's home: %h/... */
	KEY_PORTS,
	KEY_CIDR,
	KEY_IFACE,
	KEY_MODE,
	KEY_SECONDS,
	KEY_ENCRYPTION,
	KEY_USERS,
	KEY_NODES
};

struct site_key {
	const char *name;
	enum key_kind kind;
	size_t offset;
	size_t size;
	const char *accepted;
};

#define FIELD(f) offsetof(struct ss_site, f), sizeof(((struct ss_site *)0)->f)

static const struct site_key site_keys[] = {
    {"helper", KEY_PATH, FIELD(helper), "an absolute path"},
    {"jar", KEY_PATH, FIELD(jar), "an absolute path"},
    {"spark_home", KEY_PATH, FIELD(spark_home), "an absolute path"},
    {"java_home", KEY_PATH, FIELD(java_home), "an absolute path"},
    {"class_cache", KEY_PATH_OR_NONE, FIELD(class_cache),
     "an absolute path, or none"},
    {"python", KEY_PATH, FIELD(python), "an absolute path"},
    {"ports", KEY_PORTS, 0, 0,
     "a range LOW-HIGH of at least 16 ports within 1024-65535"},
    {"scratch_dir", KEY_PATH, FIELD(scratch_dir), "an absolute path"},
    {"log_dir", KEY_LOG_DIR, FIELD(log_dir),
     "an absolute path, or one starting with %h/"},
    {"event_log_dir", KEY_PATH, FIELD(event_log_dir), "an absolute path"},
    {"munge_socket", KEY_PATH, FIELD(munge_socket), "an absolute path"},
    {"network", KEY_CIDR, 0, 0, "an IPv4 network like 10.1.0.0/16"},
    {"interface", KEY_IFACE, FIELD(interface), "a network interface name"},
    {"default_mode", KEY_MODE, 0, 0, "cluster or client"},
    {"startup_timeout", KEY_SECONDS, 0, 0, "seconds from 1 to 86400"},
    {"stop_timeout", KEY_SECONDS, 0, 0, "seconds from 1 to 86400"},
    {"elastic_max_nodes", KEY_NODES, 0, 0,
     "a whole number from 0 (no --spark-elastic) to " SS_STR(SS_COUNT_MAX)},
    {"elastic_decommission", KEY_SECONDS, 0, 0, "seconds from 1 to 86400"},
    {"encryption", KEY_ENCRYPTION, 0, 0, "off, allowed or required"},
    {"users", KEY_USERS, FIELD(users), "a comma-separated list of user names"},
};

static void set_defaults(struct ss_site *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->helper, sizeof(s->helper), "%s", SS_DEFAULT_HELPER);
	snprintf(s->jar, sizeof(s->jar), "%s", SS_DEFAULT_JAR);
	snprintf(s->spark_home, sizeof(s->spark_home), "/opt/spark");
	snprintf(s->python, sizeof(s->python), "python3");
	snprintf(s->class_cache, sizeof(s->class_cache), "%s",
		 SS_DEFAULT_CLASS_CACHE);
	s->port_lo = 20000;
	s->port_hi = 20999;
	snprintf(s->scratch_dir, sizeof(s->scratch_dir), "/tmp");
	snprintf(s->log_dir, sizeof(s->log_dir), "%%h/.spank-spark/%%j");
	s->default_mode = SS_MODE_CLUSTER;
	s->startup_timeout = 300;
	s->stop_timeout = 10;
	s->elastic_max_nodes = 4;
	s->elastic_decommission = 60;
	s->encryption = SS_ENC_ALLOWED;
}

static int set_key(struct ss_site *s, const struct site_key *k, const char *v)
{
	char *field = (char *)s + k->offset;
	long n;

	switch (k->kind) {
	case KEY_PATH_OR_NONE:
		if (!strcmp(v, "none")) {
			field[0] = '\0';
			return 0;
		}
		/* fall through */
	case KEY_PATH:
	case KEY_LOG_DIR:
		if ((v[0] != '/' &&
		     !(k->kind == KEY_LOG_DIR && !strncmp(v, "%h/", 3))) ||
		    ss_check_path(v) || strlen(v) >= k->size)
			return -1;
		strcpy(field, v);
		return 0;
	case KEY_IFACE:
		if (ss_check_text(v) || strlen(v) >= k->size ||
		    strpbrk(v, "/ "))
			return -1;
		strcpy(field, v);
		return 0;
	case KEY_USERS:
		if (ss_check_list(v) || strlen(v) >= k->size)
			return -1;
		strcpy(field, v);
		return 0;
	case KEY_PORTS:
		return ss_parse_port_range(v, &s->port_lo, &s->port_hi);
	case KEY_CIDR:
		if (ss_parse_cidr(v, &s->network, &s->network_prefix))
			return -1;
		s->have_network = true;
		return 0;
	case KEY_MODE:
		return ss_parse_mode(v, &s->default_mode);
	case KEY_SECONDS:
		if (ss_parse_long(v, 1, 86400, &n))
			return -1;
		if (!strcmp(k->name, "startup_timeout"))
			s->startup_timeout = n;
		else if (!strcmp(k->name, "elastic_decommission"))
			s->elastic_decommission = n;
		else
			s->stop_timeout = n;
		return 0;
	case KEY_NODES:
		if (ss_parse_long(v, 0, SS_COUNT_MAX, &n))
			return -1;
		s->elastic_max_nodes = n;
		return 0;
	case KEY_ENCRYPTION:
		if (!strcmp(v, "off"))
			s->encryption = SS_ENC_OFF;
		else if (!strcmp(v, "allowed"))
			s->encryption = SS_ENC_ALLOWED;
		else if (!strcmp(v, "required"))
			s->encryption = SS_ENC_REQUIRED;
		else
			return -1;
		return 0;
	}
	return -1;
}

int ss_site_parse(struct ss_site *site, int argc, char *const argv[], char *err,
		  size_t errlen)
{
	set_defaults(site);
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char *eq = strchr(arg, '=');
		const struct site_key *k = NULL;
		size_t n = sizeof(site_keys) / sizeof(site_keys[0]);

		for (size_t j = 0; eq && j < n; j++)
			if (strlen(site_keys[j].name) == (size_t)(eq - arg) &&
			    !strncmp(arg, site_keys[j].name, eq - arg))
				k = &site_keys[j];
		if (!k) {
			char shown[SS_ESCAPED_MAX];

			snprintf(err, errlen,
				 "unknown plugstack.conf argument '%s': "
				 "expected key=value with a key documented in "
				 "man spank-spark (e.g. spark_home=/opt/spark)",
				 ss_escape(arg, shown, sizeof(shown)));
			return -1;
		}
		if (set_key(site, k, eq + 1)) {
			char shown[SS_ESCAPED_MAX];

			snprintf(
			    err, errlen,
			    "bad plugstack.conf value %s='%s': expected %s",
			    k->name, ss_escape(eq + 1, shown, sizeof(shown)),
			    k->accepted);
			return -1;
		}
	}
	return 0;
}

bool ss_site_user_allowed(const struct ss_site *site, const char *user)
{
	size_t n = strlen(user);
	const char *p = site->users;

	if (!site->users[0])
		return true;
	while (*p) {
		size_t len = strcspn(p, ",");

		if (len == n && !strncmp(p, user, n))
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

int ss_expand_dir(const char *tmpl, const char *user, const char *home,
		  unsigned long job, unsigned long step, char *out,
		  size_t outlen)
{
	size_t off = 0;

	for (const char *p = tmpl; *p; p++) {
		char num[24], one[2] = {*p, '\0'};
		const char *piece = one;
		int n;

		if (*p == '%') {
			switch (*++p) {
			case 'u':
				piece = user;
				break;
			case 'h':
				piece = home;
				break;
			case 'j':
				snprintf(num, sizeof(num), "%lu", job);
				piece = num;
				break;
			case 's':
				snprintf(num, sizeof(num), "%lu", step);
				piece = num;
				break;
			case '%':
				break;
			default:
				return -1; /* also a trailing lone % */
			}
		}
		n = snprintf(out + off, outlen - off, "%s", piece);
		if (n < 0 || (size_t)n >= outlen - off)
			return -1;
		off += (size_t)n;
	}
	if (off == 0)
		return -1;
	return 0;
}

int ss_site_encryption(const struct ss_site *site, const char *v, bool *on,
		       char *err, size_t errlen)
{
	/* On by default: measured at 1.03x the wall time of a shuffle job
	 * (make bench). */
	*on = site->encryption != SS_ENC_OFF;
	if (v && ss_parse_bool(v, on)) {
		snprintf(err, errlen, "--spark-encryption=%s: want on or off",
			 v);
		return -1;
	}
	if (*on && site->encryption == SS_ENC_OFF) {
		snprintf(err, errlen,
			 "--spark-encryption=%s: this site has turned "
			 "encryption off (encryption=off in plugstack.conf)",
			 v);
		return -1;
	}
	if (!*on && site->encryption == SS_ENC_REQUIRED) {
		snprintf(err, errlen,
			 "--spark-encryption=%s: this site requires encryption "
			 "(encryption=required in plugstack.conf)",
			 v);
		return -1;
	}
	return 0;
}
