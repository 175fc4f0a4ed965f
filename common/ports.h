/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ports.h - the one rule every port of a step comes from.
 *
 * No port of a step is a function of its job and step ids: each is drawn
 * from randomness (getrandom, or the step's random rendezvous seed mixed
 * with the port's index) and published only through channels that are
 * already authenticated (the munge-sealed rendezvous, Spark's own RPC,
 * 0600 files).  Two spaces of ports:
 *   SS_PORTS_SITE      the site's range (ports= in plugstack.conf);
 *   SS_PORTS_FALLBACK  Linux's default ephemeral range, 32768-60999, less
 *                      the site's range: used only when another user holds
 *                      every port of the site's range on a host, so that
 *                      holding the range cannot stop a step.
 * Pure code: the helper probes and binds (helper/net.c).
 */
#ifndef SPANK_SPARK_PORTS_H
#define SPANK_SPARK_PORTS_H

#include <stdint.h>

#define SS_PORTS_EPHEMERAL_LO 32768
#define SS_PORTS_EPHEMERAL_HI 60999

enum ss_port_space { SS_PORTS_SITE, SS_PORTS_FALLBACK };

/* How many ports SPACE holds for the site's range LO-HI (LO <= HI);
 * the fallback may hold none (a site range covering it all). */
uint32_t ss_ports_size(uint16_t lo, uint16_t hi, enum ss_port_space space);
/* Its N-th port, N < ss_ports_size(); 0 when there is none. */
uint16_t ss_ports_nth(uint16_t lo, uint16_t hi, enum ss_port_space space,
		      uint32_t n);
/* The I-th port derived from SEED in SPACE: spread over the space, a
 * different stride per seed (the rendezvous candidates, which every node
 * of a step computes alike from its seed).  0 when SPACE is empty. */
uint16_t ss_ports_derived(uint16_t lo, uint16_t hi, enum ss_port_space space,
			  uint64_t seed, uint32_t i);

#endif
