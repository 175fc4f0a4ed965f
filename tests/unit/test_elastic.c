/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_elastic.c - --spark-elastic's pure rules (helper/elastic.c): Slurm's
 * time left, sbatch's minutes, how many join jobs to submit or cancel,
 * and the executor ids of join nodes.
 */
#include "tap.h"

#include "elastic.h"
#include "executor_jvms.h"

static void test_time(void)
{
	is_int(elastic_parse_time("UNLIMITED"), ELASTIC_UNLIMITED,
	       "UNLIMITED: no limit");
	is_int(elastic_parse_time("NOT_SET"), ELASTIC_UNLIMITED,
	       "NOT_SET: no limit");
	is_int(elastic_parse_time("INVALID"), -2, "INVALID: not a time");
	is_int(elastic_parse_time(""), -2, "empty: not a time");
	is_int(elastic_parse_time(NULL), -2, "NULL: not a time");
	is_int(elastic_parse_time("45"), 45, "SS");
	is_int(elastic_parse_time("9:05"), 545, "MM:SS");
	is_int(elastic_parse_time("1:00:00"), 3600, "HH:MM:SS");
	is_int(elastic_parse_time("2-03:04:05"),
	       ((2 * 24 + 3) * 60 + 4) * 60 + 5, "D-HH:MM:SS");
	is_int(elastic_parse_time("1-02"), 26 * 3600, "D-HH");
	is_int(elastic_parse_time("1:2:3:4"), -2, "four fields: not a time");
	is_int(elastic_parse_time("12:ab"), -2, "letters: not a time");
	is_int(elastic_parse_time("-5"), -2, "a sign: not a time");
	is_int(elastic_parse_time("5:"), -2, "a trailing colon: not a time");
	is_int(elastic_time_minutes(59), 0, "59 s left: no whole minute");
	is_int(elastic_time_minutes(119), 1, "119 s left: 1 minute");
	is_int(elastic_time_minutes(-1), 0, "nothing left: 0");
}

static void test_change(void)
{
	/* want, room, per_node, pending, joined, max */
	is_int(elastic_change(1, 1, 1, 0, 0, 2), 0, "the step holds it: none");
	is_int(elastic_change(3, 1, 1, 0, 0, 2), 2, "2 short: 2 join jobs");
	is_int(elastic_change(9, 1, 1, 0, 0, 2), 2, "...never more than MAX");
	is_int(elastic_change(9, 2, 1, 1, 1, 2), 0,
	       "MAX pending and joined already: none more");
	is_int(elastic_change(3, 1, 1, 2, 0, 2), 0,
	       "already pending: none more");
	is_int(elastic_change(5, 2, 2, 0, 0, 4), 2,
	       "3 short, 2 per node: 2 join jobs");
	is_int(elastic_change(1, 1, 1, 2, 0, 2), -2,
	       "Spark wants no more: both pending ones cancelled");
	is_int(elastic_change(2, 1, 1, 2, 0, 2), -1,
	       "one short, two pending: one cancelled");
	is_int(elastic_change(3, 2, 1, 1, 1, 2), 0,
	       "joined counts in the room, the pending one still wanted");
	is_int(elastic_change(3, 1, 0, 0, 0, 2), 0, "no slot per node: none");
	is_int(elastic_change(3, 1, 1, 0, 0, 0), 0, "elastic off: none");
}

static void test_ids(void)
{
	int nodes = elastic_id_nodes(1, 2);
	long a = executor_id_of(0, 1, 1, nodes, 0);
	long b = executor_id_of(0, 1, 1, nodes, ELASTIC_GEN_STRIDE);
	long c = executor_id_of(0, 1, 2, nodes, 0);

	is_int(nodes, 3, "one step node and 2 join nodes: 3 in the id space");
	ok(a != b && a != c && b != c,
	   "a join slot's next job and the other slot get ids of their own");
	is_int(executor_node(a, 1, nodes), 1, "...each maps back to its node");
	is_int(executor_node(b, 1, nodes), 1, "...also the slot's next job's");
	is_int(executor_node(c, 1, nodes), 2, "...and the other slot's");
	is_int(executor_node(executor_id_of(0, 1, 0, nodes, 3), 1, nodes), 0,
	       "the step's node's restarts stay its own");
}

static void test_token(void)
{
	ok(elastic_token_equal("abcd", "abcd", 4), "equal tokens");
	ok(!elastic_token_equal("abcd", "abce", 4), "one byte off: not equal");
	ok(!elastic_token_equal("Abcd", "abcd", 4), "the first byte off too");
}

int main(void)
{
	test_time();
	test_change();
	test_ids();
	test_token();
	return done_testing();
}
