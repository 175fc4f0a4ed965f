/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_parse.c - the value parsers and validators of plugin/parse.c.
 */
#include "tap.h"
#include "parse.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void size_good(const char *s, unsigned long long want)
{
	uint64_t mb = 0;
	int rc = ss_parse_size_mb(s, &mb);

	ok(rc == 0, "size '%s' accepted", s);
	is_int(mb, want, "size '%s' is %llu MiB", s, want);
}

static void size_bad(const char *s)
{
	uint64_t mb = 4242;

	ok(ss_parse_size_mb(s, &mb) == -1, "size '%s' rejected", s);
	is_int(mb, 4242, "size '%s' leaves the output alone", s);
}

static void test_size(void)
{
	char buf[64];

	size_good("512m", 512);
	size_good("8g", 8192);
	size_good("1t", 1024ULL * 1024);
	size_good("4096k", 4);
	size_good("2048", 2048);
	size_good("8gb", 8192);
	size_good("8G", 8192);
	size_good("8GB", 8192);
	size_good("8gB", 8192);
	size_good("512M", 512);
	size_good("1024K", 1);
	size_good("000000000000001g", 1024);  /* 15 digits */
	size_good("0000000000000001g", 1024); /* leading zeros, as Spark */
	size_good("00000000000000000000000000000000512m", 512);
	size_good("2048k", 2);
	size_good("1024KB", 1);
	size_good("8Tb", 8ULL * 1024 * 1024);
	size_good("4Mb", 4);
	size_good("17179869184k", SS_SIZE_MAX_MB);
	size_good("16t", SS_SIZE_MAX_MB);
	size_good("16384g", SS_SIZE_MAX_MB);
	size_good("16777216", SS_SIZE_MAX_MB);
	snprintf(buf, sizeof(buf), "%llu", SS_SIZE_MAX_MB * 1024);
	strcat(buf, "k");
	size_good(buf, SS_SIZE_MAX_MB);

	size_bad("8x");
	size_bad("-1g");
	size_bad("+1g");
	size_bad("99999999t");
	size_bad("17t");
	size_bad("16385g");
	size_bad("16777217");
	size_bad("1536k"); /* Spark would round down to 1m: not whole MiB */
	size_bad("1kb");
	size_bad("1000000000000000"); /* 16 significant digits */
	size_bad("9223372036854775808m");
	size_bad("18446744073709551617k");
	size_bad("1e3");
	size_bad("0x10");
	size_bad("1_000m");
	size_bad("8g\n");
	size_bad("\xef\xbc\x98g"); /* fullwidth digit 8 */
	size_bad("1p");
	size_bad("1pb");
	size_bad("1b");
	size_bad("-0");
	size_bad("0k");
	size_bad("00");
	size_bad(".5g");
	size_bad("1.g");
	size_bad("");
	size_bad("g");
	size_bad("1.5g");
	size_bad(" 1g");
	size_bad("1g ");
	size_bad("1 g");
	size_bad("0m");
	size_bad("0");
	size_bad("512k"); /* rounds down to 0 MiB */
	size_bad("1023k");
	size_bad("8b"); /* bytes are not accepted */
	size_bad("8bb");
	size_bad("8gbb");
	size_bad("8mg");
	size_bad("8gi");
	size_bad("8gib");
	ok(ss_parse_size_mb(NULL, &(uint64_t){0}) == -1, "size NULL rejected");
}

static void size_why(const char *s, const char *needle)
{
	const char *why = ss_size_problem(s);

	like(why, needle, "size '%s': the reason says '%s'", s, needle);
}

static void test_size_problem(void)
{
	ok(ss_size_problem("8g") == NULL, "a good size has no problem");
	size_why("1.5g", "fractions");
	size_why("1.5g", "1536m");
	size_why("512k", "whole number of MiB");
	size_why("1536k", "multiple of 1024k");
	size_why("17t", "16t");
	size_why("99999999999999999999g", "16t");
	size_why("0", "more than 0");
	size_why("8x", "unknown unit");
	size_why("8b", "unknown unit");
	size_why("-1g", "whole number");
	size_why(" 1g", "no blanks");
	size_why("", "no size");
	size_why(NULL, "no size");
}

static void to_spark(const char *s, const char *want)
{
	char out[32] = "";

	ok(ss_size_to_spark(s, out, sizeof(out)) == 0, "'%s' normalises", s);
	is_str(out, want, "'%s' is '%s' for Spark and the JVM", s, want);
}

static void test_size_to_spark(void)
{
	char small[4];

	to_spark("2048", "2048m");
	to_spark("8gb", "8192m");
	to_spark("8G", "8192m");
	to_spark("4096k", "4m");
	to_spark("1024KB", "1m");
	to_spark("512m", "512m");
	to_spark("1t", "1048576m");
	to_spark("16t", "16777216m");
	to_spark("000512M", "512m");
	ok(ss_size_to_spark("512k", small, sizeof(small)) == -1,
	   "an invalid size is not normalised");
	ok(ss_size_to_spark("1g", small, sizeof(small)) == -1,
	   "'1024m' does not fit in 4 bytes: -1");
	ok(ss_size_to_spark("1g", NULL, 0) == -1, "NULL output: -1");
	ok(ss_size_to_spark("12m", small, sizeof(small)) == 0 &&
	       !strcmp(small, "12m"),
	   "'12m' fits in 4 bytes");
}

static void test_long(void)
{
	long v = -7;

	ok(ss_parse_long("1", 1, 10, &v) == 0 && v == 1, "long 1 in [1,10]");
	ok(ss_parse_long("10", 1, 10, &v) == 0 && v == 10, "long 10 in [1,10]");
	ok(ss_parse_long("007", 1, 10, &v) == 0 && v == 7,
	   "long leading zeros accepted");
	ok(ss_parse_long("0", 0, 0, &v) == 0 && v == 0, "long 0 in [0,0]");
	v = -7;
	ok(ss_parse_long("0", 1, 10, &v) == -1, "long below min rejected");
	ok(ss_parse_long("11", 1, 10, &v) == -1, "long above max rejected");
	ok(ss_parse_long("+1", 1, 10, &v) == -1, "long '+1' rejected");
	ok(ss_parse_long("-1", -10, 10, &v) == -1,
	   "long '-1' rejected (no sign, even with a negative min)");
	ok(ss_parse_long("1a", 1, 10, &v) == -1, "long '1a' rejected");
	ok(ss_parse_long("a1", 1, 10, &v) == -1, "long 'a1' rejected");
	ok(ss_parse_long("", 0, 10, &v) == -1, "long '' rejected");
	ok(ss_parse_long(" 1", 0, 10, &v) == -1, "long ' 1' rejected");
	ok(ss_parse_long("1 ", 0, 10, &v) == -1, "long '1 ' rejected");
	ok(ss_parse_long("0x10", 0, 100, &v) == -1, "long '0x10' rejected");
	ok(ss_parse_long("9223372036854775807", 0, LONG_MAX, &v) == 0 &&
	       v == LONG_MAX,
	   "long LONG_MAX accepted");
	v = -7;
	ok(ss_parse_long("9223372036854775808", 0, LONG_MAX, &v) == -1,
	   "long overflow rejected");
	ok(ss_parse_long("99999999999999999999999", 0, LONG_MAX, &v) == -1,
	   "long huge overflow rejected");
	ok(ss_parse_long(NULL, 0, 10, &v) == -1, "long NULL rejected");
	is_int(v, -7, "rejected longs leave the output alone");
}

static void test_mode_bool(void)
{
	enum ss_mode m = SS_MODE_NONE;
	bool b;

	ok(ss_parse_mode("cluster", &m) == 0 && m == SS_MODE_CLUSTER,
	   "mode cluster");
	ok(ss_parse_mode("client", &m) == 0 && m == SS_MODE_CLIENT,
	   "mode client");
	ok(ss_parse_mode("Cluster", &m) == -1, "mode is case-sensitive");
	ok(ss_parse_mode("local", &m) == -1, "mode local rejected");
	ok(ss_parse_mode("", &m) == -1, "mode '' rejected");
	ok(ss_parse_mode(NULL, &m) == -1, "mode NULL rejected");
	is_int(m, SS_MODE_CLIENT, "rejected modes leave the output alone");
	is_str(ss_mode_name(SS_MODE_CLUSTER), "cluster", "mode name cluster");
	is_str(ss_mode_name(SS_MODE_CLIENT), "client", "mode name client");
	is_str(ss_mode_name(SS_MODE_NONE), "none", "mode name none");

	static const char *const yes[] = {"yes", "on", "true", "1",
					  "YES", "On", "TRUE"};
	static const char *const no[] = {"no", "off", "false", "0",
					 "NO", "Off", "False"};
	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
		b = false;
		ok(ss_parse_bool(yes[i], &b) == 0 && b, "bool '%s' is true",
		   yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++) {
		b = true;
		ok(ss_parse_bool(no[i], &b) == 0 && !b, "bool '%s' is false",
		   no[i]);
	}
	static const char *const bad[] = {"",	   "y",	   "n",	   "2",
					  "maybe", " yes", "yes ", "enabled"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok(ss_parse_bool(bad[i], &b) == -1, "bool '%s' rejected",
		   bad[i]);
	ok(ss_parse_bool(NULL, &b) == -1, "bool NULL rejected");
}

static void test_conf_pair(void)
{
	static const char *const good[] = {
	    "spark.sql.shuffle.partitions=512",
	    "a=",
	    "spark.app.name=my app with blanks",
	    "spark.x=a,b c=d",
	    "A_b-c.9=x",
	    "spark.x=caf\xc3\xa9", /* UTF-8 is not a control character */
	};
	static const char *const bad[] = {
	    "novalue", "=x",	      "1a=b",	"a b=c", "a=b\nc",
	    "a=b\r",   "a=tab\there", "a\n=b",	"",	 ".a=b",
	    "_a=b",    "a/b=c",	      "a=\x7f", " a=b",	 "a =b",
	};
	char big[9000];

	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		ok(ss_check_conf_pair(good[i]) == 0, "conf pair '%s' valid",
		   good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok(ss_check_conf_pair(bad[i]) == -1, "conf pair '%s' invalid",
		   bad[i]);
	ok(ss_check_conf_pair(NULL) == -1, "conf pair NULL invalid");

	/* Key at most 256 bytes, value at most 8192. */
	memset(big, 'k', 256);
	strcpy(big + 256, "=v");
	ok(ss_check_conf_pair(big) == 0, "conf key of 256 bytes valid");
	memset(big, 'k', 257);
	strcpy(big + 257, "=v");
	ok(ss_check_conf_pair(big) == -1, "conf key of 257 bytes invalid");
	strcpy(big, "k=");
	memset(big + 2, 'v', 8192);
	big[2 + 8192] = '\0';
	ok(ss_check_conf_pair(big) == 0, "conf value of 8192 bytes valid");
	big[2 + 8192] = 'v';
	big[2 + 8193] = '\0';
	ok(ss_check_conf_pair(big) == -1, "conf value of 8193 bytes invalid");

	is_int(ss_conf_key_len("spark.sql.shuffle.partitions=512"), 28,
	       "conf key length");
	is_int(ss_conf_key_len("a="), 1, "conf key length of 'a='");
	is_int(ss_conf_key_len("a=b=c"), 1, "conf key ends at the first =");
	is_int(ss_conf_key_len("novalue"), 0, "conf key length without =");
	is_int(ss_conf_key_len("=x"), 0, "conf key length of '=x'");
}

static void test_class_name(void)
{
	static const char *const good[] = {
	    "org.example.Main",
	    "Outer$Inner",
	    "_x",
	    "Main",
	    "a1.b2",
	    "$",
	    "org.example.Outer$Inner_2",
	};
	static const char *const bad[] = {
	    "a b",  "a..b", ".a",  "a.",  "1a",	  "",
	    "a.1b", "a-b",  "a/b", "a;b", "a\nb", ".",
	};
	char big[1100];

	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		ok(ss_check_class_name(good[i]) == 0, "class '%s' valid",
		   good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok(ss_check_class_name(bad[i]) == -1, "class '%s' invalid",
		   bad[i]);
	ok(ss_check_class_name(NULL) == -1, "class NULL invalid");
	memset(big, 'a', 1024);
	big[1024] = '\0';
	ok(ss_check_class_name(big) == 0, "class of 1024 bytes valid");
	big[1024] = 'a';
	big[1025] = '\0';
	ok(ss_check_class_name(big) == -1, "class of 1025 bytes invalid");
}

static void test_text_list_path(void)
{
	char big[5000];

	ok(ss_check_list("a.jar,b.jar") == 0, "list a.jar,b.jar valid");
	ok(ss_check_list("a.jar") == 0, "list of one valid");
	ok(ss_check_list("hdfs://nn:8020/x.jar,/abs/y.jar") == 0,
	   "list of URIs and paths valid");
	ok(ss_check_list(",a") == -1, "list ',a' invalid");
	ok(ss_check_list("a,") == -1, "list 'a,' invalid");
	ok(ss_check_list("a,,b") == -1, "list 'a,,b' invalid");
	ok(ss_check_list("a b") == -1, "list 'a b' invalid");
	ok(ss_check_list("a,\tb") == -1, "list with a tab invalid");
	ok(ss_check_list("a\nb") == -1, "list with a newline invalid");
	ok(ss_check_list(",") == -1, "list ',' invalid");
	ok(ss_check_list("") == -1, "list '' invalid");
	ok(ss_check_list(NULL) == -1, "list NULL invalid");

	ok(ss_check_text("my app, v2") == 0, "text with blanks valid");
	ok(ss_check_text("") == -1, "text '' invalid");
	ok(ss_check_text("a\nb") == -1, "text with a newline invalid");
	ok(ss_check_text(NULL) == -1, "text NULL invalid");
	memset(big, 't', 256);
	big[256] = '\0';
	ok(ss_check_text(big) == 0, "text of 256 bytes valid");
	big[256] = 't';
	big[257] = '\0';
	ok(ss_check_text(big) == -1, "text of 257 bytes invalid");

	ok(ss_check_path("/a/b c") == 0, "path valid");
	ok(ss_check_path("") == -1, "path '' invalid");
	ok(ss_check_path("/a\n") == -1, "path with a newline invalid");
	memset(big, 'p', 4095);
	big[4095] = '\0';
	ok(ss_check_path(big) == 0, "path of 4095 bytes valid");
	big[4095] = 'p';
	big[4096] = '\0';
	ok(ss_check_path(big) == -1, "path of 4096 bytes invalid");
}

static void test_port_range(void)
{
	uint16_t lo = 1, hi = 2;

	ok(ss_parse_port_range("20000-20999", &lo, &hi) == 0,
	   "ports 20000-20999 valid");
	is_int(lo, 20000, "ports low");
	is_int(hi, 20999, "ports high");
	ok(ss_parse_port_range("1024-1039", &lo, &hi) == 0 && lo == 1024 &&
	       hi == 1039,
	   "ports 1024-1039 (16, the minimum) valid");
	ok(ss_parse_port_range("65520-65535", &lo, &hi) == 0 && lo == 65520 &&
	       hi == 65535,
	   "ports up to 65535 valid");
	ok(ss_parse_port_range("1024-65535", &lo, &hi) == 0,
	   "ports 1024-65535 valid");
	lo = 1;
	hi = 2;
	ok(ss_parse_port_range("80-100", &lo, &hi) == -1,
	   "privileged ports invalid");
	ok(ss_parse_port_range("1000-2000", &lo, &hi) == -1,
	   "ports starting below 1024 invalid");
	ok(ss_parse_port_range("2000-2005", &lo, &hi) == -1,
	   "too few ports invalid");
	ok(ss_parse_port_range("2000-2014", &lo, &hi) == -1,
	   "15 ports invalid");
	ok(ss_parse_port_range("3000-2000", &lo, &hi) == -1,
	   "reversed range invalid");
	ok(ss_parse_port_range("60000-65536", &lo, &hi) == -1,
	   "port 65536 invalid");
	ok(ss_parse_port_range("x", &lo, &hi) == -1, "ports 'x' invalid");
	ok(ss_parse_port_range("20000", &lo, &hi) == -1, "single port invalid");
	ok(ss_parse_port_range("20000-", &lo, &hi) == -1,
	   "ports '20000-' invalid");
	ok(ss_parse_port_range("-20999", &lo, &hi) == -1,
	   "ports '-20999' invalid");
	ok(ss_parse_port_range("20000-20999-1", &lo, &hi) == -1,
	   "ports with two dashes invalid");
	ok(ss_parse_port_range("20000 - 20999", &lo, &hi) == -1,
	   "ports with blanks invalid");
	ok(ss_parse_port_range("", &lo, &hi) == -1, "ports '' invalid");
	ok(ss_parse_port_range(NULL, &lo, &hi) == -1, "ports NULL invalid");
	ok(ss_parse_port_range("000000000000000000000000020000-20999", &lo,
			       &hi) == -1,
	   "over-long port range invalid");
	ok(lo == 1 && hi == 2, "rejected ranges leave the output alone");
}

static struct in_addr ip(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		abort();
	return a;
}

static void test_cidr(void)
{
	struct in_addr net;
	unsigned prefix = 99;
	char buf[INET_ADDRSTRLEN];

	ok(ss_parse_cidr("10.1.0.0/16", &net, &prefix) == 0,
	   "cidr 10.1.0.0/16 valid");
	is_int(prefix, 16, "cidr prefix");
	ok(ss_cidr_contains(net, prefix, ip("10.1.2.3")),
	   "10.1.0.0/16 contains 10.1.2.3");
	ok(ss_cidr_contains(net, prefix, ip("10.1.255.255")),
	   "10.1.0.0/16 contains 10.1.255.255");
	ok(!ss_cidr_contains(net, prefix, ip("10.2.0.1")),
	   "10.1.0.0/16 does not contain 10.2.0.1");
	ok(!ss_cidr_contains(net, prefix, ip("11.1.2.3")),
	   "10.1.0.0/16 does not contain 11.1.2.3");

	ok(ss_parse_cidr("10.1.2.3/16", &net, &prefix) == 0,
	   "cidr with host bits valid");
	inet_ntop(AF_INET, &net, buf, sizeof(buf));
	is_str(buf, "10.1.0.0", "host bits are masked");
	ok(ss_cidr_contains(net, prefix, ip("10.1.9.9")),
	   "masked network contains 10.1.9.9");

	ok(ss_parse_cidr("192.168.1.77/0", &net, &prefix) == 0 && prefix == 0,
	   "cidr /0 valid");
	inet_ntop(AF_INET, &net, buf, sizeof(buf));
	is_str(buf, "0.0.0.0", "/0 masks everything");
	ok(ss_cidr_contains(net, prefix, ip("1.2.3.4")) &&
	       ss_cidr_contains(net, prefix, ip("255.255.255.255")) &&
	       ss_cidr_contains(net, prefix, ip("0.0.0.0")),
	   "/0 contains all");

	ok(ss_parse_cidr("10.1.2.3/32", &net, &prefix) == 0 && prefix == 32,
	   "cidr /32 valid");
	ok(ss_cidr_contains(net, prefix, ip("10.1.2.3")) &&
	       !ss_cidr_contains(net, prefix, ip("10.1.2.4")),
	   "/32 contains only its address");
	ok(ss_parse_cidr("255.255.255.255/32", &net, &prefix) == 0,
	   "cidr of maximal length valid");
	ok(ss_parse_cidr("10.0.0.0/8", &net, &prefix) == 0 &&
	       ss_cidr_contains(net, prefix, ip("10.200.1.1")) &&
	       !ss_cidr_contains(net, prefix, ip("9.255.255.255")),
	   "10.0.0.0/8");
	ok(ss_parse_cidr("10.1.128.0/17", &net, &prefix) == 0 &&
	       ss_cidr_contains(net, prefix, ip("10.1.200.1")) &&
	       !ss_cidr_contains(net, prefix, ip("10.1.127.1")),
	   "10.1.128.0/17");

	prefix = 99;
	static const char *const bad[] = {
	    "10.1.0.0/33",
	    "10.1.0.0/40",
	    "10.1.0.0/-1",
	    "10.1.0.0/",
	    "10.1.0.0",
	    "10.1.0/16",
	    "10.1.0.256/16",
	    "x/8",
	    "/8",
	    "",
	    "10.1.0.0/ 8",
	    "10.1.0.0/8x",
	    "::1/128",
	    "255.255.255.255/032x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok(ss_parse_cidr(bad[i], &net, &prefix) == -1,
		   "cidr '%s' invalid", bad[i]);
	ok(ss_parse_cidr(NULL, &net, &prefix) == -1, "cidr NULL invalid");
	is_int(prefix, 99, "rejected cidrs leave the prefix alone");
}

static void nth_is(const char *list, long n, const char *want)
{
	char out[32];
	int rc = ss_hostlist_nth(list, n, out, sizeof(out));

	if (want)
		ok(rc == 0 && !strcmp(out, want), "host %ld of '%s' is %s (%s)",
		   n, list, want, rc ? "error" : out);
	else
		ok(rc == -1, "host %ld of '%s': none", n, list);
}

static void test_hostlist_nth(void)
{
	nth_is("node1", 0, "node1");
	nth_is("node1", 1, NULL);
	nth_is("node[1-3]", 0, "node1");
	nth_is("node[1-3]", 2, "node3");
	nth_is("node[1-3]", 3, NULL);
	nth_is("node[3-5,07],gpu1", 3, "node07");
	nth_is("node[3-5,07],gpu1", 4, "gpu1");
	nth_is("node[3-5,07],gpu1", 5, NULL);
	nth_is("a,b,c", 1, "b");
	nth_is("n[08-11]", 2, "n10");
	nth_is("r[1-2]x", 0, NULL); /* suffixes: not in Slurm's flat lists */
	nth_is("node[3-1]", 0, NULL);
	nth_is("node[1-", 0, NULL);
	nth_is("node[]", 0, NULL);
	nth_is("", 0, NULL);
	nth_is("node[1-3]", -1, NULL);
	nth_is("averyveryveryverylongnodenamethatistoolong", 0, NULL);
}

static void hostlist_good(const char *list, const char *want)
{
	char out[64] = "unchanged";

	ok(ss_hostlist_first(list, out, sizeof(out)) == 0,
	   "hostlist '%s' valid", list);
	is_str(out, want, "first host of '%s'", list);
}

static void test_hostlist(void)
{
	char out[64];

	hostlist_good("node[1-3]", "node1");
	hostlist_good("node[01-04],gpu1", "node01");
	hostlist_good("node[3-5,7],gpu1", "node3");
	hostlist_good("node[7,3-5]", "node7");
	hostlist_good("node[42]", "node42");
	hostlist_good("a,b", "a");
	hostlist_good("single", "single");
	hostlist_good("gpu1,node[1-3]", "gpu1");

	ok(ss_hostlist_first("x[", out, sizeof(out)) == -1,
	   "hostlist 'x[' invalid");
	ok(ss_hostlist_first("", out, sizeof(out)) == -1,
	   "hostlist '' invalid");
	ok(ss_hostlist_first(NULL, out, sizeof(out)) == -1,
	   "hostlist NULL invalid");
	ok(ss_hostlist_first("[1-3]", out, sizeof(out)) == -1,
	   "hostlist without a prefix invalid");
	ok(ss_hostlist_first(",a", out, sizeof(out)) == -1,
	   "hostlist ',a' invalid");
	ok(ss_hostlist_first("x[a-b]", out, sizeof(out)) == -1,
	   "hostlist 'x[a-b]' invalid");
	ok(ss_hostlist_first("x[1x]", out, sizeof(out)) == -1,
	   "hostlist 'x[1x]' invalid");

	/* The output buffer must hold the name and its NUL. */
	ok(ss_hostlist_first("node[1]", out, 6) == 0, "node1 fits in 6 bytes");
	is_str(out, "node1", "node1 in 6 bytes");
	ok(ss_hostlist_first("node[1]", out, 5) == -1,
	   "node1 does not fit in 5 bytes");
	ok(ss_hostlist_first("node", out, 4) == -1,
	   "node does not fit in 4 bytes");
	ok(ss_hostlist_first("node,x", out, 5) == 0, "node fits in 5 bytes");

	ok(ss_hostlist_first("node[1", out, sizeof(out)) == -1,
	   "hostlist 'node[1' invalid");
	ok(ss_hostlist_first("node[1-3", out, sizeof(out)) == -1,
	   "hostlist 'node[1-3' invalid");
}

int main(void)
{
	test_hostlist_nth();
	test_size();
	test_size_problem();
	test_size_to_spark();
	test_long();
	test_mode_bool();
	test_conf_pair();
	test_class_name();
	test_text_list_path();
	test_port_range();
	test_cidr();
	test_hostlist();
	return done_testing();
}
