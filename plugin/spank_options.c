/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spank_options.c - the --spark-* options as SPANK sees them: registration
 * in every context, the callback, and resolution of defaults.
 */
#include "plugin.h"
#include "eventlog.h"
#include "parse.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Slurm may call the callback for the same option twice; and in slurmstepd
 * a job-level (sbatch) value may be followed by the step's own. */
static int option_cb(int id, const char *value, int remote)
{
	char err[SS_ERR_LEN];

	if (id < 0 || id >= SS_OPT_COUNT)
		return -1;
	/* salloc/sbatch of a het job (22.05, measured): the later components
	 * get the first one's options back from the environment, a flag's
	 * missing value printed as "(null)". */
	if (ss_opt_table[id].kind == SS_KIND_FLAG && value &&
	    !strcmp(value, "(null)"))
		value = NULL;
	if (ss_opts_set(&ss_plugin.opts, (enum ss_opt_id)id, value, !remote,
			err, sizeof(err))) {
		if (remote) {
			/* slurmstepd drops this error: fail the task later. */
			snprintf(ss_plugin.deferred_error,
				 sizeof(ss_plugin.deferred_error), "%s", err);
			return 0;
		}
		slurm_error("spank-spark: %s", err);
		return -1;
	}
	ss_plugin.opts.from_cmdline[id] = true;
	return 0;
}

int ss_register_options(spank_t sp)
{
	for (int id = 0; id < SS_OPT_COUNT; id++) {
		const struct ss_opt_desc *d = &ss_opt_table[id];
		struct spank_option opt = {
		    .name = (char *)d->name,
		    .arginfo = (char *)d->arginfo,
		    .usage = (char *)d->usage,
		    .has_arg = d->kind == SS_KIND_FLAG	     ? 0
			       : d->kind == SS_KIND_FLAG_DIR ? 2
							     : 1,
		    .val = id,
		    .cb = option_cb,
		};

		if (spank_option_register(sp, &opt) != ESPANK_SUCCESS) {
			slurm_error("spank-spark: cannot register --%s",
				    d->name);
			return -1;
		}
	}
	return 0;
}

/* The site's encryption= policy against --spark-encryption. */
static int check_encryption_policy(char *err, size_t errlen)
{
	bool on;

	return ss_site_encryption(&ss_plugin.site,
				  ss_plugin.opts.value[SS_OPT_ENCRYPTION], &on,
				  err, errlen);
}

/* --spark-event-log without a directory needs the site's event_log_dir. */
static int check_event_log(char *err, size_t errlen)
{
	const char *tmpl;
	bool shared;

	return ss_event_log_choice(ss_plugin.opts.value[SS_OPT_EVENT_LOG],
				   ss_plugin.site.event_log_dir, &tmpl, &shared,
				   err, errlen);
}

/* --spark-elastic within the site's elastic_max_nodes (0: forbidden). */
static int check_elastic(char *err, size_t errlen)
{
	const char *v = ss_plugin.opts.value[SS_OPT_ELASTIC];
	long n = 0, cap = ss_plugin.site.elastic_max_nodes;

	if (!v || ss_parse_long(v, 1, SS_COUNT_MAX, &n) || n <= cap)
		return 0;
	if (cap == 0)
		snprintf(err, errlen,
			 "--spark-elastic is not allowed on this cluster "
			 "(elastic_max_nodes=0 in plugstack.conf): drop it, "
			 "and ask for the nodes you need with -N");
	else
		snprintf(err, errlen,
			 "--spark-elastic=%ld asks for more extra nodes than "
			 "this cluster allows (elastic_max_nodes=%ld in "
			 "plugstack.conf): give at most %ld",
			 n, cap, cap);
	return -1;
}

int ss_resolve(ss_getenv_fn lookup, void *arg, char *err, size_t errlen)
{
	struct ss_opts *o = &ss_plugin.opts;

	if (ss_plugin.deferred_error[0]) {
		snprintf(err, errlen, "%s", ss_plugin.deferred_error);
		return -1;
	}
	if (ss_opts_apply_env(o, lookup, arg, err, errlen) ||
	    ss_opts_check(o, err, errlen))
		return -1;
	ss_plugin.active = ss_opts_any(o);
	ss_plugin.mode = ss_plugin.site.default_mode;
	if (o->value[SS_OPT_MODE])
		ss_parse_mode(o->value[SS_OPT_MODE], &ss_plugin.mode);
	if (check_encryption_policy(err, errlen) || check_elastic(err, errlen))
		return -1;
	return check_event_log(err, errlen);
}

int ss_export_options(ss_setenv_fn set, void *arg)
{
	struct ss_opts *o = &ss_plugin.opts;
	char *conf = NULL;
	int rc = 0;

	for (int id = 0; id < SS_OPT_COUNT && !rc; id++) {
		const char *value = o->value[id];

		if (id == SS_OPT_MODE)
			value = ss_mode_name(ss_plugin.mode);
		else if (id == SS_OPT_CONF && o->n_conf &&
			 !(value = conf = ss_opts_conf_joined(o)))
			return -1;
		rc = set(arg, ss_opt_table[id].env, value);
	}
	free(conf);
	return rc;
}

static int process_setenv(void *arg, const char *name, const char *value)
{
	(void)arg;
	if (!value) {
		unsetenv(name);
		return 0;
	}
	return setenv(name, value, 1) ? -1 : 0;
}

int ss_export_to_environment(void)
{
	return ss_export_options(process_setenv, NULL);
}

int ss_check_user(void)
{
	struct passwd *pw = getpwuid(getuid());

	if (pw && ss_site_user_allowed(&ss_plugin.site, pw->pw_name))
		return 0;
	slurm_error("spank-spark: user %s may not run Spark steps here "
		    "(plugstack.conf users=%s); ask your site's Slurm admins",
		    pw ? pw->pw_name : "?", ss_plugin.site.users);
	return -1;
}

void ss_helper_handoff(struct ss_handoff *h, const char *role)
{
	ss_handoff_init(h);
	h->role = role;
	/* The plugstack.conf arguments, as they are: the helper parses them
	 * with the same code. */
	h->site_argc = ss_plugin.site_argc;
	h->site_argv = ss_plugin.site_argv;
}

char **ss_helper_argv(const struct ss_handoff *h)
{
	return ss_handoff_to_argv(h, ss_plugin.site.helper);
}
