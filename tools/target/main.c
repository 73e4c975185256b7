/*
 * mcpload-target: the reference server mcpload is tested and demonstrated
 * against (docs/target.md). Parses flags, refuses non-loopback addresses
 * unless told otherwise, seeds the store and serves until SIGINT/SIGTERM;
 * or, with --write-files, writes the files an agent read before MCP.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "protocol/units.h"
#include "core/engine/clock.h"
#include "tools/target/files.h"
#include "tools/target/mcp.h"
#include "tools/target/res.h"
#include "tools/target/srv.h"
#include "tools/target/store.h"

static const char usage[] =
    "usage: mcpload-target [options]\n"
    "\n"
    "The reference server for mcpload: the MCP server and Task Tracking service of\n"
    "the seeds' staging system (docs/target.md), with faults on demand.\n"
    "Routes: POST|DELETE /mcp (MCP, 2025-03-26..2025-11-25 sessions and stateless\n"
    "2026-07-28), POST /mcp/call, GET /mcp/resources/{sdlc/core,patterns/NAME,\n"
    "templates/TYPE,templates}, GET /tasks/next, GET /tasks/{id},\n"
    "PUT /tasks/{id}/status, POST /ids/reserve, GET /metrics, GET /health.\n"
    "\n"
    "  --listen ADDR:PORT     default 127.0.0.1:8000; [::1]:PORT for IPv6; port 0\n"
    "                         picks a free one. The bound port is printed first.\n"
    "  --allow-remote         allow an address outside 127.0.0.0/8 and ::1\n"
    "  -t, --threads N        server threads (default: all CPUs)\n"
    "  --write-files DIR      write the files an AI agent loaded whole before MCP\n"
    "                         (CLAUDE.md, prompts/, artifacts/: the resources' text,\n"
    "                         the seeded tasks and ID registry) into DIR and exit\n"
    "\n"
    "Faults:\n"
    "  --delay [GROUP=]DIST   added to responses: fixed:5ms, uniform:1ms:10ms,\n"
    "                         lognormal:p50=5ms,p99=80ms; GROUP one of health, tasks,\n"
    "                         ids, resources, mcp, metrics (default all); repeatable\n"
    "  --error-rate P         answer this share of requests with 500 (0..1)\n"
    "  --stall-every D --stall-for D   the whole server answers nothing for the\n"
    "                         last D of every period (answers wait until it ends)\n"
    "  --capacity N           serve at most N responses per second; excess queues,\n"
    "                         so latency climbs past the knee\n"
    "  --close-after N        close each connection after N responses\n"
    "  --leak BYTES           allocate and never free this much per request\n"
    "  --bug id-collisions    reservations lose every second update: ranges overlap\n"
    "  --bug slow-tool NAME   that MCP tool takes 600 ms\n"
    "  --bug sse-open         MCP answers in SSE (with --response sse) never end\n"
    "  -h, --help\n";

static void on_signal(int sig)
{
	(void)sig;
	srv_stop();
}

static void print_port(uint16_t port)
{
	printf("mcpload-target listening on port %u\n", port);
	fflush(stdout);
}

static int die(const char *what, const char *arg)
{
	fprintf(stderr, "mcpload-target: %s: '%s' (see --help)\n", what, arg ? arg : "");
	return 2;
}

static bool is_loopback(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 24) == 127;
	return a->ss_family == AF_INET6 &&
	       IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)a)->sin6_addr);
}

static int parse_listen(struct srv_cfg *cfg, const char *arg)
{
	char host[128];
	const char *colon = strrchr(arg, ':');
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *ai;
	if (!colon || (size_t)(colon - arg) >= sizeof(host) || colon == arg)
		return -EINVAL;
	memcpy(host, arg, (size_t)(colon - arg));
	host[colon - arg] = 0;
	if (host[0] == '[') {
		size_t n = strlen(host);
		if (host[n - 1] != ']')
			return -EINVAL;
		memmove(host, host + 1, n - 2);
		host[n - 2] = 0;
	}
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
		return -EINVAL;
	memcpy(&cfg->addr, ai->ai_addr, ai->ai_addrlen);
	cfg->addr_len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end || *out < lo || *out > hi ? -EINVAL : 0;
}

/* --write-files: the store and resources as at start, written as files. */
static int write_files(const char *dir)
{
	struct files_total total;
	char where[4096];
	store_init(false);
	if (res_init() < 0) {
		fprintf(stderr, "mcpload-target: out of memory generating resources\n");
		return 1;
	}
	int rc = files_write(dir, &total, where, sizeof(where));
	if (rc < 0) {
		fprintf(stderr, "mcpload-target: --write-files: cannot write %s: %s\n", where,
			strerror(-rc));
		return 1;
	}
	printf("wrote %u files, %llu bytes to %s\n", total.files, (unsigned long long)total.bytes,
	       dir);
	return 0;
}

int main(int argc, char **argv)
{
	static struct srv_cfg cfg;
	static const struct option opts[] = {
	    {"listen", required_argument, NULL, 'l'},
	    {"allow-remote", no_argument, NULL, 'A'},
	    {"threads", required_argument, NULL, 't'},
	    {"delay", required_argument, NULL, 'D'},
	    {"error-rate", required_argument, NULL, 'E'},
	    {"stall-every", required_argument, NULL, 'S'},
	    {"stall-for", required_argument, NULL, 'F'},
	    {"capacity", required_argument, NULL, 'C'},
	    {"close-after", required_argument, NULL, 'K'},
	    {"leak", required_argument, NULL, 'L'},
	    {"bug", required_argument, NULL, 'B'},
	    {"cache-ttl", required_argument, NULL, 'T'},
	    {"response", required_argument, NULL, 'R'},
	    {"chunked", no_argument, NULL, 'c'},
	    {"miss-delay", required_argument, NULL, 'M'},
	    {"write-files", required_argument, NULL, 'W'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	bool remote = false;
	const char *listen_arg = "127.0.0.1:8000";
	const char *write_dir = NULL;
	const char *why;
	uint64_t v;
	double d;
	int opt;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	cfg.threads = cpus > 0 ? (unsigned)cpus : 1;
	cfg.faults.cache_ttl_ns = 300 * 1000000000ull;
	cfg.faults.miss_delay_ns = 20 * 1000000ull;
	parse_listen(&cfg, "127.0.0.1:8000");
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":t:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			if (parse_listen(&cfg, optarg) < 0)
				return die("bad --listen address (ADDR:PORT)", optarg);
			listen_arg = optarg;
			break;
		case 'A':
			remote = true;
			break;
		case 't':
			if (units_count(optarg, &v) < 0 || v > 256)
				return die("threads must be 1 to 256", optarg);
			cfg.threads = (unsigned)v;
			break;
		case 'D':
			if (fault_parse_delay(&cfg.faults, optarg, &why) < 0)
				return die(why, optarg);
			break;
		case 'E':
			if (parse_double(optarg, 0, 1, &cfg.faults.error_rate) < 0)
				return die("error rate must be 0..1", optarg);
			break;
		case 'S':
		case 'F':
			if (units_duration(optarg, &v) < 0 || v == 0)
				return die("bad stall duration", optarg);
			*(opt == 'S' ? &cfg.faults.stall_every_ns : &cfg.faults.stall_for_ns) = v;
			break;
		case 'C':
			if (parse_double(optarg, 0.001, 1e9, &d) < 0)
				return die("capacity must be a positive rate", optarg);
			cfg.faults.capacity = d;
			break;
		case 'K':
			if (units_count(optarg, &v) < 0 || v > 1000000000)
				return die("close-after must be a positive count", optarg);
			cfg.faults.close_after = (unsigned)v;
			break;
		case 'L':
			if (units_count(optarg, &v) < 0 || v > (64u << 20))
				return die("leak must be 1 to 64M bytes", optarg);
			cfg.faults.leak_bytes = v;
			break;
		case 'B':
			if (strcmp(optarg, "id-collisions") == 0) {
				cfg.faults.bug_id_collisions = true;
			} else if (strcmp(optarg, "sse-open") == 0) {
				cfg.faults.bug_sse_open = true;
			} else if (strcmp(optarg, "slow-tool") == 0 && optind < argc) {
				snprintf(cfg.faults.slow_tool, sizeof(cfg.faults.slow_tool), "%s",
					 argv[optind++]);
			} else {
				return die("bug must be id-collisions, sse-open or slow-tool NAME",
					   optarg);
			}
			break;
		case 'T':
		case 'M':
			if (units_duration(optarg, &v) < 0)
				return die("bad duration", optarg);
			*(opt == 'T' ? &cfg.faults.cache_ttl_ns : &cfg.faults.miss_delay_ns) = v;
			break;
		case 'R':
			if (strcmp(optarg, "json") == 0)
				cfg.faults.response_mode = MCP_JSON;
			else if (strcmp(optarg, "sse") == 0)
				cfg.faults.response_mode = MCP_SSE;
			else if (strcmp(optarg, "mixed") == 0)
				cfg.faults.response_mode = MCP_MIXED;
			else
				return die("response must be json, sse or mixed", optarg);
			break;
		case 'c':
			cfg.faults.chunked = true;
			break;
		case 'W':
			if (!optarg[0])
				return die("--write-files needs a directory", optarg);
			write_dir = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return die(opt == ':' ? "option needs a value" : "unknown option",
				   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return die("unexpected argument", argv[optind]);
	if (!!cfg.faults.stall_every_ns != !!cfg.faults.stall_for_ns ||
	    cfg.faults.stall_for_ns >= cfg.faults.stall_every_ns + !cfg.faults.stall_every_ns)
		return die("--stall-every and --stall-for go together, for < every", "");
	if (!remote && !is_loopback(&cfg.addr))
		return die("refusing a non-loopback address without --allow-remote", listen_arg);
	if (write_dir)
		return write_files(write_dir);
	store_init(cfg.faults.bug_id_collisions);
	if (res_init() < 0) {
		fprintf(stderr, "mcpload-target: out of memory generating resources\n");
		return 1;
	}
	cfg.origin_ns = clock_now_ns();
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	uint16_t port;
	int r = srv_run(&cfg, &port, print_port, &why);
	if (r < 0) {
		fprintf(stderr, "mcpload-target: %s: %s\n", why, strerror(-r));
		return 1;
	}
	return 0;
}
