/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_envp.c - the environment array srun's client-mode child execs
 * with, built before fork.
 */
#include "tap.h"
#include "envp.h"

#include <stdlib.h>
#include <string.h>

static int count(const struct ss_envp *e, const char *entry)
{
	int n = 0;

	for (size_t i = 0; e->v[i]; i++)
		n += !strcmp(e->v[i], entry);
	return n;
}

int main(void)
{
	char *base[] = {"PATH=/bin",
			"SPANK_SPARK_MODE=cluster",
			"HOME=/h",
			"SPANK_SPARK_MODE=dup",
			"SPANK_SPARK_MODEX=1",
			NULL};
	struct ss_envp e;

	ok(ss_envp_init(&e, base) == 0, "copy of a base environment");
	is_int(e.n, 5, "five entries");
	ok(e.v[0] != base[0] && !strcmp(e.v[0], "PATH=/bin"),
	   "entries are copies");
	ok(ss_envp_set(&e, "SPANK_SPARK_MODE", "client") == 0, "set");
	is_int(count(&e, "SPANK_SPARK_MODE=client"), 1, "one new entry");
	is_int(count(&e, "SPANK_SPARK_MODE=cluster") +
		   count(&e, "SPANK_SPARK_MODE=dup"),
	       0, "every old entry of the name replaced");
	is_int(count(&e, "SPANK_SPARK_MODEX=1"), 1,
	       "a longer name is another variable");
	ok(ss_envp_set(&e, "HOME", NULL) == 0 && count(&e, "HOME=/h") == 0,
	   "unset");
	ok(ss_envp_set(&e, "NOPE", NULL) == 0, "unset of an absent name");
	ok(ss_envp_set(&e, "SPANK_SPARK_CONF", "a=1\nb=2") == 0 &&
	       count(&e, "SPANK_SPARK_CONF=a=1\nb=2") == 1,
	   "a value with '=' and newlines");
	ok(ss_envp_set(&e, "", "x") == -1, "an empty name refused");
	ok(ss_envp_set(&e, "A=B", "x") == -1, "a name with '=' refused");
	ok(e.v[e.n] == NULL, "NULL-terminated");
	for (int i = 0; i < 100; i++) {
		char name[16];

		snprintf(name, sizeof(name), "V%d", i);
		ss_envp_set(&e, name, "1");
	}
	is_int(e.n, 104, "grows");
	ok(e.v[e.n] == NULL, "still NULL-terminated");
	ss_envp_free(&e);
	ok(e.v == NULL && e.n == 0, "freed");
	ok(ss_envp_init(&e, NULL) == 0 && e.n == 0 && e.v[0] == NULL,
	   "an empty environment");
	ss_envp_free(&e);
	return done_testing();
}
