#!/bin/sh
# memory.sh: peak memory (RSS) of whole `replysim run` processes on the
# benchmark model (bench/mmc.ini, hourly intervals, one replication) as the
# number of arrivals grows, two ways:
#   - the horizon grows at 570 arrivals an hour: 1M, 2M, 4M, 16M arrivals
#     (73, 146, 292 and 1170 days);
#   - two years (730 days) fixed, the rate grows: 2M and 16M arrivals, with
#     agents scaled to the same load (10 and 80 agents).
# `make bench` runs it; GNU time (/usr/bin/time) measures.
#
#   sh bench/memory.sh build/replysim
set -u
bin=${1:-build/replysim}
if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
    echo "memory: /usr/bin/time (GNU time) not found; skipped"
    exit 0
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/replysim-bench.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT

# peak KiB of one run: rss ARGS...
rss() {
    /usr/bin/time -f %M -o "$dir/rss" "$bin" run bench/mmc.ini -q -o "$dir/out" "$@" >/dev/null ||
        { echo "memory: replysim run failed" >&2; exit 3; }
    cat "$dir/rss"
}

echo "peak memory of replysim run bench/mmc.ini (whole process, hourly intervals, 1 replication):"
for spec in 1M:73d 2M:146d 4M:292d 16M:1170d; do
    n=${spec%%:*}
    h=${spec#*:}
    k=$(rss --set scenario.horizon="$h")
    eval "rss_$n=$k"
    awk -v n="$n" -v h="$h" -v k="$k" \
        'BEGIN { printf "  %4s arrivals, horizon %5s: %6.1f MiB\n", n, h, k / 1024 }'
done
# shellcheck disable=SC2154 # set by the eval above
awk -v a="$rss_2M" -v b="$rss_16M" 'BEGIN { printf "  16M / 2M: %.2fx\n", b / a }'
a=$(rss --set scenario.horizon=730d --set channel.twitter.rate=114.16/h --set staff.agents=10)
b=$(rss --set scenario.horizon=730d --set channel.twitter.rate=913.24/h --set staff.agents=80)
awk -v a="$a" -v b="$b" 'BEGIN {
    printf "  two years hourly: 2M arrivals %.1f MiB, 16M arrivals %.1f MiB: %.2fx\n",
        a / 1024, b / 1024, b / a }'
