/*
 * mcpsum: MCP lines of the summary and the "mcp" JSON member, from the
 * merged tally's MCP counts and what the probe learned before the run.
 */
#include "stats/report/mcpsum.h"

static const char *era_name(enum mcp_era e)
{
	return e == MCP_ERA_MODERN ? "modern (stateless)" : "legacy (sessions)";
}

void mcpsum_print(FILE *f, const struct rdesc *d, const struct result *res)
{
	const struct tally_mcp *m = &res->total->mcp;
	const struct mcp_server *s = d->mcp;
	if (!d->plan || d->plan->mcp.era == MCP_ERA_NONE || !s)
		return;
	fprintf(f, "  MCP          %s %s, server %s %s%s\n", era_name(s->era), s->version,
		s->server_name[0] ? s->server_name : "(no serverInfo)", s->server_version,
		s->stateless ? ", no session ids" : "");
	if (s->era == MCP_ERA_LEGACY)
		fprintf(f,
			"               sessions %llu set up, %llu lost and set up again, %llu "
			"ended%s\n",
			(unsigned long long)m->sessions, (unsigned long long)m->reinits,
			(unsigned long long)m->ended,
			d->plan->mcp.churn ? " (a new session every iteration)" : "");
	fprintf(f,
		"               %llu responses as SSE (%llu events, %llu notifications, %llu "
		"progress, %llu server requests); %llu retried after connection errors\n",
		(unsigned long long)m->sse, (unsigned long long)m->events,
		(unsigned long long)m->notifications, (unsigned long long)m->progress,
		(unsigned long long)m->server_requests, (unsigned long long)res->total->retried);
	if (m->codes[0].n) {
		fprintf(f, "               JSON-RPC error codes:");
		for (unsigned i = 0; i < TALLY_CODES && m->codes[i].n; i++)
			fprintf(f, " %lld x%llu", (long long)m->codes[i].code,
				(unsigned long long)m->codes[i].n);
		if (m->codes_other)
			fprintf(f, " other x%llu", (unsigned long long)m->codes_other);
		fprintf(f, "\n");
	}
}

void mcpsum_json(struct jw *j, const struct rdesc *d, const struct result *res)
{
	const struct tally_mcp *m = &res->total->mcp;
	const struct mcp_server *s = d->mcp;
	char code[24];
	if (!d->plan || d->plan->mcp.era == MCP_ERA_NONE || !s)
		return;
	jw_obj_begin(j, "mcp");
	jw_str(j, "era", s->era == MCP_ERA_MODERN ? "modern" : "legacy");
	jw_str(j, "protocol_version", s->version);
	jw_str(j, "server_name", s->server_name);
	jw_str(j, "server_version", s->server_version);
	jw_bool(j, "stateless", s->era == MCP_ERA_MODERN || s->stateless);
	jw_u64(j, "probe_requests", s->probe_requests);
	jw_bool(j, "session_churn", d->plan->mcp.churn);
	jw_u64(j, "sessions", m->sessions);
	jw_u64(j, "sessions_reinitialized", m->reinits);
	jw_u64(j, "sessions_ended", m->ended);
	jw_u64(j, "sse_responses", m->sse);
	jw_u64(j, "sse_events", m->events);
	jw_u64(j, "notifications", m->notifications);
	jw_u64(j, "progress_notifications", m->progress);
	jw_obj_begin(j, "notifications_by_method");
	for (unsigned i = 0; i < TALLY_METHODS && m->methods[i].n; i++)
		jw_u64(j, m->methods[i].name, m->methods[i].n);
	if (m->methods_other)
		jw_u64(j, "other", m->methods_other);
	jw_obj_end(j);
	jw_u64(j, "server_requests", m->server_requests);
	jw_u64(j, "retried", res->total->retried);
	jw_obj_begin(j, "rpc_error_codes");
	for (unsigned i = 0; i < TALLY_CODES && m->codes[i].n; i++) {
		snprintf(code, sizeof(code), "%lld", (long long)m->codes[i].code);
		jw_u64(j, code, m->codes[i].n);
	}
	if (m->codes_other)
		jw_u64(j, "other", m->codes_other);
	jw_obj_end(j);
	jw_obj_end(j);
}
