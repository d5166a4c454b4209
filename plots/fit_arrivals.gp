# fit_arrivals.gp: observed against fitted arrivals, per channel: the log's
# mean arrivals per hour in each hour of the week (or each bin of the
# horizon for a log under two weeks) with a Poisson 95% interval, and the
# fitted rate times profile.  Reads fit_arrivals.csv (channel,x_h,
# observed_per_h,lo,hi,fitted_per_h).
# Variables set by `replysim fit`: datafile, outfile, term ("png" or
# "svg"), title_text, weekly (1: x is the hour of the week), channels (a
# word list of the channel names).
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
set grid ytics
set ylabel "arrivals per hour"
set yrange [0:*]
if (weekly) {
    set xlabel "hour of the week"
    set xrange [0:168]
    set xtics ("mon" 0, "tue" 24, "wed" 48, "thu" 72, "fri" 96, "sat" 120, "sun" 144, "" 168)
} else {
    set xlabel "hours from the start"
}
is(name) = strcol(1) eq name ? 1 : NaN
plot for [i=1:words(channels)] datafile using ($2 * is(word(channels, i))):3:4:5 \
         skip 1 with yerrorbars pt 7 ps 0.4 lc i title word(channels, i)." observed", \
     for [i=1:words(channels)] datafile using ($2 * is(word(channels, i))):6 \
         skip 1 with steps lw 2 lc i title word(channels, i)." fitted"
