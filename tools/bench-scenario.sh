#!/usr/bin/env bash
# bench-scenario.sh — what scenarios cost the client, per request.
#
# The reference target (mcpload-target -t 1) pinned to SERVER_CPU, the client
# pinned to CLIENT_CPU, on 127.0.0.1. Three clients, REPS interleaved runs:
#   http     mcpload http GET /tasks/next (one prebuilt request, no scenario)
#   task-api mcpload run task-api, closed model, no think time: GET
#            /tasks/next, capture its id from the JSON body, PUT
#            /tasks/{id}/status with a rendered JSON body, check handed_out
#   locust   Locust FastHttpUser doing the same two steps (same capture and
#            check), headless, one process
# Client CPU = user+sys of the whole client process (GNU time); requests =
# what the target counted (mcp_http_requests_total in /metrics, before and
# after), so every tool is measured the same way. Prints CPU-µs per request
# and req/s, medians, and the ratios the issue asks for.
#
# Usage: tools/bench-scenario.sh   (from the repo root; installs python3-locust when missing)
# Env: DUR=10 USERS=32 REPS=3 CLIENT_CPU=0 SERVER_CPU=1 PORT=18090 WORK=/tmp/mcpload-bench-scn
set -euo pipefail

DUR=${DUR:-10}
USERS=${USERS:-32}
REPS=${REPS:-3}
CLIENT_CPU=${CLIENT_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
PORT=${PORT:-18090}
WORK=${WORK:-/tmp/mcpload-bench-scn}
MCPLOAD=${MCPLOAD:-build/mcpload}
TARGET=${MCPLOAD_TARGET:-build/mcpload-target}
URL="http://127.0.0.1:$PORT"

. "$(dirname "$0")/bench-lib.sh"
bench_tools
mkdir -p "$WORK"

cat >"$WORK/locustfile.py" <<'PY'
import random
from locust import task, constant
from locust.contrib.fasthttp import FastHttpUser

class TaskApiUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def claim_and_update(self):
        with self.client.get("/tasks/next", name="tasks_next", catch_response=True) as r:
            if r.status_code != 200:
                r.failure("status %d" % r.status_code)
                return
            task_id = r.json()["id"]
        with self.client.put("/tasks/%s/status" % task_id, name="task_status",
                             json={"status": random.choice(["in_progress", "done"])},
                             catch_response=True) as r:
            if r.status_code != 200 or r.json().get("handed_out") is not True:
                r.failure("not handed out")
PY

served() { metric_sum "$PORT" "mcp_http_requests_total{"; }

# one run: appends "tool user_s sys_s requests seconds"
measure() {
	local tool=$1 before after t
	shift
	before=$(served)
	t=$({ /usr/bin/time -f "%U %S %e" taskset -c "$CLIENT_CPU" "$@" >"$WORK/$tool.out" 2>"$WORK/$tool.err"; } 2>&1 || true)
	t=$(tail -n 1 "$WORK/$tool.err")
	after=$(served)
	# the /metrics request itself is counted once by the target
	set -- $t
	echo "$tool $1 $2 $((after - before - 1)) $3" >>"$WORK/scn.txt"
}

taskset -c "$SERVER_CPU" "$TARGET" --listen "127.0.0.1:$PORT" -t 1 >/dev/null &
TPID=$!
trap 'kill $TPID 2>/dev/null || true' EXIT
sleep 0.3
log "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r)"
: >"$WORK/scn.txt"
for rep in $(seq "$REPS"); do
	log "rep $rep/$REPS: mcpload http"
	measure http "$MCPLOAD" http "$URL/tasks/next" -t 1 -c "$USERS" -d "${DUR}s" -q
	log "rep $rep/$REPS: mcpload run task-api"
	measure task-api "$MCPLOAD" run task-api --target "$URL" --model closed -c "$USERS" \
		--spawn-rate 0 --think 0 -t 1 -d "${DUR}s" -q
	log "rep $rep/$REPS: locust"
	measure locust "$PY" -m locust -f "$WORK/locustfile.py" --headless -u "$USERS" \
		-r "$USERS" -t "${DUR}s" -H "$URL" --only-summary --loglevel WARNING
done

python3 - "$WORK/scn.txt" <<'PY'
import sys, statistics as st
rows = {}
for line in open(sys.argv[1]):
    tool, u, s, n, e = line.split()
    rows.setdefault(tool, []).append((float(u), float(s), int(n), float(e)))
def us(v): return st.median((r[0] + r[1]) * 1e6 / max(r[2], 1) for r in v)
def rps(v): return st.median(r[2] / max(r[3], 1e-9) for r in v)
print("| client | CPU µs/request (user+sys, median) | requests/s (median) | runs |")
print("|---|---|---|---|")
for tool in ("http", "task-api", "locust"):
    v = rows.get(tool, [])
    if v:
        print(f"| {tool} | {us(v):.2f} | {rps(v):,.0f} | {len(v)} |")
if rows.get("http") and rows.get("task-api"):
    print(f"\ntask-api / http CPU per request: {us(rows['task-api']) / us(rows['http']):.2f}x (goal <= 1.5)")
if rows.get("locust") and rows.get("task-api"):
    print(f"locust / task-api CPU per request: {us(rows['locust']) / us(rows['task-api']):.1f}x")
PY
