/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jvm_events.c - the JVM component's event lines, parsed.
 */
#include "jvm_events.h"

#include <string.h>

/* The next word at *P, NUL-terminated in place; NULL at the end. */
static char *next_word(char **p)
{
	char *word = *p + strspn(*p, " ");

	if (!*word)
		return NULL;
	*p = word + strcspn(word, " ");
	if (**p)
		*(*p)++ = '\0';
	return word;
}

void jvm_event_parse(char *line, struct jvm_event *ev)
{
	char *p = line, *word[5] = {0};
	int n = 0;

	memset(ev, 0, sizeof(*ev));
	if (!(word[n] = next_word(&p)))
		return;
	n++;
	if (!strcmp(word[0], "executor-removed")) {
		/* The reason is the rest of the line, spaces and all. */
		if (!(ev->id = next_word(&p)))
			return;
		p += strspn(p, " ");
		ev->type = JVM_EVENT_EXECUTOR_REMOVED;
		ev->reason = *p ? p : NULL;
		return;
	}
	while (n < 5 && (word[n] = next_word(&p)))
		n++;
	if (n == 3 && !strcmp(word[0], "driver")) {
		ev->type = JVM_EVENT_DRIVER;
		ev->host = word[1];
		ev->port = word[2];
	} else if (n == 2 && !strcmp(word[0], "ui")) {
		ev->type = JVM_EVENT_UI;
		ev->url = word[1];
	} else if (n == 2 && !strcmp(word[0], "app-start")) {
		ev->type = JVM_EVENT_APP_START;
		ev->id = word[1];
	} else if (n == 4 && !strcmp(word[0], "executor-added")) {
		ev->type = JVM_EVENT_EXECUTOR_ADDED;
		ev->id = word[1];
		ev->host = word[2];
		ev->cores = word[3];
	} else if (n == 1 && !strcmp(word[0], "task-start")) {
		ev->type = JVM_EVENT_TASK_START;
	} else if (n == 1 && !strcmp(word[0], "task-end")) {
		ev->type = JVM_EVENT_TASK_END;
	} else if (n == 1 && !strcmp(word[0], "app-end")) {
		ev->type = JVM_EVENT_APP_END;
	} else if (n == 2 && !strcmp(word[0], "executors-wanted")) {
		ev->type = JVM_EVENT_EXECUTORS_WANTED;
		ev->count = word[1];
	} else if (n == 2 && !strcmp(word[0], "executor-kill")) {
		ev->type = JVM_EVENT_EXECUTOR_KILL;
		ev->id = word[1];
	}
}
