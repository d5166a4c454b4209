# sweep.gp: one or two metrics of a sweep against its first swept key, with
# 95% confidence intervals as error bars; a curve per combination of the
# other swept keys.
# Variables set by `replysim plot`: datafile (blocks of "x y1 lo1 hi1 y2 lo2
# hi2 label", one per series), outfile, term ("png" or "svg"), title_text,
# xlabel_text, y1label, y2label, y1name, y2name, titles (a quoted name per
# series), nseries, two (1: y2 drawn on the right axis), categorical (1: x
# is the index of a category named by label), ncat, categories (a quoted
# name per category), y1pct, y2pct (1: the
# axis is a percentage).
if (term eq "svg") {
    set terminal svg size 960,600 dynamic font "sans,12"
} else {
    set terminal pngcairo size 960,600 font "sans,11"
}
set termoption noenhanced  # metric names hold underscores
set output outfile
set title title_text
set xlabel xlabel_text
set ylabel y1label
set grid xtics ytics lc rgb "#dddddd"
nkeys = nseries * (1 + two)
# the legend under the axis label, a line per curve (two side by side fit)
set key at screen 0.5, 0.015 center bottom horizontal reverse Left box
set bmargin (nkeys <= 2 ? 5.5 : 4.5 + nkeys)
set bars small
set offsets graph 0.04, graph 0.04, 0, 0
if (y1pct) { set yrange [0:105]; set ytics 0, 20, 100 } else { set yrange [0:*] }
if (two) {
    set ytics nomirror
    set y2tics
    set y2label y2label
    if (y2pct) { set y2range [0:105]; set y2tics 0, 20, 100 } else { set y2range [0:*] }
}
if (categorical) {
    set xrange [-0.5:ncat-0.5]
    set offsets 0, 0, 0, 0
    set xtics scale 0 ()
    do for [i=1:ncat] { set xtics add (word(categories, i) i - 1) }
}
# categories: the series side by side; numbers: on the value itself
off(i) = categorical ? (i - 1 - (nseries - 1) / 2.0) * 0.3 / nseries : 0
lc1(i) = nseries == 1 ? 1 : i
lc2(i) = nseries == 1 ? 2 : i
t1(i) = nseries == 1 ? y1name : y1name . ", " . word(titles, i)
t2(i) = nseries == 1 ? y2name . " (right axis)" : y2name . " (right axis), " . word(titles, i)
style = categorical ? "yerrorbars" : "yerrorlines"
dash2 = categorical ? 1 : 2
if (two) {
    plot for [i=1:nseries] datafile index (i-1) using ($1+off(i)):2:3:4 \
            with @style lc lc1(i) lw 2 pt 7 ps 1.2 title t1(i), \
         for [i=1:nseries] datafile index (i-1) using ($1+off(i)+(categorical ? 0.04 : 0)):5:6:7 \
            axes x1y2 with @style lc lc2(i) lw 2 dt dash2 pt 5 ps 1.1 title t2(i)
} else {
    plot for [i=1:nseries] datafile index (i-1) using ($1+off(i)):2:3:4 \
            with @style lc lc1(i) lw 2 pt 7 ps 1.2 title t1(i)
}
