#!/usr/bin/env bash
# The HTML reports rendered by a real browser: headless Chromium loads the
# --html pages of a run, a compare, a stress search and a suite (against
# mcpload-target) and the test reads the DOM it built: every chart is there
# and has something drawn (data-points > 0), the verdict table has a row per
# JUnit testcase of the same command, every NFR of the suite's JSON is in
# its table; a screenshot is not blank. Without chromium: a SKIP on the
# closing line, 0 checks.
set -u
cd "$(dirname "$0")/.."
mcpload=${MCPLOAD:-build/mcpload}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
	echo "0 passed, 0 failed (SKIP: needs chromium: apt-get install chromium)"
	exit 0
fi
. tests/tlib.sh
check() { # what, command...
	local what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}

tmp=$(mktemp -d)
tpid=
trap '[ -n "$tpid" ] && kill "$tpid" 2>/dev/null; rm -rf "$tmp"' EXIT
start_target "$tmp/target.out" || { echo "FAIL target did not start"; echo "0 passed, 1 failed"; exit 1; }
url=http://127.0.0.1:$port

render() { # page -> page.dom, page.png
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--dump-dom "file://$1" >"$1.dom" 2>/dev/null
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--window-size=1300,2400 --screenshot="$1.png" "file://$1" >/dev/null 2>&1
}

# Every chart in the rendered DOM with its data-points; each named one must
# be there, and every chart must have drawn something.
charts() { # page, chart ids...
	local page=$1 id n
	shift
	grep -o '<svg[^>]*class="svg-chart"[^>]*>' "$page.dom" >"$page.svgs"
	echo "  $(basename "$page"): $(wc -l <"$page.svgs") charts, $(grep -c 'class="verdict"' "$page.dom") verdict rows"
	for id in "$@"; do
		n=$(grep "id=\"$id\"" "$page.svgs" | sed -n 's/.*data-points="\([0-9]*\)".*/\1/p')
		if [ -n "$n" ] && [ "$n" -gt 0 ]; then ok; else bad "$(basename "$page"): chart $id missing or empty (${n:-none})"; fi
	done
	n=$(grep -c 'data-points="0"' "$page.svgs")
	if [ "$n" -eq 0 ]; then ok; else bad "$(basename "$page"): $n empty charts"; fi
	n=$(stat -c %s "$page.png" 2>/dev/null || echo 0)
	if [ "$n" -gt 30000 ]; then ok; else bad "$(basename "$page"): screenshot $n bytes"; fi
}

verdicts() { # page, junit file
	local rows cases
	rows=$(grep -c 'class="verdict"' "$1.dom")
	cases=$(grep -c '<testcase ' "$2")
	if [ "$rows" -gt 0 ] && [ "$rows" = "$cases" ]; then ok; else bad "$(basename "$1"): $rows verdict rows, $cases testcases"; fi
}

"$mcpload" run task-api --target "$url" -R 100 -d 3 --html "$tmp/run.html" --junit "$tmp/run.xml" \
	--threshold 'p99<1s' --threshold 'tasks_next:p95<1s' -q
rc=$?
check "run exit status $rc" [ "$rc" -eq 0 -o "$rc" -eq 3 ]
render "$tmp/run.html"
charts "$tmp/run.html" chart-latency-0 chart-latency-1 chart-spectrum chart-throughput chart-on-time chart-memory
verdicts "$tmp/run.html" "$tmp/run.xml"

"$mcpload" http "$url/health" -d 1s -c 2 -q --json "$tmp/a.json"
"$mcpload" http "$url/health" -d 1s -c 2 -q --json "$tmp/b.json"
"$mcpload" compare "$tmp/a.json" "$tmp/b.json" --html "$tmp/compare.html" --junit "$tmp/compare.xml" >/dev/null
render "$tmp/compare.html"
charts "$tmp/compare.html" chart-compare
verdicts "$tmp/compare.html" "$tmp/compare.xml"

"$mcpload" stress task-api --target "$url" --start 50 --factor 2 --step 1s --max-rate 200 \
	--html "$tmp/stress.html" --junit "$tmp/stress.xml" -q >/dev/null
render "$tmp/stress.html"
charts "$tmp/stress.html" chart-stress
verdicts "$tmp/stress.html" "$tmp/stress.xml"

"${MCPLOAD_TARGET:-build/mcpload-target}" --write-files "$tmp/files" >/dev/null
"$mcpload" suite --target "$url" --smoke --report-dir "$tmp/rep" --files "$tmp/files" \
	--html "$tmp/suite.html" --junit "$tmp/suite.xml" -q >/dev/null
render "$tmp/suite.html"
charts "$tmp/suite.html" chart-nfr0-latency chart-nfr0-spectrum chart-nfr2-tokens
verdicts "$tmp/suite.html" "$tmp/suite.xml"
ids=$(grep -o '"id": "NFR-[A-Za-z]*-[0-9]*"' "$tmp"/rep/*.json | sed 's/.*"\(NFR[^"]*\)"/\1/' | sort -u)
echo "  suite.json NFRs: $(echo $ids)"
check "the suite's JSON names NFRs" [ -n "$ids" ]
for id in $ids; do
	if grep -q "<td>$id</td>" "$tmp/suite.html.dom"; then ok; else bad "suite.html: $id not in the verdict table"; fi
done

done_line
