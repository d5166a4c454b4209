# replysim: build, run, test and benchmark.
#
#   make          build build/replysim
#   make run      the main job: scenarios/default.ini -> results/default/ (CSV + PNG)
#   make test     the whole suite: make lint, then unit, validation, bad input, examples,
#                 the hostile cases (make test-hostile), replysim-mpi on 3 ranks
#                 (make test-mpi), ASan/UBSan (both again), then
#                 60 s of fuzzing: scenario loader, CSV readers, plot's inputs (make fuzz-short);
#                 every part runs, then one line: `make test: N passed, N failed (...)`
#   make lint     format, warnings, cppcheck, banned functions, function length and
#                 the library's independence (scripts/lint.sh); make format fixes the first
#   make mpi      build/replysim-mpi: run, sweep, compare, staff, check over MPI ranks
#   make bench    the benchmark model of docs/scenario-reference.md section 10, its ratio to
#                 a minimal hand-written loop, threads, the backlog week, and peak memory
#                 at 1M/4M/16M arrivals (bench/memory.sh); make bench-mpi: MPI scaling
#   make fuzz     libFuzzer on the scenario loader for FUZZ_TIME seconds (600);
#                 make fuzz-csv, make fuzz-plot the CSV readers and plot's inputs
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

# Every build uses every core: the three builds of make test (plain,
# ASan/UBSan, libFuzzer) are most of its time on 2 cores.
# (set once, at the top: sub-makes share its jobserver)
ifeq ($(MAKELEVEL),0)
NPROC    := $(shell nproc 2>/dev/null || echo 1)
MAKEFLAGS += -j$(NPROC)
endif

B        ?= build
# The library (sim/, public headers in include/replysim/) and the
# command-line program on top of it (tool/).
LIB_SRC  := $(wildcard sim/*.c)
LIB_OBJ  := $(LIB_SRC:sim/%.c=$(B)/sim/%.o)
TOOL_SRC := $(filter-out tool/main.c tool/mpi%,$(wildcard tool/*.c))
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

$(B)/bench_replysim: $(B)/bench/bench.o $(B)/bench/bareloop.o $(B)/bench/bareheap.o $(B)/libreplysim.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS)

# The minimal loop alone: build/bench_bareloop [ARRIVALS].
$(B)/bench_bareloop: bench/bareloop.c bench/bareloop.h $(B)/libreplysim.a | $(DEPS_OK)
	$(CC) $(CFLAGS_ALL) -DBARELOOP_MAIN -o $@ bench/bareloop.c $(B)/libreplysim.a $(LIBS)

# --- the two commands of the README -------------------------------------

run: $(B)/replysim
	./$(B)/replysim run scenarios/default.ini -o results/default
	./$(B)/replysim plot results/default

# Every part runs, even after one fails; the last line says how many
# passed and failed (naming those that failed) and how long it all took.
TEST_PARTS := lint test-unit test-examples test-check test-hostile test-interrupt test-mpi test-asan \
              fuzz-short
test: $(DEPS_OK)
	@pass=0; fail=0; failed=; start=$$(date +%s); \
	for part in $(TEST_PARTS); do \
	    if $(MAKE) --no-print-directory $$part; then pass=$$((pass + 1)); \
	    else fail=$$((fail + 1)); failed="$$failed $$part"; fi; \
	done; \
	secs=$$(($$(date +%s) - start)); \
	echo "make test: $$pass passed, $$fail failed$${failed:+ (failed:$$failed)}" \
	     "($(words $(TEST_PARTS)) parts in $$((secs / 60))m $$((secs % 60))s)"; \
	[ $$fail -eq 0 ]

test-unit: $(B)/run_tests $(B)/replysim
	@sh scripts/deps.sh test
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
# The table of hostile cases, tests/data/hostile/*.test (format: tests/hostile.sh).
.PHONY: test-hostile test-hostile-asan
test-hostile: $(B)/replysim
	@sh tests/hostile.sh ./$(B)/replysim

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
# (4 s by default) are stretched for every suite alike.  Check forks a child
# per test from one runner process, whose freed memory ASan keeps in
# quarantine (256 MB by default): at that size every fork and every leak
# check in a child took so long that the run took 6 minutes instead of 2.
# 32 MB still holds each test's recent frees, which is what catches a use
# after free.
test-asan: $(DEPS_OK)
	@$(MAKE) --no-print-directory B=build/asan \
	    OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    build/asan/run_tests build/asan/replysim
	RS_QUICK=1 CK_TIMEOUT_MULTIPLIER=10 ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=32 \
	    UBSAN_OPTIONS=print_stacktrace=1 ./build/asan/run_tests
	@$(MAKE) --no-print-directory test-hostile-asan

# The hostile cases under the ASan/UBSan build of test-asan.
test-hostile-asan: $(DEPS_OK)
	@$(MAKE) --no-print-directory B=build/asan \
	    OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    build/asan/replysim
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 sh tests/hostile.sh build/asan/replysim

# --- fuzzing (docs/scenario-reference.md section 10, issue 11) --------------------------------
#
# Three libFuzzer harnesses under ASan and UBSan, built with clang into
# build/fuzz/ (their own sim/ objects, not the gcc ones):
#   scenario  tests/fuzz/fuzz_scenario.c: the scenario loader
#   csv       tests/fuzz/fuzz_csv.c: profile, schedule, trace, baseline and
#             the bare CSV reader
#   plot      tests/fuzz/fuzz_plot.c: plot's reading of a results folder
#             and the gnuplot settings and data it builds
# New inputs go to build/fuzz/corpus[-NAME]; the committed corpora
# tests/fuzz/corpus (scenario), tests/fuzz/corpus-csv, tests/fuzz/corpus-plot,
# scenarios/ and tests/fuzz/crashes-fixed/ are only read.  Crash files land
# in build/fuzz/artifacts/.  Each runs in build/fuzz/files/, a copy of
# tests/fuzz/files/ and scenarios/data/, against which relative include and
# CSV paths resolve.
# The library cannot write files there: its file-creating libc calls are
# renamed to guards that abort (tests/fuzz/guard.syms); so are plot's.
FUZZ_CC    ?= clang
FUZZ_TIME  ?= 600
# make fuzz-short: FUZZ_SHORT_TIME seconds in all, half on the scenario
# loader and a quarter on each of the others.
FUZZ_SHORT_TIME ?= 60
FUZZ_B     := build/fuzz
FUZZ_OPT   := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer
FUZZ_COMMON := -timeout=10 -rss_limit_mb=2048 \
              -artifact_prefix=$(CURDIR)/$(FUZZ_B)/artifacts/ -print_final_stats=1
FUZZ_FLAGS_scenario := -max_len=8192 -dict=$(CURDIR)/tests/fuzz/scenario.dict $(FUZZ_COMMON)
FUZZ_FLAGS_csv  := -max_len=16384 -dict=$(CURDIR)/tests/fuzz/csv.dict $(FUZZ_COMMON)
FUZZ_FLAGS_plot := -max_len=16384 -dict=$(CURDIR)/tests/fuzz/plot.dict $(FUZZ_COMMON)
FUZZ_DIRS_scenario := $(CURDIR)/$(FUZZ_B)/corpus $(CURDIR)/tests/fuzz/corpus \
              $(CURDIR)/tests/fuzz/crashes-fixed $(CURDIR)/scenarios
FUZZ_DIRS_csv  := $(CURDIR)/$(FUZZ_B)/corpus-csv $(CURDIR)/tests/fuzz/corpus-csv
FUZZ_DIRS_plot := $(CURDIR)/$(FUZZ_B)/corpus-plot $(CURDIR)/tests/fuzz/corpus-plot
FUZZ_NAMES := scenario csv plot

$(B)/fuzz/%.o: tests/fuzz/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Isim -Itool -c $< -o $@

$(B)/libguarded.a: $(B)/libreplysim.a tests/fuzz/guard.syms
	objcopy --redefine-syms=tests/fuzz/guard.syms $< $@

# plot's reading (tool/plot_*.c) on top of the guarded library, guarded too.
FUZZ_PLOT_OBJ := $(B)/tool/plot_build.o $(B)/tool/plot_input.o $(B)/tool/plot_sweep.o \
                 $(B)/tool/plot_compare.o $(B)/tool/plot_labels.o $(B)/tool/plot_backtest.o
$(B)/libplotguarded.a: $(FUZZ_PLOT_OBJ) tests/fuzz/guard.syms
	@rm -f $@.tmp.a
	ar rcs $@.tmp.a $(FUZZ_PLOT_OBJ)
	objcopy --redefine-syms=tests/fuzz/guard.syms $@.tmp.a $@ && rm -f $@.tmp.a

$(B)/fuzz_scenario: $(B)/fuzz/fuzz_scenario.o $(B)/fuzz/guard.o $(B)/libguarded.a
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $^ $(LIBS)

$(B)/fuzz_csv: $(B)/fuzz/fuzz_csv.o $(B)/fuzz/guard.o $(B)/libguarded.a
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $^ $(LIBS)

$(B)/fuzz_plot: $(B)/fuzz/fuzz_plot.o $(B)/fuzz/guard.o $(B)/libplotguarded.a $(B)/libguarded.a
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# clang and libFuzzer are checked here, not for the rest of the build.
fuzz-build:
	@sh scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory B=$(FUZZ_B) CC=$(FUZZ_CC) OPT='$(FUZZ_OPT)' \
	    $(FUZZ_NAMES:%=$(FUZZ_B)/fuzz_%)

# $(call fuzz_run,NAME,SECONDS,REDIRECTION): harness NAME for SECONDS.
define fuzz_run
	@mkdir -p $(FUZZ_B)/corpus $(FUZZ_B)/corpus-csv $(FUZZ_B)/corpus-plot $(FUZZ_B)/artifacts
	@rm -rf $(FUZZ_B)/files && cp -R tests/fuzz/files $(FUZZ_B)/files && \
	    if [ -d scenarios/data ]; then cp -R scenarios/data $(FUZZ_B)/files/; fi
	cd $(FUZZ_B)/files && $(CURDIR)/$(FUZZ_B)/fuzz_$(1) $(FUZZ_FLAGS_$(1)) -max_total_time=$(2) \
	    $(FUZZ_DIRS_$(1)) $(3)
endef

# The short run in `make test` keeps libFuzzer's progress lines in a log and
# shows its last lines (all of them up to the crash when it finds one).
FUZZ_LOG := $(CURDIR)/$(FUZZ_B)/fuzz-short

# make fuzz: the scenario loader for FUZZ_TIME seconds; fuzz-csv and
# fuzz-plot the others.
.PHONY: fuzz-csv fuzz-plot
fuzz: fuzz-build
	$(call fuzz_run,scenario,$(FUZZ_TIME))

fuzz-csv: fuzz-build
	$(call fuzz_run,csv,$(FUZZ_TIME))

fuzz-plot: fuzz-build
	$(call fuzz_run,plot,$(FUZZ_TIME))

FUZZ_HALF    = $(shell expr $(FUZZ_SHORT_TIME) / 2)
FUZZ_QUARTER = $(shell expr $(FUZZ_SHORT_TIME) / 4)
fuzz-short: fuzz-build
	$(call fuzz_run,scenario,$(FUZZ_HALF),> $(FUZZ_LOG)-scenario.log 2>&1 || { tail -60 $(FUZZ_LOG)-scenario.log; exit 1; })
	@tail -n 12 $(FUZZ_LOG)-scenario.log
	$(call fuzz_run,csv,$(FUZZ_QUARTER),> $(FUZZ_LOG)-csv.log 2>&1 || { tail -60 $(FUZZ_LOG)-csv.log; exit 1; })
	@tail -n 12 $(FUZZ_LOG)-csv.log
	$(call fuzz_run,plot,$(FUZZ_QUARTER),> $(FUZZ_LOG)-plot.log 2>&1 || { tail -60 $(FUZZ_LOG)-plot.log; exit 1; })
	@tail -n 12 $(FUZZ_LOG)-plot.log

# Adds the inputs of build/fuzz/corpus that reach new code to the committed
# corpus (nothing is removed from it).  Edge coverage only (-use_counters=0)
# keeps it small: a few hundred files.
fuzz-merge: fuzz-build
	@rm -rf $(FUZZ_B)/files && cp -R tests/fuzz/files $(FUZZ_B)/files && \
	    if [ -d scenarios/data ]; then cp -R scenarios/data $(FUZZ_B)/files/; fi
	cd $(FUZZ_B)/files && $(CURDIR)/$(FUZZ_B)/fuzz_scenario -merge=1 -use_counters=0 -max_len=8192 \
	    -timeout=10 $(CURDIR)/tests/fuzz/corpus $(CURDIR)/$(FUZZ_B)/corpus
	@echo "tests/fuzz/corpus: $$(ls tests/fuzz/corpus | wc -l) files, $$(du -sk tests/fuzz/corpus | cut -f1) KiB"

# --- replysim-mpi: the program over MPI ranks (tool/mpi_main.c, tool/mpi.c) --
#
# The same library and commands; tool/main.c is compiled again with its main
# renamed, which tool/mpi_main.c calls after starting MPI.  Only make mpi
# (and make test) build it: Open MPI comes from the `mpi` group of deps.sh.
MPICC    ?= mpicc
MPI_DEPS := $(B)/.deps-mpi-ok
.PHONY: mpi test-mpi
mpi: $(B)/replysim-mpi

$(MPI_DEPS): scripts/deps.sh
	@sh scripts/deps.sh mpi
	@mkdir -p $(B) && touch $@

$(B)/mpi/main.o: tool/main.c | $(DEPS_OK) $(MPI_DEPS)
	@mkdir -p $(dir $@)
	$(MPICC) $(CFLAGS_ALL) -Dmain=rs_tool_main -include tool/mpi_job.h -c $< -o $@

$(B)/mpi/%.o: tool/%.c | $(DEPS_OK) $(MPI_DEPS)
	@mkdir -p $(dir $@)
	$(MPICC) $(CFLAGS_ALL) -c $< -o $@

$(B)/replysim-mpi: $(B)/mpi/mpi_main.o $(B)/mpi/mpi.o $(B)/mpi/main.o $(TOOL_OBJ) $(B)/libreplysim.a
	$(MPICC) $(CFLAGS_ALL) -o $@ $^ $(LIBS)

# replysim-mpi on 3 ranks (more than this machine may have cores) writes
# byte for byte the files of replysim -j 1, for each command it spreads.
test-mpi: $(B)/replysim-mpi $(B)/replysim
	@sh tests/mpi.sh ./$(B)/replysim ./$(B)/replysim-mpi

bench: $(B)/bench_replysim $(B)/bench_bareloop $(B)/replysim
	@sh scripts/deps.sh bench
	./$(B)/bench_replysim
	@sh bench/memory.sh ./$(B)/replysim

# Replications over 1, 2 and 3 MPI ranks: wall and CPU time, instructions of
# the busiest rank, the serial fraction and Amdahl's expectation.
.PHONY: bench-mpi
bench-mpi: $(B)/replysim-mpi $(B)/replysim
	@sh bench/mpi_scaling.sh ./$(B)/replysim ./$(B)/replysim-mpi

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

-include $(LIB_OBJ:.o=.d) $(TOOL_OBJ:.o=.d) $(wildcard $(B)/mpi/*.d) $(TEST_OBJ:.o=.d) $(B)/tool/main.d $(B)/bench/bench.d $(B)/bench/bareloop.d $(B)/bench/bareheap.d \
         $(B)/fuzz/fuzz_scenario.d $(B)/fuzz/fuzz_csv.d $(B)/fuzz/fuzz_plot.d $(B)/fuzz/guard.d
