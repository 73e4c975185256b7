# tlib.sh: what the shell tests share, sourced: the pass/fail counters
# with the closing line, and mcpload-target started on a free loopback port.
# Shell's own counterpart of t.h and tproc.h.

passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() {
	failed=$((failed + 1))
	echo "FAIL $*"
}
# The closing line tests/run.sh adds up; the status says whether all held.
done_line() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# Start $MCPLOAD_TARGET (or build/mcpload-target) on 127.0.0.1:0, its output
# in $1; sets tpid and port (empty when it did not say its port in 10 s).
start_target() {
	"${MCPLOAD_TARGET:-build/mcpload-target}" --listen 127.0.0.1:0 -t 1 >"$1" 2>&1 &
	tpid=$!
	port=
	for _ in $(seq 100); do
		port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$1")
		[ -n "$port" ] && return 0
		sleep 0.1
	done
	return 1
}
