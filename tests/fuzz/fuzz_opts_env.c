/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_opts_env.c - ss_opts_apply_env and the checks after it: the
 * input's NUL/newline-separated pieces are the SPANK_SPARK_* values in
 * table order (SPANK_SPARK_CONF gets the rest joined by newlines). */
#include "fuzz.h"
#include "options.h"

struct fake_env {
	char *value[SS_OPT_COUNT];
};

static const char *fake_getenv(const char *name, void *arg)
{
	struct fake_env *e = arg;

	for (int id = 0; id < SS_OPT_COUNT; id++)
		if (!strcmp(ss_opt_table[id].env, name))
			return e->value[id];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake_env env = {{0}};
	struct ss_opts o = {0};
	char *pieces[SS_OPT_COUNT], *buf, err[512] = "";
	unsigned long long node_mem = 0;
	int n;

	/* The first 4 bytes: the step's memory per node in MiB. */
	if (size >= 4) {
		node_mem = (unsigned long long)data[0] << 24 |
			   (unsigned long long)data[1] << 16 |
			   (unsigned long long)data[2] << 8 | data[3];
		data += 4;
		size -= 4;
	}
	n = fuzz_split(data, size, pieces, SS_OPT_COUNT, &buf);
	for (int i = 0; i < n; i++)
		env.value[i] = pieces[i];
	if (ss_opts_apply_env(&o, fake_getenv, &env, err, sizeof(err)) == 0) {
		char *joined = ss_opts_conf_joined(&o);

		if (ss_opts_check(&o, err, sizeof(err)) == 0) {
			CHECK(!joined || strlen(joined) <= SS_ENV_VALUE_MAX);
		} else {
			CHECK(err[0] && fuzz_clean(err));
		}
		err[0] = '\0';
		if (ss_check_executor_fit(&o, node_mem, err, sizeof(err)))
			CHECK(err[0] && fuzz_clean(err));
		free(joined);
	} else {
		CHECK(err[0] && fuzz_clean(err));
	}
	ss_opts_free(&o);
	free(buf);
	return 0;
}
