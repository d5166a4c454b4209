# latency.gp: response-time CDF per channel, with its 95% confidence band
# and the service-level thresholds marked.
# Variables set by `replysim plot`: datafile, outfile, term ("png" or "svg"),
# scopes (space-separated scope names), thresholds (seconds), title_text,
# bands (1: draw the confidence bands; 0 with one replication).
if (term eq "svg") {
    set terminal svg size 960,600 dynamic font "sans,12"
} else {
    set terminal pngcairo size 960,600 font "sans,11"
}
set output outfile
set datafile separator ","
set termoption noenhanced               # names such as holiday_week stay as written
set title title_text offset 0,1
set tmargin 4
set xlabel "time since the message arrived (log scale; m = minutes, h = hours, d = days)"
set ylabel "share of messages needing a reply answered within that time"
set logscale x
set xrange [0.999/60:*]
set autoscale xfixmax                   # end at the data, not at the next decade
set xtics ("1m" 1.0/60, "5m" 5.0/60, "15m" 0.25, "1h" 1, "4h" 4, "1d" 24, "1w" 168, "4w" 672)
set mxtics 1
set yrange [0:1]
set format y "%.0f%%"
set ytics ("0%%" 0, "20%%" 0.2, "40%%" 0.4, "60%%" 0.6, "80%%" 0.8, "100%%" 1)
set grid xtics ytics lc rgb "#dddddd"
set key bottom right box opaque Left reverse
set style fill transparent solid 0.18 noborder
do for [t in thresholds] {
    set arrow from (t/3600.0), graph 0 to (t/3600.0), graph 1 nohead dt 2 lc rgb "#888888"
    set label (t < 3600 ? sprintf("%gm", t/60.0) : (t < 86400 ? sprintf("%gh", t/3600.0) : sprintf("%gd", t/86400.0))) at (t/3600.0), graph 1 center offset 0,0.7 tc rgb "#555555" font ",10"
}
# "all" -> "all channels", "channel:twitter" -> "twitter"
scope_name(s) = s eq "all" ? "all channels" : (s[1:8] eq "channel:" ? s[9:*] : s)
# The bands, as a macro: a "for [i=1:0]" element would still read the file.
band_plot = bands ? "for [i=1:words(scopes)] datafile skip 1 \
        using ($2/3600):(strcol(1) eq word(scopes,i) ? $4 : NaN):(strcol(1) eq word(scopes,i) ? $5 : NaN) \
        with filledcurves lc i notitle," : ""
plot @band_plot \
     for [i=1:words(scopes)] datafile skip 1 \
        using ($2/3600):(strcol(1) eq word(scopes,i) ? $3 : NaN) \
        with lines lw 2 lc i title scope_name(word(scopes,i))
