/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_executor_side.c - the executor side's pure parts: how big an executor is
 * (helper/spark.c: spark_heap_mb, spark_executor_size) and what it takes
 * from the driver's welcome (helper/executor_side.c: executor_take_welcome).
 */
#include "tap.h"

#include "executor_jvms.h"
#include "spark.h"

static const char secret[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void test_size(void)
{
	static struct helper h;
	long cores, mem;

	is_int(ss_executor_overhead_mb(1000), SS_EXECUTOR_OVERHEAD_MIN_MB,
	       "Spark's overhead of a small executor: 384 MiB");
	is_int(ss_executor_overhead_mb(10240), 1024,
	       "...of a big one: 10%% of its heap");
	is_int(spark_heap_mb(10240), 10240 - 1024,
	       "10 GiB: Spark's overhead is 10%%");
	is_int(spark_heap_mb(2048), 2048 - 384,
	       "2 GiB: Spark's overhead is at least 384 MiB");
	is_int(spark_heap_mb(600), SPARK_MIN_HEAP_MB,
	       "a small share still gets Spark's minimum heap");

	spark_executor_size(&h, 8, 16384, &cores, &mem);
	is_int(cores, 8, "one executor per node gets every core");
	is_int(mem, 16384 - 1638, "...and the memory minus the overhead");

	h.opts.value[SS_OPT_EXECUTORS_PER_NODE] = "3";
	spark_executor_size(&h, 8, 12288, &cores, &mem);
	is_int(cores, 2, "three per node share 8 cores: 2 each");
	is_int(mem, 4096 - 409, "...and a third of the memory each");
	spark_executor_size(&h, 2, 12288, &cores, &mem);
	is_int(cores, 1, "more executors than cores: still one core each");

	h.opts.value[SS_OPT_EXECUTOR_CORES] = "5";
	h.opts.value[SS_OPT_EXECUTOR_MEMORY] = "3g";
	spark_executor_size(&h, 8, 12288, &cores, &mem);
	is_int(cores, 5, "--spark-executor-cores wins");
	is_int(mem, 3072, "--spark-executor-memory is the heap, in MiB");
}

static json_t *welcome(const char *app, const char *sec, json_t *enc)
{
	json_t *w = json_object();

	if (app)
		json_object_set_new(w, "app_id", json_string(app));
	if (sec)
		json_object_set_new(w, "secret", json_string(sec));
	if (enc)
		json_object_set_new(w, "encrypt", enc);
	return w;
}

static int take(json_t *w, struct executors *x)
{
	int rc = executor_take_welcome(x, w);

	json_decref(w);
	return rc;
}

static void test_welcome(void)
{
	struct executors x;
	char long_id[200];

	memset(&x, 0, sizeof(x));
	ok(take(welcome("spark-slurm-12.0", secret, json_true()), &x) == 0,
	   "a good welcome is taken");
	is_str(x.app_id, "spark-slurm-12.0", "...its app id");
	is_str(x.secret, secret, "...its secret");
	ok(x.encrypt, "...its encryption");
	ok(take(welcome("spark-slurm-12.0", secret, json_false()), &x) == 0 &&
	       !x.encrypt,
	   "encryption off");

	memset(&x, 0, sizeof(x));
	is_int(take(welcome(NULL, secret, json_true()), &x), -1,
	       "no app id: refused");
	is_int(take(welcome("", secret, json_true()), &x), -1,
	       "an empty app id: refused");
	is_int(take(welcome("app id", secret, json_true()), &x), -1,
	       "an app id with a blank: refused");
	is_int(take(welcome("../x", secret, json_true()), &x), -1,
	       "an app id with a slash: refused");
	is_int(take(welcome("App", secret, json_true()), &x), -1,
	       "an app id with a capital: refused");
	memset(long_id, 'a', sizeof(long_id) - 1);
	long_id[sizeof(long_id) - 1] = '\0';
	is_int(take(welcome(long_id, secret, json_true()), &x), -1,
	       "an app id too long: refused");
	is_int(take(welcome("a", NULL, json_true()), &x), -1,
	       "no secret: refused");
	is_int(take(welcome("a", "0123", json_true()), &x), -1,
	       "a short secret: refused");
	is_int(take(welcome("a",
			    "0123456789abcdef0123456789abcdef0123456789abcdef"
			    "0123456789abcdeG",
			    json_true()),
		    &x),
	       -1, "a secret not in lower-case hex: refused");
	is_int(take(welcome("a", secret, NULL), &x), -1,
	       "no encryption setting: refused");
	is_int(take(welcome("a", secret, json_string("yes")), &x), -1,
	       "an encryption setting not a boolean: refused");
	ok(!x.app_id[0] && !x.secret[0],
	   "nothing of a refused welcome is kept");

	{
		json_t *w = welcome("a", secret, json_true());

		json_object_set_new(w, "executor_conf",
				    json_pack("{s:s}",
					      "spark.executor.extraJavaOptions",
					      "-Dmark=1"));
		ok(take(w, &x) == 0 &&
		       !strcmp(json_string_value(json_object_get(
				   x.conf, "spark.executor.extraJavaOptions")),
			       "-Dmark=1"),
		   "the executor settings of a welcome are taken");
		w = welcome("a", secret, json_true());
		json_object_set_new(
		    w, "executor_conf",
		    json_pack("{s:s}", "spark.executor.memory", "1g"));
		is_int(take(w, &x), -1,
		       "a welcome with another key in its executor settings "
		       "is refused");
		w = welcome("a", secret, json_true());
		json_object_set_new(w, "executor_conf",
				    json_pack("{s:s}",
					      "spark.executorEnv._SPARK_AUTH_"
					      "SECRET",
					      "x"));
		is_int(take(w, &x), -1,
		       "...or one that would set the secret's variable");
		w = welcome("a", secret, json_true());
		json_object_set_new(
		    w, "executor_conf",
		    json_pack("{s:i}", "spark.executor.extraClassPath", 1));
		is_int(take(w, &x), -1, "...or a value not a string");
		json_decref(x.conf);
		x.conf = NULL;
	}
}

/* executor_node inverts executor_jvms.c's ids: 1 + k + n * (node + nodes
 * * attempt). */
static void test_executor_node(void)
{
	is_int(executor_node(1, 2, 3), 0, "executor 1: node 0");
	is_int(executor_node(2, 2, 3), 0, "executor 2: node 0 (its second)");
	is_int(executor_node(3, 2, 3), 1, "executor 3: node 1");
	is_int(executor_node(6, 2, 3), 2, "executor 6: node 2");
	is_int(executor_node(7, 2, 3), 0, "executor 7: node 0, relaunched");
	is_int(executor_node(12, 2, 3), 2, "executor 12: node 2, relaunched");
	is_int(executor_node(0, 2, 3), -1, "executor 0: none");
	is_int(executor_node(5, 0, 3), -1, "no executors per node: none");
}

int main(void)
{
	test_executor_node();
	test_size();
	test_welcome();
	return done_testing();
}
