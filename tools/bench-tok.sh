#!/usr/bin/env bash
# bench-tok: token counting speed of mcpload's tokenizer (build/bench_tok,
# release build) against js-tiktoken (build/tok, pinned by tools/tok) on the
# same file: about 20 MB of this repo's *.c, *.h, *.md repeated. Both count
# with one core (taskset), best of 3 passes for C, 1 for js-tiktoken (it is
# slow); prints MB/s of each, the ratio, and the load average before the run.
# Usage: tools/bench-tok.sh [MB]
set -eu
cd "$(dirname "$0")/.."
mb=${1:-20}
make -s build/bench_tok build/tok/.npm-ok
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git ls-files '*.c' '*.h' '*.md' | xargs cat >"$tmp/one"
while [ "$(stat -c %s "$tmp/big" 2>/dev/null || echo 0)" -lt $((mb * 1000000)) ]; do cat "$tmp/one" >>"$tmp/big"; done
cat >build/tok/bench.mjs <<'JS'
import { readFileSync } from 'node:fs';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
const [name, file] = process.argv.slice(2);
const enc = new Tiktoken(name === 'o200k_base' ? o200k : cl100k);
const buf = readFileSync(file), text = buf.toString('utf8');
const t0 = process.hrtime.bigint();
const n = enc.encode(text, [], []).length;
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`${name} ${buf.length} ${n} ${(buf.length / s / 1e6).toFixed(2)}`);
JS
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; file $(stat -c %s "$tmp/big") bytes"
for enc in cl100k_base o200k_base; do
	read -r _ bytes ctok cmbs < <(taskset -c 0 build/bench_tok "$enc" "$tmp/big" 3)
	read -r _ _ jtok jmbs < <(taskset -c 0 node build/tok/bench.mjs "$enc" "$tmp/big")
	same=$([ "$ctok" = "$jtok" ] && echo "same count" || echo "COUNTS DIFFER: $ctok vs $jtok")
	awk -v e="$enc" -v c="$cmbs" -v j="$jmbs" -v t="$ctok" -v s="$same" \
		'BEGIN { printf "%-12s mcpload %7.1f MB/s  js-tiktoken %6.2f MB/s  %5.0fx  (%d tokens, %s)\n", e, c, j, c / j, t, s }'
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
