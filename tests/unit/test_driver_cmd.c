/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_driver_cmd.c - the driver JVM's command line without Spark's
 * launcher (helper/driver_cmd.c): Spark's option-string splitting, the
 * launcher's order (class path, SPARK_SUBMIT_OPTS, heap, the driver's
 * default then extra Java options, the launcher's own options, the main
 * class), where the heap comes from, and every case left to the launcher.
 */
#include "tap.h"

#include "driver_cmd.h"

#include <stdlib.h>

static const char *joined(char *const *argv)
{
	static char line[8192];
	size_t n = 0;

	line[0] = '\0';
	for (; argv && *argv; argv++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s[%s]",
				      n ? " " : "", *argv);
	return line;
}

/* OPTS split as the launcher splits it, each word in brackets; "FAIL" when
 * refused. */
static const char *split(const char *opts)
{
	static char line[4096];
	struct strv s = {0};
	char **v;

	if (driver_split_options(&s, opts)) {
		snprintf(line, sizeof(line), "FAIL%s", s.n ? " (touched)" : "");
		strv_free(strv_take(&s));
		return line;
	}
	v = strv_take(&s);
	snprintf(line, sizeof(line), "%s", joined(v));
	strv_free(v);
	return line;
}

static struct class_cache cc;

static void cache(void)
{
	memset(&cc, 0, sizeof(cc));
	cc.on = true;
	snprintf(cc.classpath, sizeof(cc.classpath),
		 "/opt/ss/ss.jar:/cache/conf/:/spark/jars/*");
	snprintf(cc.submit_opts, sizeof(cc.submit_opts),
		 "-XX:+IgnoreUnrecognizedVMOptions "
		 "--add-opens=java.base/java.lang=ALL-UNNAMED "
		 "-Dderby.connection.requireAuthentication=false");
}

static const char base_props[] =
    "spark.driver.host=10.1.2.3\n"
    "spark.driver.extraJavaOptions=-Djava.io.tmpdir=/step/tmp\n"
    "spark.authenticate.secret=s3cret\n"
    "spark.driver.extraClassPath=/opt/ss/ss.jar\n"
    "spark.driver.defaultExtraClassPath=\n";

/* The command line for PROPS, ENV, MEMORY and CLASS; "LAUNCHER: why" when
 * left to the launcher. */
static const char *build(const char *props, char *const *env,
			 const char *memory, const char *main_class)
{
	static char line[8192];
	struct driver_direct d = {.java = "/jdk/bin/java",
				  .cc = &cc,
				  .props = props,
				  .props_len = strlen(props),
				  .driver_memory = memory,
				  .main_class = main_class,
				  .env = env};
	struct strv a = {0};
	char why[256], **v;
	int rc = driver_direct_jvm(&d, &a, why, sizeof(why));

	v = strv_take(&a);
	if (rc == 1)
		snprintf(line, sizeof(line), "LAUNCHER: %s%s", why,
			 v && v[0] ? " (argv touched)" : "");
	else if (rc)
		snprintf(line, sizeof(line), "ERROR");
	else
		snprintf(line, sizeof(line), "%s", joined(v));
	strv_free(v);
	return line;
}

static char *no_env[] = {NULL};

static void test_split(void)
{
	is_str(split("-Da=1  -Db=2\t-Dc"), "[-Da=1] [-Db=2] [-Dc]",
	       "blanks separate words");
	is_str(split("  "), "", "blanks only: no word");
	is_str(split("-Dx='a b' \"-Dy=c d\""), "[-Dx=a b] [-Dy=c d]",
	       "quotes keep blanks, and go");
	is_str(split("'' \"\""), "[] []", "quoted empty strings are words");
	is_str(split("a\\ b"), "[a b]", "a backslash escapes outside quotes");
	is_str(split("\"a\\\"b\""), "[a\"b]", "and inside double quotes");
	is_str(split("'a\\b'"), "[a\\b]", "but not inside single quotes");
	is_str(split("\"it's\" 'say \"hi\"'"), "[it's] [say \"hi\"]",
	       "one quote inside the other is plain");
	is_str(split("-Da\x0b-Db\x1f-Dc"), "[-Da] [-Db] [-Dc]",
	       "Java's blanks: vertical tab, unit separator");
	is_str(split("'open"), "FAIL", "an unterminated quote is refused");
	is_str(split("x\\"), "FAIL", "so is a trailing backslash");
	is_str(split("-Dname=caf\xc3\xa9"), "FAIL",
	       "non-ASCII is left to the launcher (Unicode blanks)");
}

static void test_order(void)
{
	char *env[] = {
	    "SPARK_SUBMIT_OPTS=-XX:SharedArchiveFile=/cache/spark.jsa "
	    "-Dlog4j2.configurationFile=file:/step/conf/log4j2."
	    "properties",
	    "HOME=/home/u", NULL};
	char props[1024];

	cache();
	is_str(
	    build(base_props, env, NULL, NULL),
	    "[/jdk/bin/java] [-cp] [/opt/ss/ss.jar:/cache/conf/:/spark/jars/*] "
	    "[-XX:SharedArchiveFile=/cache/spark.jsa] "
	    "[-Dlog4j2.configurationFile=file:/step/conf/log4j2.properties] "
	    "[-Xmx1g] [-Djava.io.tmpdir=/step/tmp] "
	    "[-XX:+IgnoreUnrecognizedVMOptions] "
	    "[--add-opens=java.base/java.lang=ALL-UNNAMED] "
	    "[-Dderby.connection.requireAuthentication=false] "
	    "[org.apache.spark.deploy.SparkSubmit]",
	    "the launcher's order; 1g by default");
	snprintf(props, sizeof(props),
		 "%sspark.driver.defaultJavaOptions = -Dd=1 '-Dsp=a b'  \n"
		 "spark.driver.extraJavaOptions=-Dlast=1 -Dx=2\n"
		 "spark.driver.memory=3g\n",
		 base_props);
	is_str(
	    build(props, no_env, NULL, NULL),
	    "[/jdk/bin/java] [-cp] [/opt/ss/ss.jar:/cache/conf/:/spark/jars/*] "
	    "[-Xmx3g] [-Dd=1] [-Dsp=a b] [-Dlast=1] [-Dx=2] "
	    "[-XX:+IgnoreUnrecognizedVMOptions] "
	    "[--add-opens=java.base/java.lang=ALL-UNNAMED] "
	    "[-Dderby.connection.requireAuthentication=false] "
	    "[org.apache.spark.deploy.SparkSubmit]",
	    "default before extra Java options (the later key wins), the "
	    "file's memory, values trimmed");
	like(build(props, no_env, "2048m", NULL), "[-Xmx2048m]",
	     "--driver-memory wins over the file");
	{
		char *e[] = {"SPARK_DRIVER_MEMORY=5g", "SPARK_MEM=6g", NULL};
		char *m[] = {"SPARK_MEM=6g", NULL};
		char *j[] = {"JAVA_HOME=/user/jdk", NULL};

		like(build(base_props, e, NULL, NULL), "[-Xmx5g]",
		     "then SPARK_DRIVER_MEMORY");
		like(build(base_props, m, NULL, NULL), "[-Xmx6g]",
		     "then SPARK_MEM");
		like(build(props, e, NULL, NULL), "[-Xmx3g]",
		     "the file before the environment");
		like(build(base_props, j, NULL, NULL), "[/user/jdk/bin/java]",
		     "JAVA_HOME's java, as spark-class runs it");
	}
	like(build(base_props, no_env, NULL, "org.example.Main"),
	     "[org.apache.spark.deploy.SparkSubmit]",
	     "an ordinary --class is fine");
}

static void test_launcher_cases(void)
{
	char props[2048];
	char *hadoop[] = {"HADOOP_CONF_DIR=/etc/hadoop", NULL};
	char *remote[] = {"SPARK_REMOTE=sc://x", NULL};
	char *bad_opts[] = {"SPARK_SUBMIT_OPTS=-Da='x", NULL};

	cache();
	like(build(base_props, hadoop, NULL, NULL), "LAUNCHER: HADOOP_CONF_DIR",
	     "HADOOP_CONF_DIR adds to the class path: launcher");
	like(build(base_props, remote, NULL, NULL), "LAUNCHER: SPARK_REMOTE",
	     "SPARK_REMOTE: launcher");
	{
		char *print[] = {"SPARK_PRINT_LAUNCH_COMMAND=1", NULL};

		like(build(base_props, print, NULL, NULL),
		     "LAUNCHER: SPARK_PRINT_LAUNCH_COMMAND",
		     "SPARK_PRINT_LAUNCH_COMMAND: the launcher prints it");
	}
	like(build(base_props, bad_opts, NULL, NULL),
	     "LAUNCHER: SPARK_SUBMIT_OPTS",
	     "an unparsable SPARK_SUBMIT_OPTS: launcher (it says why)");
	ok(!strstr(build(base_props, bad_opts, NULL, NULL), "touched"),
	   "the argv is untouched when the launcher builds it");
	like(build(base_props, no_env, NULL,
		   "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"),
	     "LAUNCHER: a main class", "the Thrift server: launcher");
	like(build(base_props, no_env, NULL, "org.apache.spark.repl.Main"),
	     "LAUNCHER: a main class", "the Scala shell: launcher");
	snprintf(props, sizeof(props), "%sspark.remote=sc://h\n", base_props);
	like(build(props, no_env, NULL, NULL), "LAUNCHER: spark.remote",
	     "spark.remote: launcher");
	snprintf(props, sizeof(props), "%sspark.api.mode=connect\n",
		 base_props);
	like(build(props, no_env, NULL, NULL), "LAUNCHER: spark.remote",
	     "spark.api.mode: launcher");
	snprintf(props, sizeof(props),
		 "%sspark.driver.extraLibraryPath=/opt/lib\n", base_props);
	like(build(props, no_env, NULL, NULL),
	     "LAUNCHER: spark.driver.extraLibraryPath",
	     "a library path (LD_LIBRARY_PATH): launcher");
	snprintf(props, sizeof(props),
		 "%sspark.driver.extraClassPath=/opt/ss/ss.jar:/u/x.jar\n",
		 base_props);
	like(build(props, no_env, NULL, NULL), "LAUNCHER: a driver class path",
	     "a user's class path is not the archive's: launcher");
	snprintf(props, sizeof(props),
		 "%sspark.driver.defaultExtraClassPath=/spark/hive-jackson/*\n",
		 base_props);
	like(build(props, no_env, NULL, NULL), "LAUNCHER: a driver class path",
	     "a default class path the cache was not made with: launcher");
	snprintf(props, sizeof(props),
		 "%sspark.driver.extraJavaOptions=-Xmx4g\n", base_props);
	like(build(props, no_env, NULL, NULL),
	     "LAUNCHER: spark.driver.extraJavaOptions",
	     "a heap in the Java options: the launcher refuses it itself");
	snprintf(props, sizeof(props),
		 "%sspark.driver.defaultJavaOptions=\"-Dx\n", base_props);
	like(build(props, no_env, NULL, NULL),
	     "LAUNCHER: spark.driver.defaultJavaOptions",
	     "unparsable Java options: launcher");
	cc.submit_opts[0] = '\0';
	like(build(base_props, no_env, NULL, NULL),
	     "LAUNCHER: the class cache does not record",
	     "a cache made by an older spank-spark-class-cache: launcher");
	cache();
	cc.on = false;
	like(build(base_props, no_env, NULL, NULL),
	     "LAUNCHER:", "no class cache: launcher");
}

static void test_manifest(void)
{
	struct class_cache c;

	memset(&c, 0, sizeof(c));
	class_cache_parse_launcher(
	    "spark_home=/s\nsubmit_opts=-XX:+A --add-opens=x=y\n"
	    "scala_version=2.13\n",
	    &c);
	is_str(c.submit_opts, "-XX:+A --add-opens=x=y",
	       "the manifest's submit_opts");
	is_str(c.scala_version, "2.13", "and scala_version");
	class_cache_parse_launcher("spark_home=/s\nscala_version=2.13; rm\n",
				   &c);
	is_str(c.submit_opts, "", "none recorded: empty");
	is_str(c.scala_version, "",
	       "a scala_version not digits and dots: "
	       "empty");
	class_cache_parse_launcher("submit_opts=-Da\tb\n", &c);
	is_str(c.submit_opts, "", "a control character: empty");
}

int main(void)
{
	test_split();
	test_order();
	test_launcher_cases();
	test_manifest();
	return done_testing();
}
