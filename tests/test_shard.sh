#!/usr/bin/env bash
# The sharded run's packaging, without a cluster or mcpload itself
# (docs/distributed.md): tools/mcpload-shard turns a pod's and a Slurm
# task's environment into the right --shard I/N and file names (--dry-run
# prints the command it would exec) and refuses what does not say which
# shard this is; the Kubernetes manifests parse and give the entry script
# what it reads (the count in three places alike, the results volume where
# MCPLOAD_RESULTS points, the seccomp profile); the profile parses, allows
# io_uring and refuses by default. Without python3's yaml module: those
# checks SKIP, said on the closing line.
set -u
cd "$(dirname "$0")/.."
. tests/tlib.sh
shard=${MCPLOAD_SHARD_SCRIPT:-tools/mcpload-shard}
skip=""
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_shard VAR=VALUE... -- ARGS...: the entry script in a clean
# environment (the test itself may run under srun or in a pod); sets out,
# err and rc.
run_shard() {
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	out=$(env -i PATH="$PATH" "${envs[@]}" "$shard" "$@" 2>"$tmp/err")
	rc=$?
	err=$(cat "$tmp/err")
}
want_cmd() { # what, expected command line
	if [ "$rc" = 0 ] && [ "$out" = "$2" ]; then ok; else bad "$1: exit $rc, '$out' $err; want '$2'"; fi
}
want_err() { # what, pattern of the one-line error
	local lines
	lines=$(printf '%s\n' "$err" | grep -c .)
	if [ "$rc" = 2 ] && [ -z "$out" ] && [ "$lines" = 1 ] && printf '%s' "$err" | grep -q -- "$2"; then
		ok
	else
		bad "$1: exit $rc, stdout '$out', stderr '$err'; want exit 2 and one line with '$2'"
	fi
}

# (a) the mapping
run_shard JOB_COMPLETION_INDEX=2 MCPLOAD_SHARDS=4 MCPLOAD_RESULTS=/results \
	MCPLOAD_START_AT=2026-12-03T00:10:00Z -- --dry-run http http://svc:8080/health -R 400 -d 5s
want_cmd "Indexed Job pod 2 of 4" "mcpload http http://svc:8080/health -R 400 -d 5s --shard 2/4 --start-at 2026-12-03T00:10:00Z --json /results/shard-2.json --hdr-log /results/shard-2.hlog"
run_shard SLURM_PROCID=1 SLURM_NTASKS=4 MCPLOAD_RESULTS=/shared/r MCPLOAD=/opt/mcpload -- --dry-run run tasks -u 40
want_cmd "Slurm task 1 of 4" "/opt/mcpload run tasks -u 40 --shard 1/4 --json /shared/r/shard-1.json --hdr-log /shared/r/shard-1.hlog"
run_shard MCPLOAD_DRY_RUN=1 MCPLOAD_START_AT=1796256000.25 SLURM_PROCID=0 SLURM_NTASKS=1 MCPLOAD_RESULTS=/r -- http u
want_cmd "MCPLOAD_DRY_RUN=1, epoch start, one task" "mcpload http u --shard 0/1 --start-at 1796256000.25 --json /r/shard-0.json --hdr-log /r/shard-0.hlog"
run_shard MCPLOAD_SHARD=3/8 SLURM_PROCID=1 SLURM_NTASKS=4 JOB_COMPLETION_INDEX=2 MCPLOAD_SHARDS=4 \
	MCPLOAD_RESULTS=/r -- --dry-run http u
want_cmd "MCPLOAD_SHARD wins over Slurm and the Job" "mcpload http u --shard 3/8 --json /r/shard-3.json --hdr-log /r/shard-3.hlog"
run_shard SLURM_PROCID=1 SLURM_NTASKS=4 JOB_COMPLETION_INDEX=2 MCPLOAD_SHARDS=4 MCPLOAD_RESULTS=/r -- --dry-run http u
want_cmd "Slurm before the Job" "mcpload http u --shard 1/4 --json /r/shard-1.json --hdr-log /r/shard-1.hlog"
run_shard JOB_COMPLETION_INDEX=07 MCPLOAD_SHARDS=10 MCPLOAD_RESULTS=/r -- --dry-run http 'http://h/a b'
want_cmd "index 07 is 7, not octal; an argument with a space quoted" "mcpload http http://h/a\\ b --shard 7/10 --json /r/shard-7.json --hdr-log /r/shard-7.hlog"

# (a) the refusals: exit 2, one line
run_shard JOB_COMPLETION_INDEX=4 MCPLOAD_SHARDS=4 MCPLOAD_RESULTS=/r -- --dry-run http u
want_err "index 4 of 4" "index 4 is outside 0..3"
run_shard MCPLOAD_SHARD=4/4 MCPLOAD_RESULTS=/r -- --dry-run http u
want_err "MCPLOAD_SHARD=4/4" "index 4 is outside 0..3"
run_shard JOB_COMPLETION_INDEX=1 MCPLOAD_RESULTS=/r -- --dry-run http u
want_err "pod without MCPLOAD_SHARDS" "MCPLOAD_SHARDS is not set"
run_shard SLURM_PROCID=1 MCPLOAD_RESULTS=/r -- --dry-run http u
want_err "Slurm task without SLURM_NTASKS" "SLURM_NTASKS is not set"
run_shard JOB_COMPLETION_INDEX=1 MCPLOAD_SHARDS=4 -- --dry-run http u
want_err "no MCPLOAD_RESULTS" "MCPLOAD_RESULTS is not set"
run_shard MCPLOAD_SHARD=x/4 MCPLOAD_RESULTS=/r -- --dry-run http u
want_err "index not a number" "not a number"
run_shard JOB_COMPLETION_INDEX=1 MCPLOAD_SHARDS=four MCPLOAD_RESULTS=/r -- --dry-run http u
want_err "count not a number" "not a number"
run_shard MCPLOAD_SHARD=2 MCPLOAD_RESULTS=/r -- --dry-run http u
want_err "MCPLOAD_SHARD without /N" "want I/N"
run_shard MCPLOAD_SHARD=0/0 MCPLOAD_RESULTS=/r -- --dry-run http u
want_err "count 0" "at least 1"
run_shard MCPLOAD_RESULTS=/r -- --dry-run http u
want_err "no scheduler at all" "which shard"

# (a) merge mode: every shard file of the directory, extra arguments passed on
touch "$tmp/shard-0.json" "$tmp/shard-1.json" "$tmp/shard-3.json" "$tmp/shard-1.hlog"
run_shard MCPLOAD_RESULTS="$tmp" -- --dry-run merge --junit "$tmp/merged.xml"
want_cmd "merge" "mcpload merge $tmp/merged.json $tmp/shard-0.json $tmp/shard-1.json $tmp/shard-3.json --junit $tmp/merged.xml"
run_shard MCPLOAD_RESULTS="$tmp/none" -- --dry-run merge
if [ "$rc" = 3 ] && printf '%s' "$err" | grep -q 'no shard-\*.json'; then ok; else bad "merge of nothing: exit $rc, '$err'"; fi
# Without --dry-run it execs $MCPLOAD with the arguments it printed.
printf '#!/bin/sh\nprintf "%%s|" "$@" > "%s/argv"\n' "$tmp" >"$tmp/fake"
chmod +x "$tmp/fake"
run_shard MCPLOAD="$tmp/fake" JOB_COMPLETION_INDEX=1 MCPLOAD_SHARDS=2 MCPLOAD_RESULTS="$tmp/new" -- http u
got=$(cat "$tmp/argv" 2>/dev/null)
if [ "$rc" = 0 ] && [ "$got" = "http|u|--shard|1/2|--json|$tmp/new/shard-1.json|--hdr-log|$tmp/new/shard-1.hlog|" ] &&
	[ -d "$tmp/new" ]; then ok; else bad "exec: exit $rc, argv '$got', $err"; fi

# (b), (c): the manifests and the seccomp profile, read by python3.
if ! command -v python3 >/dev/null || ! python3 -c 'import yaml' 2>/dev/null; then
	skip=" (SKIP the manifests: needs python3's yaml: apt-get install python3-yaml)"
else
	python3 - tools/k8s/job.yaml tools/k8s/merge-job.yaml tools/k8s/seccomp-io_uring.json >"$tmp/py" 2>&1 <<'EOF'
import json, sys, yaml

def check(what, cond):
    print(("PASS " if cond else "FAIL ") + what)

job_docs = list(yaml.safe_load_all(open(sys.argv[1])))
merge_docs = list(yaml.safe_load_all(open(sys.argv[2])))
pvcs = {d["metadata"]["name"] for d in job_docs if d and d["kind"] == "PersistentVolumeClaim"}
jobs = [d for d in job_docs if d and d["kind"] == "Job"]
check("job.yaml: one Job and the results PVC", len(jobs) == 1 and len(pvcs) == 1)
pvc = next(d for d in job_docs if d and d["kind"] == "PersistentVolumeClaim")
check("the PVC is ReadWriteMany (pods on several nodes write it)",
      "ReadWriteMany" in pvc["spec"]["accessModes"])

def env_of(c):
    return {e["name"]: e.get("value") for e in c.get("env", [])}

def mounted(pod, c, path):
    """the volume mounted at path, when it is one of pvcs"""
    vols = {v["name"]: v for v in pod.get("volumes", [])}
    for m in c.get("volumeMounts", []):
        if m["mountPath"].rstrip("/") == path.rstrip("/"):
            v = vols.get(m["name"], {})
            return v.get("persistentVolumeClaim", {}).get("claimName") in pvcs
    return False

def seccomp_ok(pod, c):
    sp = (c.get("securityContext") or {}).get("seccompProfile") or \
         (pod.get("securityContext") or {}).get("seccompProfile") or {}
    return sp.get("type") == "Localhost" and \
        sp.get("localhostProfile", "").endswith("seccomp-io_uring.json")

spec = jobs[0]["spec"]
pod = spec["template"]["spec"]
c = pod["containers"][0]
env = env_of(c)
check("completionMode Indexed", spec.get("completionMode") == "Indexed")
n = spec.get("completions")
check("completions == parallelism == MCPLOAD_SHARDS (%s, %s, %s)"
      % (n, spec.get("parallelism"), env.get("MCPLOAD_SHARDS")),
      isinstance(n, int) and n >= 1 and spec.get("parallelism") == n
      and str(env.get("MCPLOAD_SHARDS")) == str(n))
check("restartPolicy Never", pod.get("restartPolicy") == "Never")
check("a backoff limit is set", "backoffLimit" in spec or "backoffLimitPerIndex" in spec)
check("MCPLOAD_START_AT set", bool(env.get("MCPLOAD_START_AT")))
check("the results volume is mounted where MCPLOAD_RESULTS points (%s)" % env.get("MCPLOAD_RESULTS"),
      bool(env.get("MCPLOAD_RESULTS")) and mounted(pod, c, env["MCPLOAD_RESULTS"]))
check("the seccomp profile: Localhost seccomp-io_uring.json", seccomp_ok(pod, c))
args = c.get("args") or []
check("the shards' args are mcpload's (http or run), not merge",
      bool(args) and args[0] in ("http", "run") and "--shard" not in args and "--json" not in args)
check("no command: the image's entry point mcpload-shard runs", "command" not in c)

mjobs = [d for d in merge_docs if d and d["kind"] == "Job"]
check("merge-job.yaml: one Job", len(mjobs) == 1)
mpod = mjobs[0]["spec"]["template"]["spec"]
mc = mpod["containers"][0]
menv = env_of(mc)
check("the merge runs mcpload-shard merge", (mc.get("args") or [""])[0] == "merge")
check("the merge reads the same results volume at its MCPLOAD_RESULTS",
      bool(menv.get("MCPLOAD_RESULTS")) and mounted(mpod, mc, menv["MCPLOAD_RESULTS"]))
check("the merge's image is the shards'", mc.get("image") == c.get("image"))
check("the merge pod has the seccomp profile too", seccomp_ok(mpod, mc))

prof = json.load(open(sys.argv[3]))
check("seccomp: defaultAction is not ALLOW (%s)" % prof.get("defaultAction"),
      prof.get("defaultAction") in ("SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
                                    "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP"))
allowed = set()
for r in prof.get("syscalls", []):
    if r.get("action") == "SCMP_ACT_ALLOW" and not r.get("args") \
       and not r.get("includes") and not r.get("excludes"):
        allowed |= set(r["names"])
for s in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
    check("seccomp: %s allowed unconditionally" % s, s in allowed)
check("seccomp: moby's default list is there (read, write, epoll_wait, clock_nanosleep, ...)",
      {"read", "write", "epoll_wait", "clock_nanosleep", "connect", "exit_group", "futex"} <= allowed and len(allowed) > 300)
check("seccomp: no mount, unshare, setns, bpf (moby allows them only with CAP_SYS_ADMIN)",
      not ({"mount", "unshare", "setns", "bpf"} & allowed))
check("seccomp: the OCI form (no archMap, includes or excludes: containerd ignores them)",
      "archMap" not in prof and prof.get("architectures")
      and not any("includes" in r or "excludes" in r for r in prof["syscalls"]))
EOF
	while read -r verdict what; do
		case $verdict in
		PASS) ok ;;
		FAIL) bad "$what" ;;
		*) bad "python3: $verdict $what" ;;
		esac
	done <"$tmp/py"
	grep -q . "$tmp/py" || bad "python3 printed nothing"
	echo "  manifests and profile: $(grep -c '^PASS' "$tmp/py") checks held"
fi

echo "$passed passed, $failed failed$skip"
[ "$failed" -eq 0 ]
