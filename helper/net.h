/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * net.h - addresses and ports.
 *
 * HPC nodes have several networks: the address Spark advertises is the
 * one on the site's network (network= CIDR, or interface=), else the
 * local end of the route towards a peer, else what the host name
 * resolves to.  Every port comes from the site's range (ports=), else,
 * when another user holds all of it, from the fallback space
 * (common/ports.h).
 */
#ifndef SPANK_SPARK_NET_H
#define SPANK_SPARK_NET_H

#include "site_config.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The address this host advertises to Spark (and binds Spark to), and in
 * WHY, one phrase for --spark-verbose.  PEER (a host name or address, may
 * be NULL) is the driver side as this host reaches it; PEER_IS_CLIENT: it
 * is a client-mode driver, maybe off the site's network.  The rule
 * (doc/spank-spark.8, site keys): net_choose. */
int net_local_addr(const struct ss_site *site, const char *peer,
		   bool peer_is_client, char out[INET_ADDRSTRLEN], char *why,
		   size_t whylen, char *err, size_t errlen);
/* The first IPv4 address among IFS on the site's network (network=,
 * interface=, or both); -1 if none. */
int net_site_addr(const struct ss_site *site, const struct ifaddrs *ifs,
		  char out[INET_ADDRSTRLEN]);
/* Which address to advertise, from this host's address on the site's
 * network SITE_ADDR, the local end ROUTE of the route to the peer, and
 * the host name's address NAMED ("" when unknown):
 * - with network=/interface=: SITE_ADDR; but towards a client-mode
 *   driver whose route leaves from another address, ROUTE (the driver
 *   must reach this host's Spark ports back);
 * - without: ROUTE, else NAMED.
 * Returns one of them, with WHY saying why, or NULL (none fits). */
const char *net_choose(const struct ss_site *site, const char *site_addr,
		       const char *route, const char *named, const char *peer,
		       bool peer_is_client, char *why, size_t whylen);
/* A host name as DNS allows it (letters, digits, '-', '.'), 1..253. */
bool net_valid_hostname(const char *host);
/* spark://CoarseGrainedScheduler@HOST:PORT and nothing else. */
bool net_valid_driver_url(const char *url);
/* IPv4 address of HOST. */
int net_resolve(const char *host, char out[INET_ADDRSTRLEN]);
/* A port free right now on every IPv4 address, drawn at random
 * (common/ports.h): from the site's range, else from the fallback space
 * when all of the range is taken (*FALLBACK true); never one of the
 * NAVOID ports in AVOID.  With HOLD_V6 not NULL, only a port whose [::1]
 * this process can bind, and holds in *HOLD_V6 (-1 there when the host
 * has no IPv6 loopback): no other user can then listen on ::1 or :: at
 * that port, and a client's connect to [::1] is refused at once.  0, or
 * -1 when no port at all is free. */
int net_pick_port(const struct ss_site *site, const uint16_t *avoid,
		  size_t navoid, uint16_t *port, bool *fallback, int *hold_v6);
/* Listening socket on ADDR (NULL: all addresses) and PORT; -1 if
 * taken. */
int net_listen(const char *addr, uint16_t port);
/* Connected socket to ADDR:PORT within TIMEOUT_MS, or -1. */
int net_connect(const char *addr, uint16_t port, int timeout_ms);
/* Notice a dead peer within about a minute even without traffic. */
void net_keepalive(int fd);

#endif
