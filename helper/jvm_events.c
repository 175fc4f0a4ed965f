/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jvm_events.c - the JVM component's event lines, parsed.
 */
#include "jvm_events.h"

#include <stddef.h>
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

/* Each event with a fixed number of words: its first word, how many in
 * all, and the member of struct jvm_event that each word after the first
 * points to. */
#define MEMBER(m) offsetof(struct jvm_event, m)
static const struct {
	const char *name;
	int words;
	enum jvm_event_type type;
	size_t member[3];
} shapes[] = {
    {"driver", 3, JVM_EVENT_DRIVER, {MEMBER(host), MEMBER(port)}},
    {"ui", 2, JVM_EVENT_UI, {MEMBER(url)}},
    {"app-start", 2, JVM_EVENT_APP_START, {MEMBER(id)}},
    {"executor-added",
     4,
     JVM_EVENT_EXECUTOR_ADDED,
     {MEMBER(id), MEMBER(host), MEMBER(cores)}},
    {"task-start", 1, JVM_EVENT_TASK_START, {0}},
    {"task-end", 1, JVM_EVENT_TASK_END, {0}},
    {"app-end", 1, JVM_EVENT_APP_END, {0}},
    {"executors-wanted", 2, JVM_EVENT_EXECUTORS_WANTED, {MEMBER(count)}},
    {"executor-kill", 2, JVM_EVENT_EXECUTOR_KILL, {MEMBER(id)}},
};

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
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		if (n != shapes[i].words || strcmp(word[0], shapes[i].name))
			continue;
		ev->type = shapes[i].type;
		for (int w = 1; w < n; w++)
			*(const char **)((char *)ev + shapes[i].member[w - 1]) =
			    word[w];
		return;
	}
}
