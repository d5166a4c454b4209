/* check.c: the rows of a run against a baseline's, tolerances, Holm, and
 * each row's verdict. */
#include "replysim/check.h"

#include "replysim/alloc.h"
#include "replysim/units.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct rs_check_tolerance default_tolerances[] = {
    {"*", "*", 0.02, 1, "2%"},
    {"*_s", "*", 0.05, 1, "5%"},
    {"*_rate", "*", 0.01, 0, "0.01"},
    {"sl_*", "*", 0.01, 0, "0.01"},
    {"wait_within_*", "*", 0.01, 0, "0.01"},
    {"occupancy", "*", 0.01, 0, "0.01"},
};

/* Which way each metric is better; the first matching pattern wins.  A
 * metric added to stats.c needs its line here (test_check checks that
 * every metric of a run has one). */
static const struct {
    const char *pattern;
    enum rs_check_direction dir;
} directions[] = {
    {"offered", RS_CHECK_NEUTRAL},       /* demand, not service */
    {"needing_reply", RS_CHECK_NEUTRAL}, /* demand */
    {"response_rate", RS_CHECK_HIGHER},  /* answered / needing a reply */
    {"answered_late_rate", RS_CHECK_LOWER},
    {"lapsed_rate", RS_CHECK_LOWER},
    {"abandon_rate", RS_CHECK_LOWER},
    {"dropped_rate", RS_CHECK_LOWER},
    {"blocked_rate", RS_CHECK_LOWER},
    {"bot_rate", RS_CHECK_NEUTRAL},  /* a policy's choice, not a quality */
    {"waited_rate", RS_CHECK_LOWER}, /* found no free agent */
    {"wait_within_*", RS_CHECK_HIGHER},
    {"sl_*", RS_CHECK_HIGHER},
    {"*_s", RS_CHECK_LOWER},         /* waits and first responses */
    {"followups", RS_CHECK_LOWER},   /* customers asking again */
    {"switches", RS_CHECK_LOWER},    /* customers moving channel */
    {"occupancy", RS_CHECK_NEUTRAL}, /* busier agents: cheaper, not better */
    {"queue_mean", RS_CHECK_LOWER},
    {"queue_max", RS_CHECK_LOWER},
    {"backlog_end", RS_CHECK_LOWER},
    {"recommenders", RS_CHECK_HIGHER},
    {"spend_uplift", RS_CHECK_HIGHER},
    {"positive_shares", RS_CHECK_HIGHER},
    {"defectors", RS_CHECK_LOWER},
    {"negative_posts", RS_CHECK_LOWER},
    {"negative_reach", RS_CHECK_LOWER},
    {"onlooker_loss", RS_CHECK_LOWER},
    {"conversations", RS_CHECK_NEUTRAL},     /* demand */
    {"turns_mean", RS_CHECK_NEUTRAL},        /* more replies: more help or more friction */
    {"resolved_rate", RS_CHECK_HIGHER},      /* conversations ended satisfied */
    {"moved_rate", RS_CHECK_NEUTRAL},        /* a choice of channel, not a quality */
    {"amplified", RS_CHECK_LOWER},           /* complaints caused by unanswered ones */
    {"surge_agent_hours", RS_CHECK_NEUTRAL}, /* cost: fewer is cheaper, not better */
};

enum rs_check_direction rs_check_direction(const char *metric)
{
    for (size_t i = 0; i < sizeof directions / sizeof directions[0]; i++)
        if (fnmatch(directions[i].pattern, metric, 0) == 0) return directions[i].dir;
    return RS_CHECK_EITHER;
}

const char *rs_check_direction_text(enum rs_check_direction d)
{
    static const char *const text[] = {"either way is worse", "higher is better", "lower is better",
                                       "neutral"};
    return text[d];
}

void rs_check_init(struct rs_check *c)
{
    memset(c, 0, sizeof *c);
    c->alpha = 0.05;
    c->fail_on = RS_CHECK_FAIL_WORSE;
    c->n_tol = (int)(sizeof default_tolerances / sizeof default_tolerances[0]);
    c->n_default_tol = c->n_tol;
    memcpy(c->tol, default_tolerances, sizeof default_tolerances);
}

void rs_check_free(struct rs_check *c)
{
    free(c->e);
    c->e = NULL;
    c->n = c->cap = 0;
}

int rs_check_parse_tolerance(const char *text, struct rs_check_tolerance *t, char *why, size_t len)
{
    const char *eq = strchr(text, '=');
    const char *at = eq ? memchr(text, '@', (size_t)(eq - text)) : NULL;
    const char *mend = at ? at : eq;
    size_t plen = eq ? (size_t)(mend - text) : 0;
    size_t slen = at ? (size_t)(eq - at - 1) : 1;
    if (!eq || plen == 0 || plen >= sizeof t->pattern || slen == 0 || slen >= sizeof t->scope) {
        rs_error_why(why, len,
                     "expected METRIC=VALUE, METRIC=VALUE%% or METRIC@SCOPE=VALUE such as "
                     "sl_1h=0.02, wait_p90_s=10%% or sl_1h@channel:twitter=0.05");
        return -1;
    }
    memcpy(t->pattern, text, plen);
    t->pattern[plen] = '\0';
    if (at) {
        memcpy(t->scope, at + 1, slen);
        t->scope[slen] = '\0';
    } else {
        snprintf(t->scope, sizeof t->scope, "*");
    }
    char num[RS_CHECK_TEXT];
    const char *v = eq + 1;
    size_t vlen = strlen(v);
    t->relative = vlen > 0 && v[vlen - 1] == '%';
    if (t->relative) vlen--;
    if (vlen == 0 || vlen >= sizeof num) {
        rs_error_why(why, len, "expected a number >= 0 (or a percentage) after =, got \"%.40s\"",
                     v);
        return -1;
    }
    memcpy(num, v, vlen);
    num[vlen] = '\0';
    if (rs_units_number(num, &t->value, why, len)) return -1;
    if (t->value < 0) {
        rs_error_why(why, len, "expected a number >= 0 (or a percentage) after =, got \"%.40s\"",
                     v);
        return -1;
    }
    snprintf(t->text, sizeof t->text, "%s", v);
    if (t->relative) t->value /= 100;
    return 0;
}

static const struct rs_check_tolerance *tolerance_of(const struct rs_check *c, const char *metric,
                                                     const char *scope)
{
    const struct rs_check_tolerance *found = &c->tol[0];
    for (int i = 0; i < c->n_tol; i++)
        if (fnmatch(c->tol[i].pattern, metric, 0) == 0 && fnmatch(c->tol[i].scope, scope, 0) == 0)
            found = &c->tol[i];
    return found;
}

static struct rs_check_entry *add_entry(struct rs_check *c, int si, const char *metric,
                                        const char *scope)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 1024;
        c->e = rs_reallocarray(c->e, (size_t)c->cap, sizeof *c->e);
    }
    struct rs_check_entry *e = &c->e[c->n++];
    memset(e, 0, sizeof *e);
    e->p_adj = NAN;
    e->scenario = si;
    snprintf(e->metric, sizeof e->metric, "%s", metric);
    snprintf(e->scope, sizeof e->scope, "%s", scope);
    return e;
}

/* The baseline's rows of scenario si (called name) against the run res. */
static void compare_rows(struct rs_check *c, int si, const char *name, const struct rs_baseline *b,
                         const struct rs_results *res)
{
    for (int i = 0; i < b->n_rows; i++) {
        const struct rs_baseline_row *r = &b->rows[i];
        if (strcmp(r->scenario, name)) continue;
        struct rs_summary now = {.mean = NAN, .sd = NAN, .n = 0};
        int found = rs_results_get(res, r->metric, r->scope, &now) == RS_OK;
        if (found && r->n == 0 && now.n == 0) continue; /* undefined in both */
        struct rs_check_entry *e = add_entry(c, si, r->metric, r->scope);
        e->base_mean = r->mean;
        e->base_n = r->n;
        e->now_mean = now.n ? now.mean : NAN;
        e->now_n = now.n;
        const struct rs_check_tolerance *t = tolerance_of(c, r->metric, r->scope);
        e->tol = t->text;
        e->tol_abs = t->relative ? t->value * fabs(r->mean) : t->value;
        if (!found) {
            e->v = RS_CHECK_MISSING;
            e->change = -1;
            e->w.diff = NAN;
            continue;
        }
        rs_baseline_welch(r->mean, r->sd, r->n, e->now_mean, now.n >= 2 ? now.sd : NAN, now.n,
                          &e->w);
        if (r->n == 0 || now.n == 0) { /* defined on one side only: worse, unless neutral */
            e->v = RS_CHECK_MOVED;
            e->change = rs_check_direction(r->metric) == RS_CHECK_NEUTRAL ? 0 : -1;
        }
    }
}

/* The run's rows that the baseline lacks (a new metric): noted. */
static void new_rows(struct rs_check *c, int si, const char *name, const struct rs_baseline *b,
                     const struct rs_results *res)
{
    for (int m = 0; m < rs_results_n_metrics(res); m++)
        for (int s = 0; s < rs_results_n_scopes(res); s++) {
            const char *metric = rs_results_metric_name(res, m);
            const char *scope = rs_results_scope_name(res, s);
            if (rs_baseline_find(b, name, metric, scope)) continue;
            struct rs_summary now;
            rs_results_summary(res, m, s, &now);
            if (now.n == 0) continue; /* as summary.csv, and nothing to check */
            struct rs_check_entry *e = add_entry(c, si, metric, scope);
            e->base_mean = e->w.diff = NAN;
            e->now_mean = now.mean;
            e->now_n = now.n;
            e->tol = "";
            e->v = RS_CHECK_NEW;
        }
}

/* A significant move of metric by diff: -1 worse, +1 better, 0 neutral. */
static int change_of(const char *metric, double diff)
{
    switch (rs_check_direction(metric)) {
    case RS_CHECK_HIGHER:
        return diff > 0 ? 1 : -1;
    case RS_CHECK_LOWER:
        return diff < 0 ? 1 : -1;
    case RS_CHECK_NEUTRAL:
        return 0;
    case RS_CHECK_EITHER:
        break;
    }
    return -1;
}

/* Holm over every row tested, then each row's verdict. */
static void judge(struct rs_check *c)
{
    double *p = rs_malloc((size_t)(c->n > 0 ? c->n : 1) * sizeof *p);
    for (int i = 0; i < c->n; i++) {
        const struct rs_check_entry *e = &c->e[i];
        /* rows already judged, and identical rows (p = 1 but no test) */
        p[i] =
            e->v == RS_CHECK_SAME && e->base_n > 0 && e->now_n > 0 && e->w.diff != 0 ? e->w.p : NAN;
    }
    rs_baseline_holm(p, c->n);
    for (int i = 0; i < c->n; i++) {
        struct rs_check_entry *e = &c->e[i];
        e->p_adj = p[i];
        if (e->v != RS_CHECK_SAME) continue;
        if (e->w.diff == 0)
            e->v = RS_CHECK_SAME;
        else if (!(fabs(e->w.diff) > e->tol_abs))
            e->v = RS_CHECK_WITHIN;
        else if (isnan(e->p_adj) || e->p_adj < c->alpha) {
            e->v = RS_CHECK_MOVED; /* NaN: no test possible, the tolerance decides */
            e->change = change_of(e->metric, e->w.diff);
        } else
            e->v = RS_CHECK_NOISE;
    }
    free(p);
}

int rs_check_run(struct rs_check *c, struct rs_scenario *const *sc, int n, struct rs_baseline *b,
                 int update, const struct rs_run_opts *opts, int *failed, struct rs_error *err)
{
    for (int i = 0; i < n; i++) {
        struct rs_run_opts o = *opts;
        o.replications = sc[i]->replications;
        o.seed = sc[i]->seed;
        if (o.progress) {
            char label[RS_NAME_MAX + 16];
            snprintf(label, sizeof label, "check %s", sc[i]->name);
            struct rs_progress p = {.what = RS_PROGRESS_RUN, .label = label};
            o.progress(o.progress_ctx, &p);
        }
        struct rs_results *res = NULL;
        int rc = rs_experiment_run(sc[i], &o, &res, err);
        if (rc) {
            *failed = i;
            return rc;
        }
        compare_rows(c, i, sc[i]->name, b, res);
        new_rows(c, i, sc[i]->name, b, res);
        if (update) rs_baseline_set(b, sc[i]->name, res);
        rs_results_destroy(res);
    }
    judge(c);
    return RS_OK;
}

void rs_check_counts(const struct rs_check *c, int si, int count[RS_CHECK_VERDICTS])
{
    memset(count, 0, RS_CHECK_VERDICTS * sizeof *count);
    for (int i = 0; i < c->n; i++)
        if (si < 0 || c->e[i].scenario == si) count[c->e[i].v]++;
}

int rs_check_fails(const struct rs_check *c, const struct rs_check_entry *e)
{
    if (e->v == RS_CHECK_MISSING) return 1;
    if (e->v != RS_CHECK_MOVED) return 0;
    return c->fail_on == RS_CHECK_FAIL_MOVED || e->change < 0;
}

/* 1 when a row of b of one of the n scenarios matches t's metric (and,
 * with scope, its scope too). */
static int matches_a_row(const struct rs_check_tolerance *t, int scope, const struct rs_baseline *b,
                         const char *const *names, int n)
{
    for (int i = 0; i < b->n_rows; i++) {
        const struct rs_baseline_row *r = &b->rows[i];
        int mine = 0;
        for (int k = 0; k < n && !mine; k++)
            mine = !strcmp(r->scenario, names[k]);
        if (mine && fnmatch(t->pattern, r->metric, 0) == 0 &&
            (!scope || fnmatch(t->scope, r->scope, 0) == 0))
            return 1;
    }
    return 0;
}

/* 1 when row r is of one of the n scenarios names[] (and, with metric, of
 * a metric matching that pattern). */
static int row_of(const struct rs_baseline_row *r, const char *const *names, int n,
                  const char *metric)
{
    if (metric && fnmatch(metric, r->metric, 0) != 0) return 0;
    for (int k = 0; k < n; k++)
        if (!strcmp(r->scenario, names[k])) return 1;
    return 0;
}

/* "sl_15m, sl_1h, ..." or "all, channel:twitter, ...": the distinct metrics
 * (or scopes) of the n scenarios' rows in b of metrics matching metric
 * (NULL: any), the first few. */
static void list_names(const struct rs_baseline *b, const char *const *names, int n,
                       const char *metric, int scopes, char *out, size_t len)
{
    size_t used = 0;
    int shown = 0;
    out[0] = '\0';
    for (int i = 0; i < b->n_rows && shown <= 12; i++) {
        const struct rs_baseline_row *r = &b->rows[i];
        const char *x = scopes ? r->scope : r->metric;
        if (!row_of(r, names, n, metric)) continue;
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = row_of(&b->rows[j], names, n, metric) &&
                   !strcmp(scopes ? b->rows[j].scope : b->rows[j].metric, x);
        if (seen) continue;
        if (shown == 12) {
            snprintf(out + used, len - used, ", ...");
            return;
        }
        int k = snprintf(out + used, len - used, "%s%s", shown ? ", " : "", x);
        if (k < 0 || (size_t)k >= len - used) return;
        used += (size_t)k;
        shown++;
    }
}

int rs_check_known_tolerances(const struct rs_check *c, const struct rs_baseline *b,
                              const char *const *names, int n, struct rs_error *err)
{
    int any = 0;
    for (int i = 0; i < b->n_rows && !any; i++)
        for (int k = 0; k < n && !any; k++)
            any = !strcmp(b->rows[i].scenario, names[k]);
    if (!any) return RS_OK;
    for (int i = c->n_default_tol; i < c->n_tol; i++) {
        const struct rs_check_tolerance *t = &c->tol[i];
        int scope = !matches_a_row(t, 0, b, names, n);
        if (!scope && matches_a_row(t, 1, b, names, n)) continue;
        char known[512], near[RS_BASELINE_METRIC_MAX + 2];
        /* a typo's neighbours first: sl_1hr -> sl_* */
        size_t stem = strcspn(t->pattern, "_*?[");
        snprintf(near, sizeof near, "%.*s_*", (int)stem, t->pattern);
        if (!scope)
            list_names(b, names, n, t->pattern, 1, known, sizeof known);
        else if (list_names(b, names, n, near, 0, known, sizeof known), !known[0])
            list_names(b, names, n, NULL, 0, known, sizeof known);
        if (scope)
            return rs_error_input(err, NULL, 0, "--tolerance",
                                  "%s: expected a metric of the baseline %s, such as %s; no "
                                  "metric matches \"%s\"",
                                  t->pattern, b->label, known, t->pattern);
        return rs_error_input(err, NULL, 0, "--tolerance",
                              "%s@%s: expected a scope of the baseline %s where %s is "
                              "defined, such as %s",
                              t->pattern, t->scope, b->label, t->pattern, known);
    }
    return RS_OK;
}
