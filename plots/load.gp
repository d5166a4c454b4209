# load.gp: the load over time, per stats interval (means over replications).
# Top: messages arriving and replies posted per hour, and agents on shift
# (right axis).  Bottom: messages waiting (time-average queue length per
# interval) with its 95% confidence band.  Reads intervals.csv (tidy: one
# row per interval and metric).
# Variables set by `replysim plot`: plotdir, datafile (intervals.csv),
# outfile, term ("png" or "svg"), title_text, start_day (0 = mon),
# start_clock_s, warmup_s, horizon_s, drain_s, interval_s, bands (1: draw
# the confidence band).
if (term eq "svg") {
    set terminal svg size 1200,760 dynamic font "sans,12"
} else {
    set terminal pngcairo size 1200,760 font "sans,11"
}
set output outfile
set datafile separator ","
set datafile missing NaN                # rows of other metrics: skipped, lines not broken
set termoption noenhanced
end_s = horizon_s + drain_s
is(name, c) = strcol(4) eq name ? column(c) : NaN
per_h = 3600.0 / interval_s             # counts per interval -> per hour
x(c) = column(c) / 86400.0              # interval start, days since t = 0
max0(v) = v < 0 ? 0 : v                 # a band of counts stays above 0

# Grey: the warm-up (not counted) and the drain (no new arrivals).
set style fill transparent solid 0.25 noborder
set lmargin at screen 0.08
set rmargin at screen 0.92

set multiplot title title_text
# ---- top: arrivals, replies and agents on shift
load plotdir."/days.gp"
unset label
set xrange [0:end_s / 86400.0]
set xlabel " "
set size 1, 0.46
set origin 0, 0.5
set bmargin 1.5
set tmargin 3.5
set ylabel "messages per hour"
set y2label "agents on shift (time-average)"
set yrange [0:*]
set y2range [0:*]
set ytics nomirror
set y2tics
set key outside top center horizontal maxrows 1 samplen 2 Left reverse
if (warmup_s > 0) {
    set object 1 rect from 0, graph 0 to warmup_s / 86400.0, graph 1 behind fc rgb "#ececec" fs solid 1.0 noborder
}
set object 2 rect from horizon_s / 86400.0, graph 0 to end_s / 86400.0, graph 1 behind fc rgb "#ececec" fs solid 1.0 noborder
plot datafile skip 1 using (x(2)):(per_h * is("arrivals", 5)) with steps lw 2 lc rgb "#4477aa" title "messages arriving per hour", \
     "" skip 1 using (x(2)):(per_h * is("replies", 5)) with steps lw 1.5 lc rgb "#228833" title "replies posted per hour", \
     "" skip 1 using (x(2)):(is("agents", 5)) axes x1y2 with steps lw 2 lc rgb "#ee7733" title "agents on shift (right axis)"

# ---- bottom: the queue
unset y2label
unset y2tics
set ytics mirror
load plotdir."/days.gp"
# under the axis, beside the day labels: never on a curve
if (warmup_s > 0) {
    set label 1 "grey: warm-up, not counted" at 0, graph 0 left offset 0,-2.6 tc rgb "#777777"
}
set label 2 "grey: drain, no new arrivals" at end_s / 86400.0, graph 0 right offset 0,-2.6 tc rgb "#777777"
set size 1, 0.5
set origin 0, 0
set tmargin 2.5
set bmargin 5
set ylabel "messages waiting (queue length)"
# The band, as a macro: a "for [b=1:0]" element would still read the file.
band_plot = bands ? 'datafile skip 1 using (x(2) + half):(max0(is("queue_mean", 6))):(is("queue_mean", 7)) \
         with filledcurves lc rgb "#aa3377" title "95% confidence band",' : ""
plot @band_plot \
     datafile skip 1 using (x(2) + half):(is("queue_mean", 5)) with lines lw 2 lc rgb "#aa3377" title "messages waiting, not yet taken by an agent (time-average)"
unset multiplot
