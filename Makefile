# Pathway: the front door to CMake. `make` builds build/pathway; `make check` runs every test
# under AddressSanitizer and UndefinedBehaviorSanitizer; `make run` starts the demo.
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# The sanitizer build uses clang when present, for libFuzzer; gcc otherwise.
CHECK_CC ?= $(shell command -v clang >/dev/null 2>&1 && echo clang || echo gcc)
FUZZ ?= $(if $(filter clang,$(CHECK_CC)),ON,OFF)
DEMO_DB ?= build/demo.db

.PHONY: all build check lint tidy run demo bench format clean

all: build

build:
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=gcc >/dev/null
	@cmake --build build -j $(JOBS)

# The whole suite: lint, a warnings-as-errors gcc build, then every test under sanitizers.
check: lint build
	@cmake -S . -B build-check -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=$(CHECK_CC) \
	    -DPW_SANITIZE=ON -DPW_FUZZ=$(FUZZ) >/dev/null
	@cmake --build build-check -j $(JOBS)
	@$(MAKE) tidy
	@cd build-check && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ctest --output-on-failure -j $(JOBS)

lint:
	@tools/lint.sh

# clang-tidy with the repository's .clang-tidy over every library source (warnings are errors).
tidy:
	@if command -v clang-tidy >/dev/null 2>&1 && [ -f build-check/compile_commands.json ]; then \
	    ls src/*/*.c | grep -v '/main\.c$$' | xargs -P $(JOBS) -n 4 \
	        clang-tidy -p build-check --quiet 2>/dev/null >build-check/tidy.log \
	    || { grep -E 'warning:|error:' build-check/tidy.log; echo "tidy: findings above"; exit 1; }; \
	    echo "tidy: clean"; \
	fi

# A demo database from a synthetic partnership (pathway synth): every agency's feed imported,
# the records of each person linked across agencies, the families' histories recorded with the
# rules, the rules rechecked; then the example
# partnership beside it, and a look at what it holds.
DEMO_DIR ?= build/demo
DEMO_CHILDREN ?= 500
demo: build
	@rm -rf $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DIR)
	@build/pathway synth --children $(DEMO_CHILDREN) --seed 1 --out $(DEMO_DIR)
	@build/pathway --db $(DEMO_DB) init
	@for agency in csc police health education probation; do \
	    build/pathway --db $(DEMO_DB) import --as import.demo --agency $$agency \
	        $(DEMO_DIR)/feeds/$$agency.csv || exit 1; \
	done
	@build/pathway --db $(DEMO_DB) link run --as link.demo
	@build/pathway --db $(DEMO_DB) record $(DEMO_DIR)/facts.jsonl
	@build/pathway --db $(DEMO_DB) record examples/partnership.jsonl
	@build/pathway --db $(DEMO_DB) rules recheck --apply
	@build/pathway --db $(DEMO_DB) audit verify
	@echo
	@build/pathway --db $(DEMO_DB) household p-lily-h --on 2025-06-01
	@echo
	@build/pathway --db $(DEMO_DB) alerts --child p-lily-h --now 2025-06-01
	@echo
	@echo "The demo database is $(DEMO_DB); the synthetic partnership is in $(DEMO_DIR)"
	@echo "(README.md there says what it holds; truth.csv which records are the same person). Try:"
	@echo "  build/pathway --db $(DEMO_DB) alerts | less"
	@echo "  build/pathway --db $(DEMO_DB) chronology p-lily-h"
	@echo "  build/pathway --db $(DEMO_DB) picture p-lily-h"
	@echo "  build/pathway --db $(DEMO_DB) facts --person p-lily-h"
	@echo "  build/pathway --db $(DEMO_DB) household p-lily-h --all"
	@echo "  build/pathway --help"

# The demo, then demo accounts (passwords printed once) and the web pages and the JSON API on
# localhost until interrupted (docs/web.md, docs/api.md). DEMO_LISTEN=127.0.0.1:0 picks a free port.
DEMO_LISTEN ?= 127.0.0.1:8080
run: demo
	@echo
	@scripts/demo-users.sh $(DEMO_DB)
	@echo
	@echo "Open http://$(DEMO_LISTEN)/sign-in in a browser and sign in as sw.demo (Lily Hart's"
	@echo "social worker) with the password above; the JSON API is under /api/ (docs/api.md)."
	@build/pathway --db $(DEMO_DB) serve --listen $(DEMO_LISTEN)

# bench_record, then bench_rules (1,000,000 people: several minutes and a few GiB in /tmp).
bench: build
	@build/bench_record
	@build/bench_rules

format:
	@clang-format -i $$(git ls-files --cached --others --exclude-standard 'src/*.[ch]' 'tests/*.[ch]' 'bench/*.[ch]')

clean:
	@rm -rf build build-check
