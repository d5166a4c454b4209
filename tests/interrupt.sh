#!/bin/sh
# Kills runs of `replysim run --trace` into one folder at many points (SIGKILL
# and SIGINT; half of them after a pseudo-random delay between 40% and 110%
# of a run, half within 20 ms of the moment it begins to write its folder) and checks
# after each that the folder is exactly the old run or exactly the new one,
# compared file by file with reference folders.  Then two runs at once into
# the folder, five times: it must end as one of them.  Then one run to the
# end must leave no leftover beside the folder.
#   sh tests/interrupt.sh build/replysim [TRIALS]
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
trials=${2:-40}
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/replysim-interrupt-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
run() {   # run SEED DIR
    "$bin" run "$src/scenarios/default.ini" -r 2 -j 2 -q --trace \
        --set scenario.seed="$1" -o "$2"
}
run 1 ref1 && run 2 ref2 || { echo "interrupt: reference runs failed"; exit 1; }
cmp -s ref1/messages.csv ref2/messages.csv && { echo "interrupt: references alike"; exit 1; }
t0=$(date +%s%N); run 1 out || exit 1; t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
cur=1 old=0 new=0 left=0 bad=0
i=0
while [ "$i" -lt "$trials" ]; do
    i=$((i + 1))
    next=$((3 - cur))
    sig=KILL; [ $((i % 2)) -eq 0 ] && sig=INT
    delay=$(awk -v s="$i" -v ms="$ms" 'BEGIN { srand(s * 7919); printf "%.3f", (0.4 + 0.7 * rand()) * ms / 1000 }')
    run "$next" out 2>/dev/null &
    pid=$!
    if [ $((i % 4)) -lt 2 ]; then   # half the trials: once it has begun to write
        n=0
        while [ "$n" -lt 2000 ] && ! ls -A | grep -q '^\.out\.replysim-'; do n=$((n + 1)); done
        delay=$(awk -v s="$i" 'BEGIN { srand(s); printf "%.3f", rand() * 0.02 }')
    fi
    sleep "$delay"
    kill -s "$sig" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    ls -A | grep -q '^\.out\.replysim-' && left=$((left + 1))
    if diff -r out "ref$cur" >/dev/null 2>&1; then
        old=$((old + 1))
    elif diff -r out "ref$next" >/dev/null 2>&1; then
        new=$((new + 1)); cur=$next
    else
        bad=$((bad + 1))
        echo "interrupt: trial $i ($sig after ${delay}s): out is neither run"
        ls -A out
    fi
done
# two runs at once into the one folder: it ends as one of them, whole
k=0
while [ "$k" -lt 5 ]; do
    k=$((k + 1))
    run 1 out 2>/dev/null & p1=$!
    run 2 out 2>/dev/null & p2=$!
    wait "$p1"; s1=$?; wait "$p2"; s2=$?
    if [ "$s1" -ne 0 ] || [ "$s2" -ne 0 ]; then
        echo "interrupt: runs at once failed ($s1, $s2)"; bad=$((bad + 1))
    fi
    if ! diff -r out ref1 >/dev/null 2>&1 && ! diff -r out ref2 >/dev/null 2>&1; then
        echo "interrupt: two runs at once mixed their files"; bad=$((bad + 1))
    fi
done
run 1 out || exit 1
if ls -A | grep -q '^\.out\.replysim-'; then
    echo "interrupt: leftovers remain after a complete run"; bad=$((bad + 1))
fi
diff -r out ref1 >/dev/null || { echo "interrupt: final run differs"; bad=$((bad + 1)); }
echo "interrupt: $trials kills over a ${ms} ms run: $old left the old run, $new the new," \
     "$left left a temporary beside it (removed by the next run); 5 pairs of" \
     "concurrent runs; $bad broken"
[ "$bad" -eq 0 ]
