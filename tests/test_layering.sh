#!/usr/bin/env bash
# The layering check itself: it passes on the tree, and fails on a copy of
# the tree with a wrong include planted (stats/ including core/, protocol/
# including anything, an arrow no README allows), with a cycle between two
# folders whose READMEs allow both arrows, and with a module missing from
# docs/design.md's map. Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
check() { # name, expected status (0 or 1), command...
	local name=$1 want=$2
	shift 2
	out=$("$@" 2>&1)
	got=$?
	if [ "$got" = "$want" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $name: exit $got, want $want"
		printf '%s\n' "$out" | head -n 5 | sed 's/^/  /'
	fi
}
expect_line() { # name, pattern, command...
	local name=$1 pat=$2
	shift 2
	if "$@" 2>&1 | grep -q -- "$pat"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $name: no line matching '$pat'"
	fi
}

check "the tree is clean" 0 tools/layering.sh .

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fresh() {
	rm -rf "$tmp/t"
	mkdir -p "$tmp/t"
	cp -r core protocol scenarios stats docs "$tmp/t/"
	mkdir -p "$tmp/t/tools" && cp -r tools/target tools/layering.sh "$tmp/t/tools/"
}

fresh
check "a fresh copy is clean" 0 "$tmp/t/tools/layering.sh" "$tmp/t"

fresh
printf '#include "core/engine/worker.h"\n' >>"$tmp/t/stats/tally.h"
check "stats including core/ fails" 1 "$tmp/t/tools/layering.sh" "$tmp/t"
expect_line "the line names the file and the arrow" "stats/tally.h:.*stats may not include core/engine" \
	"$tmp/t/tools/layering.sh" "$tmp/t"

fresh
printf '#include "stats/tally.h"\n' >>"$tmp/t/protocol/h1p.c"
sed -i 's/^May include: nothing of the project\./May include: stats./' "$tmp/t/protocol/README.md"
check "protocol including anything fails, whatever its README says" 1 \
	"$tmp/t/tools/layering.sh" "$tmp/t"

fresh
printf '#include "core/users/vu.h"\n' >>"$tmp/t/core/engine/conn.c"
check "the engine including the users fails" 1 "$tmp/t/tools/layering.sh" "$tmp/t"

fresh
printf '#include "stats/tally.h"\n' >>"$tmp/t/scenarios/plan.c"
sed -i 's/^May include: protocol\./May include: protocol, stats./' "$tmp/t/scenarios/README.md"
check "a cycle (scenarios <-> stats) fails" 1 "$tmp/t/tools/layering.sh" "$tmp/t"
expect_line "the cycle is named" "a cycle between the folders" "$tmp/t/tools/layering.sh" "$tmp/t"

fresh
sed -i '/^| `core\/engine\/fixed`/d' "$tmp/t/docs/design.md"
check "a module missing from the map fails" 1 "$tmp/t/tools/layering.sh" "$tmp/t"

fresh
rm "$tmp/t/core/probe/README.md"
check "a folder without its README fails" 1 "$tmp/t/tools/layering.sh" "$tmp/t"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
