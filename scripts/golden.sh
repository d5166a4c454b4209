#!/bin/sh
# Writes the outputs of every command on every shipped scenario into DIR, so
# that two builds can be compared byte for byte (a refactoring changes none):
#   sh scripts/golden.sh build/replysim /tmp/before   # on the old build
#   sh scripts/golden.sh build/replysim /tmp/after    # on the new one
#   diff -r /tmp/before /tmp/after
# Pictures are left out (gnuplot's bytes are not ours); everything else,
# stdout and stderr and exit status included, is kept.
set -u
bin=$1
out=$2
rm -rf "$out" && mkdir -p "$out"
step() {   # step NAME COMMAND...: stdout, stderr and status of one command
    name=$1; shift
    "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"
    echo $? >"$out/$name.status"
}
for s in scenarios/*.ini; do
    n=$(basename "$s" .ini)
    step "$n.validate" "$bin" validate "$s"
    step "$n.run" "$bin" run "$s" -r 3 -j 2 -q --trace -o "$out/$n.run.d"
    step "$n.compare" "$bin" compare "$s" -r 3 -j 2 -q -o "$out/$n.compare.d" \
        --variant lifo:policy.order=lifo --variant dl:policy.order=deadline
    step "$n.sweep" "$bin" sweep "$s" -r 2 -j 2 -q -o "$out/$n.sweep.d" \
        --vary policy.order=fifo,lifo
    step "$n.staff" "$bin" staff "$s" -r 2 -j 2 -q -o "$out/$n.staff.d" \
        --target 'sl(1h)>=0.8' --set scenario.horizon=3d --set scenario.warmup=0s
done
step check "$bin" check scenarios/*.ini --baseline baselines/examples.csv -j 2 -q -v
step staff_shifts "$bin" staff scenarios/small_shop.ini -r 2 -j 2 -q -o "$out/shifts.d" \
    --target 'frt_p90<=2h' --set scenario.horizon=2d --shifts 8h,4h
step erlang "$bin" erlang --rate 570/h --handle 5m --agents 45:55 --patience 10m
step erlang_csv "$bin" erlang --rate 9.5/m --handle 5m --agents 50 --csv
step help "$bin" --help
for c in run validate compare check sweep staff erlang plot; do
    step "help_$c" "$bin" "$c" --help
done
step bad_cmd "$bin" frobnicate
step bad_opt "$bin" run scenarios/default.ini --nope
step bad_key "$bin" validate scenarios/default.ini --set staff.agentz=3
# Pictures' inputs: plot writes its gnuplot data beside the PNGs; keep the
# status only.
step plot "$bin" plot "$out/default.run.d"
find "$out" \( -name '*.png' -o -name '*.svg' \) -exec rm -f {} +
# Paths and solver times differ from run to run; nothing else may.
for f in "$out"/*.stdout "$out"/*.stderr; do
    sed -i -e "s|$out|OUT|g" -e 's/, [0-9.e+-]* s)$/, T s)/' "$f"
done
