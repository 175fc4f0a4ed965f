/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_site_config.c - the plugstack.conf arguments of plugin/site_config.c.
 */
#include "tap.h"
#include "site_config.h"

#include <arpa/inet.h>
#include <string.h>

/* Parse the one argument ARG; returns ss_site_parse's result. */
static int parse1(struct ss_site *s, const char *arg, char *err, size_t errlen)
{
	char *argv[] = {(char *)arg, NULL};

	return ss_site_parse(s, 1, argv, err, errlen);
}

static void test_defaults(void)
{
	struct ss_site s;
	char err[512] = "";

	memset(&s, 0x5a, sizeof(s));
	ok(ss_site_parse(&s, 0, NULL, err, sizeof(err)) == 0,
	   "no arguments: defaults");
	is_int(s.port_lo, 20000, "default ports low");
	is_int(s.port_hi, 20999, "default ports high");
	is_int(s.default_mode, SS_MODE_CLUSTER, "default mode cluster");
	is_int(s.startup_timeout, 300, "default startup_timeout");
	is_int(s.stop_timeout, 10, "default stop_timeout");
	is_int(s.encryption, SS_ENC_ALLOWED, "encryption allowed");
	is_str(s.spark_home, "/opt/spark", "default spark_home");
	is_str(s.java_home, "", "default java_home: none (PATH)");
	is_str(s.python, "python3", "default python");
	is_str(s.scratch_dir, "/tmp", "default scratch_dir");
	is_str(
	    s.log_dir, "%h/.spank-spark/%j",
	    "default log_dir: in the home, where no one else can pre-empt it");
	is_str(s.event_log_dir, "", "no event logs by default");
	is_str(s.class_cache, "/var/cache/spank-spark",
	       "the class cache where spank-spark-class-cache makes it");
	is_str(s.munge_socket, "", "default munge socket");
	is_str(s.interface, "", "no interface by default");
	ok(!s.have_network, "no network by default");
	like(s.jar, "spank-spark.jar", "default jar");
	is_str(s.users, "", "everyone by default");
	ok(s.helper[0] == '/' && strstr(s.helper, "spank-spark-helper"),
	   "default helper is an absolute path (%s)", s.helper);
	ok(ss_site_user_allowed(&s, "anyone"), "empty users allows all");
}

static void test_keys(void)
{
	static char *argv[] = {
	    "helper=/usr/lib/ss/helper",
	    "spark_home=/opt/spark-3.5",
	    "java_home=/usr/lib/jvm/java-17",
	    "python=/usr/bin/python3.11",
	    "ports=30000-30099",
	    "scratch_dir=/scratch",
	    "log_dir=/var/log/spark/%u/%j.%s",
	    "event_log_dir=/shared/spark-events",
	    "munge_socket=/run/munge/munge.socket.2",
	    "network=10.1.2.3/16",
	    "interface=eth1",
	    "default_mode=client",
	    "startup_timeout=600",
	    "stop_timeout=30",
	    "encryption=required",
	    "jar=/opt/ss/spank-spark.jar",
	    "users=alice,bob",
	};
	struct ss_site s;
	char err[512] = "", net[INET_ADDRSTRLEN];
	int argc = (int)(sizeof(argv) / sizeof(*argv));

	ok(ss_site_parse(&s, argc, argv, err, sizeof(err)) == 0,
	   "every key parses");
	if (err[0])
		fprintf(stderr, "# %s\n", err);
	is_str(s.helper, "/usr/lib/ss/helper", "helper");
	is_str(s.spark_home, "/opt/spark-3.5", "spark_home");
	is_str(s.java_home, "/usr/lib/jvm/java-17", "java_home");
	is_str(s.python, "/usr/bin/python3.11", "python");
	is_int(s.port_lo, 30000, "ports low");
	is_int(s.port_hi, 30099, "ports high");
	is_str(s.scratch_dir, "/scratch", "scratch_dir");
	is_str(s.log_dir, "/var/log/spark/%u/%j.%s", "log_dir");
	is_str(s.event_log_dir, "/shared/spark-events", "event_log_dir");
	is_str(s.munge_socket, "/run/munge/munge.socket.2", "munge_socket");
	ok(s.have_network, "network set");
	inet_ntop(AF_INET, &s.network, net, sizeof(net));
	is_str(net, "10.1.0.0", "network masked");
	is_int(s.network_prefix, 16, "network prefix");
	is_str(s.interface, "eth1", "interface");
	is_int(s.default_mode, SS_MODE_CLIENT, "default_mode");
	is_int(s.startup_timeout, 600, "startup_timeout");
	is_int(s.stop_timeout, 30, "stop_timeout");
	is_int(s.encryption, SS_ENC_REQUIRED, "encryption");
	is_str(s.jar, "/opt/ss/spank-spark.jar", "jar");
	is_str(s.users, "alice,bob", "users");

	ok(parse1(&s, "encryption=off", err, sizeof(err)) == 0 &&
	       s.encryption == SS_ENC_OFF,
	   "encryption=off");
	ok(parse1(&s, "encryption=allowed", err, sizeof(err)) == 0 &&
	       s.encryption == SS_ENC_ALLOWED,
	   "encryption=allowed");
	ok(parse1(&s, "default_mode=cluster", err, sizeof(err)) == 0 &&
	       s.default_mode == SS_MODE_CLUSTER,
	   "default_mode=cluster");
	ok(parse1(&s, "startup_timeout=86400", err, sizeof(err)) == 0 &&
	       s.startup_timeout == 86400,
	   "startup_timeout=86400");
	ok(parse1(&s, "interface=abcdefghijklmno", err, sizeof(err)) == 0,
	   "interface of 15 characters");

	/* Arguments apply in order: a later one wins; each parse starts
	 * from the defaults. */
	char *twice[] = {"startup_timeout=5", "startup_timeout=7"};
	ok(ss_site_parse(&s, 2, twice, err, sizeof(err)) == 0 &&
	       s.startup_timeout == 7 && s.stop_timeout == 10 &&
	       !strcmp(s.spark_home, "/opt/spark"),
	   "later argument wins, others are defaults");
}

static void bad(const char *arg, const char *key)
{
	struct ss_site s;
	char err[512] = "";

	ok(parse1(&s, arg, err, sizeof(err)) == -1, "'%s' rejected", arg);
	like(err, key, "message for '%s' names %s", arg, key);
}

static void test_errors(void)
{
	char path[SS_PATH_LEN + 16];
	struct ss_site s;
	char err[512] = "";

	ok(parse1(&s, "class_cache=none", err, sizeof(err)) == 0 &&
	       s.class_cache[0] == '\0',
	   "class_cache=none: no class cache");
	ok(parse1(&s, "sprak_home=/opt/spark", err, sizeof(err)) == -1,
	   "unknown key rejected");
	like(err, "sprak_home=/opt/spark", "message contains the argument");
	like(err, "unknown", "message says unknown");
	bad("spark_home", "spark_home"); /* no = */
	bad("class_cache=cache", "class_cache");
	bad("class_cache=", "class_cache");
	bad("spark_home_x=/a", "spark_home_x");
	bad("spark=/a", "spark=/a");
	bad("=x", "'=x'");
	bad("", "''");
	bad("SPARK_HOME=/a", "SPARK_HOME");

	bad("spark_home=opt/spark", "spark_home");
	bad("spark_home=", "spark_home");
	bad("helper=helper", "helper");
	bad("java_home=relative", "java_home");
	bad("python=python3", "python");
	bad("scratch_dir=/a\nb", "scratch_dir");
	bad("log_dir=~/logs", "log_dir");
	bad("log_dir=%h", "log_dir");
	bad("scratch_dir=%h/scratch", "scratch_dir");
	bad("event_log_dir=hdfs:///events", "event_log_dir");
	bad("munge_socket=munge.socket", "munge_socket");
	bad("ports=1-10", "ports");
	bad("ports=20000-20010", "ports");
	bad("ports=x", "ports");
	bad("network=10.0.0.0/40", "network");
	bad("network=10.0.0.0", "network");
	bad("interface=", "interface");
	bad("interface=a b", "interface");
	bad("interface=a/b", "interface");
	bad("interface=abcdefghijklmnop", "interface"); /* 16 > IF_NAMESIZE-1 */
	bad("default_mode=x", "default_mode");
	bad("default_mode=", "default_mode");
	bad("startup_timeout=0", "startup_timeout");
	bad("startup_timeout=86401", "startup_timeout");
	bad("startup_timeout=5s", "startup_timeout");
	bad("stop_timeout=-1", "stop_timeout");
	bad("encryption=maybe", "encryption");
	bad("encryption=on", "encryption");
	bad("daemon_memory=512m", "daemon_memory");
	bad("jar=spank-spark.jar", "jar");
	bad("interface=eth\x1b", "interface");
	bad("users=", "users");
	bad("users=alice,,bob", "users");
	bad("users=alice bob", "users");

	err[0] = '\0';
	ok(parse1(&s, "encryption=maybe", err, sizeof(err)) == -1,
	   "encryption=maybe rejected");
	like(err, "'maybe'", "message quotes the value");
	like(err, "off, allowed or required", "message says what is expected");

	/* Paths must fit their field. */
	path[0] = '/';
	memset(path + 1, 'p', SS_PATH_LEN - 2);
	path[SS_PATH_LEN - 1] = '\0';
	char arg[SS_PATH_LEN + 32];
	snprintf(arg, sizeof(arg), "spark_home=%s", path);
	ok(parse1(&s, arg, err, sizeof(err)) == 0 &&
	       strlen(s.spark_home) == SS_PATH_LEN - 1,
	   "path of %d bytes fits", SS_PATH_LEN - 1);
	path[SS_PATH_LEN - 1] = 'p';
	path[SS_PATH_LEN] = '\0';
	snprintf(arg, sizeof(arg), "spark_home=%s", path);
	ok(parse1(&s, arg, err, sizeof(err)) == -1, "path of %d bytes rejected",
	   SS_PATH_LEN);

	/* The first bad argument stops the parse. */
	char *argv[] = {"ports=30000-30099", "bogus=1", "default_mode=x"};
	err[0] = '\0';
	ok(ss_site_parse(&s, 3, argv, err, sizeof(err)) == -1,
	   "a bad argument among good ones");
	like(err, "bogus=1", "the first bad argument is named");
}

static void test_users(void)
{
	struct ss_site s;
	char err[512];

	ok(parse1(&s, "users=alice,bob", err, sizeof(err)) == 0,
	   "users=alice,bob");
	ok(ss_site_user_allowed(&s, "alice"), "alice allowed");
	ok(ss_site_user_allowed(&s, "bob"), "bob allowed");
	ok(!ss_site_user_allowed(&s, "bo"), "bo refused");
	ok(!ss_site_user_allowed(&s, "bobby"), "bobby refused");
	ok(!ss_site_user_allowed(&s, "carol"), "carol refused");
	ok(!ss_site_user_allowed(&s, "alice,bob"), "the whole list refused");
	ok(!ss_site_user_allowed(&s, ""), "empty user refused");
	ok(parse1(&s, "users=carol", err, sizeof(err)) == 0 &&
	       ss_site_user_allowed(&s, "carol") &&
	       !ss_site_user_allowed(&s, "caro"),
	   "a list of one");
}

static void test_expand(void)
{
	char out[64];

	ok(ss_expand_dir("/l/%u/%j/%s", "alice", "/h", 42, 7, out,
			 sizeof(out)) == 0,
	   "%%u %%j %%s expand");
	is_str(out, "/l/alice/42/7", "expanded path");
	ok(ss_expand_dir("/l/100%%/%u%u", "b", "/h", 1, 2, out, sizeof(out)) ==
	       0,
	   "%%%% expands");
	is_str(out, "/l/100%/bb", "%% is a percent sign");
	ok(ss_expand_dir("/plain", "a", "/h", 1, 2, out, sizeof(out)) == 0,
	   "no %% at all");
	is_str(out, "/plain", "copied as is");
	ok(ss_expand_dir("%h/.s/%j", "a", "/home/a", 9, 0, out, sizeof(out)) ==
	       0,
	   "%%h expands");
	is_str(out, "/home/a/.s/9", "%%h is the home directory");
	ok(ss_expand_dir("/j%j", "a", "/h", 4294967296UL, 0, out,
			 sizeof(out)) == 0,
	   "large job id");
	is_str(out, "/j4294967296", "large job id expanded");
	ok(ss_expand_dir("/s%s", "a", "/h", 1, 4294967294UL, out,
			 sizeof(out)) == 0,
	   "large step id (batch step)");
	is_str(out, "/s4294967294", "large step id expanded");

	ok(ss_expand_dir("/l/%x", "a", "/h", 1, 2, out, sizeof(out)) == -1,
	   "unknown %%x rejected");
	ok(ss_expand_dir("/l/%", "a", "/h", 1, 2, out, sizeof(out)) == -1,
	   "trailing %% rejected");
	ok(ss_expand_dir("/l/%U", "a", "/h", 1, 2, out, sizeof(out)) == -1,
	   "%%U rejected");
	ok(ss_expand_dir("", "a", "/h", 1, 2, out, sizeof(out)) == -1,
	   "empty template rejected");
	ok(ss_expand_dir("%u", "", "/h", 1, 2, out, sizeof(out)) == -1,
	   "empty expansion rejected");

	/* Truncation: the result and its NUL must fit. */
	ok(ss_expand_dir("/abc", "a", "/h", 1, 2, out, 5) == 0,
	   "4 bytes fit in 5");
	is_str(out, "/abc", "exact fit");
	ok(ss_expand_dir("/abcd", "a", "/h", 1, 2, out, 5) == -1,
	   "5 bytes do not fit in 5");
	ok(ss_expand_dir("/%u", "alice", "/h", 1, 2, out, 6) == -1,
	   "user expansion truncated rejected");
	ok(ss_expand_dir("/%u", "alice", "/h", 1, 2, out, 7) == 0,
	   "user expansion fits");
	ok(ss_expand_dir("/%j", "a", "/h", 123456, 2, out, 7) == -1,
	   "job expansion truncated rejected");
	ok(ss_expand_dir("/%s", "a", "/h", 1, 123456, out, 7) == -1,
	   "step expansion truncated rejected");
	ok(ss_expand_dir("/a%%", "a", "/h", 1, 2, out, 3) == -1,
	   "%%%% truncated rejected");
	ok(ss_expand_dir("/", "a", "/h", 1, 2, out, 1) == -1,
	   "nothing fits in 1");
	ok(ss_expand_dir("/", "a", "/h", 1, 2, out, 0) == -1,
	   "nothing fits in 0");
}

/* The site's encryption= policy and the user's --spark-encryption. */
static void test_encryption(void)
{
	struct ss_site site = {.encryption = SS_ENC_ALLOWED};
	char err[256] = "";
	bool on = false;

	ok(ss_site_encryption(&site, NULL, &on, err, sizeof(err)) == 0 && on,
	   "allowed, nothing asked: on");
	ok(ss_site_encryption(&site, "off", &on, err, sizeof(err)) == 0 && !on,
	   "allowed, --spark-encryption=off: off");
	site.encryption = SS_ENC_OFF;
	ok(ss_site_encryption(&site, NULL, &on, err, sizeof(err)) == 0 && !on,
	   "encryption=off, nothing asked: off");
	is_int(ss_site_encryption(&site, "on", &on, err, sizeof(err)), -1,
	       "encryption=off refuses --spark-encryption=on");
	like(err, "this site has turned encryption off", "...saying so");
	site.encryption = SS_ENC_REQUIRED;
	ok(ss_site_encryption(&site, "yes", &on, err, sizeof(err)) == 0 && on,
	   "encryption=required, --spark-encryption=yes: on");
	is_int(ss_site_encryption(&site, "off", &on, err, sizeof(err)), -1,
	       "encryption=required refuses --spark-encryption=off");
	like(err, "this site requires encryption", "...saying so");
}

int main(void)
{
	test_encryption();
	test_defaults();
	test_keys();
	test_errors();
	test_users();
	test_expand();
	return done_testing();
}
