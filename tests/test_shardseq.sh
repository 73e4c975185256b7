#!/usr/bin/env bash
# test_shardseq.sh: three shards of one scenario (7 users, 5 iterations)
# against a server that logs each request path /x/{{user}}/{{seq}}: the
# users are 0..6 with none missing or twice (3 + 2 + 2 by quotient and
# remainder), every {{seq}} value is sent once over all shards, and the
# shards together sent what one box would (35 requests).
set -u
cd "$(dirname "$0")/.."
. tests/tlib.sh
mcpload=${MCPLOAD:-build/mcpload}
tmp=$(mktemp -d)
trap 'kill $spid 2>/dev/null; wait $spid 2>/dev/null; rm -rf "$tmp"' EXIT
python3 tests/fixtures/pathlog.py "$tmp/port" "$tmp/paths" &
spid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port" 2>/dev/null)
if [ -z "$port" ]; then bad "the path-logging server did not start"; done_line; exit; fi
cat >"$tmp/s.toml" <<'TOML'
name = "seq"
[shape]
users = 7
iterations = 5
[[task]]
name = "t"
  [[task.step]]
  label = "x"
  method = "GET"
  path = "/x/{{user}}/{{seq}}"
TOML
pids=()
for i in 0 1 2; do
	"$mcpload" run "$tmp/s.toml" --target "http://127.0.0.1:$port" --shard "$i/3" -t 2 -q \
		--json "$tmp/shard-$i.json" &
	pids+=($!)
done
for p in "${pids[@]}"; do
	if wait "$p"; then ok; else bad "a shard exited $?"; fi
done
out=$(python3 - "$tmp/paths" <<'PY'
import sys
p = [l.split("/") for l in open(sys.argv[1]).read().split()]
users = sorted(int(x[2]) for x in p)
seqs = [int(x[3]) for x in p]
once = sorted(set(users)) == list(range(7)) and all(users.count(u) == 5 for u in range(7))
print(len(p), once, len(seqs) == len(set(seqs)))
PY
)
echo "  paths, users 0..6 each in one shard (5 iterations), seq values all distinct: $out"
if [ "$out" = "35 True True" ]; then ok; else bad "shards' users or seq values: $out"; fi
n=$("$mcpload" merge "$tmp/merged.json" "$tmp"/shard-*.json >/dev/null 2>&1; python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['requests'])" "$tmp/merged.json" 2>/dev/null)
if [ "$n" = "35" ]; then ok; else bad "merged requests $n, want 35"; fi
done_line
