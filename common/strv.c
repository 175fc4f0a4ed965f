/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strv.c - NULL-terminated arrays of malloc'd strings.
 */
#include "strv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Take ownership of STR (NULL: an allocation that failed). */
static void push(struct strv *s, char *str)
{
	if (!str || s->failed) {
		free(str);
		s->failed = true;
		return;
	}
	if (s->n + 2 > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		char **v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			free(str);
			s->failed = true;
			return;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
}

void strv_add(struct strv *s, const char *str)
{
	push(s, strdup(str));
}

void strv_addf(struct strv *s, const char *fmt, ...)
{
	char *str = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&str, fmt, ap) < 0)
		str = NULL;
	va_end(ap);
	push(s, str);
}

/* WORD (LEN bytes) with the ids substituted, added. */
static void add_word(struct strv *s, const char *word, size_t len,
		     const char *app_id, const char *exec_id)
{
	static const char app[] = "{{APP_ID}}", exec[] = "{{EXECUTOR_ID}}";
	size_t max = len * (strlen(app_id) + strlen(exec_id) + 1) + 1, o = 0;
	char *out = malloc(max);

	for (size_t i = 0; out && i < len;) {
		if (len - i >= sizeof(app) - 1 &&
		    !memcmp(word + i, app, sizeof(app) - 1)) {
			o += (size_t)sprintf(out + o, "%s", app_id);
			i += sizeof(app) - 1;
		} else if (len - i >= sizeof(exec) - 1 &&
			   !memcmp(word + i, exec, sizeof(exec) - 1)) {
			o += (size_t)sprintf(out + o, "%s", exec_id);
			i += sizeof(exec) - 1;
		} else {
			out[o++] = word[i++];
		}
	}
	if (out)
		out[o] = '\0';
	push(s, out);
}

/* Character.isWhitespace, for ASCII. */
static bool java_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

void strv_add_split(struct strv *s, const char *cmd, const char *app_id,
		    const char *exec_id)
{
	size_t len = strlen(cmd), n = 0;
	char *word = malloc(len + 1);
	bool in_word = false, single = false, dbl = false;

	if (!word) {
		s->failed = true;
		return;
	}
	for (size_t i = 0; i < len; i++) {
		char c = cmd[i];

		if (dbl) {
			if (c == '"')
				dbl = false;
			else if (c == '\\' && i + 1 < len)
				word[n++] = cmd[++i];
			else if (c != '\\')
				word[n++] = c;
		} else if (single) {
			if (c == '\'')
				single = false;
			else
				word[n++] = c;
		} else if (c == '"' || c == '\'') {
			in_word = true;
			dbl = c == '"';
			single = c == '\'';
		} else if (!java_space(c)) {
			word[n++] = c;
			in_word = true;
		} else if (in_word) {
			add_word(s, word, n, app_id, exec_id);
			n = 0;
			in_word = false;
		}
	}
	if (in_word || single || dbl)
		add_word(s, word, n, app_id, exec_id);
	free(word);
}

char **strv_take(struct strv *s)
{
	char **v = s->v;

	if (s->failed) {
		strv_free(v);
		v = NULL;
	} else if (!v) {
		v = calloc(1, sizeof(*v));
	}
	*s = (struct strv){0};
	return v;
}

void strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++) {
		explicit_bzero(*p, strlen(*p));
		free(*p);
	}
	free(v);
}
