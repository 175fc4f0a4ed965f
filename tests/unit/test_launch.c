/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_launch.c - the command lines of the step's JVMs (helper/launch.c):
 * the driver's spark-submit argv and environment, an executor JVM's argv
 * and environment; the secret in an environment, never in an argv.
 */
#include "tap.h"

#include "executor_cmd.h"
#include "launch.h"

static const char secret[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/* ARGV as one line, words separated by one space. */
static const char *joined(char *const *argv)
{
	static char line[8192];
	size_t n = 0;

	line[0] = '\0';
	for (; argv && *argv; argv++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s",
				      n ? " " : "", *argv);
	return line;
}

static const char *env_get(char *const *env, const char *name)
{
	size_t len = strlen(name);

	for (; env && *env; env++)
		if (!strncmp(*env, name, len) && (*env)[len] == '=')
			return *env + len + 1;
	return NULL;
}

static bool any_holds(char *const *v, const char *needle)
{
	for (; v && *v; v++)
		if (strstr(*v, needle))
			return true;
	return false;
}

static void setup(struct helper *h)
{
	snprintf(h->site.spark_home, sizeof(h->site.spark_home), "/opt/spark");
	snprintf(h->site.jar, sizeof(h->site.jar), "/opt/ss/spank-spark.jar");
	snprintf(h->site.java_home, sizeof(h->site.java_home), "/opt/jdk");
	snprintf(h->site.python, sizeof(h->site.python), "/usr/bin/python3");
	h->site.port_lo = 40000;
	h->site.port_hi = 40050;
	snprintf(h->addr, sizeof(h->addr), "10.1.2.3");
	snprintf(h->host, sizeof(h->host), "node2");
	snprintf(h->step_dir, sizeof(h->step_dir), "/scratch/step");
	h->job = 12;
	h->step = 0;
}

static void test_submit(void)
{
	static struct helper h;
	static char *app[] = {"app.py", "one", "two words", NULL};
	static char *submit[] = {"spark-submit", "--class", "Sum",
				 "sum.jar",	 "10",	    NULL};
	static char *own_props[] = {"spark-submit", "--properties-file", "x",
				    "sum.jar", NULL};
	char auth[96];
	const char *extra[] = {auth, NULL}, *name = NULL;
	struct launch_cmd cmd = {0};

	setup(&h);
	snprintf(auth, sizeof(auth), "_SPARK_AUTH_SECRET=%s", secret);
	h.app_argv = app;
	h.app_argc = 3;
	h.opts.value[SS_OPT_DRIVER_MEMORY] = "2g";
	h.opts.value[SS_OPT_NAME] = "myapp";
	ok(launch_submit_cmd(&h, "spark-slurm://x", "/scratch/step/conf", extra,
			     &cmd, &name) == 0,
	   "the driver's command is built");
	is_str(name, "spark-submit", "...named spark-submit");
	is_str(joined(cmd.argv),
	       "/opt/spark/bin/spark-submit --master spark-slurm://x "
	       "--properties-file /scratch/step/conf/spark-defaults.conf "
	       "--deploy-mode client --name myapp --driver-memory 2048m "
	       "app.py one two words",
	       "...its argv: the master, the step's properties file, the "
	       "options that are flags (a size in MiB), the application");
	is_str(cmd.argv[13], "two words",
	       "...an argument with a blank stays one word");
	is_str(env_get(cmd.env, "SPARK_CONF_DIR"), "/scratch/step/conf",
	       "...SPARK_CONF_DIR is the step's");
	like(env_get(cmd.env, "SPARK_SUBMIT_OPTS"),
	     "-Dlog4j2.configurationFile=file:/scratch/step/conf/"
	     "log4j2.properties",
	     "...the step's log4j2 configuration in SPARK_SUBMIT_OPTS");
	is_str(env_get(cmd.env, "_SPARK_AUTH_SECRET"), secret,
	       "...the secret in its environment");
	ok(!any_holds(cmd.argv, secret), "...and in no argument");
	is_str(env_get(cmd.env, "SPARK_HOME"), "/opt/spark",
	       "...SPARK_HOME the site's");
	is_str(env_get(cmd.env, "SPANK_SPARK_JOB"), "12",
	       "...marked for the plugin's backstop");
	launch_cmd_free(&cmd);
	ok(!cmd.argv && !cmd.env, "launch_cmd_free empties it");

	h.opts.value[SS_OPT_NAME] = NULL;
	h.app_argv = submit;
	h.app_argc = 5;
	ok(launch_submit_cmd(&h, "spark-slurm://x", "/c", NULL, &cmd, &name) ==
	       0,
	   "a spark-submit command is completed");
	is_str(joined(cmd.argv),
	       "/opt/spark/bin/spark-submit --master spark-slurm://x "
	       "--properties-file /c/spark-defaults.conf --deploy-mode "
	       "client --driver-memory 2048m --class Sum sum.jar 10",
	       "...the site's spark-submit with the user's own arguments");
	launch_cmd_free(&cmd);

	h.app_argv = own_props;
	h.app_argc = 4;
	ok(launch_submit_cmd(&h, "spark-slurm://x", "/c", NULL, &cmd, &name) ==
		   -1 &&
	       !cmd.argv,
	   "spark-submit --properties-file is refused: it would replace "
	   "the step's configuration");
}

static void test_executor_side(void)
{
	static struct helper h;
	static struct executors x;
	struct executor e = {.id = 7};
	struct launch_cmd cmd = {0};

	setup(&h);
	x.h = &h;
	x.cores = 2;
	x.heap_mb = 1536;
	x.encrypt = true;
	snprintf(x.app_id, sizeof(x.app_id), "spark-slurm-12.0");
	memcpy(x.secret, secret, sizeof(secret));
	snprintf(x.java, sizeof(x.java), "/opt/jdk/bin/java");
	ok(launch_executor_cmd(&x, &e, 40007, &cmd) == 0,
	   "an executor's command is built");
	is_str(joined(cmd.argv),
	       "/opt/jdk/bin/java @/opt/ss/spank-spark.jar.args "
	       "-cp /opt/spark/jars/*:/opt/ss/spank-spark.jar -Xmx1536m "
	       "-Djava.io.tmpdir=/scratch/step/tmp -Dspark.authenticate=true "
	       "-Dspark.network.crypto.enabled=true "
	       "-Dspark.io.encryption.enabled=true "
	       "-Dspark.blockManager.port=40007 -Dspark.port.maxRetries=50 "
	       "org.spankspark.ExecutorLauncher --executor-id 7 --hostname "
	       "10.1.2.3 --bind-address 10.1.2.3 --cores 2",
	       "...its argv: Spark's JVM options, the class path, the heap, "
	       "the security keys, the launcher and the backend's arguments");
	is_str(env_get(cmd.env, "_SPARK_AUTH_SECRET"), secret,
	       "...the secret in its environment");
	ok(!any_holds(cmd.argv, secret), "...and in no argument");
	ok(!any_holds(cmd.argv, x.app_id),
	   "the application id in no argument (it names the event log)");
	launch_cmd_free(&cmd);

	x.encrypt = false;
	ok(launch_executor_cmd(&x, &e, 40007, &cmd) == 0 &&
	       !any_holds(cmd.argv, "encryption"),
	   "without encryption no encryption key");
	ok(!any_holds(cmd.argv, "decommission"),
	   "a step's executor: no decommission key (dynamic allocation "
	   "kills idle executors)");
	launch_cmd_free(&cmd);

	h.role = ROLE_JOIN;
	ok(launch_executor_cmd(&x, &e, 40007, &cmd) == 0 &&
	       strstr(joined(cmd.argv),
		      "-Dspark.decommission.enabled=true "
		      "-Dspark.storage.decommission.enabled=true "
		      "-Dspark.storage.decommission.shuffleBlocks.enabled=true "
		      "-Dspark.storage.decommission.rddBlocks.enabled=true "),
	   "a join job's executor takes SIGPWR as decommission, its blocks "
	   "migrated (its own JVM properties, before the launcher)");
	launch_cmd_free(&cmd);
	h.role = ROLE_EXECUTOR;
}

/* The user's executor settings (spark_conf.h), as Spark's launchers use
 * them. */
static void test_executor_conf(void)
{
	static struct helper h;
	static struct executors x;
	struct executor e = {.id = 4};
	struct launch_cmd cmd = {0};
	char *old_lib = getenv("LD_LIBRARY_PATH");

	setup(&h);
	x.h = &h;
	x.cores = 1;
	x.heap_mb = 1024;
	snprintf(x.app_id, sizeof(x.app_id), "spark-slurm-12.0");
	memcpy(x.secret, secret, sizeof(secret));
	snprintf(x.java, sizeof(x.java), "/opt/jdk/bin/java");
	/* A site class cache: used unless the class path changes. */
	x.cc.on = true;
	snprintf(x.cc.classpath, sizeof(x.cc.classpath), "/cache/cp");
	snprintf(x.cc.archive_opt, sizeof(x.cc.archive_opt),
		 "-XX:SharedArchiveFile=/cache/spark.jsa");
	x.conf = json_pack("{s:s, s:s, s:s, s:s}",
			   "spark.executor.defaultJavaOptions", "-XX:+UseG1GC",
			   "spark.executor.extraJavaOptions",
			   "-Dmark='a b' -Dlog=/x/{{APP_ID}}/{{EXECUTOR_ID}}",
			   "spark.executor.extraLibraryPath", "/opt/native",
			   "spark.executorEnv.MY_VAR", "my value");
	setenv("LD_LIBRARY_PATH", "/site/lib", 1);
	ok(launch_executor_cmd(&x, &e, 40004, &cmd) == 0,
	   "an executor's command with the user's settings is built");
	like(joined(cmd.argv),
	     "-Xmx1024m -Djava.io.tmpdir=/scratch/step/tmp -XX:+UseG1GC "
	     "-Dmark=a b -Dlog=/x/spark-slurm-12.0/4 -Dspark.authenticate=true",
	     "defaultJavaOptions then extraJavaOptions, after the heap and "
	     "before the step's Spark keys, ids replaced");
	like(joined(cmd.argv),
	     "-cp /cache/cp -XX:SharedArchiveFile=/cache/spark.jsa",
	     "...with the site's class cache");
	is_str(env_get(cmd.env, "LD_LIBRARY_PATH"), "/opt/native:/site/lib",
	       "extraLibraryPath leads LD_LIBRARY_PATH");
	is_str(env_get(cmd.env, "MY_VAR"), "my value",
	       "spark.executorEnv.MY_VAR is in the environment");
	is_str(env_get(cmd.env, "_SPARK_AUTH_SECRET"), secret,
	       "...beside the secret");
	ok(!any_holds(cmd.argv, secret), "...which is in no argument");
	launch_cmd_free(&cmd);

	json_object_set_new(x.conf, "spark.executor.extraClassPath",
			    json_string("/my/a.jar:/my/b.jar"));
	json_object_set_new(x.conf, "spark.executorEnv.LD_LIBRARY_PATH",
			    json_string("/env/lib"));
	ok(launch_executor_cmd(&x, &e, 40004, &cmd) == 0,
	   "...with a class path of the user's");
	like(
	    joined(cmd.argv),
	    "-cp /my/a.jar:/my/b.jar:/opt/spark/jars/*:/opt/ss/spank-spark.jar "
	    "-Xmx1024m",
	    "extraClassPath comes before Spark's jars");
	ok(!any_holds(cmd.argv, "SharedArchiveFile"),
	   "...and the class cache is not used");
	is_str(env_get(cmd.env, "LD_LIBRARY_PATH"),
	       "/opt/native:/env/lib:/site/lib",
	       "LD_LIBRARY_PATH: extraLibraryPath, executorEnv's, the site's");
	launch_cmd_free(&cmd);
	if (old_lib)
		setenv("LD_LIBRARY_PATH", old_lib, 1);
	else
		unsetenv("LD_LIBRARY_PATH");
	json_decref(x.conf);
}

int main(void)
{
	test_submit();
	test_executor_side();
	test_executor_conf();
	return done_testing();
}
