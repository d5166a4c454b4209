#!/bin/sh
# make lint: the checks every change passes, over the library (sim/,
# include/), the tool (tool/), bench/ and tests/:
#
#   format    clang-format 14 --dry-run --Werror with the committed .clang-format
#   warnings  sim/ tool/ bench/ compile clean with the build's warnings plus
#             -Wconversion -Wsign-conversion -Wcast-qual (any warning fails);
#             tests/ too (LINT_WARN_TESTS=0 leaves them out)
#   cppcheck  clean, but for the suppressions in scripts/cppcheck.supp, each
#             with its reason (or `// cppcheck-suppress ID` on the line before)
#   banned    no sprintf vsprintf strcpy strcat strtok atoi atol atof gets;
#             no `n += snprintf(...)` (use struct rs_buf); no `if (!p) abort();`
#             outside sim/alloc.c (use rs_malloc & co.)
#   length    no function body longer than 100 lines, outside tests/
#   indep     the library (sim/, include/) never prints to stdout/stderr,
#             calls exit or reads argv; tool/ includes only "replysim/..."
#             and its own headers
#
# Each finding is one line, "file:line: what"; a summary line per check
# closes the run, and the exit status is 1 when anything was found.
#
#   sh scripts/lint.sh [CHECK...]   the checks named (all by default)
#   sh scripts/lint.sh format-fix   rewrite the tree with clang-format -i (make format)
#
# The Makefile passes CC and LINT_CFLAGS (the build's -std, -D and warning
# flags, without RS_VERSION); CLANG_FORMAT and CPPCHECK name other binaries.
# shellcheck disable=SC2317 # the check_* functions are called by name
set -u
cd "$(dirname "$0")/.." || exit 2

ALL="format warnings cppcheck banned length indep"
OUT=build/lint
JOBS=$(nproc 2>/dev/null || echo 2)
CC=${CC:-gcc}
LINT_CFLAGS=${LINT_CFLAGS:--std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow \
-Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wundef}
# The files of the tree in C, in a stable order.
FILES=$(find sim include tool bench tests -type f -name '*.[ch]' | LC_ALL=C sort)

if [ -z "${CLANG_FORMAT:-}" ]; then
    CLANG_FORMAT=clang-format
    command -v clang-format-14 >/dev/null 2>&1 && CLANG_FORMAT=clang-format-14
fi
CPPCHECK=${CPPCHECK:-cppcheck}
WARN_TESTS=${LINT_WARN_TESTS:-1}

need() {
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "lint: $1 not found (sh scripts/deps.sh lint installs it)" >&2
    exit 2
}

if [ "${1:-}" = format-fix ]; then
    need "$CLANG_FORMAT"
    echo "$FILES" | xargs -n 16 -P "$JOBS" "$CLANG_FORMAT" -i
    exit
fi

CHECKS=${*:-$ALL}
for c in $CHECKS; do
    case " $ALL " in *" $c "*) ;; *) echo "lint: no check '$c' (checks: $ALL)" >&2; exit 2 ;; esac
done
mkdir -p "$OUT"
rm -f "$OUT"/*.found

# Each check writes its findings, one per line, to $OUT/CHECK.found.

check_format() {
    v=$("$CLANG_FORMAT" --version | sed -n 's/.*version \([0-9]*\).*/\1/p')
    if [ "$v" != 14 ]; then
        echo ".clang-format:1: $CLANG_FORMAT is version $v; the style is fixed for clang-format 14" \
             "(sh scripts/deps.sh lint installs it)"
        return
    fi
    # The first difference in each file: enough to name it.
    echo "$FILES" | xargs -n 16 -P "$JOBS" "$CLANG_FORMAT" --dry-run --Werror --ferror-limit=1 \
        >"$OUT/format.log" 2>&1
    rc=$?
    grep -E '^[^ :]+:[0-9]+:[0-9]+: (error|warning): code should be clang-formatted' \
        "$OUT/format.log" | sed 's/^\([^:]*:[0-9]*\):.*/\1: not as .clang-format has it (first difference)/' |
        LC_ALL=C sort -t: -k1,1 -k2,2n
    if [ "$rc" != 0 ] && ! grep -q 'code should be clang-formatted' "$OUT/format.log"; then
        sed 's/^/.clang-format:1: /' "$OUT/format.log"
    fi
}

# -fsyntax-only: the front end's warnings, no objects.  One compile per
# file, JOBS at a time, each folder with the include paths of its build rule.
# $flags is split into words on purpose, and its \" reach the compiler as
# they are: RS_VERSION is the string literal "lint".
# shellcheck disable=SC2086,SC2089,SC2090,SC2046
check_warnings() {
    pkg=$(pkg-config --cflags gsl inih ompi-c 2>/dev/null) # ompi-c: tool/mpi*.c
    flags="$LINT_CFLAGS $pkg -Wconversion -Wsign-conversion -Wcast-qual -fsyntax-only \
           -fdiagnostics-color=never -pthread -Iinclude -DRS_VERSION=\"lint\""
    {
        printf '%s\n' sim/*.c | xargs -n 1 -P "$JOBS" $CC $flags
        printf '%s\n' tool/*.c bench/*.c | xargs -n 1 -P "$JOBS" $CC $flags -Isim
        if [ "$WARN_TESTS" = 1 ]; then
            grep -ho 'Suite \*rs_test_[a-z0-9_]*_suite(void)' tests/*.c | sort -u |
                sed 's/.*\(rs_test_[a-z0-9_]*_suite\).*/RS_SUITE(\1)/' >"$OUT/suites.h"
            printf '%s\n' tests/*.c | xargs -n 1 -P "$JOBS" $CC $flags -Isim -Itool -I"$OUT" \
                -DRS_TEST_BIN=\"replysim\" -DRS_SOURCE_DIR=\".\" $(pkg-config --cflags check 2>/dev/null)
        fi
    } >"$OUT/warnings.log" 2>&1
    grep -E '^[^ :]+:[0-9]+(:[0-9]+)?: (warning|error|fatal error): ' "$OUT/warnings.log" |
        LC_ALL=C sort -u | LC_ALL=C sort -t: -k1,1 -k2,2n
}

check_cppcheck() {
    mkdir -p "$OUT/cppcheck"
    "$CPPCHECK" --enable=warning,style,performance,portability --std=c11 --quiet -j "$JOBS" \
        --inline-suppr --suppressions-list=scripts/cppcheck.supp --cppcheck-build-dir="$OUT/cppcheck" \
        --template='{file}:{line}: {severity}: {message} [{id}]' \
        -Iinclude -Isim -Itool sim tool bench tests >"$OUT/cppcheck.log" 2>&1
    rc=$?
    grep -E '^[^ :]+:[0-9]+: ' "$OUT/cppcheck.log" | LC_ALL=C sort -u | LC_ALL=C sort -t: -k1,1 -k2,2n
    [ "$rc" = 0 ] || echo "scripts/lint.sh:1: $CPPCHECK stopped with status $rc (see $OUT/cppcheck.log)"
}

# banned, length and indep: one awk pass over the sources.
# shellcheck disable=SC2086
source_checks() {
    awk -f scripts/lint-source.awk $FILES >"$OUT/source.log"
    for c in banned length indep; do
        grep "^$c	" "$OUT/source.log" | cut -f2- >"$OUT/$c.found"
    done
}

start=$(date +%s)
# The slow two run side by side with the rest; each uses the cores itself.
pids=""
for c in $CHECKS; do
    case $c in
    cppcheck | warnings)
        if [ "$c" = cppcheck ]; then need "$CPPCHECK"; else need "${CC%% *}"; fi
        "check_$c" >"$OUT/$c.found" &
        pids="$pids $!"
        ;;
    format)
        need "$CLANG_FORMAT"
        check_format >"$OUT/format.found"
        ;;
    esac
done
case " $CHECKS " in *" banned "* | *" length "* | *" indep "*) source_checks ;; esac
for p in $pids; do wait "$p"; done

bad=0
for c in $CHECKS; do
    cat "$OUT/$c.found"
done
for c in $CHECKS; do
    n=$(grep -c . "$OUT/$c.found")
    if [ "$n" = 0 ]; then
        printf 'lint: %-9s ok\n' "$c"
        continue
    fi
    bad=1
    case $c in
    format) how="files differ from .clang-format: \`make format\` rewrites them (clang-format -i), then commit" ;;
    warnings) how="with -Wconversion -Wsign-conversion -Wcast-qual ($OUT/warnings.log has the context)" ;;
    cppcheck) how="fix, or justify a suppression in scripts/cppcheck.supp" ;;
    banned) how="banned functions and habits" ;;
    length) how="functions longer than 100 lines: split them" ;;
    indep) how="the library prints, exits or reads argv, or the tool uses an internal header" ;;
    esac
    printf 'lint: %-9s %d finding%s: %s\n' "$c" "$n" "$([ "$n" = 1 ] || echo s)" "$how"
done
echo "lint: $(($(date +%s) - start)) s"
exit $bad
