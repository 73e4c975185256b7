/*
 * tool: the tools' behaviour. Results follow the SDK's shape: one text
 * content item holding the JSON of structuredContent, and structuredContent
 * itself. Artifacts stored by store_artifact live in a bounded in-memory
 * table (path -> version, bytes) behind a mutex.
 */
#include "tools/target/tool.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "protocol/jsc.h"
#include "tools/target/res.h"
#include "tools/target/store.h"

#define ARTIFACTS 4096u

static struct {
	pthread_mutex_t lock;
	char path[ARTIFACTS][96];
	unsigned version[ARTIFACTS];
	unsigned count;
} arts = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* artifact type -> template and directory */
static const struct {
	const char *type, *tmpl, *dir;
} kinds[] = {
    {"PRD", "prd", "prds"},    {"EPIC", "epic", "epics"},
    {"HLS", "hls", "hls"},     {"US", "backlog-story", "backlog"},
    {"TASK", "task", "tasks"}, {"ADR", "adr", "adrs"},
};

static int kind_of(const struct jsc_val *v)
{
	for (size_t i = 0; v->type == JSC_STRING && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (jsc_is(v, kinds[i].type))
			return (int)i;
	}
	return -1;
}

int tool_artifact_path(const char *type, size_t type_len, uint64_t id, char *out, size_t cap)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strlen(kinds[i].type) == type_len && memcmp(kinds[i].type, type, type_len) == 0)
			return snprintf(out, cap, "artifacts/%s/%s-%03llu.md", kinds[i].dir,
					kinds[i].type, (unsigned long long)id);
	}
	return -EINVAL;
}

static const char *const tool_names[] = {"validate_artifact",  "resolve_artifact_path",
					 "store_artifact",     "get_next_task",
					 "update_task_status", "reserve_id_range"};

int tool_index(const char *name, size_t len)
{
	for (int i = 0; i < TOOL_COUNT; i++) {
		if (strlen(tool_names[i]) == len && memcmp(tool_names[i], name, len) == 0)
			return i;
	}
	return -1;
}

const char *tool_name(int index)
{
	return index >= 0 && index < TOOL_COUNT ? tool_names[index] : "unknown";
}

void tool_list(struct resp *r)
{
	static const char *const descr[] = {
	    "Check an artifact's markdown against its template's required sections.",
	    "Canonical repository path of an artifact from its type and id.",
	    "Store an artifact's content; returns its path and version.",
	    "Hand out the next pending task of the backlog.",
	    "Set a task's status (pending, in_progress, done, blocked).",
	    "Reserve a contiguous, unique range of ids for an artifact type.",
	};
	static const char *const schema[] = {
	    "{\"type\":\"object\",\"properties\":{\"artifact_type\":{\"type\":\"string\"},"
	    "\"content\":{\"type\":\"string\"}},\"required\":[\"artifact_type\",\"content\"]}",
	    "{\"type\":\"object\",\"properties\":{\"artifact_type\":{\"type\":\"string\"},\"id\":{"
	    "\"type\":\"integer\"}},\"required\":[\"artifact_type\",\"id\"]}",
	    "{\"type\":\"object\",\"properties\":{\"artifact_type\":{\"type\":\"string\"},\"id\":{"
	    "\"type\":\"integer\"},\"content\":{\"type\":\"string\"}},\"required\":[\"artifact_"
	    "type\",\"id\",\"content\"]}",
	    "{\"type\":\"object\",\"properties\":{}}",
	    "{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":\"string\"},\"status\":{"
	    "\"type\":\"string\",\"enum\":[\"pending\",\"in_progress\",\"done\",\"blocked\"]}},"
	    "\"required\":[\"task_id\",\"status\"]}",
	    "{\"type\":\"object\",\"properties\":{\"artifact_type\":{\"type\":\"string\"},"
	    "\"count\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000}},\"required\":["
	    "\"artifact_type\"]}",
	};
	resp_printf(r, "[");
	for (size_t i = 0; i < sizeof(tool_names) / sizeof(tool_names[0]); i++)
		resp_printf(r, "%s{\"name\":\"%s\",\"description\":\"%s\",\"inputSchema\":%s}",
			    i ? "," : "", tool_names[i], descr[i], schema[i]);
	resp_printf(r, "]");
}

/* A result whose structuredContent is `json` (a JSON object text). */
static void result(struct resp *r, const char *json, bool is_error)
{
	resp_printf(r, "{\"content\":[{\"type\":\"text\",\"text\":\"");
	resp_json_str(r, json, strlen(json));
	resp_printf(r, "\"}],");
	if (!is_error)
		resp_printf(r, "\"structuredContent\":%s,", json);
	resp_printf(r, "\"isError\":%s}", is_error ? "true" : "false");
}

static void fail(struct resp *r, const char *msg)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "{\"error\":\"%s\"}", msg);
	result(r, buf, true);
}

static int int_arg(const char *a, size_t n, const char *key, int64_t *v)
{
	struct jsc_val x;
	return jsc_get(a, n, key, &x) == 0 && jsc_int(&x, v) == 0 ? 0 : -1;
}

static void validate(const char *a, size_t n, struct resp *r)
{
	struct jsc_val t, c;
	char buf[1024];
	int k;
	if (jsc_get(a, n, "artifact_type", &t) || (k = kind_of(&t)) < 0 ||
	    jsc_get(a, n, "content", &c) || c.type != JSC_STRING) {
		fail(r, "artifact_type (PRD, EPIC, HLS, US, TASK, ADR) and content are required");
		return;
	}
	const struct res *tm = res_find(RES_TEMPLATES, kinds[k].tmpl, strlen(kinds[k].tmpl));
	int len = snprintf(buf, sizeof(buf),
			   "{\"artifact_type\":\"%s\",\"template\":\"%s\",\"missing\":[",
			   kinds[k].type, tm->uri);
	unsigned missing = 0, found = 0;
	for (unsigned s = 0; tm->sections && tm->sections[s]; s++) {
		char want[96];
		int w = snprintf(want, sizeof(want), "## %s", tm->sections[s]);
		/* the raw (escaped) string: a heading is "## Name" after a \n escape */
		bool has = w > 0 && memmem(c.ptr, c.len, want, (size_t)w) != NULL;
		found += has;
		if (!has && len < (int)sizeof(buf) - 100)
			len += snprintf(buf + len, sizeof(buf) - (size_t)len, "%s\"%s\"",
					missing++ ? "," : "", tm->sections[s]);
	}
	snprintf(buf + len, sizeof(buf) - (size_t)len, "],\"sections_found\":%u,\"valid\":%s}",
		 found, missing ? "false" : "true");
	result(r, buf, false);
}

static void resolve(const char *a, size_t n, struct resp *r, bool store)
{
	struct jsc_val t, c;
	int64_t id;
	char buf[256], path[96];
	int k;
	if (jsc_get(a, n, "artifact_type", &t) || (k = kind_of(&t)) < 0 ||
	    int_arg(a, n, "id", &id) || id < 1 || id > 999999) {
		fail(r, "artifact_type (PRD, EPIC, HLS, US, TASK, ADR) and id (1..999999) are "
			"required");
		return;
	}
	tool_artifact_path(kinds[k].type, strlen(kinds[k].type), (uint64_t)id, path, sizeof(path));
	if (!store) {
		snprintf(buf, sizeof(buf), "{\"artifact_type\":\"%s\",\"id\":%lld,\"path\":\"%s\"}",
			 kinds[k].type, (long long)id, path);
		result(r, buf, false);
		return;
	}
	if (jsc_get(a, n, "content", &c) || c.type != JSC_STRING) {
		fail(r, "content (string) is required");
		return;
	}
	unsigned version = 0;
	pthread_mutex_lock(&arts.lock);
	for (unsigned i = 0; i < arts.count && !version; i++) {
		if (strcmp(arts.path[i], path) == 0)
			version = ++arts.version[i];
	}
	if (!version && arts.count < ARTIFACTS) {
		strcpy(arts.path[arts.count], path);
		version = arts.version[arts.count++] = 1;
	}
	pthread_mutex_unlock(&arts.lock);
	if (!version) {
		fail(r, "artifact store full");
		return;
	}
	snprintf(buf, sizeof(buf), "{\"path\":\"%s\",\"version\":%u,\"bytes\":%zu}", path, version,
		 c.len);
	result(r, buf, false);
}

static void task_result(struct resp *r, const struct store_task *t, int handed)
{
	char buf[160];
	int n =
	    snprintf(buf, sizeof(buf), "{\"id\":\"TASK-%04u\",\"status\":\"%s\",\"version\":%llu",
		     t->id, store_status_name(t->status), (unsigned long long)t->version);
	snprintf(buf + n, sizeof(buf) - (size_t)n, handed < 0 ? "}" : ",\"handed_out\":%s}",
		 handed > 0 ? "true" : "false");
	result(r, buf, false);
}

static void update(const char *a, size_t n, struct resp *r)
{
	struct jsc_val id, st;
	struct store_task t;
	bool handed;
	unsigned num = 0;
	int s;
	if (jsc_get(a, n, "task_id", &id) || id.type != JSC_STRING ||
	    jsc_get(a, n, "status", &st) || st.type != JSC_STRING ||
	    (s = store_status_parse(st.ptr, (unsigned)st.len)) < 0) {
		fail(r, "task_id and status (pending, in_progress, done, blocked) are required");
		return;
	}
	size_t i = id.len > 5 && memcmp(id.ptr, "TASK-", 5) == 0 ? 5 : 0;
	for (; i < id.len && id.ptr[i] >= '0' && id.ptr[i] <= '9' && num < 100000; i++)
		num = num * 10 + (unsigned)(id.ptr[i] - '0');
	if (i != id.len || !store_set_status(num, (enum store_status)s, &t, &handed)) {
		fail(r, "unknown task");
		return;
	}
	task_result(r, &t, handed);
}

static void reserve(const char *a, size_t n, struct resp *r)
{
	struct jsc_val t;
	char type[16], buf[160];
	int64_t count = 1;
	uint64_t first;
	if (jsc_get(a, n, "artifact_type", &t) || t.type != JSC_STRING || t.len == 0 ||
	    t.len >= sizeof(type)) {
		fail(r, "artifact_type is required");
		return;
	}
	struct jsc_val cv;
	if (jsc_get(a, n, "count", &cv) == 0 &&
	    (jsc_int(&cv, &count) || count < 1 || count > 1000)) {
		fail(r, "count must be 1..1000");
		return;
	}
	memcpy(type, t.ptr, t.len);
	type[t.len] = 0;
	if (store_reserve(type, (unsigned)count, &first)) {
		fail(r, "bad artifact_type");
		return;
	}
	snprintf(buf, sizeof(buf),
		 "{\"artifact_type\":\"%s\",\"start\":%llu,\"end\":%llu,\"count\":%lld}", type,
		 (unsigned long long)first, (unsigned long long)(first + (uint64_t)count - 1),
		 (long long)count);
	result(r, buf, false);
}

uint64_t tool_call(const char *name, size_t nl, const char *a, size_t n, const char *slow_tool,
		   struct resp *r)
{
	static const char empty[] = "{}";
	struct store_task t;
	int which = -1;
	for (size_t i = 0; i < sizeof(tool_names) / sizeof(tool_names[0]); i++) {
		if (strlen(tool_names[i]) == nl && memcmp(tool_names[i], name, nl) == 0)
			which = (int)i;
	}
	if (!a) {
		a = empty;
		n = 2;
	}
	switch (which) {
	case 0:
		validate(a, n, r);
		break;
	case 1:
		resolve(a, n, r, false);
		break;
	case 2:
		resolve(a, n, r, true);
		break;
	case 3:
		if (store_next_task(&t))
			task_result(r, &t, -1);
		else
			fail(r, "no pending task");
		break;
	case 4:
		update(a, n, r);
		break;
	case 5:
		reserve(a, n, r);
		break;
	default:
		fail(r, "unknown tool");
		return 0;
	}
	return slow_tool[0] && strcmp(slow_tool, tool_names[which]) == 0 ? 600000000ull : 0;
}

/* --- prompts --- */

#define PROMPT_ARG_MAX 500 /* bytes of one decoded argument: a topic or a title */

struct prompt_arg {
	const char *name, *description;
	bool required;
};

static const struct {
	const char *name, *description;
	struct prompt_arg args[2]; /* unused ones have a NULL name */
} prompts[] = {
    {"summarize_artifact",
     "Summarize an SDLC artifact.",
     {{"uri", "The artifact's resource URI.", true}}},
    {"triage_task", "Triage the next task.", {{NULL}}},
    {"write_prd",
     "Write a PRD on a topic: id, path, required sections, validation and storage.",
     {{"topic", "What the product or feature is.", true}}},
    {"write_backlog_story",
     "Write a backlog user story: id, path, required sections, validation and storage.",
     {{"title", "The story's title.", true},
      {"epic", "The parent epic's id, e.g. EPIC-012.", false}}},
};

#define PROMPTS	    (sizeof(prompts) / sizeof(prompts[0]))
#define PROMPT_ARGS (sizeof(prompts[0].args) / sizeof(prompts[0].args[0]))

void tool_prompt_list(struct resp *r)
{
	resp_printf(r, "[");
	for (size_t i = 0; i < PROMPTS; i++) {
		resp_printf(r, "%s{\"name\":\"%s\",\"description\":\"%s\"", i ? "," : "",
			    prompts[i].name, prompts[i].description);
		for (size_t a = 0; a < PROMPT_ARGS && prompts[i].args[a].name; a++) {
			const struct prompt_arg *x = &prompts[i].args[a];
			resp_printf(r, "%s{\"name\":\"%s\",\"description\":\"%s\",\"required\":%s}",
				    a ? "," : ",\"arguments\":[", x->name, x->description,
				    x->required ? "true" : "false");
		}
		resp_printf(r, "%s}", prompts[i].args[0].name ? "]" : "");
	}
	resp_printf(r, "]");
}

/* A prompt's text, built plain and JSON-escaped when it is sent. */
struct prompt_text {
	char b[4096];
	size_t n;
};

static void say(struct prompt_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct prompt_text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->b + t->n, sizeof(t->b) - t->n, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->n = t->n + (size_t)n < sizeof(t->b) ? t->n + (size_t)n : sizeof(t->b) - 1;
}

/*
 * The steps shared by the two writing prompts: reserve an id, resolve the
 * path, write the template's required sections (read from the template
 * itself, so the prompt and validate_artifact always agree), validate, store.
 */
static void writing_steps(struct prompt_text *t, int k, const char *what)
{
	const struct res *tm = res_find(RES_TEMPLATES, kinds[k].tmpl, strlen(kinds[k].tmpl));
	const char *type = kinds[k].type;
	say(t,
	    "Steps:\n"
	    "1. Reserve the %s's id: call reserve_id_range with {\"artifact_type\": \"%s\", "
	    "\"count\": 1}; the id is the range's start. Never invent an id.\n"
	    "2. Get its path: call resolve_artifact_path with {\"artifact_type\": \"%s\", "
	    "\"id\": <id>}.\n"
	    "3. Write it in markdown: a first line \"# %s-<id>: <title>\", then these sections, in "
	    "this order, headings exactly as written:\n",
	    what, type, type, type);
	for (unsigned s = 0; tm && tm->sections && tm->sections[s]; s++)
		say(t, "   ## %s\n", tm->sections[s]);
	say(t,
	    "4. Call validate_artifact with {\"artifact_type\": \"%s\", \"content\": <markdown>} "
	    "and add every section it reports missing, until it answers \"valid\": true.\n"
	    "5. Call store_artifact with {\"artifact_type\": \"%s\", \"id\": <id>, \"content\": "
	    "<markdown>} and report the path and version it returns.\n\n"
	    "Writing rules:\n",
	    type, type);
}

static void write_prd(struct prompt_text *t, const char *topic)
{
	say(t, "Write a Product Requirements Document (PRD) on this topic: %s\n\n", topic);
	writing_steps(t, 0, "PRD");
	say(t, "- Say what and why, never how: no design or implementation in a PRD.\n"
	       "- Number the requirements (FR-1, FR-2, ...; NFR-1, ...) and make each one "
	       "testable: a condition a reviewer can check.\n"
	       "- Every non-functional requirement has a number and a unit (p95 latency in ms, "
	       "availability in %%, error rate).\n"
	       "- Each success metric names its baseline, its target and how it is measured.\n"
	       "- Refer to other artifacts by id (EPIC-..., US-...); write assumptions and open "
	       "questions down as such instead of guessing.\n");
}

static void write_story(struct prompt_text *t, const char *title, const char *epic)
{
	say(t, "Write a backlog user story titled: %s\n", title);
	if (epic)
		say(t, "Its parent epic: %s. Name it in Metadata.\n\n", epic);
	else
		say(t, "No parent epic was given: name the EPIC it belongs to in Metadata, or "
		       "\"none\".\n\n");
	writing_steps(t, 3, "story");
	say(t, "- User Story is one sentence: As a <role>, I want <capability>, so that "
	       "<benefit>.\n"
	       "- 3 to 7 acceptance criteria, each Given / When / Then and testable on its own.\n"
	       "- Small enough for one sprint (at most 8 story points); split it otherwise.\n"
	       "- Describe the need, not the implementation (INVEST: independent, negotiable, "
	       "valuable, estimable, small, testable).\n"
	       "- Definition of Done: tests written and passing, code reviewed, docs updated, "
	       "deployed to staging.\n");
}

/* Argument `name` of args decoded into buf (PROMPT_ARG_MAX + 1, terminated).
 * Returns 1 when given, 0 when absent, -1 when not a string or too long. */
static int prompt_arg(const char *args, size_t len, const char *name, char *buf)
{
	struct jsc_val v;
	if (!args || jsc_get(args, len, name, &v) != 0)
		return 0;
	long n = v.type == JSC_STRING ? jsc_unescape(&v, buf, PROMPT_ARG_MAX) : -1;
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 1;
}

int tool_prompt_get(const char *name, size_t len, const char *args, size_t args_len, struct resp *r,
		    char *why, size_t why_cap)
{
	struct prompt_text t;
	char val[PROMPT_ARGS][PROMPT_ARG_MAX + 1];
	bool given[PROMPT_ARGS] = {false};
	size_t p = 0;
	while (p < PROMPTS &&
	       !(strlen(prompts[p].name) == len && !memcmp(prompts[p].name, name, len)))
		p++;
	if (p == PROMPTS) {
		snprintf(why, why_cap, "Unknown prompt");
		return -ENOENT;
	}
	for (size_t a = 0; a < PROMPT_ARGS && prompts[p].args[a].name; a++) {
		const struct prompt_arg *x = &prompts[p].args[a];
		int got = prompt_arg(args, args_len, x->name, val[a]);
		if (got < 0 || (got == 0 && x->required)) {
			/* the SDK's wording: "Invalid arguments for prompt NAME: ..." */
			if (got < 0)
				snprintf(why, why_cap,
					 "Invalid arguments for prompt %s: %s must be a string of "
					 "at most %d bytes",
					 prompts[p].name, x->name, PROMPT_ARG_MAX);
			else
				snprintf(
				    why, why_cap,
				    "Invalid arguments for prompt %s: %s (a string) is required",
				    prompts[p].name, x->name);
			return -EINVAL;
		}
		given[a] = got > 0;
	}
	t.n = 0;
	t.b[0] = 0;
	switch (p) { /* the table's order */
	case 0:
		say(&t, "Summarize the artifact %s in five bullet points for a reviewer.", val[0]);
		break;
	case 1:
		say(&t, "Triage the next task in the backlog: scope, risk, owner.");
		break;
	case 2:
		write_prd(&t, val[0]);
		break;
	default:
		write_story(&t, val[0], given[1] ? val[1] : NULL);
		break;
	}
	resp_printf(r,
		    "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"");
	resp_json_str(r, t.b, t.n);
	resp_printf(r, "\"}}]}");
	return 0;
}
