/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rdvtool.c - the rendezvous on its own, without Spark: for the tests
 * (forged, wrong-job, replayed, relayed and garbage registrations) and
 * the benchmark (K simulated executors against one driver side).  A test
 * tool, never installed.
 *
 *   rdvtool server --job=J --step=S --count=K [SITE KEY=VALUE ...]
 *       accept K registrations, welcome them, stop them
 *   rdvtool client --job=J --step=S --count=K [--port=P] [--target=ADDR]
 *       register K simulated executors (nodes 0..K-1)
 *   rdvtool client ... --replay
 *       send one registration twice, on two connections
 *   rdvtool ports --job=J --step=S [SITE KEY=VALUE ...]
 *       print the candidate ports, one a line (the site's range's, then
 *       the fallback's)
 * The candidates come from SLURM_SPANK_SPARK_RENDEZVOUS, as in the helper
 * (refused without it); a client with --port needs none.
 */
#include "os.h"
#include "helper.h"
#include "log.h"
#include "net.h"
#include "proc.h"
#include "rendezvous.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tool {
	struct ss_site site;
	uint32_t job, step;
	int count;
	bool replay;
	const char *target;
	long port;
};

/* As the driver does: welcome each registration at once. */
static void welcome(void *arg, struct rdv_peer *p)
{
	struct rdv_server *s = arg;
	json_t *msg = json_pack(
	    "{s:s, s:i, s:I, s:I, s:s, s:s, s:b}", "type", "welcome", "v",
	    PROTO_VERSION, "job", (json_int_t)s->job, "step",
	    (json_int_t)s->step, "app_id", "slurm-test", "secret",
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    "encrypt", 0);

	log_verbose("registered node %d (%s) from %s", p->node, p->host,
		    p->from);
	if (!msg || rdv_server_send(s, p, msg) < 0)
		log_error("cannot welcome node %d", p->node);
	json_decref(msg);
}

static int server(struct tool *t, int signal_fd)
{
	struct proto proto = {0};
	struct rdv_server s = {.proto = &proto,
			       .job = t->job,
			       .step = t->step,
			       .uid = getuid(),
			       .listen_fd = -1,
			       .expected = t->count,
			       .on_register = welcome};
	struct pollfd *pfd = NULL;
	char err[256];
	long deadline = ss_now_ms() + t->site.startup_timeout * 1000;
	long started = 0;
	int rc = 1;

	s.arg = &s;
	if (rdv_seed(&s.seed))
		goto out;
	if (proto_init(&proto, t->site.munge_socket, err, sizeof(err)) ||
	    rdv_server_open(&s, &t->site, NULL, err, sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	printf("listening on port %u\n", s.port);
	fflush(stdout);
	while (s.registered < s.expected && ss_now_ms() < deadline) {
		size_t need = rdv_server_nfds(&s) + 1;
		struct pollfd *grown = realloc(pfd, need * sizeof(*pfd));
		bool chld = false;
		nfds_t n;

		if (!grown)
			goto out;
		pfd = grown;
		pfd[0] = (struct pollfd){.fd = signal_fd, .events = POLLIN};
		n = 1 + rdv_server_pollfds(&s, pfd + 1);
		poll(pfd, n, rdv_server_timeout(&s, 1000));
		if (signals_read(signal_fd, &chld))
			goto out;
		if (!started && s.npeers)
			started = ss_now_ms();
		rdv_server_handle(&s, pfd + 1, n - 1);
	}
	printf("registered %d/%d, refused %d, in %ld ms\n", s.registered,
	       s.expected, s.refused, started ? ss_now_ms() - started : 0);
	if (s.registered < s.expected)
		goto out;
	rdv_server_stop(&s, 0, true);
	rc = 0;
out:
	fflush(stdout);
	free(pfd);
	rdv_server_close(&s);
	proto_fini(&proto);
	return rc;
}

static json_t *registration(const struct tool *t, int node)
{
	char host[32];

	snprintf(host, sizeof(host), "sim%d", node);
	return json_pack("{s:s, s:i, s:I, s:I, s:i, s:s, s:i, s:i}", "type",
			 "register", "v", PROTO_VERSION, "job",
			 (json_int_t)t->job, "step", (json_int_t)t->step,
			 "node", node, "host", host, "cores", 1, "memory_mb",
			 1024);
}

/* The same sealed registration on a second connection: munge must refuse
 * the credential, and its nonce belongs to the first connection anyway. */
static int replay(struct tool *t, struct proto *proto, const char *addr,
		  uint16_t port)
{
	char err[256], buf[PROTO_FRAME_MAX], *frame = NULL;
	json_t *reg = registration(t, 0), *hello = NULL, *msg;
	int first = -1, second = -1, rc = 1;
	size_t len;

	first = net_connect(addr, port, 2000);
	if (first < 0 || !reg ||
	    !(hello = rdv_expect(proto, first, "hello", t->job, t->step, 3000,
				 err, sizeof(err))) ||
	    json_object_set(reg, "nonce", json_object_get(hello, "nonce")) ||
	    json_object_set_new(reg, "port", json_integer(port)) ||
	    !(frame = proto_seal(proto, reg, PROTO_NO_UID_RESTRICTION, &len,
				 err, sizeof(err))) ||
	    proto_send(first, frame, len) ||
	    !(msg = rdv_expect(proto, first, "welcome", t->job, t->step, 10000,
			       err, sizeof(err)))) {
		printf("first registration: no welcome\n");
		goto out;
	}
	json_decref(msg);
	printf("first registration: welcomed\n");
	second = net_connect(addr, port, 2000);
	if (second < 0 || proto_recv(second, buf, sizeof(buf), 3000) != 0 ||
	    proto_send(second, frame, len)) {
		printf("replay: cannot send\n");
		goto out;
	}
	if (proto_recv(second, buf, sizeof(buf), 5000) == 0) {
		printf("replay: ANSWERED\n");
	} else {
		printf("replay: refused\n");
		rc = 0;
	}
out:
	fflush(stdout);
	free(frame);
	json_decref(reg);
	json_decref(hello);
	if (first >= 0)
		close(first);
	if (second >= 0)
		close(second);
	return rc;
}

static int client(struct tool *t)
{
	struct proto proto = {0};
	const char *addr = t->target ? t->target : "127.0.0.1";
	long start = ss_now_ms();
	uint16_t port = (uint16_t)t->port;
	uint64_t seed = 0;
	char err[256] = "no answer";
	long deadline = ss_now_ms() + t->site.startup_timeout * 1000;
	int welcomed = 0, rc = 1, *fds;

	if (!port && rdv_seed(&seed))
		return rc;
	if (proto_init(&proto, t->site.munge_socket, err, sizeof(err))) {
		log_error("%s", err);
		return rc;
	}
	if (t->replay) {
		rc = replay(t, &proto, addr, port);
		proto_fini(&proto);
		return rc;
	}
	/* All hold their connection until the server stops them. */
	fds = calloc((size_t)t->count, sizeof(*fds));
	for (int i = 0; fds && i < t->count; i++) {
		json_t *reg = registration(t, i), *welcome = NULL;

		fds[i] = -1;
		/* Without --port, as an executor does: every candidate, again
		 * and again until the deadline. */
		if (reg && !t->port)
			fds[i] = rdv_register(&proto, &t->site, seed, addr,
					      t->job, t->step, reg, deadline,
					      -1, &welcome, err, sizeof(err));
		else if (reg &&
			 rdv_join(&proto, addr, port, RDV_HELLO_TIMEOUT_MS, reg,
				  t->job, t->step, &welcome, &fds[i], err,
				  sizeof(err)) < 0)
			fds[i] = -1;
		if (fds[i] >= 0)
			welcomed++;
		else
			printf("refused: %s\n", err);
		json_decref(reg);
		json_decref(welcome);
	}
	for (int i = 0; fds && i < t->count; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	printf("welcomed %d/%d in %ld ms\n", welcomed, t->count,
	       ss_now_ms() - start);
	fflush(stdout);
	proto_fini(&proto);
	return welcomed == t->count ? 0 : rc;
}

int main(int argc, char **argv)
{
	struct tool t = {.count = 1};
	char **site = calloc((size_t)argc, sizeof(*site)), err[256];
	int nsite = 0, signal_fd;
	long v;

	if (argc < 2 || !site ||
	    (strcmp(argv[1], "server") && strcmp(argv[1], "client") &&
	     strcmp(argv[1], "ports"))) {
		fprintf(stderr, "usage: rdvtool server|client|ports --job=J "
				"--step=S [--count=K] [--port=P] "
				"[--target=ADDR] [--replay] [KEY=VALUE ...]\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "--job=", 6) &&
		    !ss_parse_long(a + 6, 0, UINT32_MAX, &v))
			t.job = (uint32_t)v;
		else if (!strncmp(a, "--step=", 7) &&
			 !ss_parse_long(a + 7, 0, UINT32_MAX, &v))
			t.step = (uint32_t)v;
		else if (!strncmp(a, "--count=", 8) &&
			 !ss_parse_long(a + 8, 1, 100000, &v))
			t.count = (int)v;
		else if (!strncmp(a, "--port=", 7) &&
			 !ss_parse_long(a + 7, 1, 65535, &v))
			t.port = v;
		else if (!strncmp(a, "--target=", 9))
			t.target = a + 9;
		else if (!strcmp(a, "--replay"))
			t.replay = true;
		else if (a[0] != '-' && strchr(a, '='))
			site[nsite++] = argv[i];
		else {
			fprintf(stderr, "rdvtool: bad argument %s\n", a);
			return 2;
		}
	}
	if (ss_site_parse(&t.site, nsite, site, err, sizeof(err))) {
		fprintf(stderr, "rdvtool: %s\n", err);
		return 2;
	}
	free(site);
	log_init("rdvtool", true);
	if (!strcmp(argv[1], "ports")) {
		uint64_t seed;

		if (rdv_seed(&seed))
			return 1;
		for (int i = 0; i < RDV_ALL_CANDIDATES; i++)
			printf("%u\n", rdv_port(&t.site, seed, i));
		return 0;
	}
	if ((signal_fd = signals_init()) < 0)
		return 1;
	return !strcmp(argv[1], "server") ? server(&t, signal_fd) : client(&t);
}
