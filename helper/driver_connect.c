/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * driver_connect.c - --spark-connect on the driver side: its check before
 * the start, whether the Connect server listens (and is ours), and
 * publishing its URL and token (publish.h).
 */

#include "driver_int.h"
#include "connect.h"
#include "launch.h"
#include "log.h"
#include "publish.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The server is up when its port listens on loopback; it is ours when
 * the listener's owner is the user and no other user listens where a
 * client of "localhost" may reach the port ([::1], ::, 0.0.0.0, mapped
 * addresses: connect.h): only then does the token go out.
 * 1 when it is, 0 not yet, -1 on an error (logged). */
int connect_listening(struct driver *d)
{
	static const char *const tables[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	struct in_addr lo;
	uid_t owner = 0, other = 0;
	int rc = 0, foreign = 0;

	inet_pton(AF_INET, SS_CONNECT_ADDR, &lo);
	/* A JVM's socket on 127.0.0.1 is often an IPv6 one (::ffff:...). */
	for (size_t i = 0; i < 2 && rc >= 0 && foreign == 0; i++) {
		FILE *f = fopen(tables[i], "re");
		int up = 0;

		if (!f) {
			if (errno == ENOENT && i == 1)
				break; /* no IPv6 in this kernel */
			log_error("cannot read %s: %s", tables[i],
				  strerror(errno));
			return -1;
		}
		if (rc == 0)
			up = ss_tcp_listener(f, i == 1, lo, d->connect_port,
					     &owner);
		rewind(f);
		if (up >= 0)
			foreign = ss_tcp_foreign_listener(
			    f, i == 1, d->connect_port, d->h->uid, &other);
		fclose(f);
		if (up < 0 || foreign < 0) {
			log_error("cannot make sense of %s", tables[i]);
			return -1;
		}
		rc = rc ? rc : up;
	}
	if (foreign > 0 || (rc > 0 && owner != d->h->uid)) {
		log_error("another user (uid %u) listens on the Spark Connect "
			  "port %u of this host's loopback: the token is not "
			  "given out",
			  (unsigned)(foreign > 0 ? other : owner),
			  d->connect_port);
		return -1;
	}
	return rc;
}

/* The URL and its token, as publish.h says. */
int connect_serve(struct driver *d)
{
	struct helper *h = d->h;
	char name[64], bare[64];

	if (ss_connect_url(d->connect_url, sizeof(d->connect_url),
			   SS_CONNECT_HOST, d->connect_port,
			   d->connect_token)) {
		log_error("cannot make the Spark Connect URL");
		return -1;
	}
	d->connect_ready = true;
	snprintf(name, sizeof(name), "connect-url.%u", h->step);
	snprintf(bare, sizeof(bare), "sc://%s:%u/", SS_CONNECT_HOST,
		 d->connect_port);
	if (publish_url(h, name, "Spark Connect", d->connect_url, bare))
		return -1;
	/* Both of the user's own loopbacks, or ssh fails: a client there
	 * tries [::1] first, which another user could otherwise hold.  The
	 * quotes keep a shell (zsh) from taking [::1] for a pattern. */
	if (h->role == ROLE_DRIVER)
		log_info(
		    "the Spark Connect server listens on %s's loopback: "
		    "from another host, first ssh -N -o "
		    "ExitOnForwardFailure=yes -L 127.0.0.1:%u:127.0.0.1:%u "
		    "-L '[::1]:%u:127.0.0.1:%u' %s",
		    h->host, d->connect_port, d->connect_port, d->connect_port,
		    d->connect_port, h->host);
	if (h->app_argc == 0)
		return 0;
	d->cmd.same_group = d->interactive;
	return launch_command(h, &d->cmd, d->connect_url);
}

/* Spark 4 ships its Connect server in $SPARK_HOME/jars; Spark 3.5's pip
 * package does not. */
static bool have_connect_jar(const struct helper *h)
{
	char jars[PATH_MAX + 8];
	struct dirent *e;
	bool found = false;
	DIR *dir;

	snprintf(jars, sizeof(jars), "%s/jars", h->site.spark_home);
	if (!(dir = opendir(jars)))
		return false;
	while (!found && (e = readdir(dir))) {
		size_t n = strlen(e->d_name);

		found = !strncmp(e->d_name, SS_CONNECT_JAR_PREFIX,
				 strlen(SS_CONNECT_JAR_PREFIX)) &&
			n > 4 && !strcmp(e->d_name + n - 4, ".jar");
	}
	closedir(dir);
	return found;
}

/* --spark-connect: the step's command is optional and any program. */
int check_connect(const struct helper *h)
{
	char exe[PATH_MAX];

	if (!have_connect_jar(h)) {
		log_error("--spark-connect needs Spark 4: %s/jars has no "
			  "%s*.jar (Spark 3.5 has no Connect server here); "
			  "use a Spark 4 spark_home= in plugstack.conf",
			  h->site.spark_home, SS_CONNECT_JAR_PREFIX);
		return -1;
	}
	if (h->app_argc > 0 && launch_which(h->app_argv[0], exe, sizeof(exe))) {
		log_error("--spark-connect: cannot find the command %s on "
			  "PATH (it runs beside the server; sleep infinity "
			  "serves until scancel)",
			  h->app_argv[0]);
		return -1;
	}
	return 0;
}
