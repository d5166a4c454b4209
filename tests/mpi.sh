#!/bin/sh
# mpi.sh: replysim-mpi over 3 ranks writes, byte for byte, the files,
# stdout, stderr and exit status of replysim -j 1, for each command whose
# work it spreads (run, sweep, compare, staff, check), with threads inside
# the ranks too (-j 2), and for bad input (one line, status 2, nothing
# written).  3 ranks may be more than the machine's cores: --oversubscribe.
#
#   sh tests/mpi.sh BIN MPI_BIN
#
# One line per failing case, then `mpi: N cases, M failed`; status 1 when
# one failed.
# $short and $args are lists of words on purpose.
# shellcheck disable=SC2086
set -u
bin=$1
mpibin=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/replysim-mpi.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT INT TERM
# mpirun refuses root unless told; -q keeps its own notices off stderr.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun="mpirun -q --oversubscribe -n 3"
cases=0
failed=0

# same NAME ARGS...: `replysim ARGS` with -j 1 in place of any -j N, and
# `mpirun -n 3 replysim-mpi ARGS` give the same status, stdout, stderr and
# files.  OUT in ARGS is each one's output folder.
same() {
    name=$1
    shift
    cases=$((cases + 1))
    mkdir -p "$tmp/$name.1" "$tmp/$name.n"
    args1=$(echo "$*" | sed -e "s|OUT|$tmp/$name.1/out|g" -e 's/-j [0-9]*/-j 1/')
    argsn=$(echo "$*" | sed "s|OUT|$tmp/$name.n/out|g")
    # shellcheck disable=SC2086
    timeout 60 $bin $args1 >"$tmp/$name.1.stdout" 2>"$tmp/$name.1.stderr"
    echo $? >"$tmp/$name.1.status"
    # shellcheck disable=SC2086
    timeout 60 $mpirun $mpibin $argsn >"$tmp/$name.n.stdout" 2>"$tmp/$name.n.stderr" </dev/null
    echo $? >"$tmp/$name.n.status"
    for f in stdout stderr; do
        sed -i "s|$tmp/$name\.[1n]/out|OUT|g" "$tmp/$name.1.$f" "$tmp/$name.n.$f"
    done
    why=""
    for f in status stdout stderr; do
        cmp -s "$tmp/$name.1.$f" "$tmp/$name.n.$f" || why="$why; $f differs"
    done
    diff -r "$tmp/$name.1" "$tmp/$name.n" >/dev/null 2>&1 || why="$why; files differ"
    [ "$(ls -A "$tmp/$name.n")" = "$(ls -A "$tmp/$name.1")" ] || why="$why; other files written"
    if [ -n "$why" ]; then
        failed=$((failed + 1))
        echo "tests/mpi.sh: $name:${why#;}"
        head -3 "$tmp/$name.n.stderr"
    fi
}

s=scenarios/small_shop.ini
short="--set scenario.horizon=2d --set scenario.warmup=0s"
same run run $s -r 6 -q --trace -o OUT -j 1
same run_j2 run $s -r 5 -q $short -o OUT -j 2
same sweep sweep $s -r 2 -q $short -o OUT --vary staff.agents=2,3,4 --vary policy.order=fifo,lifo -j 2
same compare compare $s -r 4 -q $short -o OUT --variant lifo:policy.order=lifo
same staff staff $s -r 2 -q -o OUT --target 'sl(1h)>=0.8' $short
# a scoped target counts through a message hook, which ranks do not ship: it stays in-process
same staff_scoped staff $s -r 2 -q -o OUT --target 'sl(1h)>=0.8' --target 'sl(1h)[channel:messages]>=0.9' $short
same check check scenarios/small_shop.ini scenarios/crisis.ini --baseline baselines/examples.csv -q -v
cp baselines/examples.csv "$tmp/moved.csv"
sed -i 's/^small_shop,offered,all,[0-9.]*,/small_shop,offered,all,1,/' "$tmp/moved.csv"
same check_regression check $s --baseline "$tmp/moved.csv" -q
same check_update check $s -r 3 --baseline OUT/b.csv --update -q
same bad_input run $s --set staff.agents=-1 -o OUT
same bad_folder run $s -r 2 $short -q -o "$tmp"
# Only rank 0 tries the folder for real: the other ranks go on simulating
# until rank 0 ends the job.
echo x >"$tmp/a_file"
same bad_parent run $s -r 4 $short -q -o "$tmp/a_file/out"
same validate validate $s

# An error only the other ranks meet (here: their scenario is missing)
# reaches rank 0: their one line, their status, nothing written.
cases=$((cases + 1))
# shellcheck disable=SC2086
timeout 60 mpirun -q --oversubscribe -n 1 $mpibin run $s -r 4 $short -q -o "$tmp/elsewhere" : \
    -n 2 $mpibin run "$tmp/missing.ini" -r 4 $short -q -o "$tmp/elsewhere" \
    >"$tmp/elsewhere.stdout" 2>"$tmp/elsewhere.stderr" </dev/null
st=$?
why=""
[ "$st" = 2 ] || why="$why; status $st, not 2"
grep -q "missing.ini: cannot read" "$tmp/elsewhere.stderr" || why="$why; the ranks' error not shown"
[ ! -e "$tmp/elsewhere" ] || why="$why; results written"
if [ -n "$why" ]; then
    failed=$((failed + 1))
    echo "tests/mpi.sh: error_elsewhere:${why#;}"
fi

echo "mpi: $cases cases, $failed failed"
[ "$failed" = 0 ]
