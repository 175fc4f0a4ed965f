/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * driver.c - the driver side of a Spark step: node 0 in cluster mode, the
 * srun host in client mode.
 *
 *   1. listen for executor registrations; start the step's private Master;
 *   2. once the Master is ALIVE, welcome the executors (master URL and the
 *      secret, munge-sealed for the job owner only); they start Workers;
 *   3. once every Worker registered with the Master (read from its log, no
 *      polling), run spark-submit --deploy-mode client against it;
 *   4. when it ends, tell the executors to stop (with its exit status),
 *      stop Master and Workers, remove the scratch, exit with that status.
 * A signal, srun's end (client mode) or the start-up timeout go straight
 * to 4.
 */
#include "helper.h"
#include "log.h"
#include "net.h"
#include "proc.h"
#include "rendezvous.h"
#include "spark.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum driver_state { STARTING, RUNNING, DONE };

#define LATECOMER_WAIT_MS 10000
/* As a shell says "command not found"-like: the app cannot be read. */
#define EXIT_APP_NOT_FOUND 2

struct driver {
	struct helper *h;
	struct proto proto;
	struct rdv_server rdv;
	enum driver_state state;
	bool have_addr;
	bool master_alive;
	bool local_worker; /* this node runs a Worker too */
	int workers_expected;
	int workers_up;
	long min_cores, min_mem_mb; /* smallest executor node */
	char secret[65];
	uint16_t ports[8];
	size_t nports;
	char master_url[128];
	struct child master, worker, submit;
	json_t *welcome;
	bool app_started;
	bool interrupted; /* by a signal: Slurm ends the other tasks */
	/* Client mode on a terminal: the application (pyspark, spark-shell)
	 * owns it, Ctrl-C included. */
	bool interactive;
	int exit_code;
	long deadline_ms;
};

static int pick_port(struct driver *d, uint16_t *port)
{
	uint32_t seed =
	    d->h->job * 7919U + d->h->step * 31U + (uint32_t)d->nports * 101U;

	if (d->nports == sizeof(d->ports) / sizeof(d->ports[0]) ||
	    net_pick_port(&d->h->site, seed, d->ports, d->nports, port) < 0) {
		log_error("no free port left in the site's range %u-%u",
			  d->h->site.port_lo, d->h->site.port_hi);
		return -1;
	}
	d->ports[d->nports++] = *port;
	return 0;
}

static void note_resources(struct driver *d, long cores, long mem_mb)
{
	if (!d->min_cores || cores < d->min_cores)
		d->min_cores = cores;
	if (!d->min_mem_mb || mem_mb < d->min_mem_mb)
		d->min_mem_mb = mem_mb;
}

/* Keys both the Master/Workers and the application need. */
static int security_conf(struct driver *d, json_t *conf)
{
	const struct helper *h = d->h;
	bool want = h->site.encryption == SS_ENC_REQUIRED;

	if (h->opts.value[SS_OPT_ENCRYPTION])
		ss_parse_bool(h->opts.value[SS_OPT_ENCRYPTION], &want);
	if (want && h->site.encryption == SS_ENC_OFF) {
		log_error("--spark-encryption=on: this site turned "
			  "encryption off (encryption= in plugstack.conf)");
		return -1;
	}
	if (!want && h->site.encryption == SS_ENC_REQUIRED) {
		log_error("--spark-encryption=off: this site requires "
			  "encryption (encryption= in plugstack.conf)");
		return -1;
	}
	json_object_set_new(conf, "spark.authenticate", json_string("true"));
	json_object_set_new(conf, "spark.authenticate.secret",
			    json_string(d->secret));
	json_object_set_new(conf, "spark.master.rest.enabled",
			    json_string("false"));
	if (want) {
		json_object_set_new(conf, "spark.network.crypto.enabled",
				    json_string("true"));
		json_object_set_new(conf, "spark.io.encryption.enabled",
				    json_string("true"));
	}
	return 0;
}

static void on_master_line(void *arg, const char *line)
{
	struct driver *d = arg;

	if (strstr(line, "New state: ALIVE")) {
		d->master_alive = true;
		log_verbose("Spark master up at %s", d->master_url);
	} else if (strstr(line, "Registering worker ")) {
		d->workers_up++;
		log_info("%d/%d executors registered", d->workers_up,
			 d->workers_expected);
	} else if (strstr(line, "Removing worker ") && d->state != STARTING) {
		log_info("the Master lost a Worker: %s",
			 strstr(line, "Removing worker "));
	}
}

static void on_worker_line(void *arg, const char *line)
{
	(void)arg;
	if (strstr(line, "Successfully registered with master"))
		log_verbose("local Worker registered");
}

static void on_register(void *arg, struct rdv_peer *p)
{
	struct driver *d = arg;

	log_verbose("executor on %s (%s) registered: %ld cores, %ld MiB",
		    p->host, p->from, p->cores, p->memory_mb);
	note_resources(d, p->cores, p->memory_mb);
	/* Client mode without a site network: our address is the one the
	 * executors reached us on. */
	if (!d->have_addr && p->local[0]) {
		snprintf(d->h->addr, sizeof(d->h->addr), "%s", p->local);
		d->have_addr = true;
	}
}

static void on_lost(void *arg, struct rdv_peer *p)
{
	struct driver *d = arg;

	if (d->state == RUNNING)
		log_info("lost the executor on %s; Spark reschedules its "
			 "tasks",
			 p->host);
	else
		log_error("the executor on %s left during start-up", p->host);
}

static int start_master(struct driver *d)
{
	struct helper *h = d->h;
	char port[8], ui[8];
	const char *args[] = {"--host",	      h->addr, "--port", port,
			      "--webui-port", ui,      NULL};
	uint16_t mport, uiport;
	json_t *conf = json_object();
	int rc = -1;

	if (!conf || pick_port(d, &mport) || pick_port(d, &uiport) ||
	    security_conf(d, conf))
		goto out;
	snprintf(d->master_url, sizeof(d->master_url), "spark://%s:%u", h->addr,
		 mport);
	snprintf(port, sizeof(port), "%u", mport);
	snprintf(ui, sizeof(ui), "%u", uiport);
	d->master.on_line = on_master_line;
	d->master.arg = d;
	if (spark_start_daemon(h, &d->master,
			       "org.apache.spark.deploy.master.Master", conf,
			       "master.properties", "master.log", args))
		goto out;
	d->welcome = json_pack("{s:s, s:i, s:I, s:I, s:s, s:O}", "type",
			       "welcome", "v", PROTO_VERSION, "job",
			       (json_int_t)h->job, "step", (json_int_t)h->step,
			       "master", d->master_url, "conf", conf);
	log_info("Spark master %s (UI http://%s:%u), log in %s", d->master_url,
		 h->addr, uiport, h->log_dir);
	rc = d->welcome ? 0 : -1;
out:
	json_decref(conf);
	return rc;
}

/* The Worker of this node, when it also runs executors. */
static int start_local_worker(struct driver *d)
{
	struct helper *h = d->h;
	long node_cores, node_mem, ec, em, n = spark_executors_per_node(h);
	uint16_t ports[2];
	json_t *conf = json_object();
	int rc = -1;

	spark_node_resources(h, &node_cores, &node_mem);
	spark_executor_size(h, node_cores, node_mem, &ec, &em);
	d->worker.on_line = on_worker_line;
	d->worker.arg = d;
	if (conf && !pick_port(d, &ports[0]) && !pick_port(d, &ports[1]) &&
	    !security_conf(d, conf))
		rc = spark_start_worker(h, &d->worker, d->master_url, conf,
					n * ec, n * em, ports);
	json_decref(conf);
	return rc;
}

/* The application's properties: ours, the user's file, the user's
 * --spark-conf, then the security keys nobody overrides. */
static int write_app_conf(struct driver *d, long exec_cores, long exec_mem_mb)
{
	struct helper *h = d->h;
	char path[PATH_MAX + 32], v[PATH_MAX + 64], err[256] = "";
	json_t *conf = json_object(), *forced = json_object();
	uint16_t dport, bport, uiport;
	long n = spark_executors_per_node(h);
	long span = h->site.port_hi - h->site.port_lo;
	int rc = -1;

	if (!conf || !forced || pick_port(d, &dport) || pick_port(d, &bport) ||
	    pick_port(d, &uiport) || security_conf(d, forced))
		goto out;
#define SET(k, ...)                                                            \
	do {                                                                   \
		snprintf(v, sizeof(v), __VA_ARGS__);                           \
		json_object_set_new(conf, k, json_string(v));                  \
	} while (0)
	SET("spark.driver.host", "%s", h->addr);
	SET("spark.driver.bindAddress", "%s", h->addr);
	SET("spark.driver.port", "%u", dport);
	SET("spark.driver.blockManager.port", "%u", bport);
	/* Executors try this port and the next ones: stay in the range. */
	SET("spark.blockManager.port", "%u", h->site.port_lo);
	SET("spark.port.maxRetries", "%ld", span < 100 ? span : 100);
	SET("spark.ui.port", "%u", uiport);
	SET("spark.executor.cores", "%ld", exec_cores);
	SET("spark.executor.memory", "%ldm", exec_mem_mb);
	SET("spark.cores.max", "%ld",
	    exec_cores * n * (long)d->workers_expected);
	SET("spark.scheduler.minRegisteredResourcesRatio", "1.0");
	SET("spark.scheduler.maxRegisteredResourcesWaitingTime", "%lds",
	    h->site.startup_timeout);
	SET("spark.pyspark.python", "%s", h->site.python);
	SET("spark.pyspark.driver.python", "%s", h->site.python);
	SET("spark.driver.extraJavaOptions", "-Djava.io.tmpdir=%s/tmp",
	    h->step_dir);
	if (h->site.event_log_dir[0]) {
		SET("spark.eventLog.enabled", "true");
		SET("spark.eventLog.dir", "%s", h->site.event_log_dir);
	}
	if (h->opts.value[SS_OPT_DRIVER_CORES])
		SET("spark.driver.cores", "%s",
		    h->opts.value[SS_OPT_DRIVER_CORES]);
	for (size_t i = 0; i < h->opts.n_conf; i++) {
		size_t klen = ss_conf_key_len(h->opts.conf[i]);
		char key[260];

		snprintf(key, sizeof(key), "%.*s", (int)klen, h->opts.conf[i]);
		/* Delete first: a later pair then also comes later. */
		json_object_del(conf, key);
		json_object_set_new(conf, key,
				    json_string(h->opts.conf[i] + klen + 1));
	}
#undef SET
	snprintf(path, sizeof(path), "%s/conf/spark-defaults.conf",
		 h->step_dir);
	if (spark_write_properties(path, conf,
				   h->opts.value[SS_OPT_PROPERTIES_FILE],
				   forced, err, sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	/* The console shows warnings; the full driver log goes to a file. */
	snprintf(path, sizeof(path), "%s/conf/log4j2.properties", h->step_dir);
	{
		FILE *f = fopen(path, "wxe");

		if (!f ||
		    fprintf(f,
			    "rootLogger.level = info\n"
			    "rootLogger.appenderRef.console.ref = console\n"
			    "rootLogger.appenderRef.file.ref = file\n"
			    "appender.console.type = Console\n"
			    "appender.console.name = console\n"
			    "appender.console.target = SYSTEM_ERR\n"
			    "appender.console.layout.type = PatternLayout\n"
			    "appender.console.layout.pattern = %%d{HH:mm:ss} "
			    "%%p %%c{1}: %%m%%n\n"
			    "appender.console.filter.threshold.type = "
			    "ThresholdFilter\n"
			    "appender.console.filter.threshold.level = warn\n"
			    "logger.hadoop.name = "
			    "org.apache.hadoop.util.NativeCodeLoader\n"
			    "logger.hadoop.level = error\n"
			    "appender.file.type = File\n"
			    "appender.file.name = file\n"
			    "appender.file.fileName = %s/driver.log\n"
			    "appender.file.layout.type = PatternLayout\n"
			    "appender.file.layout.pattern = %%d{yy/MM/dd "
			    "HH:mm:ss} %%p %%c{1}: %%m%%n\n",
			    h->log_dir) < 0) {
			log_error("cannot write %s", path);
			if (f)
				fclose(f);
			goto out;
		}
		fclose(f);
	}
	log_info("application UI http://%s:%u", h->addr, uiport);
	rc = 0;
out:
	json_decref(conf);
	json_decref(forced);
	return rc;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* spark-submit (or pyspark, spark-shell) with our master and options in
 * front of the user's command. */
static int start_submit(struct driver *d)
{
	struct helper *h = d->h;
	static const char *const launchers[] = {"spark-submit", "pyspark",
						"spark-shell", "spark-sql"};
	static const struct {
		enum ss_opt_id id;
		const char *flag;
	} flags[] = {
	    {SS_OPT_CLASS, "--class"},
	    {SS_OPT_NAME, "--name"},
	    {SS_OPT_JARS, "--jars"},
	    {SS_OPT_PY_FILES, "--py-files"},
	    {SS_OPT_FILES, "--files"},
	    {SS_OPT_DRIVER_MEMORY, "--driver-memory"},
	};
	const char *launcher = "spark-submit";
	char exe[PATH_MAX], conf_dir[PATH_MAX + 8];
	char **argv, **env;
	int n = 0, first = 0, rc;

	for (size_t i = 0; i < sizeof(launchers) / sizeof(*launchers); i++)
		if (!strcmp(base_name(h->app_argv[0]), launchers[i])) {
			launcher = launchers[i];
			first = 1; /* completed, not replaced */
		}
	if (first && strchr(h->app_argv[0], '/'))
		snprintf(exe, sizeof(exe), "%s", h->app_argv[0]);
	else if (spark_bin(h, launcher, exe, sizeof(exe)))
		return -1;
	argv =
	    calloc((size_t)h->app_argc + 2 * SS_OPT_COUNT + 8, sizeof(*argv));
	if (!argv)
		return -1;
	argv[n++] = exe;
	argv[n++] = "--master";
	argv[n++] = d->master_url;
	if (!strcmp(launcher, "spark-submit")) {
		argv[n++] = "--deploy-mode";
		argv[n++] = "client";
	}
	for (size_t i = 0; i < sizeof(flags) / sizeof(*flags); i++)
		if (h->opts.value[flags[i].id]) {
			argv[n++] = (char *)flags[i].flag;
			argv[n++] = h->opts.value[flags[i].id];
		}
	for (int i = first; i < h->app_argc; i++)
		argv[n++] = h->app_argv[i];
	snprintf(conf_dir, sizeof(conf_dir), "%s/conf", h->step_dir);
	if (!(env = spark_env(h, conf_dir))) {
		free(argv);
		return -1;
	}
	d->submit.name = launcher;
	d->submit.log_fd = -1;
	rc = child_start(&d->submit, argv, env, false);
	if (rc < 0)
		log_error("cannot start %s: %s", exe, strerror(errno));
	spark_env_free(env);
	free(argv);
	return rc;
}

static bool all_registered(const struct driver *d)
{
	return d->workers_up >= d->workers_expected &&
	       d->rdv.registered >= d->rdv.expected;
}

static int launch_application(struct driver *d)
{
	long ec, em;

	spark_executor_size(d->h, d->min_cores, d->min_mem_mb, &ec, &em);
	if (!d->h->opts.value[SS_OPT_EXECUTOR_MEMORY] &&
	    em * spark_executors_per_node(d->h) > d->min_mem_mb)
		log_info("executors get %ld MiB of heap each, Spark's minimum: "
			 "more than the step's %ld MiB on the smallest node; "
			 "ask for more memory (srun --mem)",
			 em, d->min_mem_mb);
	if (write_app_conf(d, ec, em) || start_submit(d))
		return -1;
	d->state = RUNNING;
	d->app_started = true;
	return 0;
}

/* Advance start-up as far as what has happened allows. */
static void step_startup(struct driver *d)
{
	struct helper *h = d->h;

	if (!d->master.started && d->have_addr && start_master(d)) {
		d->exit_code = EXIT_HELPER_FAILED;
		d->state = DONE;
		return;
	}
	if (d->master.started && d->master.pid == 0) {
		log_error("the Spark Master exited during start-up; see %s/"
			  "master.log",
			  h->log_dir);
		d->exit_code = EXIT_HELPER_FAILED;
		d->state = DONE;
		return;
	}
	if (!d->master_alive)
		return;
	rdv_server_welcome(&d->rdv, d->welcome);
	if (d->local_worker && !d->worker.started && start_local_worker(d)) {
		d->exit_code = EXIT_HELPER_FAILED;
		d->state = DONE;
		return;
	}
	if (all_registered(d) && launch_application(d)) {
		d->exit_code = EXIT_HELPER_FAILED;
		d->state = DONE;
	}
}

static void startup_timed_out(struct driver *d)
{
	log_error("start-up timed out after %lds: %d/%d executors registered "
		  "(%d/%d nodes reached the driver); logs in %s "
		  "(startup_timeout= in plugstack.conf)",
		  d->h->site.startup_timeout, d->workers_up,
		  d->workers_expected, d->rdv.registered, d->rdv.expected,
		  d->h->log_dir);
	d->exit_code = EXIT_HELPER_FAILED;
	d->state = DONE;
}

static void handle_termination(struct driver *d, int sig)
{
	log_info("%s: stopping the Spark step", strsignal(sig));
	d->interrupted = true;
	d->exit_code = 128 + sig;
	d->state = DONE;
}

static void event_loop(struct driver *d, int signal_fd)
{
	struct helper *h = d->h;
	struct child *kids[] = {&d->master, &d->worker, &d->submit};
	struct pollfd *pfd = NULL;
	size_t cap = 0;

	while (d->state != DONE) {
		size_t need = rdv_server_nfds(&d->rdv) + 5;
		nfds_t n = 0, rdv_first;
		int timeout = -1, sig;
		bool chld = false;

		if (need > cap) {
			struct pollfd *grown =
			    realloc(pfd, need * sizeof(*pfd));

			if (!grown) {
				log_error("out of memory");
				d->exit_code = EXIT_HELPER_FAILED;
				break;
			}
			pfd = grown;
			cap = need;
		}
		pfd[n++] = (struct pollfd){.fd = signal_fd, .events = POLLIN};
		pfd[n++] =
		    (struct pollfd){.fd = h->lifeline_fd, .events = POLLIN};
		pfd[n++] =
		    (struct pollfd){.fd = d->master.out_fd, .events = POLLIN};
		pfd[n++] =
		    (struct pollfd){.fd = d->worker.out_fd, .events = POLLIN};
		rdv_first = n;
		n += rdv_server_pollfds(&d->rdv, pfd + n);
		if (d->state == STARTING)
			timeout = (int)(d->deadline_ms - now_ms());
		/* Unregistered peers are timed out within seconds. */
		if (d->rdv.npeers > (size_t)d->rdv.registered &&
		    (timeout < 0 || timeout > 1000))
			timeout = 1000;
		if (poll(pfd, n, timeout < 0 ? -1 : timeout) < 0 &&
		    errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			d->exit_code = EXIT_HELPER_FAILED;
			break;
		}
		sig = signals_read(signal_fd, &chld);
		if (sig == SIGINT && d->interactive && d->state == RUNNING) {
			sig = 0; /* the shell's own Ctrl-C */
		} else if (sig) {
			handle_termination(d, sig);
			break;
		}
		if (h->lifeline_fd >= 0 && pfd[1].revents) {
			char b;

			if (read(h->lifeline_fd, &b, 1) <= 0) {
				log_verbose("srun is gone: stopping");
				d->exit_code = EXIT_HELPER_FAILED;
				d->state = DONE;
				break;
			}
		}
		child_drain(&d->master);
		child_drain(&d->worker);
		if (chld)
			children_reap(kids, 3);
		rdv_server_handle(&d->rdv, pfd + rdv_first, n - rdv_first);
		if (d->state == STARTING) {
			step_startup(d);
			if (d->state == STARTING && now_ms() >= d->deadline_ms)
				startup_timed_out(d);
		} else if (d->state == RUNNING && d->submit.started &&
			   d->submit.pid == 0) {
			d->exit_code = child_exit_code(&d->submit);
			d->state = DONE;
		}
	}
	free(pfd);
}

/* The driver side failed before the application started: executors that
 * are still on their way would wait for the whole start-up timeout.  Stay
 * a little longer and answer each registration with "stop". */
static void stop_latecomers(struct driver *d, int signal_fd)
{
	long until = now_ms() + LATECOMER_WAIT_MS;
	int told = rdv_server_stop(&d->rdv, d->exit_code, false);
	struct pollfd *pfd = NULL;

	while (told < d->rdv.expected && d->rdv.listen_fd >= 0 &&
	       now_ms() < until) {
		size_t need = rdv_server_nfds(&d->rdv) + 1;
		struct pollfd *grown = realloc(pfd, need * sizeof(*pfd));
		bool chld = false;
		nfds_t n;

		if (!grown)
			break;
		pfd = grown;
		pfd[0] = (struct pollfd){.fd = signal_fd, .events = POLLIN};
		n = 1 + rdv_server_pollfds(&d->rdv, pfd + 1);
		poll(pfd, n, (int)(until - now_ms()));
		if (signals_read(signal_fd, &chld))
			break;
		rdv_server_handle(&d->rdv, pfd + 1, n - 1);
		told += rdv_server_stop(&d->rdv, d->exit_code, false);
	}
	free(pfd);
}

/* A missing application is the commonest mistake: say so before any JVM
 * starts.  URLs and launcher names (spark-submit ...) are Spark's to
 * check. */
static int check_application(const struct helper *h)
{
	const char *app = h->app_argc > 0 ? h->app_argv[0] : NULL;

	if (!app) {
		log_error("no application given: srun --spark-mode=... app.py "
			  "[args], or app.jar with --spark-class");
		return -1;
	}
	if (strstr(app, "://") || !strchr(app, '.'))
		return 0;
	if (access(app, R_OK) < 0) {
		log_error("cannot read the application %s: %s", app,
			  strerror(errno));
		return -1;
	}
	return 0;
}

int run_driver(struct helper *h, int signal_fd)
{
	struct driver d = {.h = h, .exit_code = EXIT_HELPER_FAILED};
	struct child *kids[] = {&d.master, &d.worker};
	struct child *app[] = {&d.submit};
	char err[512];
	long cores, mem;

	d.master.out_fd = d.worker.out_fd = -1;
	d.master.log_fd = d.worker.log_fd = d.submit.log_fd = -1;
	d.rdv = (struct rdv_server){
	    .proto = &d.proto,
	    .job = h->job,
	    .step = h->step,
	    .uid = h->uid,
	    .listen_fd = -1,
	    .expected = h->role == ROLE_CLIENT_DRIVER ? (int)h->nnodes
						      : (int)h->nnodes - 1,
	    .on_register = on_register,
	    .on_lost = on_lost,
	    .arg = &d,
	};
	d.interactive = h->role == ROLE_CLIENT_DRIVER && isatty(STDIN_FILENO);
	d.submit.same_group = d.interactive;
	d.local_worker =
	    h->role == ROLE_DRIVER &&
	    (h->nnodes <= 1 || h->opts.value[SS_OPT_DRIVER_EXECUTOR] != NULL);
	d.workers_expected = d.rdv.expected + (d.local_worker ? 1 : 0);
	if (proto_init(&d.proto, h->site.munge_socket, err, sizeof(err)) ||
	    spark_make_dirs(h, err, sizeof(err)) ||
	    rdv_server_open(&d.rdv, &h->site, err, sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	if (spark_new_secret(d.secret)) {
		log_error("cannot draw a random secret: %s", strerror(errno));
		goto out;
	}
	if (d.local_worker) {
		spark_node_resources(h, &cores, &mem);
		note_resources(&d, cores, mem);
	}
	/* Client mode with no site network waits for the first executor to
	 * learn which of this host's addresses the cluster reaches. */
	if (h->role == ROLE_DRIVER || h->site.have_network ||
	    h->site.interface[0]) {
		if (net_local_addr(&h->site, NULL, h->addr, err, sizeof(err))) {
			log_error("%s", err);
			goto out;
		}
		d.have_addr = true;
	}
	if (check_application(h)) {
		d.exit_code = EXIT_APP_NOT_FOUND;
		goto out;
	}
	log_verbose("driver side of job %u step %u: rendezvous on port %u, "
		    "expecting %d executor node(s)",
		    h->job, h->step, d.rdv.port, d.rdv.expected);
	d.deadline_ms = now_ms() + h->site.startup_timeout * 1000;
	d.state = STARTING;
	step_startup(&d);
	event_loop(&d, signal_fd);
out:
	children_stop(app, 1, h->site.stop_timeout);
	if (!d.app_started && !d.interrupted)
		stop_latecomers(&d, signal_fd);
	rdv_server_stop(&d.rdv, d.exit_code, true);
	children_stop(kids, 2, h->site.stop_timeout);
	rdv_server_close(&d.rdv);
	if (d.master.log_fd >= 0)
		close(d.master.log_fd);
	if (d.worker.log_fd >= 0)
		close(d.worker.log_fd);
	json_decref(d.welcome);
	explicit_bzero(d.secret, sizeof(d.secret));
	spark_remove_dirs(h);
	proto_fini(&d.proto);
	return d.exit_code;
}
