/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rendezvous.h - how executor-side helpers find and join the driver side.
 *
 * The driver side listens on the first free port among RDV_CANDIDATES of
 * the site's range derived from a seed: the random
 * SLURM_SPANK_SPARK_RENDEZVOUS that srun gives every task of the step (so
 * another user cannot predict, pre-bind or relay the ports; a step
 * without it is refused, never given ports derived from its ids).  When
 * another user holds all of them, on the first free one of
 * RDV_FALLBACK_CANDIDATES derived from the same seed outside the range
 * (common/ports.h), which the executors try next.  On every connection the
 * driver speaks first: a "hello" sealed by munge for the job owner alone, with
 * a fresh nonce and the port it listens on.  The executor checks that the job
 * owner sent it, for this job and step, on the port it dialled (a relay from
 * another port shows), and answers with a registration carrying the nonce and
 * that port: the registration belongs to this connection and nothing else.  A
 * newer valid registration of a node replaces an older one.  Unauthenticated
 * connections are capped (per source address too): at the cap the OLDEST of
 * them (of that address) is dropped, so that connections held open by another
 * user cannot keep an executor out; each is given RDV_HELLO_TIMEOUT_S
 * seconds; refusals are logged in our own words, rate-limited.  Each
 * accepted connection stays open for the life of the step: "welcome", "driver"
 * and "stop" travel on it, and either side seeing it close knows the other is
 * gone.
 */
#ifndef SPANK_SPARK_RENDEZVOUS_H
#define SPANK_SPARK_RENDEZVOUS_H

#include "helper.h"
#include "proto.h"

#include <poll.h>

#define RDV_CANDIDATES 16	   /* in the site's range */
#define RDV_FALLBACK_CANDIDATES 16 /* after them, outside it */
#define RDV_ALL_CANDIDATES (RDV_CANDIDATES + RDV_FALLBACK_CANDIDATES)
/* For a peer to answer our hello: seconds, also spelled out in a message. */
#define RDV_HELLO_TIMEOUT_S 3
#define RDV_HELLO_TIMEOUT_MS (RDV_HELLO_TIMEOUT_S * 1000)
#define RDV_MAX_PENDING 64 /* unauthenticated connections at once */
#define RDV_MAX_PENDING_PER_ADDR 8
#define RDV_MSG_MAX 4096 /* a registration is far smaller */
#define RDV_NONCE_LEN 32
/* The one byte a registered executor side sends when a signal (scancel, a
 * time limit) ends it: its loss was asked for, and is not reported. */
#define RDV_LEAVING 'T'
/* The one byte a registered executor side sends when it fails on its own
 * (its executors could not be kept alive): it said why in its own line,
 * and the step cannot get what it waits for. */
#define RDV_FAILED 'F'

struct rdv_peer {
	int fd;
	uint64_t seq;	  /* accepted as the seq-th connection */
	bool registered;  /* a valid registration was read */
	bool leaving;	  /* it said RDV_LEAVING before it went */
	bool failed;	  /* it said RDV_FAILED before it went */
	long deadline_ms; /* to finish sending its registration */
	unsigned char buf[RDV_MSG_MAX];
	size_t have;
	char nonce[RDV_NONCE_LEN + 1];
	char from[INET_ADDRSTRLEN];  /* its address */
	char local[INET_ADDRSTRLEN]; /* our address as it reached us */
	int node;
	char host[256];
	long cores;
	long memory_mb;
	void *data; /* the owner's, per peer */
};

struct rdv_server {
	struct proto *proto;
	uint32_t job, step;
	uint64_t seed;
	uid_t uid;
	int listen_fd;
	uint16_t port;
	bool fallback;		  /* PORT is outside the site's range */
	uint64_t accepted;	  /* connections accepted, ever */
	long listen_paused_until; /* out of descriptors: back off */
	int expected;		  /* distinct nodes that should register */
	int registered;		  /* distinct nodes that did */
	int refused;
	long refusal_window_ms; /* rate limit of refusal log lines */
	int refusals_logged, refusals_unlogged;
	struct rdv_peer *peers;
	size_t npeers, cap;
	/* Called once per accepted registration; it may send on P. */
	void (*on_register)(void *arg, struct rdv_peer *p);
	/* Called when a registered peer's connection closes or is
	 * replaced by a newer registration of the same node. */
	void (*on_lost)(void *arg, struct rdv_peer *p);
	void *arg;
	/* --spark-elastic: nodes step_nodes.. step_nodes + join_nodes - 1 are
	 * join jobs', whose registration must carry JOIN_TOKEN (borrowed);
	 * join_nodes 0: none. */
	int step_nodes, join_nodes;
	const char *join_token;
};

/* The seed of the candidate ports, SLURM_SPANK_SPARK_RENDEZVOUS, in *SEED:
 * 0, or -1 (logged, saying what to do) when the step has none. */
int rdv_seed(uint64_t *seed);
/* Candidate I (0 <= I < RDV_ALL_CANDIDATES) of SEED: the first
 * RDV_CANDIDATES in the site's range, the others outside it; 0 when there
 * is no such port (a site range covering all of the fallback space). */
uint16_t rdv_port(const struct ss_site *site, uint64_t seed, int i);

/* Listen on ADDR (NULL: every address) at the first free candidate. */
int rdv_server_open(struct rdv_server *s, const struct ss_site *site,
		    const char *addr, char *err, size_t errlen);
/* Append the server's descriptors to PFD (room for rdv_server_nfds). */
nfds_t rdv_server_pollfds(const struct rdv_server *s, struct pollfd *pfd);
size_t rdv_server_nfds(const struct rdv_server *s);
/* Handle whatever poll reported on the server's descriptors. */
void rdv_server_handle(struct rdv_server *s, const struct pollfd *pfd,
		       nfds_t n);
/* A poll timeout that lets pending peers' deadlines be enforced. */
int rdv_server_timeout(const struct rdv_server *s, int timeout);
/* Send MSG (borrowed; restricted to the owner's uid) to registered peer
 * P, or to every registered peer (P NULL).  0, or -1 if any failed. */
int rdv_server_send(struct rdv_server *s, struct rdv_peer *p, json_t *msg);
/* Tell every registered peer to stop with STATUS and close it; with
 * ALL, close the unregistered ones too.  Returns how many were told. */
int rdv_server_stop(struct rdv_server *s, int status, bool all);
void rdv_server_close(struct rdv_server *s);

/* What rdv_register and rdv_join return when they got no welcome. */
enum rdv_failure {
	RDV_TIMED_OUT = -1,   /* nobody, or not our driver, answered: ERR */
	RDV_INTERRUPTED = -2, /* a termination signal came (SIGNAL_FD) */
	RDV_DRIVER_STOP = -3, /* the driver side failed and said "stop" */
};

/* Executor side: register REG with the driver at ADDR until DEADLINE_MS
 * (monotonic).  Returns the connected socket and the welcome (a new
 * reference); RDV_TIMED_OUT with the reason; SIGNAL_FD wakes the back-off:
 * RDV_INTERRUPTED for a termination signal; RDV_DRIVER_STOP with the
 * driver's "stop" in *welcome. */
int rdv_register(struct proto *proto, const struct ss_site *site, uint64_t seed,
		 const char *addr, uint32_t job, uint32_t step, json_t *reg,
		 long deadline_ms, int signal_fd, json_t **welcome, char *err,
		 size_t errlen);
/* One try of rdv_register at ADDR:PORT: the driver's hello within
 * HELLO_MS (the job owner's, for this step, naming the port we dialled),
 * our registration bound to its nonce, its welcome.  0 with *welcome and
 * *fd_out set; RDV_TIMED_OUT when nobody, or not our driver, answers;
 * RDV_DRIVER_STOP when the driver says stop. */
int rdv_join(struct proto *proto, const char *addr, uint16_t port, int hello_ms,
	     json_t *reg, uint32_t job, uint32_t step, json_t **welcome,
	     int *fd_out, char *err, size_t errlen);
/* Read one frame of TYPE (NULL: any) for this job and step from FD, sent
 * by our own uid: a new reference, or NULL with the reason. */
json_t *rdv_expect(struct proto *proto, int fd, const char *type, uint32_t job,
		   uint32_t step, int timeout_ms, char *err, size_t errlen);

#endif
