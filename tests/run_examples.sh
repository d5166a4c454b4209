#!/bin/sh
# Every shipped scenario runs as it is (few replications, to keep CI short),
# writes its four files, and the default one can be plotted.
set -eu
bin=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=0
for s in scenarios/*.ini; do
    name=$(basename "$s" .ini)
    "$bin" run "$s" -r 2 -j 2 -q -o "$out/$name"
    for f in summary.csv replications.csv latency.csv scenario.ini; do
        [ -s "$out/$name/$f" ] || { echo "examples: $s: $f missing"; exit 1; }
    done
    n=$((n + 1))
done
"$bin" plot "$out/default"
[ -s "$out/default/latency.png" ] || { echo "examples: no latency.png"; exit 1; }
echo "examples: $n scenarios ran"
