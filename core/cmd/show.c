/*
 * show: a compiled-in scenario (or a file, read and written back in the
 * canonical form) as TOML on stdout.
 */
#include "core/cmd/show.h"

#include <stdio.h>

#include "core/cmd/cmd.h"
#include "core/cmd/prep.h"
#include "scenarios/sshow.h"

int show_main(int argc, char **argv)
{
	const char *pos[1] = {NULL};
	unsigned npos;
	char why[512];
	struct lopt o;
	int r = cmd_parse(CMD_SHOW, argc, argv, cmd_no_options, NULL, pos, 1, &npos);
	if (r != CMD_GO)
		return r;
	if (!npos)
		return cmd_usage_error(CMD_SHOW, "show needs a scenario name or file");
	lopt_init(&o, CMD_RUN);
	o.target = "http://127.0.0.1/"; /* show needs none; finish wants one */
	r = lopt_finish(&o, pos[0], why, sizeof(why));
	if (r == 0)
		r = prep_inputs(&o, why, sizeof(why));
	if (r < 0) {
		r = cmd_usage_error(CMD_SHOW, why);
	} else {
		sshow_write(stdout, o.scn);
		r = CMD_EXIT_OK;
	}
	lopt_free(&o);
	return r;
}
