#!/usr/bin/env python3
"""gen-seccomp.py MOBY_DEFAULT_JSON > tools/k8s/seccomp-io_uring.json

Makes mcpload's seccomp profile from moby's default one (github.com/moby/profiles,
seccomp/default.json: what Docker applies, and what containerd's built-in default
mirrors): the same rules, plus io_uring_setup, io_uring_enter and io_uring_register,
which those defaults refuse since moby/moby#46762 (Docker 25, containerd 1.7, 2023).

moby's file is in Docker's own format: rules that hold only for some capabilities
or architectures ("includes"/"excludes") and an "archMap". containerd reads a
Localhost profile as a plain OCI LinuxSeccomp and ignores those keys, so it would
apply every conditional rule to everyone (mount, unshare, bpf, ptrace allowed). So
this resolves them as Docker does for a container with the default capability set
(below) on amd64 or arm64, and writes the OCI form, which Docker, containerd and
CRI-O all read the same way. Rerun it when moby's default changes (docs/distributed.md).
"""
import json
import sys

# Docker's and containerd's default capabilities (moby oci/caps/defaults.go,
# containerd pkg/oci/spec.go): the rules that need any other are left out.
DEFAULT_CAPS = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
    "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
    "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
}
# The architectures the image is built for, in moby's names (Go's GOARCH) and
# libseccomp's: the native one and the compat ones the kernel also accepts.
ARCHES = {"amd64", "x32", "x86", "arm64", "arm"}
SECCOMP_ARCHES = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
                  "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"]
IO_URING = ["io_uring_enter", "io_uring_register", "io_uring_setup"]


def applies(rule):
    inc = rule.get("includes") or {}
    exc = rule.get("excludes") or {}
    if inc.get("caps") and not set(inc["caps"]) <= DEFAULT_CAPS:
        return False
    if inc.get("arches") and not set(inc["arches"]) & ARCHES:
        return False
    if exc.get("caps") and set(exc["caps"]) & DEFAULT_CAPS:
        return False
    if exc.get("arches") and set(exc["arches"]) <= ARCHES:
        return False
    # minKernel: every kernel with io_uring (5.1+) is newer than moby's (4.8).
    return True


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen-seccomp.py MOBY_DEFAULT_JSON > seccomp-io_uring.json")
    with open(sys.argv[1]) as f:
        moby = json.load(f)
    if moby.get("defaultAction") == "SCMP_ACT_ALLOW":
        sys.exit("gen-seccomp.py: that profile allows by default: not moby's default")
    out = {
        "defaultAction": moby["defaultAction"],
        "defaultErrnoRet": moby.get("defaultErrnoRet", 1),
        "architectures": SECCOMP_ARCHES,
        "syscalls": [],
    }
    for rule in moby["syscalls"]:
        if not applies(rule):
            continue
        r = {"names": rule["names"], "action": rule["action"]}
        for k in ("errnoRet", "args"):
            if rule.get(k) is not None:
                r[k] = rule[k]
        out["syscalls"].append(r)
    names = {n for r in out["syscalls"] if r["action"] == "SCMP_ACT_ALLOW" and "args" not in r
             for n in r["names"]}
    if not set(IO_URING) <= names:
        out["syscalls"].append({"names": IO_URING, "action": "SCMP_ACT_ALLOW"})
    json.dump(out, sys.stdout, indent="\t")
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
