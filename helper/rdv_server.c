/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rdv_server.c - the driver side of the rendezvous.
 */
#include "os.h"
#include "rendezvous.h"
#include "elastic.h"
#include "log.h"
#include "net.h"
#include "ports.h"
#include "proc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define REFUSAL_WINDOW_MS 10000
#define REFUSALS_LOGGED 10
#define LISTEN_BACKOFF_MS 200

int rdv_seed(uint64_t *seed)
{
	const char *v = getenv("SLURM_SPANK_SPARK_RENDEZVOUS");
	char *end;

	if (v && strlen(v) == 16 && strspn(v, "0123456789abcdefABCDEF") == 16) {
		*seed = strtoull(v, &end, 16);
		if (*end == '\0')
			return 0;
	}
	/* srun draws it for every Spark step (plugin/spank_spark.c): a step
	 * without it was not started by an srun that loads the plugin. */
	log_error(
	    "this step has no valid rendezvous seed "
	    "(SLURM_SPANK_SPARK_RENDEZVOUS, drawn by srun): start Spark "
	    "steps with an srun that loads spank_spark.so (plugstack.conf "
	    "on the submitting host too)");
	return -1;
}

uint16_t rdv_port(const struct ss_site *site, uint64_t seed, int i)
{
	if (i < RDV_CANDIDATES)
		return ss_ports_derived(site->port_lo, site->port_hi,
					SS_PORTS_SITE, seed, (uint32_t)i);
	return ss_ports_derived(site->port_lo, site->port_hi, SS_PORTS_FALLBACK,
				seed, (uint32_t)i);
}

int rdv_server_open(struct rdv_server *s, const struct ss_site *site,
		    const char *addr, char *err, size_t errlen)
{
	s->listen_fd = -1;
	for (int i = 0; i < RDV_ALL_CANDIDATES && s->listen_fd < 0; i++) {
		s->port = rdv_port(site, s->seed, i);
		s->fallback = i >= RDV_CANDIDATES;
		if (s->port)
			s->listen_fd = net_listen(addr, s->port);
	}
	if (s->listen_fd < 0) {
		snprintf(
		    err, errlen,
		    "cannot listen on any of the %d rendezvous ports "
		    "(%d in ports=%u-%u of plugstack.conf, %d outside it): "
		    "all taken",
		    RDV_ALL_CANDIDATES, RDV_CANDIDATES, site->port_lo,
		    site->port_hi, RDV_FALLBACK_CANDIDATES);
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

	if (s->listen_fd >= 0 && ss_now_ms() >= s->listen_paused_until)
		pfd[n++] =
		    (struct pollfd){.fd = s->listen_fd, .events = POLLIN};
	for (size_t i = 0; i < s->npeers; i++)
		pfd[n++] =
		    (struct pollfd){.fd = s->peers[i].fd, .events = POLLIN};
	return n;
}

int rdv_server_timeout(const struct rdv_server *s, int timeout)
{
	bool pending = s->npeers > (size_t)s->registered ||
		       ss_now_ms() < s->listen_paused_until;

	if (pending && (timeout < 0 || timeout > 250))
		return 250;
	return timeout;
}

static void drop_peer(struct rdv_server *s, size_t i)
{
	close(s->peers[i].fd);
	s->peers[i] = s->peers[--s->npeers];
}

/* Refusals are logged with our own words and the peer's address only,
 * and at most REFUSALS_LOGGED per window: a flood must not flood the log. */
static void note_refusal(struct rdv_server *s, const char *from,
			 const char *why)
{
	long now = ss_now_ms();

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
		log_info("refused a registration from %s: %s", from, why);
		s->refusals_logged++;
	} else {
		s->refusals_unlogged++;
	}
	s->refused++;
}

static void refuse(struct rdv_server *s, size_t i, const char *why)
{
	note_refusal(s, s->peers[i].from, why);
	drop_peer(s, i);
}

static int send_frame(struct rdv_server *s, struct rdv_peer *p, json_t *msg)
{
	char err[256], *frame;
	size_t len;
	int rc;

	/* Each peer gets a credential of its own: munge refuses to decode
	 * one credential twice on a node, and peers may share a munged. */
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

/* At the cap of unauthenticated connections from FROM (or in all): the
 * one to drop for a new one, the oldest, so that connections another user
 * holds open cannot keep an executor out; -1 below the cap. */
static ssize_t crowded(const struct rdv_server *s, const char *from)
{
	size_t pending = 0, same = 0;
	ssize_t oldest = -1, oldest_same = -1;

	for (size_t i = 0; i < s->npeers; i++) {
		const struct rdv_peer *p = &s->peers[i];

		if (p->registered)
			continue;
		pending++;
		if (oldest < 0 || p->seq < s->peers[oldest].seq)
			oldest = (ssize_t)i;
		if (strcmp(p->from, from))
			continue;
		same++;
		if (oldest_same < 0 || p->seq < s->peers[oldest_same].seq)
			oldest_same = (ssize_t)i;
	}
	if (same >= RDV_MAX_PENDING_PER_ADDR)
		return oldest_same;
	return pending >= RDV_MAX_PENDING ? oldest : -1;
}

static int hello(struct rdv_server *s, struct rdv_peer *p)
{
	json_t *msg;
	int rc;

	if (ss_random_hex(p->nonce, RDV_NONCE_LEN / 2))
		return -1;
	msg = json_pack("{s:s, s:i, s:I, s:I, s:s, s:i}", "type", "hello", "v",
			PROTO_VERSION, "job", (json_int_t)s->job, "step",
			(json_int_t)s->step, "nonce", p->nonce, "port",
			(int)s->port);
	rc = msg ? send_frame(s, p, msg) : -1;
	json_decref(msg);
	return rc;
}

static void accept_peers(struct rdv_server *s)
{
	for (;;) {
		struct sockaddr_in from, local;
		socklen_t flen = sizeof(from), llen = sizeof(local);
		char addr[INET_ADDRSTRLEN] = "?";
		struct rdv_peer *p;
		ssize_t drop;
		int fd;

		fd = accept4(s->listen_fd, (struct sockaddr *)&from, &flen,
			     SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			/* The listener stays readable: stop polling it for a
			 * moment rather than spin. */
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				s->listen_paused_until =
				    ss_now_ms() + LISTEN_BACKOFF_MS;
			return; /* EAGAIN, or a peer that left already */
		}
		inet_ntop(AF_INET, &from.sin_addr, addr, sizeof(addr));
		if ((drop = crowded(s, addr)) >= 0)
			refuse(s, (size_t)drop,
			       "dropped, the oldest of too many connections "
			       "waiting");
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
		p->seq = s->accepted++;
		p->deadline_ms = ss_now_ms() + RDV_HELLO_TIMEOUT_MS;
		snprintf(p->from, sizeof(p->from), "%s", addr);
		if (getsockname(fd, (struct sockaddr *)&local, &llen) == 0)
			inet_ntop(AF_INET, &local.sin_addr, p->local,
				  sizeof(p->local));
		net_keepalive(fd);
		if (hello(s, p) < 0)
			refuse(s, s->npeers - 1, "cannot say hello");
	}
}

static struct rdv_peer *registered_node(struct rdv_server *s, int node,
					size_t *at)
{
	for (size_t i = 0; i < s->npeers; i++)
		if (s->peers[i].registered && s->peers[i].node == node) {
			*at = i;
			return &s->peers[i];
		}
	return NULL;
}

/* Check registration MSG against peer P: 0, or -1 with WHY. */
static int check_registration(struct rdv_server *s, struct rdv_peer *p,
			      json_t *msg, char *why, size_t whylen)
{
	const char *host = json_string_value(json_object_get(msg, "host"));
	const char *nonce = json_string_value(json_object_get(msg, "nonce"));
	json_int_t node = json_integer_value(json_object_get(msg, "node"));
	json_int_t cores = json_integer_value(json_object_get(msg, "cores"));
	json_int_t mem = json_integer_value(json_object_get(msg, "memory_mb"));
	json_int_t port = json_integer_value(json_object_get(msg, "port"));

	if (proto_check(msg, "register", s->job, s->step, why, whylen))
		return -1;
	if (!nonce || strcmp(nonce, p->nonce) || port != s->port) {
		snprintf(why, whylen,
			 "not bound to this connection (a relayed or "
			 "replayed registration)");
		return -1;
	}
	if (!host || !net_valid_hostname(host) || node < 0 || node > 1000000 ||
	    cores < 1 || cores > 1000000 || mem < 1 || mem > (1LL << 40)) {
		snprintf(why, whylen, "incomplete registration");
		return -1;
	}
	if (s->join_nodes && node >= s->step_nodes) {
		const char *token =
		    json_string_value(json_object_get(msg, "token"));

		if (node >= s->step_nodes + s->join_nodes || !token ||
		    !s->join_token || strlen(token) != 64 ||
		    !elastic_token_equal(token, s->join_token, 64)) {
			snprintf(why, whylen,
				 "a join job's registration without this "
				 "application's join token");
			return -1;
		}
	}
	p->node = (int)node;
	p->cores = (long)cores;
	p->memory_mb = (long)mem;
	snprintf(p->host, sizeof(p->host), "%s", host);
	return 0;
}

/* A whole frame has arrived from peer I: accept or refuse it. */
static void judge(struct rdv_server *s, size_t i)
{
	struct rdv_peer *p = &s->peers[i], *old;
	char why[256], cred[RDV_MSG_MAX];
	size_t len = proto_frame_len(p->buf), at;
	json_t *msg;
	int rc;

	memcpy(cred, p->buf + 4, len);
	cred[len] = '\0';
	if (!(msg = proto_open(s->proto, cred, s->uid, why, sizeof(why)))) {
		refuse(s, i, why);
		return;
	}
	rc = check_registration(s, p, msg, why, sizeof(why));
	json_decref(msg);
	if (rc) {
		refuse(s, i, why);
		return;
	}
	/* Bound to its connection by the nonce, a newer registration of a
	 * node is the real one: the older connection is stale. */
	if ((old = registered_node(s, p->node, &at))) {
		int fd = p->fd;

		log_info("node %d (%s) registered again: replacing its older "
			 "connection",
			 p->node, p->host);
		if (s->on_lost)
			s->on_lost(s->arg, old);
		s->registered--;
		drop_peer(s, at);
		/* drop_peer moved the last peer into AT: find ours again. */
		for (i = 0; s->peers[i].fd != fd; i++)
			;
	}
	p = &s->peers[i];
	p->registered = true;
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

		/* Nothing more is expected: data or EOF mean it is gone;
		 * RDV_LEAVING, that a signal ends it. */
		n = read(p->fd, &b, 1);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) ||
		    n > 0) {
			p->leaving = n > 0 && b == RDV_LEAVING;
			p->failed = n > 0 && b == RDV_FAILED;
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
	long now = ss_now_ms();

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
		if (!s->peers[i].registered && now > s->peers[i].deadline_ms) {
			char why[64];

			snprintf(why, sizeof(why),
				 "no registration within %d s",
				 RDV_HELLO_TIMEOUT_S);
			refuse(s, i, why);
		}
}

int rdv_server_send(struct rdv_server *s, struct rdv_peer *p, json_t *msg)
{
	int rc = 0;

	if (p)
		return send_frame(s, p, msg);
	for (size_t i = 0; i < s->npeers; i++)
		if (s->peers[i].registered &&
		    send_frame(s, &s->peers[i], msg) < 0)
			rc = -1;
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
		    send_frame(s, &s->peers[i], msg) == 0)
			told++;
		if (s->peers[i].registered)
			s->registered--;
		drop_peer(s, i);
	}
	json_decref(msg);
	return told;
}

void rdv_server_close(struct rdv_server *s)
{
	if (s->refusals_unlogged)
		log_info("refused %d more connection(s) in the last %d s (not "
			 "logged one by one)",
			 s->refusals_unlogged, REFUSAL_WINDOW_MS / 1000);
	s->refusals_unlogged = 0;
	for (size_t i = 0; i < s->npeers; i++)
		close(s->peers[i].fd);
	s->npeers = 0;
	free(s->peers);
	s->peers = NULL;
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	s->listen_fd = -1;
}
