/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * connect.h - the Spark Connect endpoint of a --spark-connect step.
 *
 * The server listens on the driver host's loopback only: pyspark's client
 * sends a token without TLS only to "localhost" (gRPC local credentials),
 * and the token keeps out the host's other users.  "localhost" is also
 * [::1], which the client tries first: the helper itself holds [::1] on
 * the port (bound, not listening: the client is refused there at once and
 * goes on to 127.0.0.1), and the token goes out only while no other user
 * listens where a loopback client may reach.  A client elsewhere reaches
 * it through ssh -L bound on both of its own loopbacks.
 */
#ifndef SPANK_SPARK_CONNECT_H
#define SPANK_SPARK_CONNECT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Where the server listens, and the host its URL names. */
#define SS_CONNECT_ADDR "127.0.0.1"
#define SS_CONNECT_HOST "localhost"
/* The main class Spark 4's start-connect-server.sh runs, and the primary
 * resource spark-submit takes for a class of Spark's own. */
#define SS_CONNECT_CLASS                                                       \
	"org.apache.spark.sql.connect.service.SparkConnectServer"
#define SS_CONNECT_RESOURCE "spark-internal"
/* Spark 4's jar of the server, in $SPARK_HOME/jars; Spark 3.5's pip
 * package has none. */
#define SS_CONNECT_JAR_PREFIX "spark-connect_"

/* "sc://HOST:PORT/;token=TOKEN" into OUT: HOST a host name (letters,
 * digits, '-', '.'), TOKEN letters and digits only (it must not end the
 * URL's parameters early).  0, or -1 when invalid or OUT is too small. */
int ss_connect_url(char *out, size_t outlen, const char *host, unsigned port,
		   const char *token);

/* In F, a /proc/net/tcp listing (V6: /proc/net/tcp6, where a JVM's
 * socket on an IPv4 address shows as ::ffff:ADDR): is a socket listening
 * on ADDR:PORT?  1 with its owner in *UID, 0 when none is, -1 when F is
 * not such a listing. */
int ss_tcp_listener(FILE *f, bool v6, struct in_addr addr, uint16_t port,
		    uid_t *uid);

/* In F (V6 as above): is a socket listening on PORT, owned by another uid
 * than UID, where a client of "localhost" may reach it: on 127.0.0.1 or
 * 0.0.0.0, ::1 or ::, or the first two as ::ffff:a.b.c.d?
 * (pyspark's client tries [::1] before 127.0.0.1 for "localhost".)  1
 * with its owner in *WHO, 0 when none is, -1 when F is not such a
 * listing. */
int ss_tcp_foreign_listener(FILE *f, bool v6, uint16_t port, uid_t uid,
			    uid_t *who);

#endif
