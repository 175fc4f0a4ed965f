/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_options.c - the --spark-* option table, ss_opts_set, environment
 * defaults and cross-option checks of plugin/options.c.
 */
#include "tap.h"
#include "options.h"
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A fake environment: NULL-terminated pairs of name and value. */
static const char *fake_getenv(const char *name, void *arg)
{
	const char *const *env = arg;

	for (; env[0]; env += 2)
		if (!strcmp(env[0], name))
			return env[1];
	return NULL;
}

/* The value of KEY as Spark sees it: the last pair with that key. */
static const char *conf_value(const struct ss_opts *o, const char *key)
{
	const char *v = NULL;

	for (size_t i = 0; i < o->n_conf; i++)
		if (ss_conf_key_len(o->conf[i]) == strlen(key) &&
		    !strncmp(o->conf[i], key, strlen(key)))
			v = o->conf[i] + strlen(key) + 1;
	return v;
}

/* Set as the plugin's option callback does: mark it as from the command
 * line when accepted. */
static int cmdline(struct ss_opts *o, enum ss_opt_id id, const char *v,
		   char *err, size_t errlen)
{
	int rc = ss_opts_set(o, id, v, true, err, errlen);

	if (!rc)
		o->from_cmdline[id] = true;
	return rc;
}

static void test_table(void)
{
	int flags = 0;

	for (int id = 0; id < SS_OPT_COUNT; id++) {
		const struct ss_opt_desc *d = &ss_opt_table[id];
		char env[128] = "SPANK_SPARK_";

		ok(d->name && !strncmp(d->name, "spark-", 6) && d->env &&
		       d->usage && d->accepted,
		   "table entry %d (--%s) is complete", id,
		   d->name ? d->name : "?");
		/* SPANK_SPARK_ + the name after "spark-", upper case, - as _ */
		for (const char *p = d->name + 6; *p; p++) {
			char c = *p == '-' ? '_' : *p;
			size_t n = strlen(env);

			env[n] =
			    (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
			env[n + 1] = '\0';
		}
		is_str(d->env, env, "--%s reads %s", d->name, env);
		if (d->kind == SS_KIND_FLAG) {
			flags++;
			ok(d->arginfo == NULL, "flag --%s takes no argument",
			   d->name);
		}
	}
	is_int(flags, 3, "three flags");
}

static void test_set(void)
{
	struct ss_opts o = {0};
	char err[512];

	ok(!ss_opts_any(&o), "no options: not a Spark step");
	ok(ss_opts_set(&o, SS_OPT_MODE, "client", true, err, sizeof(err)) == 0,
	   "set --spark-mode=client");
	is_str(o.value[SS_OPT_MODE], "client", "mode stored");
	ok(ss_opts_any(&o), "with a mode: a Spark step");
	ok(ss_opts_set(&o, SS_OPT_CLASS, "org.example.Main", true, err,
		       sizeof(err)) == 0,
	   "set --spark-class");
	ok(ss_opts_set(&o, SS_OPT_NAME, "my app", true, err, sizeof(err)) == 0,
	   "set --spark-name with a blank");
	ok(ss_opts_set(&o, SS_OPT_JARS, "a.jar,b.jar", true, err,
		       sizeof(err)) == 0,
	   "set --spark-jars");
	ok(ss_opts_set(&o, SS_OPT_PROPERTIES_FILE, "/etc/x.conf", true, err,
		       sizeof(err)) == 0,
	   "set --spark-properties-file");
	ok(ss_opts_set(&o, SS_OPT_DRIVER_CORES, "4", true, err, sizeof(err)) ==
	       0,
	   "set --spark-driver-cores");
	ok(ss_opts_set(&o, SS_OPT_ENCRYPTION, "on", true, err, sizeof(err)) ==
	       0,
	   "set --spark-encryption");
	ok(ss_opts_set(&o, SS_OPT_LOG_DIR, "/tmp/%u/%j", true, err,
		       sizeof(err)) == 0,
	   "set --spark-log-dir");
	is_str(o.value[SS_OPT_LOG_DIR], "/tmp/%u/%j", "log dir stored as is");
	/* The helper's %-expansions, checked where the option is given. */
	{
		static const char *const bad[] = {"%", "/tmp/%", "logs/%x",
						  "%h/%q/x", "/a/%%%"};
		static const char *const good[] = {"logs/%j.%s", "%h/x/%%",
						   "/tmp/%u/%h/%j"};

		for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
			struct ss_opts l = {0};

			err[0] = '\0';
			ok(ss_opts_set(&l, SS_OPT_LOG_DIR, bad[i], true, err,
				       sizeof(err)) == -1,
			   "--spark-log-dir=%s refused", bad[i]);
			like(err, "%u user, %h home, %j job, %s step",
			     "...saying which %%-expansions there are");
			ss_opts_free(&l);
		}
		for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
			struct ss_opts l = {0};

			ok(ss_opts_set(&l, SS_OPT_LOG_DIR, good[i], true, err,
				       sizeof(err)) == 0,
			   "--spark-log-dir=%s accepted", good[i]);
			ss_opts_free(&l);
		}
	}

	/* The same value twice: Slurm may run a callback twice. */
	ok(ss_opts_set(&o, SS_OPT_EXECUTOR_MEMORY, "4g", true, err,
		       sizeof(err)) == 0,
	   "set --spark-executor-memory=4g");
	ok(ss_opts_set(&o, SS_OPT_EXECUTOR_MEMORY, "4g", true, err,
		       sizeof(err)) == 0,
	   "same value twice accepted");
	is_str(o.value[SS_OPT_EXECUTOR_MEMORY], "4g", "value kept");

	/* A different value: an error with STRICT. */
	err[0] = '\0';
	ok(ss_opts_set(&o, SS_OPT_EXECUTOR_MEMORY, "8g", true, err,
		       sizeof(err)) == -1,
	   "different value twice, strict: error");
	like(err, "--spark-executor-memory", "message names the option");
	like(err, "'4g'", "message names the first value");
	like(err, "'8g'", "message names the second value");
	ok(!strchr(err, '\n'), "message is one line");
	is_str(o.value[SS_OPT_EXECUTOR_MEMORY], "4g", "first value kept");

	/* Not strict (slurmstepd: the step's value follows the job's). */
	ok(ss_opts_set(&o, SS_OPT_EXECUTOR_MEMORY, "8g", false, err,
		       sizeof(err)) == 0,
	   "different value twice, not strict: accepted");
	is_str(o.value[SS_OPT_EXECUTOR_MEMORY], "8g", "second value wins");

	/* Bad values. */
	err[0] = '\0';
	ok(ss_opts_set(&o, SS_OPT_EXECUTOR_MEMORY, "lots", false, err,
		       sizeof(err)) == -1,
	   "bad --spark-executor-memory rejected");
	like(err, "--spark-executor-memory", "message names the option");
	like(err, "'lots'", "message quotes the value");
	like(err, "expected", "message says what is expected");
	like(err, "512m", "message gives an example");
	err[0] = '\0';
	ok(ss_opts_set(&o, SS_OPT_EXECUTOR_MEMORY, "1.5g", false, err,
		       sizeof(err)) == -1,
	   "--spark-executor-memory=1.5g rejected");
	like(err, "fractions are not accepted", "message says why");
	like(err, "1536m", "message says what to write instead");
	err[0] = '\0';
	ok(ss_opts_set(&o, SS_OPT_DRIVER_MEMORY, "512k", false, err,
		       sizeof(err)) == -1,
	   "--spark-driver-memory=512k rejected");
	like(err, "whole number of MiB", "message says why");
	is_str(o.value[SS_OPT_EXECUTOR_MEMORY], "8g", "bad value not stored");

	static const struct {
		enum ss_opt_id id;
		const char *value;
	} bad[] = {
	    {SS_OPT_MODE, "local"},	     {SS_OPT_CLASS, "org..Main"},
	    {SS_OPT_NAME, "a\nb"},	     {SS_OPT_JARS, "a.jar, b.jar"},
	    {SS_OPT_PY_FILES, ",x.py"},	     {SS_OPT_FILES, ""},
	    {SS_OPT_CONF, "novalue"},	     {SS_OPT_PROPERTIES_FILE, ""},
	    {SS_OPT_DRIVER_MEMORY, "0m"},    {SS_OPT_DRIVER_CORES, "0"},
	    {SS_OPT_EXECUTOR_CORES, "4097"}, {SS_OPT_EXECUTORS_PER_NODE, "-1"},
	    {SS_OPT_ENCRYPTION, "maybe"},    {SS_OPT_VERBOSE, "maybe"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const char *name = ss_opt_table[bad[i].id].name;
		char want[128];

		err[0] = '\0';
		ok(ss_opts_set(&o, bad[i].id, bad[i].value, false, err,
			       sizeof(err)) == -1,
		   "--%s bad value '%s' rejected", name, bad[i].value);
		snprintf(want, sizeof(want), "--%s value '", name);
		like(err, want, "message names --%s", name);
	}
	ok(ss_opts_set(&o, SS_OPT_DRIVER_MEMORY, NULL, false, err,
		       sizeof(err)) == -1,
	   "NULL value of a non-flag rejected");
	ok(o.value[SS_OPT_DRIVER_MEMORY] == NULL, "nothing stored");

	/* Flags arrive without a value. */
	ok(ss_opts_set(&o, SS_OPT_VERBOSE, NULL, true, err, sizeof(err)) == 0,
	   "flag --spark-verbose with NULL");
	is_str(o.value[SS_OPT_VERBOSE], "yes", "flag stored as yes");
	ok(ss_opts_set(&o, SS_OPT_VERBOSE, NULL, true, err, sizeof(err)) == 0,
	   "flag twice accepted");
	ok(ss_opts_set(&o, SS_OPT_DRIVER_EXECUTOR, "", true, err,
		       sizeof(err)) == 0,
	   "flag with an empty value");
	is_str(o.value[SS_OPT_DRIVER_EXECUTOR], "yes", "empty flag is yes");

	/* The error buffer is respected. */
	char small[16];
	memset(small, 'x', sizeof(small));
	ok(ss_opts_set(&o, SS_OPT_DRIVER_CORES, "x", false, small,
		       sizeof(small)) == -1 &&
	       strlen(small) == sizeof(small) - 1,
	   "message truncated to the buffer");
	ss_opts_free(&o);
	ok(!ss_opts_any(&o), "nothing left after ss_opts_free");
	for (int id = 0; id < SS_OPT_COUNT; id++)
		if (o.value[id])
			ok(0, "value %d cleared by ss_opts_free", id);
}

static void test_conf(void)
{
	struct ss_opts o = {0};
	char err[512], pair[32];
	char *joined;

	ok(ss_opts_conf_joined(&o) == NULL, "no conf: joined is NULL");
	ok(ss_opts_set(&o, SS_OPT_CONF, "spark.a=1", true, err, sizeof(err)) ==
	       0,
	   "set --spark-conf");
	ok(ss_opts_any(&o), "conf alone makes a Spark step");
	ok(ss_opts_set(&o, SS_OPT_CONF, "spark.b=x y", true, err,
		       sizeof(err)) == 0,
	   "--spark-conf repeatable");
	ok(ss_opts_set(&o, SS_OPT_CONF, "spark.a=1", true, err, sizeof(err)) ==
	       0,
	   "identical pair again accepted");
	is_int(o.n_conf, 2, "identical pair deduplicated");
	ok(ss_opts_set(&o, SS_OPT_CONF, "spark.a=2", true, err, sizeof(err)) ==
	       0,
	   "same key, different value accepted even when strict");
	is_int(o.n_conf, 3, "three pairs");
	ok(o.value[SS_OPT_CONF] == NULL, "conf is not stored as a value");
	joined = ss_opts_conf_joined(&o);
	is_str(joined, "spark.b=x y\nspark.a=1\nspark.a=2",
	       "conf joined by newlines, in order (a repeat moves last)");
	free(joined);
	is_str(conf_value(&o, "spark.a"), "2", "later pair wins");

	err[0] = '\0';
	ok(ss_opts_set(&o, SS_OPT_CONF, "spark.c=a\nb", true, err,
		       sizeof(err)) == -1,
	   "conf value with a newline rejected");
	like(err, "--spark-conf", "message names --spark-conf");
	is_int(o.n_conf, 3, "bad pair not stored");
	ss_opts_free(&o);
	is_int(o.n_conf, 0, "ss_opts_free empties the conf");

	/* At most SS_CONF_MAX pairs. */
	int rc = 0;
	for (int i = 0; i < SS_CONF_MAX && !rc; i++) {
		snprintf(pair, sizeof(pair), "k%d=v", i);
		rc = ss_opts_set(&o, SS_OPT_CONF, pair, true, err, sizeof(err));
	}
	ok(rc == 0 && o.n_conf == SS_CONF_MAX, "%d pairs accepted",
	   SS_CONF_MAX);
	ok(ss_opts_set(&o, SS_OPT_CONF, "k0=v", true, err, sizeof(err)) == 0,
	   "a duplicate is still accepted when full");
	err[0] = '\0';
	ok(ss_opts_set(&o, SS_OPT_CONF, "one=more", true, err, sizeof(err)) ==
	       -1,
	   "pair %d rejected", SS_CONF_MAX + 1);
	like(err, "too many --spark-conf", "message says too many");
	joined = ss_opts_conf_joined(&o);
	ok(joined && !strncmp(joined, "k1=v\nk2=v\n", 10) &&
	       strlen(joined) > 4 &&
	       !strcmp(joined + strlen(joined) - 5, "\nk0=v"),
	   "joined without a trailing separator, the repeat last");
	free(joined);
	ss_opts_free(&o);

	/* "Where a key repeats, the later pair wins" (options.c), and the
	 * helper writes the pairs in order: an identical pair given again
	 * moves last instead of being dropped. */
	ss_opts_set(&o, SS_OPT_CONF, "spark.a=1", true, err, sizeof(err));
	ss_opts_set(&o, SS_OPT_CONF, "spark.a=2", true, err, sizeof(err));
	ss_opts_set(&o, SS_OPT_CONF, "spark.a=1", true, err, sizeof(err));
	is_str(conf_value(&o, "spark.a"), "1",
	       "--spark-conf a=1 a=2 a=1: the last one wins");
	ss_opts_free(&o);
}

static void test_env(void)
{
	struct ss_opts o = {0};
	char err[512], *joined;

	const char *env1[] = {
	    "SPANK_SPARK_MODE",
	    "client",
	    "SPANK_SPARK_EXECUTOR_MEMORY",
	    "2g",
	    "SPANK_SPARK_DRIVER_MEMORY",
	    "1g",
	    "SPANK_SPARK_NAME",
	    "", /* empty: ignored */
	    "SPANK_SPARK_CONF",
	    "spark.env.a=1\nspark.env.b=2",
	    "SPANK_SPARK_VERBOSE",
	    "no",
	    "SPANK_SPARK_DRIVER_EXECUTOR",
	    "yes",
	    NULL,
	};
	ok(cmdline(&o, SS_OPT_EXECUTOR_MEMORY, "8g", err, sizeof(err)) == 0,
	   "command line --spark-executor-memory=8g");
	ok(cmdline(&o, SS_OPT_CONF, "spark.cmd=x", err, sizeof(err)) == 0,
	   "command line --spark-conf");
	ok(ss_opts_apply_env(&o, fake_getenv, env1, err, sizeof(err)) == 0,
	   "apply environment");
	is_str(o.value[SS_OPT_MODE], "client", "mode from the environment");
	is_str(o.value[SS_OPT_DRIVER_MEMORY], "1g",
	       "driver memory from the environment");
	is_str(o.value[SS_OPT_EXECUTOR_MEMORY], "8g",
	       "command line beats the environment");
	ok(o.value[SS_OPT_NAME] == NULL, "empty variable ignored");
	ok(o.value[SS_OPT_VERBOSE] == NULL, "SPANK_SPARK_VERBOSE=no: flag off");
	is_str(o.value[SS_OPT_DRIVER_EXECUTOR], "yes",
	       "SPANK_SPARK_DRIVER_EXECUTOR=yes: flag on");
	ok(!o.from_cmdline[SS_OPT_MODE],
	   "environment values are not marked as command line");
	is_int(o.n_conf, 3, "conf: two from the environment, one given");
	joined = ss_opts_conf_joined(&o);
	is_str(joined, "spark.env.a=1\nspark.env.b=2\nspark.cmd=x",
	       "environment pairs come before command-line pairs");
	free(joined);

	/* Again (slurmstepd, then the helper): nothing changes. */
	ok(ss_opts_apply_env(&o, fake_getenv, env1, err, sizeof(err)) == 0,
	   "apply the environment again");
	joined = ss_opts_conf_joined(&o);
	is_str(joined, "spark.env.a=1\nspark.env.b=2\nspark.cmd=x",
	       "applying twice is idempotent");
	free(joined);
	ss_opts_free(&o);

	/* The command line's pair for a key comes later, so it wins. */
	const char *env2[] = {"SPANK_SPARK_CONF", "spark.k=env\n\nspark.j=1\n",
			      NULL};
	cmdline(&o, SS_OPT_CONF, "spark.k=cmd", err, sizeof(err));
	cmdline(&o, SS_OPT_CONF, "spark.j=1", err, sizeof(err));
	ok(ss_opts_apply_env(&o, fake_getenv, env2, err, sizeof(err)) == 0,
	   "environment conf with blank lines");
	is_int(o.n_conf, 3, "empty lines skipped, identical pair merged");
	is_str(conf_value(&o, "spark.k"), "cmd",
	       "command-line pair wins over the environment's");
	ss_opts_free(&o);

	/* Errors name the variable. */
	const char *env3[] = {"SPANK_SPARK_EXECUTOR_CORES", "many", NULL};
	err[0] = '\0';
	ok(ss_opts_apply_env(&o, fake_getenv, env3, err, sizeof(err)) == -1,
	   "invalid environment value rejected");
	like(err, "SPANK_SPARK_EXECUTOR_CORES", "message names the variable");
	like(err, "'many'", "message quotes the value");
	like(err, "expected", "message says what is expected");
	ok(o.value[SS_OPT_EXECUTOR_CORES] == NULL, "bad value not stored");

	/* ... unless the command line gave the option. */
	cmdline(&o, SS_OPT_EXECUTOR_CORES, "2", err, sizeof(err));
	ok(ss_opts_apply_env(&o, fake_getenv, env3, err, sizeof(err)) == 0,
	   "environment ignored where the command line gave the option");
	is_str(o.value[SS_OPT_EXECUTOR_CORES], "2", "command-line value kept");
	ss_opts_free(&o);

	const char *env4[] = {"SPANK_SPARK_VERBOSE", "maybe", NULL};
	err[0] = '\0';
	ok(ss_opts_apply_env(&o, fake_getenv, env4, err, sizeof(err)) == -1,
	   "SPANK_SPARK_VERBOSE=maybe rejected");
	like(err, "SPANK_SPARK_VERBOSE", "message names the variable");
	like(err, "yes or no", "message says yes or no");

	const char *env5[] = {"SPANK_SPARK_VERBOSE", "on", NULL};
	ok(ss_opts_apply_env(&o, fake_getenv, env5, err, sizeof(err)) == 0 &&
	       o.value[SS_OPT_VERBOSE],
	   "SPANK_SPARK_VERBOSE=on: flag on");
	ss_opts_free(&o);

	const char *env6[] = {"SPANK_SPARK_CONF", "spark.ok=1\nnot a pair",
			      NULL};
	cmdline(&o, SS_OPT_CONF, "spark.cmd=x", err, sizeof(err));
	err[0] = '\0';
	ok(ss_opts_apply_env(&o, fake_getenv, env6, err, sizeof(err)) == -1,
	   "invalid SPANK_SPARK_CONF line rejected");
	like(err, "SPANK_SPARK_CONF", "message names the variable");
	like(err, "'not a pair'", "message quotes the line");
	is_int(o.n_conf, 1, "conf unchanged on error");
	is_str(o.conf[0], "spark.cmd=x", "command-line pair still there");
	ss_opts_free(&o);

	/* Environment and command line together are limited too. */
	char *many = malloc(SS_CONF_MAX * 16);
	size_t off = 0;
	for (int i = 0; i < SS_CONF_MAX; i++)
		off += (size_t)sprintf(many + off, "e%d=v\n", i);
	const char *env7[] = {"SPANK_SPARK_CONF", many, NULL};
	cmdline(&o, SS_OPT_CONF, "spark.cmd=x", err, sizeof(err));
	ok(ss_opts_apply_env(&o, fake_getenv, env7, err, sizeof(err)) == -1,
	   "more than %d pairs in all rejected", SS_CONF_MAX);
	like(err, "too many", "message says too many");
	is_int(o.n_conf, 1, "conf unchanged on error");
	ss_opts_free(&o);
	free(many);

	const char *none[] = {NULL};
	ok(ss_opts_apply_env(&o, fake_getenv, none, err, sizeof(err)) == 0 &&
	       !ss_opts_any(&o),
	   "empty environment: not a Spark step");
}

/* No raw control byte or invalid UTF-8 ever reaches a message. */
static bool clean(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p >= 0x80)
			return false;
	return true;
}

static void test_utf8(void)
{
	static const struct {
		enum ss_opt_id id;
		const char *value;
		const char *shown;
	} bad[] = {
	    {SS_OPT_CONF, "spark.app.x=caf\xe9", "caf\\xe9"},
	    {SS_OPT_CONF, "spark.app.x=a\x1b[2Jb", "a\\x1b[2Jb"},
	    {SS_OPT_CONF, "spark.app.x=a\tb", "a\\tb"},
	    {SS_OPT_CONF, "spark.app.x=\xc2\x85", "\\xc2\\x85"},
	    {SS_OPT_CONF, "spark.app.x=\xed\xa0\x80", "\\xed\\xa0\\x80"},
	    {SS_OPT_NAME, "app\xff", "app\\xff"},
	    {SS_OPT_NAME, "app\x7f", "app\\x7f"},
	    {SS_OPT_JARS,
	     "a.jar,\xc0\xaf"
	     "b.jar",
	     "a.jar,\\xc0\\xafb.jar"},
	    {SS_OPT_PROPERTIES_FILE, "/tmp/x\ny", "/tmp/x\\ny"},
	    {SS_OPT_LOG_DIR, "/tmp/\x1b]0;pwn\x07", "/tmp/\\x1b]0;pwn\\x07"},
	};
	struct ss_opts o = {0};
	char err[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const char *name = ss_opt_table[bad[i].id].name;

		err[0] = '\0';
		ok(ss_opts_set(&o, bad[i].id, bad[i].value, false, err,
			       sizeof(err)) == -1,
		   "--%s: bad text %zu refused", name, i);
		like(err, name, "... the message names --%s", name);
		like(err, bad[i].shown, "... shows the value escaped");
		like(err, "UTF-8", "... says UTF-8 is expected");
		ok(clean(err), "... has no raw control byte");
	}
	ok(ss_opts_set(&o, SS_OPT_NAME, "caf\xc3\xa9 \xe2\x82\xac", false, err,
		       sizeof(err)) == 0,
	   "a UTF-8 name is accepted");
	ok(ss_opts_set(&o, SS_OPT_CONF, "spark.app.x=\xe6\x97\xa5\xe6\x9c\xac",
		       false, err, sizeof(err)) == 0,
	   "a UTF-8 conf value is accepted");
	ok(ss_opts_set(&o, SS_OPT_CONF, "spark.app.y=a b,c:d=e#f!g\\h", false,
		       err, sizeof(err)) == 0,
	   "a conf value with blanks and properties specials is accepted");

	/* The same through the environment. */
	{
		const char *env[] = {"SPANK_SPARK_NAME", "x\x1b[1m", NULL};
		const char *conf[] = {"SPANK_SPARK_CONF",
				      "spark.a=1\nspark.b=\x9b", NULL};
		struct ss_opts e = {0};

		err[0] = '\0';
		ok(ss_opts_apply_env(&e, fake_getenv, env, err, sizeof(err)) ==
		       -1,
		   "SPANK_SPARK_NAME with an escape sequence refused");
		like(err, "x\\x1b[1m", "... shown escaped");
		ok(clean(err), "... no raw control byte");
		err[0] = '\0';
		ok(ss_opts_apply_env(&e, fake_getenv, conf, err, sizeof(err)) ==
		       -1,
		   "SPANK_SPARK_CONF with invalid UTF-8 refused");
		like(err, "spark.b=\\x9b", "... shown escaped");
		ok(clean(err), "... no raw byte");
		ss_opts_free(&e);
	}
	/* Strict: both values are quoted, both escaped. */
	{
		struct ss_opts t = {0};

		ss_opts_set(&t, SS_OPT_NAME, "one", true, err, sizeof(err));
		ok(ss_opts_set(&t, SS_OPT_NAME, "tw\xc3\xb6", true, err,
			       sizeof(err)) == -1,
		   "two names refused");
		ss_opts_free(&t);
	}
	ss_opts_free(&o);
}

/* SPANK_SPARK_CONF must fit slurmstepd's buffer: refused in srun. */
static void test_conf_size(void)
{
	struct ss_opts o = {0};
	char err[512], pair[8300];
	size_t total = 0;
	int i = 0;

	/* Pairs of about 8200 bytes; a separator each in the joined form. */
	while (total + 8210 <= SS_ENV_VALUE_MAX + 1) {
		size_t n =
		    (size_t)snprintf(pair, sizeof(pair), "spark.k%d=", i++);

		memset(pair + n, 'v', 8192);
		pair[n + 8192] = '\0';
		ss_opts_set(&o, SS_OPT_CONF, pair, false, err, sizeof(err));
		total += strlen(pair) + 1;
	}
	/* Top up to exactly SS_ENV_VALUE_MAX joined bytes. */
	{
		size_t left = SS_ENV_VALUE_MAX + 1 - total - 1;
		char last[8300];

		snprintf(last, sizeof(last), "spark.last=");
		memset(last + 11, 'w', left - 11);
		last[left] = '\0';
		ok(ss_opts_set(&o, SS_OPT_CONF, last, false, err,
			       sizeof(err)) == 0,
		   "a last pair of %zu bytes accepted", left);
	}
	{
		char *joined = ss_opts_conf_joined(&o);

		is_int(joined ? strlen(joined) : 0, SS_ENV_VALUE_MAX,
		       "joined pairs are exactly %d bytes", SS_ENV_VALUE_MAX);
		free(joined);
	}
	ok(ss_opts_check(&o, err, sizeof(err)) == 0,
	   "SPANK_SPARK_CONF of exactly %d bytes passes", SS_ENV_VALUE_MAX);
	ss_opts_set(&o, SS_OPT_CONF, "spark.z=1", false, err, sizeof(err));
	err[0] = '\0';
	ok(ss_opts_check(&o, err, sizeof(err)) == -1,
	   "one more pair: refused, not dropped later");
	like(err, "--spark-conf", "message names --spark-conf");
	like(err, "--spark-properties-file", "message says what to do");
	like(err, "65536", "message gives the limit");
	ss_opts_free(&o);
}

static void test_executor_fit(void)
{
	struct ss_opts o = {0};
	char err[512];

	ok(ss_check_executor_fit(&o, 1024, err, sizeof(err)) == 0,
	   "no --spark-executor-memory: one executor of the default heap "
	   "fits in 1024 MiB");
	is_int((int)ss_default_executor_heap_mb(1024), 640,
	       "...its heap: 1024 - 384 MiB");
	is_int((int)ss_default_executor_heap_mb(8192), 7373,
	       "the default heap in 8 GiB: 8192 - 10%%");
	is_int((int)ss_default_executor_heap_mb(341), SS_EXECUTOR_MIN_HEAP_MB,
	       "never less than the smallest heap");
	ss_opts_set(&o, SS_OPT_EXECUTORS_PER_NODE, "3", false, err,
		    sizeof(err));
	err[0] = '\0';
	ok(ss_check_executor_fit(&o, 1024, err, sizeof(err)) == -1,
	   "--mem=1G --spark-executors-per-node=3 without a size: refused");
	like(err, "3 executors per node do not fit in the step's 1024 MiB",
	     "message counts the executors and gives the memory");
	like(err, "2688 MiB", "message gives what is needed (3 * (512 + 384))");
	like(err, "--mem", "message says to ask for more with --mem");
	like(err, "fewer --spark-executors-per-node", "... or fewer executors");
	ok(!strchr(err, '\n'), "message is one line");
	ok(ss_check_executor_fit(&o, 2688, err, sizeof(err)) == 0,
	   "three of the smallest heap fit in 2688 MiB");
	ok(ss_check_executor_fit(&o, 2687, err, sizeof(err)) == -1,
	   "... not in 2687 MiB");
	ok(ss_check_executor_fit(&o, 3072, err, sizeof(err)) == 0,
	   "three default heaps fit in 3072 MiB (the helper's share)");
	ok(ss_check_executor_fit(&o, 0, err, sizeof(err)) == 0,
	   "memory per node unknown: not checked");
	ss_opts_set(&o, SS_OPT_EXECUTORS_PER_NODE, "1", false, err,
		    sizeof(err));
	ok(ss_check_executor_fit(&o, 895, err, sizeof(err)) == -1,
	   "one executor of the smallest heap does not fit in 895 MiB");
	like(err, "1 executor per node does not fit", "...in the singular");
	ok(ss_check_executor_fit(&o, ~0ULL, err, sizeof(err)) == 0,
	   "a default heap where memory is endless: no overflow");
	ss_opts_set(&o, SS_OPT_EXECUTOR_MEMORY, "6g", false, err, sizeof(err));
	ok(ss_check_executor_fit(&o, 0, err, sizeof(err)) == 0,
	   "memory per node unknown: not checked");
	err[0] = '\0';
	ok(ss_check_executor_fit(&o, 1024, err, sizeof(err)) == -1,
	   "6g executors with 1 GiB per node refused");
	like(err, "--spark-executor-memory=6g", "message names option, value");
	like(err, "1024 MiB per node", "message gives the step's memory");
	like(err, "6758 MiB", "message gives what is needed (6144 + 614)");
	like(err, "--mem", "message says to ask for more with --mem");
	like(err, "smaller", "... or a smaller value");
	ok(ss_check_executor_fit(&o, 6758, err, sizeof(err)) == 0,
	   "6g fits in 6758 MiB (10%% overhead)");
	ok(ss_check_executor_fit(&o, 6757, err, sizeof(err)) == -1,
	   "... not in 6757 MiB");

	ss_opts_set(&o, SS_OPT_EXECUTOR_MEMORY, "1g", false, err, sizeof(err));
	ok(ss_check_executor_fit(&o, 1408, err, sizeof(err)) == 0,
	   "1g fits in 1408 MiB (384 MiB minimum overhead)");
	ok(ss_check_executor_fit(&o, 1407, err, sizeof(err)) == -1,
	   "... not in 1407 MiB");

	ss_opts_set(&o, SS_OPT_EXECUTORS_PER_NODE, "4", false, err,
		    sizeof(err));
	ss_opts_set(&o, SS_OPT_EXECUTOR_MEMORY, "2g", false, err, sizeof(err));
	ok(ss_check_executor_fit(&o, 4 * (2048 + 384), err, sizeof(err)) == 0,
	   "4 executors of 2g fit in 9728 MiB");
	err[0] = '\0';
	ok(ss_check_executor_fit(&o, 4 * (2048 + 384) - 1, err, sizeof(err)) ==
	       -1,
	   "... not in 9727 MiB");
	like(err, "4 executors per node need 9728 MiB",
	     "message counts the executors per node");

	ss_opts_set(&o, SS_OPT_EXECUTORS_PER_NODE, "4096", false, err,
		    sizeof(err));
	ss_opts_set(&o, SS_OPT_EXECUTOR_MEMORY, "16t", false, err, sizeof(err));
	ok(ss_check_executor_fit(&o, ~0ULL >> 30, err, sizeof(err)) == -1,
	   "4096 executors of 16t: no overflow, refused");
	ok(ss_check_executor_fit(&o, ~0ULL, err, sizeof(err)) == 0,
	   "... and they fit where memory is endless");
	ss_opts_free(&o);
}

/* Everything in a node's share: heaps, overhead, PySpark's and off-heap
 * memory, and the driver on its node. */
static void test_node_fit(void)
{
	struct ss_opts o = {0};
	struct ss_node_need n;
	char err[512];

#define SET(id, v) ss_opts_set(&o, id, v, false, err, sizeof(err))
	SET(SS_OPT_EXECUTOR_MEMORY, "1g");
	SET(SS_OPT_CONF, "spark.executor.pyspark.memory=512m");
	ss_node_need(&o, 4096, SS_FIT_EXECUTORS, &n);
	is_int((int)n.pyspark, 512, "spark.executor.pyspark.memory is counted");
	is_int((int)n.total, 1024 + 384 + 512,
	       "...on top of the heap and overhead");
	ok(ss_check_node_fit(&o, 1920, SS_FIT_EXECUTORS, err, sizeof(err)) == 0,
	   "1g with 512m for Python fits in 1920 MiB");
	err[0] = '\0';
	ok(ss_check_node_fit(&o, 1919, SS_FIT_EXECUTORS, err, sizeof(err)) ==
	       -1,
	   "...not in 1919 MiB");
	like(err, "1 executor per node needs 1920 MiB",
	     "message gives the need");
	like(err, "512 MiB of spark.executor.pyspark.memory each",
	     "...and what the Python memory takes");
	ok(!strchr(err, '\n'), "message is one line");

	SET(SS_OPT_CONF, "spark.memory.offHeap.size=268435456");
	ss_node_need(&o, 4096, SS_FIT_EXECUTORS, &n);
	is_int((int)n.offheap, 0, "off-heap size without offHeap.enabled: 0");
	SET(SS_OPT_CONF, "spark.memory.offHeap.enabled=true");
	ss_node_need(&o, 4096, SS_FIT_EXECUTORS, &n);
	is_int((int)n.offheap, 256,
	       "...enabled: a bare size is bytes (256 MiB)");
	is_int((int)n.total, 1024 + 384 + 512 + 256, "...and is counted");
	SET(SS_OPT_CONF, "spark.memory.offHeap.size=1g");
	ss_node_need(&o, 4096, SS_FIT_EXECUTORS, &n);
	is_int((int)n.offheap, 1024, "the last --spark-conf value wins (1g)");
	err[0] = '\0';
	ok(ss_check_node_fit(&o, 2943, SS_FIT_EXECUTORS, err, sizeof(err)) ==
	       -1,
	   "1g + 384 + 512 + 1024 does not fit in 2943 MiB");
	like(err, "1024 MiB of spark.memory.offHeap.size each",
	     "...and the message says the off-heap part");
	SET(SS_OPT_CONF, "spark.executor.memoryOverhead=1000");
	ss_node_need(&o, 4096, SS_FIT_EXECUTORS, &n);
	is_int((int)n.overhead, 1000,
	       "spark.executor.memoryOverhead replaces Spark's default");
	ss_opts_free(&o);

	/* Without --spark-executor-memory the helper's heap is what is left
	 * of the share after the extras. */
	memset(&o, 0, sizeof(o));
	SET(SS_OPT_CONF, "spark.executor.pyspark.memory=1g");
	ss_node_need(&o, 4096, SS_FIT_EXECUTORS, &n);
	is_int((int)n.heap, 3072 - 384,
	       "the default heap leaves room for Python");
	is_int((int)n.total, 4096, "...and the whole fits the node");
	ok(ss_check_node_fit(&o, 4096, SS_FIT_EXECUTORS, err, sizeof(err)) == 0,
	   "...so the check passes");
	ok(ss_check_node_fit(&o, 1919, SS_FIT_EXECUTORS, err, sizeof(err)) ==
	       -1,
	   "the smallest heap with 1g for Python does not fit in 1919 MiB");
	ss_opts_free(&o);

	/* The driver on its node (cluster mode). */
	memset(&o, 0, sizeof(o));
	ss_node_need(&o, 1024, SS_FIT_DRIVER, &n);
	is_int((int)n.total, 0,
	       "Spark's default driver heap is not counted (taken as needed)");
	SET(SS_OPT_DRIVER_MEMORY, "2g");
	ss_node_need(&o, 4096, SS_FIT_DRIVER, &n);
	is_int((int)n.total, 2048 + 384, "--spark-driver-memory and overhead");
	ok(ss_check_node_fit(&o, 2432, SS_FIT_DRIVER, err, sizeof(err)) == 0,
	   "a 2g driver fits in 2432 MiB");
	err[0] = '\0';
	ok(ss_check_node_fit(&o, 2431, SS_FIT_DRIVER, err, sizeof(err)) == -1,
	   "...not in 2431 MiB");
	like(err, "the driver does not fit in the step's 2431 MiB",
	     "message names the driver and the memory");
	like(err, "--spark-driver-memory", "...and the option to change");
	ss_node_need(&o, 4096, SS_FIT_DRIVER | SS_FIT_EXECUTORS, &n);
	is_int((int)n.heap, 1664 - 384,
	       "executors beside the driver share what it leaves");
	ok(ss_check_node_fit(&o, 2431 + 896, SS_FIT_DRIVER | SS_FIT_EXECUTORS,
			     err, sizeof(err)) == -1,
	   "the driver and the smallest executor: not in 3327 MiB");
	like(err, "and the driver's 2432 MiB (heap 2048 + overhead 384)",
	     "...the message counts the driver");
	ok(ss_check_node_fit(&o, 2432 + 896, SS_FIT_DRIVER | SS_FIT_EXECUTORS,
			     err, sizeof(err)) == 0,
	   "...and both fit in 3328 MiB");
	ss_opts_free(&o);
	memset(&o, 0, sizeof(o));
	SET(SS_OPT_CONF, "spark.driver.memory=3g");
	SET(SS_OPT_CONF, "spark.driver.memoryOverhead=100m");
	ss_node_need(&o, 8192, SS_FIT_DRIVER, &n);
	is_int((int)n.total, 3072 + 100,
	       "spark.driver.memory and spark.driver.memoryOverhead count");
	ss_node_need(&o, 8192, SS_FIT_EXECUTORS, &n);
	is_int((int)n.driver_heap, 0, "...only on the driver's node");
	ss_opts_free(&o);
#undef SET
}

static void test_check(void)
{
	struct ss_opts o = {0};
	char err[512];

	ok(ss_opts_check(&o, err, sizeof(err)) == 0, "no options pass");
	ss_opts_set(&o, SS_OPT_EXECUTORS_PER_NODE, "4097", false, err,
		    sizeof(err));
	ss_opts_set(&o, SS_OPT_EXECUTORS_PER_NODE, "64", false, err,
		    sizeof(err));
	ok(ss_opts_check(&o, err, sizeof(err)) == 0,
	   "executors-per-node alone passes");
	ss_opts_set(&o, SS_OPT_EXECUTOR_CORES, "64", false, err, sizeof(err));
	ok(ss_opts_check(&o, err, sizeof(err)) == 0, "64 * 64 = 4096 passes");
	ss_opts_set(&o, SS_OPT_EXECUTOR_CORES, "65", false, err, sizeof(err));
	err[0] = '\0';
	ok(ss_opts_check(&o, err, sizeof(err)) == -1,
	   "64 * 65 > 4096 is an error");
	like(err, "--spark-executors-per-node=64", "message names one option");
	like(err, "--spark-executor-cores=65", "message names the other");
	like(err, "4096", "message gives the limit");
	ss_opts_set(&o, SS_OPT_EXECUTORS_PER_NODE, "4096", false, err,
		    sizeof(err));
	ss_opts_set(&o, SS_OPT_EXECUTOR_CORES, "4096", false, err, sizeof(err));
	ok(ss_opts_check(&o, err, sizeof(err)) == -1,
	   "4096 * 4096 is an error");
	ss_opts_set(&o, SS_OPT_EXECUTOR_CORES, "1", false, err, sizeof(err));
	ok(ss_opts_check(&o, err, sizeof(err)) == 0, "4096 * 1 passes");
	ss_opts_free(&o);

	ok(ss_opts_set(&o, SS_OPT_CONNECT, NULL, true, err, sizeof(err)) == 0,
	   "--spark-connect is a flag");
	is_str(o.value[SS_OPT_CONNECT], "yes", "--spark-connect stored as yes");
	ok(ss_opts_check(&o, err, sizeof(err)) == 0,
	   "--spark-connect alone passes");
	ss_opts_set(&o, SS_OPT_CLASS, "org.example.Main", false, err,
		    sizeof(err));
	err[0] = '\0';
	ok(ss_opts_check(&o, err, sizeof(err)) == -1,
	   "--spark-connect with --spark-class is an error");
	like(err, "drop --spark-class", "...that says what to do");
	ss_opts_free(&o);
}

static const char *connect_env(const char *name, void *arg)
{
	return strcmp(name, "SPANK_SPARK_CONNECT") ? NULL : arg;
}

static void test_connect_env(void)
{
	struct ss_opts o = {0};
	char err[512] = "";

	ok(ss_opts_apply_env(&o, connect_env, "yes", err, sizeof(err)) == 0 &&
	       o.value[SS_OPT_CONNECT] != NULL,
	   "SPANK_SPARK_CONNECT=yes turns --spark-connect on");
	ss_opts_free(&o);
	ok(ss_opts_apply_env(&o, connect_env, "no", err, sizeof(err)) == 0 &&
	       o.value[SS_OPT_CONNECT] == NULL,
	   "SPANK_SPARK_CONNECT=no leaves it off");
	ok(ss_opts_apply_env(&o, connect_env, "maybe", err, sizeof(err)) == -1,
	   "SPANK_SPARK_CONNECT=maybe is refused");
	like(err, "SPANK_SPARK_CONNECT", "...naming the variable");
	ss_opts_free(&o);
}

int main(void)
{
	test_table();
	test_set();
	test_conf();
	test_env();
	test_check();
	test_connect_env();
	test_utf8();
	test_executor_fit();
	test_node_fit();
	test_conf_size();
	return done_testing();
}
