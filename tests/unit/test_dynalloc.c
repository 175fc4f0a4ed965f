/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_dynalloc.c - dynamic allocation within a step: the driver side's
 * bookkeeping (helper/dynalloc.c), the user's settings as the step reads
 * them (spark_conf.c: spark_dynamic_from) and the executor ids of a slot
 * started again (executor_jvms.c: executor_id_of).
 */
#include "tap.h"

#include "dynalloc.h"
#include "executor_jvms.h"
#include "spark_conf.h"

static int dyn(const char *pairs[], int slots, struct spark_dynamic *da,
	       char *err, size_t errlen)
{
	json_t *conf = json_object();
	int rc;

	for (int i = 0; pairs[i]; i += 2)
		json_object_set_new(conf, pairs[i], json_string(pairs[i + 1]));
	err[0] = '\0';
	rc = spark_dynamic_from(conf, slots, da, err, errlen);
	json_decref(conf);
	return rc;
}

static void test_settings(void)
{
	struct spark_dynamic da;
	char err[256];
	const char *none[] = {NULL};
	const char *off[] = {"spark.dynamicAllocation.enabled", "False", NULL};
	const char *on[] = {"spark.dynamicAllocation.enabled", "TRUE", NULL};
	const char *full[] = {"spark.dynamicAllocation.enabled",
			      "true",
			      "spark.dynamicAllocation.minExecutors",
			      "1",
			      "spark.dynamicAllocation.maxExecutors",
			      "3",
			      "spark.dynamicAllocation.initialExecutors",
			      "2",
			      NULL};
	const char *big[] = {"spark.dynamicAllocation.enabled",
			     "true",
			     "spark.dynamicAllocation.maxExecutors",
			     "100",
			     "spark.executor.instances",
			     "50",
			     NULL};
	const char *min_over[] = {"spark.dynamicAllocation.enabled", "true",
				  "spark.dynamicAllocation.minExecutors", "5",
				  NULL};
	const char *min_max[] = {"spark.dynamicAllocation.enabled",
				 "true",
				 "spark.dynamicAllocation.minExecutors",
				 "3",
				 "spark.dynamicAllocation.maxExecutors",
				 "2",
				 NULL};
	const char *zero[] = {"spark.dynamicAllocation.enabled", "true",
			      "spark.dynamicAllocation.maxExecutors", "0",
			      NULL};
	const char *bad[] = {"spark.dynamicAllocation.enabled", "true",
			     "spark.dynamicAllocation.minExecutors", "two",
			     NULL};
	const char *spaced[] = {"spark.dynamicAllocation.enabled",
				"true",
				"spark.dynamicAllocation.minExecutors",
				" +1 ",
				"spark.dynamicAllocation.maxExecutors",
				"3\t",
				NULL};
	const char *signed_neg[] = {"spark.dynamicAllocation.enabled", "true",
				    "spark.dynamicAllocation.minExecutors",
				    "-1", NULL};
	const char *blank[] = {"spark.dynamicAllocation.enabled", "true",
			       "spark.dynamicAllocation.maxExecutors", " ",
			       NULL};
	const char *maybe[] = {"spark.dynamicAllocation.enabled", "maybe",
			       NULL};
	const char *half[] = {"spark.dynamicAllocation.enabled",
			      "true",
			      "spark.dynamicAllocation.initialExecutors",
			      "3",
			      "spark.scheduler.minRegisteredResourcesRatio",
			      "0.5",
			      NULL};
	const char *none_wait[] = {
	    "spark.dynamicAllocation.enabled",
	    "true",
	    "spark.dynamicAllocation.initialExecutors",
	    "3",
	    "spark.scheduler.minRegisteredResourcesRatio",
	    "0",
	    NULL};
	const char *bad_ratio[] = {
	    "spark.dynamicAllocation.enabled", "true",
	    "spark.scheduler.minRegisteredResourcesRatio", "1.5", NULL};

	is_int(dyn(none, 4, &da, err, sizeof(err)), 0, "no settings: fine");
	ok(!da.enabled, "...dynamic allocation off");
	is_int(dyn(off, 4, &da, err, sizeof(err)), 0, "enabled=False: fine");
	ok(!da.enabled, "...off (case as Spark's toBoolean)");
	is_int(dyn(on, 4, &da, err, sizeof(err)), 0, "enabled=TRUE alone");
	ok(da.enabled, "...on");
	is_int(da.min, 0, "...min 0 (Spark's default)");
	is_int(da.max, 4, "...max: the step's slots");
	is_int(da.initial, 0, "...initial: min");
	is_int(dyn(full, 4, &da, err, sizeof(err)), 0, "min 1, max 3, init 2");
	ok(da.min == 1 && da.max == 3 && da.initial == 2, "...as given");
	is_int(dyn(big, 4, &da, err, sizeof(err)), 0,
	       "max 100, executor.instances 50, 4 slots");
	is_int(da.max, 4, "...max cut to the slots");
	is_int(da.initial, 4,
	       "...initial: executor.instances (Spark's largest), cut to max");
	is_int(dyn(min_over, 4, &da, err, sizeof(err)), -1,
	       "minExecutors 5 in 4 slots: refused");
	like(err, "minExecutors=5, but the step has room for 4 executor",
	     "...saying the step is too small");
	is_int(dyn(min_max, 4, &da, err, sizeof(err)), -1,
	       "min 3 > max 2: refused");
	like(err, "minExecutors=3 is more than maxExecutors=2", "...saying so");
	is_int(dyn(zero, 4, &da, err, sizeof(err)), -1, "max 0: refused");
	is_int(dyn(bad, 4, &da, err, sizeof(err)), -1, "min two: refused");
	like(err, "minExecutors=two is not a whole number >= 0",
	     "...naming the key and value");
	is_int(
	    dyn(spaced, 4, &da, err, sizeof(err)), 0,
	    "min \" +1 \", max \"3\\t\": taken, as Spark trims and takes '+'");
	ok(da.min == 1 && da.max == 3, "...min 1, max 3");
	is_int(dyn(signed_neg, 4, &da, err, sizeof(err)), -1,
	       "min -1: refused");
	is_int(dyn(blank, 4, &da, err, sizeof(err)), -1, "max blank: refused");
	is_int(dyn(maybe, 4, &da, err, sizeof(err)), -1,
	       "enabled=maybe: refused");
	is_int(dyn(full, 4, &da, err, sizeof(err)), 0, "initial 2 again");
	is_int(da.wait, 2, "...start-up waits for both (ratio 1)");
	is_int(dyn(half, 4, &da, err, sizeof(err)), 0,
	       "initial 3, minRegisteredResourcesRatio 0.5");
	is_int(da.wait, 2, "...start-up waits for 2 of 3 (rounded up)");
	is_int(dyn(none_wait, 4, &da, err, sizeof(err)), 0, "ratio 0");
	is_int(da.wait, 0, "...start-up waits for none");
	is_int(dyn(bad_ratio, 4, &da, err, sizeof(err)), -1, "ratio 1.5");
	like(err, "minRegisteredResourcesRatio=1.5 is not a number from 0 to 1",
	     "...refused, naming the key");
}

static void test_bookkeeping(void)
{
	struct dynalloc a;

	is_int(dynalloc_init(&a, 3, 2), 0, "3 nodes of 2 slots");
	a.usable[0] = false; /* cluster mode: the driver's node alone */
	is_int(dynalloc_slots(&a), 4, "...4 slots without the driver's node");
	is_int(dynalloc_grow(&a), 1, "the first goes to node 1");
	is_int(dynalloc_grow(&a), 2, "the second to node 2 (fewest)");
	is_int(dynalloc_grow(&a), 1, "the third to node 1 again");
	is_int(dynalloc_grow(&a), 2, "the fourth to node 2");
	is_int(dynalloc_grow(&a), -1, "no fifth: every slot planned");
	is_int(dynalloc_total(&a), 4, "4 planned");
	is_int(dynalloc_kill(&a, 1, 3), 0, "executor 3 on node 1 let go");
	is_int(a.planned[1], 1, "...node 1 runs one fewer");
	is_int(dynalloc_grow(&a), 1, "the next goes where the room is");
	is_int(dynalloc_kill(&a, 7, 9), -1, "a node out of range: refused");
	ok(dynalloc_take_killed(&a, 3), "executor 3's end was asked for");
	ok(!dynalloc_take_killed(&a, 3), "...once");
	ok(!dynalloc_take_killed(&a, 4), "executor 4's end is a loss");
	for (long id = 100; id < 100 + DYNALLOC_KILLED_MAX + 1; id++)
		dynalloc_kill(&a, 2, id);
	is_int(a.planned[2], 0, "planned never goes below 0");
	ok(!dynalloc_take_killed(&a, 100), "past the cap the oldest is gone");
	ok(dynalloc_take_killed(&a, 100 + DYNALLOC_KILLED_MAX),
	   "...the newest is kept");
	dynalloc_fini(&a);
}

static void test_ids(void)
{
	/* 2 per node, 3 nodes: node 1's slot 1, started a third time. */
	long id = executor_id_of(1, 2, 1, 3, 2);

	is_int(id, 1 + 1 + 2 * (1 + 3 * 2), "id of node 1 slot 1, gen 2");
	is_int(executor_node(id, 2, 3), 1, "...maps back to node 1");
	is_int(executor_node(executor_id_of(0, 2, 2, 3, 5), 2, 3), 2,
	       "any start of node 2's slots maps back to node 2");
	ok(executor_id_of(0, 2, 0, 3, 1) != executor_id_of(0, 2, 0, 3, 0),
	   "a slot started again has a new id");
}

int main(void)
{
	test_settings();
	test_bookkeeping();
	test_ids();
	return done_testing();
}
