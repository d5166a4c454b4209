/* dist.c: distributions of handle times, patience and follower counts.
 *
 * p1, p2 hold the parameters exactly as the user wrote them (so that format
 * and parse round-trip); form says which spelling; a, b are the arguments of
 * the GSL sampler, derived once at parse time so sampling does no work:
 *
 *   kind         form  p1       p2       a                b
 *   const        0     value    -        value            -
 *   exponential  0     mean     -        mean             -
 *   exponential  1     rate/s   -        mean = 1/rate    -
 *   lognormal    0     mean     sd       mu (of ln X)     sigma
 *   lognormal    1     mu       sigma    mu               sigma
 *   gamma        0     mean     sd       shape            scale
 *   gamma        1     shape    scale    shape            scale
 *   erlang       0     k        mean     k                mean / k
 *   weibull      0     shape    scale    scale            shape
 *   uniform      0     min      max      min              max
 *   pareto       0     alpha    min      alpha            min
 *   empirical    0     -        -        x, F, lx = log x (n_points)
 *   never        0     -        -        -                -
 */
#include "replysim/dist.h"

#include "replysim/buf.h"
#include "replysim/error.h"
#include "replysim/units.h"

#include <ctype.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* An empirical list of 32 points with long spellings fits easily. */
#define TEXT_CAP 4096
#define MAX_ITEMS (RS_DIST_MAX_POINTS + 1)

enum ptype {
    P_DUR,  /* a duration, or a bare number for RS_DIST_UNITLESS */
    P_NUM,  /* always a bare number (shape, k, alpha, mu, sigma) */
    P_RATE, /* N/h and friends; duration distributions only */
    P_WHOLE /* a whole number >= 1 */
};

struct param {
    const char *key;
    enum ptype type;
};

struct form {
    int n;             /* number of parameters */
    struct param p[2]; /* in the order of p1, p2 */
};

struct syntax {
    const char *name;
    enum rs_dist_kind kind;
    int n_forms; /* 0: positional syntax (empirical) */
    struct form forms[2];
};

static const struct syntax syntaxes[] = {
    {"const", RS_DIST_CONST, 1, {{1, {{"value", P_DUR}}}}},
    {"exponential", RS_DIST_EXPONENTIAL, 2, {{1, {{"mean", P_DUR}}}, {1, {{"rate", P_RATE}}}}},
    {"lognormal",
     RS_DIST_LOGNORMAL,
     2,
     {{2, {{"mean", P_DUR}, {"sd", P_DUR}}}, {2, {{"mu", P_NUM}, {"sigma", P_NUM}}}}},
    {"gamma",
     RS_DIST_GAMMA,
     2,
     {{2, {{"mean", P_DUR}, {"sd", P_DUR}}}, {2, {{"shape", P_NUM}, {"scale", P_DUR}}}}},
    {"erlang", RS_DIST_ERLANG, 1, {{2, {{"k", P_WHOLE}, {"mean", P_DUR}}}}},
    {"weibull", RS_DIST_WEIBULL, 1, {{2, {{"shape", P_NUM}, {"scale", P_DUR}}}}},
    {"uniform", RS_DIST_UNIFORM, 1, {{2, {{"min", P_DUR}, {"max", P_DUR}}}}},
    {"pareto", RS_DIST_PARETO, 1, {{2, {{"alpha", P_NUM}, {"min", P_DUR}}}}},
    {"empirical", RS_DIST_EMPIRICAL, 0, {{0, {{NULL, P_NUM}}}}},
};
#define N_SYNTAXES (sizeof syntaxes / sizeof syntaxes[0])

/* Trims blanks in place; returns the start. */
static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* A form is offered unless it needs a rate and the parameters are bare numbers. */
static int form_offered(const struct form *f, enum rs_dist_units units)
{
    for (int i = 0; i < f->n; i++)
        if (f->p[i].type == P_RATE && units == RS_DIST_UNITLESS) return 0;
    return 1;
}

static const char *type_word(enum ptype t, enum rs_dist_units units)
{
    switch (t) {
    case P_DUR:
        return units == RS_DIST_DURATION ? "DURATION" : "NUMBER";
    case P_NUM:
        return "NUMBER";
    case P_RATE:
        return "RATE";
    case P_WHOLE:
        return "WHOLE";
    }
    return "?";
}

/* Writes the accepted spellings, e.g. "lognormal(mean=DURATION, sd=DURATION)
 * or lognormal(mu=NUMBER, sigma=NUMBER)". */
static void expected_syntax(const struct syntax *sx, enum rs_dist_units units, char *buf,
                            size_t len)
{
    struct rs_buf b;
    rs_buf_fixed(&b, buf, len);
    if (sx->kind == RS_DIST_EMPIRICAL) {
        rs_buf_printf(&b, "empirical(%s:SHARE, ...)", type_word(P_DUR, units));
        return;
    }
    if (sx->kind == RS_DIST_CONST) {
        const char *w = type_word(P_DUR, units);
        rs_buf_printf(&b, "const(%s) or const(value=%s)", w, w);
        return;
    }
    int shown = 0;
    for (int f = 0; f < sx->n_forms; f++) {
        const struct form *fm = &sx->forms[f];
        if (!form_offered(fm, units)) continue;
        rs_buf_printf(&b, "%s%s(", shown ? " or " : "", sx->name);
        for (int i = 0; i < fm->n; i++)
            rs_buf_printf(&b, "%s%s=%s", i ? ", " : "", fm->p[i].key,
                          type_word(fm->p[i].type, units));
        rs_buf_printf(&b, ")");
        shown++;
    }
}

/* Reads one parameter value of type t; on error says which one. */
static int read_value(const char *name, const char *key, enum ptype t, enum rs_dist_units units,
                      const char *text, double *out, char *why, size_t why_len)
{
    char sub[384];
    int rc;
    long k = 0;
    switch (t) {
    case P_DUR:
        rc = units == RS_DIST_DURATION ? rs_units_duration(text, out, sub, sizeof sub)
                                       : rs_units_number(text, out, sub, sizeof sub);
        break;
    case P_NUM:
        rc = rs_units_number(text, out, sub, sizeof sub);
        break;
    case P_RATE:
        rc = rs_units_rate(text, out, sub, sizeof sub);
        break;
    case P_WHOLE:
        rc = rs_units_int(text, 1, 1000000, &k, sub, sizeof sub);
        *out = (double)k;
        break;
    default:
        rc = RS_EINPUT;
        snprintf(sub, sizeof sub, "unknown parameter type");
        break;
    }
    if (rc != RS_OK) rs_error_why(why, why_len, "%s %s: %s", name, key, sub);
    return rc;
}

static int positive(const char *name, const char *key, double v, const char *text, char *why,
                    size_t why_len)
{
    if (v > 0) return 1;
    rs_error_why(why, why_len, "%s: expected %s > 0, got \"%s\"", name, key, text);
    return 0;
}

/* Fills a, b and lx from p1, p2, x; the caller checks the result. */
static void derive(struct rs_dist *d)
{
    switch (d->kind) {
    case RS_DIST_CONST:
        d->a = d->p1;
        break;
    case RS_DIST_EXPONENTIAL:
        d->a = d->form == 0 ? d->p1 : 1.0 / d->p1;
        break;
    case RS_DIST_LOGNORMAL:
        if (d->form == 0) {
            double cv = d->p2 / d->p1;
            double s2 = log1p(cv * cv);
            d->a = log(d->p1) - s2 / 2;
            d->b = sqrt(s2);
        } else {
            d->a = d->p1;
            d->b = d->p2;
        }
        break;
    case RS_DIST_GAMMA:
        if (d->form == 0) {
            double r = d->p1 / d->p2;
            d->a = r * r;
            d->b = d->p2 / r;
        } else {
            d->a = d->p1;
            d->b = d->p2;
        }
        break;
    case RS_DIST_ERLANG:
        d->a = d->p1;
        d->b = d->p2 / d->p1;
        break;
    case RS_DIST_WEIBULL:
        d->a = d->p2;
        d->b = d->p1;
        break;
    case RS_DIST_UNIFORM:
    case RS_DIST_PARETO:
        d->a = d->p1;
        d->b = d->p2;
        break;
    case RS_DIST_EMPIRICAL:
        for (int i = 0; i < d->n_points; i++)
            d->lx[i] = log(d->x[i]);
        break;
    case RS_DIST_NEVER:
        break;
    }
}

/* Checks the parameters of a keyed distribution; texts are the values as
 * written, for quoting. */
static int check_params(const struct syntax *sx, const struct rs_dist *d,
                        const char *const texts[2], char *why, size_t why_len)
{
    const struct form *fm = &sx->forms[d->form];
    const char *name = sx->name;
    switch (d->kind) {
    case RS_DIST_CONST:
        if (d->p1 >= 0) return 1;
        rs_error_why(why, why_len, "const: expected a value >= 0, got \"%s\"", texts[0]);
        return 0;
    case RS_DIST_UNIFORM:
        if (d->p1 < 0) {
            rs_error_why(why, why_len, "uniform: expected min >= 0, got \"%s\"", texts[0]);
            return 0;
        }
        if (d->p1 > d->p2) {
            rs_error_why(why, why_len, "uniform: expected min <= max, got min=%s, max=%s", texts[0],
                         texts[1]);
            return 0;
        }
        return 1;
    case RS_DIST_LOGNORMAL:
        /* mu is a log and may take any sign */
        if (d->form == 1) return positive(name, "sigma", d->p2, texts[1], why, why_len);
        break;
    default:
        break;
    }
    /* every other parameter must be positive (k >= 1 was checked on reading) */
    for (int i = 0; i < fm->n; i++) {
        double v = i == 0 ? d->p1 : d->p2;
        if (!positive(name, fm->p[i].key, v, texts[i], why, why_len)) return 0;
    }
    return 1;
}

static int parse_empirical(char **items, int n, enum rs_dist_units units, int allow_never,
                           struct rs_dist *d, const char *whole, char *why, size_t why_len)
{
    char expect[128];
    expected_syntax(&syntaxes[N_SYNTAXES - 1], units, expect, sizeof expect);
    if (n == 0) {
        rs_error_why(why, why_len, "expected %s with at least one point, got \"%s\"", expect,
                     whole);
        return RS_EINPUT;
    }
    if (n > RS_DIST_MAX_POINTS) {
        rs_error_why(why, why_len, "empirical: expected at most %d points, got more in \"%s\"",
                     RS_DIST_MAX_POINTS, whole);
        return RS_EINPUT;
    }
    const char *last_share = "";
    for (int i = 0; i < n; i++) {
        char *colon = strchr(items[i], ':');
        if (!colon) {
            rs_error_why(why, why_len, "expected %s, got point \"%s\"", expect, items[i]);
            return RS_EINPUT;
        }
        *colon = '\0';
        char *t = trim(items[i]), *s = trim(colon + 1);
        if (read_value("empirical", "point", P_DUR, units, t, &d->x[i], why, why_len) != RS_OK)
            return RS_EINPUT;
        char sub[256];
        double F;
        if (rs_units_number(s, &F, sub, sizeof sub) != RS_OK || !(F > 0 && F <= 1)) {
            rs_error_why(why, why_len,
                         "empirical: expected a share in (0, 1] after the colon, got \"%s\"", s);
            return RS_EINPUT;
        }
        d->F[i] = F;
        if (i == 0 && !(d->x[0] > 0)) {
            rs_error_why(why, why_len, "empirical: expected the first point > 0, got \"%s\"", t);
            return RS_EINPUT;
        }
        if (i > 0 && !(d->x[i] > d->x[i - 1])) {
            rs_error_why(why, why_len,
                         "empirical: expected points strictly increasing in time, got \"%s\"", t);
            return RS_EINPUT;
        }
        if (i > 0 && !(d->F[i] > d->F[i - 1])) {
            rs_error_why(why, why_len,
                         "empirical: expected shares strictly increasing, got \"%s\" after \"%s\"",
                         s, last_share);
            return RS_EINPUT;
        }
        last_share = s;
    }
    d->n_points = n;
    if (!allow_never && d->F[n - 1] < 1) {
        rs_error_why(
            why, why_len,
            "empirical: expected the last share to be 1 (never is not allowed here), got \"%s\"",
            last_share);
        return RS_EINPUT;
    }
    derive(d);
    return RS_OK;
}

static int parse_keyed(const struct syntax *sx, char **items, int n, enum rs_dist_units units,
                       struct rs_dist *d, const char *whole, char *why, size_t why_len)
{
    char expect[256];
    expected_syntax(sx, units, expect, sizeof expect);
    const char *keys[MAX_ITEMS], *vals[MAX_ITEMS];
    for (int i = 0; i < n; i++) {
        char *eq = strchr(items[i], '=');
        if (!eq && sx->kind == RS_DIST_CONST && n == 1) {
            keys[i] = "value"; /* const(5m) */
            vals[i] = items[i];
            continue;
        }
        if (!eq) {
            rs_error_why(why, why_len, "expected %s, got \"%s\"", expect, whole);
            return RS_EINPUT;
        }
        *eq = '\0';
        keys[i] = trim(items[i]);
        vals[i] = trim(eq + 1);
        int known = 0;
        for (int f = 0; f < sx->n_forms; f++)
            for (int k = 0; k < sx->forms[f].n; k++)
                if (form_offered(&sx->forms[f], units) &&
                    strcmp(sx->forms[f].p[k].key, keys[i]) == 0)
                    known = 1;
        if (!known) {
            rs_error_why(why, why_len, "unknown parameter \"%s\" of %s: expected %s", keys[i],
                         sx->name, expect);
            return RS_EINPUT;
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(keys[j], keys[i]) == 0) {
                rs_error_why(why, why_len, "duplicate parameter \"%s\" of %s: expected %s", keys[i],
                             sx->name, expect);
                return RS_EINPUT;
            }
        }
    }
    /* the keys given (all distinct and known) must be exactly one form's */
    int form = -1;
    for (int f = 0; f < sx->n_forms && form < 0; f++) {
        const struct form *fm = &sx->forms[f];
        if (fm->n != n || !form_offered(fm, units)) continue;
        int all = 1;
        for (int k = 0; k < fm->n; k++) {
            int found = 0;
            for (int i = 0; i < n; i++)
                found |= strcmp(fm->p[k].key, keys[i]) == 0;
            all &= found;
        }
        if (all) form = f;
    }
    if (form < 0) {
        rs_error_why(why, why_len, "expected %s, got \"%s\"", expect, whole);
        return RS_EINPUT;
    }
    const struct form *fm = &sx->forms[form];
    double v[2] = {0, 0};
    const char *texts[2] = {"", ""};
    for (int k = 0; k < fm->n; k++) {
        for (int i = 0; i < n; i++)
            if (strcmp(fm->p[k].key, keys[i]) == 0) texts[k] = vals[i];
        if (read_value(sx->name, fm->p[k].key, fm->p[k].type, units, texts[k], &v[k], why,
                       why_len) != RS_OK)
            return RS_EINPUT;
    }
    d->form = form;
    d->p1 = v[0];
    d->p2 = v[1];
    if (!check_params(sx, d, texts, why, why_len)) return RS_EINPUT;
    derive(d);
    /* extreme but legal inputs can overflow the derived parameters */
    if (!isfinite(d->a) || !isfinite(d->b) ||
        ((d->kind == RS_DIST_GAMMA || d->kind == RS_DIST_ERLANG) && !(d->a > 0 && d->b > 0))) {
        rs_error_why(why, why_len, "%s: expected parameters of a moderate size, got \"%s\"",
                     sx->name, whole);
        return RS_EINPUT;
    }
    return RS_OK;
}

int rs_dist_parse(const char *text, enum rs_dist_units units, int allow_never, struct rs_dist *d,
                  char *why, size_t why_len)
{
    memset(d, 0, sizeof *d);
    char buf[TEXT_CAP], whole[TEXT_CAP];
    if (!text) text = "";
    if (strlen(text) >= sizeof buf) {
        rs_error_why(why, why_len,
                     "expected a distribution of at most %d characters, got \"%.40s...\"",
                     TEXT_CAP - 1, text);
        return RS_EINPUT;
    }
    snprintf(buf, sizeof buf, "%s", text);
    char *s = trim(buf);
    snprintf(whole, sizeof whole, "%s", s);

    char *p = s;
    while (islower((unsigned char)*p))
        p++;
    size_t name_len = (size_t)(p - s);
    if (name_len == 5 && strncmp(s, "never", 5) == 0 && *p == '\0') {
        if (!allow_never) {
            rs_error_why(why, why_len,
                         "expected a distribution with finite values such as exponential(mean=5m), "
                         "got \"never\"");
            return RS_EINPUT;
        }
        d->kind = RS_DIST_NEVER;
        return RS_OK;
    }
    const struct syntax *sx = NULL;
    for (size_t i = 0; i < N_SYNTAXES; i++)
        if (strlen(syntaxes[i].name) == name_len && strncmp(s, syntaxes[i].name, name_len) == 0)
            sx = &syntaxes[i];
    if (!sx) {
        rs_error_why(
            why, why_len,
            "expected a distribution (const, exponential, lognormal, gamma, erlang, weibull, "
            "uniform, pareto, empirical%s) such as exponential(mean=5m), got \"%s\"",
            allow_never ? " or never" : "", whole);
        return RS_EINPUT;
    }
    d->kind = sx->kind;

    char expect[256];
    expected_syntax(sx, units, expect, sizeof expect);
    while (isspace((unsigned char)*p))
        p++;
    size_t rest = strlen(p);
    if (*p != '(' || rest < 2 || p[rest - 1] != ')') {
        rs_error_why(why, why_len, "expected %s, got \"%s\"", expect, whole);
        return RS_EINPUT;
    }
    p[rest - 1] = '\0';
    char *inner = trim(p + 1);

    /* split at commas; values never contain one */
    char *items[MAX_ITEMS];
    int n = 0;
    if (*inner) {
        char *q = inner;
        for (;;) {
            char *comma = strchr(q, ',');
            if (comma) *comma = '\0';
            char *item = trim(q);
            if (*item == '\0') {
                rs_error_why(why, why_len, "expected %s without empty parameters, got \"%s\"",
                             expect, whole);
                return RS_EINPUT;
            }
            if (n == MAX_ITEMS) {
                if (sx->kind == RS_DIST_EMPIRICAL) break; /* reported as too many */
                rs_error_why(why, why_len, "expected %s, got \"%s\"", expect, whole);
                return RS_EINPUT;
            }
            items[n++] = item;
            if (!comma) break;
            q = comma + 1;
        }
    }
    int rc = sx->kind == RS_DIST_EMPIRICAL
                 ? parse_empirical(items, n, units, allow_never, d, whole, why, why_len)
                 : parse_keyed(sx, items, n, units, d, whole, why, why_len);
    if (rc != RS_OK) memset(d, 0, sizeof *d);
    return rc;
}

static double sample_empirical(const struct rs_dist *d, double u)
{
    int n = d->n_points;
    if (u >= d->F[n - 1]) return INFINITY;
    if (u < d->F[0]) return d->x[0] * (u / d->F[0]);
    int i = 0;
    while (u >= d->F[i + 1])
        i++;
    double t = (u - d->F[i]) / (d->F[i + 1] - d->F[i]);
    return exp(d->lx[i] + t * (d->lx[i + 1] - d->lx[i]));
}

double rs_dist_sample(const struct rs_dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case RS_DIST_CONST:
        return d->a;
    case RS_DIST_EXPONENTIAL:
        return rs_dist_exponential_draw(r, d->a);
    case RS_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, d->a, d->b);
    case RS_DIST_GAMMA:
    case RS_DIST_ERLANG:
        return gsl_ran_gamma(r, d->a, d->b);
    case RS_DIST_WEIBULL:
        return gsl_ran_weibull(r, d->a, d->b);
    case RS_DIST_UNIFORM:
        return gsl_ran_flat(r, d->a, d->b);
    case RS_DIST_PARETO:
        return gsl_ran_pareto(r, d->a, d->b);
    case RS_DIST_EMPIRICAL:
        return sample_empirical(d, rs_rng_uniform(r));
    case RS_DIST_NEVER:
        return INFINITY;
    }
    return INFINITY;
}

/* Raw moment E[X^k], k = 1 or 2, of an empirical distribution with no tail:
 * uniform on (0, x0] with mass F0, then density c / x on each log-linear
 * segment, c = dF / dln x, whose integrals are closed-form. */
static double empirical_moment(const struct rs_dist *d, int k)
{
    int n = d->n_points;
    if (d->F[n - 1] < 1) return INFINITY;
    double x0k = k == 1 ? d->x[0] : d->x[0] * d->x[0];
    double m = d->F[0] * x0k / (k + 1);
    for (int i = 0; i + 1 < n; i++) {
        double c = (d->F[i + 1] - d->F[i]) / (d->lx[i + 1] - d->lx[i]);
        double lo = d->x[i], hi = d->x[i + 1];
        m += k == 1 ? c * (hi - lo) : c * (hi - lo) * (hi + lo) / 2;
    }
    return m;
}

double rs_dist_mean(const struct rs_dist *d)
{
    switch (d->kind) {
    case RS_DIST_CONST:
        return d->a;
    case RS_DIST_EXPONENTIAL:
        return d->a;
    case RS_DIST_LOGNORMAL:
        return d->form == 0 ? d->p1 : exp(d->a + d->b * d->b / 2);
    case RS_DIST_GAMMA:
        return d->form == 0 ? d->p1 : d->a * d->b;
    case RS_DIST_ERLANG:
        return d->p2;
    case RS_DIST_WEIBULL:
        return d->a * tgamma(1 + 1 / d->b);
    case RS_DIST_UNIFORM:
        return (d->a + d->b) / 2;
    case RS_DIST_PARETO:
        return d->a > 1 ? d->a * d->b / (d->a - 1) : INFINITY;
    case RS_DIST_EMPIRICAL:
        return empirical_moment(d, 1);
    case RS_DIST_NEVER:
        return INFINITY;
    }
    return INFINITY;
}

double rs_dist_second_moment(const struct rs_dist *d)
{
    switch (d->kind) {
    case RS_DIST_CONST:
        return d->a * d->a;
    case RS_DIST_EXPONENTIAL:
        return 2 * d->a * d->a;
    case RS_DIST_LOGNORMAL:
        return d->form == 0 ? d->p1 * d->p1 + d->p2 * d->p2 : exp(2 * d->a + 2 * d->b * d->b);
    case RS_DIST_GAMMA:
        return d->form == 0 ? d->p1 * d->p1 + d->p2 * d->p2 : d->a * (d->a + 1) * d->b * d->b;
    case RS_DIST_ERLANG:
        return d->p2 * d->p2 * (1 + 1 / d->p1);
    case RS_DIST_WEIBULL:
        return d->a * d->a * tgamma(1 + 2 / d->b);
    case RS_DIST_UNIFORM:
        return (d->a * d->a + d->a * d->b + d->b * d->b) / 3;
    case RS_DIST_PARETO:
        return d->a > 2 ? d->a * d->b * d->b / (d->a - 2) : INFINITY;
    case RS_DIST_EMPIRICAL:
        return empirical_moment(d, 2);
    case RS_DIST_NEVER:
        return INFINITY;
    }
    return INFINITY;
}

int rs_dist_equal(const struct rs_dist *a, const struct rs_dist *b)
{
    if (a->kind != b->kind || a->form != b->form || a->p1 != b->p1 || a->p2 != b->p2 ||
        a->a != b->a || a->b != b->b || a->n_points != b->n_points)
        return 0;
    for (int i = 0; i < a->n_points; i++)
        if (a->x[i] != b->x[i] || a->F[i] != b->F[i] || a->lx[i] != b->lx[i]) return 0;
    return 1;
}

static void format_value(double v, enum ptype t, enum rs_dist_units units, char *buf, size_t len)
{
    switch (t) {
    case P_DUR:
        if (units == RS_DIST_DURATION)
            rs_units_format_duration(v, buf, len);
        else
            rs_units_format_number(v, buf, len);
        break;
    case P_RATE:
        rs_units_format_rate(v, buf, len);
        break;
    case P_NUM:
    case P_WHOLE:
        rs_units_format_number(v, buf, len);
        break;
    }
}

void rs_dist_format(const struct rs_dist *d, enum rs_dist_units units, char *buf, size_t len)
{
    if (len == 0) return;
    struct rs_buf b;
    rs_buf_fixed(&b, buf, len);
    char v[64];
    if (d->kind == RS_DIST_NEVER) {
        rs_buf_printf(&b, "never");
        return;
    }
    const struct syntax *sx = NULL;
    for (size_t i = 0; i < N_SYNTAXES; i++)
        if (syntaxes[i].kind == d->kind) sx = &syntaxes[i];
    if (!sx) return;
    if (d->kind == RS_DIST_EMPIRICAL) {
        rs_buf_printf(&b, "empirical(");
        for (int i = 0; i < d->n_points; i++) {
            char w[64];
            format_value(d->x[i], P_DUR, units, v, sizeof v);
            rs_units_format_number(d->F[i], w, sizeof w);
            rs_buf_printf(&b, "%s%s:%s", i ? ", " : "", v, w);
        }
        rs_buf_printf(&b, ")");
        return;
    }
    if (d->kind == RS_DIST_CONST) {
        format_value(d->p1, P_DUR, units, v, sizeof v);
        rs_buf_printf(&b, "const(%s)", v);
        return;
    }
    const struct form *fm = &sx->forms[d->form == 1 ? 1 : 0];
    rs_buf_printf(&b, "%s(", sx->name);
    for (int i = 0; i < fm->n; i++) {
        format_value(i == 0 ? d->p1 : d->p2, fm->p[i].type, units, v, sizeof v);
        rs_buf_printf(&b, "%s%s=%s", i ? ", " : "", fm->p[i].key, v);
    }
    rs_buf_printf(&b, ")");
}

struct rs_dist rs_dist_const(double v)
{
    struct rs_dist d;
    memset(&d, 0, sizeof d);
    d.kind = RS_DIST_CONST;
    d.p1 = v;
    derive(&d);
    return d;
}

struct rs_dist rs_dist_exponential(double mean)
{
    struct rs_dist d;
    memset(&d, 0, sizeof d);
    d.kind = RS_DIST_EXPONENTIAL;
    d.p1 = mean;
    derive(&d);
    return d;
}

struct rs_dist rs_dist_never(void)
{
    struct rs_dist d;
    memset(&d, 0, sizeof d);
    d.kind = RS_DIST_NEVER;
    return d;
}
