/*
 * libFuzzer target for scenario files: any bytes through the TOML reader
 * and the scenario loader; an accepted scenario is compiled into a plan
 * (and written back by show, which must read again). An error always names
 * the file, line and column.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/plan.h"
#include "scenarios/sfile.h"
#include "scenarios/sshow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sfile f, g;
	static struct plan p;
	char why[512], *text = malloc(size ? size : 1), *out = NULL;
	size_t len = 0;
	memcpy(text, data, size);
	int r = sfile_parse(&f, "f.toml", text, size, why, sizeof(why));
	if (r == 0) {
		struct plan_opts o = {"h",
				      "/",
				      NULL,
				      0,
				      NULL,
				      0,
				      scn_has_mcp(&f.scn) ? MCP_ERA_LEGACY : MCP_ERA_NONE,
				      "2025-11-25",
				      NULL,
				      false};
		(void)plan_build(&p, &f.scn, &f.scn.shape, &o, why, sizeof(why));
		FILE *m = open_memstream(&out, &len);
		sshow_write(m, &f.scn);
		fclose(m);
		if (sfile_parse(&g, "g.toml", out, len, why, sizeof(why)) != 0)
			abort(); /* what show writes reads back */
		sfile_free(&g);
		free(out);
	} else if (strncmp(why, "f.toml:", 7) != 0) {
		abort();
	}
	sfile_free(&f);
	free(text);
	return 0;
}
