#!/usr/bin/env bash
# make test (or the make target given) while a CPU hog runs on every core
# and one more, as on a shared CI runner: the tests must hold on a busy
# machine. The hogs are ordinary processes (yes > /dev/null) at the default
# priority; they stop with the run, whatever its outcome.
set -u
target=${1:-test}
n=$(nproc)
pids=()
for _ in $(seq 0 "$n"); do
	yes > /dev/null &
	pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
echo "test-busy: $((n + 1)) CPU hogs on $n CPUs, then make $target"
make "$target"
