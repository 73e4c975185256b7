#!/usr/bin/env bash
# demo.sh — what `make demo` runs: start mcpload-target on a free loopback
# port, run the NFR-Performance suite against it with --smoke (under a
# minute), print the verdict table and the report's path, stop the target.
# NFR-03 counts the reference server's ten workflows against the local
# files an agent loaded before MCP, which the target writes first.
# Exit status is the suite's: 0 every NFR PASS or WARNING, 1 FAIL, 3
# INCONCLUSIVE. The target and the suite run at a raised scheduling
# priority where the machine allows it (nice -n -10), so that other work
# on a shared machine does not decide the demo's verdicts; it says so.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
files=build/demo-files
build/mcpload-target --write-files "$files"
prio=()
if nice -n -10 true 2>/dev/null; then
	prio=(nice -n -10)
	echo "== the target and the suite run at nice -10: other work on this machine does not decide the demo"
else
	echo "== no raised priority here: other work on this machine can slow the demo's figures"
fi
"${prio[@]}" build/mcpload-target --listen 127.0.0.1:0 >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do
	port=$(awk '/listening on port/ {print $NF}' "$out")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "${port:-}" ] || { echo "demo: the target did not start" >&2; exit 1; }
echo "== mcpload-target on 127.0.0.1:$port; mcpload suite --smoke against it"
set +e
"${prio[@]}" build/mcpload suite --target "http://127.0.0.1:$port" \
	--metrics-url "http://127.0.0.1:$port/metrics" --smoke --report-dir reports --files "$files"
status=$?
set -e
echo "== suite exit status $status (0 all PASS/WARNING, 1 FAIL, 3 INCONCLUSIVE)"
exit $status
