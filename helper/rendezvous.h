/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rendezvous.h - how executor-side helpers find and join the driver side.
 *
 * The driver side listens on the first free port among RDV_CANDIDATES
 * derived from job and step id; executors try them in order.  A
 * registration is accepted only if munge vouches for it (valid, fresh,
 * never seen before), it comes from the job owner's uid and names this job
 * and step; anything else is refused, logged, and the job goes on.  Each
 * accepted connection stays open for the life of the step: the driver
 * sends "stop" with the application's exit status on it, and either side
 * seeing it close knows the other is gone.
 */
#ifndef SPANK_SPARK_RENDEZVOUS_H
#define SPANK_SPARK_RENDEZVOUS_H

#include "helper.h"
#include "proto.h"

#include <poll.h>

#define RDV_READ_TIMEOUT_MS 10000
#define RDV_MSG_MAX 4096 /* a registration is far smaller */

struct rdv_peer {
	int fd;
	bool registered; /* a valid registration was read */
	bool welcomed;
	long deadline_ms; /* to finish sending its registration */
	unsigned char buf[RDV_MSG_MAX];
	size_t have;
	char from[INET_ADDRSTRLEN];  /* its address */
	char local[INET_ADDRSTRLEN]; /* our address as it reached us */
	int node;
	char host[256];
	long cores;
	long memory_mb;
};

struct rdv_server {
	struct proto *proto;
	uint32_t job, step;
	uid_t uid;
	int listen_fd;
	uint16_t port;
	int expected;	/* distinct nodes that should register */
	int registered; /* distinct nodes that did */
	int refused;
	long refusal_window_ms; /* rate limit of refusal log lines */
	int refusals_logged, refusals_unlogged;
	struct rdv_peer *peers;
	size_t npeers, cap;
	/* Called once per accepted registration. */
	void (*on_register)(void *arg, struct rdv_peer *p);
	/* Called when a registered peer's connection closes. */
	void (*on_lost)(void *arg, struct rdv_peer *p);
	void *arg;
};

int rdv_server_open(struct rdv_server *s, const struct ss_site *site, char *err,
		    size_t errlen);
/* Append the server's descriptors to PFD (room for rdv_server_nfds). */
nfds_t rdv_server_pollfds(const struct rdv_server *s, struct pollfd *pfd);
size_t rdv_server_nfds(const struct rdv_server *s);
/* Handle whatever poll reported on the server's descriptors. */
void rdv_server_handle(struct rdv_server *s, const struct pollfd *pfd,
		       nfds_t n);
/* Send the welcome (restricted to the owner's uid) to every registered
 * peer not yet welcomed.  MSG is borrowed. */
int rdv_server_welcome(struct rdv_server *s, json_t *msg);
/* Tell every registered peer to stop with STATUS and close it; with
 * ALL, close the unregistered ones too.  Returns how many were told. */
int rdv_server_stop(struct rdv_server *s, int status, bool all);
void rdv_server_close(struct rdv_server *s);

/* Executor side: register with the driver at ADDR until DEADLINE_MS
 * (monotonic).  On success returns the connected socket and the welcome
 * (a new reference); -1 on time-out, with the reason.  SIGNAL_FD wakes the
 * back-off: a termination signal aborts (returns -2).  -3: the driver side
 * failed and sent "stop" instead, returned in *welcome. */
int rdv_register(struct proto *proto, const struct ss_site *site,
		 const char *addr, uint32_t job, uint32_t step, json_t *reg,
		 long deadline_ms, int signal_fd, json_t **welcome, char *err,
		 size_t errlen);
/* Read one frame of TYPE (NULL: any) for this job and step from FD, sent
 * by our own uid: a new reference, or NULL with the reason. */
json_t *rdv_expect(struct proto *proto, int fd, const char *type, uint32_t job,
		   uint32_t step, int timeout_ms, char *err, size_t errlen);

#endif
