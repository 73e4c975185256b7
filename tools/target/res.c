/*
 * res: the resource catalogue. Texts are generated once from a seeded
 * word list, so every run serves the same bytes; sizes follow what the
 * seeds' pattern and template files weigh (2 to 48 KB).
 */
#include "tools/target/res.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/rng.h"

static const char *const prd_sections[] = {"Overview",
					   "Problem Statement",
					   "Goals",
					   "Functional Requirements",
					   "Non-Functional Requirements",
					   "Success Metrics",
					   NULL};
static const char *const epic_sections[] = {
    "Summary", "Business Value", "Scope", "Acceptance Criteria", "Dependencies", NULL};
static const char *const hls_sections[] = {
    "Metadata", "User Story", "Decomposition", "Acceptance Criteria", "Risks", NULL};
static const char *const story_sections[] = {
    "Metadata", "User Story", "Description", "Acceptance Criteria", "Definition of Done", NULL};
static const char *const task_sections[] = {"Metadata", "Description", "Implementation Steps",
					    "Testing", NULL};
static const char *const adr_sections[] = {"Context", "Decision", "Consequences", NULL};
static const char *const plan_sections[] = {"Scope", "Test Cases", "Environment", "Exit Criteria",
					    NULL};

static struct res catalogue[] = {
    {"sdlc://core", "core", RES_SDLC, "SDLC Framework Core", 48000, NULL, NULL, 0, 0},
    {"patterns://python/core", "core", RES_PATTERNS, "Python Core Patterns", 24000, NULL, NULL, 0,
     0},
    {"patterns://python/tooling", "tooling", RES_PATTERNS, "Python Tooling Patterns", 16000, NULL,
     NULL, 0, 0},
    {"patterns://python/testing", "testing", RES_PATTERNS, "Python Testing Patterns", 32000, NULL,
     NULL, 0, 0},
    {"patterns://python/typing", "typing", RES_PATTERNS, "Python Typing Patterns", 12000, NULL,
     NULL, 0, 0},
    {"patterns://python/validation", "validation", RES_PATTERNS, "Validation Patterns", 14000, NULL,
     NULL, 0, 0},
    {"patterns://python/architecture", "architecture", RES_PATTERNS, "Architecture Patterns", 40000,
     NULL, NULL, 0, 0},
    {"patterns://python/security", "security", RES_PATTERNS, "Security Patterns", 20000, NULL, NULL,
     0, 0},
    {"patterns://python/performance", "performance", RES_PATTERNS, "Performance Patterns", 18000,
     NULL, NULL, 0, 0},
    {"patterns://python/errors", "errors", RES_PATTERNS, "Error Handling Patterns", 9000, NULL,
     NULL, 0, 0},
    {"templates://prd", "prd", RES_TEMPLATES, "PRD Template", 9000, prd_sections, NULL, 0, 0},
    {"templates://epic", "epic", RES_TEMPLATES, "Epic Template", 6000, epic_sections, NULL, 0, 0},
    {"templates://hls", "hls", RES_TEMPLATES, "High-Level Story Template", 7000, hls_sections, NULL,
     0, 0},
    {"templates://backlog-story", "backlog-story", RES_TEMPLATES, "Backlog Story Template", 8000,
     story_sections, NULL, 0, 0},
    {"templates://task", "task", RES_TEMPLATES, "Task Template", 4000, task_sections, NULL, 0, 0},
    {"templates://adr", "adr", RES_TEMPLATES, "Architecture Decision Record Template", 3000,
     adr_sections, NULL, 0, 0},
    {"templates://test-plan", "test-plan", RES_TEMPLATES, "Test Plan Template", 2000, plan_sections,
     NULL, 0, 0},
};

static const char *const words[] = {
    "the",	"framework", "artifact",   "validation", "must",     "each",	 "story",
    "pattern",	"test",	     "service",	   "request",	 "latency",  "cache",	 "resource",
    "template", "section",   "should",	   "implement",	 "explicit", "typed",	 "interface",
    "review",	"deploy",    "measure",	   "error",	 "handling", "boundary", "contract",
    "owner",	"backlog",   "acceptance", "criteria",
};

static int append(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);
	if (*len + n + 1 > *cap) {
		size_t c = *cap ? *cap * 2 : 4096;
		while (c < *len + n + 1)
			c *= 2;
		char *b = realloc(*buf, c);
		if (!b)
			return -ENOMEM;
		*buf = b;
		*cap = c;
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
	return 0;
}

static int generate(struct res *r, uint64_t seed)
{
	char *b = NULL, line[256];
	size_t len = 0, cap = 0;
	uint64_t rng = seed;
	int sec = 0;
	bool past_sections = false;
	snprintf(line, sizeof(line), "# %s\n\nResource `%s`.\n\n", r->title, r->uri);
	if (append(&b, &len, &cap, line))
		return -ENOMEM;
	while (len < r->size) {
		/* the template's required sections first, then numbered parts; the
		 * list is NULL-terminated, so stop reading it at the terminator */
		const char *name = r->sections && !past_sections ? r->sections[sec] : NULL;
		if (!name)
			past_sections = true;
		if (name)
			snprintf(line, sizeof(line), "## %s\n\n", name);
		else
			snprintf(line, sizeof(line), "## Part %d\n\n", sec + 1);
		sec++;
		if (append(&b, &len, &cap, line))
			return -ENOMEM;
		for (int w = 0; w < 120 && len < r->size; w++) {
			const char *word = words[(unsigned)(rng_uniform(&rng) * 32) % 32];
			if (append(&b, &len, &cap, word) ||
			    append(&b, &len, &cap, w % 16 == 15 ? ".\n" : " "))
				return -ENOMEM;
		}
		if (append(&b, &len, &cap, "\n\n"))
			return -ENOMEM;
	}
	r->text = b;
	r->len = len;
	return 0;
}

int res_init(void)
{
	for (unsigned i = 0; i < res_count(); i++) {
		if (!catalogue[i].text && generate(&catalogue[i], 0x5eed0000ull + i) < 0)
			return -ENOMEM;
	}
	return 0;
}

unsigned res_count(void)
{
	return sizeof(catalogue) / sizeof(catalogue[0]);
}

struct res *res_at(unsigned i)
{
	return i < res_count() ? &catalogue[i] : NULL;
}

struct res *res_find(enum res_type type, const char *name, size_t n)
{
	for (unsigned i = 0; i < res_count(); i++) {
		if (catalogue[i].type == type && strlen(catalogue[i].name) == n &&
		    memcmp(catalogue[i].name, name, n) == 0)
			return &catalogue[i];
	}
	return NULL;
}

struct res *res_find_uri(const char *uri, size_t n)
{
	for (unsigned i = 0; i < res_count(); i++) {
		if (strlen(catalogue[i].uri) == n && memcmp(catalogue[i].uri, uri, n) == 0)
			return &catalogue[i];
	}
	return NULL;
}

bool res_read_hits(struct res *r, uint64_t now_ns, uint64_t ttl_ns)
{
	uint64_t seen = atomic_load_explicit(&r->loaded_ns, memory_order_relaxed);
	if (seen && now_ns - seen <= ttl_ns)
		return true;
	/* One reader wins the refill; a concurrent one still counts as a miss,
	 * as two requests racing to a cold cache both go to disk. */
	atomic_compare_exchange_strong(&r->loaded_ns, &seen, now_ns);
	return false;
}

const char *res_type_name(enum res_type t)
{
	static const char *const names[] = {"sdlc", "patterns", "templates"};
	return (unsigned)t < RES__TYPES ? names[t] : "unknown";
}
