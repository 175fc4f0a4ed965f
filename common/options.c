/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.c - the --spark-* options: one table, validation, environment
 * defaults.
 */
#include "options.h"
#include "parse.h"
#include "site_config.h"
#include "text.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SIZE_HELP "a size like 512m, 8g or 1t (1m to 16t)"
#define LIST_HELP                                                              \
	"a comma-separated list of paths without blanks or control "           \
	"characters (UTF-8)"
#define PATH_HELP "a path (UTF-8, no control characters)"

/* slurmstepd reads each variable into a buffer of SS_ENV_VALUE_MAX + 1. */
_Static_assert(SS_LIST_MAX <= SS_ENV_VALUE_MAX, "a valid list must fit");

const struct ss_opt_desc ss_opt_table[SS_OPT_COUNT] = {
    [SS_OPT_MODE] = {"spark-mode", "SPANK_SPARK_MODE", "cluster|client",
		     "Run the step as a Spark application: driver on the "
		     "first node (cluster) or here (client)",
		     "cluster or client", SS_KIND_MODE, NULL, NULL},
    [SS_OPT_CLASS] = {"spark-class", "SPANK_SPARK_CLASS", "class",
		      "Main class of a Java/Scala application jar",
		      "a Java class name like org.example.Main", SS_KIND_CLASS,
		      "--class", NULL},
    [SS_OPT_NAME] = {"spark-name", "SPANK_SPARK_NAME", "name",
		     "Spark application name",
		     "UTF-8 text of at most 256 bytes without control "
		     "characters",
		     SS_KIND_TEXT, "--name", NULL},
    [SS_OPT_JARS] = {"spark-jars", "SPANK_SPARK_JARS", "list",
		     "Comma-separated jars for driver and executors", LIST_HELP,
		     SS_KIND_LIST, "--jars", NULL},
    [SS_OPT_PY_FILES] = {"spark-py-files", "SPANK_SPARK_PY_FILES", "list",
			 "Comma-separated .zip, .egg or .py files for the "
			 "Python path",
			 LIST_HELP, SS_KIND_LIST, "--py-files", NULL},
    [SS_OPT_FILES] = {"spark-files", "SPANK_SPARK_FILES", "list",
		      "Comma-separated files placed in each executor's "
		      "working directory",
		      LIST_HELP, SS_KIND_LIST, "--files", NULL},
    [SS_OPT_CONF] = {"spark-conf", "SPANK_SPARK_CONF", "key=value",
		     "Spark configuration property (repeatable)",
		     "key=value with a key like spark.sql.shuffle.partitions "
		     "and a value of at most 8192 bytes of UTF-8 text without "
		     "control characters",
		     SS_KIND_CONF, NULL, NULL},
    [SS_OPT_PROPERTIES_FILE] = {"spark-properties-file",
				"SPANK_SPARK_PROPERTIES_FILE", "file",
				"File of extra Spark properties", PATH_HELP,
				SS_KIND_PATH, NULL, NULL},
    [SS_OPT_DRIVER_MEMORY] = {"spark-driver-memory",
			      "SPANK_SPARK_DRIVER_MEMORY", "size",
			      "Memory for the driver (e.g. 4g)", SIZE_HELP,
			      SS_KIND_SIZE, "--driver-memory", NULL},
    [SS_OPT_DRIVER_CORES] = {"spark-driver-cores", "SPANK_SPARK_DRIVER_CORES",
			     "n", "Cores for the driver",
			     "a whole number from 1 to " SS_STR(SS_COUNT_MAX),
			     SS_KIND_COUNT, NULL, "spark.driver.cores"},
    [SS_OPT_EXECUTOR_MEMORY] = {"spark-executor-memory",
				"SPANK_SPARK_EXECUTOR_MEMORY", "size",
				"Memory per executor (default: the node's "
				"allocation, shared by its executors)",
				SIZE_HELP, SS_KIND_SIZE, NULL, NULL},
    [SS_OPT_EXECUTOR_CORES] = {"spark-executor-cores",
			       "SPANK_SPARK_EXECUTOR_CORES", "n",
			       "Cores per executor (default: the node's "
			       "allocated CPUs, shared by its executors)",
			       "a whole number from 1 to " SS_STR(SS_COUNT_MAX),
			       SS_KIND_COUNT, NULL, NULL},
    [SS_OPT_EXECUTORS_PER_NODE] = {"spark-executors-per-node",
				   "SPANK_SPARK_EXECUTORS_PER_NODE", "n",
				   "Executors on each executor node "
				   "(default 1)",
				   "a whole number from 1 to " SS_STR(
				       SS_COUNT_MAX),
				   SS_KIND_COUNT, NULL, NULL},
    [SS_OPT_DRIVER_EXECUTOR] = {"spark-driver-executor",
				"SPANK_SPARK_DRIVER_EXECUTOR", NULL,
				"Also run executors on the driver's node "
				"(cluster mode; always on with one node)",
				"no value (a flag); in the environment "
				"yes or no",
				SS_KIND_FLAG, NULL, NULL},
    [SS_OPT_ENCRYPTION] = {"spark-encryption", "SPANK_SPARK_ENCRYPTION",
			   "on|off",
			   "Encrypt Spark RPC (AES-GCM) and local I/O",
			   "on or off", SS_KIND_BOOL, NULL, NULL},
    [SS_OPT_LOG_DIR] = {"spark-log-dir", "SPANK_SPARK_LOG_DIR", "dir",
			"Keep this step's Spark logs here (%u user, %j "
			"job, %s step)",
			"a directory (UTF-8, no control characters) whose "
			"every % is one of %u user, %h home, %j job, %s "
			"step, %% a percent sign",
			SS_KIND_DIR, NULL, NULL},
    [SS_OPT_EVENT_LOG] = {"spark-event-log", "SPANK_SPARK_EVENT_LOG", "dir",
			  "Write Spark's event log, for a history server: to "
			  "the site's directory, or to DIR (%u %h %j %s)",
			  "no value (the site's event_log_dir), no, or an "
			  "absolute directory (%u user, %h home, %j job, %s "
			  "step)",
			  SS_KIND_FLAG_DIR, NULL, NULL},
    [SS_OPT_VERBOSE] = {"spark-verbose", "SPANK_SPARK_VERBOSE", NULL,
			"Print spank-spark's start-up steps",
			"no value (a flag); in the environment yes or no",
			SS_KIND_FLAG, NULL, NULL},
    [SS_OPT_CONNECT] = {"spark-connect", "SPANK_SPARK_CONNECT", NULL,
			"Serve Spark Connect (Spark 4) on the driver's host, "
			"with a token; the command runs beside it",
			"no value (a flag); in the environment yes or no",
			SS_KIND_FLAG, NULL, NULL},
    [SS_OPT_ELASTIC] =
	{"spark-elastic", "SPANK_SPARK_ELASTIC", "maxnodes",
	 "Dynamic allocation that grows past the step: up to "
	 "MAXNODES extra nodes, each its own Slurm job",
	 "a whole number from 1 to " SS_STR(
	     SS_COUNT_MAX) " (and at most the site's elastic_max_nodes)",
	 SS_KIND_COUNT, NULL, NULL},
};

/* An absolute directory, maybe in the home (%h/...), whose %-expansions
 * are known (common/site_config.h). */
static int check_dir_template(const char *v)
{
	char out[4096];

	if (ss_check_path(v) || (v[0] != '/' && strncmp(v, "%h/", 3)))
		return -1;
	return ss_expand_dir(v, "u", "/h", 1, 1, out, sizeof(out));
}

/* A directory, relative or absolute, that the helper can expand: the same
 * rules as spark_make_dirs (helper/spark.c), checked in srun, sbatch and
 * salloc rather than once the job runs. */
static int check_dir(const char *v)
{
	char out[4096];

	if (ss_check_path(v))
		return -1;
	return ss_expand_dir(v, "u", "/h", 1, 1, out, sizeof(out));
}

static int check_value(enum ss_opt_kind kind, const char *v)
{
	uint64_t mb;
	long n;
	enum ss_mode mode;
	bool b;

	switch (kind) {
	case SS_KIND_MODE:
		return ss_parse_mode(v, &mode);
	case SS_KIND_CLASS:
		return ss_check_class_name(v);
	case SS_KIND_TEXT:
		return ss_check_text(v);
	case SS_KIND_LIST:
		return ss_check_list(v);
	case SS_KIND_CONF:
		return ss_check_conf_pair(v);
	case SS_KIND_PATH:
		return ss_check_path(v);
	case SS_KIND_DIR:
		return check_dir(v);
	case SS_KIND_SIZE:
		return ss_parse_size_mb(v, &mb);
	case SS_KIND_COUNT:
		return ss_parse_long(v, 1, SS_COUNT_MAX, &n);
	case SS_KIND_BOOL:
	case SS_KIND_FLAG:
		return ss_parse_bool(v, &b);
	case SS_KIND_FLAG_DIR:
		return ss_parse_bool(v, &b) == 0 ? 0 : check_dir_template(v);
	}
	return -1;
}

static int bad_value(enum ss_opt_id id, const char *value, char *err,
		     size_t errlen)
{
	const struct ss_opt_desc *d = &ss_opt_table[id];
	const char *why =
	    d->kind == SS_KIND_SIZE ? ss_size_problem(value) : NULL;
	char shown[SS_ESCAPED_MAX];

	snprintf(err, errlen, "invalid --%s value '%s': %s%sexpected %s",
		 d->name, ss_escape(value, shown, sizeof(shown)),
		 why ? why : "", why ? "; " : "", d->accepted);
	return -1;
}

static int add_conf(struct ss_opts *o, const char *pair, char *err,
		    size_t errlen)
{
	/* Slurm may run the callback again for a pair it gave already: keep
	 * one copy, moved last, so that the latest pair still wins. */
	for (size_t i = 0; i < o->n_conf; i++) {
		char *same = o->conf[i];

		if (strcmp(same, pair))
			continue;
		memmove(&o->conf[i], &o->conf[i + 1],
			(o->n_conf - i - 1) * sizeof(*o->conf));
		o->conf[o->n_conf - 1] = same;
		return 0;
	}
	if (o->n_conf == SS_CONF_MAX) {
		snprintf(err, errlen,
			 "too many --spark-conf options (at most "
			 "%d); use --spark-properties-file",
			 SS_CONF_MAX);
		return -1;
	}
	if (!(o->conf[o->n_conf] = strdup(pair))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	o->n_conf++;
	return 0;
}

int ss_opts_set(struct ss_opts *o, enum ss_opt_id id, const char *value,
		bool strict, char *err, size_t errlen)
{
	const struct ss_opt_desc *d = &ss_opt_table[id];
	char *copy;

	/* A flag given on the command line arrives without a value. */
	if ((d->kind == SS_KIND_FLAG || d->kind == SS_KIND_FLAG_DIR) &&
	    (!value || !*value))
		value = "yes";
	if (!value || check_value(d->kind, value))
		return bad_value(id, value ? value : "", err, errlen);
	if (d->kind == SS_KIND_CONF)
		return add_conf(o, value, err, errlen);
	if (o->value[id]) {
		if (!strcmp(o->value[id], value))
			return 0;
		if (strict) {
			char a[SS_ESCAPED_MAX], b[SS_ESCAPED_MAX];

			snprintf(err, errlen,
				 "--%s given twice with different values "
				 "('%s' and '%s'): give it once",
				 d->name, ss_escape(o->value[id], a, sizeof(a)),
				 ss_escape(value, b, sizeof(b)));
			return -1;
		}
	}
	if (!(copy = strdup(value))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	free(o->value[id]);
	o->value[id] = copy;
	return 0;
}

/* SPANK_SPARK_CONF holds several pairs, one per line.  They go before the
 * command line's pairs: where a key repeats, the later pair wins. */
static int apply_conf_env(struct ss_opts *o, const char *env, char *err,
			  size_t errlen)
{
	struct ss_opts from_env = {0};
	char *copy, *line, *save = NULL;
	int rc = 0;

	if (!(copy = strdup(env))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (line = strtok_r(copy, "\n", &save); line && !rc;
	     line = strtok_r(NULL, "\n", &save)) {
		if (ss_check_conf_pair(line)) {
			char shown[SS_ESCAPED_MAX];

			snprintf(
			    err, errlen,
			    "invalid SPANK_SPARK_CONF entry '%s': expected "
			    "%s, one per line",
			    ss_escape(line, shown, sizeof(shown)),
			    ss_opt_table[SS_OPT_CONF].accepted);
			rc = -1;
		} else {
			rc = add_conf(&from_env, line, err, errlen);
		}
	}
	free(copy);
	for (size_t i = 0; i < o->n_conf && !rc; i++)
		rc = add_conf(&from_env, o->conf[i], err, errlen);
	if (rc) {
		ss_opts_free(&from_env);
		return -1;
	}
	for (size_t i = 0; i < o->n_conf; i++)
		free(o->conf[i]);
	memcpy(o->conf, from_env.conf, sizeof(o->conf));
	o->n_conf = from_env.n_conf;
	return 0;
}

int ss_opts_apply_env(struct ss_opts *o, ss_getenv_fn getenv_fn, void *arg,
		      char *err, size_t errlen)
{
	for (int id = 0; id < SS_OPT_COUNT; id++) {
		const struct ss_opt_desc *d = &ss_opt_table[id];
		const char *v = getenv_fn(d->env, arg);
		bool b;

		if (!v || !*v)
			continue;
		if (d->kind == SS_KIND_CONF) {
			if (apply_conf_env(o, v, err, errlen))
				return -1;
			continue;
		}
		if (o->from_cmdline[id] || o->value[id])
			continue;
		if ((d->kind == SS_KIND_FLAG || d->kind == SS_KIND_FLAG_DIR) &&
		    !ss_parse_bool(v, &b) && !b)
			continue; /* SPANK_SPARK_X=no: flag off */
		if (check_value(d->kind, v)) {
			char shown[SS_ESCAPED_MAX];

			snprintf(err, errlen,
				 "invalid %s value '%s': expected %s", d->env,
				 ss_escape(v, shown, sizeof(shown)),
				 d->kind == SS_KIND_FLAG ? "yes or no"
							 : d->accepted);
			return -1;
		}
		if (ss_opts_set(o, id, v, false, err, errlen))
			return -1;
	}
	return 0;
}

bool ss_opts_any(const struct ss_opts *o)
{
	if (o->n_conf)
		return true;
	for (int id = 0; id < SS_OPT_COUNT; id++)
		if (o->value[id])
			return true;
	return false;
}

int ss_opts_check(const struct ss_opts *o, char *err, size_t errlen)
{
	long per_node, cores;
	size_t conf_len = 0;

	/* Joined into SPANK_SPARK_CONF, which slurmstepd reads into a
	 * bounded buffer: refuse here rather than lose the pairs there. */
	for (size_t i = 0; i < o->n_conf; i++)
		conf_len += strlen(o->conf[i]) + 1;
	if (conf_len > SS_ENV_VALUE_MAX + 1) {
		snprintf(err, errlen,
			 "the --spark-conf pairs (with SPANK_SPARK_CONF) take "
			 "%zu bytes, more than %d: put the long ones in a file "
			 "given with --spark-properties-file",
			 conf_len - 1, SS_ENV_VALUE_MAX);
		return -1;
	}

	/* The Connect server is Spark's own main class. */
	if (o->value[SS_OPT_CONNECT] && o->value[SS_OPT_CLASS]) {
		snprintf(err, errlen,
			 "--spark-connect runs Spark's Connect server as the "
			 "driver: drop --spark-class (the command given to "
			 "srun runs beside the server, as a client)");
		return -1;
	}

	/* Spark itself would only fail later, inside the allocation. */
	if (o->value[SS_OPT_EXECUTORS_PER_NODE] &&
	    o->value[SS_OPT_EXECUTOR_CORES] &&
	    !ss_parse_long(o->value[SS_OPT_EXECUTORS_PER_NODE], 1, SS_COUNT_MAX,
			   &per_node) &&
	    !ss_parse_long(o->value[SS_OPT_EXECUTOR_CORES], 1, SS_COUNT_MAX,
			   &cores) &&
	    per_node * cores > SS_COUNT_MAX) {
		snprintf(err, errlen,
			 "--spark-executors-per-node=%ld times "
			 "--spark-executor-cores=%ld exceeds %d cores per "
			 "node",
			 per_node, cores, SS_COUNT_MAX);
		return -1;
	}
	return 0;
}

/* More memory per executor than anyone has (1 EiB in MiB): the share is
 * clamped to it so that it fits a long. */
#define SS_MEM_SHARE_MAX (1L << 40)

unsigned long long ss_executor_overhead_mb(unsigned long long heap_mb)
{
	return heap_mb / 10 > SS_EXECUTOR_OVERHEAD_MIN_MB
		   ? heap_mb / 10
		   : SS_EXECUTOR_OVERHEAD_MIN_MB;
}

long ss_default_executor_heap_mb(long mem_mb)
{
	/* The overhead of MEM_MB, not of the heap: never less than Spark's. */
	long left = mem_mb - (long)ss_executor_overhead_mb(
				 mem_mb > 0 ? (unsigned long long)mem_mb : 0);

	return left >= SS_EXECUTOR_MIN_HEAP_MB ? left : SS_EXECUTOR_MIN_HEAP_MB;
}

/* The last --spark-conf value of KEY, or NULL. */
static const char *conf_value(const struct ss_opts *o, const char *key)
{
	size_t k = strlen(key);
	const char *v = NULL;

	for (size_t i = 0; i < o->n_conf; i++)
		if (ss_conf_key_len(o->conf[i]) == k &&
		    !strncmp(o->conf[i], key, k))
			v = o->conf[i] + k + 1;
	return v;
}

/* A --spark-conf size in MiB, 0 when not set or not a size Spark would
 * take.  BYTES: a bare number is bytes (spark.memory.offHeap.size), not
 * MiB (the memory and overhead properties). */
static unsigned long long conf_mb(const struct ss_opts *o, const char *key,
				  bool bytes)
{
	const char *v = conf_value(o, key);
	uint64_t mb;
	long n;

	if (!v)
		return 0;
	if (bytes && v[strspn(v, "0123456789")] == '\0')
		return ss_parse_long(v, 0, LONG_MAX, &n)
			   ? 0
			   : ((unsigned long long)n + (1ULL << 20) - 1) >> 20;
	return ss_parse_size_mb(v, &mb) ? 0 : mb;
}

void ss_node_need(const struct ss_opts *o, unsigned long long node_mem_mb,
		  unsigned what, struct ss_node_need *n)
{
	const char *heap_s = o->value[SS_OPT_EXECUTOR_MEMORY];
	const char *dmem = o->value[SS_OPT_DRIVER_MEMORY];
	const char *off = conf_value(o, "spark.memory.offHeap.enabled");
	unsigned long long left = node_mem_mb, share;
	uint64_t mb;
	long per_node = 1;

	memset(n, 0, sizeof(*n));
	if (!dmem)
		dmem = conf_value(o, "spark.driver.memory");
	/* Spark's default heap is not counted: a JVM takes it only as it
	 * needs, and a step of DefMemPerNode would never start. */
	if ((what & SS_FIT_DRIVER) && dmem && !ss_parse_size_mb(dmem, &mb)) {
		n->driver_heap = mb;
		n->driver_overhead =
		    conf_mb(o, "spark.driver.memoryOverhead", false);
		if (!n->driver_overhead)
			n->driver_overhead =
			    ss_executor_overhead_mb(n->driver_heap);
		n->total = n->driver_heap + n->driver_overhead;
		left = left > n->total ? left - n->total : 0;
	}
	if (!(what & SS_FIT_EXECUTORS))
		return;
	if (o->value[SS_OPT_EXECUTORS_PER_NODE])
		(void)ss_parse_long(o->value[SS_OPT_EXECUTORS_PER_NODE], 1,
				    SS_COUNT_MAX, &per_node);
	n->executors = per_node;
	n->pyspark = conf_mb(o, "spark.executor.pyspark.memory", false);
	if (off && !strcasecmp(off, "true"))
		n->offheap = conf_mb(o, "spark.memory.offHeap.size", true);
	if (heap_s && !ss_parse_size_mb(heap_s, &mb)) {
		n->heap = mb;
	} else {
		/* The helper's: what is left of the node's share. */
		share = left / (unsigned long)per_node;
		share = share > n->pyspark + n->offheap
			    ? share - n->pyspark - n->offheap
			    : 0;
		n->heap = (unsigned long long)ss_default_executor_heap_mb(
		    share > SS_MEM_SHARE_MAX ? SS_MEM_SHARE_MAX : (long)share);
	}
	n->overhead = conf_mb(o, "spark.executor.memoryOverhead", false);
	if (!n->overhead)
		n->overhead = ss_executor_overhead_mb(n->heap);
	/* At most SS_COUNT_MAX * 4 * 16 TiB in MiB: no overflow. */
	n->total += (unsigned long long)per_node *
		    (n->heap + n->overhead + n->pyspark + n->offheap);
}

/* What else each executor and the driver take, for the message: "" or
 * "; each executor's X MiB of ..., the driver's ...". */
static void need_parts(const struct ss_node_need *n, char *out, size_t len)
{
	int k = 0;

	out[0] = '\0';
	if (n->pyspark)
		k += snprintf(out + k, len - (size_t)k,
			      ", %llu MiB of spark.executor.pyspark.memory "
			      "each",
			      n->pyspark);
	if (n->offheap && k >= 0 && (size_t)k < len)
		k += snprintf(out + k, len - (size_t)k,
			      ", %llu MiB of spark.memory.offHeap.size each",
			      n->offheap);
	if (n->driver_heap && k >= 0 && (size_t)k < len)
		snprintf(out + k, len - (size_t)k,
			 ", and the driver's %llu MiB (heap %llu + overhead "
			 "%llu)",
			 n->driver_heap + n->driver_overhead, n->driver_heap,
			 n->driver_overhead);
}

int ss_check_node_fit(const struct ss_opts *o, unsigned long long node_mem_mb,
		      unsigned what, char *err, size_t errlen)
{
	const char *heap_s = o->value[SS_OPT_EXECUTOR_MEMORY];
	struct ss_node_need n;
	char parts[256];
	uint64_t heap;
	long per_node;

	if (node_mem_mb == 0 || (heap_s && ss_parse_size_mb(heap_s, &heap)))
		return 0; /* unknown; a bad size is refused elsewhere */
	if (o->value[SS_OPT_EXECUTORS_PER_NODE] &&
	    ss_parse_long(o->value[SS_OPT_EXECUTORS_PER_NODE], 1, SS_COUNT_MAX,
			  &per_node))
		return 0; /* refused elsewhere */
	ss_node_need(o, node_mem_mb, what, &n);
	if (n.total <= node_mem_mb)
		return 0;
	need_parts(&n, parts, sizeof(parts));
	per_node = n.executors;
	if (!(what & SS_FIT_EXECUTORS)) {
		snprintf(err, errlen,
			 "the driver does not fit in the step's %llu MiB on "
			 "its node: it needs %llu MiB (heap %llu + overhead "
			 "%llu); ask for more memory with --mem or give a "
			 "smaller --spark-driver-memory",
			 node_mem_mb, n.total, n.driver_heap,
			 n.driver_overhead);
		return -1;
	}
	if (!heap_s) {
		snprintf(err, errlen,
			 "%ld executor%s per node do%s not fit in the step's "
			 "%llu MiB per node: even the smallest heap (%d MiB) "
			 "needs %llu MiB with Spark's overhead of max(%d "
			 "MiB, 10%%)%s; ask for more memory with --mem or give "
			 "fewer --spark-executors-per-node",
			 per_node, per_node == 1 ? "" : "s",
			 per_node == 1 ? "es" : "", node_mem_mb,
			 SS_EXECUTOR_MIN_HEAP_MB, n.total,
			 SS_EXECUTOR_OVERHEAD_MIN_MB, parts);
		return -1;
	}
	snprintf(err, errlen,
		 "--spark-executor-memory=%s does not fit in the step's %llu "
		 "MiB per node: %ld executor%s per node need%s %llu MiB with "
		 "Spark's overhead of max(%d MiB, 10%%)%s; ask for more memory "
		 "with --mem or give a smaller --spark-executor-memory",
		 heap_s, node_mem_mb, per_node, per_node == 1 ? "" : "s",
		 per_node == 1 ? "s" : "", n.total, SS_EXECUTOR_OVERHEAD_MIN_MB,
		 parts);
	return -1;
}

int ss_check_executor_fit(const struct ss_opts *o,
			  unsigned long long node_mem_mb, char *err,
			  size_t errlen)
{
	return ss_check_node_fit(o, node_mem_mb, SS_FIT_EXECUTORS, err, errlen);
}

char *ss_opts_conf_joined(const struct ss_opts *o)
{
	size_t len = 0, off = 0;
	char *s;

	if (!o->n_conf)
		return NULL;
	for (size_t i = 0; i < o->n_conf; i++)
		len += strlen(o->conf[i]) + 1;
	if (!(s = malloc(len)))
		return NULL;
	for (size_t i = 0; i < o->n_conf; i++) {
		size_t n = strlen(o->conf[i]);

		memcpy(s + off, o->conf[i], n);
		off += n;
		s[off++] = SS_CONF_SEP;
	}
	s[off - 1] = '\0';
	return s;
}

void ss_opts_free(struct ss_opts *o)
{
	for (int id = 0; id < SS_OPT_COUNT; id++) {
		free(o->value[id]);
		o->value[id] = NULL;
	}
	for (size_t i = 0; i < o->n_conf; i++)
		free(o->conf[i]);
	o->n_conf = 0;
}
