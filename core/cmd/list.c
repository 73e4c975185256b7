/*
 * list: one paragraph per scenario: its name and description, its default
 * model and load, and the variables --set can change.
 */
#include "core/cmd/list.h"

#include <stdio.h>

#include "core/cmd/cmd.h"
#include "scenarios/scn.h"

static void fmt_dur(char *buf, size_t n, uint64_t ns)
{
	if (ns % 1000000000ull == 0)
		snprintf(buf, n, "%llus", (unsigned long long)(ns / 1000000000ull));
	else
		snprintf(buf, n, "%llums", (unsigned long long)(ns / 1000000ull));
}

int list_main(int argc, char **argv)
{
	const char *pos[1];
	unsigned npos, n;
	int r = cmd_parse(CMD_LIST, argc, argv, cmd_no_options, NULL, pos, 0, &npos);
	if (r != CMD_GO)
		return r;
	const struct scn *const *all = scn_all(&n);
	printf("Scenarios (mcpload run NAME --target URL):\n");
	for (unsigned i = 0; i < n; i++) {
		const struct scn_shape *s = &all[i]->shape;
		char d[32];
		fmt_dur(d, sizeof(d), s->duration_ns);
		printf("  %-22s %s\n", all[i]->name, all[i]->desc);
		if (s->model == SCN_OPEN)
			printf(
			    "  %-22s   default: open model, %.0f iterations/s, %u users max, %s\n",
			    "", s->rate, s->users, d);
		else
			printf("  %-22s   default: closed model, %u users, spawn %.0f/s, %s%s\n",
			       "", s->users, s->spawn_rate, d,
			       s->iterations ? ", fixed iterations" : "");
		for (unsigned v = 0; v < all[i]->nvars; v++)
			printf("  %-22s   --set %s=%s  (%s)\n", "", all[i]->vars[v].name,
			       all[i]->vars[v].value ? all[i]->vars[v].value : "",
			       all[i]->vars[v].doc);
	}
	return CMD_EXIT_OK;
}
