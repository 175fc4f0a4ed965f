/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_class_cache.c - the site's class cache (common/class_cache.c): the
 * manifest must fit the site, and the cache must be root's alone.
 */
#include "class_cache.h"
#include "tap.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define JAVA "/usr/lib/jvm/j17/bin/java"
#define CP "/x/spank-spark.jar:/c/conf/:/spark/jars/*"

static char why[512];

static void site_for(struct ss_site *s, const char *dir)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->spark_home, sizeof(s->spark_home), "/spark");
	snprintf(s->jar, sizeof(s->jar), "/x/spank-spark.jar");
	snprintf(s->class_cache, sizeof(s->class_cache), "%s", dir);
}

static int parse(const char *text, char *cp, size_t cplen)
{
	struct ss_site s;

	site_for(&s, "/c");
	cp[0] = '\0';
	return class_cache_parse_manifest(text, &s, JAVA, cp, cplen, why,
					  sizeof(why));
}

static void test_manifest(void)
{
	char cp[CLASS_CACHE_CP_MAX], small[8];
	const char *good = "spark_home=/spark\njar=/x/spank-spark.jar\n"
			   "java=" JAVA "\nclasspath=" CP "\n";

	is_int(parse(good, cp, sizeof(cp)), 0, "a manifest for this site");
	is_str(cp, CP, "its class path");
	is_int(parse("classpath=" CP "\njava=" JAVA
		     "\njar=/x/spank-spark.jar\nspark_home=/spark",
		     cp, sizeof(cp)),
	       0, "in any order, last line without newline");
	is_int(parse("spark_home=/other\njar=/x/spank-spark.jar\njava=" JAVA
		     "\nclasspath=" CP "\n",
		     cp, sizeof(cp)),
	       -1, "made for another Spark");
	like(why, "another spark_home", "says which");
	like(why, "spank-spark-class-cache", "and what to run");
	is_int(parse("spark_home=/spark\njar=/y.jar\njava=" JAVA
		     "\nclasspath=" CP "\n",
		     cp, sizeof(cp)),
	       -1, "made for another jar");
	is_int(parse("spark_home=/spark\njar=/x/spank-spark.jar\njava=/j\n"
		     "classpath=" CP "\n",
		     cp, sizeof(cp)),
	       -1, "made for another java");
	is_int(parse("spark_home=/spark\njar=/x/spank-spark.jar\njava=" JAVA
		     "\n",
		     cp, sizeof(cp)),
	       -1, "no class path");
	is_int(parse("spark_home=/spark\njar=/x/spank-spark.jar\njava=" JAVA
		     "\nclasspath=\n",
		     cp, sizeof(cp)),
	       -1, "an empty class path");
	is_int(parse("spark_home=/spark\njar=/x/spank-spark.jar\njava=" JAVA
		     "\nclasspath=/a b.jar\n",
		     cp, sizeof(cp)),
	       -1, "a class path with a blank");
	is_int(
	    parse("spark_home=/spark\njar=/x/spank-spark.jar\njava=" JAVA
		  "\nclasspath=/x/spank-spark.jar:hive-jackson/*:/s/jars/*\n",
		  cp, sizeof(cp)),
	    -1, "a class path with a relative entry (Spark 4.0's default)");
	like(why, "relative entry", "says so");
	like(why, "run spank-spark-class-cache again", "...and what to run");
	is_str(cp, "", "...and gives no class path");
	is_int(parse("spark_home=/spark\njar=/x/spank-spark.jar\njava=" JAVA
		     "\nclasspath=hive-jackson/*:/s/jars/*\n",
		     cp, sizeof(cp)),
	       -1, "a relative first entry");
	is_int(parse("spark_home=/spark\njar=/x/spank-spark.jar\njava=" JAVA
		     "\nclasspath=/x/spank-spark.jar::/s/jars/*\n",
		     cp, sizeof(cp)),
	       -1, "an empty entry (the working directory to the JVM)");
	is_int(parse("spark_home=/spark\njar=/x/spank-spark.jar\njava=" JAVA
		     "\nclasspath=/x/spank-spark.jar:/s/jars/*:\n",
		     cp, sizeof(cp)),
	       -1, "a trailing empty entry");
	is_int(parse(good, small, sizeof(small)), -1,
	       "a class path longer than the buffer");
	is_int(parse("spark_home_x=/spark\nspark_home=/spark2\njar=/x/"
		     "spank-spark.jar\njava=" JAVA "\nclasspath=" CP "\n",
		     cp, sizeof(cp)),
	       -1, "a longer key is not the key");
	is_int(parse("", cp, sizeof(cp)), -1, "an empty manifest");
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	SETUP(!(f = fopen(path, "w")));
	fputs(text, f);
	SETUP(fclose(f));
	SETUP(chmod(path, 0644));
}

static int find(const char *dir, struct class_cache *cc)
{
	struct ss_site s;

	site_for(&s, dir);
	return class_cache_find(&s, JAVA, cc, why, sizeof(why));
}

/* Needs root: the cache must be root's. */
static void test_find(void)
{
	char dir[] = "/tmp/test_class_cache.XXXXXX", path[256], cmd[300];
	struct class_cache cc;

	SETUP(!mkdtemp(dir));
	SETUP(chmod(dir, 0755));
	put(dir, "manifest",
	    "spark_home=/spark\njar=/x/spank-spark.jar\njava=" JAVA
	    "\nclasspath=" CP "\n");
	put(dir, "spark.jsa", "not really an archive: the JVM checks that\n");
	snprintf(path, sizeof(path), "%s/conf", dir);
	SETUP(mkdir(path, 0755));

	is_int(find(dir, &cc), 0, "a root-only cache is used");
	ok(cc.on, "on");
	like(cc.archive_opt, "-XX:SharedArchiveFile=", "the JVM option");
	like(cc.archive_opt, "/spark.jsa", "naming the archive");
	like(cc.conf_dir, "/conf", "its empty conf directory");
	is_str(cc.classpath, CP, "the class path of its manifest");

	snprintf(path, sizeof(path), "%s/manifest", dir);
	SETUP(chmod(path, 0664));
	is_int(find(dir, &cc), -1, "a group-writable manifest: refused");
	ok(!cc.on && !cc.classpath[0], "off, and no class path");
	SETUP(chmod(path, 0644));
	SETUP(chown(path, 1, 1));
	is_int(find(dir, &cc), -1, "another user's manifest: refused");
	SETUP(chown(path, 0, 0));

	snprintf(path, sizeof(path), "%s/conf", dir);
	put(path, "log4j2.properties", "rootLogger.level = debug\n");
	is_int(find(dir, &cc), -1, "a file in conf: refused");
	like(why, "not empty", "says so");
	snprintf(path, sizeof(path), "%s/conf/log4j2.properties", dir);
	SETUP(unlink(path));

	snprintf(path, sizeof(path), "%s/spark.jsa", dir);
	SETUP(unlink(path));
	is_int(find(dir, &cc), -1, "no archive: not used");
	SETUP(symlink("/etc/hostname", path));
	is_int(find(dir, &cc), -1, "an archive that is a symbolic link");
	SETUP(unlink(path));
	put(dir, "spark.jsa", "x\n");

	SETUP(chmod(dir, 0775));
	is_int(find(dir, &cc), -1, "a group-writable cache directory");
	SETUP(chmod(dir, 0755));
	SETUP(chown(dir, 1, 1));
	is_int(find(dir, &cc), -1, "another user's cache directory");
	SETUP(chown(dir, 0, 0));
	is_int(find(dir, &cc), 0, "and root's again: used");

	is_int(find("/nonexistent/class-cache", &cc), -1, "a missing cache");
	is_int(find("", &cc), -1, "class_cache=none");
	is_int(find("/tmp/a b", &cc), -1, "a path with a blank");

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	SETUP(system(cmd));
}

int main(void)
{
	test_manifest();
	if (geteuid() == 0)
		test_find();
	else
		printf("# skipped the cache directory checks: need root\n");
	return done_testing();
}
