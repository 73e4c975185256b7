#!/usr/bin/env bash
# bench-tls.sh — mcpload's HTTPS client cost beside wrk's and h2load's
# (both OpenSSL), against one TLS 1.2 nginx (1 worker) on 127.0.0.1.
#
# nginx pinned to SERVER_CPU, the tool to CLIENT_CPU, an ECDSA P-256
# certificate made here by openssl, one suite for all
# (ECDHE-ECDSA-AES128-GCM-SHA256) (mcpload verifies it with --cacert;
# wrk and h2load verify nothing). Client CPU = user+sys of the tool from
# the kernel (GNU time); requests = what nginx counted (stub_status on a
# plain port) or, for handshakes, what each tool reports.
#   keepalive : 64 connections for DUR s: wrk -t1 beside mcpload -t 1;
#               client CPU per request, req/s. REPS interleaved runs, median.
#   handshake : servers that close after every response (keepalive_timeout
#               0), 16 connections: resumed (h2load reuses its session;
#               mcpload by session ID) against one with a session cache, and
#               full (mcpload --tls-resume off; h2load) against one without;
#               h2load --h1 -n (about DUR s), mcpload -d DUR; handshakes/s and
#               client CPU per handshake.
# Usage: tools/bench-tls.sh [all|keepalive|handshake]   (from the repo root)
# Env: DUR=10 REPS=3 CLIENT_CPU=0 SERVER_CPU=1 PORT=18443 WORK=/tmp/mcpload-bench-tls
# Every run is bounded by its duration; all traffic stays on 127.0.0.1.
set -euo pipefail

DUR=${DUR:-10}
REPS=${REPS:-3}
CLIENT_CPU=${CLIENT_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
PORT=${PORT:-18443}
CLOSEPORT=$((PORT + 1))
STATUSPORT=$((PORT + 2))
FULLPORT=$((PORT + 3))
WORK=${WORK:-/tmp/mcpload-bench-tls}
MCPLOAD=${MCPLOAD:-build/mcpload}
WHAT=${1:-all}

# shellcheck source=tools/bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

need() {
	need_pkgs nginx:nginx-light wrk:wrk h2load:nghttp2-client openssl:openssl /usr/bin/time:time
	[ -x "$MCPLOAD" ] || make -s all
}

certs() {
	mkdir -p "$WORK"
	[ -s "$WORK/srv.pem" ] && return 0
	(
		cd "$WORK"
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
			-out ca.pem -days 30 -subj "/CN=bench CA" 2>/dev/null
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key \
			-out srv.csr -subj /CN=localhost 2>/dev/null
		printf 'subjectAltName=DNS:localhost\n' >ext.cnf
		openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem \
			-days 30 -extfile ext.cnf 2>/dev/null
	)
}

nginx_start() {
	mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
	cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid nginx.pid;
error_log logs/error.log warn;
events { worker_connections 4096; multi_accept on; }
http {
    access_log off;
    server_tokens off;
    keepalive_requests 10000000;
    client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;
    ssl_certificate $WORK/srv.pem;
    ssl_certificate_key $WORK/srv.key;
    ssl_protocols TLSv1.2;
    # one suite for every tool (OpenSSL clients would pick AES-256)
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256;
    ssl_session_cache shared:TLS:10m;
    ssl_session_tickets off;
    server {
        listen 127.0.0.1:$PORT ssl backlog=4096;
        keepalive_timeout 120s;
        location = /small {
            default_type text/plain;
            return 200 "anchors-small-body-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789-vwxyz\n";
        }
    }
    server {
        listen 127.0.0.1:$CLOSEPORT ssl backlog=4096;
        keepalive_timeout 0;
        location = /small { default_type text/plain; return 200 "closed after this\n"; }
    }
    server {
        listen 127.0.0.1:$FULLPORT ssl backlog=4096;
        ssl_session_cache off;
        keepalive_timeout 0;
        location = /small { default_type text/plain; return 200 "closed after this\n"; }
    }
    server {
        listen 127.0.0.1:$STATUSPORT;
        location = /status { stub_status; }
    }
}
EOF
	nginx_up "$STATUSPORT"
}
trap 'nginx_stop' EXIT

# one measured run: prints "tool user_s sys_s requests"
measure() {
	local tool=$1
	shift
	measure_run "$tool" "$STATUSPORT" "$@"
}

keepalive() {
	local url="https://127.0.0.1:$PORT/small" named="https://localhost:$PORT/small"
	: >"$WORK/keepalive.txt"
	for rep in $(seq "$REPS"); do
		log "keep-alive rep $rep/$REPS: wrk"
		measure wrk wrk -t1 -c64 -d"${DUR}s" "$url" >>"$WORK/keepalive.txt"
		log "keep-alive rep $rep/$REPS: mcpload"
		measure mcpload "$MCPLOAD" http "$named" -t 1 -c 64 -d "${DUR}s" -q \
			--cacert "$WORK/ca.pem" >>"$WORK/keepalive.txt"
	done
	python3 - "$WORK/keepalive.txt" "$DUR" <<'EOF'
import sys, statistics as st
rows = {}
for line in open(sys.argv[1]):
    tool, u, s, n = line.split()
    u, s, n = float(u), float(s), int(n)
    rows.setdefault(tool, []).append(((u + s) * 1e6 / n, u * 1e6 / n, s * 1e6 / n, n / float(sys.argv[2])))
med = {t: [st.median(x[i] for x in v) for i in range(4)] for t, v in rows.items()}
print("| tool | client CPU µs/req (user+sys) | user | sys | req/s | runs |")
print("|---|---|---|---|---|---|")
for t in ("wrk", "mcpload"):
    m = med[t]
    print(f"| {t} | {m[0]:.3f} | {m[1]:.3f} | {m[2]:.3f} | {m[3]:,.0f} | {len(rows[t])} |")
w, m = med["wrk"], med["mcpload"]
print(f"\nmcpload/wrk: client CPU per request {m[0]/w[0]:.2f}x (goal <= 1.0), req/s {m[3]/w[3]:.2f}x")
EOF
}

# one handshake run: prints "tool user_s sys_s handshakes seconds"
hs_measure() {
	local tool=$1 t n secs
	shift
	{ /usr/bin/time -f "%U %S" taskset -c "$CLIENT_CPU" timeout $((DUR * 4 + 30)) "$@" \
		>"$WORK/$tool.out" 2>"$WORK/$tool.err"; } 2>&1 || true
	t=$(tail -n 1 "$WORK/$tool.err")
	case $tool in
	h2load*)
		n=$(sed -n 's/^requests: [0-9]* total, [0-9]* started, [0-9]* done, \([0-9]*\) succeeded.*/\1/p' "$WORK/$tool.out")
		secs=$(sed -n 's/^finished in \([0-9.]*\)\(m*s\),.*/\1 \2/p' "$WORK/$tool.out" |
			awk '{print $2 == "ms" ? $1 / 1000 : $1}') ;;
	*)
		n=$(python3 -c "import json;print(json.load(open('$WORK/$tool.json'))['tls']['handshakes'])")
		secs=$(python3 -c "import json;print(json.load(open('$WORK/$tool.json'))['duration_s'])") ;;
	esac
	echo "$tool $t ${n:-0} ${secs:-0}"
}

# h2load runs a count (its duration mode spins once the server closes a
# connection): HS_N requests, about DUR seconds at 4,000-5,000 a second
handshake() {
	local url="https://127.0.0.1:$CLOSEPORT/small" named="https://localhost:$CLOSEPORT/small"
	local full="https://127.0.0.1:$FULLPORT/small" fullnamed="https://localhost:$FULLPORT/small"
	local n=${HS_N:-$((DUR * 4500))}
	: >"$WORK/handshake.txt"
	for rep in $(seq "$REPS"); do
		log "handshake rep $rep/$REPS: h2load (resumed: it reuses its session)"
		hs_measure h2load h2load --h1 -c 16 -n "$n" "$url" >>"$WORK/handshake.txt"
		log "handshake rep $rep/$REPS: h2load, a server without a session cache (full)"
		hs_measure h2load-full h2load --h1 -c 16 -n "$((n / 3))" "$full" >>"$WORK/handshake.txt"
		log "handshake rep $rep/$REPS: mcpload --tls-resume off, the same server (full)"
		hs_measure mcpload-full "$MCPLOAD" http "$fullnamed" -t 1 -c 16 -d "${DUR}s" -q \
			--cacert "$WORK/ca.pem" --tls-resume off --json "$WORK/mcpload-full.json" >>"$WORK/handshake.txt"
		log "handshake rep $rep/$REPS: mcpload (resumed)"
		hs_measure mcpload-resumed "$MCPLOAD" http "$named" -t 1 -c 16 -d "${DUR}s" -q \
			--cacert "$WORK/ca.pem" --json "$WORK/mcpload-resumed.json" >>"$WORK/handshake.txt"
	done
	python3 - "$WORK/handshake.txt" <<'EOF'
import sys, statistics as st
rows = {}
for line in open(sys.argv[1]):
    tool, u, s, n, secs = line.split()
    u, s, n, secs = float(u), float(s), int(n), float(secs)
    if n and secs:
        rows.setdefault(tool, []).append(((u + s) * 1e6 / n, n / secs))
med = {t: [st.median(x[i] for x in v) for i in range(2)] for t, v in rows.items()}
print("| tool | handshakes/s | client CPU µs/handshake | runs |")
print("|---|---|---|---|")
for t in ("h2load", "mcpload-resumed", "h2load-full", "mcpload-full"):
    if t in med:
        m = med[t]
        print(f"| {t} | {m[1]:,.0f} | {m[0]:.1f} | {len(rows[t])} |")
for a, b in (("mcpload-resumed", "h2load"), ("mcpload-full", "h2load-full")):
    if a in med and b in med:
        x, y = med[a], med[b]
        print(f"\n{a}/{b}: handshakes/s {x[1]/y[1]:.2f}x, client CPU per handshake {x[0]/y[0]:.2f}x")
EOF
}

need
certs
nginx_start
case $WHAT in
keepalive) keepalive ;;
handshake) handshake ;;
all) keepalive; handshake ;;
*) echo "usage: tools/bench-tls.sh [all|keepalive|handshake]" >&2; exit 2 ;;
esac
