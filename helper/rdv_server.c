/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rdv_server.c - the driver side of the rendezvous.
 */
#include "rendezvous.h"
#include "log.h"
#include "net.h"
#include "proc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

uint16_t rdv_port(const struct ss_site *site, uint32_t job, uint32_t step,
		  int i)
{
	uint32_t span = (uint32_t)site->port_hi - site->port_lo + 1;
	/* Spread jobs over the range; steps of a job next to each other. */
	uint32_t start = (job * 2654435761U + step * 97U) % span;

	return (uint16_t)(site->port_lo + (start + (uint32_t)i) % span);
}

int rdv_server_open(struct rdv_server *s, const struct ss_site *site, char *err,
		    size_t errlen)
{
	s->listen_fd = -1;
	for (int i = 0; i < RDV_CANDIDATES && s->listen_fd < 0; i++) {
		s->port = rdv_port(site, s->job, s->step, i);
		s->listen_fd = net_listen(s->port);
	}
	if (s->listen_fd < 0) {
		snprintf(err, errlen,
			 "cannot listen on any of the %d rendezvous ports "
			 "from %u (ports=%u-%u in plugstack.conf)",
			 RDV_CANDIDATES, rdv_port(site, s->job, s->step, 0),
			 site->port_lo, site->port_hi);
		return -1;
	}
	return 0;
}

size_t rdv_server_nfds(const struct rdv_server *s)
{
	return s->npeers + 1;
}

nfds_t rdv_server_pollfds(const struct rdv_server *s, struct pollfd *pfd)
{
	nfds_t n = 0;

	if (s->listen_fd >= 0)
		pfd[n++] =
		    (struct pollfd){.fd = s->listen_fd, .events = POLLIN};
	for (size_t i = 0; i < s->npeers; i++)
		pfd[n++] =
		    (struct pollfd){.fd = s->peers[i].fd, .events = POLLIN};
	return n;
}

static void drop_peer(struct rdv_server *s, size_t i)
{
	close(s->peers[i].fd);
	s->peers[i] = s->peers[--s->npeers];
}

/* Refusals are logged with our own words and the peer's address only,
 * and at most REFUSALS_LOGGED per window: a flood must not flood the log. */
#define REFUSAL_WINDOW_MS 10000
#define REFUSALS_LOGGED 5

static void refuse(struct rdv_server *s, size_t i, const char *why)
{
	long now = now_ms();

	if (now - s->refusal_window_ms >= REFUSAL_WINDOW_MS) {
		if (s->refusals_unlogged)
			log_info("refused %d more connection(s) in the last "
				 "%d s (not logged one by one)",
				 s->refusals_unlogged,
				 REFUSAL_WINDOW_MS / 1000);
		s->refusal_window_ms = now;
		s->refusals_logged = s->refusals_unlogged = 0;
	}
	if (s->refusals_logged < REFUSALS_LOGGED) {
		log_info("refused a registration from %s: %s", s->peers[i].from,
			 why);
		s->refusals_logged++;
	} else {
		s->refusals_unlogged++;
	}
	s->refused++;
	drop_peer(s, i);
}

static void accept_peers(struct rdv_server *s)
{
	for (;;) {
		struct sockaddr_in from, local;
		socklen_t flen = sizeof(from), llen = sizeof(local);
		struct rdv_peer *p;
		int fd;

		fd = accept4(s->listen_fd, (struct sockaddr *)&from, &flen,
			     SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			return; /* EAGAIN, or a peer that left already */
		if (s->npeers == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 16;
			struct rdv_peer *grown =
			    realloc(s->peers, cap * sizeof(*grown));

			if (!grown) {
				log_error("out of memory: dropping a peer");
				close(fd);
				return;
			}
			s->peers = grown;
			s->cap = cap;
		}
		p = &s->peers[s->npeers++];
		memset(p, 0, sizeof(*p));
		p->fd = fd;
		p->deadline_ms = now_ms() + RDV_READ_TIMEOUT_MS;
		inet_ntop(AF_INET, &from.sin_addr, p->from, sizeof(p->from));
		if (getsockname(fd, (struct sockaddr *)&local, &llen) == 0)
			inet_ntop(AF_INET, &local.sin_addr, p->local,
				  sizeof(p->local));
		net_keepalive(fd);
	}
}

static bool node_taken(const struct rdv_server *s, int node)
{
	for (size_t i = 0; i < s->npeers; i++)
		if (s->peers[i].registered && s->peers[i].node == node)
			return true;
	return false;
}

static int send_sealed(struct rdv_server *s, struct rdv_peer *p, json_t *msg);

static int send_simple(struct rdv_server *s, struct rdv_peer *p,
		       const char *type)
{
	json_t *msg =
	    json_pack("{s:s, s:i, s:I, s:I}", "type", type, "v", PROTO_VERSION,
		      "job", (json_int_t)s->job, "step", (json_int_t)s->step);
	int rc = msg ? send_sealed(s, p, msg) : -1;

	json_decref(msg);
	return rc;
}

/* A whole frame has arrived from peer I: accept or refuse it. */
static void judge(struct rdv_server *s, size_t i)
{
	struct rdv_peer *p = &s->peers[i];
	char why[256], cred[RDV_MSG_MAX];
	size_t len = proto_frame_len(p->buf);
	json_t *msg;
	const char *host;
	json_int_t node, cores, mem;

	memcpy(cred, p->buf + 4, len);
	cred[len] = '\0';
	if (!(msg = proto_open(s->proto, cred, s->uid, why, sizeof(why)))) {
		refuse(s, i, why);
		return;
	}
	if (proto_check(msg, "register", s->job, s->step, why, sizeof(why)) ==
	    0) {
		host = json_string_value(json_object_get(msg, "host"));
		node = json_integer_value(json_object_get(msg, "node"));
		cores = json_integer_value(json_object_get(msg, "cores"));
		mem = json_integer_value(json_object_get(msg, "memory_mb"));
		if (!host || !net_valid_hostname(host) || node < 0 ||
		    node > 1000000 || cores < 1 || mem < 1)
			snprintf(why, sizeof(why), "incomplete registration");
		else if (node_taken(s, (int)node))
			snprintf(why, sizeof(why),
				 "node %lld registered already",
				 (long long)node);
		else
			why[0] = '\0';
		if (!why[0]) {
			p->registered = true;
			p->node = (int)node;
			p->cores = (long)cores;
			p->memory_mb = (long)mem;
			snprintf(p->host, sizeof(p->host), "%s", host);
		}
	}
	json_decref(msg);
	if (!p->registered) {
		refuse(s, i, why);
		return;
	}
	/* An immediate answer tells the executor it found the right driver
	 * (a port of the range may be held by something else). */
	if (send_simple(s, p, "accepted") < 0) {
		refuse(s, i, "cannot answer it");
		return;
	}
	s->registered++;
	if (s->on_register)
		s->on_register(s->arg, p);
}

static void read_peer(struct rdv_server *s, size_t i)
{
	struct rdv_peer *p = &s->peers[i];
	ssize_t n;

	if (p->registered) {
		char b;

		/* Nothing more is expected: data or EOF mean it is gone. */
		n = read(p->fd, &b, 1);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			if (s->on_lost)
				s->on_lost(s->arg, p);
			s->registered--;
			drop_peer(s, i);
		}
		return;
	}
	n = read(p->fd, p->buf + p->have, sizeof(p->buf) - p->have);
	if (n == 0) {
		refuse(s, i, "closed before sending a registration");
		return;
	}
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			refuse(s, i, strerror(errno));
		return;
	}
	p->have += (size_t)n;
	if (p->have < 4)
		return;
	if (proto_frame_len(p->buf) == 0 ||
	    proto_frame_len(p->buf) > sizeof(p->buf) - 5) {
		refuse(s, i, "not a spank-spark frame");
		return;
	}
	if (p->have >= 4 + proto_frame_len(p->buf))
		judge(s, i);
}

void rdv_server_handle(struct rdv_server *s, const struct pollfd *pfd, nfds_t n)
{
	long now = now_ms();

	/* Peers may be dropped (swapped with the last) while we walk them:
	 * match poll results by descriptor and walk backwards. */
	for (nfds_t k = n; k-- > 0;) {
		if (!pfd[k].revents)
			continue;
		if (pfd[k].fd == s->listen_fd) {
			accept_peers(s);
			continue;
		}
		for (size_t i = s->npeers; i-- > 0;)
			if (s->peers[i].fd == pfd[k].fd) {
				read_peer(s, i);
				break;
			}
	}
	for (size_t i = s->npeers; i-- > 0;)
		if (!s->peers[i].registered && now > s->peers[i].deadline_ms)
			refuse(s, i, "no registration within 10 s");
}

/* Each peer gets a credential of its own: munge refuses to decode one
 * credential twice on a node, and two peers may share a node's munged. */
static int send_sealed(struct rdv_server *s, struct rdv_peer *p, json_t *msg)
{
	char err[256], *frame;
	size_t len;
	int rc;

	if (!(frame =
		  proto_seal(s->proto, msg, s->uid, &len, err, sizeof(err)))) {
		log_error("cannot answer %s: %s",
			  p->host[0] ? p->host : p->from, err);
		return -1;
	}
	/* Blocking for the write: our messages are small. */
	fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) & ~O_NONBLOCK);
	rc = proto_send(p->fd, frame, len);
	fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK);
	explicit_bzero(frame, len);
	free(frame);
	return rc;
}

int rdv_server_welcome(struct rdv_server *s, json_t *msg)
{
	int rc = 0;

	for (size_t i = 0; i < s->npeers; i++) {
		struct rdv_peer *p = &s->peers[i];

		if (!p->registered || p->welcomed)
			continue;
		if (send_sealed(s, p, msg) == 0)
			p->welcomed = true;
		else
			rc = -1;
	}
	return rc;
}

int rdv_server_stop(struct rdv_server *s, int status, bool all)
{
	int told = 0;

	json_t *msg = json_pack("{s:s, s:i, s:I, s:I, s:i}", "type", "stop",
				"v", PROTO_VERSION, "job", (json_int_t)s->job,
				"step", (json_int_t)s->step, "status", status);

	for (size_t i = s->npeers; i-- > 0;) {
		if (!all && !s->peers[i].registered)
			continue;
		if (msg && s->peers[i].registered &&
		    send_sealed(s, &s->peers[i], msg) == 0)
			told++;
		drop_peer(s, i);
	}
	json_decref(msg);
	return told;
}

void rdv_server_close(struct rdv_server *s)
{
	for (size_t i = 0; i < s->npeers; i++)
		close(s->peers[i].fd);
	s->npeers = 0;
	free(s->peers);
	s->peers = NULL;
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	s->listen_fd = -1;
}
