/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one rule every port of a step comes from (common/ports.h). */
#include "ports.h"
#include "tap.h"

static void test_site(void)
{
	is_int((int)ss_ports_size(20000, 20999, SS_PORTS_SITE), 1000,
	       "the site's space is its range");
	is_int(ss_ports_nth(20000, 20999, SS_PORTS_SITE, 0), 20000,
	       "...from its first port");
	is_int(ss_ports_nth(20000, 20999, SS_PORTS_SITE, 999), 20999,
	       "...to its last");
	is_int(ss_ports_nth(20000, 20999, SS_PORTS_SITE, 1000), 0,
	       "...and nothing past it");
}

/* Every port of the fallback space is ephemeral, none in the site's
 * range, each once. */
static void check_fallback(uint16_t lo, uint16_t hi, uint32_t want)
{
	uint32_t size = ss_ports_size(lo, hi, SS_PORTS_FALLBACK), bad = 0;
	uint16_t prev = 0;

	is_int((int)size, (int)want, "fallback of %u-%u: %u ports", lo, hi,
	       want);
	for (uint32_t n = 0; n < size; n++) {
		uint16_t p = ss_ports_nth(lo, hi, SS_PORTS_FALLBACK, n);

		bad += p < SS_PORTS_EPHEMERAL_LO || p > SS_PORTS_EPHEMERAL_HI ||
		       (p >= lo && p <= hi) || p <= prev;
		prev = p;
	}
	is_int((int)bad, 0,
	       "...each ephemeral, outside the site's range, listed once");
	is_int(ss_ports_nth(lo, hi, SS_PORTS_FALLBACK, size), 0,
	       "...and nothing past them");
}

static void test_fallback(void)
{
	check_fallback(20000, 20999, 28232); /* below: all of it */
	check_fallback(61000, 62000, 28232); /* above: all of it */
	check_fallback(40000, 40999, 27232); /* inside: a hole */
	check_fallback(30000, 33000, 27999); /* its lower end */
	check_fallback(60000, 65535, 27232); /* its upper end */
	check_fallback(1024, 65535, 0);	     /* all of it: none */
	is_int(ss_ports_nth(40000, 40999, SS_PORTS_FALLBACK, 7231), 39999,
	       "the last port below the hole");
	is_int(ss_ports_nth(40000, 40999, SS_PORTS_FALLBACK, 7232), 41000,
	       "...then the first above it");
	is_int(ss_ports_derived(1024, 65535, SS_PORTS_FALLBACK, 42, 0), 0,
	       "no fallback port derived when there is none");
}

static void test_derived(void)
{
	uint64_t a = 0x0123456789abcdefULL, b = 0xfedcba9876543210ULL;
	int same = 0, out = 0, spread = 0;

	for (uint32_t i = 0; i < 16; i++) {
		uint16_t pa =
		    ss_ports_derived(20000, 20999, SS_PORTS_SITE, a, i);
		uint16_t pb =
		    ss_ports_derived(20000, 20999, SS_PORTS_SITE, b, i);
		uint16_t fa =
		    ss_ports_derived(20000, 20999, SS_PORTS_FALLBACK, a, i);

		same += pa == pb;
		out += pa < 20000 || pa > 20999 || fa < 32768 || fa > 60999;
		spread += i > 0 && pa != ss_ports_derived(20000, 20999,
							  SS_PORTS_SITE, a, 0);
	}
	is_int(out, 0, "derived ports stay in their space");
	ok(same < 4, "two seeds give other candidates (%d of 16 alike)", same);
	ok(spread >= 12,
	   "one seed's candidates are spread (%d of 15 differ "
	   "from the first)",
	   spread);
	is_int(ss_ports_derived(20000, 20999, SS_PORTS_SITE, a, 3),
	       ss_ports_derived(20000, 20999, SS_PORTS_SITE, a, 3),
	       "every node derives the same candidate from the seed");
}

int main(void)
{
	test_site();
	test_fallback();
	test_derived();
	return done_testing();
}
