#!/bin/sh
# Every shipped scenario (scenarios/*.ini) runs as it is, with few
# replications to keep CI short, writes its four files, and plots.  The
# calibration of retail_2015.ini is checked in tests/test_examples.c.
set -eu
bin=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=0
for s in scenarios/*.ini; do
    name=$(basename "$s" .ini)
    "$bin" validate "$s" >"$out/$name.resolved.ini" || { echo "examples: $s: validate failed"; exit 1; }
    "$bin" run "$s" -r 2 -j 2 -q -o "$out/$name"
    for f in summary.csv replications.csv intervals.csv latency.csv scenario.ini; do
        [ -s "$out/$name/$f" ] || { echo "examples: $s: $f missing"; exit 1; }
    done
    "$bin" plot "$out/$name"
    for p in latency service_level load outcomes; do
        [ -s "$out/$name/$p.png" ] || { echo "examples: $s: no $p.png"; exit 1; }
    done
    n=$((n + 1))
done
echo "examples: $n scenarios ran and plotted"
