/* fit.c: a scenario estimated from a message log (see fit.h): messages are
 * added one at a time into bounded counters, then rs_fit_finish estimates
 * arrivals (rate, profile, dispersion), the type mix, handle times and
 * patience (fit_dist.c) and staffing (fit_staff.c). */
#include "fit_int.h"

#include "replysim/alloc.h"
#include "replysim/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_S 86400.0
#define HOUR_S 3600.0

void rs_fit_series_add(struct fit_series *s, long bin, double w)
{
    if (s->n == 0) s->lo = bin;
    if (bin < s->lo) { /* grow in front: a log need not be sorted */
        long more = s->lo - bin + s->n;
        s->v = rs_reallocarray(s->v, (size_t)(s->n + more), sizeof *s->v);
        memmove(s->v + more, s->v, (size_t)s->n * sizeof *s->v);
        memset(s->v, 0, (size_t)more * sizeof *s->v);
        s->lo -= more;
        s->n += more;
    } else if (bin >= s->lo + s->n) {
        long n = s->n ? 2 * s->n : 64;
        while (bin >= s->lo + n)
            n *= 2;
        s->v = rs_reallocarray(s->v, (size_t)n, sizeof *s->v);
        memset(s->v + s->n, 0, (size_t)(n - s->n) * sizeof *s->v);
        s->n = n;
    }
    s->v[bin - s->lo] += w;
}

double rs_fit_series_get(const struct fit_series *s, long bin)
{
    return bin >= s->lo && bin < s->lo + s->n ? s->v[bin - s->lo] : 0;
}

int rs_fit_create(const struct rs_fit_opts *o, struct rs_fit **out, struct rs_error *err)
{
    double iv = o->interval_s;
    int whole_min = fabs(iv / 60 - round(iv / 60)) < 1e-9 && iv >= 60;
    int divides = whole_min && fabs(HOUR_S / iv - round(HOUR_S / iv)) < 1e-9;
    int hours = fabs(iv / HOUR_S - round(iv / HOUR_S)) < 1e-9 && iv >= HOUR_S;
    if (!(divides || hours))
        return rs_error_input(err, NULL, 0, "--interval",
                              "expected whole minutes dividing 1h (15m, 30m) or whole hours");
    struct rs_fit *f = rs_calloc(1, sizeof *f);
    f->o = *o;
    f->res_s = iv <= HOUR_S ? iv : HOUR_S;
    f->slots.slot_s = 60;
    f->min_arrive_s = INFINITY;
    f->max_arrive_s = f->end_s = -INFINITY;
    f->defaults = rs_calloc(1, sizeof *f->defaults);
    rs_scenario_defaults(f->defaults);
    struct rs_observed_cfg oc = {.interval_s = iv, .n_within = f->defaults->n_within};
    memcpy(oc.within_s, f->defaults->within_s, sizeof oc.within_s);
    f->obs = rs_observed_create(&oc);
    *out = f;
    return RS_OK;
}

/* A name fit for a scenario section: letters, digits, _ - . kept, other
 * bytes as _, at most RS_NAME_MAX - 1; fallback when empty. */
static void scenario_name(const char *raw, const char *fallback, char *out)
{
    size_t k = 0;
    for (const char *p = raw; *p && k < RS_NAME_MAX - 1; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || c == '.';
        out[k++] = ok ? c : '_';
    }
    out[k] = '\0';
    if (k == 0 || !strcmp(out, ".") || !strcmp(out, ".."))
        snprintf(out, RS_NAME_MAX, "%s", fallback);
}

/* The index of raw among names[0..*n), added when new: -1 when there is no
 * room (max). */
static int find_name(struct fit_name *names, size_t stride, int *n, int max, const char *raw,
                     const char *fallback)
{
    for (int i = 0; i < *n; i++) {
        struct fit_name *nm = (struct fit_name *)((char *)names + (size_t)i * stride);
        if (!strcmp(nm->raw, raw)) return i;
    }
    if (*n == max) return -1;
    struct fit_name *nm = (struct fit_name *)((char *)names + (size_t)*n * stride);
    nm->raw = rs_strdup(raw);
    scenario_name(raw, fallback, nm->name);
    /* two raw names made alike ("a b", "a_b"): the later gets a number */
    for (int i = 0, k = 2; i < *n; i++) {
        struct fit_name *o = (struct fit_name *)((char *)names + (size_t)i * stride);
        if (!strcmp(o->name, nm->name)) {
            char base[51];
            memcpy(base, nm->name, sizeof base - 1);
            base[sizeof base - 1] = '\0';
            snprintf(nm->name, RS_NAME_MAX, "%s_%d", base, k++ % 1000000);
            i = -1;
        }
    }
    return (*n)++;
}

static void note_time(struct rs_fit *f, double t)
{
    if (isfinite(t) && t > f->end_s) f->end_s = t;
}

/* Handle time of m: the log's, else reply - take; NAN when neither. */
static double handle_of(const struct rs_log_msg *m, int *derived)
{
    *derived = 0;
    if (isfinite(m->handle_s)) return m->handle_s;
    if (isfinite(m->take_s) && isfinite(m->reply_s) && m->reply_s >= m->take_s) {
        *derived = 1;
        return m->reply_s - m->take_s;
    }
    return NAN;
}

/* Waiting and work of m in the minute counts; patience of its type. */
static void add_queue(struct rs_fit *f, struct fit_type *ty, const struct rs_log_msg *m,
                      double handle_s)
{
    double t = m->arrive_s, start = NAN, served;
    if (isfinite(m->take_s) && isfinite(handle_s))
        start = m->take_s;
    else if (isfinite(m->reply_s) && isfinite(handle_s))
        start = m->reply_s - handle_s;
    if (isfinite(start)) {
        rs_fit_slots_busy(&f->slots, start, start + handle_s);
        note_time(f, start + handle_s);
        f->n_busy++;
    }
    /* when work started, for the working hours (a reply alone: its time) */
    double began = isfinite(start) ? start : m->reply_s;
    if (isfinite(began) && fabs(began) <= FIT_MAX_SPAN_S) {
        rs_fit_series_add(&f->starts, (long)floor(began / HOUR_S), 1);
        f->n_takes += isfinite(m->take_s) && began == m->take_s;
    }
    served = isfinite(m->take_s) ? m->take_s : isfinite(start) ? start : m->reply_s;
    if (isfinite(m->reply_s) && m->reply_s < served) served = m->reply_s;
    int withdrew = isfinite(m->abandon_s) && !(served <= m->abandon_s);
    if (withdrew) {
        rs_fit_patience_add(&ty->pacc, m->abandon_s - t, 1, 1);
        rs_fit_slots_wait(&f->slots, t, m->abandon_s, 1);
        f->n_withdrawn++;
    } else if (isfinite(served)) {
        rs_fit_patience_add(&ty->pacc, served - t, 0, 1);
        rs_fit_slots_wait(&f->slots, t, served, 1);
    } else { /* open at the end of the log: known at rs_fit_finish */
        rs_fit_series_add(&ty->open, (long)floor(t / f->res_s), 1);
    }
}

int rs_fit_add(struct rs_fit *f, const struct rs_log_msg *m, struct rs_error *err)
{
    double t = m->arrive_s;
    if (!isfinite(t)) return RS_OK;
    if (fabs(t) > FIT_MAX_SPAN_S)
        return rs_error_input(err, f->o.label, (int)m->line, NULL,
                              "expected a log spanning at most %.0f days from its first row",
                              FIT_MAX_SPAN_S / DAY_S);
    int c =
        find_name(&f->ch[0].nm, sizeof f->ch[0], &f->n_ch, RS_MAX_CHANNELS, m->channel, "inbox");
    int k = find_name(&f->ty[0].nm, sizeof f->ty[0], &f->n_ty, RS_MAX_TYPES, m->type, "message");
    if (c < 0 || k < 0)
        return rs_error_input(err, f->o.label, (int)m->line, c < 0 ? "channel" : "type",
                              "expected at most %d %s (a scenario's limit), got another: \"%s\"",
                              c < 0 ? RS_MAX_CHANNELS : RS_MAX_TYPES, c < 0 ? "channels" : "types",
                              c < 0 ? m->channel : m->type);
    struct fit_channel *ch = &f->ch[c];
    struct fit_type *ty = &f->ty[k];
    if (!ch->obs) {
        struct rs_observed_cfg oc = {.interval_s = f->o.interval_s,
                                     .n_within = f->defaults->n_within};
        memcpy(oc.within_s, f->defaults->within_s, sizeof oc.within_s);
        ch->obs = rs_observed_create(&oc);
    }
    f->n_msgs++;
    ch->n++;
    ch->type_n[k]++;
    ty->n++;
    if (isfinite(m->take_s) || isfinite(m->reply_s) || isfinite(m->abandon_s) ||
        isfinite(m->handle_s))
        ty->touched++;
    rs_fit_series_add(&ch->counts, (long)floor(t / f->res_s), 1);
    f->min_arrive_s = fmin(f->min_arrive_s, t);
    f->max_arrive_s = fmax(f->max_arrive_s, t);
    note_time(f, t);
    note_time(f, m->take_s);
    note_time(f, m->reply_s);
    note_time(f, m->abandon_s);
    int derived;
    double h = handle_of(m, &derived);
    if (isfinite(h)) {
        rs_fit_handle_add(&ty->fold[(long)ty->hacc.n % 2], h);
        rs_fit_handle_add(&ty->hacc, h);
        rs_fit_handle_add(&f->hacc_all, h);
        ty->derived += derived;
    }
    add_queue(f, ty, m, h);
    rs_observed_add(f->obs, m, 1);
    rs_observed_add(ch->obs, m, 1);
    return RS_OK;
}

void rs_fit_add_holdout(struct rs_fit *f, const char *metric, long intervals, long covered,
                        const char *method)
{
    if (f->n_heldout >= RS_FIT_MAX_HOLDOUT) return;
    struct fit_heldout *h = &f->heldout[f->n_heldout++];
    snprintf(h->metric, sizeof h->metric, "%s", metric);
    h->intervals = intervals;
    h->covered = covered;
    free(f->heldout_method);
    f->heldout_method = rs_strdup(method);
}

long rs_fit_messages(const struct rs_fit *f) { return f->n_msgs; }
void rs_fit_set_origin_day(struct rs_fit *f, int day) { f->origin_day = day; }
int rs_fit_weekly(const struct rs_fit *f) { return f->weekly; }
int rs_fit_n_channels(const struct rs_fit *f) { return f->n_ch; }
const char *rs_fit_channel_name(const struct rs_fit *f, int c) { return f->ch[c].nm.name; }
int rs_fit_n_types(const struct rs_fit *f) { return f->n_ty; }
const char *rs_fit_type_name(const struct rs_fit *f, int k) { return f->ty[k].nm.name; }
const char *rs_fit_type_family(const struct rs_fit *f, int k)
{
    return rs_fit_family_name(f->ty[k].h.family);
}

/* The scenario's clock: t = 0 at midnight of the earliest arrival's day
 * (the log's origin unless rows come before it), the horizon in whole days
 * to the last arrival (whole hours for a log under a day). */
static void set_clock(struct rs_fit *f)
{
    f->t0_s = f->min_arrive_s < 0 ? floor(f->min_arrive_s / DAY_S) * DAY_S : 0;
    double span = f->max_arrive_s - f->t0_s;
    f->horizon_s =
        span >= DAY_S ? (floor(span / DAY_S) + 1) * DAY_S : (floor(span / HOUR_S) + 1) * HOUR_S;
    int day0 = f->origin_day < 0 ? 0 : f->origin_day;
    f->start_day = (int)(((day0 + (long)llround(f->t0_s / DAY_S)) % 7 + 7) % 7);
    f->weekly = f->horizon_s >= 14 * DAY_S;
    f->n_bins = f->weekly ? 168 : (long)llround(f->horizon_s / f->res_s);
    f->n_intervals = (long)ceil(f->horizon_s / f->o.interval_s - 1e-9);
}

/* Hour of the week (0 = mon 00:00) of bin b of the scenario's clock. */
static long hour_of_week(const struct rs_fit *f, long b)
{
    long h = (long)floor((double)b * f->res_s / HOUR_S);
    return (f->start_day * 24 + h) % 168;
}

static const char *const shape_names[N_SHAPES] = {"hour of the week", "hour of the day x weekday",
                                                  "hour of the day", "none (flat)"};

const char *rs_fit_shape_name(int shape) { return shape_names[shape]; }

/* The key of hour of the week hw under a shape: itself, its hour of the
 * day, or 0; and of bin b of the scenario's clock. */
static long key_of_hour(int shape, long hw)
{
    return shape == SHAPE_WEEK || shape == SHAPE_DAY_WEEKDAY ? hw
           : shape == SHAPE_DAY                              ? hw % 24
                                                             : 0;
}

static long shape_key(const struct rs_fit *f, int shape, long b)
{
    return key_of_hour(shape, hour_of_week(f, b));
}

/* Mean arrivals per hour of each key of shape, from the bins of the whole
 * weeks of parity half (-1: every bin of the horizon). */
static void shape_means(const struct rs_fit *f, const struct fit_channel *ch, int shape, int half,
                        double *mean)
{
    long per_week = (long)llround(7 * DAY_S / f->res_s), b0 = (long)llround(f->t0_s / f->res_s);
    long nb = half < 0 ? (long)llround(f->horizon_s / f->res_s)
                       : (long)floor(f->horizon_s / (7 * DAY_S) + 1e-9) * per_week;
    /* sums and hours by hour of the week; the shapes add them up */
    double sum[168] = {0}, cover[168] = {0};
    for (long b = 0; b < nb; b++) {
        if (half >= 0 && b / per_week % 2 != half) continue;
        long hw = hour_of_week(f, b);
        sum[hw] += rs_fit_series_get(&ch->counts, b0 + b);
        cover[hw] += f->res_s / HOUR_S;
    }
    double ks[168] = {0}, kc[168] = {0}, ds[7] = {0}, dc[7] = {0}, all_s = 0, all_c = 0;
    for (long hw = 0; hw < 168; hw++) {
        long k = key_of_hour(shape == SHAPE_DAY_WEEKDAY ? SHAPE_DAY : shape, hw);
        ks[k] += sum[hw], kc[k] += cover[hw];
        ds[hw / 24] += sum[hw], dc[hw / 24] += cover[hw];
        all_s += sum[hw], all_c += cover[hw];
    }
    for (long hw = 0; hw < 168; hw++) {
        long k = key_of_hour(shape, hw);
        if (shape != SHAPE_DAY_WEEKDAY) {
            mean[k] = kc[k] > 0 ? ks[k] / kc[k] : 0;
            continue;
        }
        /* the weekday's level times the hour of the day's share of it */
        long d = hw / 24, h = hw % 24;
        double level = dc[d] > 0 ? ds[d] / dc[d] : 0, overall = all_c > 0 ? all_s / all_c : 0;
        mean[hw] = overall > 0 && kc[h] > 0 ? level * (ks[h] / kc[h]) / overall : 0;
    }
}

static double deviance(double y, double mu)
{
    mu = fmax(mu, 1e-9);
    return 2 * ((y > 0 ? y * log(y / mu) : 0) - (y - mu));
}

/* Which profile to fit, chosen on weeks it was not fitted to: the whole
 * weeks are dealt into two halves by parity, each half's mean per hour of
 * the week (or of the day, or flat) predicts the other half's counts, and
 * the shape with the lowest Poisson deviance per bin wins (about 1 when a
 * prediction is the true mean; more parameters than the data carry shows
 * as more).  With two weeks an hour of the week is seen once a half. */
static void fit_holdout(struct rs_fit *f, struct fit_channel *ch)
{
    ch->shape = SHAPE_WEEK;
    ch->hold_bins = 0;
    for (int k = 0; k < N_SHAPES; k++)
        ch->hold[k] = NAN;
    if (!f->weekly) return;
    long per_week = (long)llround(7 * DAY_S / f->res_s), b0 = (long)llround(f->t0_s / f->res_s);
    long nb = (long)floor(f->horizon_s / (7 * DAY_S) + 1e-9) * per_week;
    double h = f->res_s / HOUR_S, mean[2][168];
    for (int k = 0; k < N_SHAPES; k++) {
        shape_means(f, ch, k, 0, mean[0]);
        shape_means(f, ch, k, 1, mean[1]);
        double d = 0;
        for (long b = 0; b < nb; b++) {
            int other = 1 - (int)(b / per_week % 2);
            d += deviance(rs_fit_series_get(&ch->counts, b0 + b),
                          mean[other][shape_key(f, k, b)] * h);
        }
        ch->hold[k] = d / (double)nb;
        if (ch->hold[k] < ch->hold[ch->shape]) ch->shape = k;
    }
    ch->hold_bins = (double)nb;
}

/* The profile of channel ch and its rate: mean arrivals per hour in each
 * hour of the week (or bin), as multipliers of mean 1; the rate makes the
 * expected count over the horizon the observed one. */
static void fit_profile(struct rs_fit *f, struct fit_channel *ch)
{
    long nb = (long)llround(f->horizon_s / f->res_s), b0 = (long)llround(f->t0_s / f->res_s);
    double *sum = rs_calloc((size_t)f->n_bins, sizeof *sum);
    double *cover = rs_calloc((size_t)f->n_bins, sizeof *cover);
    for (long b = 0; b < nb; b++) {
        long j = f->weekly ? hour_of_week(f, b) : b;
        sum[j] += rs_fit_series_get(&ch->counts, b0 + b);
        cover[j] += f->res_s / HOUR_S;
    }
    ch->profile = rs_calloc((size_t)f->n_bins, sizeof *ch->profile);
    ch->observed_per_h = rs_calloc((size_t)f->n_bins, sizeof *ch->observed_per_h);
    for (long j = 0; j < f->n_bins; j++)
        ch->observed_per_h[j] = cover[j] > 0 ? sum[j] / cover[j] : NAN;
    /* the fitted mean per hour of each bin: of its shape's key, or its own */
    double key_mean[168];
    if (f->weekly) shape_means(f, ch, ch->shape, -1, key_mean);
    double mean = 0;
    long used = 0;
    for (long j = 0; j < f->n_bins; j++) {
        double v = f->weekly ? key_mean[key_of_hour(ch->shape, j)] : ch->observed_per_h[j];
        ch->profile[j] = cover[j] > 0 ? v : NAN;
        if (cover[j] > 0) mean += v, used++;
    }
    mean /= (double)used;
    double expected_h = 0; /* hours of the horizon, weighted by the profile */
    for (long j = 0; j < f->n_bins; j++) {
        ch->profile[j] = cover[j] > 0 && mean > 0 ? ch->profile[j] / mean : 1;
        expected_h += ch->profile[j] * cover[j];
    }
    ch->rate_per_s = ch->n / (expected_h * HOUR_S);
    /* exact Poisson interval of the count, over the horizon */
    double lo = ch->n > 0 ? rs_fit_chisq_quantile(0.025, 2 * ch->n) / 2 : 0;
    double hi = rs_fit_chisq_quantile(0.975, 2 * ch->n + 2) / 2;
    ch->rate_lo = ch->rate_per_s * lo / ch->n;
    ch->rate_hi = ch->rate_per_s * hi / ch->n;
    free(sum);
    free(cover);
}

/* Day-level dispersion: the coefficient of variation d of a gamma factor
 * on each day's rate, from Var(D) = mu + d^2 mu^2 over the days, the
 * squared residuals scaled by W / (W - 1) since the profile was fitted to
 * the same W weeks (W days when every day shares it); a jackknife over days
 * for its interval. */
static void fit_dispersion(struct rs_fit *f, struct fit_channel *ch)
{
    ch->dispersion = ch->disp_lo = ch->disp_hi = NAN;
    long days = (long)llround(f->horizon_s / DAY_S), per_day = (long)llround(DAY_S / f->res_s);
    long b0 = (long)llround(f->t0_s / f->res_s);
    ch->days = days;
    if (!f->weekly) return; /* a profile of every bin leaves no residual */
    /* days that share each day's fitted mean: the weeks, for a profile by
     * hour of the week; every day, for one by hour of the day or flat */
    double w = ch->shape == SHAPE_WEEK || ch->shape == SHAPE_DAY_WEEKDAY
                   ? f->horizon_s / (7 * DAY_S)
                   : (double)days;
    double scale = w / (w - 1);
    double *t1 = rs_calloc((size_t)days, sizeof *t1), *t2 = rs_calloc((size_t)days, sizeof *t2);
    double s1 = 0, s2 = 0;
    for (long d = 0; d < days; d++) {
        double obs = 0, mu = 0;
        for (long b = d * per_day; b < (d + 1) * per_day; b++) {
            obs += rs_fit_series_get(&ch->counts, b0 + b);
            mu += ch->rate_per_s * f->res_s * ch->profile[hour_of_week(f, b)];
        }
        t1[d] = (obs - mu) * (obs - mu) * scale - obs;
        t2[d] = mu * mu;
        s1 += t1[d];
        s2 += t2[d];
    }
    ch->dispersion = s2 > 0 ? sqrt(fmax(s1 / s2, 0)) : 0;
    double jm = 0, jv = 0;
    for (long d = 0; d < days; d++)
        jm += sqrt(fmax((s1 - t1[d]) / (s2 - t2[d]), 0)) / (double)days;
    for (long d = 0; d < days; d++) {
        double e = sqrt(fmax((s1 - t1[d]) / (s2 - t2[d]), 0)) - jm;
        jv += e * e * (double)(days - 1) / (double)days;
    }
    ch->disp_lo = fmax(ch->dispersion - 1.96 * sqrt(jv), 0);
    ch->disp_hi = ch->dispersion + 1.96 * sqrt(jv);
    free(t1);
    free(t2);
}

/* Messages still open at the end waited until then: censored patience and
 * waiting in the minute counts (at the middle of their arrival bin).  A
 * type none of whose messages was ever touched is triage (fit_types), not
 * a queue: its messages wait for nobody, and counting them as waiting
 * would make every minute look queued to the staffing estimate. */
static void close_open(struct rs_fit *f)
{
    for (int k = 0; k < f->n_ty; k++) {
        const struct fit_series *s = &f->ty[k].open;
        int triage = f->ty[k].touched == 0;
        for (long i = 0; i < s->n; i++) {
            double t = ((double)(s->lo + i) + 0.5) * f->res_s;
            if (!(s->v[i] > 0)) continue;
            rs_fit_patience_add(&f->ty[k].pacc, f->end_s - t, 0, s->v[i]);
            if (!triage) rs_fit_slots_wait(&f->slots, t, f->end_s, s->v[i]);
        }
    }
}

static int fit_staffing(struct rs_fit *f, struct rs_buf *notes, struct rs_error *err)
{
    long n = f->n_intervals;
    f->agents = rs_calloc((size_t)n, sizeof *f->agents);
    f->busy_max = rs_calloc((size_t)n, sizeof *f->busy_max);
    f->queued_min = rs_calloc((size_t)n, sizeof *f->queued_min);
    rs_fit_slots_settle(&f->slots);
    rs_fit_staffing(&f->slots, f->t0_s, f->o.interval_s, n, f->agents, f->busy_max, f->queued_min);
    int rc = rs_fit_hours(f, notes, err);
    if (rc) return rc;
    if (f->o.schedule) {
        f->staff_from = STAFF_SCHEDULE;
        return rs_fit_read_schedule(f, err);
    } else if (f->o.agents >= 0) {
        f->staff_from = STAFF_AGENTS;
    } else if (f->n_busy == 0) {
        return rs_error_input(err, f->o.label, 0, NULL,
                              "expected take or handle times to estimate the staffing from "
                              "(when agents were busy), or --agents N or --schedule FILE");
    } else {
        rs_fit_hours_staffing(f);
    }
    if (f->staff_from == STAFF_ESTIMATED && notes) {
        long queued = 0;
        for (long i = 0; i < n; i++)
            queued += f->queued_min[i] > 0;
        rs_buf_printf(notes,
                      "staffing: estimated from agents busy while customers waited (%ld of %ld "
                      "intervals had a queue; the others get the most agents seen busy at once)\n",
                      queued, n);
    }
    return RS_OK;
}

static int fit_types(struct rs_fit *f, struct rs_buf *notes, struct rs_error *err)
{
    rs_fit_handle_estimate(&f->hacc_all, NULL, &f->h_all);
    for (int k = 0; k < f->n_ty; k++) {
        struct fit_type *ty = &f->ty[k];
        rs_fit_handle_estimate(&ty->hacc, ty->fold, &ty->h);
        rs_fit_patience_estimate(&ty->pacc, &ty->p);
        /* a type nobody ever took, answered or withdrew (replysim's own
         * no_reply fate looks so): triage, not inbox work */
        ty->no_reply = ty->n > 0 && ty->touched == 0;
        if (ty->no_reply) {
            if (notes)
                rs_buf_printf(notes,
                              "type %s: none of its %.0f messages was taken, answered or "
                              "withdrawn in the log: reply = no (not in the inbox)\n",
                              ty->nm.name, ty->n);
            continue;
        }
        if (ty->h.family < 0 && !f->o.handle && f->h_all.family < 0)
            return rs_error_input(err, f->o.label, 0, NULL,
                                  "expected handle times (a handle column, or take and reply), "
                                  "or --handle DIST");
        if (ty->h.family < 0) {
            ty->handle_given = f->o.handle ? 1 : 2;
            if (notes)
                rs_buf_printf(notes, "type %s: no handle times in the log: %s%s used\n",
                              ty->nm.name, f->o.handle ? "--handle " : "every type's fit",
                              f->o.handle ? f->o.handle : "");
        }
        if (!notes) continue;
        if (ty->hacc.zeros > 0)
            rs_buf_printf(notes, "type %s: %.0f handle times of 0 left out of the fit\n",
                          ty->nm.name, ty->hacc.zeros);
        if (isnan(ty->p.mean_s))
            rs_buf_printf(notes,
                          "type %s: patience cannot be identified: no customer withdrew (of "
                          "%.0f); patience = never\n",
                          ty->nm.name, ty->p.n);
        else if (ty->p.km_gap > 0.1)
            rs_buf_printf(notes,
                          "type %s: patience does not look exponential: Kaplan-Meier differs "
                          "from the fitted survival by up to %.2f\n",
                          ty->nm.name, ty->p.km_gap);
    }
    return RS_OK;
}

int rs_fit_finish(struct rs_fit *f, struct rs_buf *notes, struct rs_error *err)
{
    if (f->n_msgs == 0)
        return rs_error_input(err, f->o.label, 0, NULL, "expected at least one message");
    set_clock(f);
    close_open(f);
    double n_all = 0;
    for (int c = 0; c < f->n_ch; c++) {
        struct fit_profile_file *pf = &f->pfile[c];
        pf->f = f;
        pf->c = c;
        char nm[sizeof f->ch[c].nm.name]; /* a copy: name and pf both live in *f */
        memcpy(nm, f->ch[c].nm.name, sizeof nm);
        snprintf(pf->name, sizeof pf->name, "profile_%s.csv", nm);
        fit_holdout(f, &f->ch[c]);
        fit_profile(f, &f->ch[c]);
        if (notes && f->weekly)
            rs_buf_printf(notes,
                          "channel %s: profile: %s, chosen on held-out weeks (Poisson "
                          "deviance a bin: hour of the week %.3g, hour of the day x weekday "
                          "%.3g, hour of the day %.3g, flat %.3g)\n",
                          f->ch[c].nm.name, rs_fit_shape_name(f->ch[c].shape), f->ch[c].hold[0],
                          f->ch[c].hold[1], f->ch[c].hold[2], f->ch[c].hold[3]);
        fit_dispersion(f, &f->ch[c]);

        n_all += f->ch[c].n;
    }
    f->rate_all = n_all / f->horizon_s;
    f->rate_all_lo = rs_fit_chisq_quantile(0.025, 2 * n_all) / 2 / f->horizon_s;
    f->rate_all_hi = rs_fit_chisq_quantile(0.975, 2 * n_all + 2) / 2 / f->horizon_s;
    if (notes && !f->weekly)
        rs_buf_printf(notes,
                      "arrivals: the log covers under two weeks: a profile of every %s over "
                      "the horizon, and no day-level dispersion (not identifiable)\n",
                      f->res_s == HOUR_S ? "hour" : "interval");
    int rc = fit_types(f, notes, err);
    return rc ? rc : fit_staffing(f, notes, err);
}

void rs_fit_destroy(struct rs_fit *f)
{
    if (!f) return;
    for (int c = 0; c < f->n_ch; c++) {
        free(f->ch[c].nm.raw);
        free(f->ch[c].counts.v);
        free(f->ch[c].profile);
        free(f->ch[c].observed_per_h);
        rs_observed_destroy(f->ch[c].obs);
    }
    for (int k = 0; k < f->n_ty; k++) {
        free(f->ty[k].nm.raw);
        free(f->ty[k].open.v);
    }
    free(f->starts.v);
    free(f->heldout_method);
    free(f->hours.text);
    free(f->in_hours);
    rs_fit_slots_free(&f->slots);
    rs_observed_destroy(f->obs);
    rs_scenario_destroy(f->defaults);
    free(f->agents);
    free(f->busy_max);
    free(f->queued_min);
    free(f->schedule_text);
    free(f);
}
