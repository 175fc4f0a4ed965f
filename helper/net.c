/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * net.c - addresses and ports.
 */
#include "net.h"
#include "os.h"
#include "ports.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

int net_site_addr(const struct ss_site *site, const struct ifaddrs *ifs,
		  char out[INET_ADDRSTRLEN])
{
	for (const struct ifaddrs *i = ifs; i; i = i->ifa_next) {
		struct in_addr a;

		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
			continue;
		a = ((const struct sockaddr_in *)(const void *)i->ifa_addr)
			->sin_addr;
		if (site->have_network &&
		    !ss_cidr_contains(site->network, site->network_prefix, a))
			continue;
		if (site->interface[0] &&
		    (!i->ifa_name || strcmp(i->ifa_name, site->interface)))
			continue;
		if (inet_ntop(AF_INET, &a, out, INET_ADDRSTRLEN))
			return 0;
	}
	return -1;
}

/* "network=10.1.0.0/16" or "interface=ib0", as plugstack.conf has it. */
static void site_key(const struct ss_site *site, char *buf, size_t len)
{
	char net[INET_ADDRSTRLEN] = "?";

	if (site->have_network) {
		inet_ntop(AF_INET, &site->network, net, sizeof(net));
		snprintf(buf, len, "network=%s/%u", net, site->network_prefix);
	} else {
		snprintf(buf, len, "interface=%s", site->interface);
	}
}

const char *net_choose(const struct ss_site *site, const char *site_addr,
		       const char *route, const char *named, const char *peer,
		       bool peer_is_client, char *why, size_t whylen)
{
	char key[64];

	if (site->have_network || site->interface[0]) {
		if (!site_addr[0])
			return NULL;
		site_key(site, key, sizeof(key));
		/* A client-mode driver off the site's network must reach
		 * this host's Spark ports back (task results, blocks). */
		if (peer_is_client && route[0] && strcmp(route, site_addr)) {
			snprintf(why, whylen,
				 "the route to the client-mode driver at %s "
				 "leaves from it, not from %s (%s)",
				 peer, site_addr, key);
			return route;
		}
		snprintf(why, whylen, "its address on the site's network (%s)",
			 key);
		return site_addr;
	}
	if (route[0]) {
		snprintf(why, whylen,
			 "the local end of the route to %s (no network= or "
			 "interface= in plugstack.conf)",
			 peer);
		return route;
	}
	if (named[0]) {
		snprintf(why, whylen,
			 "what its host name resolves to (no network= or "
			 "interface= in plugstack.conf)");
		return named;
	}
	return NULL;
}

/* The local address the kernel would use towards PEER_ADDR: a UDP
 * "connect" sends nothing. */
static int addr_towards(const char *peer_addr, char out[INET_ADDRSTRLEN])
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(9)};
	socklen_t len = sizeof(sin);
	int fd, rc = -1;

	if (inet_pton(AF_INET, peer_addr, &sin.sin_addr) != 1)
		return -1;
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0 &&
	    inet_ntop(AF_INET, &sin.sin_addr, out, INET_ADDRSTRLEN))
		rc = 0;
	close(fd);
	return rc;
}

int net_local_addr(const struct ss_site *site, const char *peer,
		   bool peer_is_client, char out[INET_ADDRSTRLEN], char *why,
		   size_t whylen, char *err, size_t errlen)
{
	char site_addr[INET_ADDRSTRLEN] = "", route[INET_ADDRSTRLEN] = "";
	char named[INET_ADDRSTRLEN] = "", peer_addr[INET_ADDRSTRLEN] = "";
	char host[256], key[64];
	bool keys = site->have_network || site->interface[0];
	struct ifaddrs *ifs;
	const char *pick;

	if (keys) {
		if (getifaddrs(&ifs) < 0) {
			snprintf(err, errlen,
				 "cannot list this host's addresses: %s",
				 strerror(errno));
			return -1;
		}
		if (net_site_addr(site, ifs, site_addr))
			site_addr[0] = '\0';
		freeifaddrs(ifs);
	}
	if (peer && net_resolve(peer, peer_addr) == 0 &&
	    addr_towards(peer_addr, route))
		route[0] = '\0';
	if (!keys && !route[0] && gethostname(host, sizeof(host)) == 0 &&
	    net_resolve(host, named))
		named[0] = '\0';
	pick = net_choose(site, site_addr, route, named,
			  peer_addr[0] ? peer_addr : "the driver",
			  peer_is_client, why, whylen);
	if (pick) {
		snprintf(out, INET_ADDRSTRLEN, "%s", pick);
		return 0;
	}
	if (keys) {
		site_key(site, key, sizeof(key));
		snprintf(err, errlen,
			 "no IPv4 address of this host is on the site's "
			 "network (%s in plugstack.conf)",
			 key);
	} else {
		snprintf(err, errlen,
			 "cannot find this host's address: set network= or "
			 "interface= in plugstack.conf");
	}
	return -1;
}

int net_resolve(const char *host, char out[INET_ADDRSTRLEN])
{
	struct addrinfo hints = {.ai_family = AF_INET,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *res;
	int rc = -1;

	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return -1;
	if (res &&
	    inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr,
		      out, INET_ADDRSTRLEN))
		rc = 0;
	freeaddrinfo(res);
	return rc;
}

static int bind_addr(const char *addr, uint16_t port, int type)
{
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_ANY)};
	int one = 1, fd;

	if (addr && inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		return -1;
	if ((fd = socket(AF_INET, type | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* [::1]:PORT bound (IPV6_V6ONLY, no SO_REUSEADDR, not listening): while
 * this socket lives, nobody else can bind ::1 or :: on PORT, and a
 * client's connect to [::1]:PORT is refused at once.  The socket, -1 when
 * taken, -2 when this host has no IPv6 loopback (nothing to hold). */
/* Is PORT free for a listener on every address, IPv4 and IPv6?  Spark's
 * UI (Jetty) binds the dual-stack wildcard: a port another user holds on
 * [::1] or :: only is as taken as one held on 0.0.0.0.  Sockets of ours
 * lingering in TIME_WAIT do not count (SO_REUSEADDR). */
static bool port_free(uint16_t port)
{
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6,
				    .sin6_port = htons(port),
				    .sin6_addr = IN6ADDR_ANY_INIT};
	int one = 1, zero = 0, fd;
	bool ok;

	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) { /* no IPv6 here: IPv4 alone */
		if ((fd = bind_addr(NULL, port, SOCK_STREAM)) < 0)
			return false;
		close(fd);
		return true;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ok = setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) ==
		 0 &&
	     bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == 0;
	close(fd);
	return ok;
}

static int hold_v6_loopback(uint16_t port)
{
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6,
				    .sin6_port = htons(port),
				    .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	int one = 1, fd, err;

	if ((fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return errno == EAFNOSUPPORT ? -2 : -1;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) == 0 &&
	    bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == 0)
		return fd;
	err = errno;
	close(fd);
	return err == EADDRNOTAVAIL ? -2 : -1;
}

int net_pick_port(const struct ss_site *site, const uint16_t *avoid,
		  size_t navoid, uint16_t *port, bool *fallback, int *hold_v6)
{
	static const enum ss_port_space spaces[] = {SS_PORTS_SITE,
						    SS_PORTS_FALLBACK};
	uint32_t r;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -1;
	for (size_t s = 0; s < 2; s++) {
		uint32_t size =
		    ss_ports_size(site->port_lo, site->port_hi, spaces[s]);

		for (uint32_t i = 0; i < size; i++) {
			uint16_t p =
			    ss_ports_nth(site->port_lo, site->port_hi,
					 spaces[s], (r % size + i) % size);
			bool taken = false;
			int fd;

			for (size_t j = 0; j < navoid; j++)
				taken = taken || avoid[j] == p;
			if (taken || !port_free(p))
				continue;
			if (hold_v6 && (fd = hold_v6_loopback(p)) == -1)
				continue;
			if (hold_v6)
				*hold_v6 = fd < 0 ? -1 : fd;
			*port = p;
			*fallback = spaces[s] == SS_PORTS_FALLBACK;
			return 0;
		}
	}
	return -1;
}

int net_listen(const char *addr, uint16_t port)
{
	int fd = bind_addr(addr, port, SOCK_STREAM);

	if (fd < 0)
		return -1;
	if (listen(fd, 1024) < 0 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int net_connect(const char *addr, uint16_t port, int timeout_ms)
{
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_port = htons(port)};
	struct pollfd pfd;
	long deadline = ss_now_ms() + timeout_ms;
	int fd, soerr = 0, flags, rc;
	socklen_t len = sizeof(soerr);

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		return -1;
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		if (errno != EINPROGRESS)
			goto fail;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		/* A signal (SIGCHLD of an executor JVM) is no failure. */
		do
			rc = poll(&pfd, 1, ss_ms_until(deadline));
		while (rc < 0 && errno == EINTR);
		if (rc != 1 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 ||
		    soerr)
			goto fail;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

void net_keepalive(int fd)
{
	int one = 1, idle = 20, intvl = 5, cnt = 4;

	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
}

bool net_valid_hostname(const char *host)
{
	size_t n = strlen(host);

	if (n == 0 || n > 253)
		return false;
	return strspn(host, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") == n;
}

bool net_valid_driver_url(const char *url)
{
	static const char prefix[] = "spark://CoarseGrainedScheduler@";
	char host[256];
	const char *colon;
	long port;

	if (strncmp(url, prefix, sizeof(prefix) - 1))
		return false;
	url += sizeof(prefix) - 1;
	colon = strrchr(url, ':');
	if (!colon || colon == url || (size_t)(colon - url) >= sizeof(host))
		return false;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - url), url);
	return net_valid_hostname(host) &&
	       ss_parse_long(colon + 1, 1, 65535, &port) == 0;
}
