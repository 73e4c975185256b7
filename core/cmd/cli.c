/*
 * cli: option parsing with getopt_long, validation of every value, name
 * resolution (once, at start) and the prebuilt request.
 */
#include "core/cmd/cli.h"

#include "core/cmd/cli_run.h"
#include "core/cmd/repeat.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

static const char usage_text[] =
    "usage: mcpload http URL [options]\n"
    "\n"
    "Closed-loop HTTP/1.1 load: every connection sends its next request as soon as\n"
    "the previous response is complete.\n"
    "\n"
    "  -c, --connections N    open connections, spread over threads (default 64)\n"
    "  -t, --threads N        worker threads, one pinned per CPU (default: all CPUs)\n"
    "  -d, --duration D       measured phase, e.g. 10s, 2m, 500ms (default 10s)\n"
    "  -n, --requests N       stop after N requests (with -d: whichever comes first)\n"
    "  -m, --method M         request method (default GET, POST with a body)\n"
    "  -H, --header 'K: V'    add a request header (repeatable)\n"
    "  -b, --body TEXT        request body\n"
    "      --body-file FILE   request body from a file\n"
    "      --timeout D        per-request timeout (default 10s)\n"
    "      --connect-timeout D  per-connection-attempt timeout (default 5s)\n"
    "      --warmup D         run this long first without recording (default 0)\n"
    "      --json FILE        write the results as JSON (units in key names)\n"
    "      --repeat N         the same run N times: each run's req/s, p50/p95/p99\n"
    "                         and errors, their mean and CV (over 5 %: UNSTABLE)\n"
    "      --server-pid PID   soak: sample the server's resident memory from /proc\n"
    "                         once a second; its trend over the run is judged\n"
    "      --metrics-url URL  the same from process_resident_memory_bytes there\n"
    "      --mem-growth-max S the server memory trend may grow this much over the\n"
    "                         run (default 50MB; sizes in B, KB, MB, GB of 1024)\n"
    "      --server-rss-max S and its resident memory may peak at this (default: any)\n"
    "  -q, --quiet            no summary on stdout, no progress line\n"
    "  -h, --help             this text\n"
    "  -V, --version          print the version\n"
    "\n"
    "URL: http://host[:port]/path, host a name (resolved once) or an IPv4 or\n"
    "[IPv6] literal. Exit status: 0 the run completed, 1 it could not be done\n"
    "(target unreachable, setup failed, the server's memory FAILed), 2 bad usage,\n"
    "3 inconclusive (the generator fell behind, server memory unreadable).\n"
    "\n"
    "Other commands: mcpload run SCENARIO --target URL (scenarios: mcpload list;\n"
    "options: mcpload run --help), mcpload suite --target URL (the NFR suite),\n"
    "mcpload stress SCENARIO --target URL (the breaking point), mcpload compare\n"
    "BASELINE.json NEW.json (regressions).\n";

static const char run_usage_text[] =
    "usage: mcpload run SCENARIO --target URL [options]\n"
    "\n"
    "Runs a compiled-in scenario (mcpload list shows them): virtual users, each\n"
    "with its own keep-alive connection and variables, run weighted tasks of\n"
    "steps; every step's label is reported apart. Defaults come from the\n"
    "scenario; these override them:\n"
    "\n"
    "      --target URL       base URL the steps' paths are appended to\n"
    "  -c, --users N          closed model: users; open model: the most at once\n"
    "      --spawn-rate R     closed: users started per second (0: all at once)\n"
    "      --think MIN:MAX    closed: think time after each task, e.g. 100ms:500ms\n"
    "      --iterations N     closed: iterations per user, then the user stops\n"
    "                         (0: no limit, the duration ends the run)\n"
    "  -R, --rate N           open model: iterations started per second\n"
    "      --model M          closed or open\n"
    "      --stage D:T        ramp linearly to T users (closed) or iterations/s\n"
    "                         (open) over D (0:T jumps); repeat for more stages\n"
    "      --set NAME=VALUE   set a scenario variable (mcpload list shows them)\n"
    "      --mcp-version V    MCP scenarios: auto (default: 2026-07-28 when the server\n"
    "                         answers it, else the legacy handshake), or one of\n"
    "                         2025-03-26, 2025-06-18, 2025-11-25, 2026-07-28\n"
    "      --mcp-path P       the MCP endpoint under the target URL (default /mcp)\n"
    "      --profile NAME     the seeds' load levels, open model: normal (10 users,\n"
    "                         5 requests/s), peak (25, 15), storm (50, 30), stress\n"
    "                         (100, 50), spike (150, 100 after a third at normal)\n"
    "      --session-churn    legacy MCP: a new session (initialize ... DELETE) every\n"
    "                         iteration\n"
    "  -d, --duration D       measured phase (default: the scenario's, or the stages')\n"
    "  -n, --requests N       stop after N requests\n"
    "  -t, --threads N        worker threads (default: all CPUs)\n"
    "  -H, --header 'K: V'    add a header to every request\n"
    "      --timeout D, --connect-timeout D, --warmup D, --seed N,\n"
    "      --max-queue N, --pacing precise|lean, --busy-poll D: as for mcpload http\n"
    "      --json FILE        write the results as JSON\n"
    "      --repeat N         the same run N times, with mean and CV (as for http)\n"
    "      --server-pid PID, --metrics-url URL, --mem-growth-max S,\n"
    "      --server-rss-max S: server memory over the run (as for http)\n"
    "  -q, --quiet            no summary, no progress line\n"
    "\n"
    "Exit status: 0 the run completed and its checks passed, 1 it could not be\n"
    "done, a post-run check failed or the server's memory FAILed, 2 bad usage,\n"
    "3 inconclusive (the open-model generator could not keep its schedule, or\n"
    "the server's memory could not be read).\n";

enum {
	OPT_BODY_FILE = 256,
	OPT_TIMEOUT,
	OPT_CONNECT_TIMEOUT,
	OPT_WARMUP,
	OPT_JSON,
	OPT_BUSY_POLL,
	OPT_ARRIVAL,
	OPT_SEED,
	OPT_MAX_QUEUE,
	OPT_PACING,
	OPT_REPEAT,
	OPT_SERVER_PID,
	OPT_METRICS_URL,
	OPT_MEM_GROWTH_MAX,
	OPT_SERVER_RSS_MAX,
};

static const struct option long_opts[] = {
    {"connections", required_argument, NULL, 'c'},
    {"threads", required_argument, NULL, 't'},
    {"duration", required_argument, NULL, 'd'},
    {"requests", required_argument, NULL, 'n'},
    {"method", required_argument, NULL, 'm'},
    {"header", required_argument, NULL, 'H'},
    {"body", required_argument, NULL, 'b'},
    {"body-file", required_argument, NULL, OPT_BODY_FILE},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
    {"warmup", required_argument, NULL, OPT_WARMUP},
    {"repeat", required_argument, NULL, OPT_REPEAT},
    {"server-pid", required_argument, NULL, OPT_SERVER_PID},
    {"metrics-url", required_argument, NULL, OPT_METRICS_URL},
    {"mem-growth-max", required_argument, NULL, OPT_MEM_GROWTH_MAX},
    {"server-rss-max", required_argument, NULL, OPT_SERVER_RSS_MAX},
    {"json", required_argument, NULL, OPT_JSON},
    {"busy-poll", required_argument, NULL, OPT_BUSY_POLL},
    {"rate", required_argument, NULL, 'R'},
    {"arrival", required_argument, NULL, OPT_ARRIVAL},
    {"seed", required_argument, NULL, OPT_SEED},
    {"max-queue", required_argument, NULL, OPT_MAX_QUEUE},
    {"pacing", required_argument, NULL, OPT_PACING},
    {"target", required_argument, NULL, CLI_OPT_TARGET},
    {"users", required_argument, NULL, CLI_OPT_USERS},
    {"spawn-rate", required_argument, NULL, CLI_OPT_SPAWN},
    {"think", required_argument, NULL, CLI_OPT_THINK},
    {"iterations", required_argument, NULL, CLI_OPT_ITERATIONS},
    {"stage", required_argument, NULL, CLI_OPT_STAGE},
    {"set", required_argument, NULL, CLI_OPT_SET},
    {"model", required_argument, NULL, CLI_OPT_MODEL},
    {"mcp-version", required_argument, NULL, CLI_OPT_MCP_VERSION},
    {"mcp-path", required_argument, NULL, CLI_OPT_MCP_PATH},
    {"session-churn", no_argument, NULL, CLI_OPT_CHURN},
    {"profile", required_argument, NULL, CLI_OPT_PROFILE},
    {"max-users", required_argument, NULL, CLI_OPT_USERS},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

int cli_parse_duration(const char *s, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = {{"ns", 1},	  {"us", 1e3},	 {"ms", 1e6}, {"s", 1e9},
		     {"m", 60e9}, {"h", 3600e9}, {"", 1e9}};
	char *end;
	double v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			double t = v * units[i].ns;
			if (t > 1e18)
				return -EINVAL;
			*ns = (uint64_t)llround(t);
			return 0;
		}
	}
	return -EINVAL;
}

int cli_parse_count(const char *s, uint64_t *n)
{
	char *end;
	unsigned long long v;
	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (*end == 'k' && end[1] == 0)
		v *= 1000;
	else if (*end == 'M' && end[1] == 0)
		v *= 1000000;
	else if (*end != 0)
		return -EINVAL;
	if (v == 0 || v > (1ull << 48))
		return -EINVAL;
	*n = v;
	return 0;
}

static int bad(FILE *err, const char *what, const char *value)
{
	fprintf(err, "mcpload: %s: '%s' (see mcpload http --help)\n", what, value ? value : "");
	return -EINVAL;
}

static int read_file(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > (off_t)LIM_REQUEST_BYTES) {
		close(fd);
		return -EFBIG;
	}
	*out = malloc((size_t)sb.st_size + 1);
	ssize_t n = *out ? read(fd, *out, (size_t)sb.st_size) : -1;
	close(fd);
	if (n != sb.st_size)
		return -EIO;
	*len = (size_t)n;
	return 0;
}

static int add_header(struct cfg *cfg, char *arg, FILE *err)
{
	char *colon = strchr(arg, ':');
	if (!colon || colon == arg)
		return bad(err, "header must be 'Name: value'", arg);
	if (cfg->header_count == LIM_USER_HEADERS)
		return bad(err, "too many -H headers", arg);
	*colon = 0;
	char *v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	cfg->headers[cfg->header_count].name = arg;
	cfg->headers[cfg->header_count].value = v;
	cfg->header_count++;
	return 0;
}

static int resolve(struct cfg *cfg, FILE *err)
{
	struct addrinfo hints, *ai;
	char port[8], host[INET6_ADDRSTRLEN];
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", cfg->url.port);
	int r = getaddrinfo(cfg->url.host, port, &hints, &ai);
	if (r != 0) {
		fprintf(err, "mcpload: cannot resolve '%s': %s\n", cfg->url.host, gai_strerror(r));
		return -EINVAL;
	}
	memcpy(&cfg->addr, ai->ai_addr, ai->ai_addrlen);
	cfg->addr_len = ai->ai_addrlen;
	if (ai->ai_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, host,
			  sizeof(host));
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, host,
			  sizeof(host));
	snprintf(cfg->addr_text, sizeof(cfg->addr_text),
		 ai->ai_family == AF_INET6 ? "[%s]:%u" : "%s:%u", host, cfg->url.port);
	freeaddrinfo(ai);
	return 0;
}

static int build_request(struct cfg *cfg, FILE *err)
{
	const char *why = NULL;
	struct h1w_request req = {
	    .method = cfg->method,
	    .authority = cfg->url.authority,
	    .target = cfg->url.target,
	    .headers = cfg->headers,
	    .header_count = cfg->header_count,
	    .user_agent = "mcpload/" MCPL_VERSION,
	    .body = cfg->body,
	    .body_len = cfg->body_len,
	};
	cfg->request = malloc(LIM_REQUEST_BYTES);
	if (!cfg->request)
		return -ENOMEM;
	ssize_t n = h1w_write(cfg->request, LIM_REQUEST_BYTES, &req, &why);
	if (n < 0)
		return bad(err, why, cfg->method);
	cfg->request_len = (size_t)n;
	return 0;
}

static void join_cmdline(struct cfg *cfg, int argc, char **argv)
{
	size_t len = 1;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	cfg->cmdline = calloc(1, len);
	for (int i = 0; cfg->cmdline && i < argc; i++) {
		if (i)
			strcat(cfg->cmdline, " ");
		strcat(cfg->cmdline, argv[i]);
	}
}

static void defaults(struct cfg *cfg)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	memset(cfg, 0, sizeof(*cfg));
	cfg->connections = 64;
	cfg->threads = cpus > 0 ? (unsigned)cpus : 1;
	cfg->timeout_ns = 10 * 1000000000ull;
	cfg->connect_timeout_ns = 5 * 1000000000ull;
	cfg->busy_poll_ns = 2000;
	cfg->seed = (uint64_t)time(NULL);
	cfg->progress = isatty(STDERR_FILENO);
	cfg->mem.growth_max_bytes = MEMWATCH_GROWTH_DEFAULT;
}

static int parse_option(struct cfg *cfg, int opt, char *arg, bool *threads_set, FILE *err)
{
	uint64_t v;
	int r;
	switch (opt) {
	case 'c':
		if (cli_parse_count(arg, &v) < 0 || v > LIM_CONNECTIONS)
			return bad(err, "connections must be 1 to 1048576", arg);
		cfg->connections = (unsigned)v;
		return 0;
	case 't':
		if (cli_parse_count(arg, &v) < 0 || v > LIM_THREADS)
			return bad(err, "threads must be 1 to 256", arg);
		cfg->threads = (unsigned)v;
		*threads_set = true;
		return 0;
	case 'd':
		if (cli_parse_duration(arg, &cfg->duration_ns) < 0 || cfg->duration_ns == 0)
			return bad(err, "bad duration (e.g. 10s, 2m, 500ms)", arg);
		return 0;
	case 'n':
		if (cli_parse_count(arg, &cfg->requests) < 0)
			return bad(err, "requests must be a positive count", arg);
		return 0;
	case 'm':
		cfg->method = arg;
		return 0;
	case 'H':
		return add_header(cfg, arg, err);
	case 'b':
		free(cfg->body);
		cfg->body = strdup(arg);
		cfg->body_len = strlen(arg);
		return 0;
	case OPT_BODY_FILE:
		free(cfg->body);
		cfg->body = NULL;
		r = read_file(arg, &cfg->body, &cfg->body_len);
		if (r < 0) {
			fprintf(err, "mcpload: cannot read body file '%s': %s\n", arg,
				r == -EFBIG ? "not a regular file of at most 1 MiB" : strerror(-r));
			return -EINVAL;
		}
		return 0;
	case OPT_TIMEOUT:
		if (cli_parse_duration(arg, &cfg->timeout_ns) < 0 || cfg->timeout_ns < 1000000)
			return bad(err, "timeout must be a duration of at least 1ms", arg);
		return 0;
	case OPT_CONNECT_TIMEOUT:
		if (cli_parse_duration(arg, &cfg->connect_timeout_ns) < 0 ||
		    cfg->connect_timeout_ns < 1000000)
			return bad(err, "connect timeout must be a duration of at least 1ms", arg);
		return 0;
	case OPT_WARMUP:
		if (cli_parse_duration(arg, &cfg->warmup_ns) < 0)
			return bad(err, "bad warmup duration", arg);
		return 0;
	case OPT_JSON:
		cfg->json_path = arg;
		return 0;
	case OPT_SERVER_PID:
		if (cli_parse_count(arg, &v) < 0 || v > 0x7fffffff)
			return bad(err, "server-pid must be a process id", arg);
		cfg->mem.server_pid = (int)v;
		return 0;
	case OPT_METRICS_URL: {
		struct url u;
		const char *why;
		if (url_parse(&u, arg, &why) < 0 || u.tls)
			return bad(err, "metrics-url must be an http:// URL", arg);
		cfg->mem.metrics_url = arg;
		return 0;
	}
	case OPT_MEM_GROWTH_MAX:
		if (memwatch_parse_size(arg, &cfg->mem.growth_max_bytes) < 0)
			return bad(err, "mem-growth-max must be a size, e.g. 50MB", arg);
		return 0;
	case OPT_SERVER_RSS_MAX:
		if (memwatch_parse_size(arg, &cfg->mem.rss_max_bytes) < 0)
			return bad(err, "server-rss-max must be a size, e.g. 2GB", arg);
		return 0;
	case OPT_REPEAT:
		if (cli_parse_count(arg, &v) < 0 || v > REPEAT_MAX)
			return bad(err, "repeat must be 1 to 100 runs", arg);
		cfg->repeat = (unsigned)v;
		return 0;
	case 'R':
		if (cli_parse_count(arg, &v) < 0 || v > 100000000)
			return bad(err, "rate must be 1 to 100M requests per second", arg);
		cfg->rate = (double)v;
		return 0;
	case OPT_ARRIVAL:
		if (strcmp(arg, "constant") != 0 && strcmp(arg, "poisson") != 0)
			return bad(err, "arrival must be constant or poisson", arg);
		cfg->poisson = strcmp(arg, "poisson") == 0;
		return 0;
	case OPT_SEED: {
		char *end;
		errno = 0;
		cfg->seed = strtoull(arg, &end, 0);
		if (errno || *end || !*arg)
			return bad(err, "seed must be a number", arg);
		return 0;
	}
	case OPT_MAX_QUEUE:
		if (cli_parse_count(arg, &v) < 0 || v > 100000000)
			return bad(err, "max-queue must be 1 to 100M", arg);
		cfg->max_queue = (unsigned)v;
		return 0;
	case OPT_PACING:
		if (strcmp(arg, "precise") != 0 && strcmp(arg, "lean") != 0)
			return bad(err, "pacing must be precise or lean", arg);
		cfg->pacing_lean = strcmp(arg, "lean") == 0;
		return 0;
	case OPT_BUSY_POLL:
		if (cli_parse_duration(arg, &cfg->busy_poll_ns) < 0 || cfg->busy_poll_ns > 1000000)
			return bad(err, "busy-poll must be a duration of at most 1ms", arg);
		return 0;
	case 'q':
		cfg->quiet = true;
		return 0;
	default:
		return -EINVAL; /* getopt printed the reason */
	}
}

/* --server-pid and --metrics-url name something readable now. */
static int check_memwatch(const struct cfg *cfg, FILE *err)
{
	char why[256];
	if (cfg->mem.server_pid && cfg->mem.metrics_url) {
		fprintf(err,
			"mcpload: --server-pid or --metrics-url: one source of server memory\n");
		return -EINVAL;
	}
	if (memwatch_check(&cfg->mem, why, sizeof(why)) < 0) {
		fprintf(err, "mcpload: %s\n", why);
		return -EINVAL;
	}
	return 0;
}

/* Checks that need the whole command line. seen: `run`'s, NULL for http. */
static int finish(struct cfg *cfg, const char *url, bool threads_set,
		  const struct cli_run_seen *seen, FILE *err)
{
	const char *why;
	cfg->url_text = url;
	if (url_parse(&cfg->url, url, &why) < 0)
		return bad(err, why, url);
	if (cfg->url.tls) {
		fprintf(err, "mcpload: https:// is not supported yet (TLS through BearSSL is "
			     "planned); use http://\n");
		return -EINVAL;
	}
	if (check_memwatch(cfg, err) < 0)
		return -EINVAL;
	if (seen) {
		if (resolve(cfg, err) < 0)
			return -EINVAL;
		int r = cli_run_finish(cfg, seen, err);
		if (r < 0)
			return r;
		if (cfg->threads > cfg->connections)
			cfg->threads = cfg->connections;
		if (cfg->quiet)
			cfg->progress = false;
		return 0;
	}
	if (!cfg->method)
		cfg->method = cfg->body ? "POST" : "GET";
	cfg->head_request = strcmp(cfg->method, "HEAD") == 0;
	if (!cfg->duration_ns && !cfg->requests)
		cfg->duration_ns = 10 * 1000000000ull;
	if (cfg->threads > cfg->connections) {
		if (threads_set)
			fprintf(err, "mcpload: note: %u threads for %u connections; using %u\n",
				cfg->threads, cfg->connections, cfg->connections);
		cfg->threads = cfg->connections;
	}
	if (cfg->quiet)
		cfg->progress = false;
	if (cfg->rate > 0 && !cfg->max_queue) {
		double per_thread = cfg->rate / cfg->threads;
		cfg->max_queue = per_thread < 1024 ? 1024 : (unsigned)per_thread;
	}
	if (build_request(cfg, err) < 0)
		return -EINVAL;
	return resolve(cfg, err);
}

int cli_parse(struct cfg *cfg, int argc, char **argv, FILE *err)
{
	bool threads_set = false;
	int opt;

	defaults(cfg);
	join_cmdline(cfg, argc, argv);
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage_text, argc < 2 ? err : stdout);
		return argc < 2 ? -EINVAL : CLI_DONE;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("mcpload %s\n", MCPL_VERSION);
		return CLI_DONE;
	}
	if (strcmp(argv[1], "list") == 0) {
		cli_run_list(stdout);
		return CLI_DONE;
	}
	bool run = strcmp(argv[1], "run") == 0;
	struct cli_run_seen seen = {NULL, false, false, false, false};
	if (!run && strcmp(argv[1], "http") != 0) {
		fprintf(err,
			"mcpload: unknown command '%s' (try: mcpload http URL, mcpload list, "
			"mcpload run SCENARIO --target URL)\n",
			argv[1]);
		return -EINVAL;
	}
	if (run && (argc < 3 || argv[2][0] == '-')) {
		bool help = argc >= 3 && (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"));
		fputs(help ? run_usage_text
			   : "mcpload: missing scenario name (mcpload list shows "
			     "them)\n",
		      help ? stdout : err);
		return help ? CLI_DONE : -EINVAL;
	}
	if (run && cli_run_begin(cfg, argv[2], err) < 0)
		return -EINVAL;
	argc -= run ? 2 : 1;
	argv += run ? 2 : 1;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":c:t:d:n:m:H:b:R:qhV", long_opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(run ? run_usage_text : usage_text, stdout);
			return CLI_DONE;
		}
		if (opt == 'V') {
			printf("mcpload %s\n", MCPL_VERSION);
			return CLI_DONE;
		}
		if (opt == '?' || opt == ':') {
			fprintf(err, "mcpload: %s '%s' (see mcpload http --help)\n",
				opt == ':' ? "option needs a value" : "unknown option",
				argv[optind - 1]);
			return -EINVAL;
		}
		if (run) {
			int r = cli_run_option(cfg, opt, optarg, &seen, err);
			if (r < 0)
				return -EINVAL;
			if (r == 0)
				continue;
			if (opt == 'm' || opt == 'b' || opt == OPT_BODY_FILE) {
				fprintf(err,
					"mcpload: '%s': a scenario's steps give their own "
					"method and body\n",
					argv[optind - 1]);
				return -EINVAL;
			}
		} else if (opt >= CLI_OPT_TARGET) {
			fprintf(err, "mcpload: '%s' is an option of mcpload run\n",
				argv[optind - 1]);
			return -EINVAL;
		}
		if (parse_option(cfg, opt, optarg, &threads_set, err) < 0)
			return -EINVAL;
	}
	if (run) {
		if (optind != argc) {
			fprintf(err,
				"mcpload: unexpected argument '%s' (the URL goes in --target)\n",
				argv[optind]);
			return -EINVAL;
		}
		if (!seen.target) {
			fprintf(err, "mcpload: missing --target URL\n");
			return -EINVAL;
		}
		return finish(cfg, seen.target, threads_set, &seen, err);
	}
	if (optind != argc - 1) {
		fprintf(err, "mcpload: %s (see mcpload http --help)\n",
			optind >= argc ? "missing URL" : "more than one URL");
		return -EINVAL;
	}
	return finish(cfg, argv[optind], threads_set, NULL, err);
}

void cli_free(struct cfg *cfg)
{
	free(cfg->body);
	free(cfg->request);
	free(cfg->cmdline);
	free((void *)cfg->plan);
	cfg->body = cfg->request = cfg->cmdline = NULL;
	cfg->plan = NULL;
}
