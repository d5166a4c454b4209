/* scenario_values.c: text helpers and the composite values of scenario keys
 * (lists of durations, days, working hours, weights, mixes, names of
 * sections): how each is parsed, written back and compared.  Plain values
 * (a duration, a rate, a word) need none of this: the key table describes
 * them (scenario_keys.c). */
#include "scenario_int.h"

#include "policy.h"
#include "replysim/units.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEM (RS_SCN_MAX_LINE + 1)

const char *const rs_scn_weekdays[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* ------------------------------------------------------------ text */

int rs_scn_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Copies s[0..len) without surrounding blanks into out (cap bytes). */
void rs_scn_trim(const char *s, size_t len, char *out, size_t cap)
{
    while (len > 0 && rs_scn_is_blank(*s))
        s++, len--;
    while (len > 0 && rs_scn_is_blank(s[len - 1]))
        len--;
    if (len >= cap) len = cap - 1;
    memcpy(out, s, len);
    out[len] = '\0';
}

int rs_scn_check_name(const char *s, char *why, size_t n)
{
    size_t len = strlen(s);
    if (len == 0) {
        rs_error_why(why, n, "expected a name");
        return RS_EINPUT;
    }
    if (len >= RS_NAME_MAX) {
        rs_error_why(why, n, "expected a name of at most %d characters, got %zu", RS_NAME_MAX - 1,
                     len);
        return RS_EINPUT;
    }
    for (const char *p = s; *p; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || c == '.';
        if (!ok) {
            rs_error_why(why, n, "expected a name of letters, digits, _, - and ., got \"%s\"", s);
            return RS_EINPUT;
        }
    }
    /* Names become folder names: "." and ".." would escape the results folder. */
    if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
        rs_error_why(why, n, "expected a name other than \"%s\"", s);
        return RS_EINPUT;
    }
    return RS_OK;
}

/* Calls fn on each comma-separated item of v, blanks trimmed; empty items
 * are errors. */
int rs_scn_for_each(const char *v, int (*fn)(void *ctx, const char *item, char *why, size_t n),
                    void *ctx, char *why, size_t n)
{
    char item[MAX_ITEM];
    const char *p = v;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        rs_scn_trim(p, len, item, sizeof item);
        if (item[0] == '\0') {
            rs_error_why(why, n, "expected a comma-separated list without empty items, got \"%s\"",
                         v);
            return RS_EINPUT;
        }
        int rc = fn(ctx, item, why, n);
        if (rc) return rc;
        if (!comma) return RS_OK;
        p = comma + 1;
    }
}

int rs_scn_word(const char *v, const char *const *words, int n_words, int *out, char *why, size_t n,
                const char *expected)
{
    for (int i = 0; i < n_words; i++) {
        if (strcmp(v, words[i]) == 0) {
            *out = i;
            return RS_OK;
        }
    }
    rs_error_why(why, n, "expected %s, got \"%s\"", expected, v);
    return RS_EINPUT;
}

int rs_scn_nonneg(const char *v, double *out, char *why, size_t n)
{
    double x;
    if (rs_units_number(v, &x, why, n)) return RS_EINPUT;
    if (!(x >= 0)) {
        rs_error_why(why, n, "expected a number >= 0, got \"%s\"", v);
        return RS_EINPUT;
    }
    *out = x;
    return RS_OK;
}

void rs_scn_put_clock(double s, struct rs_buf *out)
{
    long min = lround(s / 60.0);
    rs_buf_printf(out, "%02ld:%02ld", min / 60, min % 60);
}

static void put_number(double x, struct rs_buf *out)
{
    char s[64];
    rs_units_format_number(x, s, sizeof s);
    rs_buf_puts(out, s);
}

static void put_duration(double x, struct rs_buf *out)
{
    char s[64];
    rs_units_format_duration(x, s, sizeof s);
    rs_buf_puts(out, s);
}

/* Plain numbers by value (NaN unequal, as for any number). */
static int same_values(const double *a, const double *b, int n)
{
    for (int k = 0; k < n; k++)
        if (a[k] != b[k]) return 0;
    return 1;
}

/* Lists: NaN marks "not given" in traces, equal to itself here. */
int rs_scn_same_doubles(const double *a, const double *b, int n)
{
    for (int k = 0; k < n; k++)
        if (!(a[k] == b[k] || (isnan(a[k]) && isnan(b[k])))) return 0;
    return 1;
}

/* ------------------------------------------------------------ strings */

/* Policies are known by name from their table (sim/policy.c), so a new
 * policy needs no change here. */
int rs_scn_parse_order(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n)
{
    (void)sc;
    if (!rs_policy_find(v)) {
        rs_error_why(why, n, "expected one of %s, got \"%s\"", rs_policy_names(), v);
        return RS_EINPUT;
    }
    snprintf(field, RS_NAME_MAX, "%s", v);
    return RS_OK;
}

int rs_scn_put_string(const struct rs_scenario *sc, const void *sec, const void *field,
                      struct rs_buf *out)
{
    (void)sc, (void)sec;
    rs_buf_puts(out, field);
    return 1;
}

int rs_scn_equal_string(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                        const void *y)
{
    (void)a, (void)b;
    return strcmp(x, y) == 0;
}

/* include: read by the loader before the file's keys; nothing to do here. */
int rs_scn_parse_none(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n)
{
    (void)sc, (void)field, (void)v, (void)why, (void)n;
    return RS_OK;
}

/* ------------------------------------------------------------ start */

int rs_scn_parse_start(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n)
{
    char day[MAX_ITEM];
    size_t len = strcspn(v, " \t");
    rs_scn_trim(v, len, day, sizeof day);
    const char *clock = v + len;
    while (rs_scn_is_blank(*clock))
        clock++;
    int d;
    double c;
    (void)field;
    if (day[0] == '\0' || clock[0] == '\0' || strcspn(clock, " \t") != strlen(clock)) {
        rs_error_why(why, n, "expected a weekday and clock time such as mon 09:00, got \"%s\"", v);
        return RS_EINPUT;
    }
    if (rs_units_weekday(day, &d, why, n)) return RS_EINPUT;
    if (rs_units_clock(clock, &c, why, n)) return RS_EINPUT;
    sc->start_day = d;
    sc->start_clock_s = c;
    return RS_OK;
}

int rs_scn_put_start(const struct rs_scenario *sc, const void *sec, const void *field,
                     struct rs_buf *out)
{
    (void)sec, (void)field;
    const char *day =
        sc->start_day >= 0 && sc->start_day < 7 ? rs_scn_weekdays[sc->start_day] : "?";
    rs_buf_printf(out, "%s ", day);
    rs_scn_put_clock(sc->start_clock_s, out);
    return 1;
}

int rs_scn_equal_start(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                       const void *y)
{
    (void)x, (void)y;
    return a->start_day == b->start_day && same_values(&a->start_clock_s, &b->start_clock_s, 1);
}

/* ------------------------------------------------------------ within */

struct within_list {
    int n;
    double s[RS_MAX_WITHIN];
};

static int within_item(void *ctx, const char *item, char *why, size_t n)
{
    struct within_list *w = ctx;
    double s;
    if (rs_units_duration(item, &s, why, n)) return RS_EINPUT;
    if (!(s > 0)) {
        rs_error_why(why, n, "expected durations > 0, got \"%s\"", item);
        return RS_EINPUT;
    }
    if (w->n == RS_MAX_WITHIN) {
        rs_error_why(why, n, "expected at most %d durations", RS_MAX_WITHIN);
        return RS_EINPUT;
    }
    w->s[w->n++] = s;
    return RS_OK;
}

int rs_scn_parse_within(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n)
{
    struct within_list w = {0};
    (void)field;
    if (v[0] == '\0') {
        rs_error_why(why, n, "expected durations such as 15m, 1h, 24h");
        return RS_EINPUT;
    }
    if (rs_scn_for_each(v, within_item, &w, why, n)) return RS_EINPUT;
    for (int i = 1; i < w.n; i++) /* stored increasing, whatever the order given */
        for (int j = i; j > 0 && w.s[j - 1] > w.s[j]; j--) {
            double t = w.s[j];
            w.s[j] = w.s[j - 1];
            w.s[j - 1] = t;
        }
    for (int i = 1; i < w.n; i++) {
        if (w.s[i] == w.s[i - 1]) {
            char d[64];
            rs_units_format_duration(w.s[i], d, sizeof d);
            rs_error_why(why, n, "expected each duration once, got %s twice", d);
            return RS_EINPUT;
        }
    }
    sc->n_within = w.n;
    memcpy(sc->within_s, w.s, sizeof w.s);
    return RS_OK;
}

int rs_scn_put_within(const struct rs_scenario *sc, const void *sec, const void *field,
                      struct rs_buf *out)
{
    (void)sec, (void)field;
    for (int k = 0; k < sc->n_within && k < RS_MAX_WITHIN; k++) {
        if (k) rs_buf_puts(out, ", ");
        put_duration(sc->within_s[k], out);
    }
    return 1;
}

int rs_scn_equal_within(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                        const void *y)
{
    (void)x, (void)y;
    int n = a->n_within < RS_MAX_WITHIN ? a->n_within : RS_MAX_WITHIN;
    return a->n_within == b->n_within && same_values(a->within_s, b->within_s, n);
}

/* ------------------------------------------------------------ days */

/* Days "mon-fri", "sat, sun", "mon, wed-fri", "fri-mon" (ranges wrap). */
static int day_range(const char *item, unsigned *days, char *why, size_t n)
{
    char a[MAX_ITEM], b[MAX_ITEM];
    const char *dash = strchr(item, '-');
    int d0, d1;
    rs_scn_trim(item, dash ? (size_t)(dash - item) : strlen(item), a, sizeof a);
    if (dash) rs_scn_trim(dash + 1, strlen(dash + 1), b, sizeof b);
    if (rs_units_weekday(a, &d0, why, n)) return RS_EINPUT;
    d1 = d0;
    if (dash && rs_units_weekday(b, &d1, why, n)) return RS_EINPUT;
    for (int d = d0;; d = (d + 1) % 7) {
        *days |= 1u << d;
        if (d == d1) break;
    }
    return RS_OK;
}

static int days_item(void *ctx, const char *item, char *why, size_t n)
{
    unsigned *days = ctx;
    unsigned d = 0;
    if (day_range(item, &d, why, n)) return RS_EINPUT;
    if (*days & d) {
        rs_error_why(why, n, "expected each day once, got \"%s\" again", item);
        return RS_EINPUT;
    }
    *days |= d;
    return RS_OK;
}

int rs_scn_parse_days(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n)
{
    unsigned days = 0;
    (void)sc;
    if (v[0] == '\0') {
        rs_error_why(why, n, "expected days such as mon-fri or sat, sun");
        return RS_EINPUT;
    }
    if (rs_scn_for_each(v, days_item, &days, why, n)) return RS_EINPUT;
    memcpy(field, &days, sizeof days);
    return RS_OK;
}

/* Runs of three or more days as ranges: "mon-fri, sun". */
int rs_scn_put_days(const struct rs_scenario *sc, const void *sec, const void *field,
                    struct rs_buf *out)
{
    unsigned days;
    (void)sc, (void)sec;
    memcpy(&days, field, sizeof days);
    for (int d = 0; d < 7;) {
        if (!(days & (1u << d))) {
            d++;
            continue;
        }
        int e = d;
        while (e + 1 < 7 && (days & (1u << (e + 1))))
            e++;
        if (e - d >= 2) {
            rs_buf_printf(out, "%s%s-%s", out->len ? ", " : "", rs_scn_weekdays[d],
                          rs_scn_weekdays[e]);
        } else {
            for (int k = d; k <= e; k++)
                rs_buf_printf(out, "%s%s", out->len ? ", " : "", rs_scn_weekdays[k]);
        }
        d = e + 1;
    }
    return 1;
}

/* ------------------------------------------------------------ weights */

static const char *const weight_names[] = {"age", "priority", "influence", "public", "deadline"};

struct weights_ctx {
    double w[5];
    int seen[5];
};

/* Splits a list item "name:value": the trimmed name into name[MAX_ITEM]
 * and the value text returned; NULL without a colon, why saying that an
 * item such as `shape` was expected. */
static const char *split_pair(const char *item, char *name, const char *shape, char *why, size_t n)
{
    const char *colon = strchr(item, ':');
    if (!colon) {
        rs_error_why(why, n, "expected %s, got \"%s\"", shape, item);
        return NULL;
    }
    rs_scn_trim(item, (size_t)(colon - item), name, MAX_ITEM);
    return colon + 1;
}

static int weights_item(void *ctx, const char *item, char *why, size_t n)
{
    struct weights_ctx *c = ctx;
    char name[MAX_ITEM];
    const char *value = split_pair(item, name, "name:weight such as priority:60", why, n);
    if (!value) return RS_EINPUT;
    int k;
    if (rs_scn_word(name, weight_names, 5, &k, why, n,
                    "a weight age, priority, influence, public or deadline"))
        return RS_EINPUT;
    if (c->seen[k]) {
        rs_error_why(why, n, "expected each weight once, got \"%s\" twice", name);
        return RS_EINPUT;
    }
    c->seen[k] = 1;
    return rs_scn_nonneg(value, &c->w[k], why, n);
}

static void weights_array(const struct rs_weights *w, double x[5])
{
    x[0] = w->age;
    x[1] = w->priority;
    x[2] = w->influence;
    x[3] = w->public_;
    x[4] = w->deadline;
}

int rs_scn_parse_weights(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n)
{
    struct weights_ctx c = {{1, 60, 5, 30, 2}, {0}};
    (void)sc;
    if (v[0] == '\0') {
        rs_error_why(why, n, "expected weights such as age:1, priority:60");
        return RS_EINPUT;
    }
    if (rs_scn_for_each(v, weights_item, &c, why, n)) return RS_EINPUT;
    struct rs_weights *w = field;
    w->age = c.w[0];
    w->priority = c.w[1];
    w->influence = c.w[2];
    w->public_ = c.w[3];
    w->deadline = c.w[4];
    return RS_OK;
}

int rs_scn_put_weights(const struct rs_scenario *sc, const void *sec, const void *field,
                       struct rs_buf *out)
{
    double x[5];
    (void)sc, (void)sec;
    weights_array(field, x);
    for (int k = 0; k < 5; k++) {
        rs_buf_printf(out, "%s%s:", k ? ", " : "", weight_names[k]);
        put_number(x[k], out);
    }
    return 1;
}

int rs_scn_equal_weights(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                         const void *y)
{
    double p[5], q[5];
    (void)a, (void)b;
    weights_array(x, p);
    weights_array(y, q);
    return same_values(p, q, 5);
}

/* ------------------------------------------------------------ hours */

struct hours_ctx {
    int n;
    struct rs_hours_span s[RS_MAX_HOURS];
};

static void clock_text(double s, char *buf, size_t n)
{
    struct rs_buf b;
    rs_buf_fixed(&b, buf, n);
    rs_scn_put_clock(s, &b);
}

/* One item "DAYS HH:MM-HH:MM" (DAYS a day or a range; none: every day). */
static int hours_item(void *ctx, const char *item, char *why, size_t n)
{
    struct hours_ctx *c = ctx;
    char days_text[MAX_ITEM], a[MAX_ITEM], b[MAX_ITEM];
    const char *clock = strrchr(item, ' ');
    clock = clock ? clock + 1 : item;
    rs_scn_trim(item, (size_t)(clock - item), days_text, sizeof days_text);
    const char *dash = strchr(clock, '-');
    if (!dash) {
        rs_error_why(why, n, "expected days and hours such as mon-fri 09:00-17:00, got \"%s\"",
                     item);
        return RS_EINPUT;
    }
    rs_scn_trim(clock, (size_t)(dash - clock), a, sizeof a);
    rs_scn_trim(dash + 1, strlen(dash + 1), b, sizeof b);
    unsigned days = 0x7f;
    double from, to;
    if (days_text[0]) {
        days = 0;
        if (day_range(days_text, &days, why, n)) return RS_EINPUT;
    }
    if (rs_units_clock(a, &from, why, n) || rs_units_clock(b, &to, why, n)) return RS_EINPUT;
    if (from >= 86400 || to == from) {
        rs_error_why(why, n, "expected a start from 00:00 to 23:59 and a different end, got \"%s\"",
                     item);
        return RS_EINPUT;
    }
    if (to < from) to += 86400; /* overnight: ends the next day */
    for (int d = 0; d < 7; d++) {
        if (!(days & (1u << d))) continue;
        if (c->n == RS_MAX_HOURS) {
            rs_error_why(why, n, "expected at most %d spans of working hours", RS_MAX_HOURS);
            return RS_EINPUT;
        }
        c->s[c->n].from_s = d * 86400.0 + from;
        c->s[c->n].to_s = d * 86400.0 + to;
        c->n++;
    }
    return RS_OK;
}

/* Sorted by start; spans must not overlap (the last may run past sunday
 * midnight into the first). */
static int sort_spans(struct hours_ctx *c, char *why, size_t n)
{
    for (int i = 1; i < c->n; i++)
        for (int j = i; j > 0 && c->s[j - 1].from_s > c->s[j].from_s; j--) {
            struct rs_hours_span t = c->s[j];
            c->s[j] = c->s[j - 1];
            c->s[j - 1] = t;
        }
    for (int i = 0; i < c->n; i++) {
        const struct rs_hours_span *p = &c->s[i], *q = &c->s[(i + 1) % c->n];
        double next = i + 1 < c->n ? q->from_s : q->from_s + RS_WEEK_S;
        if (c->n > 1 && p->to_s > next) {
            char x[32], y[32];
            clock_text(fmod(p->from_s, 86400), x, sizeof x);
            clock_text(fmod(q->from_s, 86400), y, sizeof y);
            rs_error_why(why, n,
                         "expected spans that do not overlap, got %s %s and %s %s overlapping",
                         rs_scn_weekdays[(int)(p->from_s / 86400) % 7], x,
                         rs_scn_weekdays[(int)(q->from_s / 86400) % 7], y);
            return RS_EINPUT;
        }
    }
    return RS_OK;
}

int rs_scn_parse_hours(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n)
{
    struct hours_ctx c = {0};
    (void)field;
    if (strcmp(v, "always") == 0) {
        sc->n_hours = 0;
        return RS_OK;
    }
    if (v[0] == '\0') {
        rs_error_why(why, n, "expected hours such as mon-fri 09:00-17:00, or always");
        return RS_EINPUT;
    }
    if (rs_scn_for_each(v, hours_item, &c, why, n) || sort_spans(&c, why, n)) return RS_EINPUT;
    sc->n_hours = c.n;
    memcpy(sc->hours, c.s, sizeof c.s);
    return RS_OK;
}

/* Consecutive days with the same hours as one range: "mon-fri 09:00-17:00". */
int rs_scn_put_hours(const struct rs_scenario *sc, const void *sec, const void *field,
                     struct rs_buf *out)
{
    (void)sec, (void)field;
    if (sc->n_hours == 0) {
        rs_buf_puts(out, "always");
        return 1;
    }
    for (int k = 0; k < sc->n_hours && k < RS_MAX_HOURS;) {
        const struct rs_hours_span *s = &sc->hours[k];
        int d = (int)floor(s->from_s / 86400);
        double from = s->from_s - d * 86400.0, len = s->to_s - s->from_s;
        int e = k;
        while (e + 1 < sc->n_hours && sc->hours[e + 1].from_s == sc->hours[e].from_s + 86400 &&
               sc->hours[e + 1].to_s - sc->hours[e + 1].from_s == len)
            e++;
        double to = from + len;
        if (out->len) rs_buf_puts(out, ", ");
        if (e > k)
            rs_buf_printf(out, "%s-%s ", rs_scn_weekdays[d % 7], rs_scn_weekdays[(d + e - k) % 7]);
        else
            rs_buf_printf(out, "%s ", rs_scn_weekdays[d % 7]);
        rs_scn_put_clock(from, out);
        rs_buf_putc(out, '-');
        if (to == 86400)
            rs_buf_puts(out, "24:00");
        else
            rs_scn_put_clock(fmod(to, 86400), out);
        k = e + 1;
    }
    return 1;
}

int rs_scn_equal_hours(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                       const void *y)
{
    (void)x, (void)y;
    if (a->n_hours != b->n_hours) return 0;
    for (int k = 0; k < a->n_hours && k < RS_MAX_HOURS; k++)
        if (a->hours[k].from_s != b->hours[k].from_s || a->hours[k].to_s != b->hours[k].to_s)
            return 0;
    return 1;
}

/* ------------------------------------------------------------ mixes and names */

struct mix_ctx {
    const struct rs_scenario *sc;
    double *mix;
    int seen[RS_MAX_TYPES];
};

static int mix_item(void *ctx, const char *item, char *why, size_t n)
{
    struct mix_ctx *m = ctx;
    char name[MAX_ITEM];
    const char *value = split_pair(item, name, "type:share such as complaint:0.4", why, n);
    if (!value) return RS_EINPUT;
    int t = rs_scenario_type(m->sc, name);
    if (t < 0) {
        rs_error_why(why, n, "expected a type defined by a [type NAME] section, got \"%s\"", name);
        return RS_EINPUT;
    }
    if (m->seen[t]) {
        rs_error_why(why, n, "expected each type once, got \"%s\" twice", name);
        return RS_EINPUT;
    }
    m->seen[t] = 1;
    return rs_units_prob(value, &m->mix[t], why, n);
}

int rs_scn_resolve_mix(struct rs_scenario *sc, const char *v, double *mix, char *why, size_t n)
{
    struct mix_ctx m = {.sc = sc, .mix = mix};
    for (int t = 0; t < RS_MAX_TYPES; t++)
        mix[t] = 0; /* an override starts afresh */
    return rs_scn_for_each(v, mix_item, &m, why, n);
}

struct names_ctx {
    const struct rs_scenario *sc;
    int (*find)(const struct rs_scenario *sc, const char *name);
    const char *what;
    uint32_t mask;
};

static int names_item(void *ctx, const char *item, char *why, size_t n)
{
    struct names_ctx *c = ctx;
    int i = c->find(c->sc, item);
    if (i < 0) {
        rs_error_why(why, n, "expected a %s defined by a [%s NAME] section, got \"%s\"", c->what,
                     c->what, item);
        return RS_EINPUT;
    }
    if (c->mask & (UINT32_C(1) << i)) {
        rs_error_why(why, n, "expected each %s once, got \"%s\" twice", c->what, item);
        return RS_EINPUT;
    }
    c->mask |= UINT32_C(1) << i;
    return RS_OK;
}

/* Names of channels or types as a bit mask. */
int rs_scn_resolve_names(const struct rs_scenario *sc, const char *v, int channels, uint32_t *out,
                         char *why, size_t n)
{
    struct names_ctx c = {sc, channels ? rs_scenario_channel : rs_scenario_type,
                          channels ? "channel" : "type", 0};
    if (!v[0]) {
        rs_error_why(why, n, "expected names separated by commas");
        return RS_EINPUT;
    }
    if (rs_scn_for_each(v, names_item, &c, why, n)) return RS_EINPUT;
    *out = c.mask;
    return RS_OK;
}

/* "a, b, c" of the channels or types (kind) whose bits are set in mask. */
void rs_scn_put_names(const struct rs_scenario *sc, int kind, uint32_t mask, struct rs_buf *out)
{
    int count = rs_scn_count(sc, kind);
    for (int i = 0; i < count && i < 32; i++)
        if (mask & (UINT32_C(1) << i))
            rs_buf_printf(out, "%s%s", out->len ? ", " : "", rs_scn_name_of(sc, kind, i));
}

/* The complaint types that count: the default (RS_OUTCOME_COMPLAINT_NAMED)
 * is the type named "complaint", and a type that needs no reply has no
 * inbox messages, so it never counts.  Writing and comparing use this, so
 * the default and its names written out are the same scenario. */
uint32_t rs_scenario_complaint_mask(const struct rs_scenario *sc)
{
    uint32_t declared = sc->outcome.complaint_types, m = 0;
    if (declared == RS_OUTCOME_COMPLAINT_NAMED) {
        int t = rs_scenario_type(sc, "complaint");
        declared = t >= 0 && t < 32 ? UINT32_C(1) << t : 0;
    }
    for (int t = 0; t < sc->n_types && t < 32; t++)
        if (sc->types[t].needs_reply && (declared >> t & 1u)) m |= UINT32_C(1) << t;
    return m;
}

/* ------------------------------------------------ conversations, amplification */

/* A distribution that may be unset (struct rs_opt_dist): durations, never
 * only for patience. */
static int parse_opt(void *field, const char *v, int allow_never, char *why, size_t n)
{
    struct rs_opt_dist *o = field;
    if (rs_dist_parse(v, RS_DIST_DURATION, allow_never, &o->d, why, n)) return RS_EINPUT;
    o->set = 1;
    return RS_OK;
}

int rs_scn_parse_opt_dist(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n)
{
    (void)sc;
    return parse_opt(field, v, 0, why, n);
}

int rs_scn_parse_opt_patience(struct rs_scenario *sc, void *field, const char *v, char *why,
                              size_t n)
{
    (void)sc;
    return parse_opt(field, v, 1, why, n);
}

int rs_scn_put_opt_dist(const struct rs_scenario *sc, const void *sec, const void *field,
                        struct rs_buf *out)
{
    const struct rs_opt_dist *o = field;
    (void)sc, (void)sec;
    if (!o->set) return 0;
    char s[1024];
    rs_dist_format(&o->d, RS_DIST_DURATION, s, sizeof s);
    rs_buf_puts(out, s);
    return 1;
}

int rs_scn_equal_opt_dist(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                          const void *y)
{
    const struct rs_opt_dist *p = x, *q = y;
    (void)a, (void)b;
    return p->set == q->set && (!p->set || rs_dist_equal(&p->d, &q->d));
}

/* affinity: a duration, or forever (INFINITY); 0 (none) is left out. */
int rs_scn_parse_affinity(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n)
{
    double x;
    (void)sc;
    if (strcmp(v, "forever") == 0) {
        x = INFINITY;
    } else if (rs_units_duration(v, &x, why, n) || !(x >= 0) || !isfinite(x)) {
        rs_error_why(why, n, "expected a duration >= 0 or forever, got \"%s\"", v);
        return RS_EINPUT;
    }
    memcpy(field, &x, sizeof x);
    return RS_OK;
}

int rs_scn_put_affinity(const struct rs_scenario *sc, const void *sec, const void *field,
                        struct rs_buf *out)
{
    double x;
    char s[64];
    (void)sc, (void)sec;
    memcpy(&x, field, sizeof x);
    if (x == 0) return 0;
    if (isinf(x)) {
        rs_buf_puts(out, "forever");
        return 1;
    }
    rs_units_format_duration(x, s, sizeof s);
    rs_buf_puts(out, s);
    return 1;
}

int rs_scn_equal_affinity(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                          const void *y)
{
    double p, q;
    (void)a, (void)b;
    memcpy(&p, x, sizeof p);
    memcpy(&q, y, sizeof q);
    return p == q;
}

/* when = queue>=N, N a whole number >= 1. */
int rs_scn_parse_when(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n)
{
    (void)sc;
    const char *p = strncmp(v, "queue>=", 7) == 0 ? v + 7 : NULL;
    if (p && *p >= '0' && *p <= '9') {
        char *end;
        long x = strtol(p, &end, 10);
        if (*end == '\0' && x >= 1 && x <= INT_MAX) {
            int k = (int)x;
            memcpy(field, &k, sizeof k);
            return RS_OK;
        }
    }
    rs_error_why(why, n, "expected queue>=N with N a whole number >= 1, got \"%s\"", v);
    return RS_EINPUT;
}

int rs_scn_put_when(const struct rs_scenario *sc, const void *sec, const void *field,
                    struct rs_buf *out)
{
    int k;
    (void)sc, (void)sec;
    memcpy(&k, field, sizeof k);
    rs_buf_printf(out, "queue>=%d", k);
    return 1;
}
