/* test_dist.c: parsing, formatting, moments and sampling of distributions.
 *
 * Sampling tests use a fixed seed (mt19937, 12345) and N = 200000 draws and
 * compare against moments computed here from closed forms, independently of
 * dist.c, with a tolerance of 4.5 standard errors. */
#include "replysim/buf.h"
#include "replysim/dist.h"
#include "replysim/error.h"
#include "replysim/units.h"

#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define N_DRAWS 200000
#define SEED 12345
#define Z 4.5

static const enum rs_dist_units DUR = RS_DIST_DURATION;
static const enum rs_dist_units NUM = RS_DIST_UNITLESS;

/* ---- parse errors ---- */

static const struct {
    const char *text;
    enum rs_dist_units units;
    int allow_never;
    const char *fragment;
} bad[] = {
    {"exponential(mean=5)", RS_DIST_DURATION, 1,
     "exponential mean: expected a duration such as 5m, got \"5\""},
    {"exponential(mean=5m", RS_DIST_DURATION, 1,
     "expected exponential(mean=DURATION) or exponential(rate=RATE), got \"exponential(mean=5m\""},
    {"exponential mean=5m", RS_DIST_DURATION, 1, "expected exponential(mean=DURATION)"},
    {"expo(mean=5m)", RS_DIST_DURATION, 1, "expected a distribution (const, exponential"},
    {"foo", RS_DIST_DURATION, 1, "got \"foo\""},
    {"", RS_DIST_DURATION, 1, "expected a distribution"},
    {"Exponential(mean=5m)", RS_DIST_DURATION, 1, "expected a distribution"},
    {"exponential(mean=5m, mean=6m)", RS_DIST_DURATION, 1,
     "duplicate parameter \"mean\" of exponential"},
    {"exponential(mean=5m, rate=1/h)", RS_DIST_DURATION, 1,
     "expected exponential(mean=DURATION) or exponential(rate=RATE), got"},
    {"exponential(avg=5m)", RS_DIST_DURATION, 1,
     "unknown parameter \"avg\" of exponential: expected exponential(mean=DURATION)"},
    {"exponential()", RS_DIST_DURATION, 1, "expected exponential(mean=DURATION)"},
    {"exponential(mean=0s)", RS_DIST_DURATION, 1, "exponential: expected mean > 0, got \"0s\""},
    {"exponential(rate=0/h)", RS_DIST_DURATION, 1, "expected rate > 0"},
    {"exponential(rate=12)", RS_DIST_DURATION, 1, "expected a rate such as 40/h"},
    {"exponential(rate=12/h)", RS_DIST_UNITLESS, 1,
     "unknown parameter \"rate\" of exponential: expected exponential(mean=NUMBER)"},
    {"exponential(mean=5m,)", RS_DIST_DURATION, 1, "without empty parameters"},
    {"exponential(mean=5m) x", RS_DIST_DURATION, 1, "got \"exponential(mean=5m) x\""},
    {"exponential(mean=-5m)", RS_DIST_DURATION, 1, "got \"-5m\""},
    {"exponential(mean=infs)", RS_DIST_DURATION, 1, "got \"infs\""},
    {"lognormal(mean=8m)", RS_DIST_DURATION, 1,
     "expected lognormal(mean=DURATION, sd=DURATION) or lognormal(mu=NUMBER, sigma=NUMBER)"},
    {"lognormal(mean=8m, sd=0s)", RS_DIST_DURATION, 1, "lognormal: expected sd > 0"},
    {"lognormal(mu=1, sigma=0)", RS_DIST_DURATION, 1, "lognormal: expected sigma > 0"},
    {"lognormal(mean=8m, sigma=1)", RS_DIST_DURATION, 1, "or lognormal(mu=NUMBER, sigma=NUMBER)"},
    {"lognormal(mean=8m, sd=4m, mu=1)", RS_DIST_DURATION, 1, "expected lognormal(mean="},
    {"lognormal(mean=1e-300s, sd=1e300s)", RS_DIST_DURATION, 1, "parameters of a moderate size"},
    {"gamma(mean=5m, sd=0m)", RS_DIST_DURATION, 1, "gamma: expected sd > 0"},
    {"gamma(shape=0, scale=1m)", RS_DIST_DURATION, 1, "gamma: expected shape > 0"},
    {"gamma(shape=2, scale=60)", RS_DIST_DURATION, 1, "gamma scale: expected a duration"},
    {"gamma(shape=2m, scale=60s)", RS_DIST_DURATION, 1, "gamma shape: expected a number"},
    {"erlang(k=2.5, mean=5m)", RS_DIST_DURATION, 1, "erlang k: expected a whole number"},
    {"erlang(k=0, mean=5m)", RS_DIST_DURATION, 1, "erlang k: expected a whole number"},
    {"erlang(mean=5m)", RS_DIST_DURATION, 1, "expected erlang(k=WHOLE, mean=DURATION)"},
    {"weibull(shape=1.5, scale=10)", RS_DIST_DURATION, 1, "weibull scale: expected a duration"},
    {"weibull(shape=-1, scale=10m)", RS_DIST_DURATION, 1, "weibull: expected shape > 0"},
    {"uniform(min=9m, max=1m)", RS_DIST_DURATION, 1, "uniform: expected min <= max"},
    {"uniform(min=-1, max=1)", RS_DIST_UNITLESS, 1, "uniform: expected min >= 0"},
    {"pareto(alpha=0, min=10)", RS_DIST_UNITLESS, 1, "pareto: expected alpha > 0"},
    {"pareto(alpha=1.5, min=0)", RS_DIST_UNITLESS, 1, "pareto: expected min > 0"},
    {"pareto(alpha=1.5)", RS_DIST_UNITLESS, 1, "expected pareto(alpha=NUMBER, min=NUMBER)"},
    {"const(-5)", RS_DIST_UNITLESS, 1, "const: expected a value >= 0"},
    {"const(5m, 6m)", RS_DIST_DURATION, 1, "expected const(DURATION) or const(value=DURATION)"},
    {"const(5)", RS_DIST_DURATION, 1, "const value: expected a duration such as 5m"},
    {"empirical(5m:0.3, 3m:0.5)", RS_DIST_DURATION, 1, "strictly increasing in time"},
    {"empirical(5m:0.3, 10m:0.2)", RS_DIST_DURATION, 1,
     "shares strictly increasing, got \"0.2\" after \"0.3\""},
    {"empirical(5m:1.2)", RS_DIST_DURATION, 1, "expected a share in (0, 1]"},
    {"empirical(5m:0)", RS_DIST_DURATION, 1, "expected a share in (0, 1]"},
    {"empirical(0s:0.1, 5m:0.5)", RS_DIST_DURATION, 1, "expected the first point > 0"},
    {"empirical()", RS_DIST_DURATION, 1, "expected empirical(DURATION:SHARE, ...)"},
    {"empirical(5m)", RS_DIST_DURATION, 1, "expected empirical(DURATION:SHARE, ...)"},
    {"empirical(5:0.5)", RS_DIST_DURATION, 1, "expected a duration such as 5m, got \"5\""},
    {"empirical(5m:0.5)", RS_DIST_DURATION, 0, "expected the last share to be 1"},
    {"never", RS_DIST_DURATION, 0, "got \"never\""},
    {"never(1)", RS_DIST_DURATION, 1, "expected a distribution"},
};

START_TEST(parse_bad)
{
    struct rs_dist d;
    char why[512] = "";
    int rc = rs_dist_parse(bad[_i].text, bad[_i].units, bad[_i].allow_never, &d, why, sizeof why);
    ck_assert_msg(rc == RS_EINPUT, "%s: accepted", bad[_i].text);
    ck_assert_msg(strstr(why, bad[_i].fragment) != NULL, "%s: message \"%s\" lacks \"%s\"",
                  bad[_i].text, why, bad[_i].fragment);
    /* lowercase start, no full stop, as every message */
    ck_assert_msg(why[0] >= 'a' && why[0] <= 'z' && why[strlen(why) - 1] != '.', "%s", why);
}
END_TEST

START_TEST(too_many_points)
{
    char text[2048];
    struct rs_buf tb;
    rs_buf_fixed(&tb, text, sizeof text);
    rs_buf_puts(&tb, "empirical(");
    for (int i = 1; i <= RS_DIST_MAX_POINTS + 1; i++)
        rs_buf_printf(&tb, "%s%ds:%g", i > 1 ? ", " : "", i, i / (RS_DIST_MAX_POINTS + 1.0));
    rs_buf_puts(&tb, ")");
    ck_assert(!tb.truncated);
    struct rs_dist d;
    char why[512];
    ck_assert_int_eq(rs_dist_parse(text, DUR, 1, &d, why, sizeof why), RS_EINPUT);
    ck_assert_ptr_nonnull(strstr(why, "expected at most 32 points"));
    /* exactly the maximum is fine */
    char *last = strrchr(text, ',');
    snprintf(last, sizeof text - (size_t)(last - text), ")");
    ck_assert_msg(rs_dist_parse(text, DUR, 1, &d, why, sizeof why) == RS_OK, "%s", why);
    ck_assert_int_eq(d.n_points, RS_DIST_MAX_POINTS);
}
END_TEST

/* ---- format / parse round trips ---- */

static const struct {
    const char *text;
    enum rs_dist_units units;
    const char *canonical;
} trips[] = {
    {"const(5m)", RS_DIST_DURATION, "const(5m)"},
    {"const(value=90s)", RS_DIST_DURATION, "const(1.5m)"},
    {"const(0)", RS_DIST_UNITLESS, "const(0)"},
    {"exponential(mean=5m)", RS_DIST_DURATION, "exponential(mean=5m)"},
    {" exponential ( rate = 12/h ) ", RS_DIST_DURATION, "exponential(rate=12/h)"},
    {"exponential(rate=9.5/m)", RS_DIST_DURATION, "exponential(rate=9.5/m)"},
    {"exponential(mean=3.5)", RS_DIST_UNITLESS, "exponential(mean=3.5)"},
    {"lognormal(sd=4m, mean=8m)", RS_DIST_DURATION, "lognormal(mean=8m, sd=4m)"},
    {"lognormal(mu=1.2, sigma=0.5)", RS_DIST_DURATION, "lognormal(mu=1.2, sigma=0.5)"},
    {"lognormal(mean=7.3s, sd=0.123s)", RS_DIST_DURATION, "lognormal(mean=7.3s, sd=0.123s)"},
    {"gamma(mean=5m, sd=2m)", RS_DIST_DURATION, "gamma(mean=5m, sd=2m)"},
    {"gamma(shape=2, scale=150s)", RS_DIST_DURATION, "gamma(shape=2, scale=2.5m)"},
    {"erlang(k=3, mean=5m)", RS_DIST_DURATION, "erlang(k=3, mean=5m)"},
    {"weibull(shape=1.5, scale=10m)", RS_DIST_DURATION, "weibull(shape=1.5, scale=10m)"},
    {"uniform(min=1m, max=9m)", RS_DIST_DURATION, "uniform(min=1m, max=9m)"},
    {"uniform(min=0s, max=0s)", RS_DIST_DURATION, "uniform(min=0s, max=0s)"},
    {"pareto(alpha=1.5, min=10)", RS_DIST_UNITLESS, "pareto(alpha=1.5, min=10)"},
    {"pareto(min=1h, alpha=2.5)", RS_DIST_DURATION, "pareto(alpha=2.5, min=1h)"},
    {"empirical(5m:0.20, 30m:0.26, 1h:0.49, 24h:0.76)", RS_DIST_DURATION,
     "empirical(5m:0.2, 30m:0.26, 1h:0.49, 1d:0.76)"},
    {"empirical(10:0.5, 1000:1)", RS_DIST_UNITLESS, "empirical(10:0.5, 1000:1)"},
    {"never", RS_DIST_DURATION, "never"},
};

START_TEST(round_trip)
{
    struct rs_dist a, b;
    char why[512] = "", text[1024];
    ck_assert_msg(rs_dist_parse(trips[_i].text, trips[_i].units, 1, &a, why, sizeof why) == RS_OK,
                  "%s: %s", trips[_i].text, why);
    rs_dist_format(&a, trips[_i].units, text, sizeof text);
    ck_assert_str_eq(text, trips[_i].canonical);
    ck_assert_msg(rs_dist_parse(text, trips[_i].units, 1, &b, why, sizeof why) == RS_OK, "%s: %s",
                  text, why);
    ck_assert_msg(rs_dist_equal(&a, &b), "%s", text);
    ck_assert_int_eq(memcmp(&a, &b, sizeof a), 0); /* memset first: even padding agrees */
}
END_TEST

/* Awkward doubles in every parameter slot still round-trip exactly. */
START_TEST(round_trip_random)
{
    static const char *const shapes[] = {
        "const(%s)",
        "exponential(mean=%s)",
        "lognormal(mean=%s, sd=%s)",
        "gamma(mean=%s, sd=%s)",
        "uniform(min=%s, max=%s)",
        "weibull(shape=1.7, scale=%s)",
        "empirical(%s:0.3, %s:0.9)",
    };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, SEED);
    for (int i = 0; i < 3000; i++) {
        double u = (1 + gsl_rng_uniform(r)) * pow(10, (double)(i % 9) - 3);
        double v = u * (1.5 + gsl_rng_uniform(r));
        char s1[64], s2[64], text[256], back[256], why[512];
        enum rs_dist_units units = i % 3 == 0 ? NUM : DUR;
        if (units == DUR) {
            rs_units_format_duration(u, s1, sizeof s1);
            rs_units_format_duration(v, s2, sizeof s2);
        } else {
            rs_units_format_number(u, s1, sizeof s1);
            rs_units_format_number(v, s2, sizeof s2);
        }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        /* the shapes are this file's own literal table */
        snprintf(text, sizeof text, shapes[i % N_OF(shapes)], s1, s2);
#pragma GCC diagnostic pop
        struct rs_dist a, b;
        ck_assert_msg(rs_dist_parse(text, units, 1, &a, why, sizeof why) == RS_OK, "%s: %s", text,
                      why);
        rs_dist_format(&a, units, back, sizeof back);
        ck_assert_msg(rs_dist_parse(back, units, 1, &b, why, sizeof why) == RS_OK, "%s: %s", back,
                      why);
        ck_assert_msg(rs_dist_equal(&a, &b), "%s -> %s", text, back);
    }
    gsl_rng_free(r);
}
END_TEST

START_TEST(constructors)
{
    struct rs_dist d;
    char why[512];
    ck_assert_int_eq(rs_dist_parse("const(5s)", DUR, 0, &d, why, sizeof why), RS_OK);
    struct rs_dist c = rs_dist_const(5);
    ck_assert(rs_dist_equal(&c, &d));
    ck_assert_int_eq(rs_dist_parse("exponential(mean=5m)", DUR, 0, &d, why, sizeof why), RS_OK);
    struct rs_dist e = rs_dist_exponential(300);
    ck_assert(rs_dist_equal(&e, &d));
    ck_assert(!rs_dist_equal(&c, &e));
    ck_assert_int_eq(rs_dist_parse("never", DUR, 1, &d, why, sizeof why), RS_OK);
    struct rs_dist n = rs_dist_never();
    ck_assert(rs_dist_equal(&n, &d));

    /* the spelling is part of the value: mean=5m and rate=12/h differ */
    struct rs_dist r12;
    ck_assert_int_eq(rs_dist_parse("exponential(rate=12/h)", DUR, 0, &r12, why, sizeof why), RS_OK);
    ck_assert(!rs_dist_equal(&r12, &e));
    ck_assert(fabs(rs_dist_mean(&r12) - 300) < 1e-9);
}
END_TEST

/* ---- moments and sampling ---- */

enum family {
    F_CONST,
    F_EXP,
    F_LOGN,
    F_LOGN_MS,
    F_GAMMA,
    F_GAMMA_MS,
    F_WEIB,
    F_UNIF,
    F_PARETO,
    F_EMP
};

static const struct {
    const char *text;
    enum rs_dist_units units;
    enum family fam;
    double p, q; /* family parameters, in seconds where they are durations */
} cases[] = {
    {"const(5m)", RS_DIST_DURATION, F_CONST, 300, 0},
    {"exponential(mean=5m)", RS_DIST_DURATION, F_EXP, 300, 0},
    {"exponential(rate=12/h)", RS_DIST_DURATION, F_EXP, 300, 0},
    {"exponential(mean=3)", RS_DIST_UNITLESS, F_EXP, 3, 0},
    {"lognormal(mean=8m, sd=4m)", RS_DIST_DURATION, F_LOGN_MS, 480, 240},
    {"lognormal(mu=1, sigma=0.5)", RS_DIST_DURATION, F_LOGN, 1, 0.5},
    {"gamma(mean=5m, sd=2m)", RS_DIST_DURATION, F_GAMMA_MS, 300, 120},
    {"gamma(shape=2, scale=150s)", RS_DIST_DURATION, F_GAMMA, 2, 150},
    {"gamma(shape=0.5, scale=10)", RS_DIST_UNITLESS, F_GAMMA, 0.5, 10},
    {"erlang(k=3, mean=5m)", RS_DIST_DURATION, F_GAMMA, 3, 100},
    {"weibull(shape=1.5, scale=10m)", RS_DIST_DURATION, F_WEIB, 1.5, 600},
    {"uniform(min=1m, max=9m)", RS_DIST_DURATION, F_UNIF, 60, 540},
    {"pareto(alpha=5, min=10)", RS_DIST_UNITLESS, F_PARETO, 5, 10},
    {"empirical(5m:0.2, 30m:0.26, 1h:0.49, 24h:1)", RS_DIST_DURATION, F_EMP, 0, 0},
};

static const double emp_x[] = {300, 1800, 3600, 86400};
static const double emp_F[] = {0.2, 0.26, 0.49, 1};

/* E[X^k] from closed forms, independent of dist.c. */
static double raw_moment(enum family fam, double p, double q, int k)
{
    switch (fam) {
    case F_CONST:
        return pow(p, k);
    case F_EXP:
        return tgamma(k + 1.0) * pow(p, k);
    case F_LOGN_MS: {
        double s2 = log1p((q / p) * (q / p));
        return raw_moment(F_LOGN, log(p) - s2 / 2, sqrt(s2), k);
    }
    case F_LOGN:
        return exp(k * p + k * k * q * q / 2);
    case F_GAMMA_MS:
        return raw_moment(F_GAMMA, (p / q) * (p / q), q * q / p, k);
    case F_GAMMA: {
        double m = 1;
        for (int j = 0; j < k; j++)
            m *= (p + j) * q;
        return m;
    }
    case F_WEIB:
        return pow(q, k) * tgamma(1 + k / p);
    case F_UNIF:
        return (pow(q, k + 1) - pow(p, k + 1)) / ((k + 1) * (q - p));
    case F_PARETO:
        return p > k ? p * pow(q, k) / (p - k) : INFINITY;
    case F_EMP: {
        /* uniform below the first point, density dF/dln x / x between points */
        double m = emp_F[0] * pow(emp_x[0], k) / (k + 1);
        for (int i = 0; i + 1 < N_OF(emp_x); i++) {
            double c = (emp_F[i + 1] - emp_F[i]) / log(emp_x[i + 1] / emp_x[i]);
            m += c * (pow(emp_x[i + 1], k) - pow(emp_x[i], k)) / k;
        }
        return m;
    }
    }
    return NAN;
}

static void assert_close(double got, double want, double rel, const char *what, const char *text)
{
    ck_assert_msg(fabs(got - want) <= rel * fabs(want), "%s %s: got %.17g want %.17g", text, what,
                  got, want);
}

START_TEST(moments_exact)
{
    struct rs_dist d;
    char why[512];
    ck_assert_msg(rs_dist_parse(cases[_i].text, cases[_i].units, 0, &d, why, sizeof why) == RS_OK,
                  "%s: %s", cases[_i].text, why);
    double m1 = raw_moment(cases[_i].fam, cases[_i].p, cases[_i].q, 1);
    double m2 = raw_moment(cases[_i].fam, cases[_i].p, cases[_i].q, 2);
    assert_close(rs_dist_mean(&d), m1, 1e-12, "mean", cases[_i].text);
    assert_close(rs_dist_second_moment(&d), m2, 1e-12, "second moment", cases[_i].text);
}
END_TEST

START_TEST(sample_moments)
{
    struct rs_dist d;
    char why[512];
    ck_assert_int_eq(rs_dist_parse(cases[_i].text, cases[_i].units, 0, &d, why, sizeof why), RS_OK);
    double m[5];
    for (int k = 1; k <= 4; k++)
        m[k] = raw_moment(cases[_i].fam, cases[_i].p, cases[_i].q, k);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, SEED);
    double s1 = 0, s2 = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        double x = rs_dist_sample(&d, r);
        ck_assert_msg(x >= 0 && isfinite(x), "%s drew %g", cases[_i].text, x);
        s1 += x;
        s2 += x * x;
    }
    gsl_rng_free(r);
    double mean = s1 / N_DRAWS, second = s2 / N_DRAWS;
    double se1 = sqrt((m[2] - m[1] * m[1]) / N_DRAWS);
    double se2 = sqrt((m[4] - m[2] * m[2]) / N_DRAWS);
    /* the small absolute slack only matters for const, whose SE is 0 */
    ck_assert_msg(fabs(mean - m[1]) <= Z * se1 + 1e-9 * m[1],
                  "%s: sample mean %.6g, analytic %.6g, %.2f SE", cases[_i].text, mean, m[1],
                  fabs(mean - m[1]) / se1);
    ck_assert_msg(fabs(second - m[2]) <= Z * se2 + 1e-9 * m[2],
                  "%s: sample E[X^2] %.6g, analytic %.6g, %.2f SE", cases[_i].text, second, m[2],
                  fabs(second - m[2]) / se2);
}
END_TEST

/* The share below each point, inside segments, and the never tail. */
START_TEST(empirical_shares)
{
    struct rs_dist d;
    char why[512];
    ck_assert_int_eq(rs_dist_parse("empirical(5m:0.20, 30m:0.26, 1h:0.49, 24h:0.76)", DUR, 1, &d,
                                   why, sizeof why),
                     RS_OK);
    ck_assert(isinf(rs_dist_mean(&d)));
    ck_assert(isinf(rs_dist_second_moment(&d)));
    const struct {
        double x, share;
    } at[] = {
        {150, 0.10},                             /* halfway to the first point, linear in time */
        {300, 0.20},   {sqrt(300 * 1800), 0.23}, /* halfway in log time */
        {1800, 0.26},  {3600, 0.49},
        {86400, 0.76}, {1e300, 0.76},
    };
    long below[N_OF(at)] = {0};
    long inf = 0;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, SEED);
    for (int i = 0; i < N_DRAWS; i++) {
        double x = rs_dist_sample(&d, r);
        ck_assert(x >= 0);
        if (isinf(x)) inf++;
        for (int j = 0; j < N_OF(at); j++)
            if (x <= at[j].x) below[j]++;
    }
    gsl_rng_free(r);
    for (int j = 0; j < N_OF(at); j++) {
        double p = at[j].share, got = (double)below[j] / N_DRAWS;
        double se = sqrt(p * (1 - p) / N_DRAWS);
        ck_assert_msg(fabs(got - p) <= Z * se, "below %g: %.5f, want %.5f", at[j].x, got, p);
    }
    double got = (double)inf / N_DRAWS, se = sqrt(0.24 * 0.76 / N_DRAWS);
    ck_assert_msg(fabs(got - 0.24) <= Z * se, "never share %.5f, want 0.24", got);
}
END_TEST

START_TEST(infinite_moments)
{
    struct rs_dist d;
    char why[512];
    ck_assert_int_eq(rs_dist_parse("never", DUR, 1, &d, why, sizeof why), RS_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, SEED);
    ck_assert(isinf(rs_dist_sample(&d, r)));
    ck_assert(isinf(rs_dist_mean(&d)));
    ck_assert(isinf(rs_dist_second_moment(&d)));
    gsl_rng_free(r);

    ck_assert_int_eq(rs_dist_parse("pareto(alpha=1.5, min=10)", NUM, 0, &d, why, sizeof why),
                     RS_OK);
    ck_assert(fabs(rs_dist_mean(&d) - 30) < 1e-12);
    ck_assert(isinf(rs_dist_second_moment(&d)));
    ck_assert_int_eq(rs_dist_parse("pareto(alpha=1, min=10)", NUM, 0, &d, why, sizeof why), RS_OK);
    ck_assert(isinf(rs_dist_mean(&d)));
}
END_TEST

Suite *rs_test_dist_suite(void);
Suite *rs_test_dist_suite(void)
{
    Suite *s = suite_create("dist");
    TCase *tp = tcase_create("parse");
    tcase_add_loop_test(tp, parse_bad, 0, N_OF(bad));
    tcase_add_test(tp, too_many_points);
    tcase_add_loop_test(tp, round_trip, 0, N_OF(trips));
    tcase_add_test(tp, round_trip_random);
    tcase_add_test(tp, constructors);
    suite_add_tcase(s, tp);

    TCase *tm = tcase_create("moments");
    tcase_set_timeout(tm, 30); /* 200000 draws per case under sanitizers */
    tcase_add_loop_test(tm, moments_exact, 0, N_OF(cases));
    tcase_add_loop_test(tm, sample_moments, 0, N_OF(cases));
    tcase_add_test(tm, empirical_shares);
    tcase_add_test(tm, infinite_moments);
    suite_add_tcase(s, tm);
    return s;
}
