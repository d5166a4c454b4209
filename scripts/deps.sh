#!/bin/sh
# Checks the Debian packages replysim builds and runs with.  As root it
# installs the missing ones; otherwise it names them in one line and fails.
# Each entry: package, then a file that proves it is installed.
# `deps.sh fuzz` also checks clang and libFuzzer (make fuzz, make test);
# `deps.sh lint` clang-format 14 and cppcheck (make lint, make format);
# `deps.sh test` what the tests read results with: xmllint (check's JUnit
# XML) and headless Chromium (renders report.html) (make test, make test-unit).
# `deps.sh mpi` Open MPI (make mpi, make test; make lint compiles tool/mpi*.c).
# `deps.sh bench` GNU time, which measures peak memory (make bench).
set -u
missing=""
check() { [ -e "$2" ] || missing="$missing $1"; }
if [ "${1:-}" = fuzz ]; then
    # clang-14 only recommends the compiler-rt runtimes that hold libFuzzer.
    check clang              /usr/bin/clang
    check libclang-rt-14-dev /usr/lib/llvm-14/lib/clang/14*/lib/linux/libclang_rt.fuzzer-$(uname -m).a
    check binutils           /usr/bin/objcopy
fi
if [ "${1:-}" = lint ]; then
    # The committed .clang-format is read as clang-format 14 reads it.
    check clang-format-14    /usr/bin/clang-format-14
    check cppcheck           /usr/bin/cppcheck
fi
if [ "${1:-}" = mpi ] || [ "${1:-}" = lint ]; then
    # replysim-mpi: mpicc and the headers, mpirun to run it.
    check libopenmpi-dev /usr/lib/*/openmpi/include/mpi.h
    check openmpi-bin    /usr/bin/mpicc.openmpi
fi
if [ "${1:-}" = bench ]; then
    check time               /usr/bin/time
fi
if [ "${1:-}" = test ]; then
    check libxml2-utils      /usr/bin/xmllint
    check chromium           /usr/bin/chromium
fi
check libgsl-dev   /usr/include/gsl/gsl_rng.h
check check        /usr/include/check.h
check libcsv-dev   /usr/include/csv.h
check libinih-dev  /usr/include/ini.h
check libglpk-dev  /usr/include/glpk.h
check gnuplot-nox  /usr/bin/gnuplot
check pkgconf      /usr/bin/pkg-config
check gcc          /usr/bin/gcc
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "replysim: installing missing packages:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null && exit 0
    echo "replysim: apt-get could not install:$missing" >&2
    exit 1
fi
echo "replysim: missing Debian packages, install them with: sudo apt-get install$missing" >&2
exit 1
