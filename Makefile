# replysim: build, run, test and benchmark.
#
#   make          build build/replysim
#   make run      the main job: scenarios/default.ini -> results/default/ (CSV + PNG)
#   make test     the whole suite: make lint, then unit, validation, bad input, examples,
#                 ASan/UBSan, then 60 s of fuzzing the scenario loader (make fuzz-short)
#   make lint     format, warnings, cppcheck, banned functions, function length and
#                 the library's independence (scripts/lint.sh); make format fixes the first
#   make bench    the benchmark model of SPEC section 10
#   make fuzz     libFuzzer on the scenario loader for FUZZ_TIME seconds (600)
#   make install PREFIX=/usr/local

CC      ?= gcc
PREFIX  ?= /usr/local
VERSION := 0.1.0

PKGS     := gsl inih
WARN     := -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wundef
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L -DRS_VERSION='"$(VERSION)"'
OPT      ?= -O2 -g
ifeq ($(WERROR),1)
WARN     += -Werror
endif
CFLAGS_ALL = $(CSTD) $(OPT) $(WARN) -Iinclude -pthread -MMD -MP \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lglpk -lm -pthread
TESTLIBS = $(shell pkg-config --libs check 2>/dev/null)

B        ?= build
# The library (sim/, public headers in include/replysim/) and the
# command-line program on top of it (tool/).
LIB_SRC  := $(wildcard sim/*.c)
LIB_OBJ  := $(LIB_SRC:sim/%.c=$(B)/sim/%.o)
TOOL_SRC := $(filter-out tool/main.c,$(wildcard tool/*.c))
TOOL_OBJ := $(TOOL_SRC:tool/%.c=$(B)/tool/%.o)
TEST_SRC := $(wildcard tests/*.c)
TEST_OBJ := $(TEST_SRC:tests/%.c=$(B)/tests/%.o)
DEPS_OK  := build/.deps-ok

.PHONY: all run test test-unit test-asan test-examples bench install clean deps plot \
        fuzz fuzz-short fuzz-merge fuzz-build lint format
all: $(B)/replysim

# Missing Debian packages are installed when run as root, otherwise named.
deps: $(DEPS_OK)
$(DEPS_OK): scripts/deps.sh
	@sh scripts/deps.sh
	@mkdir -p build && touch $@

$(B)/sim/%.o: sim/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(B)/tool/%.o: tool/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(B)/tests/%.o: tests/%.c $(B)/tests/suites.h | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Isim -Itool -I$(B)/tests -DRS_TEST_BIN='"$(B)/replysim"' \
	    -DRS_SOURCE_DIR='"$(CURDIR)"' $(shell pkg-config --cflags check 2>/dev/null) -c $< -o $@

$(B)/bench/%.o: bench/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Isim -c $< -o $@

# The test runner finds every suite by its constructor's name, so a new
# tests/test_x.c needs no edit anywhere else.
$(B)/tests/suites.h: $(TEST_SRC)
	@mkdir -p $(dir $@)
	@grep -ho 'Suite \*rs_test_[a-z0-9_]*_suite(void)' tests/*.c | sort -u | \
	  sed 's/.*\(rs_test_[a-z0-9_]*_suite\).*/RS_SUITE(\1)/' > $@.tmp && mv $@.tmp $@

$(B)/libreplysim.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/replysim: $(B)/tool/main.o $(TOOL_OBJ) $(B)/libreplysim.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS)

$(B)/run_tests: $(TEST_OBJ) $(TOOL_OBJ) $(B)/libreplysim.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(TESTLIBS) $(LIBS)

$(B)/bench_replysim: $(B)/bench/bench.o $(B)/libreplysim.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS)

# --- the two commands of the README -------------------------------------

run: $(B)/replysim
	./$(B)/replysim run scenarios/default.ini -o results/default
	./$(B)/replysim plot results/default

test: $(DEPS_OK)
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-examples
	@$(MAKE) --no-print-directory test-check
	@$(MAKE) --no-print-directory test-interrupt
	@$(MAKE) --no-print-directory test-asan
	@$(MAKE) --no-print-directory fuzz-short

test-unit: $(B)/run_tests $(B)/replysim
	./$(B)/run_tests

# Every shipped scenario runs as it is.
test-examples: $(B)/replysim
	@sh tests/run_examples.sh ./$(B)/replysim

# Runs killed (SIGKILL, SIGINT) at many points leave their folder the old
# run or the new one, never a mix (tests/interrupt.sh).
.PHONY: test-interrupt
test-interrupt: $(B)/replysim
	@sh tests/interrupt.sh ./$(B)/replysim 40

# Policy outcomes of the shipped scenarios against the committed baseline;
# after an intended change: replysim check ... --update, and commit it.
.PHONY: test-check
test-check: $(B)/replysim
	./$(B)/replysim check scenarios/*.ini --baseline baselines/examples.csv -j 2 -q

# The checks of scripts/lint.sh, over sim/ include/ tool/ bench/ tests/: one
# line per finding, a summary line per check.  The compile check takes this
# build's flags (the version string aside) and adds the conversion warnings.
# clang-format and cppcheck are checked here, not for the rest of the build.
LINT_CFLAGS = $(filter-out -DRS_VERSION=%,$(CSTD)) $(WARN)
lint:
	@sh scripts/deps.sh lint
	@sh scripts/lint-selftest.sh
	@CC='$(CC)' LINT_CFLAGS='$(LINT_CFLAGS)' sh scripts/lint.sh

# Rewrites every C file of the tree as the committed .clang-format has it.
format:
	@sh scripts/deps.sh lint
	@sh scripts/lint.sh format-fix

# The same suite under AddressSanitizer and UBSan, in its own build folder.
# Sanitized code runs several times slower, so Check's per-test timeouts
# (4 s by default) are stretched for every suite alike.
test-asan: $(DEPS_OK)
	@$(MAKE) --no-print-directory B=build/asan \
	    OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    build/asan/run_tests build/asan/replysim
	RS_QUICK=1 CK_TIMEOUT_MULTIPLIER=10 ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ./build/asan/run_tests

# --- fuzzing the scenario loader (SPEC section 10) ----------------------
#
# tests/fuzz/fuzz_scenario.c under libFuzzer with ASan and UBSan, built with
# clang into build/fuzz/ (its own sim/ objects, not the gcc ones).  New
# inputs go to build/fuzz/corpus; the committed corpus tests/fuzz/corpus,
# scenarios/ and tests/fuzz/crashes-fixed/ are only read.  Crash files land
# in build/fuzz/artifacts/.  It runs in build/fuzz/files/, a copy of
# tests/fuzz/files/ and scenarios/data/, against which relative include and
# CSV paths resolve.
# The sim/ library cannot write files there: its file-creating libc calls
# are renamed to guards that abort (tests/fuzz/guard.syms).
FUZZ_CC    ?= clang
FUZZ_TIME  ?= 600
FUZZ_SHORT_TIME ?= 60
FUZZ_B     := build/fuzz
FUZZ_OPT   := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer
FUZZ_BIN   := $(CURDIR)/$(FUZZ_B)/fuzz_scenario
FUZZ_FLAGS := -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
              -dict=$(CURDIR)/tests/fuzz/scenario.dict \
              -artifact_prefix=$(CURDIR)/$(FUZZ_B)/artifacts/ -print_final_stats=1
FUZZ_DIRS  := $(CURDIR)/$(FUZZ_B)/corpus $(CURDIR)/tests/fuzz/corpus \
              $(CURDIR)/tests/fuzz/crashes-fixed $(CURDIR)/scenarios

$(B)/fuzz/%.o: tests/fuzz/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(B)/libguarded.a: $(B)/libreplysim.a tests/fuzz/guard.syms
	objcopy --redefine-syms=tests/fuzz/guard.syms $< $@

$(B)/fuzz_scenario: $(B)/fuzz/fuzz_scenario.o $(B)/libguarded.a
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# clang and libFuzzer are checked here, not for the rest of the build.
fuzz-build:
	@sh scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory B=$(FUZZ_B) CC=$(FUZZ_CC) OPT='$(FUZZ_OPT)' $(FUZZ_B)/fuzz_scenario

define fuzz_run
	@mkdir -p $(FUZZ_B)/corpus $(FUZZ_B)/artifacts
	@rm -rf $(FUZZ_B)/files && cp -R tests/fuzz/files $(FUZZ_B)/files && \
	    if [ -d scenarios/data ]; then cp -R scenarios/data $(FUZZ_B)/files/; fi
	cd $(FUZZ_B)/files && $(FUZZ_BIN) $(FUZZ_FLAGS) -max_total_time=$(1) $(FUZZ_DIRS) $(2)
endef

# The short run in `make test` keeps libFuzzer's progress lines in a log and
# shows its last lines (all of them up to the crash when it finds one).
FUZZ_LOG := $(CURDIR)/$(FUZZ_B)/fuzz-short.log

fuzz: fuzz-build
	$(call fuzz_run,$(FUZZ_TIME))

fuzz-short: fuzz-build
	$(call fuzz_run,$(FUZZ_SHORT_TIME),> $(FUZZ_LOG) 2>&1 || { tail -60 $(FUZZ_LOG); exit 1; })
	@tail -n 12 $(FUZZ_LOG)

# Adds the inputs of build/fuzz/corpus that reach new code to the committed
# corpus (nothing is removed from it).  Edge coverage only (-use_counters=0)
# keeps it small: a few hundred files.
fuzz-merge: fuzz-build
	@rm -rf $(FUZZ_B)/files && cp -R tests/fuzz/files $(FUZZ_B)/files && \
	    if [ -d scenarios/data ]; then cp -R scenarios/data $(FUZZ_B)/files/; fi
	cd $(FUZZ_B)/files && $(FUZZ_BIN) -merge=1 -use_counters=0 -max_len=8192 -timeout=10 \
	    $(CURDIR)/tests/fuzz/corpus $(CURDIR)/$(FUZZ_B)/corpus
	@echo "tests/fuzz/corpus: $$(ls tests/fuzz/corpus | wc -l) files, $$(du -sk tests/fuzz/corpus | cut -f1) KiB"

bench: $(B)/bench_replysim $(B)/replysim
	./$(B)/bench_replysim

plot: $(B)/replysim
	./$(B)/replysim plot results/default

install: $(B)/replysim
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/replysim/plots
	install -m 755 $(B)/replysim $(DESTDIR)$(PREFIX)/bin/replysim
	install -m 644 docs/replysim.1 $(DESTDIR)$(PREFIX)/share/man/man1/replysim.1
	install -m 644 plots/*.gp $(DESTDIR)$(PREFIX)/share/replysim/plots/

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(TOOL_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(B)/tool/main.d $(B)/bench/bench.d \
         $(B)/fuzz/fuzz_scenario.d
