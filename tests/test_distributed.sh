#!/usr/bin/env bash
# A sharded run for real (make test-distributed; docs/distributed.md): a
# Slurm cluster of 4 nodes on this machine (tools/slurm-local.sh), the
# reference target in a network namespace of its own, and 4 shards run as
# ONE srun step through tools/mcpload-shard, each in its own namespace with
# a veth pair to the target's, all starting at a common MCPLOAD_START_AT.
# Then mcpload merge: the merged request count is the sum of the shards'
# and what the target counted, the merged p99 is that of the shards'
# histograms added (recomputed with HdrHistogram's Java library), the start
# skew is reported. A second run kills shard 2's mcpload mid-run: the merge
# must name it and exit 3. Everything started here is stopped by PID, the
# namespaces deleted, on any outcome.
#
# Needs root (namespaces, daemons). Each shard runs one thread and its
# on-time bar is 90 %, not 99: here 4 shards and the target share 2 CPUs.
set -u
cd "$(dirname "$0")/.."
. tests/tlib.sh
root=$(pwd -P)
if [ "$(id -u)" != 0 ]; then
	echo "0 passed, 0 failed (SKIP: needs root: network namespaces and the Slurm daemons)"
	exit 0
fi
mcpload=$(realpath "${MCPLOAD:-build/mcpload}")
target=$(realpath "${MCPLOAD_TARGET:-build/mcpload-target}")
for b in "$mcpload" "$target"; do
	[ -x "$b" ] || {
		echo "FAIL: $b not built (make build/mcpload build/mcpload-target)"
		echo "0 passed, 1 failed"
		exit 1
	}
done
N=4
RATE=400
skip=""
check() { # what, command...
	local what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}

tmp=$(mktemp -d)
chmod 755 "$tmp"
tag=mcpl$$
netns=()
tpid=
cluster=
cleanup() {
	[ -n "$tpid" ] && kill "$tpid" 2>/dev/null && wait "$tpid" 2>/dev/null
	[ -n "$cluster" ] && tools/slurm-local.sh stop "$cluster" >"$tmp/stop.log" 2>&1
	for ns in "${netns[@]}"; do ip netns del "$ns" 2>/dev/null; done
	if [ -n "${KEEP:-}" ]; then echo "  kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# The PASS/FAIL/INFO lines a python check printed, counted.
verdicts() {
	while read -r verdict what; do
		case $verdict in
		PASS) ok ;;
		FAIL) bad "$what" ;;
		INFO) echo "  $what" ;;
		*) bad "python3: $verdict $what" ;;
		esac
	done <"$1"
}
fatal() {
	bad "$*"
	echo "$passed passed, $failed failed"
	exit 1
}

# This mcpload must shard: --shard/--start-at on http, the merge command.
"$mcpload" http --help 2>&1 | grep -q -- '--shard' || fatal "$mcpload has no --shard"
"$mcpload" merge --help >/dev/null 2>&1 || fatal "$mcpload has no merge command"
real=1
shard_mcpload=$mcpload
export REAL_MCPLOAD=$mcpload

# --- the cluster ------------------------------------------------------------
cluster=$tmp/slurm
tools/slurm-local.sh start "$N" "$cluster" >"$tmp/start.log" 2>&1 || fatal "slurm-local.sh start: $(tail -n 1 "$tmp/start.log")"
. "$cluster/env.sh"
export SLURM_CONF
ok

# --- the network: namespaces made here, nothing else ------------------------
# The target's namespace T holds 10.200.255.1 on its loopback; shard I's
# namespace reaches it over a veth pair 10.200.I.2 -> 10.200.I.1 (in T).
T=${tag}t
ip netns add "$T" && netns+=("$T") || fatal "ip netns add $T"
ip -n "$T" link set lo up
ip -n "$T" addr add 10.200.255.1/32 dev lo
for i in $(seq 0 $((N - 1))); do
	S=${tag}s$i
	ip netns add "$S" && netns+=("$S") || fatal "ip netns add $S"
	ip -n "$S" link set lo up
	ip link add "v$i" netns "$T" type veth peer name eth0 netns "$S" || fatal "veth $i"
	ip -n "$T" addr add "10.200.$i.1/24" dev "v$i"
	ip -n "$S" addr add "10.200.$i.2/24" dev eth0
	ip -n "$T" link set "v$i" up
	ip -n "$S" link set eth0 up
	ip -n "$S" route add 10.200.255.1/32 via "10.200.$i.1"
done
ip netns exec "$T" "$target" --listen 10.200.255.1:0 --allow-remote -t 1 >"$tmp/target.out" 2>&1 &
tpid=$!
port=
for _ in $(seq 100); do
	port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$tmp/target.out")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || fatal "mcpload-target did not start: $(head -n 1 "$tmp/target.out")"
base=http://10.200.255.1:$port
for i in $(seq 0 $((N - 1))); do
	check "shard namespace $i reaches the target" \
		ip netns exec "${tag}s$i" curl -sf -o /dev/null --max-time 5 "$base/metrics"
done
check "the root namespace does not reach the target" \
	test "$(curl -s -o /dev/null --max-time 1 -w '%{http_code}' "$base/metrics")" = 000
health_count() { # the target's mcp_http_requests_total for route health, all codes
	ip netns exec "${tag}s0" curl -sf --max-time 5 "$base/metrics" |
		awk '/^mcp_http_requests_total\{route="health"/ {n += $2} END {print n + 0}'
}

# --- a run: one srun step, 4 tasks, each in its namespace -------------------
# run_shards DIR [MCPLOAD]: the step's exit status in $srun_rc, output in DIR.out
run_shards() {
	local dir=$1 mc=${2:-$shard_mcpload}
	mkdir -p "$dir"
	MCPLOAD_RESULTS=$dir MCPLOAD=$mc \
		MCPLOAD_START_AT=$(awk -v t="$(date +%s.%N)" 'BEGIN {printf "%.3f", t + 4}') \
		timeout 120 srun -N"$N" -n"$N" --ntasks-per-node=1 --kill-on-bad-exit=0 \
		bash -c 'exec ip netns exec '"$tag"'s$SLURM_PROCID '"$root"'/tools/mcpload-shard "$@"' shard \
		http "$base/health" -R "$RATE" -d 5s -c 32 -t 1 --on-time 90 -q >"$dir.out" 2>&1
	srun_rc=$?
}

before=$(health_count)
run_shards "$tmp/run1"
counted=$(($(health_count) - before))
# 3: a shard's generator was woken late by a busy machine (or a busy host
# under this VM); it still measured, said so, and the merge must say it too
late=0
if [ "$srun_rc" = 3 ] && ! grep -q 'INCONCLUSIVE' "$tmp/run1.out"; then late=bad; fi
[ "$srun_rc" = 3 ] && [ "$late" = 0 ] && grep -q 'woke the generator late' "$tmp/run1.out" && late=1
check "srun step of $N shards: exit $srun_rc (0, or 3 with a late generator named)" \
	test "$srun_rc" = 0 -o "$late" = 1
[ "$srun_rc" = 0 ] || sed 's/^/  shard output: /' "$tmp/run1.out" | tail -n 20
[ "$srun_rc" = 0 ] || sed 's/^/    /' "$tmp/run1.out" | tail -n 20

python3 - "$tmp/run1" "$N" "$RATE" "$real" >"$tmp/run1.py" 2>&1 <<'EOF'
import glob, json, os, sys
d, n, rate, real = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
def check(what, cond): print(("PASS " if cond else "FAIL ") + what)
shards = {}
for i in range(n):
    p = os.path.join(d, "shard-%d.json" % i)
    check("shard-%d.json written" % i, os.path.exists(p))
    if os.path.exists(p):
        shards[i] = json.load(open(p))
total = sum(s.get("requests", 0) for s in shards.values())
print("INFO requests by shard: %s, sum %d" % ([shards[i].get("requests") for i in sorted(shards)], total))
with open(os.path.join(d, "sum"), "w") as f: f.write("%d\n" % total)
for i, s in shards.items():
    r = s.get("requests_per_s", 0)
    check("shard %d sent its share, %d/s: %.1f/s" % (i, rate // n, r), abs(r - rate / n) <= 0.1 * rate / n)
    # each shard's whole-run histogram, one base64 line per label
    with open(os.path.join(d, "dist-%d" % i), "w") as f:
        for l in s.get("labels", []):
            h = (l.get("latency_distribution") or {}).get("histogram")
            if h: f.write(h + "\n")
if real:
    for i, s in shards.items():
        sh = s.get("shard") or {}
        check("shard %d: shard.index/count %s/%s" % (i, sh.get("index"), sh.get("count")),
              sh.get("index") == i and sh.get("count") == n)
        check("shard %d: started on time (status %s, %s ms late)" % (i, sh.get("status"), sh.get("start_late_ms")),
              sh.get("status") not in ("late", "after_end", None)
              and isinstance(sh.get("start_late_ms"), (int, float)) and sh["start_late_ms"] < 2000)
        check("shard %d: run_digest" % i, bool(s.get("run_digest")))
    digests = {s.get("run_digest") for s in shards.values()}
    check("one run_digest for all shards", len(digests) == 1)
    for i in range(n):
        check("shard-%d.hlog written" % i, os.path.exists(os.path.join(d, "shard-%d.hlog" % i)))
EOF
verdicts "$tmp/run1.py"
sum=$(cat "$tmp/run1/sum" 2>/dev/null || echo 0)
echo "  the target counted $counted /health requests, the shards $sum"
check "the shards' requests ($sum) = what the target counted ($counted)" test "$sum" = "$counted" -a "$sum" -gt 0

# --- HdrHistogram's Java library as the oracle of the addition ---------------
jar=
for j in /usr/share/java/hdrhistogram.jar /usr/share/java/HdrHistogram.jar; do
	[ -z "$jar" ] && [ -r "$j" ] && jar=$j
done
if command -v java >/dev/null && [ -n "$jar" ]; then
	cat >"$tmp/HdrAdd.java" <<'EOF'
// HdrAdd FILE...: each line of each file a histogram in HdrHistogram's V2
// compressed base64; prints "count p99_ns" of their sum.
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.HdrHistogram.Histogram;

public class HdrAdd {
	public static void main(String[] a) throws Exception {
		Histogram sum = new Histogram(3);
		for (String f : a)
			for (String s : Files.readAllLines(Path.of(f)))
				if (!s.isBlank())
					sum.add(Histogram.decodeFromCompressedByteBuffer(
					    ByteBuffer.wrap(Base64.getDecoder().decode(s.trim())), 0));
		System.out.println(sum.getTotalCount() + " " + sum.getValueAtPercentile(99.0));
	}
}
EOF
	hdradd=(java -cp "$jar" "$tmp/HdrAdd.java")
	if command -v javac >/dev/null && javac -d "$tmp" -cp "$jar" "$tmp/HdrAdd.java" 2>/dev/null; then
		hdradd=(java -cp "$tmp:$jar" HdrAdd)
	fi
	hdrcheck=(java -cp "$jar" tests/interop/HdrCheck.java)
	read -r acount ap99 < <("${hdradd[@]}" "$tmp"/run1/dist-* 2>"$tmp/java.err")
	echo "  Java: the $N shards' histograms added: ${acount:-none} requests, p99 ${ap99:-none} ns"
	check "the shards' histograms add up to their requests (${acount:-none}, $sum)" test "${acount:-x}" = "$sum"
	if [ "$real" = 1 ]; then
		# the shards' interval logs, read by HdrHistogram's HistogramLogReader
		hsum=0
		for i in $(seq 0 $((N - 1))); do
			c=$("${hdrcheck[@]}" read "$tmp/run1/shard-$i.hlog" 2>/dev/null | awk '$1 == "-" {print $2}')
			hsum=$((hsum + ${c:-0}))
		done
		check "the shards' --hdr-log hold their requests ($hsum, $sum)" test "$hsum" = "$sum"
	fi
else
	ap99=
	skip="$skip (SKIP the Java oracle: apt-get install default-jre-headless libhdrhistogram-java)"
fi

# --- the merge ---------------------------------------------------------------
if [ "$real" = 1 ]; then
	MCPLOAD_RESULTS=$tmp/run1 MCPLOAD=$mcpload tools/mcpload-shard merge \
		--html "$tmp/run1/merged.html" --csv "$tmp/run1/merged" >"$tmp/merge1.out" 2>&1
	rc=$?
	check "mcpload merge: exit $rc: $(tail -n 1 "$tmp/merge1.out")" \
		test "$rc" = 0 -o \( "$late" = 1 -a "$rc" = 3 \)
	[ "$late" = 1 ] && check "the merge says a shard's generator was late" \
		grep -q 'INCONCLUSIVE.*shard [0-9]*: .*late' "$tmp/merge1.out"
	check "the merged HTML page says $N of $N shards merged" grep -q "$N of $N merged" "$tmp/run1/merged.html"
	check "the merged Locust CSV counts the shards' $sum requests" \
		grep -q "^GET,/health,$sum,0," "$tmp/run1/merged_stats.csv"
	python3 - "$tmp/run1/merged.json" "$sum" "$counted" "${ap99:-}" >"$tmp/merge1.py" 2>&1 <<'EOF'
import json, sys
def check(what, cond): print(("PASS " if cond else "FAIL ") + what)
m = json.load(open(sys.argv[1]))
total, counted, ap99 = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
check("merged requests %s = the shards' %d = the target's %d" % (m.get("requests"), total, counted),
      m.get("requests") == total == counted)
p99 = (m.get("latency_ms") or {}).get("p99")
if ap99:
    ap99 = float(ap99)
    check("merged p99 %s ms = the added histograms' %.6f ms (0.1 %%)" % (p99, ap99 / 1e6),
          isinstance(p99, (int, float)) and abs(p99 * 1e6 - ap99) <= 0.001 * ap99)
with open(sys.argv[1] + ".dist", "w") as f:
    for l in m.get("labels", []):
        h = (l.get("latency_distribution") or {}).get("histogram")
        if h: f.write(h + "\n")
skew = []
def walk(o, path):
    if isinstance(o, dict):
        for k, v in o.items():
            if "skew" in k and isinstance(v, (int, float)): skew.append((path + k, v))
            walk(v, path + k + ".")
    elif isinstance(o, list):
        for x in o: walk(x, path)
walk(m, "")
check("the merged JSON reports the start skew %s" % skew, bool(skew))
tl = m.get("timeline", [])
check("the merged seconds add up to the requests (%d)" % sum(s.get("requests", 0) for s in tl),
      sum(s.get("requests", 0) for s in tl) == total)
for k, v in skew: print("INFO start skew: %s = %s" % (k, v))
EOF
	verdicts "$tmp/merge1.py"
	if [ -n "${ap99:-}" ]; then
		read -r mcount mp99 < <("${hdradd[@]}" "$tmp/run1/merged.json.dist" 2>/dev/null)
		check "the merged distribution is the shards' added, bucket for bucket (count ${mcount:-none}/$acount, p99 ${mp99:-none}/$ap99 ns)" \
			test "${mcount:-x} ${mp99:-x}" = "$acount $ap99"
	fi
fi

# --- a shard killed mid-run ---------------------------------------------------
# Task 2's mcpload is killed (SIGKILL, by its PID, inside the task) 2 s into
# the run: it writes nothing; the other shards run to the end.
cat >"$tmp/killer" <<EOF
#!/usr/bin/env bash
[ "\$SLURM_PROCID" = 2 ] || exec "$shard_mcpload" "\$@"
"$shard_mcpload" "\$@" &
pid=\$!
sleep "\$(awk -v a="\$MCPLOAD_START_AT" -v b="\$(date +%s.%N)" 'BEGIN {d = a - b + 2; print (d > 0 ? d : 0)}')"
kill -KILL "\$pid"
wait "\$pid"
EOF
chmod +x "$tmp/killer"
run_shards "$tmp/run2" "$tmp/killer"
check "srun step with shard 2 killed: exit non-zero ($srun_rc)" test "$srun_rc" != 0
for i in 0 1 3; do
	check "run 2: shard $i ran to the end" test -s "$tmp/run2/shard-$i.json"
done
check "run 2: shard 2 wrote no result" test ! -e "$tmp/run2/shard-2.json"
if [ "$real" = 1 ]; then
	MCPLOAD_RESULTS=$tmp/run2 MCPLOAD=$mcpload tools/mcpload-shard merge >"$tmp/merge2.out" 2>&1
	rc=$?
	echo "  merge of run 2 (exit $rc): $(grep -m 1 'expected' "$tmp/merge2.out" || tail -n 1 "$tmp/merge2.out")"
	check "merge with shard 2 missing: exit 3 ($rc)" test "$rc" = 3
	check "merge names shard 2 as missing" grep -Eq '(\b2\b.*missing|missing.*\b2\b)' "$tmp/merge2.out"
	check "merge says it expected $N shards" grep -q "expected $N" "$tmp/merge2.out"
fi

echo "$passed passed, $failed failed$skip"
[ "$failed" -eq 0 ]
