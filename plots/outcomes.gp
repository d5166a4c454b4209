# outcomes.gp: the outcome model's results for the whole run (summary.csv,
# scope all): expected counts per replication as bars with 95% confidence
# error bars; left the people and posts, right one panel per amount in its
# own unit (extra spend, followers reached, onlookers' purchases).
# Variables set by `replysim plot`: datafile (summary.csv), outfile,
# term ("png" or "svg"), title_text, counts and amounts (the metrics of
# each group present in summary.csv, space-separated; either may be empty;
# amounts that are 0 in the whole run are left out, named in zero),
# bands (1: draw the confidence intervals; 0 with one replication),
# period_text ("over the 13d counted": the period one replication counts).
if (term eq "svg") {
    set terminal svg size 1200,560 dynamic font "sans,12"
} else {
    set terminal pngcairo size 1200,560 font "sans,11"
}
set output outfile
set datafile separator ","
set datafile missing NaN                # rows of other metrics: skipped
set termoption noenhanced

# What each metric is, its unit and whether more of it is good.
desc(m) = m eq "recommenders"    ? "recommend\nthe brand" : \
          m eq "positive_shares" ? "share a good\nexperience" : \
          m eq "negative_posts"  ? "post\nnegatively" : \
          m eq "defectors"       ? "stop buying\n(complaints)" : \
          m eq "spend_uplift"    ? "extra spend of\ncustomers who stay\n(in the types' value)" : \
          m eq "negative_reach"  ? "followers reached\nby negative posts\n(people)" : \
          m eq "onlooker_loss"   ? "purchases lost\namong onlookers of\npublic complaints" : m
good(m) = m eq "recommenders" || m eq "positive_shares" || m eq "spend_uplift"
colour(m) = good(m) ? 0x228833 : 0xcc3311
is(m, c) = strcol(1) eq m && strcol(2) eq "all" ? column(c) : NaN
# The top of a bar: ci_high, or the mean when there is no interval (one replication).
hi(m) = (h_ = is(m, 5), h_ == h_ ? h_ : is(m, 3))
big(v) = v >= 1e6 ? sprintf("%.2fM", v / 1e6) : (v >= 1e5 ? sprintf("%.0fk", v / 1e3) : v >= 1e4 ? sprintf("%.1fk", v / 1e3) : \
         (v >= 100 ? sprintf("%.0f", v) : sprintf("%.3g", v)))

nc = words(counts)
na = words(amounts)
set style fill solid 0.75 noborder
set boxwidth 0.6
set grid ytics lc rgb "#d8d8d8" lt 1
set xtics scale 0 nomirror
set ytics nomirror
unset key
# The counts take the left half (all of it when there are no amounts), each
# amount an equal share of the rest; margins fixed so the panels line up.
split = na == 0 ? 1.0 : (nc == 0 ? 0.0 : 0.5)
# Tic labels: plain up to 9999, then 10k, 2.5M.
tics(v) = v >= 1e6 ? "%.1s%c" : (v >= 1e4 ? "%.0s%c" : "%g")
# The 95% confidence interval as a capped vertical line, from ci_low to ci_high.
ebar = "with vectors heads size screen 0.006,90 lw 1.5 lc rgb '#222222'"

# The amounts left out: 0 in this run, and which scenario key they need.
why0(m) = m eq "spend_uplift" ? "extra spend (no type has a value)" : \
          m eq "negative_reach" ? "reach of negative posts (no followers)" : \
          m eq "onlooker_loss" ? "onlookers' lost purchases (no followers)" : m
zero_text = ""
do for [j = 1:words(zero)] { zero_text = zero_text.(j > 1 ? "; " : "").why0(word(zero, j)) }
set label 1 "green: good for the brand, red: bad.  Bars: mean over the replications; whiskers: 95% confidence interval" \
    at screen 0.5, screen 0.055 center tc rgb "#555555"
if (words(zero) > 0) {
    set label 3 "Not drawn, 0 in this run: ".zero_text at screen 0.5, screen 0.02 center tc rgb "#555555"
}
# The whiskers as macros (expanded when a block is read, so defined out
# here; a "for [i=1:0]" element would still read the file).
count_bars = bands ? "for [i = 1:nc] datafile skip 1 using (i):(is(word(counts, i), 4)):(0):($5 - $4) ".ebar."," : ""
amount_bars = bands ? "datafile skip 1 using (1):(is(m, 4)):(0):($5 - $4) ".ebar."," : ""

set multiplot title title_text
set tmargin at screen 0.82
set bmargin at screen 0.17
if (nc > 0) {
    set lmargin at screen 0.07
    set rmargin at screen split - 0.03
    set xrange [0.4:nc + 0.6]
    set xtics ()
    do for [i = 1:nc] { set xtics add (desc(word(counts, i)) i) }
    top = 0
    do for [i = 1:nc] {
        set autoscale y
        stats datafile skip 1 using (hi(word(counts, i))) nooutput
        top = STATS_max > top ? STATS_max : top
    }
    set yrange [0:(top > 0 ? 1.12 * top : 1)]   # room for the value labels
    set format y tics(top)
    set ylabel "expected number ".period_text
    set title "people and posts"
    plot for [i = 1:nc] datafile skip 1 using (i):(is(word(counts, i), 3)) with boxes lc rgb colour(word(counts, i)), \
         @count_bars \
         for [i = 1:nc] datafile skip 1 using (i):(hi(word(counts, i))):(big(is(word(counts, i), 3))) \
             with labels offset 0,0.8 font ",10"
}
unset label 1
unset label 3
w = (1.0 - split) / (na > 0 ? na : 1)
do for [j = 1:na] {
    m = word(amounts, j)
    set lmargin at screen split + (j - 1) * w + 0.055
    set rmargin at screen split + j * w - 0.02
    set xrange [0.4:1.6]
    unset xtics
    unset ylabel
    set title desc(m)
    set autoscale y
    stats datafile skip 1 using (hi(m)) nooutput
    set yrange [0:(STATS_max > 0 ? 1.12 * STATS_max : 1)]
    set format y tics(STATS_max)
    # All zero: say which scenario key the amount needs (docs/outcomes.md).
    if (STATS_max == 0) {
        set label 2 (m eq "spend_uplift" ? "0: the types\nhave no value" : "0: the authors\nhave no followers") \
            at 1, graph 0.5 center tc rgb "#555555"
        set ytics ("0" 0)
    }
    plot datafile skip 1 using (1):(is(m, 3)) with boxes lc rgb colour(m), \
         @amount_bars \
         datafile skip 1 using (1):(hi(m)):(big(is(m, 3))) with labels offset 0,0.8 font ",10"
    unset label 2
    set ytics autofreq
}
unset multiplot
