#!/usr/bin/env bash
# A fuzzing campaign: each parser's libFuzzer target for RUNS executions
# (default 10 million), one after another, growing its corpus under
# build/fuzz/; prints "target executions seconds result" per target. A
# crash stops that target with its reproducer in the current directory.
# usage: tools/fuzz-campaign.sh [RUNS] [target ...]   (after make fuzz builds them)
set -u
runs=${1:-10000000}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(h1p h1q sse jsc mcp prom toml sfile tmpl argsyn openapi sconf)
for t in "${targets[@]}"; do
	bin=build/fuzz/fuzz_$t
	[ -x "$bin" ] || { echo "$t: $bin not built (make fuzz FUZZ_SECONDS=1)"; continue; }
	mkdir -p "build/fuzz/corpus-$t"
	start=$(date +%s)
	out=$("$bin" -runs="$runs" -print_final_stats=1 "build/fuzz/corpus-$t" "tests/fuzz/corpus/$t" 2>&1)
	rc=$?
	secs=$(( $(date +%s) - start ))
	done_runs=$(printf '%s\n' "$out" | sed -n 's/^stat::number_of_executed_units: *//p' | tail -1)
	echo "$t ${done_runs:-?} ${secs}s $([ $rc -eq 0 ] && echo clean || echo "FAILED (exit $rc)")"
done
