# service_level.gp: the service level of one threshold per stats interval
# (share of the messages arriving in the interval that were answered
# within T), with its 95% confidence band, the target and the whole run's
# value.  Reads intervals.csv (tidy: one row per interval and metric).
# Variables set by `replysim plot`: datafile (intervals.csv), outfile,
# term ("png" or "svg"), title_text, metric (e.g. "sl_1h"), bh_metric (the
# same threshold in business hours, "sl_bh_1h", drawn beside it; "": none,
# the scenario has no [policy] hours), within_text
# ("1h"), target (0.9), overall (the run's mean of metric, NaN: unknown),
# plotdir, start_day (0 = mon), start_clock_s, warmup_s, horizon_s,
# interval_s (drain_s unused), bands (1: draw the confidence band).
if (term eq "svg") {
    set terminal svg size 1200,500 dynamic font "sans,12"
} else {
    set terminal pngcairo size 1200,500 font "sans,11"
}
set output outfile
set datafile separator ","
set datafile missing NaN                # rows of other metrics: skipped, lines not broken
set termoption noenhanced
end_s = horizon_s
load plotdir."/days.gp"
set bmargin 5
set title title_text
set ylabel sprintf("answered within %s (%% of arrivals)", within_text)
set xrange [0:horizon_s / 86400.0]
is(c) = strcol(4) eq metric ? column(c) : NaN
# The axis starts near the lowest value or the target, whichever is lower:
# a well-staffed run near 100% shows its dips instead of a flat line.
stats datafile skip 1 using (is(5)) nooutput
low = STATS_records > 0 && STATS_min == STATS_min ? STATS_min : 0
low = target < low ? target : low
ymin = low >= 0.5 ? floor(low * 10 - 0.5) / 10.0 : 0
ymin = ymin < 0 ? 0 : ymin
set yrange [ymin:1.02 + (1 - ymin) * 0.03]
step = 1 - ymin > 0.5 ? 0.2 : (1 - ymin > 0.2 ? 0.1 : 0.05)
set ytics () 
do for [k = 0:int((1 - ymin) / step + 0.5)] { set ytics add (sprintf("%.0f%%%%", 100 * (1 - k * step)) 1 - k * step) }
set key outside top center horizontal maxrows 1 samplen 2 Left reverse
set style fill transparent solid 0.25 noborder
if (warmup_s > 0) {
    set object 1 rect from 0, graph 0 to warmup_s / 86400.0, graph 1 behind fc rgb "#ececec" fs solid 1.0 noborder
    # under the axis, beside the day labels: never on a curve
    set label 1 "grey: warm-up, not counted" at 0, graph 0 left offset 0,-2.6 tc rgb "#777777"
}
# The whole run's value (summary.csv), when known.
whole_run = overall == overall ? \
    sprintf(', %.17g with lines dt 3 lw 2 lc rgb "#555555" title "whole run %.0f%%"', overall, 100 * overall) : ""
clip(v) = v < ymin ? ymin : (v > 1 ? 1 : v)    # a band of proportions stays on the axis
# The band, as a macro: a "for [b=1:0]" element would still read the file.
band_plot = bands ? 'datafile skip 1 using ($2 / 86400.0 + half):(clip(is(6))):(clip(is(7))) \
         with filledcurves lc rgb "#4477aa" title "95% confidence band",' : ""
isb(c) = strcol(4) eq bh_metric ? column(c) : NaN
bh_plot = bh_metric ne "" ? 'datafile skip 1 using ($2 / 86400.0 + half):(isb(5)) \
         with lines lw 2 lc rgb "#228833" title sprintf("within %s of business hours (mean)", within_text),' : ""
plot @band_plot @bh_plot \
     datafile skip 1 using ($2 / 86400.0 + half):(is(5)) \
         with lines lw 2 lc rgb "#224477" title sprintf("answered within %s (mean)", within_text), \
     target with lines dt 2 lw 2 lc rgb "#cc3311" title sprintf("target %g%%", 100 * target) \
     @whole_run
