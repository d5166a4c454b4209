/* fit_table.c: fit.csv, quantity,scope,value,ci_low,ci_high,n,method: one
 * row per estimate (95% intervals; empty where there is none), then the
 * log's observed metrics under summary.csv's names; and the data files of
 * fit's two pictures. */
#include "fit_int.h"

#include "replysim/csvout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void row(FILE *out, const char *quantity, const char *scope, double v, double lo, double hi,
                double n, const char *method)
{
    rs_csvout_field(out, quantity);
    fputc(',', out);
    rs_csvout_field(out, scope);
    double x[4] = {v, lo, hi, n};
    for (int i = 0; i < 4; i++) {
        fputc(',', out);
        rs_csvout_number(out, x[i]);
    }
    fputc(',', out);
    rs_csvout_field(out, method);
    fputc('\n', out);
}

/* Wilson's 95% interval of a share k / n. */
static void wilson(double k, double n, double *lo, double *hi)
{
    double z = 1.959963984540054, p = k / n, z2 = z * z;
    double mid = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    *lo = k > 0 ? fmax(mid - half, 0) : 0;
    *hi = k < n ? fmin(mid + half, 1) : 1;
}

static void arrival_rows(FILE *out, const struct rs_fit *f)
{
    char scope[RS_NAME_MAX + 32];
    row(out, "rate_per_h", "all", f->rate_all * 3600, f->rate_all_lo * 3600, f->rate_all_hi * 3600,
        (double)f->n_msgs, "count / horizon, exact Poisson interval");
    for (int c = 0; c < f->n_ch; c++) {
        const struct fit_channel *ch = &f->ch[c];
        snprintf(scope, sizeof scope, "channel:%s", ch->nm.name);
        char method[160];
        if (f->weekly)
            snprintf(method, sizeof method,
                     "mean rate; profile: %s (chosen on held-out weeks); exact Poisson interval",
                     rs_fit_shape_name(ch->shape));
        else
            snprintf(method, sizeof method,
                     "mean of the profile over the horizon, exact Poisson interval");
        row(out, "rate_per_h", scope, ch->rate_per_s * 3600, ch->rate_lo * 3600, ch->rate_hi * 3600,
            ch->n, method);
        for (int k = 0; k < N_SHAPES; k++) {
            snprintf(method, sizeof method,
                     "profile %s: mean Poisson deviance per bin of alternate whole weeks "
                     "predicted from the others",
                     rs_fit_shape_name(k));
            row(out, "holdout_deviance", scope, ch->hold[k], NAN, NAN, ch->hold_bins, method);
        }
        row(out, "dispersion", scope, ch->dispersion, ch->disp_lo, ch->disp_hi, (double)ch->days,
            f->weekly ? "daily counts: moments of the gamma day factor, jackknife interval"
                      : "not identified: the log covers under two weeks");
    }
    for (int k = 0; k < f->n_ty; k++) {
        double lo, hi, n_all = (double)f->n_msgs;
        snprintf(scope, sizeof scope, "type:%s", f->ty[k].nm.name);
        wilson(f->ty[k].n, n_all, &lo, &hi);
        row(out, "mix_share", scope, f->ty[k].n / n_all, lo, hi, n_all, "share, Wilson interval");
        for (int c = 0; c < f->n_ch; c++) {
            const struct fit_channel *ch = &f->ch[c];
            snprintf(scope, sizeof scope, "channel:%s/type:%s", ch->nm.name, f->ty[k].nm.name);
            wilson(ch->type_n[k], ch->n, &lo, &hi);
            row(out, "mix_share", scope, ch->type_n[k] / ch->n, lo, hi, ch->n,
                "share, Wilson interval");
        }
    }
}

static void type_rows(FILE *out, const struct fit_type *ty)
{
    char scope[RS_NAME_MAX + 16];
    snprintf(scope, sizeof scope, "type:%s", ty->nm.name);
    const struct fit_handle *h = &ty->h;
    if (h->family >= 0) {
        char method[160];
        snprintf(method, sizeof method, "%s by %s, maximum likelihood%s",
                 rs_fit_family_name(h->family),
                 h->by_holdout ? "held-out likelihood (two halves)" : "AIC",
                 ty->derived > 0 ? " (some handle times as reply - take)" : "");
        row(out, "handle_mean_s", scope, h->mean_s, h->mean_lo, h->mean_hi, h->n, method);
        row(out, "handle_sd_s", scope, h->sd_s, h->sd_lo, h->sd_hi, h->n, method);
        for (int fam = 0; fam < FIT_N_FAMILIES; fam++) {
            row(out, "handle_aic", scope, h->aic[fam], NAN, NAN, h->n, rs_fit_family_name(fam));
            row(out, "handle_holdout_loglik", scope, h->holdout[fam], NAN, NAN, h->n,
                rs_fit_family_name(fam));
        }
    } else {
        row(out, "handle_mean_s", scope, NAN, NAN, NAN, 0,
            ty->handle_given == 1 ? "no handle times: --handle used"
                                  : "no handle times: every type's fit used");
    }
    const struct fit_patience *p = &ty->p;
    row(out, "patience_mean_s", scope, p->mean_s, p->lo, p->hi, p->events,
        isnan(p->mean_s) ? "not identified: no customer withdrew"
                         : "exponential MLE on censored waits (withdrawals / exposure), "
                           "exact chi-square interval");
    row(out, "patience_km_median_s", scope, p->km_median_s, NAN, NAN, p->n,
        "Kaplan-Meier (life table on log bins; empty: survival stays above 1/2)");
    row(out, "patience_km_gap", scope, p->events > 0 ? p->km_gap : NAN, NAN, NAN, p->n,
        "largest |Kaplan-Meier - exponential| survival where 100 or more at risk");
}

static void staff_rows(FILE *out, const struct rs_fit *f)
{
    double sum = 0, most = 0, n = 0;
    for (long i = 0; i < f->n_intervals; i++) {
        if (!f->in_hours[i]) continue;
        sum += f->agents[i];
        most = fmax(most, f->agents[i]);
        n++;
    }
    if (f->staff_from != STAFF_ESTIMATED) return;
    const char *m = f->hours.n > 0 ? "agents busy while customers waited, per interval in the "
                                     "working hours (fit_staffing.csv)"
                                   : "agents busy while customers waited, per interval "
                                     "(fit_staffing.csv)";
    row(out, "agents_mean", "all", n > 0 ? sum / n : NAN, NAN, NAN, n, m);
    row(out, "agents_max", "all", most, NAN, NAN, n, m);
}

/* The working hours: open hours a week (method: the hours themselves), and
 * the share of work started outside them. */
static void hours_rows(FILE *out, const struct rs_fit *f)
{
    const struct fit_hours *h = &f->hours;
    double open_h = h->n ? 0 : 168, lo, hi;
    for (int i = 0; i < h->n; i++)
        open_h += (h->span[i].to_s - h->span[i].from_s) / 3600;
    char method[600];
    snprintf(method, sizeof method, "%s: %s",
             h->from == HOURS_GIVEN ? "given by --hours"
                                    : "hours of the week with work started in at least as many "
                                      "weeks as customers waited unattended",
             h->n ? h->text : "always");
    row(out, "hours_open_per_week", "all", open_h, NAN, NAN, h->weeks, method);
    if (h->starts > 0) {
        wilson(h->outside, h->starts, &lo, &hi);
        row(out, "hours_starts_outside", "all", h->outside / h->starts, lo, hi, h->starts,
            "share of work started (take, else reply) outside the working hours, Wilson "
            "interval");
    }
}

static void observed_rows(FILE *out, const struct rs_observed *o, const char *scope)
{
    int n = rs_observed_n_metrics(o);
    double v[RS_OBS_FIXED + RS_MAX_WITHIN];
    uint64_t cnt[RS_OBS_FIXED + RS_MAX_WITHIN];
    rs_observed_whole(o, v, cnt);
    for (int m = 0; m < n; m++) {
        char name[64];
        rs_observed_metric_name(o, m, name, sizeof name);
        row(out, name, scope, v[m], NAN, NAN, (double)cnt[m], "observed in the log");
    }
}

/* fit --holdout: each metric's coverage on the held-out end of the log. */
static void heldout_rows(FILE *out, const struct rs_fit *f)
{
    for (int i = 0; i < f->n_heldout; i++) {
        const struct fit_heldout *h = &f->heldout[i];
        char scope[64];
        snprintf(scope, sizeof scope, "metric:%s", h->metric);
        double n = (double)h->intervals, k = (double)h->covered, lo = NAN, hi = NAN;
        if (n > 0) wilson(k, n, &lo, &hi);
        row(out, "holdout_coverage", scope, n > 0 ? k / n : NAN, lo, hi, n, f->heldout_method);
    }
}

int rs_fit_write_table(FILE *out, const void *ctx, struct rs_error *err)
{
    const struct rs_fit *f = ctx;
    (void)err;
    fputs("quantity,scope,value,ci_low,ci_high,n,method\n", out);
    arrival_rows(out, f);
    for (int k = 0; k < f->n_ty; k++)
        type_rows(out, &f->ty[k]);
    staff_rows(out, f);
    hours_rows(out, f);
    observed_rows(out, f->obs, "all");
    for (int c = 0; c < f->n_ch; c++) {
        char scope[RS_NAME_MAX + 16];
        snprintf(scope, sizeof scope, "channel:%s", f->ch[c].nm.name);
        observed_rows(out, f->ch[c].obs, scope);
    }
    heldout_rows(out, f);
    return RS_OK;
}

/* fit_arrivals.csv: per channel and bin of the profile (hour of the week,
 * or of the horizon), the observed mean arrivals per hour with a Poisson
 * 95% interval, and the fitted rate there. */
int rs_fit_write_arrivals(FILE *out, const void *ctx, struct rs_error *err)
{
    const struct rs_fit *f = ctx;
    (void)err;
    fputs("channel,x_h,observed_per_h,lo,hi,fitted_per_h\n", out);
    double bin_h = f->weekly ? 1 : f->res_s / 3600;
    double cover_h = f->weekly ? f->horizon_s / (168 * 3600.0) : bin_h; /* hours per bin */
    for (int c = 0; c < f->n_ch; c++) {
        const struct fit_channel *ch = &f->ch[c];
        for (long j = 0; j < f->n_bins; j++) {
            double o = ch->observed_per_h[j], k = o * cover_h;
            double lo = k > 0 ? rs_fit_chisq_quantile(0.025, 2 * k) / 2 / cover_h : 0;
            double hi = rs_fit_chisq_quantile(0.975, 2 * k + 2) / 2 / cover_h;
            rs_csvout_field(out, ch->nm.name);
            double x[5] = {(double)j * bin_h, o, lo, hi, ch->rate_per_s * 3600 * ch->profile[j]};
            for (int i = 0; i < 5; i++) {
                fputc(',', out);
                rs_csvout_number(out, x[i]);
            }
            fputc('\n', out);
        }
    }
    return RS_OK;
}

/* fit_handle.csv: per type and bin of the log-scale histogram, the
 * observed share of handle times per unit of ln x and the chosen
 * distribution's. */
int rs_fit_write_handle(FILE *out, const void *ctx, struct rs_error *err)
{
    const struct rs_fit *f = ctx;
    (void)err;
    fputs("type,distribution,lo_s,hi_s,observed_density,fitted_density\n", out);
    for (int k = 0; k < f->n_ty; k++) {
        const struct fit_type *ty = &f->ty[k];
        const struct fit_handle *h = &ty->h;
        if (h->family < 0) continue;
        int first = FIT_BINS, last = 0;
        for (int b = 1; b < FIT_BINS - 1; b++)
            if (ty->hacc.hist[b] > 0) first = first < b ? first : b, last = b;
        for (int b = first > 1 ? first - 1 : 1; b <= last + 1 && b < FIT_BINS - 1; b++) {
            double lo = rs_fit_bin_lo(b), hi = rs_fit_bin_hi(b), width = log(hi / lo);
            double mass = 0; /* the fitted probability of the bin, by the midpoint rule in ln x */
            for (int s = 0; s < 8; s++) {
                double x = lo * exp(width * (s + 0.5) / 8);
                mass += rs_fit_handle_pdf(h, x) * x * width / 8;
            }
            rs_csvout_field(out, ty->nm.name);
            fputc(',', out);
            rs_csvout_field(out, rs_fit_family_name(h->family));
            double x[4] = {lo, hi, ty->hacc.hist[b] / (h->n * width), mass / width};
            for (int i = 0; i < 4; i++) {
                fputc(',', out);
                rs_csvout_number(out, x[i]);
            }
            fputc('\n', out);
        }
    }
    return RS_OK;
}
