#!/bin/sh
# mpi_scaling.sh: replications of the benchmark model (M/M/50+M, 12
# replications of 16 days, about 220,000 arrivals each) on 1, 2 and 3 MPI
# ranks of replysim-mpi, -j 1 in each (make bench-mpi).
#
#   sh bench/mpi_scaling.sh BIN MPI_BIN
#
# A shared machine's wall time says little, so each rank's work is counted
# too: its CPU time (getrusage, through /usr/bin/time) and its instructions
# (valgrind's callgrind; slow, so on a quarter of the replications'
# length).  The busiest rank bounds the run when every rank has a core of
# its own: the speedup is the single process's figure over the busiest
# rank's.  The serial fraction f is measured on replysim itself: the
# instructions of -r 12 and -r 6 give the cost of one replication, the rest
# is what does not spread (loading, checking, summaries, writing); Amdahl's
# law then expects 1 / (f + (1 - f) / N) on N ranks.
# $short and $over are lists of words on purpose.
# shellcheck disable=SC2086
set -eu
bin=$1
mpibin=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/replysim-scale.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cat >"$tmp/scale.ini" <<'INI'
[scenario]
name = scale
horizon = 64d
warmup = 0s
interval = 1d
replications = 12
seed = 1
[channel web]
rate = 9.5/m
mix = q:1
[type q]
handle = exponential(mean=5m)
patience = exponential(mean=10m)
[staff]
agents = 50
[policy]
abandon = leave
INI
short="--set scenario.horizon=16d"
cores=$(nproc)

# ir FILE...: the instructions of callgrind output files, one a line.
ir() { for f in "$@"; do sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$f"; done; }

# The serial fraction, from replysim's own instructions.
for r in 6 12; do
    valgrind --tool=callgrind --callgrind-out-file="$tmp/serial.$r" \
        "$bin" run "$tmp/scale.ini" $short -r $r -j 1 -q -o "$tmp/out" >/dev/null 2>&1
done
i6=$(ir "$tmp/serial.6")
i12=$(ir "$tmp/serial.12")
f=$(awk -v a="$i6" -v b="$i12" 'BEGIN { p = (b - a) / 6; printf "%.4f", (b - 12 * p) / b }')
echo "replysim -r 12 -j 1: $i12 instructions; one replication $(((i12 - i6) / 6)); serial fraction f = $f"
echo "this machine: $cores cores (ranks beyond them are oversubscribed and share cores)"
printf '%-6s %-10s %-12s %-14s %-10s %-16s %-10s %-8s\n' ranks wall_s cpu_all_s cpu_busiest_s speedup \
    ir_busiest speedup_ir amdahl
t1=""
ir1=""
for n in 1 2 3; do
    over=""
    [ "$n" -le "$cores" ] || over="--oversubscribe"
    start=$(date +%s.%N)
    mpirun -q $over -n $n sh -c "/usr/bin/time -f '%U %S' -o $tmp/cpu.$n.\$OMPI_COMM_WORLD_RANK \
        $mpibin run $tmp/scale.ini -j 1 -q -o $tmp/out.$n" >/dev/null
    wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
    cpu=$(cat "$tmp"/cpu.$n.* | awk '{ t = $1 + $2; s += t; if (t > m) m = t } END { printf "%.2f %.2f", s, m }')
    mpirun -q $over -n $n valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$n.%p" \
        "$mpibin" run "$tmp/scale.ini" $short -j 1 -q -o "$tmp/cgout.$n" >/dev/null 2>&1
    irmax=$(ir "$tmp"/cg.$n.* | sort -n | tail -1)
    busiest=${cpu#* }
    [ -n "$t1" ] || t1=$busiest
    [ -n "$ir1" ] || ir1=$irmax
    awk -v n="$n" -v w="$wall" -v c="$cpu" -v t1="$t1" -v ir="$irmax" -v ir1="$ir1" -v f="$f" 'BEGIN {
        split(c, x, " ")
        printf "%-6d %-10s %-12s %-14s %-10.2f %-16s %-10.2f %-8.2f\n", n, w, x[1], x[2], \
            t1 / x[2], ir, ir1 / ir, 1 / (f + (1 - f) / n) }'
    cmp -s "$tmp/out.1/summary.csv" "$tmp/out.$n/summary.csv" || echo "ranks $n: summary.csv differs!"
done
