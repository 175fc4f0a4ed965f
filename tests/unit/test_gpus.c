/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_gpus.c - the step's GPUs shared out among a node's executors
 * (common/gpus.c): the plan, its refusals, each executor's share; and the
 * helper's side (helper/gpu.c, helper/executor_cmd.c): Slurm's variables
 * read, the driver's plan checked on an executor node, the resources file
 * Spark reads, an executor's own CUDA_VISIBLE_DEVICES and --resourcesFile.
 */
#include "tap.h"

#include "executor_cmd.h"
#include "gpu.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char secret[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/* "PER_NODE x EACH" or the refusal. */
static const char *plan_of(int gpus, long per_node, long each)
{
	static char out[512];
	char err[400] = "";

	if (ss_gpus_plan(gpus, &per_node, &each, err, sizeof(err)))
		snprintf(out, sizeof(out), "refused: %s", err);
	else
		snprintf(out, sizeof(out), "%ld x %ld", per_node, each);
	return out;
}

static void test_plan(void)
{
	is_str(plan_of(2, 0, 0), "2 x 1",
	       "2 GPUs, nothing said: one executor per GPU");
	is_str(plan_of(4, 2, 0), "2 x 2",
	       "4 GPUs, 2 executors per node: 2 GPUs each");
	is_str(plan_of(4, 0, 4), "1 x 4",
	       "4 GPUs, 4 per executor: one executor per node");
	is_str(plan_of(4, 2, 2), "2 x 2", "both said and they agree");
	is_str(plan_of(1, 1, 0), "1 x 1", "one GPU, one executor");
	like(plan_of(2, 3, 0),
	     "refused: --spark-executors-per-node=3 is more executors than "
	     "the 2 GPU(s)",
	     "more executors per node than GPUs: refused");
	like(plan_of(3, 2, 0),
	     "refused: 2 executor(s) per node of 1 GPU(s) "
	     "each do not share the 3 GPU(s)",
	     "3 GPUs for 2 executors do not divide: refused");
	like(plan_of(4, 0, 3), "refused: 1 executor(s) per node of 3 GPU(s)",
	     "3 GPUs each of 4 do not divide: refused");
	like(plan_of(4, 2, 1), "refused: 2 executor(s) per node of 1 GPU(s)",
	     "2 executors of 1 GPU leave 2 of 4 unused: refused");
	like(plan_of(2, 0, 4),
	     "refused: spark.executor.resource.gpu.amount=4 "
	     "is more than the 2 GPU(s)",
	     "more GPUs per executor than the node has: refused");
	ok(!strchr(plan_of(3, 2, 0), '\n'), "a refusal is one line");
}

static void test_parse_share(void)
{
	struct ss_gpus g;
	char err[256], share[64], big[4096];
	int n = 0;

	ok(ss_gpus_parse("2,3,5,7", &g, err, sizeof(err)) == 0 && g.n == 4 &&
	       !strcmp(g.id[0], "2") && !strcmp(g.id[3], "7"),
	   "Slurm's list: 4 GPUs");
	ok(ss_gpus_parse(NULL, &g, err, sizeof(err)) == 0 && g.n == 0,
	   "no list: no GPU");
	ok(ss_gpus_parse("", &g, err, sizeof(err)) == 0 && g.n == 0,
	   "an empty list: no GPU");
	ok(ss_gpus_parse("GPU-8f0c1a2b-aa11-bb22-cc33-0123456789ab,MIG-1/2/0",
			 &g, err, sizeof(err)) == 0 &&
	       g.n == 2,
	   "UUIDs and MIG names are GPUs too");
	ok(ss_gpus_parse("0,,1", &g, err, sizeof(err)) < 0,
	   "an empty entry is refused");
	like(err, "entry 2 is not a GPU index", "...saying which");
	ok(ss_gpus_parse("0,1 x", &g, err, sizeof(err)) < 0 &&
	       ss_gpus_parse("0,$(id)", &g, err, sizeof(err)) < 0,
	   "an odd entry is refused");
	for (int i = 0; i <= SS_GPUS_MAX; i++)
		n += snprintf(big + n, sizeof(big) - (size_t)n, "%s%d",
			      i ? "," : "", i);
	ok(ss_gpus_parse(big, &g, err, sizeof(err)) < 0,
	   "more than %d GPUs on a node are refused", SS_GPUS_MAX);

	ss_gpus_parse("2,3,5,7", &g, err, sizeof(err));
	ok(ss_gpus_share(&g, 0, 2, share, sizeof(share)) == 0 &&
	       !strcmp(share, "2,3"),
	   "executor 0 of 2: the first two");
	ok(ss_gpus_share(&g, 1, 2, share, sizeof(share)) == 0 &&
	       !strcmp(share, "5,7"),
	   "executor 1 of 2: the other two, never executor 0's");
	ok(ss_gpus_share(&g, 3, 1, share, sizeof(share)) == 0 &&
	       !strcmp(share, "7"),
	   "executor 3 of 4: the fourth");
	ok(ss_gpus_share(&g, 2, 2, share, sizeof(share)) < 0,
	   "no share past the node's GPUs");
	ok(ss_gpus_share(&g, 0, 4, share, 4) < 0, "nor past OUT's size");
}

static void setup(struct helper *h)
{
	snprintf(h->site.spark_home, sizeof(h->site.spark_home), "/opt/spark");
	snprintf(h->site.jar, sizeof(h->site.jar), "/opt/ss/spank-spark.jar");
	snprintf(h->site.python, sizeof(h->site.python), "/usr/bin/python3");
	h->site.port_lo = 40000;
	h->site.port_hi = 40050;
	snprintf(h->addr, sizeof(h->addr), "10.1.2.3");
	snprintf(h->host, sizeof(h->host), "node2");
	snprintf(h->step_dir, sizeof(h->step_dir), "/scratch/step");
}

static void test_helper_side(void)
{
	static struct helper h;
	struct ss_gpus g;
	char err[512];
	json_t *w;

	setup(&h);
	unsetenv("SLURM_STEP_GPUS");
	setenv("CUDA_VISIBLE_DEVICES", "0,1", 1);
	ok(gpu_node(&g, err, sizeof(err)) == 0 && g.n == 0,
	   "CUDA_VISIBLE_DEVICES without SLURM_STEP_GPUS (the user's, passed "
	   "on by srun) names no GPU of the step");
	h.role = ROLE_DRIVER;
	ok(gpu_plan(&h, false, err, sizeof(err)) == 0 && h.gpu_each == 0 &&
	       h.gpu_per_node == 0 && !gpu_welcome(&h),
	   "a step without GPUs: no plan, nothing in the welcome");
	setenv("SLURM_STEP_GPUS", "4,6", 1);
	setenv("CUDA_VISIBLE_DEVICES", "0,1", 1);
	ok(gpu_node(&g, err, sizeof(err)) == 0 && g.n == 2 &&
	       !strcmp(g.id[1], "1"),
	   "with SLURM_STEP_GPUS: CUDA_VISIBLE_DEVICES, Slurm's form here");
	unsetenv("CUDA_VISIBLE_DEVICES");
	ok(gpu_node(&g, err, sizeof(err)) == 0 && g.n == 2 &&
	       !strcmp(g.id[1], "6"),
	   "...else SLURM_STEP_GPUS");
	setenv("CUDA_VISIBLE_DEVICES", "4,6", 1);
	ok(gpu_plan(&h, false, err, sizeof(err)) == 0 && h.gpu_per_node == 2 &&
	       h.gpu_each == 1,
	   "the driver side plans one executor per GPU");
	w = gpu_welcome(&h);
	ok(w && json_integer_value(json_object_get(w, "per_node")) == 2 &&
	       json_integer_value(json_object_get(w, "each")) == 1,
	   "...and says so in the welcome");
	h.node_mem_mb = 1024;
	ok(gpu_plan(&h, false, err, sizeof(err)) < 0,
	   "one executor per GPU that do not fit in the node's memory: "
	   "refused");
	like(err, "2 executors per node do not fit in the step's 1024 MiB",
	     "...saying so, as the plugin says it");
	like(err, "(one executor per GPU, 2 GPUs)", "...and why there are 2");
	h.node_mem_mb = 4096;
	ok(gpu_plan(&h, false, err, sizeof(err)) == 0 && h.gpu_per_node == 2,
	   "...with memory enough they start");
	h.opts.value[SS_OPT_EXECUTORS_PER_NODE] = "3";
	ok(gpu_plan(&h, false, err, sizeof(err)) < 0, "3 executors, 2 GPUs: "
						      "refused");
	like(err,
	     "--spark-executors-per-node=3 is more executors than the 2 "
	     "GPU(s)",
	     "...in one line");
	h.opts.value[SS_OPT_EXECUTORS_PER_NODE] = NULL;

	h.gpu_per_node = h.gpu_each = 0;
	ok(gpu_take(&h, w, &g, err, sizeof(err)) == 0 && h.gpu_per_node == 2 &&
	       h.gpu_each == 1 && g.n == 2,
	   "an executor node with the same GPUs takes the plan");
	setenv("SLURM_STEP_GPUS", "4", 1);
	setenv("CUDA_VISIBLE_DEVICES", "4", 1);
	ok(gpu_take(&h, w, &g, err, sizeof(err)) < 0, "one with fewer GPUs "
						      "refuses it");
	like(err,
	     "node2 has 1 GPU(s) of the step where the driver side "
	     "planned 2",
	     "...saying which node");
	json_object_set_new(w, "each", json_string("1"));
	ok(gpu_take(&h, w, &g, err, sizeof(err)) < 0,
	   "a malformed plan is refused");
	json_decref(w);
	h.gpu_per_node = h.gpu_each = 0;
	ok(gpu_take(&h, NULL, &g, err, sizeof(err)) == 0 && h.gpu_each == 0,
	   "no plan (client mode without SLURM_GPUS_PER_NODE): left alone");
	unsetenv("SLURM_STEP_GPUS");
	unsetenv("CUDA_VISIBLE_DEVICES");
}

static void test_resources_file(void)
{
	char dir[] = "/tmp/test_gpus.XXXXXX", path[64], err[256], buf[512];
	struct stat st;
	ssize_t n = -1;
	int fd;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/gpus-0.json", dir);
	ok(gpu_write_resources(path, "spark.executor", 2, err, sizeof(err)) ==
	       0,
	   "a resources file is written");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	is_str(buf,
	       "[{\"id\":{\"componentName\":\"spark.executor\","
	       "\"resourceName\":\"gpu\"},\"addresses\":[\"0\",\"1\"]}]",
	       "...in Spark's ResourceAllocation form (3.5, 4.0, 4.3): the "
	       "CUDA ordinals inside the executor");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "...mode 0600");
	ok(gpu_write_resources(path, "spark.executor", 1, err, sizeof(err)) ==
	       0,
	   "...replaced for a relaunched executor");
	unlink(path);
	rmdir(dir);
}

static const char *env_get(char *const *env, const char *name)
{
	size_t len = strlen(name);

	for (; env && *env; env++)
		if (!strncmp(*env, name, len) && (*env)[len] == '=')
			return *env + len + 1;
	return NULL;
}

static bool argv_has(char *const *argv, const char *a, const char *b)
{
	for (; argv && argv[0] && argv[1]; argv++)
		if (!strcmp(argv[0], a) && !strcmp(argv[1], b))
			return true;
	return false;
}

static void test_executor_cmd(void)
{
	static struct helper h;
	static struct executors x;
	struct executor e[2] = {{.id = 1}, {.id = 2}};
	struct launch_cmd cmd = {0};
	char err[256];

	setup(&h);
	x.h = &h;
	x.cores = 2;
	x.heap_mb = 1024;
	x.n = 2;
	x.e = e;
	snprintf(x.app_id, sizeof(x.app_id), "spark-slurm-12.0");
	memcpy(x.secret, secret, sizeof(secret));
	snprintf(x.java, sizeof(x.java), "/opt/jdk/bin/java");
	setenv("CUDA_VISIBLE_DEVICES", "2,3,5,7", 1);
	setenv("GPU_DEVICE_ORDINAL", "2,3,5,7", 1);
	unsetenv("ROCR_VISIBLE_DEVICES");
	x.conf = json_pack("{s:s}", "spark.executorEnv.CUDA_VISIBLE_DEVICES",
			   "0,1,2,3");

	ok(launch_executor_cmd(&x, &e[1], 40001, &cmd) == 0 &&
	       !argv_has(cmd.argv, "--resourcesFile",
			 "/scratch/step/conf/gpus-1.json") &&
	       !strcmp(env_get(cmd.env, "CUDA_VISIBLE_DEVICES"), "0,1,2,3"),
	   "without GPUs: no resources file, the environment unchanged");
	launch_cmd_free(&cmd);

	ss_gpus_parse("2,3,5,7", &x.gpus, err, sizeof(err));
	x.gpu_each = 2;
	ok(launch_executor_cmd(&x, &e[1], 40001, &cmd) == 0,
	   "with GPUs: an executor's command is built");
	ok(argv_has(cmd.argv, "--resourcesFile",
		    "/scratch/step/conf/gpus-1.json"),
	   "...with its slot's resources file");
	is_str(env_get(cmd.env, "CUDA_VISIBLE_DEVICES"), "5,7",
	       "...its own GPUs only in CUDA_VISIBLE_DEVICES (not the user's "
	       "spark.executorEnv)");
	is_str(env_get(cmd.env, "GPU_DEVICE_ORDINAL"), "5,7",
	       "...and in GPU_DEVICE_ORDINAL, which Slurm set");
	ok(!env_get(cmd.env, "ROCR_VISIBLE_DEVICES"),
	   "...not ROCR_VISIBLE_DEVICES, which Slurm did not set");
	launch_cmd_free(&cmd);
	ok(launch_executor_cmd(&x, &e[0], 40001, &cmd) == 0 &&
	       !strcmp(env_get(cmd.env, "CUDA_VISIBLE_DEVICES"), "2,3") &&
	       argv_has(cmd.argv, "--resourcesFile",
			"/scratch/step/conf/gpus-0.json"),
	   "the other executor: the other GPUs, its own file");
	launch_cmd_free(&cmd);
	json_decref(x.conf);
	unsetenv("CUDA_VISIBLE_DEVICES");
	unsetenv("GPU_DEVICE_ORDINAL");
}

int main(void)
{
	test_plan();
	test_parse_share();
	test_helper_side();
	test_resources_file();
	test_executor_cmd();
	return done_testing();
}
