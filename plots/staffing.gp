# staffing.gp: the staffing found by `replysim staff` against demand.
# Top: agents per interval (steps) and the offered load in Erlangs
# (messages needing a reply per second x mean handle time), with messages
# per hour on the right axis.  Bottom: the target's figure per interval of
# arrival (mean over replications, 95% band) and the target line.
# Reads staffing.csv (interval,start_s,start,agents,inbox_per_h,load_erl,
# metric,target,mean,ci_low,ci_high,n[,...,fresh_mean,fresh_ci_low,
# fresh_ci_high,...,judged,met]), a row per interval and target: every
# stride-th row from the first is the first target's, the rows drawn.
# Variables set by `replysim plot`: plotdir, datafile, outfile, term, title_text,
# panel_text (title of the bottom panel: which target, which replications),
# metric_text (y label of the bottom panel), pct (1: the figure is a share),
# scale (from the figure's values to the axis': 100 for a share, 1/60 or
# 1/3600 for seconds), judged (the column of judged, 0: none), met (the
# column of met, 0: none; with neither every interval is drawn alike),
# target, bands, stride (targets per interval), ymean, ylow, yhigh (the
# columns of the figure drawn: fresh_mean and its interval, or in older
# files mean), unjudged_n and missed_n (the first target's intervals not
# judged, and judged but missed: no marks when none), start_day, start_clock_s, horizon_s, interval_s.
if (term eq "svg") {
    set terminal svg size 1200,760 dynamic font "sans,12"
} else {
    set terminal pngcairo size 1200,760 font "sans,11"
}
set output outfile
set datafile separator ","
set datafile missing NaN
set termoption noenhanced
end_s = horizon_s
x(c) = column(c) / 86400.0
clip(v) = pct ? (v < 0 ? 0 : (v > 100 ? 100 : v)) : (v < 0 ? 0 : v)
set style fill transparent solid 0.25 noborder
set lmargin at screen 0.08
set rmargin at screen 0.92
set multiplot title title_text
# ---- top: agents against demand
load plotdir."/days.gp"
unset label
set xrange [0:end_s / 86400.0]
set xlabel " "
set size 1, 0.46
set origin 0, 0.5
set bmargin 1.5
set tmargin 3.5
set ylabel "agents / offered load (Erlangs)"
set y2label "messages needing a reply per hour"
set yrange [0:*]
set y2range [0:*]
set ytics nomirror
set y2tics
set key outside top center horizontal maxrows 1 samplen 2 Left reverse
plot datafile skip 1 every stride using (x(2)):4 with steps lw 2.5 lc rgb "#ee7733" title "agents found", \
     "" skip 1 every stride using (x(2) + half):6 with linespoints lw 1.5 pt 7 ps 0.5 lc rgb "#4477aa" title "offered load (Erlangs)", \
     "" skip 1 every stride using (x(2) + half):5 axes x1y2 with lines lw 1 dt 2 lc rgb "#228833" title "messages per hour (right axis)"
# ---- bottom: the target's figure
unset y2label
unset y2tics
set ytics mirror
load plotdir."/days.gp"
set size 1, 0.5
set origin 0, 0
set tmargin 4.5
set bmargin 4
set ylabel metric_text
set key title panel_text
if (pct) { set yrange [0:105] } else { set yrange [0:*] }
band_plot = bands ? 'datafile skip 1 every stride using (x(2) + half):(clip(column(ylow) * scale)):(clip(column(yhigh) * scale)) with filledcurves lc rgb "#aa3377" title "95% confidence band",' : ""
# Intervals not judged (too few messages to judge, or in the warm-up: judged
# is 0, or, in a file without that column, met is empty) drawn as open grey
# circles; judged ones that miss the target (met 0) as red crosses.
unjudged(dummy) = judged ? column(judged) == 0 : (met ? column(met) != column(met) : 0)
missed(dummy) = met && !unjudged(0) ? column(met) == 0 : 0
unjudged_plot = unjudged_n > 0 ? 'datafile skip 1 every stride using (x(2) + half):(unjudged(0) ? column(ymean) * scale : NaN) with points pt 6 ps 0.7 lc rgb "#999999" title "not judged (warm-up or too few messages)",' : ""
missed_plot = missed_n > 0 ? 'datafile skip 1 every stride using (x(2) + half):(missed(0) ? column(ymean) * scale : NaN) with points pt 2 ps 1.2 lw 2 lc rgb "#cc3311" title "judged, target missed",' : ""
is_judged(v) = unjudged(0) || missed(0) ? NaN : v
plot @band_plot @unjudged_plot @missed_plot \
     datafile skip 1 every stride using (x(2) + half):(column(ymean) * scale) with lines lw 1 lc rgb "#cc99bb" notitle, \
     datafile skip 1 every stride using (x(2) + half):(is_judged(column(ymean) * scale)) with points pt 7 ps 0.5 lc rgb "#aa3377" title "judged, target met", \
     target * scale with lines lw 1.5 dt 2 lc rgb "#222222" title "target"
unset multiplot
