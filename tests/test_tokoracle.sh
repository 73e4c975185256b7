#!/usr/bin/env bash
# protocol/tok against js-tiktoken (npm, pinned by tools/tok/package-lock.json):
# tests/tokoracle.mjs compares the token ids of both encodings on tiktoken's
# vectors, seeded random Unicode, MCP payloads and this repo's sources; one
# check per case and encoding. TOK_SEED=N repeats a seed. Without node/npm:
# a SKIP on the closing line, 0 checks.
set -u
cd "$(dirname "$0")/.."
bin=${TEST_TOK:-build/asan/tests/test_tok}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "0 passed, 0 failed (SKIP: needs node and npm for js-tiktoken)"
	exit 0
fi
if [ ! -x "$bin" ] || [ ! -d build/tok/node_modules/js-tiktoken ]; then
	echo "FAIL: $bin or build/tok/node_modules not built (make $bin)"
	echo "0 passed, 1 failed"
	exit 1
fi
cp tests/tokoracle.mjs build/tok/
exec node build/tok/tokoracle.mjs "$PWD/$bin" "$PWD" ${TOK_SEED:-}
