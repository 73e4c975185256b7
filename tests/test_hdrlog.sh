#!/usr/bin/env bash
# stats/hdr against HdrHistogram's own Java library (Debian libhdrhistogram-java):
# HistogramLogReader reads the interval log test_hdr --log writes, and
# test_hdr --read reads one HistogramLogWriter wrote; each tag's total count
# must agree and its p99 within 0.1 %. HistogramLogProcessor must read our
# log too, and a real run's --hdr-log holds its requests and p99. Without
# java or the jar: a SKIP on the closing line, 0 checks.
set -u
cd "$(dirname "$0")/.."
bin=${TEST_HDR:-build/asan/tests/test_hdr}
jar=${HDR_JAR:-}
for j in /usr/share/java/hdrhistogram.jar /usr/share/java/HdrHistogram.jar; do
	[ -z "$jar" ] && [ -r "$j" ] && jar=$j
done
[ -n "$jar" ] && [ ! -r "$jar" ] && jar=""
if ! command -v java >/dev/null || [ -z "$jar" ]; then
	echo "0 passed, 0 failed (SKIP: needs java and HdrHistogram's jar: apt-get install default-jre-headless libhdrhistogram-java)"
	exit 0
fi
if [ ! -x "$bin" ]; then
	echo "FAIL: $bin not built (make $bin)"
	echo "0 passed, 1 failed"
	exit 1
fi
. tests/tlib.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check=(java -cp "$jar" tests/interop/HdrCheck.java)
if command -v javac >/dev/null && javac -d "$tmp" -cp "$jar" tests/interop/HdrCheck.java 2>"$tmp/javac.err"; then
	check=(java -cp "$tmp:$jar" HdrCheck)
fi

# want and got: lines "tag count p99_ns"; every tag of want in got, the
# count equal and the p99 within 0.1 %.
compare() { # what, want file, got file
	local tag count p99 gcount gp99
	while read -r tag count p99; do
		read -r gcount gp99 < <(awk -v t="$tag" '$1 == t {print $2, $3}' "$3")
		if [ "${gcount:-}" = "$count" ]; then ok; else bad "$1 $tag: count ${gcount:-none}, want $count"; fi
		if awk -v a="${gp99:-0}" -v b="$p99" 'BEGIN {d = a - b; if (d < 0) d = -d; exit !(d <= b * 0.001)}'; then
			ok
		else
			bad "$1 $tag: p99 ${gp99:-none} ns, want $p99 ns (0.1 %)"
		fi
	done <"$2"
}

if "$bin" --log "$tmp/c.hlog" >"$tmp/c.want" && [ -s "$tmp/c.want" ]; then ok; else bad "test_hdr --log"; fi
"${check[@]}" read "$tmp/c.hlog" >"$tmp/c.got" 2>"$tmp/c.err" || bad "HdrCheck read: $(head -n 3 "$tmp/c.err")"
echo "  java HistogramLogReader on mcpload's log:" && sed 's/^/    /' "$tmp/c.got"
compare "Java reading mcpload's log:" "$tmp/c.want" "$tmp/c.got"

"${check[@]}" write "$tmp/j.hlog" >"$tmp/j.want" 2>"$tmp/j.err" || bad "HdrCheck write: $(head -n 3 "$tmp/j.err")"
"$bin" --read "$tmp/j.hlog" >"$tmp/j.got" || bad "test_hdr --read of Java's log"
echo "  test_hdr --read on HistogramLogWriter's log:" && sed 's/^/    /' "$tmp/j.got"
compare "mcpload reading Java's log:" "$tmp/j.want" "$tmp/j.got"

# HdrHistogram's own log tool: the tagged series' total count
want=$(awk '$1 == "GET_/a_b" {print $2}' "$tmp/c.want")
if java -cp "$jar" org.HdrHistogram.HistogramLogProcessor -i "$tmp/c.hlog" -tag GET_/a_b 2>&1 |
	grep -Eq "Total count += +$want\]"; then
	ok
else
	bad "HistogramLogProcessor -tag GET_/a_b: no 'Total count = $want'"
fi

# A real run's --hdr-log: HdrHistogram's reader finds the run's requests
# (untagged: every label; tagged: the label) and its p99 within the log's
# 2 significant digits (0.8 %) of the JSON's.
mcpload=${MCPLOAD:-build/mcpload}
start_target "$tmp/target.out" || bad "mcpload-target did not start"
"$mcpload" http "http://127.0.0.1:${port:-1}/health" -R 400 -d 3s -c 8 --hdr-log "$tmp/run.hlog" \
	--json "$tmp/run.json" -q
kill "$tpid" 2>/dev/null
"${check[@]}" read "$tmp/run.hlog" >"$tmp/run.got" 2>"$tmp/run.err" || bad "HdrCheck read of a run's log: $(head -n 3 "$tmp/run.err")"
echo "  java HistogramLogReader on a run's --hdr-log:" && sed 's/^/    /' "$tmp/run.got"
requests=$(sed -n 's/^  "requests": \([0-9]*\),$/\1/p' "$tmp/run.json" | head -n 1)
p99=$(awk '/"latency_ms": \{/ {l = 1} l && /"p99":/ {gsub(/[",]/, "", $2); print $2 * 1e6; exit}' "$tmp/run.json")
for tag in - /health; do
	read -r gcount gp99 < <(awk -v t="$tag" '$1 == t {print $2, $3}' "$tmp/run.got")
	if [ -n "${requests:-}" ] && [ "${gcount:-}" = "$requests" ]; then ok; else bad "run log $tag: count ${gcount:-none}, the JSON ${requests:-none}"; fi
	if awk -v a="${gp99:-0}" -v b="${p99:-0}" 'BEGIN {d = a - b; if (d < 0) d = -d; exit !(b > 0 && d <= b * 0.009)}'; then
		ok
	else
		bad "run log $tag: p99 ${gp99:-none} ns, the JSON ${p99:-none} ns (0.9 %)"
	fi
done

done_line
