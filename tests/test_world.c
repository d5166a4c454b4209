/* test_world.c: the event loop (sim/world.c) and what it is built on
 * (sim/timeline.c, sim/arrivals.c), against the scenario's own numbers.
 *
 * Scenarios are written here as text (docs/scenario-reference.md section 3) and loaded with
 * rs_scenario_load_string under a label in tests/data/world/, so the CSV
 * files they name (profiles, schedules, traces) resolve to the fixtures
 * there.  Most checks read the per-message fate log (rs_world_set_log);
 * the rest read the per-interval and summary metrics.
 *
 * Tolerances, never widened by hand:
 *   - counts that are Poisson or binomial: 4 standard errors of the
 *     analytic distribution (a correct engine fails with p ~ 6e-5);
 *   - many such checks at once (168 hours of a week): the normal quantile
 *     that keeps the family-wise error at 1e-3 (Bonferroni), plus a
 *     chi-square over the whole week at 1e-4;
 *   - the sample variance of daily totals: 4 standard errors of S^2 from
 *     the fourth central moment of the negative binomial (Poisson-gamma);
 *   - deterministic quantities (times, counts from the log): exact, or to
 *     1e-9 relative where a sum of doubles is involved.
 * Seeds are fixed, so a passing run stays passing.
 *
 * RS_QUICK (the sanitizer run): fewer replications or days; the tolerances
 * follow from the smaller samples. */
#include "replysim/alloc.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/rng.h"
#include "replysim/scenario.h"
#include "stats.h"
#include "timeline.h"
#include "replysim/world.h"

#include <check.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA_DIR RS_SOURCE_DIR "/tests/data/world"
#define HOUR 3600.0
#define DAY 86400.0
#define WEEK 604800.0

static int quick(void) { return getenv("RS_QUICK") != NULL; }

/* ------------------------------------------------------------------ */
/* Loading and running                                                  */
/* ------------------------------------------------------------------ */

static struct rs_scenario *load(const char *text)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    char msg[1024];
    memset(&err, 0, sizeof err);
    int rc = rs_scenario_load_string(text, DATA_DIR "/test_world.ini", &sc, &err);
    rs_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "scenario rejected: %s", msg);
    return sc;
}

struct log {
    struct rs_msg_record *v;
    size_t n, cap;
};

static void log_cb(void *ctx, const struct rs_msg_record *r)
{
    struct log *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->v = rs_realloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = *r;
}

static void log_free(struct log *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* One replication with its log; metrics and intervals when asked (each
 * may be NULL; the caller frees them). */
static void run_rep(const struct rs_scenario *sc, int rep, struct log *l, double **metrics,
                    double **intervals)
{
    struct rs_world *w = rs_world_create(sc, rs_rng_replication_key(sc->seed, rep));
    if (l) rs_world_set_log(w, log_cb, l);
    rs_world_run(w);
    if (metrics) {
        *metrics =
            rs_calloc((size_t)(rs_stats_n_metrics(sc) * rs_stats_n_scopes(sc)), sizeof **metrics);
        rs_world_metrics(w, *metrics);
    }
    if (intervals) {
        *intervals = rs_calloc((size_t)(rs_world_n_intervals(sc) * rs_stats_n_interval_metrics(sc)),
                               sizeof **intervals);
        rs_world_intervals(w, *intervals);
    }
    rs_world_destroy(w);
}

static int metric_index(const struct rs_scenario *sc, const char *name)
{
    char buf[64];
    for (int i = 0; i < rs_stats_n_metrics(sc); i++) {
        rs_stats_metric_name(sc, i, buf, sizeof buf);
        if (strcmp(buf, name) == 0) return i;
    }
    ck_abort_msg("no metric %s", name);
    return -1;
}

/* Value of a metric in scope 0 (all). */
static double metric_all(const struct rs_scenario *sc, const double *m, const char *name)
{
    return m[metric_index(sc, name) * rs_stats_n_scopes(sc)];
}

static int interval_metric_index(const struct rs_scenario *sc, const char *name)
{
    char buf[64];
    for (int i = 0; i < rs_stats_n_interval_metrics(sc); i++) {
        rs_stats_interval_metric_name(sc, i, buf, sizeof buf);
        if (strcmp(buf, name) == 0) return i;
    }
    ck_abort_msg("no interval metric %s", name);
    return -1;
}

static double interval_value(const struct rs_scenario *sc, const double *iv, int interval,
                             const char *name)
{
    return iv[interval * rs_stats_n_interval_metrics(sc) + interval_metric_index(sc, name)];
}

static int close_to(double a, double b) { return fabs(a - b) <= 1e-9 * fmax(1.0, fabs(b)); }

/* Family-wise bound for n two-sided normal checks at total error 1e-3. */
static double bonferroni_z(int n) { return gsl_cdf_ugaussian_Qinv(1e-3 / (2.0 * n)); }

/* ------------------------------------------------------------------ */
/* Step functions written out again, independently of sim/timeline.c   */
/* ------------------------------------------------------------------ */

/* A CSV of rows "time,value" or one column of 168 values, read here with
 * stdio only.  Times: "day HH:MM" (weekly) or a duration made of d/h/m/s
 * parts (from start). */
struct steps {
    int n, weekly;
    double t[200], v[200];
};

static double parse_duration(const char *s)
{
    double total = 0;
    while (*s) {
        char *end;
        double x = strtod(s, &end);
        ck_assert_msg(end != s, "bad duration %s", s);
        double u = *end == 'd' ? DAY : *end == 'h' ? HOUR : *end == 'm' ? 60 : 1;
        total += x * u;
        s = end + 1;
    }
    return total;
}

static void read_steps(const char *name, struct steps *st)
{
    static const char *const days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    char path[512], line[256];
    snprintf(path, sizeof path, "%s/%s", DATA_DIR, name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    memset(st, 0, sizeof *st);
    st->weekly = 1;
    int row = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (row++ == 0 && (line[0] < '0' || line[0] > '9')) {
            if (strchr(line, ',') == NULL) continue; /* "multiplier" */
            if (strncmp(line, "time,", 5) == 0) continue;
        }
        char *comma = strchr(line, ',');
        ck_assert_int_lt(st->n, 200);
        if (!comma) { /* 168 hour-of-week rows */
            st->t[st->n] = st->n * HOUR;
            st->v[st->n] = strtod(line, NULL);
        } else {
            *comma = 0;
            st->v[st->n] = strtod(comma + 1, NULL);
            if (line[0] >= 'a' && line[0] <= 'z') {
                int d = 0;
                while (d < 7 && strncmp(line, days[d], 3) != 0)
                    d++;
                ck_assert_int_lt(d, 7);
                int hh = 0, mm = 0;
                ck_assert_int_eq(sscanf(line + 4, "%d:%d", &hh, &mm), 2);
                st->t[st->n] = d * DAY + hh * HOUR + mm * 60;
            } else {
                st->weekly = 0;
                st->t[st->n] = parse_duration(line);
            }
        }
        st->n++;
    }
    fclose(f);
}

/* Value at t seconds from the start; off_s: week seconds of the start. */
static double steps_at(const struct steps *st, double off_s, double t)
{
    double x = st->weekly ? fmod(t + off_s, WEEK) : t;
    double v = st->weekly ? st->v[st->n - 1] : st->v[0]; /* before the first weekly row: last */
    for (int i = 0; i < st->n && st->t[i] <= x; i++)
        v = st->v[i];
    return v;
}

/* Integral over [a, b) by one-minute midpoints: exact for rows on whole
 * minutes, as all of tests/data/world/ are. */
static double steps_integral(const struct steps *st, double off_s, double a, double b)
{
    double s = 0;
    for (double t = a; t < b; t += 60)
        s += steps_at(st, off_s, t + 30) * 60;
    return s;
}

/* ------------------------------------------------------------------ */
/* 1. Arrivals follow the profile                                       */
/* ------------------------------------------------------------------ */

/* Three channels, one per profile form, on a week starting wed 13:00,
 * and a fourth with absolute multipliers: per-hour counts over R
 * replications against rate x multiplier x scale x 1 h.  rate is the
 * channel's average, so the multipliers are rescaled to mean 1 over their
 * period: scale = period / integral of the multipliers over it (the week
 * for weekly profiles, the 7d horizon for the timed one), computed here
 * from the CSV rows; scale = 1 with profile_scale = absolute. */
START_TEST(arrivals_follow_profiles)
{
    const char *text = "[scenario]\nhorizon = 7d\ndrain = 1h\nstart = wed 13:00\nseed = 11\n"
                       "[channel hourly]\nrate = 30/h\nprofile = profile168.csv\n"
                       "[channel weekly]\nrate = 30/h\nprofile = profile_weekly.csv\n"
                       "[channel timed]\nrate = 30/h\nprofile = profile_time.csv\n"
                       "[channel absolute]\nrate = 30/h\nprofile = profile_weekly.csv\n"
                       "profile_scale = absolute\n"
                       "[type q]\nhandle = const(1s)\n"
                       "[staff]\nagents = 1\n";
    enum { NC = 4 };
    static const char *const files[NC] = {"profile168.csv", "profile_weekly.csv",
                                          "profile_time.csv", "profile_weekly.csv"};
    struct rs_scenario *sc = load(text);
    int R = quick() ? 10 : 40, H = 168;
    double off = rs_timeline_week_offset_s(sc);
    ck_assert(close_to(off, 2 * DAY + 13 * HOUR));

    static double count[NC][168], expect[NC][168];
    struct steps st;
    for (int c = 0; c < NC; c++) {
        read_steps(files[c], &st);
        ck_assert_int_eq(st.weekly, c != 2);
        double period = st.weekly ? WEEK : 7 * DAY;
        double scale = c == 3 ? 1 : period / steps_integral(&st, off, 0, period);
        double total = 0;
        for (int h = 0; h < H; h++) {
            expect[c][h] =
                R * 30.0 / HOUR * scale * steps_integral(&st, off, h * HOUR, (h + 1) * HOUR);
            total += expect[c][h] / R;
        }
        /* validate's and run's expected count is the same sum */
        ck_assert_msg(fabs(rs_scenario_expected_arrivals(sc, c) - total) < 1e-6 * total,
                      "%s: expected arrivals %g, computed %g", files[c],
                      rs_scenario_expected_arrivals(sc, c), total);
    }
    memset(count, 0, sizeof count);
    for (int r = 0; r < R; r++) {
        struct log l = {0};
        double *iv = NULL;
        run_rep(sc, r, &l, NULL, r == 0 ? &iv : NULL);
        int per_hour[168] = {0};
        for (size_t i = 0; i < l.n; i++) {
            const struct rs_msg_record *m = &l.v[i];
            int h = (int)(m->arrive_s / HOUR);
            ck_assert_int_lt(h, H);
            count[m->channel][h]++;
            per_hour[h]++;
        }
        /* the interval metric counts the same arrivals */
        for (int h = 0; r == 0 && h < H; h++)
            ck_assert_msg(interval_value(sc, iv, h, "arrivals") == per_hour[h],
                          "hour %d: interval arrivals %g, log %d", h,
                          interval_value(sc, iv, h, "arrivals"), per_hour[h]);
        free(iv);
        log_free(&l);
    }
    double z = bonferroni_z(NC * H);
    for (int c = 0; c < NC; c++) {
        double chi2 = 0;
        int df = 0;
        for (int h = 0; h < H; h++) {
            double e = expect[c][h], o = count[c][h];
            if (e == 0) {
                ck_assert_msg(o == 0, "%s hour %d: %g arrivals where the rate is 0", files[c], h,
                              o);
                continue;
            }
            ck_assert_msg(fabs(o - e) <= z * sqrt(e), "%s hour %d: %g arrivals, expected %g +- %g",
                          files[c], h, o, e, z * sqrt(e));
            chi2 += (o - e) * (o - e) / e;
            df++;
        }
        double bound = gsl_cdf_chisq_Qinv(1e-4, df);
        ck_assert_msg(chi2 <= bound, "%s: chi-square %g over %d hours, bound %g", files[c], chi2,
                      df, bound);
    }
    rs_scenario_destroy(sc);
}
END_TEST

/* dispersion = cv: daily totals (calendar days, midnight to midnight) are
 * negative binomial with mean m and variance m + cv^2 m^2. */
START_TEST(arrivals_dispersion_daily_variance)
{
    const char *text = "[scenario]\nhorizon = 201d\ndrain = 1h\nstart = tue 12:00\nseed = 5\n"
                       "[channel c]\nrate = 10/h\ndispersion = 0.5\n"
                       "[type q]\nhandle = const(1s)\n"
                       "[staff]\nagents = 1\n";
    struct rs_scenario *sc = load(text);
    int R = quick() ? 4 : 10, D = 201;
    double m = 240, cv = 0.5;
    size_t n = 0;
    double *x = rs_calloc((size_t)(R * D), sizeof *x);
    for (int r = 0; r < R; r++) {
        struct log l = {0};
        run_rep(sc, r, &l, NULL, NULL);
        int day[202] = {0};
        for (size_t i = 0; i < l.n; i++)
            day[(int)((l.v[i].arrive_s + 12 * HOUR) / DAY)]++;
        for (int d = 1; d < D; d++)
            x[n++] = day[d]; /* full calendar days only */
        log_free(&l);
    }
    double mean = 0, s2 = 0;
    for (size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        s2 += (x[i] - mean) * (x[i] - mean);
    s2 /= (double)(n - 1);
    free(x);

    /* negative binomial: r = 1/cv^2, p = r / (r + m); excess kurtosis
     * 6/r + p^2 / (r (1 - p)) */
    double var = m + cv * cv * m * m, r_nb = 1 / (cv * cv), p = r_nb / (r_nb + m);
    double mu4 = var * var * (3 + 6 / r_nb + p * p / (r_nb * (1 - p)));
    double nn = (double)n;
    double se_s2 = sqrt(mu4 / nn - var * var * (nn - 3) / (nn * (nn - 1)));
    double se_mean = sqrt(var / nn);
    ck_assert_msg(fabs(mean - m) <= 4 * se_mean, "daily mean %g, expected %g +- %g", mean, m,
                  4 * se_mean);
    ck_assert_msg(fabs(s2 - var) <= 4 * se_s2,
                  "daily variance %g (ratio %g), expected %g +- %g over %zu days", s2, s2 / var,
                  var, 4 * se_s2, n);
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 2. Agents on shift                                                   */
/* ------------------------------------------------------------------ */

struct at_case {
    double t_s;
    int agents;
};

static void expect_agents(const struct rs_timeline *tl, int pool, const struct at_case *c, int n,
                          const char *what)
{
    for (int i = 0; i < n; i++)
        ck_assert_msg(rs_timeline_agents_at(tl, pool, c[i].t_s) == c[i].agents,
                      "%s pool %d at t = %gs: %d agents, expected %d", what, pool, c[i].t_s,
                      rs_timeline_agents_at(tl, pool, c[i].t_s), c[i].agents);
}

START_TEST(timeline_schedule_duration_form)
{
    struct rs_scenario *sc = load("[scenario]\nhorizon = 2d\n[channel c]\nrate = 1/h\n"
                                  "[type q]\nhandle = const(1s)\n"
                                  "[staff]\nschedule = schedule_duration.csv\n");
    struct rs_timeline *tl = rs_timeline_create(sc, 3 * DAY);
    ck_assert_int_eq(tl->n_pools, 1);
    static const struct at_case c[] = {
        {0, 2},          {3 * HOUR - 1, 2},  {3 * HOUR, 5},  {7.5 * HOUR - 1, 5},
        {7.5 * HOUR, 0}, {10 * HOUR - 1, 0}, {10 * HOUR, 1}, {2.9 * DAY, 1},
    };
    expect_agents(tl, 0, c, (int)(sizeof c / sizeof c[0]), "schedule");
    ck_assert_int_eq(tl->pools[0].max_agents, 5);
    rs_timeline_destroy(tl);
    rs_scenario_destroy(sc);
}
END_TEST

/* Weekly rows are calendar times: from a start of wed 10:00 the mon 08:00
 * row applies until wed 12:00, and before mon 08:00 the fri 18:00 row of
 * the week before still holds. */
START_TEST(timeline_schedule_weekly_form)
{
    struct rs_scenario *sc = load("[scenario]\nhorizon = 10d\nstart = wed 10:00\n"
                                  "[channel c]\nrate = 1/h\n[type q]\nhandle = const(1s)\n"
                                  "[staff]\nschedule = schedule_weekly.csv\n");
    struct rs_timeline *tl = rs_timeline_create(sc, 11 * DAY);
    static const struct at_case c[] = {
        {0, 3}, /* wed 10:00: mon 08:00 row */
        {2 * HOUR - 1, 3},
        {2 * HOUR, 4},                /* wed 12:00 */
        {2 * DAY + 8 * HOUR - 1, 4},  /* fri 17:59:59 */
        {2 * DAY + 8 * HOUR, 1},      /* fri 18:00 */
        {4 * DAY + 22 * HOUR - 1, 1}, /* mon 07:59:59, next week */
        {4 * DAY + 22 * HOUR, 3},     /* mon 08:00 */
        {7 * DAY + 2 * HOUR, 4},      /* wed 12:00 */
        {9 * DAY + 8 * HOUR, 1},      /* fri 18:00 */
    };
    expect_agents(tl, 0, c, (int)(sizeof c / sizeof c[0]), "weekly schedule");
    rs_timeline_destroy(tl);
    rs_scenario_destroy(sc);
}
END_TEST

/* Pools are the shifts in order (no [staff]).  Start tue 03:00, inside
 * the night shift that began mon 22:00. */
START_TEST(timeline_shifts)
{
    struct rs_scenario *sc = load(
        "[scenario]\nhorizon = 7d\nstart = tue 03:00\n[channel c]\nrate = 1/h\n"
        "[type q]\nhandle = const(1s)\n"
        "[shift day]\ndays = mon-fri\nstart = 09:00\nlength = 8h\nagents = 3\n"
        "[shift night]\ndays = fri-mon\nstart = 22:00\nlength = 10h\nagents = 2\n"
        "[shift weekend]\ndays = sat, sun\nstart = 10:00\nlength = 6h\nagents = 4\nbreak = 30m\n");
    struct rs_timeline *tl = rs_timeline_create(sc, 8 * DAY);
    ck_assert_int_eq(tl->n_pools, 3);
    /* t of weekday d (0 = mon) hh:00 in the first week from tue 03:00 */
#define T(d, hh) (((d)-1) * DAY + ((hh)-3) * HOUR)
    static const struct at_case day[] = {
        {0, 0},        {T(1, 9) - 1, 0}, {T(1, 9), 3},  {T(1, 17) - 1, 3}, {T(1, 17), 0},
        {T(4, 12), 3}, {T(5, 12), 0},    {T(6, 12), 0}, {T(7, 12), 3}, /* next mon */
    };
    static const struct at_case night[] = {
        {0, 2}, /* mon 22:00 - tue 08:00 */
        {T(1, 8) - 1, 2},
        {T(1, 8), 0},
        {T(1, 23), 0}, /* tue is not a night day */
        {T(4, 22) - 1, 0},
        {T(4, 22), 2}, /* fri 22:00 */
        {T(5, 8) - 1, 2},
        {T(5, 8), 0},
        {T(5, 22), 2}, /* sat */
        {T(6, 23), 2},
        {T(7, 8) - 1, 2},
        {T(7, 8), 0},
        {T(7, 22), 2}, /* sun, mon */
        {T(8, 7), 2},
        {T(8, 8), 0},
    };
    expect_agents(tl, 0, day, (int)(sizeof day / sizeof day[0]), "day");
    expect_agents(tl, 1, night, (int)(sizeof night / sizeof night[0]), "night");
    ck_assert_int_eq(tl->pools[0].max_agents, 3);
    ck_assert_int_eq(tl->pools[1].max_agents, 2);

    /* weekend with breaks: 4 agents from 10:00 to 16:00 on sat and sun,
     * each off 30 minutes once, never two at once (they fit), none at the
     * shift's edges */
    for (int d = 5; d <= 6; d++) {
        double a = T(d, 10), b = T(d, 16);
        ck_assert_int_eq(rs_timeline_agents_at(tl, 2, a - 1), 0);
        ck_assert_int_eq(rs_timeline_agents_at(tl, 2, a), 4);
        ck_assert_int_eq(rs_timeline_agents_at(tl, 2, b - 1), 4);
        ck_assert_int_eq(rs_timeline_agents_at(tl, 2, b), 0);
        double area = 0;
        int dips = 0, prev = 4, lowest = 4;
        for (double t = a; t < b; t += 1) {
            int n = rs_timeline_agents_at(tl, 2, t);
            area += n;
            if (n < prev) dips++;
            if (n < lowest) lowest = n;
            prev = n;
        }
        ck_assert_msg(area == 4 * 6 * HOUR - 4 * 1800, "agent-seconds %g", area);
        ck_assert_int_eq(dips, 4);
        ck_assert_int_eq(lowest, 3);
    }
#undef T
    rs_timeline_destroy(tl);
    rs_scenario_destroy(sc);
}
END_TEST

/* Exact time-average of all pools' agents over [a, b). */
static double scheduled_mean(const struct rs_timeline *tl, double a, double b)
{
    double area = 0, t = a;
    int level = 0;
    for (int p = 0; p < tl->n_pools; p++)
        level += rs_timeline_agents_at(tl, p, a);
    for (int i = 0; i < tl->n_staff; i++) {
        const struct rs_staff_change *c = &tl->staff[i];
        if (c->t_s <= a) continue;
        if (c->t_s >= b) break;
        area += level * (c->t_s - t);
        t = c->t_s;
        level += c->delta;
    }
    area += level * (b - t);
    return area / (b - a);
}

/* With scarce messages the interval metric "agents" is the schedule: an
 * agent finishing a message past a shift's end adds at most its handle
 * time (1 s), which bounds the difference. */
static void agents_metric_matches_timeline(const char *text)
{
    struct rs_scenario *sc = load(text);
    struct log l = {0};
    double *iv = NULL;
    run_rep(sc, 0, &l, NULL, &iv);
    double end = sc->horizon_s + sc->drain_s;
    struct rs_timeline *tl = rs_timeline_create(sc, end);
    double slack = (double)l.n * 1.0 / sc->interval_s + 1e-9;
    int n_iv = rs_world_n_intervals(sc);
    double total = 0;
    for (int i = 0; i < n_iv; i++) {
        double a = i * sc->interval_s, b = fmin(end, a + sc->interval_s);
        double want = scheduled_mean(tl, a, b), got = interval_value(sc, iv, i, "agents");
        total += want;
        ck_assert_msg(got >= want - 1e-9 && got <= want + slack,
                      "interval %d: agents %g, scheduled %g (+%g)", i, got, want, slack);
    }
    ck_assert(total > 0);
    rs_timeline_destroy(tl);
    free(iv);
    log_free(&l);
    rs_scenario_destroy(sc);
}

START_TEST(world_agents_follow_schedule_and_shifts)
{
    agents_metric_matches_timeline(
        "[scenario]\nhorizon = 7d\ndrain = 1d\nstart = wed 10:00\ninterval = 20m\n"
        "[channel c]\nrate = 1/d\n[type q]\nhandle = const(1s)\n"
        "[staff]\nschedule = schedule_weekly.csv\n"
        "[shift night]\ndays = fri-mon\nstart = 22:00\nlength = 10h\nagents = 2\nbreak = 45m\n"
        "[shift weekend]\ndays = sat, sun\nstart = 10:00\nlength = 6h\nagents = 4\nbreak = 30m\n");
}
END_TEST

/* A run that starts inside a night shift after its agents' breaks: the
 * breaks before t = 0 fold into t = 0 with the shift's start. */
START_TEST(world_starts_inside_night_shift)
{
    const char *text =
        "[scenario]\nhorizon = 2d\ndrain = 1h\nstart = tue 04:00\n"
        "[channel c]\nrate = 1/d\n[type q]\nhandle = const(1s)\n"
        "[shift night]\ndays = mon-sun\nstart = 22:00\nlength = 8h\nagents = 2\nbreak = 30m\n";
    struct rs_scenario *sc = load(text);
    struct rs_timeline *tl = rs_timeline_create(sc, sc->horizon_s + sc->drain_s);
    ck_assert_int_eq(rs_timeline_agents_at(tl, 0, 0), 2);
    /* the pool never goes below zero, even between changes at one time */
    int level = 0;
    for (int i = 0; i < tl->n_staff; i++) {
        level += tl->staff[i].delta;
        ck_assert_msg(level >= 0, "pool level %d after change %d at %g", level, i,
                      tl->staff[i].t_s);
    }
    rs_timeline_destroy(tl);
    rs_scenario_destroy(sc);
    agents_metric_matches_timeline(text);
}
END_TEST

/* A break longer than half the shift still lies inside the shift. */
START_TEST(timeline_long_break_inside_shift)
{
    struct rs_scenario *sc =
        load("[scenario]\nhorizon = 1d\n[channel c]\nrate = 1/h\n[type q]\nhandle = const(1s)\n"
             "[shift s]\ndays = mon\nstart = 09:00\nlength = 2h\nagents = 4\nbreak = 110m\n");
    struct rs_timeline *tl = rs_timeline_create(sc, DAY);
    ck_assert_int_eq(rs_timeline_agents_at(tl, 0, 9 * HOUR - 1), 0);
    ck_assert_int_eq(rs_timeline_agents_at(tl, 0, 11 * HOUR), 0);
    double area = 0;
    int most = 0;
    for (double t = 8 * HOUR; t < 12 * HOUR; t += 1) {
        int n = rs_timeline_agents_at(tl, 0, t);
        ck_assert_msg(n >= 0 && n <= 4, "%d agents at %g", n, t);
        area += n;
        if (n > most) most = n;
    }
    ck_assert_msg(area == 4 * 2 * HOUR - 4 * 110 * 60, "agent-seconds %g", area);
    ck_assert_int_eq(tl->pools[0].max_agents, most);
    rs_timeline_destroy(tl);
    rs_scenario_destroy(sc);
    agents_metric_matches_timeline(
        "[scenario]\nhorizon = 1d\n[channel c]\nrate = 1/d\n[type q]\nhandle = const(1s)\n"
        "[shift s]\ndays = mon\nstart = 09:00\nlength = 2h\nagents = 4\nbreak = 110m\n");
}
END_TEST

/* Working hours: nobody takes a message outside them, and the "agents"
 * metric counts only busy agents there. */
START_TEST(world_working_hours)
{
    struct rs_scenario *sc = load("[scenario]\nhorizon = 7d\ndrain = 2d\nseed = 3\n"
                                  "[channel c]\nrate = 4/h\n[type q]\nhandle = const(5m)\n"
                                  "[staff]\nagents = 2\n"
                                  "[policy]\nhours = mon-fri 09:00-17:00\n");
    struct log l = {0};
    double *iv = NULL;
    run_rep(sc, 0, &l, NULL, &iv);
    int outside = 0, at_open = 0;
    for (size_t i = 0; i < l.n; i++) {
        const struct rs_msg_record *m = &l.v[i];
        double a = fmod(m->arrive_s, DAY);
        int wd = (int)(m->arrive_s / DAY) % 7;
        if (wd >= 5 || a < 9 * HOUR || a >= 17 * HOUR) outside++;
        ck_assert_msg(m->fate == RS_FATE_ANSWERED, "message %llu: fate %s",
                      (unsigned long long)m->id, rs_fate_name(m->fate));
        double t = m->take_s, c = fmod(t, DAY);
        int d = (int)(t / DAY) % 7;
        ck_assert_msg(d < 5 && c >= 9 * HOUR && c <= 17 * HOUR,
                      "message %llu taken at %gs, outside working hours", (unsigned long long)m->id,
                      t);
        if (c == 9 * HOUR) at_open++;
    }
    ck_assert_msg(outside > 50 && at_open > 0, "%d arrived outside hours, %d taken at 09:00",
                  outside, at_open);
    for (int i = 0; i < rs_world_n_intervals(sc); i++) {
        int d = i / 24 % 7, h = i % 24;
        double got = interval_value(sc, iv, i, "agents");
        if (d < 5 && h >= 9 && h < 17)
            ck_assert_msg(close_to(got, 2), "interval %d: %g agents in hours", i, got);
        else if (!(d < 5 && h == 17))
            ck_assert_msg(got == 0, "interval %d: %g agents outside hours, none busy", i, got);
        else /* 17:00-18:00: only those finishing a message begun by 17:00 */
            ck_assert_msg(got >= 0 && got <= 2 * 5.0 / 60 + 1e-12, "interval %d: %g", i, got);
    }
    free(iv);
    log_free(&l);
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 3. Bursts                                                            */
/* ------------------------------------------------------------------ */

START_TEST(burst_adds_expected_arrivals)
{
    struct rs_scenario *sc =
        load("[scenario]\nhorizon = 1d4h\ndrain = 1h\nseed = 9\n"
             "[channel viral]\nrate = 0/h\n[channel base]\nrate = 5/h\n"
             "[type q]\nhandle = const(1s)\n[staff]\nagents = 50\n"
             "[burst storm]\nchannel = viral\nat = 1d2h30m\nrate = 120/h\nhalf_life = 45m\n");
    int R = quick() ? 100 : 400;
    double at = DAY + 2.5 * HOUR, hl = 45 * 60, rate = 120 / HOUR, span = sc->horizon_s - at;
    /* arrivals of a decaying rate over [at + x, at + y): rate hl/ln2 (2^-x/hl - 2^-y/hl) */
    double whole = rate * hl / log(2.0) * (1 - pow(2, -span / hl));
    double first = rate * hl / log(2.0) * (1 - 0.5), second = rate * hl / log(2.0) * (0.5 - 0.25);
    ck_assert(close_to(span, 2 * hl));
    double n_all = 0, n_first = 0, n_second = 0;
    for (int r = 0; r < R; r++) {
        struct log l = {0};
        run_rep(sc, r, &l, NULL, NULL);
        for (size_t i = 0; i < l.n; i++) {
            const struct rs_msg_record *m = &l.v[i];
            if (m->channel != 0) continue;
            ck_assert_msg(m->arrive_s >= at && m->arrive_s < sc->horizon_s,
                          "burst arrival at %gs, outside [at, horizon)", m->arrive_s);
            n_all++;
            if (m->arrive_s < at + hl)
                n_first++;
            else
                n_second++;
        }
        log_free(&l);
    }
    struct {
        const char *what;
        double got, want;
    } c[] = {{"all", n_all, whole},
             {"first half-life", n_first, first},
             {"second half-life", n_second, second}};
    for (int i = 0; i < 3; i++) {
        double mean = c[i].got / R, se = sqrt(c[i].want / R); /* Poisson */
        ck_assert_msg(fabs(mean - c[i].want) <= 4 * se,
                      "burst %s: %g a replication, expected %g +- %g", c[i].what, mean, c[i].want,
                      4 * se);
    }
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 4. Traces                                                            */
/* ------------------------------------------------------------------ */

START_TEST(trace_replays_exactly)
{
    struct rs_scenario *sc = load("[scenario]\nhorizon = 2h\n"
                                  "[channel t]\ntrace = trace.csv\nmix = complaint:1\n"
                                  "[type complaint]\nhandle = const(4m)\nfollowers = const(99)\n"
                                  "[type question]\nhandle = const(3m)\nfollowers = const(42)\n"
                                  "[staff]\nagents = 10\n");
    /* trace.csv, written out: the 3h row is past the horizon */
    static const struct {
        double t, followers, handle;
        int type;
    } want[] = {
        {0, 10, 300, 0}, {30, 42, 180, 1}, {30, 250, 120, 0}, {3600, 0, 90, 1}, {4830, 7, 240, 0},
    };
    int n = (int)(sizeof want / sizeof want[0]);
    for (int rep = 0; rep < 2; rep++) {
        struct log l = {0};
        run_rep(sc, rep, &l, NULL, NULL);
        ck_assert_int_eq((int)l.n, n);
        /* the log is in order of fate; sort back to arrival order by id */
        for (size_t i = 0; i < l.n; i++) {
            const struct rs_msg_record *m = &l.v[i];
            ck_assert_uint_lt(m->id, (uint64_t)n);
            int k = (int)m->id;
            ck_assert_msg(m->arrive_s == want[k].t, "row %d: arrived %g, trace %g", k, m->arrive_s,
                          want[k].t);
            ck_assert_int_eq(m->type, want[k].type);
            ck_assert_msg(m->followers == want[k].followers, "row %d: followers %g", k,
                          m->followers);
            ck_assert_int_eq(m->fate, RS_FATE_ANSWERED);
            ck_assert_msg(m->take_s == m->arrive_s, "row %d: waited with ample agents", k);
            ck_assert_msg(close_to(m->end_s - m->take_s, want[k].handle),
                          "row %d: handled %g s, expected %g", k, m->end_s - m->take_s,
                          want[k].handle);
        }
        log_free(&l);
    }
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 5. Follow-ups, switches, threads                                     */
/* ------------------------------------------------------------------ */

static int cmp_id(const void *a, const void *b)
{
    const struct rs_msg_record *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Nobody answers (agents = 0): every message lapses once at arrival + 10m,
 * and each lapse is a follow-up with p 0.3, a switch with p 0.2. */
START_TEST(followups_and_switches_at_their_probabilities)
{
    struct rs_scenario *sc =
        load("[scenario]\nhorizon = 2d\nwarmup = 2h\ndrain = 1d\nseed = 21\n"
             "[channel tw]\nrate = 60/h\n[channel dm]\nvisibility = private\nrate = 0/h\n"
             "[type complaint]\nhandle = const(1m)\npatience = const(10m)\n"
             "followup = 0.3\nswitch = 0.2\nswitch_to = dm\n"
             "[staff]\nagents = 0\n");
    int R = quick() ? 1 : 3;
    double lapses = 0, fups = 0, sws = 0, end = sc->horizon_s + sc->drain_s;
    for (int r = 0; r < R; r++) {
        struct log l = {0};
        double *met = NULL;
        run_rep(sc, r, &l, &met, NULL);
        qsort(l.v, l.n, sizeof *l.v, cmp_id);
        double counted_fups = 0, counted_sws = 0;
        for (size_t i = 0; i < l.n; i++) {
            const struct rs_msg_record *m = &l.v[i];
            ck_assert_uint_eq(m->id, (uint64_t)i); /* each message logged once */
            ck_assert_int_eq(m->fate, RS_FATE_OPEN);
            ck_assert(close_to(m->deadline_s - m->arrive_s, 600));
            if (m->arrive_s + 600 < end) lapses++;
            ck_assert_int_eq(m->lapsed, m->deadline_s < end);
            if (m->followup) {
                fups++;
                counted_fups += m->counted;
                /* the author who lapsed: in the thread, 10m earlier, same channel */
                ck_assert(m->thread < m->id);
                int found = 0;
                for (size_t j = m->thread; j < i && !found; j++)
                    found = l.v[j].thread == m->thread && l.v[j].channel == m->channel &&
                            fabs(l.v[j].arrive_s + 600 - m->arrive_s) < 1e-6;
                ck_assert_msg(found, "follow-up %zu has no lapsed message before it", i);
            } else {
                ck_assert_uint_eq(m->thread, m->id);
            }
            if (m->switched) {
                sws++;
                ck_assert_int_eq(m->channel, 1);
                double parent = m->arrive_s - 600; /* arrival of the author who moved */
                counted_sws += parent >= sc->warmup_s && parent < sc->horizon_s;
            } else if (!m->followup) {
                ck_assert_int_eq(m->channel, 0);
            }
        }
        ck_assert_msg(metric_all(sc, met, "followups") == counted_fups, "followups %g, log %g",
                      metric_all(sc, met, "followups"), counted_fups);
        ck_assert_msg(metric_all(sc, met, "switches") == counted_sws, "switches %g, log %g",
                      metric_all(sc, met, "switches"), counted_sws);
        free(met);
        log_free(&l);
    }
    double pf = 0.3, ps = 0.2;
    double se_f = sqrt(pf * (1 - pf) / lapses), se_s = sqrt(ps * (1 - ps) / lapses);
    ck_assert_msg(fabs(fups / lapses - pf) <= 4 * se_f, "follow-ups %g of %g lapses (%g), p %g",
                  fups, lapses, fups / lapses, pf);
    ck_assert_msg(fabs(sws / lapses - ps) <= 4 * se_s, "switches %g of %g lapses (%g), p %g", sws,
                  lapses, sws / lapses, ps);
    rs_scenario_destroy(sc);
}
END_TEST

/* Overloaded, short patience, many follow-ups: one reply answers a whole
 * thread, at once, and a thread is answered once. */
START_TEST(thread_answered_once)
{
    struct rs_scenario *sc =
        load("[scenario]\nhorizon = 1d\ndrain = 2d\nseed = 4\n"
             "[channel tw]\nrate = 30/h\n"
             "[type complaint]\nhandle = exponential(mean=5m)\npatience = const(15m)\n"
             "followup = 0.6\n"
             "[staff]\nagents = 2\n[policy]\norder = lifo\n");
    struct log l = {0};
    run_rep(sc, 0, &l, NULL, NULL);
    qsort(l.v, l.n, sizeof *l.v, cmp_id);
    size_t n = l.n;
    double *answer = rs_malloc(n * sizeof *answer); /* by thread id: time of its reply */
    int *answers = rs_calloc(n, sizeof *answers);
    ck_assert(answer && answers);
    for (size_t i = 0; i < n; i++)
        answer[i] = NAN;
    int thread_fates = 0, in_hand = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rs_msg_record *m = &l.v[i];
        ck_assert_uint_eq(m->id, (uint64_t)i);
        if (m->fate == RS_FATE_ANSWERED) {
            answers[m->thread]++;
            answer[m->thread] = m->end_s;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const struct rs_msg_record *m = &l.v[i];
        ck_assert_msg(answers[m->thread] <= 1, "thread %llu answered %d times",
                      (unsigned long long)m->thread, answers[m->thread]);
        if (answers[m->thread] == 0) {
            ck_assert_msg(m->fate == RS_FATE_OPEN, "message %zu: %s in an unanswered thread", i,
                          rs_fate_name(m->fate));
            continue;
        }
        /* every message of an answered thread ends with its reply */
        ck_assert_msg(m->fate == RS_FATE_ANSWERED || m->fate == RS_FATE_THREAD,
                      "message %zu: %s in an answered thread", i, rs_fate_name(m->fate));
        ck_assert_msg(m->end_s == answer[m->thread], "message %zu ends at %g, its thread at %g", i,
                      m->end_s, answer[m->thread]);
        ck_assert(m->arrive_s <= m->end_s);
        if (m->fate == RS_FATE_THREAD) {
            thread_fates++;
            in_hand += !isnan(m->take_s);
        }
    }
    ck_assert_msg(thread_fates > 100, "only %d messages answered through their thread",
                  thread_fates);
    (void)in_hand;
    free(answer);
    free(answers);
    log_free(&l);
    rs_scenario_destroy(sc);
}
END_TEST

/* The one lapsed rule's tie (world.c, lapsed_at): a message whose lapse
 * event fired at its deadline and that is dropped by max_age at that same
 * instant (max_age equal to a constant patience).  Its author did lapse
 * (the lapse may post a follow-up), so the log and the counters both say
 * so; before the rule was written once, the counters said 0. */
START_TEST(lapsed_rule_at_a_tie)
{
    struct rs_scenario *sc = load("[scenario]\nhorizon = 1d\ndrain = 1d\nseed = 5\n"
                                  "[channel tw]\nrate = 20/h\n"
                                  "[type q]\nhandle = exponential(mean=5m)\npatience = const(1h)\n"
                                  "followup = 0.000001\n" /* a lapse event, (almost) no follow-up */
                                  "[staff]\nagents = 0\n[policy]\nmax_age = 1h\n");
    struct log l = {0};
    double *met = NULL;
    run_rep(sc, 0, &l, &met, NULL);
    int counted = 0, lapsed = 0;
    for (size_t i = 0; i < l.n; i++) {
        const struct rs_msg_record *m = &l.v[i];
        ck_assert_int_eq(m->fate, RS_FATE_DROPPED);
        ck_assert(m->end_s == m->deadline_s); /* the tie */
        counted += m->counted;
        lapsed += m->counted && m->lapsed;
    }
    ck_assert_int_gt(counted, 300);
    ck_assert_int_eq(lapsed, counted);
    ck_assert(metric_all(sc, met, "dropped_rate") == 1);
    ck_assert(metric_all(sc, met, "lapsed_rate") == 1);
    free(met);
    log_free(&l);
    rs_scenario_destroy(sc);
}
END_TEST

/* Past the deadline, with no tie, the counters and the log agree: every
 * dropped message lapsed, and one dropped before its deadline did not. */
START_TEST(lapsed_rule_counters_and_log_agree)
{
    struct rs_scenario *sc =
        load("[scenario]\nhorizon = 1d\ndrain = 1d\nseed = 6\n"
             "[channel tw]\nrate = 20/h\n"
             "[type q]\nhandle = exponential(mean=5m)\npatience = exponential(mean=1h)\n"
             "followup = 0.3\n"
             "[staff]\nagents = 1\n[policy]\nmax_age = 1h\n");
    struct log l = {0};
    double *met = NULL;
    run_rep(sc, 0, &l, &met, NULL);
    int inbox = 0, lapsed = 0;
    for (size_t i = 0; i < l.n; i++) {
        const struct rs_msg_record *m = &l.v[i];
        if (!m->counted) continue;
        inbox++;
        lapsed += m->lapsed;
        ck_assert_int_eq(m->lapsed, m->deadline_s < m->end_s);
    }
    ck_assert_int_gt(lapsed, 50);
    ck_assert(close_to(metric_all(sc, met, "lapsed_rate"), (double)lapsed / inbox));
    free(met);
    log_free(&l);
    rs_scenario_destroy(sc);
}
END_TEST

/* The statistics helpers record into the fields they own. */
START_TEST(stats_helpers_own_their_fields)
{
    struct rs_scope_stats s;
    memset(&s, 0, sizeof s);
    rs_stats_arrived(&s, 1, 0);
    rs_stats_arrived(&s, 1, 1);
    rs_stats_arrived(&s, 0, 0);
    rs_stats_arrived(&s, 1, 0);
    rs_stats_arrived(&s, 1, 0);
    for (int i = 0; i < 4; i++)
        rs_stats_entered(&s);
    rs_stats_waited(&s);
    rs_stats_switched(&s);
    rs_stats_taken(&s, 30, 0);
    rs_stats_answered(&s, 60, 0, 0, 0, 0);
    rs_stats_answered(&s, 7200, 1, 1, 1, 0);
    rs_stats_answered(&s, 0, 0, 0, 0, 1);
    rs_stats_unanswered(&s, RS_FATE_DROPPED, 1);
    rs_stats_unanswered(&s, RS_FATE_BLOCKED, 0);
    ck_assert_uint_eq(s.offered, 5);
    ck_assert_uint_eq(s.needing, 4);
    ck_assert_uint_eq(s.followups, 1);
    ck_assert_uint_eq(s.inbox, 4);
    ck_assert_uint_eq(s.waited, 1);
    ck_assert_uint_eq(s.switches, 1);
    ck_assert_uint_eq(s.taken, 1);
    ck_assert_uint_eq(s.answered, 3);
    ck_assert_uint_eq(s.late, 1);
    ck_assert_uint_eq(s.lapsed, 2);
    ck_assert_uint_eq(s.bot, 1);
    ck_assert_uint_eq(s.dropped, 1);
    ck_assert_uint_eq(s.blocked, 1);
    ck_assert_uint_eq(s.abandoned, 0);
    ck_assert(s.frt_sum_s == 7260 && s.wait_sum_s == 30);
    ck_assert_uint_eq(s.sl_first[0], 2);
    ck_assert_uint_eq(s.sl_first[1], 1);
    /* latency: shares of the inbox (4) answered within each time */
    const double t[3] = {1, 3600, 86400};
    double out[3];
    rs_stats_latency(&s, t, 3, out);
    ck_assert(out[0] == 0.25 && out[1] == 0.5 && out[2] == 0.75);
    memset(&s, 0, sizeof s);
    rs_stats_latency(&s, t, 1, out);
    ck_assert(isnan(out[0]));
}
END_TEST

/* ------------------------------------------------------------------ */
/* 6. max_age                                                           */
/* ------------------------------------------------------------------ */

START_TEST(max_age_drops_exactly_the_old)
{
    struct rs_scenario *sc =
        load("[scenario]\nhorizon = 2d\ndrain = 1d\nseed = 8\n"
             "[channel tw]\nrate = 10/h\n"
             "[type complaint]\nhandle = exponential(mean=8m)\npatience = exponential(mean=30m)\n"
             "followup = 0.2\n"
             "[staff]\nagents = 1\n[policy]\nmax_age = 1h\n");
    double age = HOUR;
    struct log l = {0};
    double *met = NULL;
    run_rep(sc, 0, &l, &met, NULL);
    int dropped = 0, answered = 0, counted_dropped = 0, counted_inbox = 0;
    for (size_t i = 0; i < l.n; i++) {
        const struct rs_msg_record *m = &l.v[i];
        counted_inbox += m->counted;
        switch (m->fate) {
        case RS_FATE_DROPPED:
            dropped++;
            counted_dropped += m->counted;
            ck_assert_msg(close_to(m->end_s - m->arrive_s, age), "dropped at age %g",
                          m->end_s - m->arrive_s);
            ck_assert_msg(isnan(m->take_s), "dropped message %zu had been taken", i);
            break;
        case RS_FATE_ANSWERED:
            answered++;
            ck_assert_msg(m->take_s <= m->arrive_s + age * (1 + 1e-12),
                          "answered message taken at age %g", m->take_s - m->arrive_s);
            break;
        case RS_FATE_THREAD:
            if (isnan(m->take_s))
                ck_assert_msg(m->end_s - m->arrive_s <= age * (1 + 1e-12),
                              "answered through its thread at age %g", m->end_s - m->arrive_s);
            else
                ck_assert(m->take_s <= m->arrive_s + age * (1 + 1e-12));
            break;
        case RS_FATE_OPEN:
            ck_assert(!isnan(m->take_s) || m->end_s - m->arrive_s < age);
            break;
        default:
            ck_abort_msg("unexpected fate %s", rs_fate_name(m->fate));
        }
    }
    ck_assert_msg(dropped > 20 && answered > 20, "%d dropped, %d answered", dropped, answered);
    ck_assert(
        close_to(metric_all(sc, met, "dropped_rate"), (double)counted_dropped / counted_inbox));
    free(met);
    log_free(&l);
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 7. shift_end: finish and handoff                                     */
/* ------------------------------------------------------------------ */

/* Shift a: 1 agent 00:00-01:00; shift b: 1 agent 00:30-02:30.  Trace:
 * message 0 at 40m (30m of work) taken by a, message 1 at 45m (20m)
 * taken by b.  finish: a ends message 0 at 70m, past its shift.
 * handoff: at 60m message 0 goes back with 10m left; b, free at 65m,
 * ends it at 75m. */
static const char *shift_end_text(const char *rule)
{
    static char buf[1024];
    snprintf(buf, sizeof buf,
             "[scenario]\nhorizon = 3h\ndrain = 1h\n"
             "[channel c]\ntrace = shift_end.csv\n[type q]\nhandle = const(1m)\n"
             "[staff]\nshift_end = %s\n"
             "[shift a]\ndays = mon-sun\nstart = 00:00\nlength = 1h\nagents = 1\n"
             "[shift b]\ndays = mon-sun\nstart = 00:30\nlength = 2h\nagents = 1\n",
             rule);
    return buf;
}

START_TEST(shift_end_finish_and_handoff)
{
    for (int handoff = 0; handoff <= 1; handoff++) {
        struct rs_scenario *sc = load(shift_end_text(handoff ? "handoff" : "finish"));
        struct log l = {0};
        double *iv = NULL;
        run_rep(sc, 0, &l, NULL, &iv);
        qsort(l.v, l.n, sizeof *l.v, cmp_id);
        ck_assert_int_eq((int)l.n, 2);
        const struct rs_msg_record *m0 = &l.v[0], *m1 = &l.v[1];
        ck_assert_int_eq(m0->fate, RS_FATE_ANSWERED);
        ck_assert_int_eq(m1->fate, RS_FATE_ANSWERED);
        ck_assert(m1->take_s == 45 * 60 && m1->end_s == 65 * 60);
        if (!handoff) {
            ck_assert_msg(m0->take_s == 40 * 60 && m0->end_s == 70 * 60,
                          "finish: taken %g, ended %g", m0->take_s, m0->end_s);
        } else {
            ck_assert_msg(m0->take_s == 65 * 60 && m0->end_s == 75 * 60,
                          "handoff: taken %g, ended %g", m0->take_s, m0->end_s);
            /* work conserved: 20m by a before its shift ended, the rest by b */
            ck_assert(close_to((60 - 40) * 60 + (m0->end_s - m0->take_s), 30 * 60));
        }
        /* hour 1: b on shift, a there 10 more minutes only when finishing */
        double want = handoff ? 1.0 : 1.0 + 10.0 / 60;
        ck_assert_msg(close_to(interval_value(sc, iv, 1, "agents"), want),
                      "%s: hour 1 agents %g, expected %g", handoff ? "handoff" : "finish",
                      interval_value(sc, iv, 1, "agents"), want);
        free(iv);
        log_free(&l);
        rs_scenario_destroy(sc);
    }
}
END_TEST

/* Under load, handoff keeps every agent to the schedule exactly and
 * conserves the handle time of every message; finish lets agents run
 * over.  The handle (7m) is not a divisor of the shift times, so the
 * agents are mid-message when a shift or break begins. */
START_TEST(shift_end_under_load)
{
    for (int handoff = 0; handoff <= 1; handoff++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "[scenario]\nhorizon = 3d\ndrain = 1d\nseed = 17\ninterval = 30m\n"
                 "[channel c]\nrate = 20/h\n[type q]\nhandle = const(7m)\n"
                 "[staff]\nshift_end = %s\n"
                 "[shift early]\ndays = mon-sun\nstart = 06:00\nlength = 9h\nagents = 3\n"
                 "break = 40m\n"
                 "[shift late]\ndays = mon-sun\nstart = 13:00\nlength = 9h\nagents = 2\n",
                 handoff ? "handoff" : "finish");
        struct rs_scenario *sc = load(text);
        struct log l = {0};
        double *iv = NULL;
        run_rep(sc, 0, &l, NULL, &iv);
        double end = sc->horizon_s + sc->drain_s;
        struct rs_timeline *tl = rs_timeline_create(sc, end);
        int over = 0, answered = 0;
        for (int i = 0; i < rs_world_n_intervals(sc); i++) {
            double a = i * sc->interval_s, b = fmin(end, a + sc->interval_s);
            double want = scheduled_mean(tl, a, b), got = interval_value(sc, iv, i, "agents");
            if (handoff)
                ck_assert_msg(close_to(got, want), "handoff interval %d: %g agents, scheduled %g",
                              i, got, want);
            else
                ck_assert_msg(got >= want - 1e-9, "finish interval %d: %g agents, scheduled %g", i,
                              got, want);
            over += got > want + 1e-9;
        }
        for (size_t i = 0; i < l.n; i++) {
            const struct rs_msg_record *m = &l.v[i];
            if (m->fate != RS_FATE_ANSWERED) continue;
            answered++;
            double spent = m->end_s - m->take_s; /* since the last take */
            if (handoff)
                ck_assert_msg(spent <= 420 * (1 + 1e-12), "message %zu: %g s after its last take",
                              i, spent);
            else
                ck_assert_msg(close_to(spent, 420), "message %zu: %g s of work", i, spent);
        }
        ck_assert(answered > 100);
        if (handoff)
            ck_assert_int_eq(over, 0);
        else
            ck_assert_msg(over > 0, "finish: no agent ever worked past a shift");
        rs_timeline_destroy(tl);
        free(iv);
        log_free(&l);
        rs_scenario_destroy(sc);
    }
}
END_TEST

/* ------------------------------------------------------------------ */
/* 8. Concurrency                                                       */
/* ------------------------------------------------------------------ */

/* Messages in service at t (take <= t < end), other than self. */
static void in_service(const struct log *l, double t, size_t self, const struct rs_scenario *sc,
                       int *priv, int *pub)
{
    *priv = *pub = 0;
    for (size_t j = 0; j < l->n; j++) {
        const struct rs_msg_record *o = &l->v[j];
        if (j == self || isnan(o->take_s) || !(o->take_s <= t && t < o->end_s)) continue;
        if (sc->channels[o->channel].visibility == RS_PUBLIC)
            (*pub)++;
        else
            (*priv)++;
    }
}

START_TEST(concurrency_private_slots)
{
    struct rs_scenario *sc = load("[scenario]\nhorizon = 3d\ndrain = 1d\nseed = 2\n"
                                  "[channel dm]\nvisibility = private\nrate = 8/h\n"
                                  "[channel tw]\nvisibility = public\nrate = 1.5/h\n"
                                  "[type q]\nhandle = const(10m)\n"
                                  "[staff]\nagents = 1\nconcurrency = 3\n");
    struct log l = {0};
    run_rep(sc, 0, &l, NULL, NULL);
    int most = 0, waited = 0;
    for (size_t i = 0; i < l.n; i++) {
        const struct rs_msg_record *m = &l.v[i];
        int pub_m = sc->channels[m->channel].visibility == RS_PUBLIC;
        ck_assert_int_eq(m->fate, RS_FATE_ANSWERED);
        ck_assert(close_to(m->end_s - m->take_s, 600));
        int priv, pub;
        /* while it is handled: a public message alone, private ones up to 3 */
        in_service(&l, m->take_s, i, sc, &priv, &pub);
        if (pub_m)
            ck_assert_msg(priv == 0 && pub == 0, "public message %zu shared the agent (%d, %d)", i,
                          priv, pub);
        else
            ck_assert_msg(pub == 0 && priv <= 2, "private message %zu with %d private, %d public",
                          i, priv, pub);
        if (!pub_m && priv + 1 > most) most = priv + 1;
        /* it waited only if the agent had no room for it on arrival */
        if (m->take_s > m->arrive_s) {
            waited++;
            in_service(&l, m->arrive_s, i, sc, &priv, &pub);
            int full = pub > 0 || (pub_m ? priv > 0 : priv >= 3);
            ck_assert_msg(full, "message %zu waited with room (%d private, %d public in hand)", i,
                          priv, pub);
        }
    }
    ck_assert_int_eq(most, 3);
    ck_assert(waited > 0);
    log_free(&l);
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 9. autoack and bot                                                   */
/* ------------------------------------------------------------------ */

START_TEST(autoack_stretches_patience)
{
    for (int ack = 0; ack <= 1; ack++) {
        char text[512];
        snprintf(text, sizeof text,
                 "[scenario]\nhorizon = 1d\n[channel c]\nrate = 10/h\n"
                 "[type q]\nhandle = exponential(mean=10m)\npatience = const(30m)\n"
                 "[staff]\nagents = 1\n%s",
                 ack ? "[policy]\nautoack = 3\n" : "");
        struct rs_scenario *sc = load(text);
        struct log l = {0};
        run_rep(sc, 0, &l, NULL, NULL);
        ck_assert(l.n > 100);
        double want = ack ? 3 * 1800 : 1800;
        int lapsed = 0;
        for (size_t i = 0; i < l.n; i++) {
            const struct rs_msg_record *m = &l.v[i];
            ck_assert_msg(close_to(m->deadline_s - m->arrive_s, want), "patience %g, expected %g",
                          m->deadline_s - m->arrive_s, want);
            ck_assert_int_eq(m->lapsed, m->deadline_s < m->end_s);
            lapsed += m->lapsed;
        }
        ck_assert(lapsed > 0);
        log_free(&l);
        rs_scenario_destroy(sc);
    }
}
END_TEST

START_TEST(bot_resolves_its_share)
{
    const char *text = "[scenario]\nhorizon = 2d\nseed = 13\nreplications = 20\n"
                       "[channel c]\nrate = 20/h\nmix = complaint:0.5, question:0.5\n"
                       "[type complaint]\nhandle = const(2m)\n"
                       "[type question]\nhandle = const(2m)\n"
                       "[staff]\nagents = 2\n[policy]\nbot = 0.4\nbot_types = question\n";
    struct rs_scenario *sc = load(text);
    double p = 0.5 * 0.4;
    /* the log: bot only on questions, at once, at rate p */
    double n = 0, bot = 0;
    for (int r = 0; r < 3; r++) {
        struct log l = {0};
        double *met = NULL;
        run_rep(sc, r, &l, &met, NULL);
        double cb = 0, ci = 0;
        for (size_t i = 0; i < l.n; i++) {
            const struct rs_msg_record *m = &l.v[i];
            n++;
            ci += m->counted;
            if (m->fate != RS_FATE_BOT) continue;
            bot++;
            cb += m->counted;
            ck_assert_int_eq(m->type, 1);
            ck_assert(m->end_s == m->arrive_s && isnan(m->take_s));
        }
        ck_assert(close_to(metric_all(sc, met, "bot_rate"), cb / ci));
        free(met);
        log_free(&l);
    }
    ck_assert_msg(fabs(bot / n - p) <= 4 * sqrt(p * (1 - p) / n), "bot share %g of %g, p %g",
                  bot / n, n, p);

    /* the metric across replications: all and per type */
    struct rs_run_opts opts = {.replications = quick() ? 10 : 20, .seed = sc->seed, .threads = 2};
    struct rs_results *res = NULL;
    struct rs_error err;
    ck_assert_int_eq(rs_experiment_run(sc, &opts, &res, &err), RS_OK);
    struct {
        const char *scope;
        double p;
    } c[] = {{"all", p}, {"type:question", 0.4}, {"type:complaint", 0}};
    for (int i = 0; i < 3; i++) {
        struct rs_summary s;
        ck_assert_int_eq(rs_results_get(res, "bot_rate", c[i].scope, &s), RS_OK);
        double se = s.sd / sqrt(s.n);
        ck_assert_msg(fabs(s.mean - c[i].p) <= 4 * se + 1e-12, "bot_rate %s: %g +- %g, p %g",
                      c[i].scope, s.mean, se, c[i].p);
    }
    rs_results_destroy(res);
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 10. Determinism                                                      */
/* ------------------------------------------------------------------ */

static const char *rich_text =
    "[scenario]\nhorizon = 4d\nwarmup = 6h\ndrain = 12h\nseed = 77\nstart = thu 20:00\n"
    "[channel tw]\nrate = 25/h\nprofile = profile168.csv\ndispersion = 0.3\n"
    "mix = complaint:0.4, question:0.6\n"
    "[channel dm]\nvisibility = private\nrate = 10/h\nmix = complaint:0.3, question:0.7\n"
    "[burst storm]\nchannel = tw\nat = 1d3h\nrate = 100/h\nhalf_life = 1h\n"
    "[type complaint]\nhandle = lognormal(mean=8m, sd=4m)\npatience = exponential(mean=45m)\n"
    "followup = 0.4\nswitch = 0.1\nswitch_to = dm\nfollowers = exponential(mean=500)\n"
    "[type question]\nhandle = exponential(mean=4m)\npatience = exponential(mean=3h)\n"
    "[staff]\nconcurrency = 2\nshift_end = handoff\n"
    "[shift day]\ndays = mon-fri\nstart = 08:00\nlength = 9h\nagents = 3\nbreak = 30m\n"
    "[shift night]\ndays = fri-mon\nstart = 21:00\nlength = 10h\nagents = 1\n"
    "[policy]\norder = score\nmax_age = 12h\nautoack = 2\nbot = 0.3\nbot_types = question\n";

static int same_record(const struct rs_msg_record *a, const struct rs_msg_record *b)
{
    return a->id == b->id && a->thread == b->thread && a->channel == b->channel &&
           a->type == b->type && a->followup == b->followup && a->switched == b->switched &&
           a->counted == b->counted && a->lapsed == b->lapsed && a->fate == b->fate &&
           memcmp(&a->arrive_s, &b->arrive_s, sizeof(double)) == 0 &&
           memcmp(&a->deadline_s, &b->deadline_s, sizeof(double)) == 0 &&
           memcmp(&a->take_s, &b->take_s, sizeof(double)) == 0 &&
           memcmp(&a->end_s, &b->end_s, sizeof(double)) == 0 &&
           memcmp(&a->followers, &b->followers, sizeof(double)) == 0;
}

START_TEST(determinism_same_seed_same_log)
{
    struct rs_scenario *sc = load(rich_text);
    struct log a = {0}, b = {0}, c = {0};
    run_rep(sc, 1, &a, NULL, NULL);
    run_rep(sc, 1, &b, NULL, NULL);
    run_rep(sc, 2, &c, NULL, NULL);
    ck_assert(a.n > 1000);
    ck_assert_uint_eq(a.n, b.n);
    for (size_t i = 0; i < a.n; i++)
        ck_assert_msg(same_record(&a.v[i], &b.v[i]), "record %zu differs between runs", i);
    int differ = a.n != c.n;
    for (size_t i = 0; i < a.n && i < c.n && !differ; i++)
        differ = !same_record(&a.v[i], &c.v[i]);
    ck_assert_msg(differ, "replications 1 and 2 gave the same log");
    /* the rich scenario exercises what it claims */
    int fates[RS_FATE_OPEN + 1] = {0}, fups = 0, sws = 0;
    for (size_t i = 0; i < a.n; i++) {
        fates[a.v[i].fate]++;
        fups += a.v[i].followup;
        sws += a.v[i].switched;
    }
    ck_assert(fates[RS_FATE_ANSWERED] && fates[RS_FATE_THREAD] && fates[RS_FATE_BOT] &&
              fates[RS_FATE_DROPPED] && fups && sws);
    log_free(&a);
    log_free(&b);
    log_free(&c);
    rs_scenario_destroy(sc);
}
END_TEST

static int same_double(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static int same_summary(const struct rs_summary *a, const struct rs_summary *b)
{
    return same_double(a->mean, b->mean) && same_double(a->ci_low, b->ci_low) &&
           same_double(a->ci_high, b->ci_high) && same_double(a->sd, b->sd) && a->n == b->n;
}

START_TEST(determinism_threads)
{
    struct rs_scenario *sc = load(rich_text);
    struct rs_results *r[2] = {NULL, NULL};
    struct rs_error err;
    for (int k = 0; k < 2; k++) {
        struct rs_run_opts opts = {
            .replications = quick() ? 4 : 8, .seed = sc->seed, .threads = k ? 4 : 1};
        ck_assert_int_eq(rs_experiment_run(sc, &opts, &r[k], &err), RS_OK);
    }
    int nm = rs_results_n_metrics(r[0]), ns = rs_results_n_scopes(r[0]);
    ck_assert_int_eq(nm, rs_results_n_metrics(r[1]));
    for (int m = 0; m < nm; m++)
        for (int s = 0; s < ns; s++) {
            struct rs_summary a, b;
            rs_results_summary(r[0], m, s, &a);
            rs_results_summary(r[1], m, s, &b);
            ck_assert_msg(same_summary(&a, &b), "%s %s: %g with 1 thread, %g with 4",
                          rs_results_metric_name(r[0], m), rs_results_scope_name(r[0], s), a.mean,
                          b.mean);
            for (int rep = 0; rep < rs_results_replications(r[0]); rep++)
                ck_assert(same_double(rs_results_value(r[0], m, s, rep),
                                      rs_results_value(r[1], m, s, rep)));
        }
    int ni = rs_results_n_intervals(r[0]), nim = rs_results_n_interval_metrics(r[0]);
    for (int i = 0; i < ni; i++)
        for (int m = 0; m < nim; m++) {
            struct rs_summary a, b;
            rs_results_interval_summary(r[0], i, m, &a);
            rs_results_interval_summary(r[1], i, m, &b);
            ck_assert_msg(same_summary(&a, &b), "interval %d %s differs", i,
                          rs_results_interval_metric_name(r[0], m));
        }
    for (int p = 0; p < rs_results_n_latency_points(r[0]); p++) {
        struct rs_summary a, b;
        rs_results_latency_summary(r[0], 0, p, &a);
        rs_results_latency_summary(r[1], 0, p, &b);
        ck_assert(same_summary(&a, &b));
    }
    rs_results_destroy(r[0]);
    rs_results_destroy(r[1]);
    rs_scenario_destroy(sc);
}
END_TEST

/* A world in memory handed on from earlier worlds (larger and smaller
 * ones) gives the figures of a fresh one, bit for bit. */
START_TEST(world_memory_reused)
{
    struct rs_scenario *sc = load(rich_text);
    struct rs_scenario *small =
        load("[scenario]\nhorizon = 2h\nseed = 5\n[channel email]\nrate = 30/h\n[type q]\n"
             "handle = exponential(mean=3m)\n[staff]\nagents = 2\n");
    int nm = rs_stats_n_metrics(sc) * rs_stats_n_scopes(sc);
    int ni = rs_world_n_intervals(sc) * rs_stats_n_interval_metrics(sc);
    double *m = rs_calloc((size_t)nm, sizeof *m), *iv = rs_calloc((size_t)ni, sizeof *iv);
    struct rs_world_mem *mem = rs_world_mem_create();
    for (int rep = 0; rep < 3; rep++) {
        struct rs_world *ws = rs_world_create_in(small, rs_rng_replication_key(5, rep), mem);
        rs_world_run(ws);
        rs_world_destroy(ws);
        double *fm = NULL, *fiv = NULL;
        run_rep(sc, rep, NULL, &fm, &fiv);
        struct rs_world *w = rs_world_create_in(sc, rs_rng_replication_key(sc->seed, rep), mem);
        rs_world_run(w);
        rs_world_metrics(w, m);
        rs_world_intervals(w, iv);
        rs_world_destroy(w);
        ck_assert(memcmp(m, fm, (size_t)nm * sizeof *m) == 0);
        ck_assert(memcmp(iv, fiv, (size_t)ni * sizeof *iv) == 0);
        free(fm);
        free(fiv);
    }
    rs_world_mem_destroy(mem);
    free(m);
    free(iv);
    rs_scenario_destroy(small);
    rs_scenario_destroy(sc);
}
END_TEST

/* A run asks only for what it reads: the figures asked for are those of a
 * full run, the others NaN. */
START_TEST(run_computes_what_is_asked)
{
    struct rs_scenario *sc = load(rich_text);
    struct rs_results *full = NULL, *part = NULL;
    struct rs_error err;
    struct rs_run_opts opts = {.replications = 3, .seed = sc->seed, .threads = 2};
    ck_assert_int_eq(rs_experiment_run(sc, &opts, &full, &err), RS_OK);
    opts.want = RS_WANT_INTERVALS;
    ck_assert_int_eq(rs_experiment_run(sc, &opts, &part, &err), RS_OK);
    for (int rep = 0; rep < 3; rep++) {
        for (int i = 0; i < rs_results_n_intervals(full); i++)
            for (int k = 0; k < rs_results_n_interval_metrics(full); k++)
                ck_assert(same_double(rs_results_interval_value(full, i, k, rep),
                                      rs_results_interval_value(part, i, k, rep)));
        for (int k = 0; k < rs_results_n_metrics(full); k++)
            ck_assert(isnan(rs_results_value(part, k, 0, rep)));
        ck_assert(!isnan(rs_results_value(full, rs_results_find_metric(full, "offered"), 0, rep)));
    }
    struct rs_summary s;
    rs_results_latency_summary(part, 0, 0, &s);
    ck_assert_int_eq(s.n, 0);
    rs_results_destroy(full);
    rs_results_destroy(part);
    rs_scenario_destroy(sc);
}
END_TEST

Suite *rs_test_world_suite(void);
Suite *rs_test_world_suite(void)
{
    Suite *s = suite_create("world");
    TCase *ta = tcase_create("arrivals");
    tcase_set_timeout(ta, 60);
    tcase_add_test(ta, arrivals_follow_profiles);
    tcase_add_test(ta, arrivals_dispersion_daily_variance);
    tcase_add_test(ta, burst_adds_expected_arrivals);
    tcase_add_test(ta, trace_replays_exactly);
    suite_add_tcase(s, ta);

    TCase *tt = tcase_create("staffing");
    tcase_set_timeout(tt, 60);
    tcase_add_test(tt, timeline_schedule_duration_form);
    tcase_add_test(tt, timeline_schedule_weekly_form);
    tcase_add_test(tt, timeline_shifts);
    tcase_add_test(tt, timeline_long_break_inside_shift);
    tcase_add_test(tt, world_agents_follow_schedule_and_shifts);
    tcase_add_test(tt, world_starts_inside_night_shift);
    tcase_add_test(tt, world_working_hours);
    tcase_add_test(tt, shift_end_finish_and_handoff);
    tcase_add_test(tt, shift_end_under_load);
    tcase_add_test(tt, concurrency_private_slots);
    suite_add_tcase(s, tt);

    TCase *tc = tcase_create("customers");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, followups_and_switches_at_their_probabilities);
    tcase_add_test(tc, thread_answered_once);
    tcase_add_test(tc, max_age_drops_exactly_the_old);
    tcase_add_test(tc, lapsed_rule_at_a_tie);
    tcase_add_test(tc, lapsed_rule_counters_and_log_agree);
    tcase_add_test(tc, stats_helpers_own_their_fields);
    tcase_add_test(tc, autoack_stretches_patience);
    tcase_add_test(tc, bot_resolves_its_share);
    suite_add_tcase(s, tc);

    TCase *td = tcase_create("determinism");
    tcase_set_timeout(td, 60);
    tcase_add_test(td, determinism_same_seed_same_log);
    tcase_add_test(td, determinism_threads);
    tcase_add_test(td, world_memory_reused);
    tcase_add_test(td, run_computes_what_is_asked);
    suite_add_tcase(s, td);
    return s;
}
