/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * net.h - addresses and ports.
 *
 * HPC nodes have several networks: the address Spark advertises is the
 * one on the site's network (network= CIDR, or interface=), else the
 * local end of the route towards a peer, else what the host name
 * resolves to.  Every port comes from the site's range (ports=).
 */
#ifndef SPANK_SPARK_NET_H
#define SPANK_SPARK_NET_H

#include "site_config.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* PEER (a host name or address) may be NULL. */
int net_local_addr(const struct ss_site *site, const char *peer,
		   char out[INET_ADDRSTRLEN], char *err, size_t errlen);
/* A host name as DNS allows it (letters, digits, '-', '.'), 1..253. */
bool net_valid_hostname(const char *host);
/* IPv4 address of HOST. */
int net_resolve(const char *host, char out[INET_ADDRSTRLEN]);
/* A port of the site range free right now, searching from an offset
 * derived from SEED, skipping the NAVOID ports in AVOID. */
int net_pick_port(const struct ss_site *site, uint32_t seed,
		  const uint16_t *avoid, size_t navoid, uint16_t *port);
/* Listening socket on PORT, all addresses; -1 if taken. */
int net_listen(uint16_t port);
/* Connected socket to ADDR:PORT within TIMEOUT_MS, or -1. */
int net_connect(const char *addr, uint16_t port, int timeout_ms);
/* Notice a dead peer within about a minute even without traffic. */
void net_keepalive(int fd);

#endif
