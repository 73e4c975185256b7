#!/usr/bin/env bash
# Runs each test program with a time limit, adds up their closing
# "N passed, N failed" lines, and prints the total the same way. A program
# that crashes, times out or prints no closing line counts as one failure.
# Each program's line says how long it took (CI's whole run has a budget).
set -u
TIMEOUT=${TEST_TIMEOUT:-300}
passed=0
failed=0
for t in "$@"; do
	name=${t##*/}
	args=()
	case "$name" in
	replay_*) args=("tests/fuzz/corpus/${name#replay_}") ;;
	esac
	t0=$(date +%s%N)
	out=$(timeout "$TIMEOUT" "$t" "${args[@]}" 2>&1)
	rc=$?
	took=$((($(date +%s%N) - t0) / 100000000))
	took="$((took / 10)).$((took % 10)) s"
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$line" ]; then
		printf '%s\n' "$out" | tail -n 20
		echo "FAIL $name: exit $rc, no result line ($took)"
		failed=$((failed + 1))
		continue
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
		# the failed checks first: the tail below may not reach them
		printf '%s\n' "$out" | grep -E '^FAIL ' | head -n 10
		printf '%s\n' "$out" | grep -v '^  ' | tail -n 30
		[ "$f" -eq 0 ] && failed=$((failed + 1))
		echo "FAIL $name ($line, exit $rc, $took)"
	else
		echo "ok   $name ($line, $took)"
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
