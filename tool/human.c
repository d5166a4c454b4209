/* human.c: numbers for people (human.h). */
#include "human.h"

#include "replysim/scenario.h"
#include "replysim/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

enum rs_human_kind rs_human_kind_of(const char *metric)
{
    if (ends_with(metric, "_s")) return RS_HUMAN_DURATION;
    if (ends_with(metric, "_rate") || !strncmp(metric, "sl_", 3) ||
        !strncmp(metric, "wait_within_", 12) || !strncmp(metric, "answered_within_", 16) ||
        !strcmp(metric, "occupancy") || !strncmp(metric, "p_", 2))
        return RS_HUMAN_SHARE;
    return RS_HUMAN_NUMBER;
}

/* Digits of a whole number in groups of three: 1234567 -> "1,234,567". */
static void grouped(char *buf, size_t n, const char *sign, double a)
{
    char digits[64], out[96];
    snprintf(digits, sizeof digits, "%.0f", a);
    size_t len = strlen(digits), k = 0;
    for (size_t i = 0; i < len && k + 2 < sizeof out; i++) {
        if (i > 0 && (len - i) % 3 == 0) out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    snprintf(buf, n, "%s%s", sign, out);
}

void rs_human_number(char *buf, size_t n, double x, int sign)
{
    const char *s = x < 0 ? "-" : sign && x > 0 ? "+" : "";
    double a = fabs(x);
    if (isnan(x)) {
        snprintf(buf, n, "-");
    } else if (isinf(x)) {
        snprintf(buf, n, "%sinf", s);
    } else if (a == 0) {
        snprintf(buf, n, "0");
    } else if (a >= 999.5 && a < 1e18) {
        grouped(buf, n, s, a);
    } else {
        /* about three significant digits, at most six decimals */
        int dec = 2 - (int)floor(log10(a));
        dec = dec < 0 ? 0 : dec > 6 ? 6 : dec;
        snprintf(buf, n, "%s%.*f", s, dec, a);
        /* no trailing zeros: 96 a day, not 96.0 */
        size_t len = strlen(buf);
        if (strchr(buf, '.')) {
            while (len > 0 && buf[len - 1] == '0')
                buf[--len] = '\0';
            if (len > 0 && buf[len - 1] == '.') buf[--len] = '\0';
        }
    }
}

void rs_human_format(char *buf, size_t n, enum rs_human_kind kind, double x, int sign)
{
    if (isnan(x)) {
        snprintf(buf, n, "-");
        return;
    }
    switch (kind) {
    case RS_HUMAN_SHARE:
        if (x == 0)
            snprintf(buf, n, sign ? "0pp" : "0%%");
        else
            snprintf(buf, n, sign ? "%+.1fpp" : "%.1f%%", 100 * x);
        break;
    case RS_HUMAN_DURATION: {
        char d[64];
        rs_units_human_duration(x, d, sizeof d);
        snprintf(buf, n, "%s%s", sign && x > 0 ? "+" : "", d);
        break;
    }
    default:
        rs_human_number(buf, n, x, sign);
    }
}

void rs_human_service_level(int kind, double within_s, char *metric, size_t mlen, char *words,
                            size_t wlen)
{
    static const char *const kinds[RS_HUMAN_SL_KINDS][3] = {
        {"sl_", "answered within ", ""},
        {"sl_bh_", "answered within ", " of business hours"},
        {"sl_next_", "later messages answered within ", ""},
    };
    char t[32];
    rs_units_label_duration(within_s, t, sizeof t);
    snprintf(metric, mlen, "%s%s", kinds[kind][0], t);
    snprintf(words, wlen, "%s%s%s", kinds[kind][1], t, kinds[kind][2]);
}

/* Expected new messages a day on each channel, as validate says them. */
void rs_human_expected(FILE *out, const struct rs_scenario *sc, const char *prefix)
{
    double days = sc->horizon_s / 86400, all = 0;
    char n[64];
    fprintf(out, "%sexpected new messages a day (before follow-ups):", prefix);
    for (int c = 0; c < sc->n_channels; c++) {
        double x = rs_scenario_expected_arrivals(sc, c) / days;
        all += x;
        rs_human_number(n, sizeof n, x, 0);
        fprintf(out, "%s %s %s", c ? "," : "", sc->channels[c].name, n);
    }
    rs_human_number(n, sizeof n, all, 0);
    fprintf(out, " (%s in all)\n", n);
}

/* Tenths of hours or days, without a trailing ".0". */
static void tenths(char *buf, size_t n, const char *sign, double v, const char *unit)
{
    char x[48];
    snprintf(x, sizeof x, "%.1f", v);
    size_t len = strlen(x);
    if (len > 2 && !strcmp(x + len - 2, ".0")) x[len - 2] = '\0';
    snprintf(buf, n, "%s%s%s", sign, x, unit);
}

void rs_human_interval(char *buf, size_t n, enum rs_human_kind kind, double mean, double lo,
                       double hi, int sign)
{
    char a[64], b[64];
    double ref = fabs(mean);
    if (!sign && !isnan(lo) && !isnan(hi)) {
        /* a value's interval within what it can be: a share within 0-100%,
         * a duration not below 0 (the t interval of a few replications can
         * reach past them; the mean cannot) */
        if (kind == RS_HUMAN_SHARE || kind == RS_HUMAN_DURATION) lo = lo < 0 ? 0 : lo;
        if (kind == RS_HUMAN_SHARE) hi = hi > 1 ? 1 : hi;
    }
    if (kind == RS_HUMAN_DURATION && !isnan(lo) && !isnan(hi) && ref >= 3599.5 && isfinite(ref)) {
        /* the mean's unit for both ends: [11.1h, 12.2h], not [47.6h, 2.3d] */
        int days = ref >= 47.95 * 3600;
        double div = days ? 86400 : 3600;
        const char *unit = days ? "d" : "h";
        tenths(a, sizeof a, lo < 0 ? "-" : sign && lo > 0 ? "+" : "", fabs(lo) / div, unit);
        tenths(b, sizeof b, hi < 0 ? "-" : sign && hi > 0 ? "+" : "", fabs(hi) / div, unit);
    } else {
        rs_human_format(a, sizeof a, kind, lo, sign);
        rs_human_format(b, sizeof b, kind, hi, sign);
    }
    snprintf(buf, n, "[%s, %s]", a, b);
}
