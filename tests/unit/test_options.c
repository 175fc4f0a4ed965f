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
	is_int(flags, 2, "two flags");
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
}

int main(void)
{
	test_table();
	test_set();
	test_conf();
	test_env();
	test_check();
	return done_testing();
}
