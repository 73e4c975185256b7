# bench-lib.sh — sourced by the benchmark scripts: logging, Locust and GNU
# time installed when missing, a counter read from the reference target's
# /metrics, and nginx's own request count around a timed client run
# (bench-vs-wrk.sh, bench-tls.sh).

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

# nginx_served PORT: the requests nginx has handled, from its stub_status
# at http://127.0.0.1:PORT/status.
nginx_served() {
	python3 - "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2)
s.sendall(b"GET /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
d = b""
while True:
    b = s.recv(4096)
    if not b: break
    d += b
print(d.decode().split("\r\n\r\n", 1)[1].splitlines()[2].split()[2])
PY
}

# measure_run TOOL STATUS_PORT CMD...: CMD pinned to $CLIENT_CPU under GNU
# time (its output in $WORK/TOOL.out and .err); prints "TOOL user_s sys_s
# requests", the requests nginx counted meanwhile (its status request
# itself left out).
measure_run() {
	local tool=$1 port=$2 before after t
	shift 2
	before=$(nginx_served "$port")
	{ /usr/bin/time -f "%U %S" taskset -c "$CLIENT_CPU" "$@" >"$WORK/$tool.out" 2>"$WORK/$tool.err"; } 2>&1 || true
	t=$(tail -n 1 "$WORK/$tool.err")
	after=$(nginx_served "$port")
	echo "$tool $t $((after - before - 1))"
}

# need_pkgs CMD:PACKAGE ...: apt-get installs the packages whose command is
# missing (as root), else says what to install and exits 1.
need_pkgs() {
	local missing="" c
	for c in "$@"; do
		command -v "${c%%:*}" >/dev/null || [ -x "${c%%:*}" ] || missing="$missing ${c#*:}"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" = 0 ]; then
		log "apt-get install$missing"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
	else
		echo "bench: missing$missing; run: sudo apt-get install -y$missing" >&2
		exit 1
	fi
}

# nginx_up PORT: nginx with $WORK/nginx/nginx.conf, pinned to $SERVER_CPU,
# in the background (NGINX_PID), once PORT accepts; exits 1 if it never does.
NGINX_PID=""
nginx_up() {
	# a port someone else listens on would pass the check below while this
	# nginx fails to bind: the figures would be another server's
	if python3 -c "import socket;socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null; then
		echo "bench: port $1 is already in use: stop what listens there" >&2
		exit 1
	fi
	taskset -c "$SERVER_CPU" nginx -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" &
	NGINX_PID=$!
	for _ in $(seq 50); do
		kill -0 "$NGINX_PID" 2>/dev/null || break
		python3 -c "import socket;socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "bench: nginx did not start (port $1 busy?)" >&2
	exit 1
}
nginx_stop() { [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true; }
