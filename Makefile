# replysim: build, run, test and benchmark.
#
#   make          build build/replysim
#   make run      the main job: scenarios/default.ini -> results/default/ (CSV + PNG)
#   make test     the whole suite: unit, validation, bad input, examples, ASan/UBSan
#   make bench    the benchmark model of SPEC section 10
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
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -pthread
TESTLIBS = $(shell pkg-config --libs check 2>/dev/null)

B        ?= build
LIB_SRC  := $(filter-out sim/main.c,$(wildcard sim/*.c))
LIB_OBJ  := $(LIB_SRC:sim/%.c=$(B)/sim/%.o)
TEST_SRC := $(wildcard tests/*.c)
TEST_OBJ := $(TEST_SRC:tests/%.c=$(B)/tests/%.o)
DEPS_OK  := build/.deps-ok

.PHONY: all run test test-unit test-asan test-examples bench install clean deps plot
all: $(B)/replysim

# Missing Debian packages are installed when run as root, otherwise named.
deps: $(DEPS_OK)
$(DEPS_OK): scripts/deps.sh
	@sh scripts/deps.sh
	@mkdir -p build && touch $@

$(B)/sim/%.o: sim/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(B)/tests/%.o: tests/%.c $(B)/tests/suites.h | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -I$(B)/tests -DRS_TEST_BIN='"$(B)/replysim"' \
	    -DRS_SOURCE_DIR='"$(CURDIR)"' $(shell pkg-config --cflags check 2>/dev/null) -c $< -o $@

$(B)/bench/%.o: bench/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# The test runner finds every suite by its constructor's name, so a new
# tests/test_x.c needs no edit anywhere else.
$(B)/tests/suites.h: $(TEST_SRC)
	@mkdir -p $(dir $@)
	@grep -ho 'Suite \*rs_test_[a-z0-9_]*_suite(void)' tests/*.c | sort -u | \
	  sed 's/.*\(rs_test_[a-z0-9_]*_suite\).*/RS_SUITE(\1)/' > $@.tmp && mv $@.tmp $@

$(B)/libreplysim.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/replysim: $(B)/sim/main.o $(B)/libreplysim.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS)

$(B)/run_tests: $(TEST_OBJ) $(B)/libreplysim.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(TESTLIBS) $(LIBS)

$(B)/bench_replysim: $(B)/bench/bench.o $(B)/libreplysim.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS)

# --- the two commands of the README -------------------------------------

run: $(B)/replysim
	./$(B)/replysim run scenarios/default.ini -o results/default
	./$(B)/replysim plot results/default

test: $(DEPS_OK)
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-examples
	@$(MAKE) --no-print-directory test-asan

test-unit: $(B)/run_tests $(B)/replysim
	./$(B)/run_tests

# Every shipped scenario runs as it is.
test-examples: $(B)/replysim
	@sh tests/run_examples.sh ./$(B)/replysim

# The same suite under AddressSanitizer and UBSan, in its own build folder.
# Sanitized code runs several times slower, so Check's per-test timeouts
# (4 s by default) are stretched for every suite alike.
test-asan: $(DEPS_OK)
	@$(MAKE) --no-print-directory B=build/asan \
	    OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    build/asan/run_tests build/asan/replysim
	RS_QUICK=1 CK_TIMEOUT_MULTIPLIER=10 ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ./build/asan/run_tests

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

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(B)/sim/main.d $(B)/bench/bench.d
