# dpgen: the two commands are `make demo` and `make test`; both install what
# is missing first (scripts/deps.sh). DUCKDB_DIR=/path uses an existing DuckDB.
BUILD ?= build
ASAN_BUILD ?= build-asan
DUCKDB_DIR ?= $(CURDIR)/third_party/duckdb
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SEED_REQUEST = Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.
export DUCKDB_DIR
MAKEFLAGS += --no-print-directory

.PHONY: all deps build demo test test-asan check bench clean

all: build

deps:
	@scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DDUCKDB_DIR=$(DUCKDB_DIR) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@$(BUILD)/dpgen demo
	@$(BUILD)/dpgen generate "$(SEED_REQUEST)"

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The same tests under AddressSanitizer + UBSan (CI runs it after `make test`).
test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DDUCKDB_DIR=$(DUCKDB_DIR) -DDP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1 ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

bench: build
	@bench/run.sh
	@if [ -d ../shared/bench ]; then bench/run_domains.sh; fi

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
