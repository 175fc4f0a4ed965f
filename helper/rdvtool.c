/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rdvtool.c - the rendezvous on its own, without Spark: for the tests
 * (forged, wrong-job, replayed and garbage registrations) and the
 * benchmark (K simulated executors against one driver side).
 *
 *   rendezvous-server --count=K   accept K registrations, welcome them
 *                                 with a dummy master, then stop them
 *   rendezvous-client --count=K   register K simulated executors
 *   rendezvous-client --replay    send one credential twice
 * --port=P sends the client to a port other than its own job's (to play
 * another job's executor).
 */
#include "helper.h"
#include "log.h"
#include "net.h"
#include "proc.h"
#include "rendezvous.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void count_registration(void *arg, struct rdv_peer *p)
{
	(void)arg;
	log_verbose("registered node %d (%s) from %s", p->node, p->host,
		    p->from);
}

int run_rendezvous_server(struct helper *h, int signal_fd)
{
	struct proto proto = {0};
	struct rdv_server s = {.proto = &proto,
			       .job = h->job,
			       .step = h->step,
			       .uid = h->uid,
			       .listen_fd = -1,
			       .expected = h->rdv_count,
			       .on_register = count_registration};
	struct pollfd *pfd = NULL;
	json_t *welcome = NULL;
	char err[256];
	long deadline = now_ms() + h->site.startup_timeout * 1000;
	long started = 0;
	int rc = EXIT_HELPER_FAILED;

	if (proto_init(&proto, h->site.munge_socket, err, sizeof(err)) ||
	    rdv_server_open(&s, &h->site, err, sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	printf("listening on port %u\n", s.port);
	fflush(stdout);
	while (s.registered < s.expected && now_ms() < deadline) {
		size_t need = rdv_server_nfds(&s) + 1;
		struct pollfd *grown = realloc(pfd, need * sizeof(*pfd));
		bool chld = false;
		nfds_t n;

		if (!grown)
			goto out;
		pfd = grown;
		pfd[0] = (struct pollfd){.fd = signal_fd, .events = POLLIN};
		n = 1 + rdv_server_pollfds(&s, pfd + 1);
		poll(pfd, n, 1000);
		if (signals_read(signal_fd, &chld))
			goto out;
		if (!started && s.npeers)
			started = now_ms();
		rdv_server_handle(&s, pfd + 1, n - 1);
	}
	printf("registered %d/%d, refused %d, in %ld ms\n", s.registered,
	       s.expected, s.refused, started ? now_ms() - started : 0);
	if (s.registered < s.expected)
		goto out;
	welcome =
	    json_pack("{s:s, s:i, s:I, s:I, s:s, s:{s:s}}", "type", "welcome",
		      "v", PROTO_VERSION, "job", (json_int_t)h->job, "step",
		      (json_int_t)h->step, "master", "spark://127.0.0.1:7077",
		      "conf", "spark.authenticate.secret", "not-a-real-secret");
	if (welcome && rdv_server_welcome(&s, welcome) == 0) {
		rdv_server_stop(&s, 0, true);
		rc = 0;
	}
out:
	fflush(stdout);
	json_decref(welcome);
	free(pfd);
	rdv_server_close(&s);
	proto_fini(&proto);
	return rc;
}

static json_t *registration(const struct helper *h, int node)
{
	return json_pack("{s:s, s:i, s:I, s:I, s:i, s:s, s:i, s:i}", "type",
			 "register", "v", PROTO_VERSION, "job",
			 (json_int_t)h->job, "step", (json_int_t)h->step,
			 "node", node, "host", h->host, "cores", 1, "memory_mb",
			 1024);
}

/* Send one credential on two connections: the second must be refused. */
static int replay(struct helper *h, struct proto *proto, const char *addr,
		  uint16_t port)
{
	char err[256], buf[PROTO_FRAME_MAX];
	json_t *reg = registration(h, h->node_index);
	size_t len;
	char *frame = reg ? proto_seal(proto, reg, PROTO_NO_UID_RESTRICTION,
				       &len, err, sizeof(err))
			  : NULL;
	int first = -1, second = -1, rc = EXIT_HELPER_FAILED;

	json_decref(reg);
	if (!frame)
		return rc;
	first = net_connect(addr, port, 2000);
	if (first < 0 || proto_send(first, frame, len) ||
	    proto_recv(first, buf, sizeof(buf), 10000) != 0) {
		printf("first registration: no answer\n");
		goto out;
	}
	printf("first registration: accepted\n");
	second = net_connect(addr, port, 2000);
	if (second < 0 || proto_send(second, frame, len)) {
		printf("replay: cannot send\n");
		goto out;
	}
	if (proto_recv(second, buf, sizeof(buf), 10000) == 0) {
		printf("replay: ACCEPTED\n");
	} else {
		printf("replay: refused\n");
		rc = 0;
	}
out:
	fflush(stdout);
	free(frame);
	if (first >= 0)
		close(first);
	if (second >= 0)
		close(second);
	return rc;
}

int run_rendezvous_client(struct helper *h, int signal_fd)
{
	struct proto proto = {0};
	const char *addr = h->rdv_target ? h->rdv_target : "127.0.0.1";
	long start = now_ms();
	uint16_t port = h->rdv_target_port
			    ? (uint16_t)h->rdv_target_port
			    : rdv_port(&h->site, h->job, h->step, 0);
	char err[256] = "no answer";
	int welcomed = 0, accepted = 0, rc = EXIT_HELPER_FAILED, *fds;
	size_t len;

	(void)signal_fd;

	if (proto_init(&proto, h->site.munge_socket, err, sizeof(err))) {
		log_error("%s", err);
		return rc;
	}
	if (h->rdv_replay) {
		rc = replay(h, &proto, addr, port);
		proto_fini(&proto);
		return rc;
	}
	/* All register first (the server welcomes nobody before the last
	 * one is in), then all read their welcome. */
	fds = calloc((size_t)h->rdv_count, sizeof(*fds));
	for (int i = 0; fds && i < h->rdv_count; i++)
		fds[i] = -1;
	for (int i = 0; fds && i < h->rdv_count; i++) {
		json_t *reg = registration(h, h->node_index + i), *msg = NULL;
		char *frame =
		    reg ? proto_seal(&proto, reg, PROTO_NO_UID_RESTRICTION,
				     &len, err, sizeof(err))
			: NULL;

		json_decref(reg);
		fds[i] = frame ? net_connect(addr, port, 2000) : -1;
		if (fds[i] >= 0 && proto_send(fds[i], frame, len) == 0)
			msg = rdv_expect(&proto, fds[i], "accepted", h->job,
					 h->step, 10000, err, sizeof(err));
		free(frame);
		if (!msg) {
			printf("refused: %s\n", err);
			break;
		}
		json_decref(msg);
		accepted++;
	}
	for (int i = 0; i < accepted; i++) {
		json_t *msg = rdv_expect(&proto, fds[i], "welcome", h->job,
					 h->step, 30000, err, sizeof(err));

		welcomed += msg != NULL;
		json_decref(msg);
	}
	for (int i = 0; fds && i < h->rdv_count; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	if (h->rdv_count == 1 && welcomed == 1)
		printf("welcome: from the driver of job %u step %u\n", h->job,
		       h->step);
	printf("welcomed %d/%d in %ld ms\n", welcomed, h->rdv_count,
	       now_ms() - start);
	fflush(stdout);
	proto_fini(&proto);
	return welcomed == h->rdv_count ? 0 : rc;
}
