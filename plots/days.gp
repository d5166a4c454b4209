# days.gp: included by service_level.gp, load.gp and staffing.gp.  An x
# axis in days since t = 0.  Up to two weeks: a grid line at each midnight
# and the weekday under the middle of each day.  Longer: labels thin out so
# they never run together: the Mondays only ("Mon 8": day 8 of the run),
# every fourth Monday beyond four months, grid lines at each midnight up to
# six weeks and on the labelled Mondays beyond.  Needs start_day (weekday
# of t = 0, 0 = mon), start_clock_s (clock time of t = 0), interval_s
# (width of a stats interval) and end_s (right end of the axis, seconds).
weekdays = "Mon Tue Wed Thu Fri Sat Sun"
clock_d = start_clock_s / 86400.0
half = interval_s / 172800.0            # an interval's middle, in days
interval_text = interval_s == 3600 ? "hour" : \
    (interval_s < 3600 ? sprintf("%g min", interval_s / 60) : sprintf("%g h", interval_s / 3600))
span_d = end_s / 86400.0
daily = span_d <= 15
every = span_d <= 120 ? 1 : 4           # label every Monday, or every fourth
set xtics () format "" scale 0
set grid xtics ytics lc rgb "#d8d8d8" lt 1
set xlabel (daily ? "day (grid lines at midnight)" : \
    (span_d <= 42 ? "day of the run, labelled on Mondays (grid lines at midnight)" : \
                    "day of the run, labelled on Mondays (grid lines at the labels)")) offset 0,-0.6
set bmargin 4
mondays = 0
do for [k = 0:int(span_d) + 1] {
    x0 = k - clock_d
    wd = (start_day + k) % 7
    monday = wd == 0
    if (monday) { mondays = mondays + 1 }
    shown = daily || (monday && (mondays - 1) % every == 0)
    if (x0 >= 0 && x0 <= span_d && (span_d <= 42 || shown)) { set xtics add ("" x0) }
    x1 = daily ? x0 + 0.5 : x0
    if (shown && x1 >= 0 && x1 < span_d) {
        set label (100 + k) (daily ? word(weekdays, wd + 1) : sprintf("Mon %d", k + 1)) \
            at x1, graph 0 center offset 0,-0.8
    }
}
