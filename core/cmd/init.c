/*
 * init: the command around the survey: parse, reach the server (a missing
 * MCP endpoint is written down, not an error), survey it, write the file
 * with the one output writer, and say on stderr what was found and what
 * to review.
 */
#include "core/cmd/init.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cmd.h"
#include "core/cmd/iwrite.h"
#include "core/cmd/lopt.h"
#include "core/cmd/prep.h"
#include "core/cmd/survey.h"
#include "stats/report/out.h"

struct init_opts {
	struct lopt base; /* target, headers, MCP version and path */
	const char *output;
	bool no_calls;
};

static int init_set(void *ctx, enum opt_id id, const char *arg, char *why, size_t wl)
{
	struct init_opts *o = ctx;
	switch (id) {
	case OPT_OUTPUT:
		o->output = arg;
		return 0;
	case OPT_NO_CALLS:
		o->no_calls = true;
		return 0;
	default: /* -H, --header-file, --mcp-version, --mcp-path */
		return lopt_set(&o->base, id, arg, why, wl);
	}
}

static int fill(FILE *f, const void *ctx)
{
	iwrite_config(f, ctx);
	return ferror(f) ? -EIO : 0;
}

/* What was found and what to do next, on stderr. */
static void tell(const struct iwrite_in *in, const char *output)
{
	const struct survey *s = in->survey;
	unsigned refused = 0, guessed = 0;
	for (unsigned i = 0; i < s->ntools; i++) {
		refused += s->tools[i].refused;
		guessed += !s->tools[i].refused && s->tools[i].guessed > 0;
	}
	if (s->mcp_missing[0])
		fprintf(stderr, "  MCP: none (%s)\n", s->mcp_missing);
	else
		fprintf(stderr,
			"  MCP: %u tools (%u refused their synthesized arguments), %u "
			"resources, %u prompts\n",
			s->all_tools, refused, s->all_res, s->all_prompts);
	if (s->openapi_why[0])
		fprintf(stderr, "  OpenAPI: none (%s)\n", s->openapi_why);
	else
		fprintf(stderr, "  OpenAPI: %u operations at %s\n", s->all_ops, s->openapi_url);
	fprintf(stderr, "%s", s->notes);
	fprintf(stderr, "  wrote %s: review the tools' arguments%s%s, then run\n",
		strcmp(output, "-") ? output : "the configuration to stdout",
		guessed ? " (some values were guessed from their type)" : "",
		s->openapi_why[0] ? " and fill in the REST flow" : " and the REST flow");
	fprintf(stderr, "    mcpload suite --config %s --plan     (what it would send)\n",
		strcmp(output, "-") ? output : "FILE");
	fprintf(stderr, "    mcpload suite --config %s --smoke    (the suite in about a minute)\n",
		strcmp(output, "-") ? output : "FILE");
}

int init_main(int argc, char **argv)
{
	struct init_opts o = {.output = "-"};
	struct prep p;
	struct survey s;
	const char *pos[1] = {NULL};
	char why[512], path[1024], missing[320] = "";
	unsigned npos;
	int r;
	memset(&p, 0, sizeof(p));
	memset(&s, 0, sizeof(s));
	lopt_init(&o.base, CMD_RUN);
	r = cmd_parse(CMD_INIT, argc, argv, init_set, &o, pos, 1, &npos);
	if (r != CMD_GO)
		return r;
	if (!npos)
		return cmd_usage_error(CMD_INIT, "init needs the server's URL");
	o.base.target = pos[0];
	if (lopt_check_target(pos[0], why, sizeof(why)) < 0 ||
	    prep_inputs(&o.base, why, sizeof(why)) < 0 ||
	    out_check(o.output, why, sizeof(why)) < 0) {
		r = cmd_usage_error(CMD_INIT, why);
		goto out;
	}
	r = prep_open(&p, &o.base, why, sizeof(why));
	if (r == 0)
		r = prep_reach(&p, &o.base, false, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = r == -EINVAL ? CMD_EXIT_USAGE : CMD_EXIT_FAIL;
		goto out;
	}
	prep_mcp_path(&p, &o.base, path, sizeof(path));
	if (probe_mcp(&p.peer, path, o.base.mcp_version, &p.mcp, missing, sizeof(missing)) < 0)
		p.mcp.era = MCP_ERA_NONE;
	fprintf(stderr, "mcpload %s  init: asking %s what it offers%s\n", MCPL_VERSION, pos[0],
		o.no_calls ? "" : " (each tool is called once)");
	if (survey_mcp(&s, &p.peer, path, &p.mcp, missing, !o.no_calls) < 0 ||
	    survey_openapi(&s, &p.url, p.header_lines, p.peer.tls) < 0) {
		fprintf(stderr, "mcpload: out of memory\n");
		r = CMD_EXIT_FAIL;
		goto out;
	}
	struct iwrite_in in = {&s, pos[0], o.base.mcp_path, o.no_calls};
	if (out_write(o.output, fill, &in, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = CMD_EXIT_FAIL;
		goto out;
	}
	tell(&in, o.output);
	r = CMD_EXIT_OK;
out:
	survey_free(&s);
	prep_free(&p);
	lopt_free(&o.base);
	return r;
}
