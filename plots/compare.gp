# compare.gp: each variant's difference from the base (replysim compare,
# compare.csv, scope all), a panel per metric: the difference of means as a
# dot with its 95% interval, a line at no difference.  Green: better, red:
# worse (the metric's direction), grey: the interval holds 0 (no
# difference shown), blue: a neutral metric that moved.
# Variables set by `replysim plot`: datafile (compare.csv), outfile, term
# ("png" or "svg"), title_text, metrics (space-separated), scales (the
# factor from each metric's values to its axis: 100 for a share, 1/60 or
# 1/3600 for seconds), flat (1: every difference is 0), better (1 higher is better, -1 lower, 0 neutral),
# labels (an axis label per metric, quoted), variants (quoted names),
# npanels.
nv = words(variants)
height = 240 + 60 * nv * (npanels > 2 ? 2 : 1)
if (term eq "svg") {
    set terminal svg size 1100,height dynamic font "sans,12"
} else {
    set terminal pngcairo size 1100,height font "sans,11"
}
set output outfile
set datafile separator ","
set termoption noenhanced
is(v, m) = strcol(1) eq word(variants, v) && strcol(2) eq m && strcol(3) eq "all"
# -1 worse, 1 better, 0 neutral move, 2 no difference shown
verdict(d, lo, hi, b) = (lo <= 0 && hi >= 0) ? 2 : (b == 0 ? 0 : (d * b > 0 ? 1 : -1))
colour(k) = k == 1 ? 0x228833 : (k == -1 ? 0xcc3311 : (k == 0 ? 0x4477aa : 0x999999))
set yrange [0.4:nv + 0.6]
set ytics () scale 0
do for [v = 1:nv] { set ytics add (word(variants, v) v) }
set grid xtics lc rgb "#dddddd"
set xtics nomirror
set ytics nomirror
set offsets graph 0.08, graph 0.08, 0, 0
unset key
set bars 2
set label 1 "green: better, red: worse, grey: no difference shown (the 95% interval holds 0)" \
    at screen 0.5, screen 0.025 center tc rgb "#555555"
cols = npanels > 2 ? 2 : npanels
rows = npanels > 2 ? 2 : 1
set multiplot layout rows, cols title title_text margins 0.12, 0.97, 0.16, 0.88 spacing 0.12, 0.2
do for [i = 1:npanels] {
    m = word(metrics, i)
    sc = word(scales, i) + 0
    b = word(better, i) + 0
    set xlabel word(labels, i)
    if (word(flat, i) + 0) { set xrange [-1:1] } else { set xrange [*:*] }
    set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb "#555555" dt 2
    # every column NaN on other rows: the interval ends count in the autoscale
    plot for [v = 1:nv] datafile skip 1 using (is(v, m) ? $6 * sc : NaN):(v): \
             (is(v, m) ? $7 * sc : NaN):(is(v, m) ? $8 * sc : NaN): \
             (colour(verdict($6, $7, $8, b))) with xerrorbars pt 7 ps 1.3 lw 2 lc rgb variable
    unset label 1
}
unset multiplot
