# backtest.gp: a backtest's observations against what the scenario
# predicts, per interval of arrival: for each metric a panel with the
# replications' mean, the 95% prediction band of one replication, and the
# log's value (points: filled inside the band, open and red outside; one
# plot element, so a panel with none outside draws without a warning).  Reads
# backtest.csv (tidy: one row per interval and metric; the whole log's rows,
# interval "all", have no start_s and are skipped).
# Variables set by `replysim plot`: datafile (backtest.csv), outfile, term
# ("png" or "svg"), title_text, metrics (the panels' metrics, words),
# coverage and counted (per panel: share of intervals in the band and how
# many were compared), rates (per panel: 1 for a share in [0, 1]),
# plotdir, start_day, start_clock_s, horizon_s, drain_s, interval_s.
n_panels = words(metrics)
height = 260 * n_panels + 60
if (term eq "svg") {
    set terminal svg size 1200,height dynamic font "sans,12"
} else {
    set terminal pngcairo size 1200,height font "sans,11"
}
set output outfile
set datafile separator ","
set datafile missing NaN
set termoption noenhanced
end_s = horizon_s + drain_s
load plotdir."/days.gp"
set xrange [0:end_s / 86400.0]
set key outside top right vertical samplen 2 Left reverse
set style fill transparent solid 0.25 noborder
set multiplot layout n_panels,1 title title_text
do for [k = 1:n_panels] {
    metric = word(metrics, k)
    set title sprintf("%s: %.1f%% of %d intervals in the band", metric, \
                      100 * word(coverage, k), int(word(counted, k)))
    if (int(word(rates, k))) { set yrange [0:1.05] } else { set yrange [0:*] }
    is(c) = strcol(4) eq metric ? column(c) : NaN
    in_band = 0
    mark(c) = (in_band = column(5) >= column(7) && column(5) <= column(8), is(c))
    plot datafile skip 1 using ($2 / 86400.0 + half):(is(7)):(is(8)) \
             with filledcurves lc rgb "#4477aa" title "95% band of one replication", \
         datafile skip 1 using ($2 / 86400.0 + half):(is(6)) \
             with lines lw 2 lc rgb "#224477" title "predicted (mean)", \
         datafile skip 1 using ($2 / 86400.0 + half):(mark(5)):(in_band ? 7 : 6): \
             (in_band ? 0x228833 : 0xcc3311) with points pt variable ps 0.8 lc rgb variable \
             title "observed (green: in the band, red: outside)"
}
unset multiplot
