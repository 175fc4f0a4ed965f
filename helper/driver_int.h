/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * driver_int.h - private to the driver side's files (driver*.c): its state,
 * struct driver, and the functions one of them calls in another.
 */
#ifndef SPANK_SPARK_DRIVER_INT_H
#define SPANK_SPARK_DRIVER_INT_H

#include "dynalloc.h"
#include "executor_jvms.h"
#include "helper.h"
#include "proc.h"
#include "rendezvous.h"
#include "spark_conf.h"

enum driver_state { STARTING, RUNNING, DONE };

/* --spark-elastic: one join job per extra node slot (driver_elastic.c). */
enum join_state { JOIN_FREE, JOIN_PENDING, JOIN_JOINED };
struct join_slot {
	enum join_state state;
	uint32_t job;  /* its Slurm job; 0: none */
	int uses;      /* join jobs that had this slot, ever */
	bool released; /* told to stop: its end is no loss */
};

#define LATECOMER_WAIT_MS 10000
/* As a shell says "command not found"-like: the app cannot be read. */
#define EXIT_APP_NOT_FOUND 2
#define EVENT_LINE_MAX 512
#define CONNECT_POLL_MS 250
/* A lost executor is told only if the step is not ending by then: on
 * scancel or the time limit every node stops at once, and the driver side
 * may hear of its executors' end before its own signal. */
#define LOSS_REPORT_DELAY_MS 2000

struct driver {
	struct helper *h;
	struct proto proto;
	struct rdv_server rdv;
	enum driver_state state;
	bool have_addr;
	bool encrypt;
	struct executors local; /* this node's own executors, if any */
	int local_n;
	int expected;	/* executors in all */
	int registered; /* ...that registered with the driver */
	int nodes_seen; /* registrations accepted, ever */
	int per_node;	/* executors on each node */
	int *added;	/* executors registered with Spark, per node */
	/* JVMs each node was asked to run; with dynamic allocation Spark
	 * moves it (executors-wanted, executor-kill). */
	struct dynalloc alloc;
	struct spark_dynamic dyn;
	char secret[65];
	char ui_token[65];
	char app_id[96];
	char master[64];
	char driver_url[160];
	char ui_url[256];
	struct child submit;
	int event_fd; /* the JVM component's events (a FIFO, read-write) */
	int evlog_fd; /* the event log's directory (eventlog_step.h); -1: none
		       */
	char evlog_claimed[200]; /* its file, claimed before Spark writes it */
	char event_line[EVENT_LINE_MAX];
	size_t event_len;
	bool app_started;
	bool app_ended; /* the application's end event: losses are quiet */
	/* Losses to tell at losses_at_ms, one per line, unless the step ends
	 * first. */
	char losses[1024];
	size_t losses_len;
	long losses_at_ms;
	bool interrupted; /* by a signal: Slurm ends the other tasks */
	bool node_failed; /* a node's executor side left during start-up */
	/* One left without a word (killed): said and failed at left_at_ms,
	 * unless the step is ending by then (Slurm killing every task). */
	char left_host[256];
	long left_at_ms;
	bool diagnosed; /* the driver's failure was said in a line */
	/* Client mode on a terminal: the application (pyspark, spark-shell)
	 * owns it, Ctrl-C included. */
	bool interactive;
	int exit_code;
	long deadline_ms;
	/* --spark-connect (common/connect.h) */
	bool connect;
	bool connect_ready;
	uint16_t connect_port;
	int connect_v6_fd; /* [::1]:connect_port, held (net.h); -1: none */
	char connect_token[65];
	char connect_url[160];
	struct child cmd; /* the step's command, beside the server */
	/* --spark-elastic (elastic.h); elastic 0: off */
	int elastic;
	struct join_slot *joins; /* elastic of them: nodes nnodes.. */
	int want;		 /* executors Spark wants in all */
	char join_token[65];
	char join_file[PATH_MAX + 80];
	bool join_file_written;
	long join_retry_ms; /* after sbatch refused: not before this */
	long join_cores, join_mem_mb;
	long join_check_ms; /* next look at pending join jobs in squeue */
};

/* driver.c */
void stop_latecomers(struct driver *d, int signal_fd);
/* driver_peers.c */
void send_driver_url(struct driver *d, struct rdv_peer *p);
void on_register(void *arg, struct rdv_peer *p);
void on_lost(void *arg, struct rdv_peer *p);
void tell_node(struct driver *d, int node, const char *type, long id);
/* driver_events.c */
void report_loss_later(struct driver *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void report_losses(struct driver *d, bool ending);
void all_registered(struct driver *d);
void read_events(struct driver *d);
void grow_to_want(struct driver *d);
/* driver_connect.c */
int connect_listening(struct driver *d);
int connect_serve(struct driver *d);
int check_connect(const struct helper *h);
/* driver_preflight.c */
int check_application(const struct helper *h);
int plan_executors(struct driver *d, char *err, size_t errlen);
/* driver_elastic.c */
int elastic_setup(struct driver *d, char *err, size_t errlen);
void elastic_wanted(struct driver *d);
bool elastic_is_join(const struct driver *d, int node);
void elastic_registered(struct driver *d, struct rdv_peer *p);
bool elastic_lost(struct driver *d, struct rdv_peer *p);
void elastic_node_idle(struct driver *d, int node);
void elastic_end(struct driver *d);
int elastic_gen_base(const struct driver *d, int node);
/* Every JOIN_CHECK_MS while join jobs are pending: those Slurm no longer
 * lists ended without joining (their helper failed: its log says why);
 * their slots are free again. */
#define JOIN_CHECK_MS 30000
void elastic_check_pending(struct driver *d);
/* driver_timeout.c */
void startup_timed_out(struct driver *d);

#endif
