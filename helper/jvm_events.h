/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jvm_events.h - one line of the JVM component's event channel
 * (jvm/README.md, jvm/src/org/spankspark/EventChannel.java) as a struct:
 *
 *   driver <host> <port>
 *   ui <url>
 *   app-start <appId>
 *   executor-added <executorId> <host> <cores>
 *   executor-removed <executorId> <reason...>   (the reason: the rest)
 *   task-start                                  (the first task launched)
 *   task-end                                    (the first task finished)
 *   app-end
 *   executors-wanted <count>     (dynamic allocation: executors in all)
 *   executor-kill <executorId>   (dynamic allocation lets it go)
 *
 * Pure: no I/O, no state; driver_events.c acts on the result.
 */
#ifndef SPANK_SPARK_JVM_EVENTS_H
#define SPANK_SPARK_JVM_EVENTS_H

enum jvm_event_type {
	JVM_EVENT_UNKNOWN, /* another word, or the wrong number of fields */
	JVM_EVENT_DRIVER,
	JVM_EVENT_UI,
	JVM_EVENT_APP_START,
	JVM_EVENT_EXECUTOR_ADDED,
	JVM_EVENT_EXECUTOR_REMOVED,
	JVM_EVENT_TASK_START,
	JVM_EVENT_TASK_END,
	JVM_EVENT_APP_END,
	JVM_EVENT_EXECUTORS_WANTED,
	JVM_EVENT_EXECUTOR_KILL,
};

struct jvm_event {
	enum jvm_event_type type;
	/* Pointers into the parsed line, NULL when absent:
	 *   driver: host, port;  ui: url;  app-start: id;
	 *   executor-added: id, host, cores;
	 *   executor-removed: id, reason (NULL: none given);
	 *   executors-wanted: count;  executor-kill: id. */
	const char *id, *host, *port, *url, *cores, *reason, *count;
};

/* Parse LINE (one line without its newline; cut into words in place). */
void jvm_event_parse(char *line, struct jvm_event *ev);

#endif
