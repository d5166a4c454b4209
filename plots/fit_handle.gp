# fit_handle.gp: the handle-time fit, per type: the share of the log's
# handle times per unit of ln(seconds) in each bin of a log-scale
# histogram (boxes), and the chosen distribution's (line).  Reads
# fit_handle.csv (type,distribution,lo_s,hi_s,observed_density,
# fitted_density).
# Variables set by `replysim fit`: datafile, outfile, term, title_text,
# types (a word list of the type names), labels (the same, with the chosen
# distribution).
if (term eq "svg") {
    set terminal svg size 1200,600 dynamic font "sans,12"
} else {
    set terminal pngcairo size 1200,600 font "sans,11"
}
set output outfile
set datafile separator ","
set datafile missing NaN
set termoption noenhanced
set title title_text
set key outside right top
set grid
set logscale x
set xlabel "handle time (seconds, log scale)"
set ylabel "share per unit of ln(seconds)"
set yrange [0:*]
set style fill transparent solid 0.3 noborder
is(name) = strcol(1) eq name ? 1 : NaN
mid(lo, hi) = sqrt(lo * hi)
plot for [i=1:words(types)] datafile \
         using (mid($3, $4) * is(word(types, i))):5:3:4:(0):5 skip 1 with boxxyerror lc i \
         title word(labels, i)." observed", \
     for [i=1:words(types)] datafile using (mid($3, $4) * is(word(types, i))):6 skip 1 \
         with linespoints pt 7 ps 0.5 lw 2 lc i title word(labels, i)." fitted"
