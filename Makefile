# mend: the front door. `make run` and `make test` install what is missing, build, and go.
BUILD      ?= build
ASAN_BUILD ?= build-asan
LISTEN     ?= 127.0.0.1:8080
DB         ?= ./mend.db
MESON_OPTS  = --buildtype=debugoptimized -Dwerror=true

.PHONY: all build run test deps test-deps check-pg fuzz bench clean
FUZZ_SECONDS ?= 60

all: build

deps:
	@scripts/deps build

test-deps:
	@scripts/deps test

$(BUILD)/build.ninja:
	@meson setup $(BUILD) $(MESON_OPTS) >/dev/null

build: deps $(BUILD)/build.ninja
	@ninja -C $(BUILD) >/dev/null || ninja -C $(BUILD)

run: build
	@[ -f $(DB) ] || $(BUILD)/mend init --db $(DB)
	$(BUILD)/mend serve --db $(DB) --listen $(LISTEN)

test: test-deps build
	@tests/run

check-pg: test-deps build
	@tests/run --only pg

# release build, seeded data, wrk against mend, nginx and Fossil; prints and writes build/bench.txt
bench: deps
	@scripts/deps bench
	@[ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release -Dwerror=true >/dev/null
	@ninja -C build-bench >/dev/null
	@mkdir -p $(BUILD)
	@python3 bench/run.py build-bench/mend --out $(BUILD)/bench.txt

fuzz:
	@scripts/deps fuzz
	@scripts/fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz build-bench
