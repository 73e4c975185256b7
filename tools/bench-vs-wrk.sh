#!/usr/bin/env bash
# bench-vs-wrk.sh — mcpload's client cost beside wrk's, against one nginx.
#
# Method (the team's anchor method for comparing load tools): nginx (1 worker) pinned to
# SERVER_CPU, the load tool pinned to CLIENT_CPU, both on 127.0.0.1. For each
# run: client CPU = user+sys of the tool from the kernel (GNU time, rusage of
# the whole process), requests = what nginx itself counted (stub_status
# before/after). Figures: CPU-us per request (user, sys, total) and req/s.
# REPS interleaved runs per tool (wrk, mcpload, mcpload --busy-poll 0, ...), median.
# Then: 10,000 connections from one mcpload process (RSS, errors), and the
# count check: mcpload's reported requests == nginx's access log lines.
#
# pacing: open loop at PACE_RATES (default 2000 20000) req/s, 64 connections,
# mcpload -R beside h2load --rps, hey -q and autocannon -R (when AUTOCANNON
# points at it, e.g. from `npm install autocannon`): client CPU per request
# as above, the p99 each tool reports, and mcpload's send-lag p99.
#
# target: mcpload-target -t 1 on SERVER_CPU against nginx on the same CPU:
# req/s of GET /health (target) and GET /small (nginx) under the same
# mcpload load (64 connections, one client thread), REPS interleaved runs.
#
# base: this build beside an earlier one (BASE, a git commit; default the
# one before the layout of issue #14), built from git into $WORK/base, both
# against the same nginx, interleaved REPS times: client CPU per request and
# req/s, then user-space instructions per request (callgrind, the
# difference between a 20,000- and a 60,000-request run, --busy-poll 0).
#
# Usage: tools/bench-vs-wrk.sh [all|cost|scale|count|pacing|target|base]   (from the repo root)
# Env: DUR=10 CONNS=64 REPS=3 CLIENT_CPU=0 SERVER_CPU=1 PORT=18080 WORK=/tmp/mcpload-bench
# All traffic goes to 127.0.0.1; every run is bounded by its duration.
set -euo pipefail

DUR=${DUR:-10}
CONNS=${CONNS:-64}
REPS=${REPS:-3}
CLIENT_CPU=${CLIENT_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
PORT=${PORT:-18080}
LOGPORT=$((PORT + 1))
WORK=${WORK:-/tmp/mcpload-bench}
MCPLOAD=${MCPLOAD:-build/mcpload}
WHAT=${1:-all}

# shellcheck source=tools/bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

need() {
	need_pkgs nginx:nginx-light wrk:wrk /usr/bin/time:time
	[ -x "$MCPLOAD" ] || make -s all
}

nginx_start() {
	mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
	rm -f "$WORK/nginx/logs/access.log"
	cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
worker_rlimit_nofile 20000;
daemon off;
pid nginx.pid;
error_log logs/error.log warn;
# multi_accept on: with one accept per event-loop pass, the last of 10,000
# connections wait seconds to be accepted while the others are served
events { worker_connections 12000; multi_accept on; }
http {
    access_log off;
    server_tokens off;
    keepalive_timeout 120s;
    keepalive_requests 10000000;
    client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;
    server {
        listen 127.0.0.1:$PORT backlog=16384;
        location = /small {
            default_type text/plain;
            return 200 "anchors-small-body-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789-vwxyz\n";
        }
        location = /status { stub_status; }
    }
    server {
        listen 127.0.0.1:$LOGPORT backlog=4096;
        access_log logs/access.log;
        location = /small { default_type text/plain; return 200 "counted\n"; }
    }
}
EOF
	ulimit -n "$(ulimit -Hn)"
	nginx_up "$PORT"
}
trap 'nginx_stop; restore_backlog' EXIT

# one measured run: prints "tool user_s sys_s requests"
measure() {
	local tool=$1
	shift
	measure_run "$tool" "$PORT" "$@"
}

cost() {
	local url="http://127.0.0.1:$PORT/small"
	: >"$WORK/cost.txt"
	for rep in $(seq "$REPS"); do
		log "rep $rep/$REPS: wrk"
		measure wrk wrk -t1 -c"$CONNS" -d"${DUR}s" "$url" >>"$WORK/cost.txt"
		log "rep $rep/$REPS: mcpload"
		measure mcpload "$MCPLOAD" http "$url" -t 1 -c "$CONNS" -d "${DUR}s" -q >>"$WORK/cost.txt"
		log "rep $rep/$REPS: mcpload --busy-poll 0"
		measure mcpload-nopoll "$MCPLOAD" http "$url" -t 1 -c "$CONNS" -d "${DUR}s" -q \
			--busy-poll 0 >>"$WORK/cost.txt"
	done
	python3 - "$WORK/cost.txt" "$DUR" <<'EOF'
import sys, statistics as st
rows = {}
for line in open(sys.argv[1]):
    tool, u, s, n = line.split()
    u, s, n = float(u), float(s), int(n)
    rows.setdefault(tool, []).append((u * 1e6 / n, s * 1e6 / n, (u + s) * 1e6 / n, n / float(sys.argv[2])))
med = {t: [st.median(x[i] for x in v) for i in range(4)] for t, v in rows.items()}
print("| tool | user µs/req | sys µs/req | total µs/req | req/s | runs |")
print("|---|---|---|---|---|---|")
for t in ("wrk", "mcpload", "mcpload-nopoll"):
    m = med[t]
    print(f"| {t} | {m[0]:.3f} | {m[1]:.3f} | {m[2]:.3f} | {m[3]:,.0f} | {len(rows[t])} |")
w = med["wrk"]
for t in ("mcpload", "mcpload-nopoll"):
    m = med[t]
    print(f"\nratios {t}/wrk: user {m[0]/w[0]:.2f}x (goal <= 0.30), total {m[2]/w[2]:.2f}x "
          f"(goal <= 0.85), req/s {m[3]/w[3]:.3f}x (goal >= 1)")
EOF
}

# 10,000 connects at once overflow the kernel's default accept queue
# (net.core.somaxconn 4096): the server drops the handshake's last ACK, the
# client believes it is connected and its first request waits out TCP's
# retransmit backoff (up to ~10 s). Raised for this run, restored after.
SYSCTL_SAVED=""
raise_backlog() {
	[ "$(id -u)" = 0 ] || { log "not root: accept queue left at $(cat /proc/sys/net/core/somaxconn)"; return; }
	SYSCTL_SAVED="$(cat /proc/sys/net/core/somaxconn) $(cat /proc/sys/net/ipv4/tcp_max_syn_backlog)"
	sysctl -q -w net.core.somaxconn=16384 net.ipv4.tcp_max_syn_backlog=16384
}
restore_backlog() {
	[ -n "$SYSCTL_SAVED" ] || return 0
	set -- $SYSCTL_SAVED
	sysctl -q -w net.core.somaxconn="$1" net.ipv4.tcp_max_syn_backlog="$2"
	SYSCTL_SAVED=""
}

scale() {
	log "10,000 connections, one process"
	ulimit -n "$(ulimit -Hn)"
	raise_backlog
	# nginx must listen again to take the larger backlog
	nginx_stop
	nginx_start
	taskset -c "$CLIENT_CPU" "$MCPLOAD" http "http://127.0.0.1:$PORT/small" -c 10000 -t 1 -d 10s \
		--json "$WORK/scale.json" | grep -E "requests in|p50|Errors|RSS|Connections"
	restore_backlog
}

count() {
	log "count check: mcpload -n 100000 vs nginx's access log"
	rm -f "$WORK/nginx/logs/access.log"
	kill -USR1 "$NGINX_PID" 2>/dev/null || true
	sleep 0.3
	local lines0 lines1
	lines0=$( (wc -l <"$WORK/nginx/logs/access.log") 2>/dev/null || echo 0)
	taskset -c "$CLIENT_CPU" "$MCPLOAD" http "http://127.0.0.1:$LOGPORT/small" -c 32 -t 1 -n 100000 \
		--json "$WORK/count.json" -q
	sleep 0.5
	lines1=$(wc -l <"$WORK/nginx/logs/access.log")
	local reported
	reported=$(python3 -c "import json;print(json.load(open('$WORK/count.json'))['requests'])")
	echo "mcpload reported $reported, nginx logged $((lines1 - lines0))"
	[ "$reported" = "$((lines1 - lines0))" ] && echo "count check: equal" || { echo "count check: MISMATCH"; return 1; }
}

pacing() {
	local url="http://127.0.0.1:$PORT/small" c=64
	: >"$WORK/pacing.txt"
	for rate in ${PACE_RATES:-2000 20000}; do
		local per=$((rate / c))
		log "pacing at $rate req/s"
		measure mcpload "$MCPLOAD" http "$url" -t 1 -c $c -d "${DUR}s" -R "$rate" -q \
			--json "$WORK/pace-$rate.json" | sed "s/^/$rate /" >>"$WORK/pacing.txt"
		python3 -c "import json;d=json.load(open('$WORK/pace-$rate.json'));print('$rate mcpload-p99', d['latency_ms']['p99'] * 1e3, d['send_lag_ms']['p99'] * 1e3)" >>"$WORK/pacing.p99"
		measure h2load h2load --h1 -c $c -t 1 -D "$DUR" --rps="$per" "$url" | sed "s/^/$rate /" >>"$WORK/pacing.txt"
		measure hey hey -z "${DUR}s" -c $c -q "$per" "$url" | sed "s/^/$rate /" >>"$WORK/pacing.txt"
		grep -E "99% in" "$WORK/hey.out" | awk -v r="$rate" '{print r, "hey-p99", $3 * 1e6}' >>"$WORK/pacing.p99"
		if [ -n "${AUTOCANNON:-}" ] && [ -x "$AUTOCANNON" ]; then
			measure autocannon "$AUTOCANNON" -c $c -d "$DUR" -R "$rate" "$url" | sed "s/^/$rate /" >>"$WORK/pacing.txt"
		fi
	done
	python3 - "$WORK/pacing.txt" "$WORK/pacing.p99" "$DUR" <<'PY'
import sys
p99 = {}
for line in open(sys.argv[2]):
    f = line.split()
    p99[(f[0], f[1])] = f[2:]
print("| rate | tool | user µs/req | sys µs/req | total µs/req | req/s | p99 the tool reports |")
print("|---|---|---|---|---|---|---|")
for line in open(sys.argv[1]):
    rate, tool, u, s, n = line.split()
    u, s, n = float(u), float(s), int(n)
    rep = ""
    if tool == "mcpload":
        v = p99.get((rate, "mcpload-p99"))
        rep = f"{float(v[0]):.0f} µs corrected; send lag p99 {float(v[1]):.1f} µs" if v else ""
    elif tool == "hey":
        v = p99.get((rate, "hey-p99"))
        rep = f"{float(v[0]):.0f} µs" if v else ""
    print(f"| {rate} | {tool} | {u*1e6/n:.2f} | {s*1e6/n:.2f} | {(u+s)*1e6/n:.2f} | {n/float(sys.argv[3]):,.0f} | {rep} |")
PY
}

target_vs_nginx() {
	local tgt=${MCPLOAD_TARGET:-build/mcpload-target} tport=$((PORT + 2)) pid
	[ -x "$tgt" ] || make -s build/mcpload-target
	: >"$WORK/target.txt"
	for rep in $(seq "$REPS"); do
		log "rep $rep/$REPS: nginx /small"
		taskset -c "$CLIENT_CPU" "$MCPLOAD" http "http://127.0.0.1:$PORT/small" -t 1 -c 64 \
			-d "${DUR}s" --json "$WORK/t-nginx.json" -q
		python3 -c "import json;d=json.load(open('$WORK/t-nginx.json'));print('nginx', d['requests_per_s'], d['latency_ms']['p99'] * 1e3)" >>"$WORK/target.txt"
		log "rep $rep/$REPS: mcpload-target /health"
		taskset -c "$SERVER_CPU" "$tgt" --listen "127.0.0.1:$tport" -t 1 >/dev/null &
		pid=$!
		sleep 0.3
		taskset -c "$CLIENT_CPU" "$MCPLOAD" http "http://127.0.0.1:$tport/health" -t 1 -c 64 \
			-d "${DUR}s" --json "$WORK/t-target.json" -q
		kill "$pid"
		wait "$pid" 2>/dev/null || true
		python3 -c "import json;d=json.load(open('$WORK/t-target.json'));print('target', d['requests_per_s'], d['latency_ms']['p99'] * 1e3)" >>"$WORK/target.txt"
	done
	python3 - "$WORK/target.txt" <<'PY'
import sys, statistics as st
rows = {}
for line in open(sys.argv[1]):
    who, rps, p99 = line.split()
    rows.setdefault(who, []).append((float(rps), float(p99)))
print("| server (one core) | req/s (median) | p99 µs (median) | runs |")
print("|---|---|---|---|")
for who in ("nginx", "target"):
    v = rows[who]
    print(f"| {who} | {st.median(x[0] for x in v):,.0f} | {st.median(x[1] for x in v):.0f} | {len(v)} |")
print(f"\nratio target/nginx: {st.median(x[0] for x in rows['target']) / st.median(x[0] for x in rows['nginx']):.2f}x (goal >= 1)")
PY
}

base_build() {
	local base=${BASE:-e78d897}
	if [ ! -x "$WORK/base/build/mcpload" ] || [ "$(cat "$WORK/base/.ref" 2>/dev/null)" != "$base" ]; then
		log "building the base $base in $WORK/base"
		rm -rf "$WORK/base"
		mkdir -p "$WORK/base"
		git archive "$base" | tar -x -C "$WORK/base"
		make -s -C "$WORK/base" build/mcpload >/dev/null
		echo "$base" >"$WORK/base/.ref"
	fi
}

# instructions per request in user space: two callgrind runs, the difference
callgrind_per_req() {
	local bin=$1 tag=$2 n
	for n in 20000 60000; do
		taskset -c "$CLIENT_CPU" valgrind --tool=callgrind --callgrind-out-file="$WORK/cg-$tag-$n" \
			"$bin" http "http://127.0.0.1:$PORT/small" -t 1 -c 16 -n "$n" -q --busy-poll 0 \
			>/dev/null 2>&1
	done
	python3 - "$WORK/cg-$tag-20000" "$WORK/cg-$tag-60000" <<'PY'
import sys
def total(path):
    for line in open(path):
        if line.startswith("summary:") or line.startswith("totals:"):
            return int(line.split()[1])
a, b = total(sys.argv[1]), total(sys.argv[2])
print(f"{(b - a) / 40000:.1f}")
PY
}

vs_base() {
	local url="http://127.0.0.1:$PORT/small"
	base_build
	: >"$WORK/base.txt"
	for rep in $(seq "$REPS"); do
		log "rep $rep/$REPS: base ${BASE:-e78d897}"
		measure base "$WORK/base/build/mcpload" http "$url" -t 1 -c "$CONNS" -d "${DUR}s" -q >>"$WORK/base.txt"
		log "rep $rep/$REPS: this build"
		measure new "$MCPLOAD" http "$url" -t 1 -c "$CONNS" -d "${DUR}s" -q >>"$WORK/base.txt"
	done
	local ib in
	if command -v valgrind >/dev/null; then
		log "callgrind: instructions per request"
		ib=$(callgrind_per_req "$WORK/base/build/mcpload" base)
		in=$(callgrind_per_req "$MCPLOAD" new)
	fi
	python3 - "$WORK/base.txt" "$DUR" "${ib:-}" "${in:-}" <<'PY'
import sys, statistics as st
rows = {}
for line in open(sys.argv[1]):
    tool, u, s, n = line.split()
    u, s, n = float(u), float(s), int(n)
    rows.setdefault(tool, []).append(((u + s) * 1e6 / n, n / float(sys.argv[2])))
print("| build | total CPU µs/req (runs) | req/s (runs) | median µs/req | median req/s |")
print("|---|---|---|---|---|")
for t in ("base", "new"):
    v = rows[t]
    print(f"| {t} | {', '.join(f'{x[0]:.3f}' for x in v)} | {', '.join(f'{x[1]:,.0f}' for x in v)} | "
          f"{st.median(x[0] for x in v):.3f} | {st.median(x[1] for x in v):,.0f} |")
pairs = list(zip(rows["new"], rows["base"]))
print("\nnew/base pair by pair: CPU/req " + ", ".join(f"{a[0]/b[0]:.3f}" for a, b in pairs) +
      "; req/s " + ", ".join(f"{a[1]/b[1]:.3f}" for a, b in pairs))
if sys.argv[3] and sys.argv[4]:
    ib, inew = float(sys.argv[3]), float(sys.argv[4])
    print(f"user-space instructions per request (callgrind): base {ib:.0f}, new {inew:.0f}, new/base {inew/ib:.3f}")
PY
}

need
mkdir -p "$WORK"
rm -f "$WORK/pacing.p99"
nginx_start
log "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r)"
case "$WHAT" in
cost) cost ;;
scale) scale ;;
count) count ;;
pacing) pacing ;;
target) target_vs_nginx ;;
base) vs_base ;;
all) cost; scale; count; pacing; target_vs_nginx; vs_base ;;
*) echo "usage: $0 [all|cost|scale|count|pacing|target|base]" >&2; exit 2 ;;
esac
