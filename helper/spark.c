/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spark.c - files, environment and sizes for the step's JVMs.
 */
#include "spark.h"
#include "log.h"
#include "os.h"
#include "net.h"
#include "props.h"
#include "props_file.h"
#include "rmtree.h"
#include "safedir.h"
#include "strv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static const char *const step_subdirs[] = {"conf", "local", "work", "tmp"};

int spark_make_dirs(struct helper *h, char *err, size_t errlen)
{
	char tmpl[PATH_MAX + 16], cwd[PATH_MAX / 2], prefix[300], name[320];
	char why[PATH_MAX + 256];
	int n;
	const char *user_dir = h->opts.value[SS_OPT_LOG_DIR];
	int scratch, fd;

	/* The site's scratch root (/tmp, say) may be world-writable: our
	 * directory in it gets a name nobody can guess or pre-create. */
	scratch = ss_dir_open(h->site.scratch_dir, h->uid, 0, why, sizeof(why));
	if (scratch < 0) {
		snprintf(err, errlen,
			 "scratch directory: %s (scratch_dir= in "
			 "plugstack.conf)",
			 why);
		return -1;
	}
	snprintf(prefix, sizeof(prefix), "spank-spark.%u.%u.%s",
		 helper_own_job(h), h->step, h->host);
	if (ss_mkdtemp_at(scratch, prefix, name, sizeof(name), why,
			  sizeof(why)) < 0) {
		snprintf(err, errlen, "%s/%s (scratch_dir= in plugstack.conf)",
			 h->site.scratch_dir, why);
		close(scratch);
		return -1;
	}
	close(scratch);
	n = snprintf(h->step_dir, sizeof(h->step_dir), "%s/%s",
		     h->site.scratch_dir, name);
	if (n < 0 || (size_t)n >= sizeof(h->step_dir)) {
		snprintf(err, errlen, "scratch path too long");
		return -1;
	}
	for (size_t i = 0; i < sizeof(step_subdirs) / sizeof(*step_subdirs);
	     i++) {
		snprintf(tmpl, sizeof(tmpl), "%s/%s", h->step_dir,
			 step_subdirs[i]);
		if ((fd = ss_dir_open(tmpl, h->uid, SS_DIR_CREATE | SS_DIR_OWN,
				      why, sizeof(why))) < 0) {
			snprintf(err, errlen, "%s", why);
			return -1;
		}
		close(fd);
	}
	/* A relative --spark-log-dir is relative to the step's directory. */
	if (user_dir && user_dir[0] != '/' && getcwd(cwd, sizeof(cwd)))
		snprintf(tmpl, sizeof(tmpl), "%s/%s", cwd, user_dir);
	else
		snprintf(tmpl, sizeof(tmpl), "%s",
			 user_dir ? user_dir : h->site.log_dir);
	if (ss_expand_dir(tmpl, h->user, h->home, h->job, h->step, h->log_dir,
			  sizeof(h->log_dir))) {
		snprintf(err, errlen,
			 "cannot expand the log directory %s "
			 "(log_dir= in plugstack.conf or --spark-log-dir)",
			 tmpl);
		return -1;
	}
	h->log_dir_fd = ss_dir_open(
	    h->log_dir, h->uid, SS_DIR_CREATE | SS_DIR_OWN, why, sizeof(why));
	if (h->log_dir_fd < 0) {
		snprintf(err, errlen,
			 "log directory: %s (log_dir= in "
			 "plugstack.conf or --spark-log-dir)",
			 why);
		return -1;
	}
	/* Everything the helper says, verbose or not, for later. */
	snprintf(name, sizeof(name), "helper-%s.log", h->host);
	log_to_file(spark_open_log(h, name));
	return 0;
}

void spark_remove_dirs(struct helper *h)
{
	if (!h->step_dir[0])
		return;
	if (ss_rmtree_at(AT_FDCWD, h->step_dir) < 0)
		log_error("cannot remove %s: %s", h->step_dir, strerror(errno));
	h->step_dir[0] = '\0';
}

int spark_open_log(const struct helper *h, const char *name)
{
	char err[PATH_MAX + 256];
	int fd =
	    ss_file_append_at(h->log_dir_fd, name, h->uid, err, sizeof(err));

	if (fd < 0)
		log_error("log directory %s: %s", h->log_dir, err);
	return fd;
}

int spark_new_secret(char out[65])
{
	return ss_random_hex(out, 32);
}

/* Every value exactly as given (common/props.h): a newline or a leading
 * '=' in a value can neither inject nor lose anything. */
static int write_object(FILE *f, json_t *conf)
{
	const char *key;
	json_t *value;

	json_object_foreach(conf, key, value)
	{
		const char *v = json_string_value(value);

		if (!v || ss_props_write(f, key, v) < 0)
			return -1;
	}
	return 0;
}

/* The user's file, bounded and regular (common/props_file.h): srun
 * checked it already, this is where it is read. */
static int copy_file(FILE *out, const char *path, char *err, size_t errlen)
{
	int fd = ss_props_file_open(path, err, errlen);

	if (fd < 0 || ss_props_file_copy(fd, path, out, err, errlen))
		return -1;
	/* A trailing "\" would continue into our next line. */
	return fputs("\n\n", out) == EOF ? -1 : 0;
}

int spark_write_properties(const char *path, json_t *conf, const char *raw_file,
			   json_t *after, char *err, size_t errlen)
{
	FILE *f;
	int fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0 || fchmod(fd, 0600) < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fputs("# Written by spank-spark for this step only; removed at its "
	      "end.\n",
	      f);
	rc = write_object(f, conf);
	if (!rc && raw_file)
		rc = copy_file(f, raw_file, err, errlen);
	if (!rc && after)
		rc = write_object(f, after);
	if (fclose(f) != 0 || rc) {
		if (!err[0] || rc == 0)
			snprintf(err, errlen, "cannot write %s", path);
		return -1;
	}
	return 0;
}

static int env_add(char **env, size_t *n, const char *name, const char *value)
{
	size_t len = strlen(name) + strlen(value) + 2;

	if (!(env[*n] = malloc(len)))
		return -1;
	snprintf(env[*n], len, "%s=%s", name, value);
	(*n)++;
	return 0;
}

/* Variables we set ourselves, never inherited. */
static const char *const our_names[] = {
    "JAVA_HOME", "SPARK_HOME", "SPARK_CONF_DIR", "SPARK_LOCAL_IP",
    "SPARK_LOCAL_HOSTNAME", "SPARK_LOCAL_DIRS", "PYSPARK_PYTHON",
    "PYSPARK_DRIVER_PYTHON", "TMPDIR", "SPANK_SPARK_JOB", "SPANK_SPARK_STEP",
    "SPANK_SPARK_HOST", "SPARK_PUBLIC_DNS", "_SPARK_AUTH_SECRET",
    "SPANK_SPARK_EVENT_PATH", "SPANK_SPARK_UI_TOKEN",
    /* Spark 4's Connect client and server settings. */
    "SPARK_REMOTE", "SPARK_CONNECT_AUTHENTICATE_TOKEN"};

/* ENTRY ("NAME=VALUE") names NAME. */
static bool names(const char *entry, const char *name)
{
	size_t len = strlen(name);

	return !strncmp(entry, name, len) && entry[len] == '=';
}

bool spark_env_ours(const char *name)
{
	for (size_t i = 0; i < sizeof(our_names) / sizeof(*our_names); i++)
		if (!strcmp(name, our_names[i]))
			return true;
	return false;
}

static bool ours(const char *entry, const char *const extra[])
{
	for (size_t i = 0; i < sizeof(our_names) / sizeof(*our_names); i++)
		if (names(entry, our_names[i]))
			return true;
	for (size_t i = 0; extra && extra[i]; i++) {
		size_t len = strcspn(extra[i], "=") + 1;

		if (!strncmp(entry, extra[i], len))
			return true;
	}
	return false;
}

char **spark_env(const struct helper *h, const char *const extra[])
{
	size_t count = 0, nextra = 0, n = 0;
	char **env, path[PATH_MAX + 32], job[16], step[16];
	char public[INET_ADDRSTRLEN];
	int rc = 0;

	while (environ[count])
		count++;
	while (extra && extra[nextra])
		nextra++;
	if (!(env = calloc(count + nextra + 20, sizeof(*env))))
		return NULL;
	snprintf(job, sizeof(job), "%u", helper_own_job(h));
	snprintf(step, sizeof(step), "%u", h->step);
	/* Marks for the plugin's backstop (plugin/cleanup.c), first. */
	rc |= env_add(env, &n, "SPANK_SPARK_JOB", job);
	rc |= env_add(env, &n, "SPANK_SPARK_STEP", step);
	rc |= env_add(env, &n, "SPANK_SPARK_HOST", h->host);
	rc |= env_add(env, &n, "SPARK_HOME", h->site.spark_home);
	if (h->site.java_home[0])
		rc |= env_add(env, &n, "JAVA_HOME", h->site.java_home);
	rc |= env_add(env, &n, "PYSPARK_PYTHON", h->site.python);
	rc |= env_add(env, &n, "PYSPARK_DRIVER_PYTHON", h->site.python);
	/* Spark binds its UI to SPARK_LOCAL_IP, else to every address:
	 * unset, the UI answers where its URL is printed (srun's host, maybe
	 * off the site's network) and on loopback (ssh -L); its token guards
	 * it.  RPC and block managers bind h->addr (spark.driver.bindAddress,
	 * --bind-address).  The URL names SPARK_PUBLIC_DNS, else the
	 * driver's address: in cluster mode, the address of the driver
	 * node's name, as the login host knows it. */
	if (h->role == ROLE_DRIVER && net_resolve(h->host, public) == 0)
		rc |= env_add(env, &n, "SPARK_PUBLIC_DNS", public);
	rc |= env_add(env, &n, "SPARK_LOCAL_HOSTNAME", h->addr);
	snprintf(path, sizeof(path), "%s/local", h->step_dir);
	rc |= env_add(env, &n, "SPARK_LOCAL_DIRS", path);
	snprintf(path, sizeof(path), "%s/tmp", h->step_dir);
	rc |= env_add(env, &n, "TMPDIR", path);
	for (size_t i = 0; i < nextra && !rc; i++)
		if (!(env[n++] = strdup(extra[i])))
			rc = -1;
	for (size_t i = 0; i < count && !rc; i++)
		if (!ours(environ[i], extra) &&
		    !(env[n++] = strdup(environ[i])))
			rc = -1;
	if (rc) {
		spark_env_free(env);
		return NULL;
	}
	return env;
}

void spark_env_free(char **env)
{
	strv_free(env); /* wiped: it may hold the secret */
}

int spark_bin(const struct helper *h, const char *name, char *out,
	      size_t outlen)
{
	int n = snprintf(out, outlen, "%s/bin/%s", h->site.spark_home, name);

	return (n < 0 || (size_t)n >= outlen) ? -1 : 0;
}

long spark_heap_mb(long mem_mb)
{
	/* One rule, also the plugin's fit check (common/options.c). */
	return ss_default_executor_heap_mb(mem_mb);
}

static long env_long(const char *name)
{
	long v;
	const char *s = getenv(name);

	return (s && ss_parse_long(s, 1, 1L << 40, &v) == 0) ? v : 0;
}

void spark_node_resources(const struct helper *h, long *cores, long *mem_mb)
{
	long per_cpu = env_long("SLURM_MEM_PER_CPU");

	*cores = env_long("SLURM_CPUS_ON_NODE");
	if (*cores <= 0)
		*cores = sysconf(_SC_NPROCESSORS_ONLN) > 0
			     ? sysconf(_SC_NPROCESSORS_ONLN)
			     : 1;
	*mem_mb = h->node_mem_mb;
	if (*mem_mb <= 0)
		*mem_mb = env_long("SLURM_MEM_PER_NODE");
	if (*mem_mb <= 0 && per_cpu > 0)
		*mem_mb = per_cpu * *cores;
	if (*mem_mb <= 0)
		*mem_mb = (long)((sysconf(_SC_PHYS_PAGES) / 1024) *
				 (sysconf(_SC_PAGESIZE) / 1024));
}

long spark_executors_per_node(const struct helper *h)
{
	long n;
	const char *v = h->opts.value[SS_OPT_EXECUTORS_PER_NODE];

	/* The GPUs' plan took the option into account (gpu.h). */
	if (h->gpu_per_node > 0)
		return h->gpu_per_node;
	return (v && ss_parse_long(v, 1, SS_COUNT_MAX, &n) == 0) ? n : 1;
}

void spark_executor_size(const struct helper *h, long cores, long mem_mb,
			 long *exec_cores, long *exec_mem_mb)
{
	long n = spark_executors_per_node(h), v;
	struct ss_node_need need;
	uint64_t mb;
	const char *c = h->opts.value[SS_OPT_EXECUTOR_CORES];
	const char *m = h->opts.value[SS_OPT_EXECUTOR_MEMORY];

	*exec_cores = cores / n > 0 ? cores / n : 1;
	if (c && ss_parse_long(c, 1, SS_COUNT_MAX, &v) == 0)
		*exec_cores = v;
	/* The share the plugin's fit check counts (common/options.h): on
	 * the driver's node the driver's part first, and what each executor
	 * takes besides its heap and overhead. */
	ss_node_need(&h->opts, mem_mb > 0 ? (unsigned long long)mem_mb : 0,
		     SS_FIT_EXECUTORS |
			 (h->role == ROLE_DRIVER &&
				  (h->nnodes <= 1 ||
				   h->opts.value[SS_OPT_DRIVER_EXECUTOR])
			      ? SS_FIT_DRIVER
			      : 0),
		     &need);
	*exec_mem_mb = (long)need.heap;
	if (m && ss_parse_size_mb(m, &mb) == 0)
		*exec_mem_mb = (long)mb;
}
