/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_net.c - which address a host advertises to Spark
 * (helper/net.c): the site's network among the interfaces, and the rule
 * that picks between it, the route to the driver and the host name.
 */
#include "tap.h"

#include "../../helper/net.c"

/* A fabricated getifaddrs() list: eth0 (management), fab0 (fabric), an
 * IPv6 entry and lo. */
static struct sockaddr_in sin_of(const char *addr)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};

	SETUP(inet_pton(AF_INET, addr, &sin.sin_addr) == 1 ? 0 : -1);
	return sin;
}

static struct sockaddr_in a_lo, a_eth, a_fab;
static struct sockaddr_in6 a_v6 = {.sin6_family = AF_INET6};
static struct ifaddrs if_fab = {.ifa_name = "fab0",
				.ifa_addr = (struct sockaddr *)&a_fab};
static struct ifaddrs if_v6 = {.ifa_next = &if_fab,
			       .ifa_name = "fab0",
			       .ifa_addr = (struct sockaddr *)&a_v6};
static struct ifaddrs if_eth = {.ifa_next = &if_v6,
				.ifa_name = "eth0",
				.ifa_addr = (struct sockaddr *)&a_eth};
static struct ifaddrs if_noaddr = {.ifa_next = &if_eth, .ifa_name = "tun0"};
static struct ifaddrs if_lo = {.ifa_next = &if_noaddr,
			       .ifa_name = "lo",
			       .ifa_addr = (struct sockaddr *)&a_lo};

static struct ss_site site_with(const char *arg)
{
	struct ss_site s;
	char err[256];
	char *argv[] = {(char *)arg, NULL};

	SETUP(ss_site_parse(&s, arg ? 1 : 0, argv, err, sizeof(err)));
	return s;
}

static void test_site_addr(void)
{
	struct ss_site s;
	char out[INET_ADDRSTRLEN];

	a_lo = sin_of("127.0.0.1");
	a_eth = sin_of("10.199.77.101");
	a_fab = sin_of("10.199.78.101");

	s = site_with("network=10.199.78.0/24");
	ok(net_site_addr(&s, &if_lo, out) == 0, "network=: found");
	is_str(out, "10.199.78.101", "...the fabric's address, not eth0's");
	s = site_with("network=10.199.77.0/24");
	ok(net_site_addr(&s, &if_lo, out) == 0 && !strcmp(out, "10.199.77.101"),
	   "network= of the management network: eth0's address");
	s = site_with("interface=fab0");
	ok(net_site_addr(&s, &if_lo, out) == 0, "interface=fab0: found");
	is_str(out, "10.199.78.101", "...its IPv4 address, past its IPv6 one");
	s = site_with("interface=ib0");
	ok(net_site_addr(&s, &if_lo, out) == -1, "interface=ib0: none here");
	s = site_with("network=10.1.0.0/16");
	ok(net_site_addr(&s, &if_lo, out) == -1,
	   "network= no interface is on: none");
	s = site_with("network=10.199.0.0/16");
	ok(net_site_addr(&s, &if_lo, out) == 0 && !strcmp(out, "10.199.77.101"),
	   "a network holding both: the first interface on it");
	ok(net_site_addr(&s, NULL, out) == -1, "no interfaces: none");
}

static void test_choose(void)
{
	struct ss_site s;
	char why[256] = "";
	const char *got;

	/* With network=: the site's address, in cluster mode whatever the
	 * route to the driver node (its name resolves to management). */
	s = site_with("network=10.199.78.0/24");
	got = net_choose(&s, "10.199.78.102", "10.199.77.102", "",
			 "10.199.77.101", false, why, sizeof(why));
	is_str(got, "10.199.78.102", "network=, cluster mode: the fabric");
	is_str(why,
	       "its address on the site's network (network=10.199.78.0/24)",
	       "...saying why");
	got = net_choose(&s, "10.199.78.101", "", "", "the driver", false, why,
			 sizeof(why));
	is_str(got, "10.199.78.101", "network=, the driver node: the fabric");

	/* A client-mode driver off the fabric: the route to it. */
	got = net_choose(&s, "10.199.78.102", "10.199.77.102", "",
			 "10.199.79.20", true, why, sizeof(why));
	is_str(got, "10.199.77.102",
	       "network=, client driver off the fabric: the route to it");
	is_str(why,
	       "the route to the client-mode driver at 10.199.79.20 leaves "
	       "from it, not from 10.199.78.102 (network=10.199.78.0/24)",
	       "...saying why");
	got = net_choose(&s, "10.199.78.102", "10.199.78.102", "",
			 "10.199.78.20", true, why, sizeof(why));
	is_str(got, "10.199.78.102",
	       "network=, client driver on the fabric: the fabric");
	got = net_choose(&s, "10.199.78.102", "", "", "10.199.79.20", true, why,
			 sizeof(why));
	is_str(got, "10.199.78.102",
	       "network=, client driver with no route known: the fabric");

	/* No address on the site's network: nothing (the caller says so,
	 * or a client-mode driver learns its address from the executors). */
	ok(net_choose(&s, "", "10.199.79.20", "10.199.79.20", "x", false, why,
		      sizeof(why)) == NULL,
	   "network= and no address on it: none, whatever else there is");

	s = site_with("interface=fab0");
	got = net_choose(&s, "10.199.78.103", "10.199.77.103", "",
			 "10.199.77.101", false, why, sizeof(why));
	is_str(got, "10.199.78.103", "interface=: its address");
	is_str(why, "its address on the site's network (interface=fab0)",
	       "...saying why");

	/* Without network=/interface=: the route, else the host name. */
	s = site_with(NULL);
	got = net_choose(&s, "", "10.199.77.102", "10.199.77.9",
			 "10.199.77.101", false, why, sizeof(why));
	is_str(got, "10.199.77.102", "no site keys: the route to the peer");
	is_str(why,
	       "the local end of the route to 10.199.77.101 (no network= or "
	       "interface= in plugstack.conf)",
	       "...saying why");
	got = net_choose(&s, "", "10.199.77.102", "", "10.199.79.20", true, why,
			 sizeof(why));
	is_str(got, "10.199.77.102",
	       "no site keys, client mode: the route to the driver");
	got = net_choose(&s, "", "", "10.199.77.101", "the driver", false, why,
			 sizeof(why));
	is_str(got, "10.199.77.101", "no site keys, no peer: the host name's");
	like(why, "what its host name resolves to", "...saying why");
	ok(net_choose(&s, "", "", "", "the driver", false, why, sizeof(why)) ==
	       NULL,
	   "nothing known: none");
}

/* The whole of net_local_addr on this machine's loopback: no site keys,
 * the peer 127.0.0.1, so the route's local end is 127.0.0.1. */
static void test_local_addr(void)
{
	struct ss_site s = site_with(NULL);
	char out[INET_ADDRSTRLEN] = "", why[256] = "", err[256] = "";

	ok(net_local_addr(&s, "127.0.0.1", false, out, why, sizeof(why), err,
			  sizeof(err)) == 0,
	   "net_local_addr towards 127.0.0.1");
	is_str(out, "127.0.0.1", "...is the route's local end");
	/* A documentation network this machine has no address on. */
	static const char *const nets[] = {"192.0.2.0/24", "198.51.100.0/24",
					   "203.0.113.0/24"};
	const char *net = NULL;
	struct ifaddrs *ifs;
	char arg[64], want[160];

	SETUP(getifaddrs(&ifs));
	for (size_t i = 0; i < 3 && !net; i++) {
		snprintf(arg, sizeof(arg), "network=%s", nets[i]);
		s = site_with(arg);
		if (net_site_addr(&s, ifs, out))
			net = nets[i];
	}
	freeifaddrs(ifs);
	SETUP(net ? 0 : -1);
	ok(net_local_addr(&s, "127.0.0.1", false, out, why, sizeof(why), err,
			  sizeof(err)) == -1,
	   "network= no address of this host is on: refused");
	snprintf(want, sizeof(want),
		 "no IPv4 address of this host is on the site's network "
		 "(network=%s in plugstack.conf)",
		 net);
	is_str(err, want, "...naming the key");
}

int main(void)
{
	test_site_addr();
	test_choose();
	test_local_addr();
	return done_testing();
}
