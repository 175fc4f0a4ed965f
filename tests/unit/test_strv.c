/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_strv.c - common/strv.c: growing argv arrays, and Java options split
 * as Spark's Utils.splitCommandString splits them.
 */
#include "tap.h"

#include "strv.h"

/* The words of CMD, each in [], e.g. "[a][b c]". */
static const char *split(const char *cmd)
{
	static char out[1024];
	struct strv s = {0};
	char **v;
	size_t n = 0;

	strv_add_split(&s, cmd, "app-7", "3");
	v = strv_take(&s);
	out[0] = '\0';
	for (char **p = v; p && *p; p++)
		n += (size_t)snprintf(out + n, sizeof(out) - n, "[%s]", *p);
	if (!v)
		snprintf(out, sizeof(out), "(failed)");
	strv_free(v);
	return out;
}

int main(void)
{
	struct strv s = {0};
	char **v;

	strv_add(&s, "java");
	strv_addf(&s, "-Xmx%dm", 512);
	for (int i = 0; i < 40; i++)
		strv_addf(&s, "-Da%d=%d", i, i);
	v = strv_take(&s);
	ok(v && !strcmp(v[0], "java") && !strcmp(v[1], "-Xmx512m") &&
	       !strcmp(v[41], "-Da39=39") && v[42] == NULL,
	   "42 strings, in order, NULL-terminated");
	ok(s.v == NULL && s.n == 0, "strv_take leaves it empty");
	strv_free(v);
	v = strv_take(&s);
	ok(v && v[0] == NULL, "an empty one is an empty array");
	strv_free(v);
	strv_free(NULL);
	ok(1, "strv_free(NULL) is harmless");

	is_str(split("-Da=1  -Db=2\t-Dc=3\n"), "[-Da=1][-Db=2][-Dc=3]",
	       "words split at any blank, runs of blanks are one");
	is_str(split(""), "", "nothing: no word");
	is_str(split("   "), "", "blanks only: no word");
	is_str(split("-Dx='a b' \"-Dy=c d\""), "[-Dx=a b][-Dy=c d]",
	       "single and double quotes keep blanks");
	is_str(split("-Dx=\"a\\\"b\\\\c\""), "[-Dx=a\"b\\c]",
	       "a backslash escapes inside double quotes");
	is_str(split("-Dx='a\\b'"), "[-Dx=a\\b]",
	       "...but not inside single quotes");
	is_str(split("-Dx=a\\b"), "[-Dx=a\\b]", "...nor outside quotes");
	is_str(split("''"), "[]", "an empty quoted word is a word");
	is_str(split("-Dx='open"), "[-Dx=open]",
	       "an unclosed quote ends with the text");
	is_str(split("-Dapp={{APP_ID}} -Dexec={{EXECUTOR_ID}}-{{EXECUTOR_ID}}"),
	       "[-Dapp=app-7][-Dexec=3-3]",
	       "{{APP_ID}} and {{EXECUTOR_ID}} are replaced");
	is_str(split("{{APP_ID"), "[{{APP_ID]", "a partial marker stays");
	return done_testing();
}
