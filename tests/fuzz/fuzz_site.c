/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_site.c - ss_site_parse on plugstack.conf arguments (the input
 * split on NULs and newlines), then what uses its result. */
#include "fuzz.h"
#include "site_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[64], *buf, err[512] = "", dir[4096];
	struct ss_site site;
	int argc = fuzz_split(data, size, argv, 64, &buf);

	if (ss_site_parse(&site, argc, argv, err, sizeof(err)) == 0) {
		CHECK(site.port_lo >= 1024 && site.port_hi >= site.port_lo);
		CHECK(site.jar[0] == '/' && site.helper[0] == '/');
		(void)ss_site_user_allowed(&site, "alice");
		(void)ss_expand_dir(site.log_dir, "alice", "/home/alice", 1, 2,
				    dir, sizeof(dir));
	} else {
		CHECK(err[0] && fuzz_clean(err));
	}
	free(buf);
	return 0;
}
