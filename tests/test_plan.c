/*
 * Scenario compilation: fixed variables spliced into the text ({{NAME}} and
 * {{pick:@NAME}}), --set overriding them, captured variables left as slots,
 * labels shared and split, checks attached, bounds that hold what renders,
 * and every table or --set that does not fit refused with a reason.
 */
#include <errno.h>

#include "scenarios/plan.h"
#include "scenarios/scn.h"
#include "tests/t.h"

static const struct scn_var vars[] = {
    {"kind", "US", "artifact type"},
    {"names", "a|bb|ccc", "picked from"},
    {"empty", NULL, "must be --set before use"},
};

static const struct scn_step first[] = {
    {.label = "get",
     .method = "GET",
     .path = "/x/{{kind}}/{{pick:@names}}",
     .captures = {{.var = "id", .json = "result.id"}, {.var = "sess", .header = "mcp-session-id"}},
     .split = "x-cache",
     .split_values = {"HIT", "MISS"}},
    {.label = "put",
     .method = "PUT",
     .path = "/y/{{id}}",
     .headers = "Mcp-Session-Id: {{sess}}\r\n",
     .body = "{\"id\":\"{{id}}\",\"n\":{{rand:1:9}}}",
     .json_has = "ok=true"},
};
static const struct scn_step second[] = {
    {.label = "get", .method = "GET", .path = "/z"},
};
static const struct scn_task tasks[] = {
    {"first", 3, first, 2, 0, 0},
    {"second", 1, second, 1, 5, 9},
};
static const struct scn_check checks[] = {
    {.name = "u", .kind = SCN_CHECK_UNIQUE, .label = "put", .start = "id", .what = "unique ids"},
};
static const struct scn scn = {
    "t", "test", vars, 3, tasks, 2, checks, 1, {.think_min_ns = 1, .think_max_ns = 2}};

static const struct plan_opts opts = {"127.0.0.1:8000", "/base/", NULL, 0, NULL, 0};

static void test_build(void)
{
	static struct plan p;
	char why[256] = "";
	CHECK_INT(plan_build(&p, &scn, &scn.shape, &opts, why, sizeof(why)), 0);
	CHECK_INT(p.nsteps, 3);
	CHECK_INT(p.nlabels, 2); /* "get" shared by two tasks */
	CHECK_INT(p.nslots, 4);	 /* get, get HIT, get MISS, put */
	CHECK_INT(p.steps[0].label, p.steps[2].label);
	CHECK_INT(p.nvars, 5); /* kind names empty id sess */
	CHECK(p.vars[3].captured && p.vars[4].captured && !p.vars[0].captured);
	CHECK(p.steps[0].need_body && p.steps[0].need_headers);
	CHECK(p.steps[1].need_body && p.steps[1].check == 0);
	CHECK(!p.steps[2].need_body && p.steps[2].check == -1);
	CHECK(p.body_cap == PLAN_BODY_BYTES);
	CHECK_STR(p.steps[1].has_path, "ok");
	CHECK_STR(p.steps[1].has_value, "true");
	/* fixed values are literal text now: only the pick stays a slot */
	CHECK(p.steps[0].head.nsegs == 3);
	CHECK_INT(p.steps[1].head.segs[1].kind, TMPL_VAR);
	CHECK(p.tasks[0].upto > 0.74 && p.tasks[0].upto < 0.76);
	CHECK_INT(plan_pick_task(&p, 0.7), 0);
	CHECK_INT(plan_pick_task(&p, 0.8), 1);
	CHECK_INT(plan_pick_task(&p, 0.9999999), 1);
	CHECK(p.tasks[0].think_min_ns == 1 && p.tasks[1].think_min_ns == 5);
	CHECK_INT(plan_split_slot(&p, &p.steps[0], "miss", 4), 2);
	CHECK_INT(plan_split_slot(&p, &p.steps[0], "STALE", 5), -1);

	/* what renders fits the bound */
	uint64_t seq = 0, rng = 7;
	char store[2][PLAN_VAR_BYTES];
	memset(store, 'v', sizeof(store));
	struct tmpl_var v[5] = {{"US", 2, 1},
				{"a|bb|ccc", 8, 1},
				{NULL, 0, 0},
				{store[0], PLAN_VAR_BYTES, 1},
				{store[1], PLAN_VAR_BYTES, 1}};
	struct tmpl_ctx ctx = {1, 2, &seq, 1, &rng, v, 5};
	static char buf[1 << 16];
	ssize_t h = tmpl_render(&p.steps[1].head, &ctx, buf, sizeof(buf));
	ssize_t b = tmpl_render(&p.steps[1].body, &ctx, buf, sizeof(buf));
	CHECK(h > 0 && b > 0 && (size_t)(h + b) + 40 <= p.steps[1].max_len);
	CHECK(p.req_cap >= p.steps[1].max_len);
	h = tmpl_render(&p.steps[0].head, &ctx, buf, sizeof(buf));
	CHECK(h > 0 && memcmp(buf, "GET /base/x/US/", 15) == 0);
	CHECK(strstr(buf, " HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nUser-Agent: mcpload/") != NULL);
}

static void test_set(void)
{
	static struct plan p;
	char why[256] = "";
	const char *sets[] = {"kind=EPIC", "names=only"};
	struct plan_opts o = opts;
	o.sets = sets;
	o.nsets = 2;
	CHECK_INT(plan_build(&p, &scn, &scn.shape, &o, why, sizeof(why)), 0);
	uint64_t seq = 0, rng = 7;
	struct tmpl_ctx ctx = {0, 0, &seq, 1, &rng, NULL, 0};
	char buf[512];
	ssize_t n = tmpl_render(&p.steps[0].head, &ctx, buf, sizeof(buf));
	CHECK(n > 0 && memcmp(buf, "GET /base/x/EPIC/only HTTP/1.1", 30) == 0);

	const char *bad[] = {"nope=1"};
	o.sets = bad;
	o.nsets = 1;
	CHECK_INT(plan_build(&p, &scn, &scn.shape, &o, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "no variable 'nope'") != NULL);
	const char *noeq[] = {"kind"};
	o.sets = noeq;
	CHECK_INT(plan_build(&p, &scn, &scn.shape, &o, why, sizeof(why)), -EINVAL);
}

static void refuse(const struct scn_step *st, unsigned n, const char *reason)
{
	static struct plan p;
	char why[256] = "";
	struct scn_task t = {"t", 1, st, n, 0, 0};
	struct scn s = {"bad", "bad", vars, 3, &t, 1, NULL, 0, {0}};
	CHECK_INT(plan_build(&p, &s, &s.shape, &opts, why, sizeof(why)), -EINVAL);
	if (!strstr(why, reason))
		printf("  why: %s (want %s)\n", why, reason);
	CHECK(strstr(why, reason) != NULL);
}

static void test_refusals(void)
{
	static const struct scn_step unset[] = {
	    {.label = "a", .method = "GET", .path = "/{{empty}}"}};
	static const struct scn_step unknown[] = {
	    {.label = "a", .method = "GET", .path = "/{{who}}"}};
	static const struct scn_step nopath[] = {{.label = "a", .method = "GET", .path = "x"}};
	static const struct scn_step method[] = {{.label = "a", .method = "G T", .path = "/"}};
	static const struct scn_step pick[] = {
	    {.label = "a", .method = "GET", .path = "/{{pick:@x}}"}};
	static const struct scn_step cap[] = {
	    {.label = "a", .method = "GET", .path = "/", .captures = {{.var = "v"}}}};
	static const struct scn_step body[] = {
	    {.label = "a", .method = "POST", .path = "/", .body = "{{rand:9:1}}"}};
	refuse(unset, 1, "has no value");
	refuse(unknown, 1, "request head");
	refuse(nopath, 1, "starting with /");
	refuse(method, 1, "method token");
	refuse(pick, 1, "no such variable");
	refuse(cap, 1, "JSON path or a header");
	refuse(body, 1, "body");
	static struct plan p;
	char why[256];
	static const struct scn_check orphan[] = {{.name = "c",
						   .kind = SCN_CHECK_UNIQUE,
						   .label = "nolabel",
						   .start = "id",
						   .what = "x"}};
	struct scn s = scn;
	s.checks = orphan;
	CHECK_INT(plan_build(&p, &s, &s.shape, &opts, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "no step is labelled") != NULL);
}

static int build_call(struct plan *p, const char *const *sets, unsigned n, char *why, size_t wl)
{
	const struct scn *s = scn_find("mcp-call");
	struct plan_opts o = opts;
	o.sets = sets;
	o.nsets = n;
	o.mcp_era = MCP_ERA_MODERN;
	return s ? plan_build(p, s, &s->shape, &o, why, wl) : -ENOENT;
}

/* mcp-call: the method, label, name and arguments come from --set and are
 * resolved once, before the run; what does not fit is refused. */
static void test_mcp_call(void)
{
	static struct plan p;
	char why[256] = "", buf[2048];
	uint64_t seq = 0, rng = 7;
	struct tmpl_ctx ctx = {0, 0, &seq, 1, &rng, NULL, 0};
	const char *echo[] = {"name=echo", "args={\"message\":\"hi\"}"};
	CHECK_INT(build_call(&p, echo, 2, why, sizeof(why)), 0);
	CHECK_STR(p.labels[p.steps[0].label].name, "tools/call echo");
	ssize_t n = tmpl_render(&p.steps[0].body, &ctx, buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n > 0 ? n : 0] = 0;
	CHECK(strstr(buf, "\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
			  "\"arguments\":{\"message\":\"hi\"}") != NULL);
	const char *list[] = {"method=tools/list"};
	CHECK_INT(build_call(&p, list, 1, why, sizeof(why)), 0);
	CHECK_STR(p.labels[p.steps[0].label].name, "tools/list"); /* no trailing space */
	const char *array[] = {"name=x", "args=[1]"};
	CHECK_INT(build_call(&p, array, 2, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "not one JSON object") != NULL);
	const char *broken[] = {"name=x", "args={\"a\":}"};
	CHECK_INT(build_call(&p, broken, 2, why, sizeof(why)), -EINVAL);
	const char *noname[] = {"method=resources/read"};
	CHECK_INT(build_call(&p, noname, 1, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "needs a name") != NULL);
	const char *quote[] = {"name=a\"b"};
	CHECK_INT(build_call(&p, quote, 1, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "quotes") != NULL);
	const char *space[] = {"method=a b", "name=x"};
	CHECK_INT(build_call(&p, space, 2, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "not an MCP method name") != NULL);
}

int main(void)
{
	test_build();
	test_set();
	test_refusals();
	test_mcp_call();
	T_DONE();
}
