# bench-lib.sh — sourced by the Locust comparisons (bench-scenario.sh,
# bench-mcp.sh): logging, Locust and GNU time installed when missing, and a
# counter read from the reference target's /metrics.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Debian's python3-locust is for the system python, not a pyenv one on PATH.
PY=${LOCUST_PYTHON:-/usr/bin/python3}
bench_tools() {
	if ! "$PY" -c 'import locust' 2>/dev/null; then
		log "installing python3-locust"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-locust >/dev/null
	fi
	[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
	make -s build/mcpload build/mcpload-target
}

# metric_sum PORT PREFIX [SUBSTRING]: the sum of the /metrics samples whose
# line starts with PREFIX (and contains SUBSTRING).
metric_sum() {
	python3 - "$@" <<'PY'
import socket, sys
port, prefix = int(sys.argv[1]), sys.argv[2]
want = sys.argv[3] if len(sys.argv) > 3 else ""
s = socket.create_connection(("127.0.0.1", port), 2)
s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
d = b""
while True:
    b = s.recv(65536)
    if not b: break
    d += b
n = 0
for line in d.decode().split("\r\n\r\n", 1)[1].splitlines():
    if line.startswith(prefix) and want in line:
        n += int(float(line.split()[-1]))
print(n)
PY
}
