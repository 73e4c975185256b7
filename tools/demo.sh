#!/usr/bin/env bash
# demo.sh — what `make demo` runs: start mcpload-target on a free loopback
# port, load it with mcpload, stop it. Bounded: each load runs a few seconds.
# (The NFR suite of issue #6 will take the place of the loads below.)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
build/mcpload-target --listen 127.0.0.1:0 -t 1 --delay tasks=lognormal:p50=2ms,p99=20ms >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do
	port=$(awk '/listening on port/ {print $NF}' "$out")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "${port:-}" ] || { echo "demo: the target did not start" >&2; exit 1; }
echo "== mcpload-target on 127.0.0.1:$port (tasks delayed lognormal p50 2 ms, p99 20 ms)"
echo
echo "== closed loop: GET /tasks/next, 16 connections, 3 s"
build/mcpload http "http://127.0.0.1:$port/tasks/next" -c 16 -t 1 -d 3s
echo
mkdir -p reports
report="reports/demo_$(date -u +%Y-%m-%d_%H-%M-%S).json"
echo "== open loop: GET /tasks/next at 200 req/s, poisson arrivals, 3 s"
build/mcpload http "http://127.0.0.1:$port/tasks/next" -R 200 --arrival poisson -c 16 -t 1 -d 3s \
	--json "$report"
echo
echo "report: $report"
