/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_spark_conf.c - the step's spark-defaults.conf as the driver side
 * writes it (helper/spark_conf.c): the keys, their precedence (ours, then
 * the user's --spark-properties-file, then --spark-conf, then the keys
 * nobody overrides), the file's mode.  Read back as Spark reads it: the
 * last value of a key wins.
 */
#include "tap.h"

#include "props.h"
#include "spark_conf.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[] = "/tmp/test_spark_conf.XXXXXX";
static char text[65536];

/* The file's last value of KEY, or NULL. */
struct lookup {
	const char *key;
	char value[4096];
	bool found;
};

static int find(const char *key, const char *value, void *arg)
{
	struct lookup *l = arg;

	if (!strcmp(key, l->key)) {
		snprintf(l->value, sizeof(l->value), "%s", value);
		l->found = true;
	}
	return 0;
}

static const char *get(const char *key)
{
	static struct lookup l;
	char err[256];

	memset(&l, 0, sizeof(l));
	l.key = key;
	if (ss_props_parse(text, strlen(text), find, &l, err, sizeof(err)))
		return "(unreadable)";
	return l.found ? l.value : NULL;
}

static int slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0)
		return -1;
	text[n] = '\0';
	return 0;
}

static void write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "we");

	SETUP(!f);
	fputs(content, f);
	SETUP(fclose(f));
}

static const char *exec_get(json_t *conf, const char *key)
{
	return json_string_value(json_object_get(conf, key));
}

/* The executors' settings from the step's final configuration. */
static void test_executor_conf(struct helper *h)
{
	char props[PATH_MAX], err[512];
	char c0[] = "spark.executor.extraJavaOptions=-Dmark=conf";
	char c1[] = "spark.executorEnv.FROM_CONF=  yes  ";
	char c2[] = "spark.executor.extraJavaOptions=-Xmx2g";
	char c3[] = "spark.executor.defaultJavaOptions=-Dspark.x=1";
	char c4[] = "spark.executorEnv.SPARK_HOME=/elsewhere";
	json_t *conf;

	snprintf(props, sizeof(props), "%s/exec.properties", base);
	write_file(props, "spark.executor.extraJavaOptions = -Dmark=file\n"
			  "spark.executor.extraLibraryPath=  /opt/native  \n"
			  "spark.executor.extraClassPath /my/cp.jar\n"
			  "spark.executorEnv.FROM_FILE=1\n"
			  "spark.executor.memory=9g\n");
	h->opts.value[SS_OPT_PROPERTIES_FILE] = props;
	h->opts.conf[0] = c0;
	h->opts.conf[1] = c1;
	h->opts.n_conf = 2;
	conf = spark_conf_executor(h, err, sizeof(err));
	ok(conf != NULL, "the executors' settings are read (%s)", err);
	is_str(exec_get(conf, "spark.executor.extraJavaOptions"), "-Dmark=conf",
	       "extraJavaOptions: --spark-conf wins over the properties file");
	is_str(exec_get(conf, "spark.executor.extraLibraryPath"), "/opt/native",
	       "extraLibraryPath from the file, trimmed as Spark trims it");
	is_str(exec_get(conf, "spark.executor.extraClassPath"), "/my/cp.jar",
	       "extraClassPath from the file");
	is_str(exec_get(conf, "spark.executorEnv.FROM_FILE"), "1",
	       "spark.executorEnv.* from the file");
	is_str(exec_get(conf, "spark.executorEnv.FROM_CONF"), "yes",
	       "...and from --spark-conf");
	ok(!json_object_get(conf, "spark.executor.memory"),
	   "nothing else is taken");
	ok(spark_conf_executor_check(conf, err, sizeof(err)) == 0,
	   "what it gives passes its own check (%s)", err);
	json_decref(conf);

	h->opts.conf[1] = c2;
	conf = spark_conf_executor(h, err, sizeof(err));
	ok(!conf, "-Xmx in spark.executor.extraJavaOptions is refused");
	like(err, "--spark-executor-memory", "...saying what to use");
	json_decref(conf);
	h->opts.conf[1] = c3;
	conf = spark_conf_executor(h, err, sizeof(err));
	ok(!conf, "-Dspark in spark.executor.defaultJavaOptions is refused");
	like(err, "--spark-conf", "...saying what to use");
	json_decref(conf);
	h->opts.conf[1] = c4;
	conf = spark_conf_executor(h, err, sizeof(err));
	ok(conf && !json_object_get(conf, "spark.executorEnv.SPARK_HOME"),
	   "spark.executorEnv.SPARK_HOME is ignored: the step sets it");
	json_decref(conf);
	h->opts.n_conf = 0;
	h->opts.value[SS_OPT_PROPERTIES_FILE] = NULL;
	conf = spark_conf_executor(h, err, sizeof(err));
	ok(conf && json_object_size(conf) == 0,
	   "no file, no pairs: no settings");
	json_decref(conf);
}

int main(void)
{
	static struct helper h;
	static const char secret[] =
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct driver_conf dc = {.app_id = "spark-slurm-7.0",
				 .secret = secret,
				 .encrypt = true,
				 .executors = 3,
				 .exec_cores = 4,
				 .exec_mem_mb = 2048,
				 .driver_port = 40001,
				 .block_port = 40002,
				 .ui_port = 40003};
	char path[PATH_MAX], props[PATH_MAX], err[512] = "";
	char conf0[] = "spark.x.both=from --spark-conf";
	char conf1[] = "spark.authenticate=false";
	char conf2[] = "spark.driver.extraClassPath=/my/cp.jar";
	struct stat st;

	SETUP(!mkdtemp(base));
	snprintf(h.step_dir, sizeof(h.step_dir), "%s", base);
	snprintf(h.log_dir, sizeof(h.log_dir), "%s", base);
	snprintf(path, sizeof(path), "%s/conf", base);
	SETUP(mkdir(path, 0700));
	snprintf(h.addr, sizeof(h.addr), "10.1.2.3");
	h.site.port_lo = 40000;
	h.site.port_hi = 40100;
	h.site.startup_timeout = 60;
	snprintf(h.site.python, sizeof(h.site.python), "/usr/bin/python3");
	snprintf(h.site.jar, sizeof(h.site.jar), "/opt/ss/spank-spark.jar");
	snprintf(props, sizeof(props), "%s/user.properties", base);
	write_file(props, "spark.x.both = from the file\n"
			  "spark.x.file-only = file\n"
			  "spark.ui.port = 4999\n"
			  "spark.network.crypto.enabled false\n"
			  "spark.authenticate.secret=guessed\n");
	h.opts.value[SS_OPT_PROPERTIES_FILE] = props;
	h.opts.value[SS_OPT_DRIVER_CORES] = "3";
	h.opts.conf[0] = conf0;
	h.opts.conf[1] = conf1;
	h.opts.conf[2] = conf2;
	h.opts.n_conf = 3;

	ok(spark_conf_write_driver(&h, &dc, err, sizeof(err)) == 0,
	   "the driver's configuration is written (%s)", err);
	snprintf(path, sizeof(path), "%s/conf/spark-defaults.conf", base);
	SETUP(slurp(path));
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
	   "spark-defaults.conf is 0600: it holds the secret");

	is_str(get("spark.x.both"), "from --spark-conf",
	       "a --spark-conf pair wins over the same key in "
	       "--spark-properties-file");
	is_str(get("spark.x.file-only"), "file",
	       "a key only in the properties file is kept");
	is_str(get("spark.ui.port"), "4999",
	       "the properties file wins over what the step would choose");
	is_str(get("spark.driver.cores"), "3",
	       "--spark-driver-cores is spark.driver.cores");

	is_str(get("spark.authenticate"), "true",
	       "spark.authenticate stays true over --spark-conf");
	is_str(get("spark.authenticate.secret"), secret,
	       "the step's secret wins over the properties file");
	is_str(get("spark.network.crypto.enabled"), "true",
	       "encryption stays on over the properties file");
	is_str(get("spark.io.encryption.enabled"), "true",
	       "...I/O encryption too");
	is_str(get("spark.driver.extraClassPath"),
	       "/opt/ss/spank-spark.jar:/my/cp.jar",
	       "the jar leads the driver's class path, the user's after it");
	is_str(get("spark.ui.filters"), "org.spankspark.UiAuthFilter",
	       "the UI filter is set");
	is_str(get("spark.slurm.appId"), "spark-slurm-7.0", "the app id");
	is_str(get("spark.slurm.executors"), "3", "the executors expected");
	is_str(get("spark.dynamicAllocation.enabled"), "false",
	       "no dynamic allocation");
	is_str(get("spark.master.rest.enabled"), "false", "no REST server");
	is_str(get("spark.driver.host"), "10.1.2.3", "the driver's address");
	is_str(get("spark.driver.port"), "40001", "the driver's port");
	is_str(get("spark.driver.blockManager.port"), "40002",
	       "the driver's block manager port");
	is_str(get("spark.executor.cores"), "4", "executor cores");
	is_str(get("spark.executor.memory"), "2048m", "executor memory");
	is_str(get("spark.port.maxRetries"), "100",
	       "port retries stay within the site's range");
	ok(get("spark.connect.authenticate.token") == NULL,
	   "no Connect token without --spark-connect");
	ok(!strstr(text, "resource.gpu") && !strstr(text, "resourcesFile"),
	   "a step without GPUs: no GPU setting at all");

	snprintf(path, sizeof(path), "%s/conf/log4j2.properties", base);
	SETUP(slurp(path));
	like(text, "appender.file.fileName = ", "log4j2.properties written");
	ok(!strstr(text, secret), "...without the secret");

	/* The user's driver class path from the properties file alone. */
	snprintf(path, sizeof(path), "%s/conf/spark-defaults.conf", base);
	unlink(path);
	snprintf(path, sizeof(path), "%s/conf/log4j2.properties", base);
	unlink(path);
	write_file(props, "spark.driver.extraClassPath = /file/cp.jar\n");
	h.opts.n_conf = 0;
	ok(spark_conf_write_driver(&h, &dc, err, sizeof(err)) == 0,
	   "written again (%s)", err);
	snprintf(path, sizeof(path), "%s/conf/spark-defaults.conf", base);
	SETUP(slurp(path));
	is_str(get("spark.driver.extraClassPath"),
	       "/opt/ss/spank-spark.jar:/file/cp.jar",
	       "a spark.driver.extraClassPath in the properties file follows "
	       "the jar (it was dropped)");

	/* With the step's GPUs (gpu.h): the executors' amount is the plan's,
	 * the task's a default the user overrides. */
	unlink(path);
	snprintf(path, sizeof(path), "%s/conf/log4j2.properties", base);
	unlink(path);
	h.gpu_each = 2;
	ok(spark_conf_write_driver(&h, &dc, err, sizeof(err)) == 0,
	   "written with GPUs (%s)", err);
	snprintf(path, sizeof(path), "%s/conf/spark-defaults.conf", base);
	SETUP(slurp(path));
	is_str(get("spark.executor.resource.gpu.amount"), "2",
	       "GPUs: spark.executor.resource.gpu.amount is the plan's");
	is_str(get("spark.task.resource.gpu.amount"), "1",
	       "...spark.task.resource.gpu.amount defaults to 1");
	ok(get("spark.driver.resourcesFile") == NULL,
	   "...the driver has no GPU file unless it asks");
	unlink(path);
	snprintf(path, sizeof(path), "%s/conf/log4j2.properties", base);
	unlink(path);
	write_file(props, "spark.task.resource.gpu.amount = 0.25\n");
	h.gpu_driver = 1;
	ok(spark_conf_write_driver(&h, &dc, err, sizeof(err)) == 0,
	   "written with GPUs and the user's task amount (%s)", err);
	snprintf(path, sizeof(path), "%s/conf/spark-defaults.conf", base);
	SETUP(slurp(path));
	is_str(get("spark.task.resource.gpu.amount"), "0.25",
	       "...the user's spark.task.resource.gpu.amount wins");
	like(get("spark.driver.resourcesFile"), "/conf/gpus-driver.json",
	     "...spark.driver.resource.gpu.amount: the driver's file");
	h.gpu_each = h.gpu_driver = 0;

	/* A missing properties file: one line naming it. */
	snprintf(path, sizeof(path), "%s/conf/spark-defaults.conf", base);
	unlink(path);
	snprintf(path, sizeof(path), "%s/conf/log4j2.properties", base);
	unlink(path);
	snprintf(props, sizeof(props), "%s/missing.properties", base);
	err[0] = '\0';
	ok(spark_conf_write_driver(&h, &dc, err, sizeof(err)) == -1,
	   "a missing --spark-properties-file fails the step");
	like(err, "cannot read --spark-properties-file", "...saying which");

	test_executor_conf(&h);

	snprintf(path, sizeof(path), "rm -rf '%s'", base);
	SETUP(system(path));
	return done_testing();
}
