/*
 * wflow: the [nfr03] section read with the scenario file's readers, and
 * the reference server's ten SDLC workflows: before MCP an agent read the
 * framework guide (CLAUDE.md), the patterns it points at, the templates,
 * the whole task list and the whole id registry; now it asks the server.
 */
#include "scenarios/wflow.h"

#include <errno.h>
#include <string.h>

#define CORE	 "CLAUDE.md"
#define PAT(x)	 "prompts/CLAUDE/python/patterns-" x ".md"
#define TMPL(x)	 "prompts/templates/" x ".md"
#define TASKS	 "artifacts/tasks.md"
#define REGISTRY "artifacts/id_registry.md"

/* A short PRD draft to validate and store: what the model wrote, so it is
 * in neither count (the model produced it; it reads neither of them). */
#define DRAFT                                                                                      \
	"# PRD-0007 Offline mode\\n\\n## Overview\\nUsers keep working without a network.\\n\\n"   \
	"## Goals\\nNo lost edits.\\n\\n## Requirements\\nSync on reconnect.\\n"

const struct wflow_set wflow_bundled =
    {
	.wf =
	    {
		{.name = "write-prd",
		 .files = {CORE, TMPL("prd"), REGISTRY},
		 .nfiles = 3,
		 .calls = {{WFLOW_PROMPT, "write_prd",
			    "{\"topic\":\"Offline mode for the mobile app\"}"},
			   {WFLOW_RESOURCE, "templates://prd", NULL},
			   {WFLOW_TOOL, "reserve_id_range",
			    "{\"artifact_type\":\"PRD\",\"count\":1}"}},
		 .ncalls = 3},
		{.name = "write-backlog-story",
		 .files = {CORE, TMPL("backlog-story"), REGISTRY},
		 .nfiles = 3,
		 .calls =
		     {{WFLOW_PROMPT, "write_backlog_story", "{\"title\":\"Export tasks as CSV\"}"},
		      {WFLOW_RESOURCE, "templates://backlog-story", NULL},
		      {WFLOW_TOOL, "reserve_id_range", "{\"artifact_type\":\"US\",\"count\":1}"}},
		 .ncalls = 3},
		{.name = "validate-artifact",
		 .files = {CORE, TMPL("prd"), PAT("validation")},
		 .nfiles = 3,
		 .calls = {{WFLOW_TOOL, "validate_artifact",
			    "{\"artifact_type\":\"PRD\",\"content\":\"" DRAFT "\"}"}},
		 .ncalls = 1},
		{.name = "resolve-artifact-path",
		 .files = {CORE, REGISTRY},
		 .nfiles = 2,
		 .calls = {{WFLOW_TOOL, "resolve_artifact_path",
			    "{\"artifact_type\":\"US\",\"id\":42}"}},
		 .ncalls = 1},
		{.name = "store-artifact",
		 .files = {CORE, REGISTRY},
		 .nfiles = 2,
		 .calls = {{WFLOW_TOOL, "store_artifact",
			    "{\"artifact_type\":\"PRD\",\"id\":7,\"content\":\"" DRAFT "\"}"}},
		 .ncalls = 1},
		{.name = "reserve-ids",
		 .files = {REGISTRY},
		 .nfiles = 1,
		 .calls = {{WFLOW_TOOL, "reserve_id_range",
			    "{\"artifact_type\":\"US\",\"count\":5}"}},
		 .ncalls = 1},
		{.name = "get-next-task",
		 .files = {TASKS},
		 .nfiles = 1,
		 .calls = {{WFLOW_TOOL, "get_next_task", "{}"}},
		 .ncalls = 1},
		{.name = "update-task-status",
		 .files = {TASKS},
		 .nfiles = 1,
		 .calls = {{WFLOW_TOOL, "update_task_status",
			    "{\"task_id\":\"TASK-0042\",\"status\":\"done\"}"}},
		 .ncalls = 1},
		/* the guide as the hybrid CLAUDE.md approach loaded it: with the
		 * patterns every story tells the agent to read first */
		{.name = "load-core-guide",
		 .files = {CORE, PAT("core"), PAT("tooling"), PAT("testing"), PAT("typing"),
			   PAT("validation")},
		 .nfiles = 6,
		 .calls = {{WFLOW_RESOURCE, "sdlc://core", NULL}},
		 .ncalls = 1},
		{.name = "load-pattern-and-template",
		 .files = {CORE, PAT("testing"), TMPL("test-plan")},
		 .nfiles = 3,
		 .calls = {{WFLOW_RESOURCE, "patterns://python/testing", NULL},
			   {WFLOW_RESOURCE, "templates://test-plan", NULL}},
		 .ncalls = 2},
	    },
	.n = 10,
};

const char *const wflow_keys[] = {"workflow",  "encoding",	 "files_dir", "baseline",
				  "tool_list", "not_applicable", NULL};

unsigned wflow_turns(const struct wflow *w)
{
	return w->turns ? w->turns : w->ncalls;
}

const char *wflow_method(enum wflow_kind k)
{
	return k == WFLOW_RESOURCE ? "resources/read"
	       : k == WFLOW_TOOL   ? "tools/call"
				   : "prompts/get";
}

/* One call: exactly one of resource, tool, prompt; args for the last two. */
static int call(struct sfile_rd *r, const struct toml_val *v, struct wflow_call *c)
{
	static const char *const keys[] = {"resource", "tool", "prompt", "args", NULL};
	static const char *const kinds[] = {"resource", "tool", "prompt"};
	unsigned set = 0;
	if (v->type != TOML_TABLE)
		return sfile_bad(r, v, "a call is a table: { tool = \"NAME\", args = '{...}' }");
	if (sfile_known(r, v, keys, "a call") < 0)
		return -EINVAL;
	for (unsigned k = 0; k < 3; k++) {
		const char *name = NULL;
		if (sfile_str(r, v, kinds[k], &name) < 0)
			return -EINVAL;
		if (name) {
			c->kind = (enum wflow_kind)k;
			c->name = name;
			set++;
		}
	}
	if (set != 1)
		return sfile_bad(r, v, "a call names one resource, tool or prompt");
	if (sfile_str(r, v, "args", &c->args) < 0)
		return -EINVAL;
	if (c->args && c->kind == WFLOW_RESOURCE)
		return sfile_bad(r, toml_get(v, "args"), "a resource read takes no args");
	if (c->args && c->args[strspn(c->args, " \t\r\n")] != '{')
		return sfile_bad(r, toml_get(v, "args"), "'args' is a JSON object");
	return 0;
}

static int workflow(struct sfile_rd *r, const struct toml_val *v, struct wflow *w)
{
	static const char *const keys[] = {"name", "files", "call", "turns", NULL};
	const struct toml_val *calls = toml_get(v, "call");
	int64_t turns = 0;
	if (v->type != TOML_TABLE)
		return sfile_bad(r, v, "a workflow is a table ([[nfr03.workflow]])");
	if (sfile_known(r, v, keys, "a workflow") < 0 || sfile_str(r, v, "name", &w->name) < 0 ||
	    sfile_strs(r, v, "files", w->files, WFLOW_MAX_FILES, &w->nfiles) < 0 ||
	    sfile_int(r, v, "turns", 1, 10000, &turns) < 0)
		return -EINVAL;
	w->turns = (unsigned)turns;
	if (!w->name || !w->name[0])
		return sfile_bad(r, v, "a workflow needs its name");
	if (!w->nfiles)
		return sfile_bad(r, v, "workflow '%s' needs the files the baseline loads ('files')",
				 w->name);
	if (!calls || calls->type != TOML_ARRAY || !calls->first)
		return sfile_bad(r, calls ? calls : v,
				 "workflow '%s' needs its MCP calls ([[nfr03.workflow.call]])",
				 w->name);
	for (const struct toml_val *c = calls->first; c; c = c->next) {
		if (w->ncalls == WFLOW_MAX_CALLS)
			return sfile_bad(r, c, "more than %d calls in a workflow", WFLOW_MAX_CALLS);
		if (call(r, c, &w->calls[w->ncalls++]) < 0)
			return -EINVAL;
	}
	return 0;
}

int wflow_read(struct sfile_rd *r, const struct toml_val *t, struct wflow_set *s)
{
	const struct toml_val *wfs = toml_get(t, "workflow"), *tl = toml_get(t, "tool_list");
	if (sfile_str(r, t, "encoding", &s->encoding) < 0 ||
	    sfile_str(r, t, "files_dir", &s->files_dir) < 0 ||
	    sfile_str(r, t, "baseline", &s->baseline) < 0)
		return -EINVAL;
	if (s->encoding && strcmp(s->encoding, "cl100k_base") && strcmp(s->encoding, "o200k_base"))
		return sfile_bad(r, toml_get(t, "encoding"),
				 "'encoding' is \"cl100k_base\" or \"o200k_base\"");
	if (tl && tl->type != TOML_BOOL)
		return sfile_bad(r, tl, "'tool_list' is true or false");
	s->no_tool_list = tl && !tl->b;
	if (toml_get(t, "not_applicable"))
		return 0;
	if (!wfs || wfs->type != TOML_ARRAY || !wfs->first)
		return sfile_bad(r, wfs ? wfs : t, "[nfr03] needs workflows ([[nfr03.workflow]])");
	for (const struct toml_val *v = wfs->first; v; v = v->next) {
		if (s->n == WFLOW_MAX)
			return sfile_bad(r, v, "more than %d workflows", WFLOW_MAX);
		struct wflow *w = &s->wf[s->n];
		if (workflow(r, v, w) < 0)
			return -EINVAL;
		for (unsigned i = 0; i < s->n; i++)
			if (!strcmp(s->wf[i].name, w->name))
				return sfile_bad(r, v, "two workflows are named '%s'", w->name);
		s->n++;
	}
	return 0;
}
