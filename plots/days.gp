# days.gp: included by service_level.gp and load.gp.  An x axis in days
# since t = 0 with a grid line at each midnight and the weekday written
# under the middle of each day.  Needs start_day (weekday of t = 0,
# 0 = mon), start_clock_s (clock time of t = 0), interval_s (width of a
# stats interval) and end_s (right end of the axis, seconds).
weekdays = "Mon Tue Wed Thu Fri Sat Sun"
clock_d = start_clock_s / 86400.0
half = interval_s / 172800.0            # an interval's middle, in days
interval_text = interval_s == 3600 ? "hour" : \
    (interval_s < 3600 ? sprintf("%g min", interval_s / 60) : sprintf("%g h", interval_s / 3600))
set xtics () format "" scale 0
set grid xtics ytics lc rgb "#d8d8d8" lt 1
set xlabel "day (grid lines at midnight)" offset 0,-0.6
set bmargin 4
do for [k = 0:int(end_s / 86400.0) + 1] {
    x0 = k - clock_d
    if (x0 >= 0 && x0 <= end_s / 86400.0) { set xtics add ("" x0) }
    x1 = x0 + 0.5
    if (x1 > 0 && x1 < end_s / 86400.0) {
        set label 100 + k word(weekdays, (start_day + k) % 7 + 1) at x1, graph 0 center offset 0,-0.8
    }
}
