/*
 * main: mcpload's entry point. Parse, check the target answers, run, report.
 * Exit status: 0 done, 1 the run could not be done, 2 usage error, 3 the
 * open-loop generator could not keep its schedule (inconclusive).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "core/cmd/cli.h"
#include "core/engine/run.h"
#include "core/cmd/compare.h"
#include "core/cmd/repeat.h"
#include "core/cmd/stress.h"
#include "core/cmd/suite.h"
#include "stats/report/summary.h"

/* One descriptor per connection plus the rings and stdio: raise the soft
 * limit as far as needed (and allowed). Returns 0 or -EMFILE. */
static int raise_fd_limit(unsigned connections)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)connections + 64;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
		return -EMFILE;
	rl.rlim_cur = need;
	return setrlimit(RLIMIT_NOFILE, &rl) == 0 ? 0 : -EMFILE;
}

int main(int argc, char **argv)
{
	struct cfg cfg;
	struct run_result res;
	char why[256] = "";
	int status = CLI_EXIT_OK;
	if (argc >= 2 && strcmp(argv[1], "suite") == 0)
		return suite_main(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "stress") == 0)
		return stress_main(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "compare") == 0)
		return compare_main(argc, argv);
	int r = cli_parse(&cfg, argc, argv, stderr);

	if (r == CLI_DONE || r < 0) {
		cli_free(&cfg);
		/* -EINVAL: bad usage; anything else (an MCP probe that found no
		 * server, out of memory) is a run that could not be done */
		return r == CLI_DONE ? CLI_EXIT_OK : r == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	}
	if (raise_fd_limit(cfg.connections) < 0) {
		fprintf(stderr,
			"mcpload: %u connections need more open files than allowed "
			"(ulimit -Hn); raise the hard limit or use fewer connections\n",
			cfg.connections);
		cli_free(&cfg);
		return CLI_EXIT_FAIL;
	}
	run_install_signals();
	r = run_preflight(&cfg);
	if (r < 0) {
		fprintf(stderr, "mcpload: cannot connect to %s (%s): %s\n", cfg.url.authority,
			cfg.addr_text, strerror(-r));
		cli_free(&cfg);
		return CLI_EXIT_FAIL;
	}
	if (cfg.repeat > 1) {
		status = repeat_runs(&cfg);
		cli_free(&cfg);
		return status;
	}
	r = run_execute(&cfg, &res, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		cli_free(&cfg);
		return CLI_EXIT_FAIL;
	}
	if (!cfg.quiet)
		summary_print(stdout, &cfg, &res);
	if (cfg.json_path) {
		r = summary_write_json(cfg.json_path, &cfg, &res);
		if (r < 0) {
			fprintf(stderr, "mcpload: cannot write %s: %s\n", cfg.json_path,
				strerror(-r));
			status = CLI_EXIT_FAIL;
		}
	}
	if (res.saturated) {
		fprintf(stderr, "mcpload: INCONCLUSIVE - generator saturated: %s\n",
			res.saturation);
		status = CLI_EXIT_INCONCLUSIVE;
	}
	if (res.checks_failed) {
		fprintf(stderr, "mcpload: FAIL - a post-run check of scenario %s failed\n",
			cfg.scn->name);
		status = CLI_EXIT_FAIL;
	}
	if (res.mem.verdict == VERDICT_FAIL) {
		fprintf(stderr, "mcpload: FAIL - %s\n", res.mem.reason);
		status = CLI_EXIT_FAIL;
	} else if (res.mem.verdict == VERDICT_INCONCLUSIVE && status == CLI_EXIT_OK) {
		fprintf(stderr, "mcpload: INCONCLUSIVE - %s\n", res.mem.reason);
		status = CLI_EXIT_INCONCLUSIVE;
	}
	if (res.gave_up) {
		fprintf(stderr, "mcpload: stopped early: %s\n", res.gave_up);
		status = CLI_EXIT_FAIL;
	}
	run_result_free(&res);
	cli_free(&cfg);
	return status;
}
