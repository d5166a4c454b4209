# latency.gp: response-time CDF per channel, with its 95% confidence band
# and the service-level thresholds marked.
# Variables set by `replysim plot`: datafile, outfile, term ("png" or "svg"),
# scopes (space-separated scope names), thresholds (seconds), title_text.
if (term eq "svg") {
    set terminal svg size 960,600 dynamic font "sans,12"
} else {
    set terminal pngcairo size 960,600 font "sans,11"
}
set output outfile
set datafile separator ","
set title title_text
set xlabel "time since the message arrived (hours, log scale)"
set ylabel "share of messages needing a reply answered within that time"
set logscale x
set xrange [1.0/60:*]
set yrange [0:1]
set format y "%.0f%%"
set ytics ("0%%" 0, "20%%" 0.2, "40%%" 0.4, "60%%" 0.6, "80%%" 0.8, "100%%" 1)
set grid xtics ytics lc rgb "#dddddd"
set key bottom right box opaque
set style fill transparent solid 0.18 noborder
do for [t in thresholds] {
    set arrow from (t/3600.0), graph 0 to (t/3600.0), graph 1 nohead dt 2 lc rgb "#888888"
    set label (t < 3600 ? sprintf("%gm", t/60.0) : sprintf("%gh", t/3600.0)) at (t/3600.0), graph 0.97 left offset 0.3,0 tc rgb "#666666" font ",9"
}
plot for [i=1:words(scopes)] datafile skip 1 \
        using ($2/3600):(strcol(1) eq word(scopes,i) ? $4 : NaN):(strcol(1) eq word(scopes,i) ? $5 : NaN) \
        with filledcurves lc i notitle, \
     for [i=1:words(scopes)] datafile skip 1 \
        using ($2/3600):(strcol(1) eq word(scopes,i) ? $3 : NaN) \
        with lines lw 2 lc i title word(scopes,i)
