/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ports.c - the one rule every port of a step comes from (ports.h).
 */
#include "ports.h"

/* The ephemeral range's ports below and above the site's range. */
static void fallback_parts(uint16_t lo, uint16_t hi, uint32_t *below,
			   uint32_t *above)
{
	uint32_t elo = SS_PORTS_EPHEMERAL_LO, ehi = SS_PORTS_EPHEMERAL_HI;
	uint32_t l = lo, h = hi;

	*below = l > elo ? (l - 1 < ehi ? l - 1 : ehi) - elo + 1 : 0;
	*above = h < ehi ? ehi - (h + 1 > elo ? h + 1 : elo) + 1 : 0;
}

uint32_t ss_ports_size(uint16_t lo, uint16_t hi, enum ss_port_space space)
{
	uint32_t below, above;

	if (space == SS_PORTS_SITE)
		return (uint32_t)hi - lo + 1;
	fallback_parts(lo, hi, &below, &above);
	return below + above;
}

uint16_t ss_ports_nth(uint16_t lo, uint16_t hi, enum ss_port_space space,
		      uint32_t n)
{
	uint32_t below, above;

	if (n >= ss_ports_size(lo, hi, space))
		return 0;
	if (space == SS_PORTS_SITE)
		return (uint16_t)(lo + n);
	fallback_parts(lo, hi, &below, &above);
	if (n < below)
		return (uint16_t)(SS_PORTS_EPHEMERAL_LO + n);
	return (uint16_t)(SS_PORTS_EPHEMERAL_HI - above + 1 + (n - below));
}

uint16_t ss_ports_derived(uint16_t lo, uint16_t hi, enum ss_port_space space,
			  uint64_t seed, uint32_t i)
{
	uint32_t size = ss_ports_size(lo, hi, space);
	uint64_t x =
	    seed * 0x9E3779B97F4A7C15ULL + (uint64_t)i * 0xBF58476D1CE4E5B9ULL;

	if (size == 0)
		return 0;
	x ^= x >> 31;
	return ss_ports_nth(lo, hi, space, (uint32_t)(x % size));
}
