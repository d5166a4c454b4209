/* units.c: durations, rates, clock times and numbers of scenario files. */
#include "replysim/units.h"

#include "fmt.h"

#include "replysim/error.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest text a parser accepts; scenario values are short, and a bound lets
 * us work on a trimmed, NUL-terminated copy. */
#define TEXT_CAP 512
/* Longest number literal ("1.2345678901234567e-300" and a margin). */
#define NUMBER_CAP 64

static const struct unit {
    char c;
    double s;
} duration_units[] = {
    /* largest first: sums must be written in this order, and the
     * formatter prefers the larger unit on a tie */
    {'w', 604800.0}, {'d', 86400.0}, {'h', 3600.0}, {'m', 60.0}, {'s', 1.0},
};
#define N_DURATION_UNITS (sizeof duration_units / sizeof duration_units[0])

static const struct unit rate_units[] = {
    /* "N/h" first: the usual way to write arrival rates wins a tie */
    {'h', 3600.0},
    {'s', 1.0},
    {'m', 60.0},
    {'d', 86400.0},
};
#define N_RATE_UNITS (sizeof rate_units / sizeof rate_units[0])

/* Copies text without surrounding blanks into buf; 0 when it does not fit. */
static int trim_copy(const char *text, char *buf, size_t cap)
{
    if (!text) text = "";
    while (isspace((unsigned char)*text))
        text++;
    size_t n = strlen(text);
    while (n > 0 && isspace((unsigned char)text[n - 1]))
        n--;
    if (n >= cap) {
        /* keep a prefix so that error messages can still quote it */
        memcpy(buf, text, cap - 1);
        buf[cap - 1] = '\0';
        return 0;
    }
    memcpy(buf, text, n);
    buf[n] = '\0';
    return 1;
}

/* Reads a decimal literal at p: [sign] digits [. digits] [e [sign] digits].
 * strtod alone would also take "inf", "nan", hex and leading blanks, none of
 * which belong in a scenario file.  Sets *end past it; 0 when there is none. */
static int read_decimal(const char *p, int allow_sign, double *out, const char **end)
{
    const char *q = p;
    if (allow_sign && (*q == '+' || *q == '-')) q++;
    int digits = 0;
    while (isdigit((unsigned char)*q))
        q++, digits++;
    if (*q == '.') {
        q++;
        while (isdigit((unsigned char)*q))
            q++, digits++;
    }
    if (digits == 0) return 0;
    if (*q == 'e' || *q == 'E') {
        const char *e = q + 1;
        if (*e == '+' || *e == '-') e++;
        if (isdigit((unsigned char)*e)) {
            while (isdigit((unsigned char)*e))
                e++;
            q = e;
        }
    }
    size_t n = (size_t)(q - p);
    if (n >= NUMBER_CAP) return 0;
    char buf[NUMBER_CAP];
    memcpy(buf, p, n);
    buf[n] = '\0';
    char *stop;
    double v = strtod(buf, &stop);
    if (stop != buf + n) return 0;
    /* overflow gives HUGE_VAL, caught by the callers' finiteness check;
     * underflow to a denormal or 0 is as close as a double gets */
    *out = v;
    *end = q;
    return 1;
}

static double unit_factor(const struct unit *units, size_t n, char c, size_t *index)
{
    for (size_t i = 0; i < n; i++) {
        if (units[i].c == c) {
            if (index) *index = i;
            return units[i].s;
        }
    }
    return 0.0;
}

int rs_units_duration(const char *text, double *out_s, char *why, size_t why_len)
{
    char buf[TEXT_CAP];
    int fits = trim_copy(text, buf, sizeof buf);
    if (!fits || buf[0] == '\0') goto bad;

    double total = 0.0;
    size_t last = 0; /* index of the previous unit + 1; 0 before the first */
    const char *p = buf;
    while (*p) {
        double v;
        const char *q;
        if (!read_decimal(p, 0, &v, &q)) goto bad;
        size_t idx;
        double f = unit_factor(duration_units, N_DURATION_UNITS, *q, &idx);
        if (f == 0.0) goto bad;
        if (idx + 1 <= last) {
            rs_error_why(why, why_len,
                         "expected a duration with units in the order w, d, h, m, s such as 1h30m, "
                         "got \"%s\"",
                         buf);
            return RS_EINPUT;
        }
        last = idx + 1;
        total += v * f;
        p = q + 1;
    }
    if (!isfinite(total)) {
        rs_error_why(why, why_len, "expected a finite duration such as 5m, got \"%s\"", buf);
        return RS_EINPUT;
    }
    *out_s = total;
    return RS_OK;

bad:
    rs_error_why(why, why_len, "expected a duration such as 5m, got \"%s\"", buf);
    return RS_EINPUT;
}

int rs_units_rate(const char *text, double *out_per_s, char *why, size_t why_len)
{
    char buf[TEXT_CAP];
    int fits = trim_copy(text, buf, sizeof buf);
    double v;
    const char *q;
    if (!fits || !read_decimal(buf, 0, &v, &q) || q[0] != '/' || q[1] == '\0' || q[2] != '\0')
        goto bad;
    double f = unit_factor(rate_units, N_RATE_UNITS, q[1], NULL);
    if (f == 0.0) goto bad;
    if (!isfinite(v)) {
        rs_error_why(why, why_len, "expected a finite rate such as 40/h, got \"%s\"", buf);
        return RS_EINPUT;
    }
    *out_per_s = v / f;
    return RS_OK;

bad:
    rs_error_why(why, why_len, "expected a rate such as 40/h (per s, m, h or d), got \"%s\"", buf);
    return RS_EINPUT;
}

int rs_units_number(const char *text, double *out, char *why, size_t why_len)
{
    char buf[TEXT_CAP];
    int fits = trim_copy(text, buf, sizeof buf);
    double v;
    const char *q;
    if (!fits || !read_decimal(buf, 1, &v, &q) || *q != '\0' || !isfinite(v)) {
        rs_error_why(why, why_len, "expected a number, got \"%s\"", buf);
        return RS_EINPUT;
    }
    *out = v;
    return RS_OK;
}

int rs_units_int(const char *text, long min, long max, long *out, char *why, size_t why_len)
{
    char buf[TEXT_CAP];
    int fits = trim_copy(text, buf, sizeof buf);
    long v = 0;
    int ok = 0;
    if (fits && (isdigit((unsigned char)buf[0]) ||
                 ((buf[0] == '-' || buf[0] == '+') && isdigit((unsigned char)buf[1])))) {
        char *stop;
        errno = 0;
        v = strtol(buf, &stop, 10);
        ok = errno == 0 && *stop == '\0' && v >= min && v <= max;
    }
    if (!ok) {
        if (max == LONG_MAX)
            rs_error_why(why, why_len, "expected a whole number >= %ld, got \"%s\"", min, buf);
        else
            rs_error_why(why, why_len, "expected a whole number from %ld to %ld, got \"%s\"", min,
                         max, buf);
        return RS_EINPUT;
    }
    *out = v;
    return RS_OK;
}

int rs_units_prob(const char *text, double *out, char *why, size_t why_len)
{
    char buf[TEXT_CAP];
    int fits = trim_copy(text, buf, sizeof buf);
    double v;
    const char *q;
    if (!fits || !read_decimal(buf, 1, &v, &q) || *q != '\0' || !(v >= 0.0 && v <= 1.0)) {
        rs_error_why(why, why_len, "expected a probability from 0 to 1, got \"%s\"", buf);
        return RS_EINPUT;
    }
    *out = v;
    return RS_OK;
}

int rs_units_clock(const char *text, double *out_s, char *why, size_t why_len)
{
    char buf[TEXT_CAP];
    int fits = trim_copy(text, buf, sizeof buf);
    const char *p = buf;
    int h = 0, m = 0, nh = 0;
    /* one or two hour digits ("9:00" is common), exactly two minute digits */
    while (fits && nh < 2 && isdigit((unsigned char)*p))
        h = h * 10 + (*p++ - '0'), nh++;
    int ok = fits && nh > 0 && p[0] == ':' && isdigit((unsigned char)p[1]) &&
             isdigit((unsigned char)p[2]) && p[3] == '\0';
    if (ok) {
        m = (p[1] - '0') * 10 + (p[2] - '0');
        ok = m < 60 && (h < 24 || (h == 24 && m == 0));
    }
    if (!ok) {
        rs_error_why(why, why_len,
                     "expected a clock time from 00:00 to 24:00 such as 09:30, got \"%s\"", buf);
        return RS_EINPUT;
    }
    *out_s = h * 3600.0 + m * 60.0;
    return RS_OK;
}

int rs_units_weekday(const char *text, int *out_day, char *why, size_t why_len)
{
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    char buf[TEXT_CAP];
    int fits = trim_copy(text, buf, sizeof buf);
    if (fits && strlen(buf) == 3) {
        char low[4];
        for (int i = 0; i < 4; i++)
            low[i] = (char)tolower((unsigned char)buf[i]);
        for (int d = 0; d < 7; d++) {
            if (strcmp(low, days[d]) == 0) {
                *out_day = d;
                return RS_OK;
            }
        }
    }
    rs_error_why(why, why_len, "expected a weekday mon, tue, wed, thu, fri, sat or sun, got \"%s\"",
                 buf);
    return RS_EINPUT;
}

void rs_units_format_number(double x, char *buf, size_t len)
{
    if (len == 0) return;
    if (isnan(x)) {
        snprintf(buf, len, "nan");
        return;
    }
    if (isinf(x)) {
        snprintf(buf, len, "%s", x > 0 ? "inf" : "-inf");
        return;
    }
    char tmp[RS_FMT_MAX];
    rs_fmt_double(x, tmp); /* shortest round trip, as %.15g..%.17g tried in turn */
    snprintf(buf, len, "%s", tmp);
}

/* Keeps cand as best when it reads back (through parse) to x exactly and is
 * strictly shorter than the best so far.  The decimal point does not count,
 * so that 5400 s is "1.5h" rather than "90m" (a tie won by the larger unit). */
static void consider(const char *cand, size_t n, double x,
                     int (*parse)(const char *, double *, char *, size_t), char *best,
                     size_t best_cap, size_t *best_len)
{
    double back;
    if (strchr(cand, '.')) n--;
    if (n >= *best_len || parse(cand, &back, NULL, 0) != RS_OK || back != x) return;
    *best_len = n;
    snprintf(best, best_cap, "%s", cand);
}

/* Shortest "N<sep>U" among units that reads back to x exactly.  Units come in
 * order of preference, and plain decimals before exponent forms, since a
 * later candidate must be strictly shorter to win.  Durations take no unit
 * above s in which they are below 1: 1800 s is "30m", never "0.5h" (nor
 * "3e+01m").  is_rate: x is per second (N = x * unit), else seconds
 * (N = x / unit). */
static void format_with_units(double x, const struct unit *units, size_t n_units, int is_rate,
                              int (*parse)(const char *, double *, char *, size_t), char *best,
                              size_t best_cap)
{
    const char *sep = is_rate ? "/" : "";
    size_t best_len = (size_t)-1;
    char cand[64];
    for (size_t u = 0; u < n_units; u++) {
        double v = is_rate ? x * units[u].s : x / units[u].s;
        if (!isfinite(v) || (!is_rate && v < 1 && units[u].s != 1.0)) continue;
        for (int dec = 0; dec <= 17; dec++) {
            int n = snprintf(cand, sizeof cand, "%.*f%s%c", dec, v, sep, units[u].c);
            if (n < 0 || (size_t)n >= sizeof cand) break;
            consider(cand, (size_t)n, x, parse, best, best_cap, &best_len);
        }
        for (int prec = 1; prec <= 17; prec++) {
            int n = snprintf(cand, sizeof cand, "%.*g%s%c", prec, v, sep, units[u].c);
            if (n < 0 || (size_t)n >= sizeof cand) break;
            /* "1e+01m" reads back but nobody writes durations like that */
            if (strchr(cand, 'e') && fabs(v) >= 1e-4 && fabs(v) < 1e15) continue;
            consider(cand, (size_t)n, x, parse, best, best_cap, &best_len);
        }
    }
}

void rs_units_format_duration(double s, char *buf, size_t len)
{
    if (len == 0) return;
    if (!isfinite(s) || s < 0) {
        /* not a valid duration; still say what it is rather than lie */
        rs_units_format_number(s, buf, len);
        return;
    }
    if (s == 0) {
        snprintf(buf, len, "0s");
        return;
    }
    char best[64] = "";
    format_with_units(s, duration_units, N_DURATION_UNITS, 0, rs_units_duration, best, sizeof best);
    snprintf(buf, len, "%s", best);
}

void rs_units_format_rate(double per_s, char *buf, size_t len)
{
    if (len == 0) return;
    if (!isfinite(per_s) || per_s < 0) {
        rs_units_format_number(per_s, buf, len);
        return;
    }
    char best[64] = "";
    format_with_units(per_s, rate_units, N_RATE_UNITS, 1, rs_units_rate, best, sizeof best);
    snprintf(buf, len, "%s", best);
}

void rs_units_label_duration(double s, char *buf, size_t len)
{
    /* Labels read as people write thresholds: 24h rather than 1d, 90s
     * rather than 1.5m; whole numbers of the largest fitting unit. */
    if (s > 0 && s == floor(s)) {
        double h = s / 3600, m = s / 60, d = s / 86400;
        if (h == floor(h) && (h <= 48 || d != floor(d))) {
            snprintf(buf, len, "%.0fh", h);
            return;
        }
        if (d == floor(d)) {
            snprintf(buf, len, "%.0fd", d);
            return;
        }
        if (m == floor(m) && s >= 60) {
            snprintf(buf, len, "%.0fm", m);
            return;
        }
        snprintf(buf, len, "%.0fs", s);
        return;
    }
    rs_units_format_duration(s, buf, len);
}

int rs_units_seed(const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    /* strtoull alone would take a sign or leading blanks */
    if (!(text[0] >= '0' && text[0] <= '9')) return -1;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end) return -1;
    *out = (uint64_t)v;
    return 0;
}

/* For people, not for reading back: whole seconds under a minute, minutes
 * and seconds under an hour, tenths of hours under two days, then tenths
 * of days ("24h", not "24.0h").  Rounded first: 3599.6 s is "1h", not
 * "60m 0s". */
void rs_units_human_duration(double s, char *buf, size_t len)
{
    if (isnan(s)) {
        snprintf(buf, len, "-");
        return;
    }
    const char *sign = s < 0 ? "-" : "";
    double a = fabs(s);
    if (isinf(a))
        snprintf(buf, len, "%sinf", sign);
    else if (a < 9.95 && a != floor(a))
        snprintf(buf, len, "%s%.1fs", sign, a);
    else if (a < 59.5)
        snprintf(buf, len, "%s%.0fs", sign, a);
    else if (a < 3599.5) {
        long r = lround(a);
        if (r % 60)
            snprintf(buf, len, "%s%ldm %lds", sign, r / 60, r % 60);
        else
            snprintf(buf, len, "%s%ldm", sign, r / 60);
    } else {
        int hours = a < 47.95 * 3600;
        char x[48];
        snprintf(x, sizeof x, "%.1f", hours ? a / 3600 : a / 86400);
        size_t n = strlen(x);
        if (n > 2 && !strcmp(x + n - 2, ".0")) x[n - 2] = '\0'; /* "24h", not "24.0h" */
        snprintf(buf, len, "%s%s%s", sign, x, hours ? "h" : "d");
    }
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
long rs_units_civil_days(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int rs_units_valid_date(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] + (m == 2 && leap);
}

static int take_digits(const char **p, int count, int *out)
{
    int v = 0;
    for (int k = 0; k < count; k++) {
        char ch = (*p)[k];
        if (ch < '0' || ch > '9') return 0;
        v = v * 10 + (ch - '0');
    }
    *p += count;
    *out = v;
    return 1;
}

/* "Z", "+HH:MM", "+HHMM", "+HH" or nothing at p, in seconds east of UTC. */
static int zone_offset(const char *p, int *offset_s)
{
    int h = 0, m = 0;
    *offset_s = 0;
    if (*p == 'Z' || *p == 'z') return p[1] == '\0';
    if (*p == '\0') return 1;
    if (*p != '+' && *p != '-') return 0;
    int sign = *p++ == '-' ? -1 : 1;
    if (!take_digits(&p, 2, &h)) return 0;
    if (*p == ':') p++;
    if (*p && !take_digits(&p, 2, &m)) return 0;
    if (*p || h > 23 || m > 59) return 0;
    *offset_s = sign * (h * 3600 + m * 60);
    return 1;
}

int rs_units_timestamp(const char *text, double *unix_s, int *offset_s, char *why, size_t why_len)
{
    const char *p = text;
    int y, mo, d, h, mi, sec = 0, off = 0;
    double frac = 0;
    if (!take_digits(&p, 4, &y) || *p++ != '-' || !take_digits(&p, 2, &mo) || *p++ != '-' ||
        !take_digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' ') ||
        !(++p, take_digits(&p, 2, &h)) || *p++ != ':' || !take_digits(&p, 2, &mi))
        goto bad;
    if (*p == ':' && !(++p, take_digits(&p, 2, &sec))) goto bad;
    if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
        double scale = 0.1;
        for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
            frac += (*p - '0') * scale;
    }
    if (!zone_offset(p, &off) || !rs_units_valid_date(y, mo, d) || h > 23 || mi > 59 || sec > 60)
        goto bad;
    *unix_s =
        (double)rs_units_civil_days(y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 + sec + frac - off;
    if (offset_s) *offset_s = off;
    return RS_OK;
bad:
    rs_error_why(why, why_len,
                 "expected a timestamp such as 2015-10-14T09:30:00Z or "
                 "2015-10-14T09:30:00+02:00, got \"%s\"",
                 text);
    return RS_EINPUT;
}
