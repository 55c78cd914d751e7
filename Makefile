# The two commands of the README: `make demo` and `make test`. Each does all the set-up.
PRESET ?= default
BUILD_DIR := build
SOURCES := $(shell git ls-files '*.cc' '*.h' 2>/dev/null)

.PHONY: setup configure build demo test format format-check tidy bench clean

setup:
	scripts/setup

# Configures again when the presets changed since (e.g. a Debug tree from before the
# optimised default), so that what users run is always what the preset says.
configure: setup
	@if [ ! -f $(BUILD_DIR)/build.ninja ] || [ CMakePresets.json -nt $(BUILD_DIR)/build.ninja ]; then \
	  cmake --preset $(PRESET) --fresh; fi

build: configure
	cmake --build $(BUILD_DIR)

demo: build
	rm -f demo.db demo.db-wal demo.db-shm demo.db.key demo.db.key.granskning demo.db.key.granskning.lock demo.db.key.granskning.tmp
	$(BUILD_DIR)/stegvis demo --db demo.db
	$(BUILD_DIR)/stegvis serve --db demo.db --listen 127.0.0.1:8080

test: build format-check
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 2

format:
	clang-format -i $(SOURCES)

format-check: setup
	clang-format --dry-run --Werror $(SOURCES)

tidy: configure
	clang-tidy -p $(BUILD_DIR) --quiet $(filter %.cc,$(filter src/%,$(SOURCES)))

bench: setup
	bench/run

clean:
	rm -rf $(BUILD_DIR) build-bench
