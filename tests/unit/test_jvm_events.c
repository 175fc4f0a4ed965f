/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_jvm_events.c - the parser of the JVM component's event lines
 * (helper/jvm_events.c), as driver_events.c's on_event uses it.
 */
#include "tap.h"

#include "jvm_events.h"

static struct jvm_event parse(const char *text)
{
	static char line[512];
	struct jvm_event ev;

	snprintf(line, sizeof(line), "%s", text);
	jvm_event_parse(line, &ev);
	return ev;
}

int main(void)
{
	struct jvm_event ev;

	ev = parse("driver 10.0.0.1 40123");
	is_int(ev.type, JVM_EVENT_DRIVER, "driver HOST PORT");
	is_str(ev.host, "10.0.0.1", "...its host");
	is_str(ev.port, "40123", "...its port");
	is_int(parse("driver 10.0.0.1").type, JVM_EVENT_UNKNOWN,
	       "driver without a port is not an event");
	is_int(parse("driver 10.0.0.1 1 2").type, JVM_EVENT_UNKNOWN,
	       "driver with a field too many is not an event");

	ev = parse("ui http://10.0.0.1:4040");
	is_int(ev.type, JVM_EVENT_UI, "ui URL");
	is_str(ev.url, "http://10.0.0.1:4040", "...its URL");

	ev = parse("app-start spark-slurm-12.0");
	is_int(ev.type, JVM_EVENT_APP_START, "app-start ID");
	is_str(ev.id, "spark-slurm-12.0", "...its id");

	ev = parse("executor-added 3 node2 4");
	is_int(ev.type, JVM_EVENT_EXECUTOR_ADDED,
	       "executor-added ID HOST CORES");
	is_str(ev.id, "3", "...its id");
	is_str(ev.host, "node2", "...its host");
	is_str(ev.cores, "4", "...its cores");
	is_int(parse("executor-added 3 node2").type, JVM_EVENT_UNKNOWN,
	       "executor-added without cores is not an event");

	ev = parse("executor-removed 2 Command exited with code 137");
	is_int(ev.type, JVM_EVENT_EXECUTOR_REMOVED,
	       "executor-removed ID REASON");
	is_str(ev.id, "2", "...its id");
	is_str(ev.reason, "Command exited with code 137",
	       "...the reason is the rest of the line, spaces kept");
	ev = parse("executor-removed 2");
	is_int(ev.type, JVM_EVENT_EXECUTOR_REMOVED,
	       "executor-removed without a reason");
	ok(ev.reason == NULL, "...has no reason");
	is_int(parse("executor-removed").type, JVM_EVENT_UNKNOWN,
	       "executor-removed without an id is not an event");

	is_int(parse("app-end").type, JVM_EVENT_APP_END, "app-end");
	is_int(parse("task-start").type, JVM_EVENT_TASK_START,
	       "task-start: the first task launched");
	is_int(parse("task-end").type, JVM_EVENT_TASK_END,
	       "task-end: the first task finished");
	is_int(parse("task-end 3").type, JVM_EVENT_UNKNOWN,
	       "task-end with a field is not an event");
	is_int(parse("app-end now").type, JVM_EVENT_UNKNOWN,
	       "app-end with a field is not an event");
	ev = parse("executors-wanted 4");
	is_int(ev.type, JVM_EVENT_EXECUTORS_WANTED, "executors-wanted COUNT");
	is_str(ev.count, "4", "...its count");
	is_int(parse("executors-wanted").type, JVM_EVENT_UNKNOWN,
	       "executors-wanted without a count is not an event");
	is_int(parse("executors-wanted 4 5").type, JVM_EVENT_UNKNOWN,
	       "executors-wanted with two counts is not an event");
	ev = parse("executor-kill 7");
	is_int(ev.type, JVM_EVENT_EXECUTOR_KILL, "executor-kill ID");
	is_str(ev.id, "7", "...its id");
	is_int(parse("executor-kill").type, JVM_EVENT_UNKNOWN,
	       "executor-kill without an id is not an event");
	is_int(parse("").type, JVM_EVENT_UNKNOWN, "an empty line");
	is_int(parse("   ").type, JVM_EVENT_UNKNOWN, "a blank line");
	is_int(parse("executor-lost 1 x").type, JVM_EVENT_UNKNOWN,
	       "an unknown word");
	ev = parse("  ui   http://h:1  ");
	is_int(ev.type, JVM_EVENT_UI, "extra spaces between words are one");
	is_str(ev.url, "http://h:1", "...and do not reach a field");
	return done_testing();
}
