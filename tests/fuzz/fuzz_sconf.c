/*
 * libFuzzer target for suite configurations: any bytes through the TOML
 * reader and the configuration loader; an accepted configuration is made
 * into the suite's table for a server with and without MCP, and every
 * composed phase compiles into a plan or says why not. An error always
 * names the file, line and column.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/plan.h"
#include "scenarios/sconf.h"
#include "scenarios/snfr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void compile_all(const struct snfr *t)
{
	static struct plan p;
	char why[512];
	for (unsigned i = 0; i < t->n; i++)
		for (unsigned k = 0; k < t->nfrs[i].nphases; k++) {
			const struct scn *sc = nfr_phase_scn(&t->nfrs[i].phases[k]);
			struct plan_opts o = {"h",
					      "/",
					      NULL,
					      0,
					      NULL,
					      0,
					      scn_has_mcp(sc) ? MCP_ERA_LEGACY : MCP_ERA_NONE,
					      "2025-11-25",
					      NULL,
					      false};
			if (sc)
				(void)plan_build(&p, sc, &sc->shape, &o, why, sizeof(why));
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sconf c;
	static struct snfr t;
	char why[512], *text = malloc(size ? size : 1);
	memcpy(text, data, size);
	int r = sconf_parse(&c, "c.toml", text, size, why, sizeof(why));
	if (r == 0) {
		struct snfr_server with = {.target = "http://h/"}, without = with;
		without.mcp_missing = "no MCP endpoint";
		if (snfr_build(&t, &c, &with, why, sizeof(why)) == 0)
			compile_all(&t);
		snfr_free(&t);
		if (snfr_build(&t, &c, &without, why, sizeof(why)) == 0)
			compile_all(&t);
		snfr_free(&t);
	} else if (r == -EINVAL && strncmp(why, "c.toml:", 7) != 0) {
		abort();
	}
	sconf_free(&c);
	free(text);
	return 0;
}
