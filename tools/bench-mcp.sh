#!/usr/bin/env bash
# bench-mcp.sh — what an MCP tools/call costs the client: mcpload beside Locust.
#
# The reference target (mcpload-target -t 1 --response json, then sse) pinned
# to SERVER_CPU, the client pinned to CLIENT_CPU, on 127.0.0.1. Per response
# mode, REPS interleaved runs of:
#   mcpload  mcpload run mcp-call (tools/call reserve_id_range), legacy era
#            2025-11-25: every user initializes, keeps its Mcp-Session-Id and
#            sends each call with it; the response (JSON, or SSE with its
#            priming event) parsed, its id matched, errors classified
#   locust   Locust FastHttpUser doing the same: initialize and
#            notifications/initialized on start, then POST tools/call with
#            the session header and a unique id, the JSON or SSE answer
#            parsed and its id, error and isError checked; headless, one process
# Calls = what the target counted (mcp_tool_duration_seconds_count for the
# tool in /metrics, before and after); client CPU = user+sys of the whole
# client process (GNU time). Prints CPU-µs per call, calls/s and calls per
# client CPU-second, medians, and the mcpload/Locust ratio (goal >= 12).
#
# Usage: tools/bench-mcp.sh   (from the repo root; installs python3-locust when missing)
# Env: DUR=10 USERS=32 REPS=3 CLIENT_CPU=0 SERVER_CPU=1 PORT=18091 WORK=/tmp/mcpload-bench-mcp
set -euo pipefail

DUR=${DUR:-10}
USERS=${USERS:-32}
REPS=${REPS:-3}
CLIENT_CPU=${CLIENT_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
PORT=${PORT:-18091}
WORK=${WORK:-/tmp/mcpload-bench-mcp}
MCPLOAD=${MCPLOAD:-build/mcpload}
TARGET=${MCPLOAD_TARGET:-build/mcpload-target}
URL="http://127.0.0.1:$PORT"
TOOL=reserve_id_range

. "$(dirname "$0")/bench-lib.sh"
bench_tools
mkdir -p "$WORK"

cat >"$WORK/locustfile.py" <<'PY'
import itertools
import json
from locust import task, constant
from locust.contrib.fasthttp import FastHttpUser

VERSION = "2025-11-25"
BASE = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
ARGS = {"artifact_type": "US", "count": 1}


def message(r, want):
    """The JSON-RPC response whose id is `want`, from a JSON body or an SSE stream."""
    if not r.headers.get("content-type", "").startswith("text/event-stream"):
        m = r.json()
        return m if m.get("id") == want else None
    data = []
    for line in r.text.split("\n") + [""]:
        line = line.rstrip("\r")
        if line.startswith("data:"):
            v = line[5:]
            data.append(v[1:] if v.startswith(" ") else v)
        elif line == "" and data:
            text, data = "\n".join(data), []
            if text.strip():  # the priming event is empty
                m = json.loads(text)
                if m.get("id") == want:
                    return m
    return None


class McpUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.ids = itertools.count(1)
        init = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
                "params": {"protocolVersion": VERSION, "capabilities": {},
                           "clientInfo": {"name": "locust", "version": "1"}}}
        r = self.client.post("/mcp", data=json.dumps(init), headers=BASE, name="initialize")
        self.headers = dict(BASE, **{"MCP-Protocol-Version": VERSION,
                                     "Mcp-Session-Id": r.headers.get("mcp-session-id", "")})
        self.client.post("/mcp", data='{"jsonrpc":"2.0","method":"notifications/initialized"}',
                         headers=self.headers, name="initialized")

    @task
    def call(self):
        rid = next(self.ids)
        body = {"jsonrpc": "2.0", "id": rid, "method": "tools/call",
                "params": {"name": "reserve_id_range", "arguments": ARGS}}
        with self.client.post("/mcp", data=json.dumps(body), headers=self.headers,
                              name="tools/call", catch_response=True) as r:
            m = message(r, rid) if r.status_code == 200 else None
            if m is None:
                r.failure("no JSON-RPC response (HTTP %d)" % r.status_code)
            elif "error" in m:
                r.failure("JSON-RPC error %s" % m["error"].get("code"))
            elif m.get("result", {}).get("isError"):
                r.failure("tool error")
PY

calls() { metric_sum "$PORT" "mcp_tool_duration_seconds_count{" "tool_name=\"$TOOL\""; }

# one run: appends "tool mode user_s sys_s calls seconds failures"
measure() {
	local tool=$1 mode=$2 before after t fails
	shift 2
	before=$(calls)
	{ /usr/bin/time -f "%U %S %e" taskset -c "$CLIENT_CPU" "$@" >"$WORK/$tool.out" 2>"$WORK/$tool.err"; } 2>&1 || true
	t=$(tail -n 1 "$WORK/$tool.err")
	after=$(calls)
	if [ "$tool" = locust ]; then
		fails=$(grep -hE '^\s*POST\s+tools/call' "$WORK/$tool.out" "$WORK/$tool.err" | head -n 1 | awk '{print $4}' | cut -d'(' -f1)
	else
		fails=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["errors"]["total"])' "$WORK/mcpload.json")
	fi
	set -- $t
	echo "$tool $mode $1 $2 $((after - before)) $3 ${fails:-?}" >>"$WORK/mcp.txt"
}

: >"$WORK/mcp.txt"
log "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r)"
for mode in json sse; do
	taskset -c "$SERVER_CPU" "$TARGET" --listen "127.0.0.1:$PORT" -t 1 --response "$mode" >/dev/null &
	TPID=$!
	trap 'kill $TPID 2>/dev/null || true' EXIT
	sleep 0.3
	for rep in $(seq "$REPS"); do
		log "$mode rep $rep/$REPS: mcpload run mcp-call"
		measure mcpload "$mode" "$MCPLOAD" run mcp-call --target "$URL" --mcp-version 2025-11-25 \
			--set name=$TOOL --set 'args={"artifact_type":"US","count":1}' \
			-c "$USERS" -t 1 -d "${DUR}s" -q --json "$WORK/mcpload.json"
		log "$mode rep $rep/$REPS: locust"
		measure locust "$mode" "$PY" -m locust -f "$WORK/locustfile.py" --headless -u "$USERS" \
			-r "$USERS" -t "${DUR}s" -H "$URL" --only-summary --loglevel WARNING
	done
	kill $TPID
	wait $TPID 2>/dev/null || true
done

python3 - "$WORK/mcp.txt" <<'PY'
import sys, statistics as st
rows = {}
for line in open(sys.argv[1]):
    tool, mode, u, s, n, e, f = line.split()
    rows.setdefault((tool, mode), []).append((float(u), float(s), int(n), float(e), f))
def us(v): return st.median((r[0] + r[1]) * 1e6 / max(r[2], 1) for r in v)
def rps(v): return st.median(r[2] / max(r[3], 1e-9) for r in v)
print("| response | client | CPU µs/call (user+sys, median) | calls/s (median) | calls per client CPU-s | failed (per run) | runs |")
print("|---|---|---|---|---|---|---|")
for mode in ("json", "sse"):
    for tool in ("mcpload", "locust"):
        v = rows.get((tool, mode), [])
        if v:
            print(f"| {mode} | {tool} | {us(v):.2f} | {rps(v):,.0f} | {1e6 / us(v):,.0f} | {' '.join(r[4] for r in v)} | {len(v)} |")
print()
for mode in ("json", "sse"):
    a, b = rows.get(("mcpload", mode)), rows.get(("locust", mode))
    if a and b:
        print(f"{mode}: mcpload makes {us(b) / us(a):.1f}x Locust's calls per client CPU-second (goal >= 12)")
PY
