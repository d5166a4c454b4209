/* scenario.c: loading, checking and writing scenario files (SPEC section 3).
 *
 * inih splits lines into sections and key = value pairs; everything else is
 * ours.  Our line reader hands inih one whole line at a time, so it always
 * knows the line inih is working on, rejects over-long lines instead of
 * letting them be cut, and reads section headers itself (inih cuts section
 * names at 49 characters and does not report sections without keys).
 *
 * Each section kind is one row of `sections`, with a table of its keys: how
 * to parse a value into the scenario and how to write it back.  Adding a key
 * is one row; rules that span keys or sections live in finish() and check().
 * Keys whose value names sections that may come later (mixes, channels,
 * types) or needs the whole scenario (CSV files: trace times depend on
 * start) have no parse function: their text is kept and read in finish().
 *
 * Layers: an `include`d file is read first into the same scenario, then the
 * including file, then --set overrides.  Each layer is a "file" (fid); a key
 * or section given twice is an error only within one file. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "replysim/scenario.h"

#include "replysim/csvin.h"
#include "policy.h"
#include "replysim/units.h"

#include "replysim/error.h"

#include <errno.h>
#include <ini.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define MAX_LINE 4096 /* longest line of a scenario file, without its newline */
#define MAX_KEYS 32   /* most keys in one section kind */
#define MAX_INST RS_MAX_SHIFTS /* most sections of one kind (shifts, the most) */
#define MAX_KINDS 8   /* section kinds */
#define MAX_DEPTH 8   /* most nested includes */
#define MAX_FILES (MAX_DEPTH + 2) /* the file, its includes, --set */
#define MAX_FILE_BYTES (16L << 20) /* a larger scenario file is an error */
#define WHY_LEN 400
#define MIX_TOLERANCE 1e-9

struct load;

struct key_def {
    const char *name;
    int required; /* missing is an error (conditional rules live in finish()) */
    /* Parses v into the section being read (ld->inst); fills why on error.
     * NULL: the text is kept for finish() (see the top). */
    int (*parse)(struct load *ld, const char *v, char *why, size_t n);
    /* Writes the value of section i into buf; returns 0 to leave the key out. */
    int (*put)(const struct rs_scenario *sc, int i, char *buf, size_t n);
};

struct section_def {
    const char *kind; /* word of the header: [kind] or [kind NAME] */
    int named;        /* 1 for [kind NAME] */
    int required;     /* the file must have at least one */
    int max;          /* most sections of this kind */
    const struct key_def *keys;
    int n_keys;
    /* Named kinds: appends section `name` with its defaults, returns its index. */
    int (*add)(struct rs_scenario *sc, const char *name, int line);
    int (*count)(const struct rs_scenario *sc);
    const char *(*name_of)(const struct rs_scenario *sc, int i);
    const char *hint; /* what a missing section should hold */
};

struct load {
    /* the file being read */
    const char *file; /* name in messages */
    int fid;          /* its index in files[] */
    int line;         /* line last handed to inih */
    const char *text; /* source text (cursor) */
    char *buf;        /* current line as read, untouched by inih */
    size_t cap;
    int kind; /* section kind being read, -1 before the first */
    int inst; /* its index among sections of that kind */
    int scanning;     /* first pass: only looking for include */
    char include[MAX_LINE + 1]; /* include found by the first pass */
    int include_line;
    int setting;      /* applying --set overrides */

    /* the whole load */
    struct rs_scenario *sc; /* being filled */
    struct rs_error *err;
    int rc;           /* first error, RS_OK while none */
    int n_files;
    char *files[MAX_FILES]; /* names in messages, by fid */
    char *dirs[MAX_FILES];  /* directories that relative paths start from ("": cwd) */
    char *chain[MAX_DEPTH + 1]; /* resolved paths of the files being read, for cycles */
    int depth;                  /* includes being read */
    int n_inst[MAX_KINDS];
    int sec_line[MAX_KINDS][MAX_INST];
    unsigned char sec_file[MAX_KINDS][MAX_INST];  /* fid of the first header */
    unsigned char opened_by[MAX_KINDS][MAX_INST]; /* fid of the latest header */
    int opened_line[MAX_KINDS][MAX_INST];         /* its line */
    int key_line[MAX_KINDS][MAX_INST][MAX_KEYS];
    unsigned char key_file[MAX_KINDS][MAX_INST][MAX_KEYS];
    char *text_of[MAX_KINDS][MAX_INST][MAX_KEYS]; /* kept values (parse = NULL) */
};

static const char *const weekdays[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* ------------------------------------------------------------ helpers */

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Copies s[0..len) without surrounding blanks into out (cap bytes). */
static void copy_trim(const char *s, size_t len, char *out, size_t cap)
{
    while (len > 0 && is_blank(*s)) s++, len--;
    while (len > 0 && is_blank(s[len - 1])) len--;
    if (len >= cap) len = cap - 1;
    memcpy(out, s, len);
    out[len] = '\0';
}

static int check_name(const char *s, char *why, size_t n)
{
    size_t len = strlen(s);
    if (len == 0) {
        rs_error_why(why, n, "expected a name");
        return RS_EINPUT;
    }
    if (len >= RS_NAME_MAX) {
        rs_error_why(why, n, "expected a name of at most %d characters, got %zu", RS_NAME_MAX - 1, len);
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
static int for_each_item(const char *v, int (*fn)(void *ctx, const char *item, char *why, size_t n),
                         void *ctx, char *why, size_t n)
{
    char item[MAX_LINE + 1];
    const char *p = v;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        copy_trim(p, len, item, sizeof item);
        if (item[0] == '\0') {
            rs_error_why(why, n, "expected a comma-separated list without empty items, got \"%s\"", v);
            return RS_EINPUT;
        }
        int rc = fn(ctx, item, why, n);
        if (rc) return rc;
        if (!comma) return RS_OK;
        p = comma + 1;
    }
}

static int word(const char *v, const char *const *words, int n_words, int *out, char *why, size_t n,
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

/* ------------------------------------------------ [scenario] keys */

static int parse_name(struct load *ld, const char *v, char *why, size_t n)
{
    if (check_name(v, why, n)) return RS_EINPUT;
    snprintf(ld->sc->name, sizeof ld->sc->name, "%s", v);
    return RS_OK;
}

static int put_name(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    snprintf(buf, n, "%s", sc->name);
    return 1;
}

static int parse_duration(const char *v, double *out, char *why, size_t n)
{
    return rs_units_duration(v, out, why, n);
}

static int parse_horizon(struct load *ld, const char *v, char *why, size_t n)
{
    return parse_duration(v, &ld->sc->horizon_s, why, n);
}

static int parse_warmup(struct load *ld, const char *v, char *why, size_t n)
{
    return parse_duration(v, &ld->sc->warmup_s, why, n);
}

static int parse_drain(struct load *ld, const char *v, char *why, size_t n)
{
    return parse_duration(v, &ld->sc->drain_s, why, n);
}

static int parse_interval(struct load *ld, const char *v, char *why, size_t n)
{
    return parse_duration(v, &ld->sc->interval_s, why, n);
}

static int put_horizon(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    rs_units_format_duration(sc->horizon_s, buf, n);
    return 1;
}

static int put_warmup(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    rs_units_format_duration(sc->warmup_s, buf, n);
    return 1;
}

static int put_drain(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    rs_units_format_duration(sc->drain_s, buf, n);
    return 1;
}

static int put_interval(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    rs_units_format_duration(sc->interval_s, buf, n);
    return 1;
}

static int parse_replications(struct load *ld, const char *v, char *why, size_t n)
{
    long r;
    if (rs_units_int(v, 1, INT_MAX, &r, why, n)) return RS_EINPUT;
    ld->sc->replications = (int)r;
    return RS_OK;
}

static int put_replications(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    snprintf(buf, n, "%d", sc->replications);
    return 1;
}

static int parse_seed(struct load *ld, const char *v, char *why, size_t n)
{
    /* strtoull alone would take "-1", "+1", " 1" and "0x10". */
    int ok = v[0] != '\0';
    for (const char *p = v; *p; p++)
        if (*p < '0' || *p > '9') ok = 0;
    if (ok) {
        errno = 0;
        unsigned long long s = strtoull(v, NULL, 10);
        if (errno == 0) {
            ld->sc->seed = (uint64_t)s;
            return RS_OK;
        }
    }
    rs_error_why(why, n, "expected a whole number from 0 to %" PRIu64 ", got \"%s\"", UINT64_MAX, v);
    return RS_EINPUT;
}

static int put_seed(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    snprintf(buf, n, "%" PRIu64, sc->seed);
    return 1;
}

static int parse_start(struct load *ld, const char *v, char *why, size_t n)
{
    char day[MAX_LINE + 1];
    size_t len = strcspn(v, " \t");
    copy_trim(v, len, day, sizeof day);
    const char *clock = v + len;
    while (is_blank(*clock)) clock++;
    int d;
    double c;
    if (day[0] == '\0' || clock[0] == '\0' || strcspn(clock, " \t") != strlen(clock)) {
        rs_error_why(why, n, "expected a weekday and clock time such as mon 09:00, got \"%s\"", v);
        return RS_EINPUT;
    }
    if (rs_units_weekday(day, &d, why, n)) return RS_EINPUT;
    if (rs_units_clock(clock, &c, why, n)) return RS_EINPUT;
    ld->sc->start_day = d;
    ld->sc->start_clock_s = c;
    return RS_OK;
}

static int put_start(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    long min = lround(sc->start_clock_s / 60.0);
    const char *day = sc->start_day >= 0 && sc->start_day < 7 ? weekdays[sc->start_day] : "?";
    snprintf(buf, n, "%s %02ld:%02ld", day, min / 60, min % 60);
    return 1;
}

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

static int parse_within(struct load *ld, const char *v, char *why, size_t n)
{
    struct within_list w = {0};
    if (v[0] == '\0') {
        rs_error_why(why, n, "expected durations such as 15m, 1h, 24h");
        return RS_EINPUT;
    }
    if (for_each_item(v, within_item, &w, why, n)) return RS_EINPUT;
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
    ld->sc->n_within = w.n;
    memcpy(ld->sc->within_s, w.s, sizeof w.s);
    return RS_OK;
}

static int put_within(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < sc->n_within && used < n; k++) {
        char d[64];
        rs_units_format_duration(sc->within_s[k], d, sizeof d);
        used += (size_t)snprintf(buf + used, n - used, "%s%s", k ? ", " : "", d);
    }
    return 1;
}

/* ------------------------------------------------ [channel NAME] keys */

static const char *const visibilities[] = {"public", "private"};

static int parse_visibility(struct load *ld, const char *v, char *why, size_t n)
{
    int w;
    if (word(v, visibilities, 2, &w, why, n, "public or private")) return RS_EINPUT;
    ld->sc->channels[ld->inst].visibility = w == 0 ? RS_PUBLIC : RS_PRIVATE;
    return RS_OK;
}

static int put_visibility(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    snprintf(buf, n, "%s", sc->channels[i].visibility == RS_PRIVATE ? "private" : "public");
    return 1;
}

static int parse_rate(struct load *ld, const char *v, char *why, size_t n)
{
    return rs_units_rate(v, &ld->sc->channels[ld->inst].rate_per_s, why, n);
}
/* ------------------------------------------------ [type NAME] keys */

static const char *const yes_no[] = {"no", "yes"};

static int parse_reply(struct load *ld, const char *v, char *why, size_t n)
{
    return word(v, yes_no, 2, &ld->sc->types[ld->inst].needs_reply, why, n, "yes or no");
}

static int put_reply(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    snprintf(buf, n, "%s", sc->types[i].needs_reply ? "yes" : "no");
    return 1;
}

static int parse_handle(struct load *ld, const char *v, char *why, size_t n)
{
    return rs_dist_parse(v, RS_DIST_DURATION, 0, &ld->sc->types[ld->inst].handle, why, n);
}

static int put_handle(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    rs_dist_format(&sc->types[i].handle, RS_DIST_DURATION, buf, n);
    return 1;
}

static int parse_patience(struct load *ld, const char *v, char *why, size_t n)
{
    return rs_dist_parse(v, RS_DIST_DURATION, 1, &ld->sc->types[ld->inst].patience, why, n);
}

static int put_patience(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    rs_dist_format(&sc->types[i].patience, RS_DIST_DURATION, buf, n);
    return 1;
}

/* ------------------------------------------------ [staff] and [policy] keys */

static int parse_agents(struct load *ld, const char *v, char *why, size_t n)
{
    long a;
    if (rs_units_int(v, 0, INT_MAX, &a, why, n)) return RS_EINPUT;
    ld->sc->agents = (int)a;
    return RS_OK;
}

/* Policies are known by name from their table (sim/policy.c), so a new
 * policy needs no change here. */
static int parse_order(struct load *ld, const char *v, char *why, size_t n)
{
    if (!rs_policy_find(v)) {
        rs_error_why(why, n, "expected one of %s, got \"%s\"", rs_policy_names(), v);
        return RS_EINPUT;
    }
    snprintf(ld->sc->order, sizeof ld->sc->order, "%s", v);
    return RS_OK;
}

static int put_order(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    snprintf(buf, n, "%s", sc->order);
    return 1;
}

static const char *const abandons[] = {"stay", "leave"};

static int parse_abandon(struct load *ld, const char *v, char *why, size_t n)
{
    int w;
    if (word(v, abandons, 2, &w, why, n, "stay or leave")) return RS_EINPUT;
    ld->sc->abandon = w == 0 ? RS_ABANDON_STAY : RS_ABANDON_LEAVE;
    return RS_OK;
}

static int put_abandon(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    snprintf(buf, n, "%s", sc->abandon == RS_ABANDON_LEAVE ? "leave" : "stay");
    return 1;
}

static int parse_inbox_limit(struct load *ld, const char *v, char *why, size_t n)
{
    long l;
    if (strcmp(v, "none") == 0) {
        ld->sc->inbox_limit = 0;
        return RS_OK;
    }
    if (rs_units_int(v, 1, LONG_MAX, &l, why, n)) {
        rs_error_why(why, n, "expected a whole number >= 1 or none, got \"%s\"", v);
        return RS_EINPUT;
    }
    ld->sc->inbox_limit = l;
    return RS_OK;
}

static int put_inbox_limit(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    if (sc->inbox_limit == 0)
        snprintf(buf, n, "none");
    else
        snprintf(buf, n, "%ld", sc->inbox_limit);
    return 1;
}

/* ------------------------------------------------ keys of later issues */

/* Read by the first pass of each file (see read_file()); nothing to do here. */
static int parse_include(struct load *ld, const char *v, char *why, size_t n)
{
    (void)ld, (void)v, (void)why, (void)n;
    return RS_OK;
}

/* The resolved scenario is flat: include is never written back. */
static int put_none(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)sc, (void)i, (void)buf, (void)n;
    return 0;
}

static int parse_nonneg(const char *v, double *out, char *why, size_t n)
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

static void put_number(double x, char *buf, size_t n)
{
    rs_units_format_number(x, buf, n);
}

/* "a, b, c" of the names whose bits are set in mask. */
static void put_names(const char *(*name_of)(const struct rs_scenario *, int),
                      const struct rs_scenario *sc, int count, uint32_t mask, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < count && i < 32 && used < n; i++)
        if (mask & (UINT32_C(1) << i))
            used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "",
                                     name_of(sc, i));
}

static void put_mix_of(const struct rs_scenario *sc, const double *mix, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int t = 0; t < sc->n_types && used < n; t++) {
        char x[64];
        rs_units_format_number(mix[t], x, sizeof x);
        used += (size_t)snprintf(buf + used, n - used, "%s%s:%s", t ? ", " : "",
                                 sc->types[t].name, x);
    }
}

/* Days "mon-fri", "sat, sun", "mon, wed-fri", "fri-mon" (ranges wrap). */
struct days_ctx {
    unsigned days;
};

static int day_range(const char *item, unsigned *days, char *why, size_t n)
{
    char a[MAX_LINE + 1], b[MAX_LINE + 1];
    const char *dash = strchr(item, '-');
    int d0, d1;
    copy_trim(item, dash ? (size_t)(dash - item) : strlen(item), a, sizeof a);
    if (dash) copy_trim(dash + 1, strlen(dash + 1), b, sizeof b);
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
    struct days_ctx *c = ctx;
    unsigned d = 0;
    if (day_range(item, &d, why, n)) return RS_EINPUT;
    if (c->days & d) {
        rs_error_why(why, n, "expected each day once, got \"%s\" again", item);
        return RS_EINPUT;
    }
    c->days |= d;
    return RS_OK;
}

static int parse_days(const char *v, unsigned *out, char *why, size_t n)
{
    struct days_ctx c = {0};
    if (v[0] == '\0') {
        rs_error_why(why, n, "expected days such as mon-fri or sat, sun");
        return RS_EINPUT;
    }
    if (for_each_item(v, days_item, &c, why, n)) return RS_EINPUT;
    *out = c.days;
    return RS_OK;
}

/* Runs of three or more days as ranges: "mon-fri, sun". */
static void put_days(unsigned days, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int d = 0; d < 7 && used < n;) {
        if (!(days & (1u << d))) {
            d++;
            continue;
        }
        int e = d;
        while (e + 1 < 7 && (days & (1u << (e + 1)))) e++;
        if (e - d >= 2) {
            used += (size_t)snprintf(buf + used, n - used, "%s%s-%s", used ? ", " : "",
                                     weekdays[d], weekdays[e]);
        } else {
            for (int k = d; k <= e && used < n; k++)
                used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "",
                                         weekdays[k]);
        }
        d = e + 1;
    }
}

static void put_clock(double s, char *buf, size_t n)
{
    long min = lround(s / 60.0);
    snprintf(buf, n, "%02ld:%02ld", min / 60, min % 60);
}

/* [channel NAME] */

static int put_rate_unless_trace(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    if (sc->channels[i].trace.n > 0) return 0; /* rate and trace exclude each other */
    rs_units_format_rate(sc->channels[i].rate_per_s, buf, n);
    return 1;
}

static int put_profile(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    if (sc->channels[i].profile.n == 0) return 0;
    snprintf(buf, n, "%s", sc->channels[i].profile.path);
    return 1;
}

static int parse_dispersion(struct load *ld, const char *v, char *why, size_t n)
{
    return parse_nonneg(v, &ld->sc->channels[ld->inst].dispersion, why, n);
}

static int put_dispersion(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    put_number(sc->channels[i].dispersion, buf, n);
    return 1;
}

static int put_mix(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    put_mix_of(sc, sc->channels[i].mix, buf, n);
    return 1;
}

static int put_trace(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    if (sc->channels[i].trace.n == 0) return 0;
    snprintf(buf, n, "%s", sc->channels[i].trace.path);
    return 1;
}

/* [burst NAME] */

static int put_burst_channel(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    int c = sc->bursts[i].channel;
    snprintf(buf, n, "%s", c >= 0 && c < sc->n_channels ? sc->channels[c].name : "?");
    return 1;
}

static int parse_burst_at(struct load *ld, const char *v, char *why, size_t n)
{
    return rs_units_duration(v, &ld->sc->bursts[ld->inst].at_s, why, n);
}

static int put_burst_at(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    rs_units_format_duration(sc->bursts[i].at_s, buf, n);
    return 1;
}

static int parse_burst_rate(struct load *ld, const char *v, char *why, size_t n)
{
    return rs_units_rate(v, &ld->sc->bursts[ld->inst].rate_per_s, why, n);
}

static int put_burst_rate(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    rs_units_format_rate(sc->bursts[i].rate_per_s, buf, n);
    return 1;
}

static int parse_half_life(struct load *ld, const char *v, char *why, size_t n)
{
    return rs_units_duration(v, &ld->sc->bursts[ld->inst].half_life_s, why, n);
}

static int put_half_life(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    rs_units_format_duration(sc->bursts[i].half_life_s, buf, n);
    return 1;
}

static int put_burst_mix(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    put_mix_of(sc, sc->bursts[i].mix, buf, n);
    return 1;
}

/* [type NAME] */

static int parse_followup(struct load *ld, const char *v, char *why, size_t n)
{
    return rs_units_prob(v, &ld->sc->types[ld->inst].followup, why, n);
}

static int put_followup(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    put_number(sc->types[i].followup, buf, n);
    return 1;
}

static int parse_switch(struct load *ld, const char *v, char *why, size_t n)
{
    return rs_units_prob(v, &ld->sc->types[ld->inst].switch_p, why, n);
}

static int put_switch(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    put_number(sc->types[i].switch_p, buf, n);
    return 1;
}

static int put_switch_to(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    int c = sc->types[i].switch_to;
    if (c < 0 || c >= sc->n_channels) return 0;
    snprintf(buf, n, "%s", sc->channels[c].name);
    return 1;
}

static int parse_priority(struct load *ld, const char *v, char *why, size_t n)
{
    long p;
    if (rs_units_int(v, INT_MIN, INT_MAX, &p, why, n)) return RS_EINPUT;
    ld->sc->types[ld->inst].priority = (int)p;
    return RS_OK;
}

static int put_priority(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    snprintf(buf, n, "%d", sc->types[i].priority);
    return 1;
}

static int parse_value(struct load *ld, const char *v, char *why, size_t n)
{
    return parse_nonneg(v, &ld->sc->types[ld->inst].value, why, n);
}

static int put_value(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    put_number(sc->types[i].value, buf, n);
    return 1;
}

static int parse_followers(struct load *ld, const char *v, char *why, size_t n)
{
    return rs_dist_parse(v, RS_DIST_UNITLESS, 0, &ld->sc->types[ld->inst].followers, why, n);
}

static int put_followers(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    rs_dist_format(&sc->types[i].followers, RS_DIST_UNITLESS, buf, n);
    return 1;
}

/* [staff] */

static int put_agents_unless_schedule(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    if (sc->schedule.n > 0) return 0; /* agents and schedule exclude each other */
    snprintf(buf, n, "%d", sc->agents);
    return 1;
}

static int put_schedule(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    if (sc->schedule.n == 0) return 0;
    snprintf(buf, n, "%s", sc->schedule.path);
    return 1;
}

static int parse_concurrency(struct load *ld, const char *v, char *why, size_t n)
{
    long c;
    if (rs_units_int(v, 1, INT_MAX, &c, why, n)) return RS_EINPUT;
    ld->sc->concurrency = (int)c;
    return RS_OK;
}

static int put_concurrency(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    snprintf(buf, n, "%d", sc->concurrency);
    return 1;
}

static const char *const shift_ends[] = {"finish", "handoff"};

static int parse_shift_end(struct load *ld, const char *v, char *why, size_t n)
{
    int w;
    if (word(v, shift_ends, 2, &w, why, n, "finish or handoff")) return RS_EINPUT;
    ld->sc->shift_end = w == 0 ? RS_SHIFT_FINISH : RS_SHIFT_HANDOFF;
    return RS_OK;
}

static int put_shift_end(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    snprintf(buf, n, "%s", sc->shift_end == RS_SHIFT_HANDOFF ? "handoff" : "finish");
    return 1;
}

/* [shift NAME] */

static int parse_shift_days(struct load *ld, const char *v, char *why, size_t n)
{
    return parse_days(v, &ld->sc->shifts[ld->inst].days, why, n);
}

static int put_shift_days(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    put_days(sc->shifts[i].days, buf, n);
    return 1;
}

static int parse_shift_start(struct load *ld, const char *v, char *why, size_t n)
{
    double c;
    if (rs_units_clock(v, &c, why, n)) return RS_EINPUT;
    if (c >= 86400) {
        rs_error_why(why, n, "expected a clock time from 00:00 to 23:59, got \"%s\"", v);
        return RS_EINPUT;
    }
    ld->sc->shifts[ld->inst].start_clock_s = c;
    return RS_OK;
}

static int put_shift_start(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    put_clock(sc->shifts[i].start_clock_s, buf, n);
    return 1;
}

static int parse_shift_length(struct load *ld, const char *v, char *why, size_t n)
{
    return rs_units_duration(v, &ld->sc->shifts[ld->inst].length_s, why, n);
}

static int put_shift_length(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    rs_units_format_duration(sc->shifts[i].length_s, buf, n);
    return 1;
}

static int parse_shift_agents(struct load *ld, const char *v, char *why, size_t n)
{
    long a;
    if (rs_units_int(v, 0, INT_MAX, &a, why, n)) return RS_EINPUT;
    ld->sc->shifts[ld->inst].agents = (int)a;
    return RS_OK;
}

static int put_shift_agents(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    snprintf(buf, n, "%d", sc->shifts[i].agents);
    return 1;
}

static const char *channel_name(const struct rs_scenario *sc, int i);
static const char *type_name(const struct rs_scenario *sc, int i);

static int put_shift_channels(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    put_names(channel_name, sc, sc->n_channels, sc->shifts[i].channels, buf, n);
    return 1;
}

static int parse_shift_break(struct load *ld, const char *v, char *why, size_t n)
{
    return rs_units_duration(v, &ld->sc->shifts[ld->inst].break_s, why, n);
}

static int put_shift_break(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    rs_units_format_duration(sc->shifts[i].break_s, buf, n);
    return 1;
}

/* [policy] */

static const char *const weight_names[] = {"age", "priority", "influence", "public", "deadline"};

struct weights_ctx {
    double w[5];
    int seen[5];
};

static int weights_item(void *ctx, const char *item, char *why, size_t n)
{
    struct weights_ctx *c = ctx;
    char name[MAX_LINE + 1];
    const char *colon = strchr(item, ':');
    if (!colon) {
        rs_error_why(why, n, "expected name:weight such as priority:60, got \"%s\"", item);
        return RS_EINPUT;
    }
    copy_trim(item, (size_t)(colon - item), name, sizeof name);
    int k;
    if (word(name, weight_names, 5, &k, why, n, "a weight age, priority, influence, public or deadline"))
        return RS_EINPUT;
    if (c->seen[k]) {
        rs_error_why(why, n, "expected each weight once, got \"%s\" twice", name);
        return RS_EINPUT;
    }
    c->seen[k] = 1;
    return parse_nonneg(colon + 1, &c->w[k], why, n);
}

static int parse_weights(struct load *ld, const char *v, char *why, size_t n)
{
    struct weights_ctx c = {{1, 60, 5, 30, 2}, {0}};
    if (v[0] == '\0') {
        rs_error_why(why, n, "expected weights such as age:1, priority:60");
        return RS_EINPUT;
    }
    if (for_each_item(v, weights_item, &c, why, n)) return RS_EINPUT;
    struct rs_weights *w = &ld->sc->weights;
    w->age = c.w[0];
    w->priority = c.w[1];
    w->influence = c.w[2];
    w->public_ = c.w[3];
    w->deadline = c.w[4];
    return RS_OK;
}

static int put_weights(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    const struct rs_weights *w = &sc->weights;
    double x[5] = {w->age, w->priority, w->influence, w->public_, w->deadline};
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < 5 && used < n; k++) {
        char s[64];
        rs_units_format_number(x[k], s, sizeof s);
        used += (size_t)snprintf(buf + used, n - used, "%s%s:%s", k ? ", " : "", weight_names[k], s);
    }
    return 1;
}

static int parse_max_age(struct load *ld, const char *v, char *why, size_t n)
{
    double s;
    if (strcmp(v, "none") == 0) {
        ld->sc->max_age_s = 0;
        return RS_OK;
    }
    if (rs_units_duration(v, &s, why, n) || !(s > 0)) {
        rs_error_why(why, n, "expected a duration > 0 such as 2d, or none, got \"%s\"", v);
        return RS_EINPUT;
    }
    ld->sc->max_age_s = s;
    return RS_OK;
}

static int put_max_age(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    if (sc->max_age_s == 0)
        snprintf(buf, n, "none");
    else
        rs_units_format_duration(sc->max_age_s, buf, n);
    return 1;
}

struct hours_ctx {
    int n;
    struct rs_hours_span s[RS_MAX_HOURS];
};

/* One item "DAYS HH:MM-HH:MM" (DAYS a day or a range; none: every day). */
static int hours_item(void *ctx, const char *item, char *why, size_t n)
{
    struct hours_ctx *c = ctx;
    char days_text[MAX_LINE + 1], a[MAX_LINE + 1], b[MAX_LINE + 1];
    const char *clock = strrchr(item, ' ');
    clock = clock ? clock + 1 : item;
    copy_trim(item, (size_t)(clock - item), days_text, sizeof days_text);
    const char *dash = strchr(clock, '-');
    if (!dash) {
        rs_error_why(why, n, "expected days and hours such as mon-fri 09:00-17:00, got \"%s\"",
                     item);
        return RS_EINPUT;
    }
    copy_trim(clock, (size_t)(dash - clock), a, sizeof a);
    copy_trim(dash + 1, strlen(dash + 1), b, sizeof b);
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

static int parse_hours(struct load *ld, const char *v, char *why, size_t n)
{
    struct hours_ctx c = {0};
    if (strcmp(v, "always") == 0) {
        ld->sc->n_hours = 0;
        return RS_OK;
    }
    if (v[0] == '\0') {
        rs_error_why(why, n, "expected hours such as mon-fri 09:00-17:00, or always");
        return RS_EINPUT;
    }
    if (for_each_item(v, hours_item, &c, why, n)) return RS_EINPUT;
    for (int i = 1; i < c.n; i++) /* sorted by start */
        for (int j = i; j > 0 && c.s[j - 1].from_s > c.s[j].from_s; j--) {
            struct rs_hours_span t = c.s[j];
            c.s[j] = c.s[j - 1];
            c.s[j - 1] = t;
        }
    for (int i = 0; i < c.n; i++) {
        /* the last span may run past sunday midnight into the first */
        const struct rs_hours_span *p = &c.s[i], *q = &c.s[(i + 1) % c.n];
        double next = i + 1 < c.n ? q->from_s : q->from_s + RS_WEEK_S;
        if (c.n > 1 && p->to_s > next) {
            char x[32], y[32];
            put_clock(fmod(p->from_s, 86400), x, sizeof x);
            put_clock(fmod(q->from_s, 86400), y, sizeof y);
            rs_error_why(why, n, "expected spans that do not overlap, got %s %s and %s %s overlapping",
                         weekdays[(int)(p->from_s / 86400) % 7], x,
                         weekdays[(int)(q->from_s / 86400) % 7], y);
            return RS_EINPUT;
        }
    }
    ld->sc->n_hours = c.n;
    memcpy(ld->sc->hours, c.s, sizeof c.s);
    return RS_OK;
}

/* Consecutive days with the same hours as one range: "mon-fri 09:00-17:00". */
static int put_hours(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    size_t used = 0;
    buf[0] = '\0';
    if (sc->n_hours == 0) {
        snprintf(buf, n, "always");
        return 1;
    }
    for (int k = 0; k < sc->n_hours && used < n;) {
        const struct rs_hours_span *s = &sc->hours[k];
        int d = (int)floor(s->from_s / 86400);
        double from = s->from_s - d * 86400.0, len = s->to_s - s->from_s;
        int e = k;
        while (e + 1 < sc->n_hours && sc->hours[e + 1].from_s == sc->hours[e].from_s + 86400 &&
               sc->hours[e + 1].to_s - sc->hours[e + 1].from_s == len)
            e++;
        char x[32], y[32], days[32];
        double to = from + len;
        put_clock(from, x, sizeof x);
        if (to == 86400)
            snprintf(y, sizeof y, "24:00");
        else
            put_clock(fmod(to, 86400), y, sizeof y);
        if (e > k)
            snprintf(days, sizeof days, "%s-%s", weekdays[d % 7], weekdays[(d + e - k) % 7]);
        else
            snprintf(days, sizeof days, "%s", weekdays[d % 7]);
        used += (size_t)snprintf(buf + used, n - used, "%s%s %s-%s", used ? ", " : "", days, x, y);
        k = e + 1;
    }
    return 1;
}

static int parse_autoack(struct load *ld, const char *v, char *why, size_t n)
{
    double f;
    if (strcmp(v, "none") == 0) {
        ld->sc->autoack = 0;
        return RS_OK;
    }
    if (rs_units_number(v, &f, why, n) || !(f >= 1)) {
        rs_error_why(why, n, "expected a factor >= 1 such as 1.5, or none, got \"%s\"", v);
        return RS_EINPUT;
    }
    ld->sc->autoack = f;
    return RS_OK;
}

static int put_autoack(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    if (sc->autoack == 0)
        snprintf(buf, n, "none");
    else
        put_number(sc->autoack, buf, n);
    return 1;
}

static int parse_bot(struct load *ld, const char *v, char *why, size_t n)
{
    return rs_units_prob(v, &ld->sc->bot, why, n);
}

static int put_bot(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    put_number(sc->bot, buf, n);
    return 1;
}

static int put_bot_types(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    if (sc->bot_types == 0) return 0;
    put_names(type_name, sc, sc->n_types, sc->bot_types, buf, n);
    return 1;
}

/* [outcome]: the outcome model's parameters (OUTCOMES.md); complaint_types
 * names types that may come later, so it is kept and read in finish(). */

static int parse_tau(struct load *ld, const char *v, char *why, size_t n)
{
    double x;
    if (rs_units_duration(v, &x, why, n)) return RS_EINPUT;
    if (!(x > 0)) {
        rs_error_why(why, n, "expected a duration > 0 such as 12m, got \"%s\"", v);
        return RS_EINPUT;
    }
    ld->sc->outcome.tau_s = x;
    return RS_OK;
}

static int put_tau(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    rs_units_format_duration(sc->outcome.tau_s, buf, n);
    return 1;
}

/* A parse and a put for each number of [outcome]: check is rs_units_prob
 * (a probability) or parse_nonneg (a number >= 0). */
#define OUTCOME_NUMBER(field, check)                                                               \
    static int parse_##field(struct load *ld, const char *v, char *why, size_t n)                 \
    {                                                                                              \
        return check(v, &ld->sc->outcome.field, why, n);                                           \
    }                                                                                              \
    static int put_##field(const struct rs_scenario *sc, int i, char *buf, size_t n)               \
    {                                                                                              \
        (void)i;                                                                                   \
        put_number(sc->outcome.field, buf, n);                                                     \
        return 1;                                                                                  \
    }

OUTCOME_NUMBER(phi, rs_units_prob)
OUTCOME_NUMBER(recommend_p1, rs_units_prob)
OUTCOME_NUMBER(recommend_p0, rs_units_prob)
OUTCOME_NUMBER(spend_s, parse_nonneg)
OUTCOME_NUMBER(spend_cap, parse_nonneg)
OUTCOME_NUMBER(defect_d, rs_units_prob)
OUTCOME_NUMBER(defect_kappa, rs_units_prob)
OUTCOME_NUMBER(negative_a, rs_units_prob)
OUTCOME_NUMBER(positive_b, rs_units_prob)
OUTCOME_NUMBER(onlooker_less, rs_units_prob)
OUTCOME_NUMBER(onlooker_delta, rs_units_prob)
OUTCOME_NUMBER(onlooker_purchase, rs_units_prob)

/* The complaint types that count: the default (RS_OUTCOME_REPLY_TYPES) is
 * every type that needs a reply, and a type that needs none has no inbox
 * messages, so it never counts.  Writing and comparing use this, so the
 * default and its names written out are the same scenario. */
static uint32_t complaint_mask(const struct rs_scenario *sc)
{
    uint32_t m = 0;
    for (int t = 0; t < sc->n_types && t < 32; t++)
        if (sc->types[t].needs_reply && (sc->outcome.complaint_types >> t & 1u))
            m |= UINT32_C(1) << t;
    return m;
}

static int put_complaint_types(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    uint32_t m = complaint_mask(sc);
    if (m == 0)
        snprintf(buf, n, "none");
    else
        put_names(type_name, sc, sc->n_types, m, buf, n);
    return 1;
}

/* ------------------------------------------------ the tables */

static const struct key_def scenario_keys[] = {
    {"name", 0, parse_name, put_name},
    {"horizon", 1, parse_horizon, put_horizon},
    {"warmup", 0, parse_warmup, put_warmup},
    {"drain", 0, parse_drain, put_drain},
    {"interval", 0, parse_interval, put_interval},
    {"replications", 0, parse_replications, put_replications},
    {"seed", 0, parse_seed, put_seed},
    {"start", 0, parse_start, put_start},
    {"within", 0, parse_within, put_within},
    {"include", 0, parse_include, put_none},
};

/* rate is required unless trace is given: see finish(). */
static const struct key_def channel_keys[] = {
    {"visibility", 0, parse_visibility, put_visibility},
    {"rate", 0, parse_rate, put_rate_unless_trace},
    {"profile", 0, NULL, put_profile},
    {"dispersion", 0, parse_dispersion, put_dispersion},
    {"mix", 0, NULL, put_mix},
    {"trace", 0, NULL, put_trace},
};

static const struct key_def burst_keys[] = {
    {"channel", 1, NULL, put_burst_channel},
    {"at", 1, parse_burst_at, put_burst_at},
    {"rate", 1, parse_burst_rate, put_burst_rate},
    {"half_life", 1, parse_half_life, put_half_life},
    {"mix", 0, NULL, put_burst_mix},
};

/* handle is required only when reply = yes: see finish(). */
static const struct key_def type_keys[] = {
    {"reply", 0, parse_reply, put_reply},
    {"handle", 0, parse_handle, put_handle},
    {"patience", 0, parse_patience, put_patience},
    {"followup", 0, parse_followup, put_followup},
    {"switch", 0, parse_switch, put_switch},
    {"switch_to", 0, NULL, put_switch_to},
    {"priority", 0, parse_priority, put_priority},
    {"value", 0, parse_value, put_value},
    {"followers", 0, parse_followers, put_followers},
};

/* agents or schedule, or [shift] sections: see finish(). */
static const struct key_def staff_keys[] = {
    {"agents", 0, parse_agents, put_agents_unless_schedule},
    {"schedule", 0, NULL, put_schedule},
    {"concurrency", 0, parse_concurrency, put_concurrency},
    {"shift_end", 0, parse_shift_end, put_shift_end},
};

static const struct key_def shift_keys[] = {
    {"days", 1, parse_shift_days, put_shift_days},
    {"start", 1, parse_shift_start, put_shift_start},
    {"length", 1, parse_shift_length, put_shift_length},
    {"agents", 1, parse_shift_agents, put_shift_agents},
    {"channels", 0, NULL, put_shift_channels},
    {"break", 0, parse_shift_break, put_shift_break},
};

static const struct key_def policy_keys[] = {
    {"order", 0, parse_order, put_order},
    {"weights", 0, parse_weights, put_weights},
    {"abandon", 0, parse_abandon, put_abandon},
    {"max_age", 0, parse_max_age, put_max_age},
    {"hours", 0, parse_hours, put_hours},
    {"inbox_limit", 0, parse_inbox_limit, put_inbox_limit},
    {"autoack", 0, parse_autoack, put_autoack},
    {"bot", 0, parse_bot, put_bot},
    {"bot_types", 0, NULL, put_bot_types},
};

static const struct key_def outcome_keys[] = {
    {"tau", 0, parse_tau, put_tau},
    {"phi", 0, parse_phi, put_phi},
    {"recommend_p1", 0, parse_recommend_p1, put_recommend_p1},
    {"recommend_p0", 0, parse_recommend_p0, put_recommend_p0},
    {"spend_s", 0, parse_spend_s, put_spend_s},
    {"spend_cap", 0, parse_spend_cap, put_spend_cap},
    {"defect_d", 0, parse_defect_d, put_defect_d},
    {"defect_kappa", 0, parse_defect_kappa, put_defect_kappa},
    {"negative_a", 0, parse_negative_a, put_negative_a},
    {"positive_b", 0, parse_positive_b, put_positive_b},
    {"onlooker_less", 0, parse_onlooker_less, put_onlooker_less},
    {"onlooker_delta", 0, parse_onlooker_delta, put_onlooker_delta},
    {"onlooker_purchase", 0, parse_onlooker_purchase, put_onlooker_purchase},
    {"complaint_types", 0, NULL, put_complaint_types},
};

static int add_channel(struct rs_scenario *sc, const char *name, int line)
{
    struct rs_channel_cfg *c = &sc->channels[sc->n_channels];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->visibility = RS_PUBLIC;
    c->line = line;
    return sc->n_channels++;
}

static int add_type(struct rs_scenario *sc, const char *name, int line)
{
    struct rs_type_cfg *t = &sc->types[sc->n_types];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->needs_reply = 1;
    t->handle = rs_dist_const(0); /* stays when reply = no and no handle is given */
    t->patience = rs_dist_never();
    t->switch_to = -1;
    t->followers = rs_dist_const(0);
    t->line = line;
    return sc->n_types++;
}

static int add_burst(struct rs_scenario *sc, const char *name, int line)
{
    struct rs_burst_cfg *b = &sc->bursts[sc->n_bursts];
    memset(b, 0, sizeof *b);
    snprintf(b->name, sizeof b->name, "%s", name);
    b->channel = -1;
    b->line = line;
    return sc->n_bursts++;
}

static int add_shift(struct rs_scenario *sc, const char *name, int line)
{
    struct rs_shift_cfg *s = &sc->shifts[sc->n_shifts];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    s->line = line;
    return sc->n_shifts++;
}

static int count_one(const struct rs_scenario *sc)
{
    (void)sc;
    return 1;
}

static int count_channels(const struct rs_scenario *sc)
{
    return sc->n_channels;
}

static int count_types(const struct rs_scenario *sc)
{
    return sc->n_types;
}

static int count_bursts(const struct rs_scenario *sc)
{
    return sc->n_bursts;
}

static int count_shifts(const struct rs_scenario *sc)
{
    return sc->n_shifts;
}

static const char *channel_name(const struct rs_scenario *sc, int i)
{
    return sc->channels[i].name;
}

static const char *type_name(const struct rs_scenario *sc, int i)
{
    return sc->types[i].name;
}

static const char *burst_name(const struct rs_scenario *sc, int i)
{
    return sc->bursts[i].name;
}

static const char *shift_name(const struct rs_scenario *sc, int i)
{
    return sc->shifts[i].name;
}

#define KEYS(t) t, (int)(sizeof t / sizeof t[0])

/* Written back in this order: channels before the bursts and types that
 * name them, as a reader would expect. */
enum {
    SEC_SCENARIO, SEC_CHANNEL, SEC_BURST, SEC_TYPE, SEC_STAFF, SEC_SHIFT, SEC_POLICY, SEC_OUTCOME,
    N_SECTIONS
};

static const struct section_def sections[N_SECTIONS] = {
    [SEC_SCENARIO] = {"scenario", 0, 1, 1, KEYS(scenario_keys), NULL, count_one, NULL,
                      "[scenario] with horizon = 7d"},
    [SEC_CHANNEL] = {"channel", 1, 1, RS_MAX_CHANNELS, KEYS(channel_keys), add_channel,
                     count_channels, channel_name, "[channel NAME] with rate = 6/h"},
    [SEC_BURST] = {"burst", 1, 0, RS_MAX_BURSTS, KEYS(burst_keys), add_burst, count_bursts,
                   burst_name, ""},
    [SEC_TYPE] = {"type", 1, 1, RS_MAX_TYPES, KEYS(type_keys), add_type, count_types, type_name,
                  "[type NAME] with handle = exponential(mean=5m)"},
    [SEC_STAFF] = {"staff", 0, 0, 1, KEYS(staff_keys), NULL, count_one, NULL,
                   "[staff] with agents = 2"},
    [SEC_SHIFT] = {"shift", 1, 0, RS_MAX_SHIFTS, KEYS(shift_keys), add_shift, count_shifts,
                   shift_name, ""},
    [SEC_POLICY] = {"policy", 0, 0, 1, KEYS(policy_keys), NULL, count_one, NULL, ""},
    [SEC_OUTCOME] = {"outcome", 0, 0, 1, KEYS(outcome_keys), NULL, count_one, NULL, ""},
};

_Static_assert(N_SECTIONS <= MAX_KINDS, "struct load holds MAX_KINDS section kinds");
_Static_assert(RS_MAX_CHANNELS <= MAX_INST && RS_MAX_TYPES <= MAX_INST &&
                   RS_MAX_BURSTS <= MAX_INST && RS_MAX_SHIFTS <= MAX_INST,
               "MAX_INST too small");
_Static_assert(RS_MAX_CHANNELS <= 32 && RS_MAX_TYPES <= 32, "bit masks hold 32");

static int key_index(int kind, const char *name)
{
    const struct section_def *s = &sections[kind];
    for (int k = 0; k < s->n_keys; k++)
        if (strcmp(s->keys[k].name, name) == 0) return k;
    return -1;
}

static void section_label(const struct rs_scenario *sc, int kind, int i, char *buf, size_t n)
{
    if (sections[kind].named)
        snprintf(buf, n, "[%s %s]", sections[kind].kind, sections[kind].name_of(sc, i));
    else
        snprintf(buf, n, "[%s]", sections[kind].kind);
}

/* ------------------------------------------------ defaults, lookups */

void rs_scenario_defaults(struct rs_scenario *sc)
{
    static const double within[] = {15 * 60, 30 * 60, 3600, 4 * 3600, 24 * 3600};
    memset(sc, 0, sizeof *sc);
    snprintf(sc->name, sizeof sc->name, "scenario");
    sc->warmup_s = 0;
    sc->drain_s = 86400;
    sc->interval_s = 3600;
    sc->start_day = 0;
    sc->start_clock_s = 0;
    sc->replications = 10;
    sc->seed = 1;
    sc->n_within = (int)(sizeof within / sizeof within[0]);
    memcpy(sc->within_s, within, sizeof within);
    sc->agents = 0;
    sc->concurrency = 1;
    sc->shift_end = RS_SHIFT_FINISH;
    snprintf(sc->order, sizeof sc->order, "fifo");
    sc->weights = (struct rs_weights){.age = 1, .priority = 60, .influence = 5, .public_ = 30,
                                      .deadline = 2};
    sc->abandon = RS_ABANDON_STAY;
    sc->max_age_s = 0;
    sc->n_hours = 0;
    sc->inbox_limit = 0;
    sc->autoack = 0;
    sc->bot = 0;
    sc->bot_types = 0;
    rs_outcome_defaults(&sc->outcome);
}

int rs_scenario_channel(const struct rs_scenario *sc, const char *name)
{
    for (int i = 0; i < sc->n_channels; i++)
        if (strcmp(sc->channels[i].name, name) == 0) return i;
    return -1;
}

int rs_scenario_type(const struct rs_scenario *sc, const char *name)
{
    for (int i = 0; i < sc->n_types; i++)
        if (strcmp(sc->types[i].name, name) == 0) return i;
    return -1;
}

static void series_free(struct rs_series *s)
{
    free(s->t_s);
    free(s->value);
    s->t_s = s->value = NULL;
    s->n = 0;
}

static void trace_free(struct rs_trace *t)
{
    free(t->t_s);
    free(t->type);
    free(t->followers);
    free(t->handle_s);
    t->t_s = t->followers = t->handle_s = NULL;
    t->type = NULL;
    t->n = 0;
}

void rs_scenario_destroy(struct rs_scenario *sc)
{
    if (!sc) return;
    for (int i = 0; i < sc->n_channels && i < RS_MAX_CHANNELS; i++) {
        series_free(&sc->channels[i].profile);
        trace_free(&sc->channels[i].trace);
    }
    series_free(&sc->schedule);
    free(sc);
}

/* ------------------------------------------------ rules */

/* File and line to blame for key of section (kind, i): where the loader saw
 * the key, else the section header (the section's line for scenarios built
 * in code). */
static int line_of(const struct rs_scenario *sc, const struct load *ld, int kind, int i,
                   const char *key, const char **file)
{
    int k = key ? key_index(kind, key) : -1;
    if (ld && k >= 0 && ld->key_line[kind][i][k]) {
        *file = ld->files[ld->key_file[kind][i][k]];
        return ld->key_line[kind][i][k];
    }
    if (ld && i < ld->n_inst[kind]) {
        *file = ld->files[ld->sec_file[kind][i]];
        return ld->sec_line[kind][i];
    }
    *file = ld ? ld->files[0] : sc->path;
    if (ld) return 0;
    if (kind == SEC_CHANNEL) return sc->channels[i].line;
    if (kind == SEC_TYPE) return sc->types[i].line;
    if (kind == SEC_BURST) return sc->bursts[i].line;
    if (kind == SEC_SHIFT) return sc->shifts[i].line;
    return 0;
}

struct checker {
    const struct rs_scenario *sc;
    const struct load *ld;
    struct rs_error *err;
    const char *file;
};

static int fail(const struct checker *ck, int kind, int i, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail(const struct checker *ck, int kind, int i, const char *key, const char *fmt, ...)
{
    char msg[WHY_LEN];
    const char *file;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = line_of(ck->sc, ck->ld, kind, i, key, &file);
    return rs_error_input(ck->err, file, line, key, "%s", msg);
}

static int check_scenario(const struct checker *ck)
{
    const struct rs_scenario *sc = ck->sc;
    char why[WHY_LEN], a[64], b[64];
    if (check_name(sc->name, why, sizeof why)) return fail(ck, SEC_SCENARIO, 0, "name", "%s", why);
    if (!(isfinite(sc->horizon_s) && sc->horizon_s > 0))
        return fail(ck, SEC_SCENARIO, 0, "horizon", "expected a duration > 0");
    if (!(isfinite(sc->warmup_s) && sc->warmup_s >= 0))
        return fail(ck, SEC_SCENARIO, 0, "warmup", "expected a duration >= 0");
    if (!(sc->warmup_s < sc->horizon_s)) {
        rs_units_format_duration(sc->warmup_s, a, sizeof a);
        rs_units_format_duration(sc->horizon_s, b, sizeof b);
        return fail(ck, SEC_SCENARIO, 0, "warmup", "expected less than the horizon (%s), got %s", b,
                    a);
    }
    if (!(isfinite(sc->drain_s) && sc->drain_s >= 0))
        return fail(ck, SEC_SCENARIO, 0, "drain", "expected a duration >= 0");
    if (!(isfinite(sc->interval_s) && sc->interval_s > 0))
        return fail(ck, SEC_SCENARIO, 0, "interval", "expected a duration > 0");
    if (sc->replications < 1)
        return fail(ck, SEC_SCENARIO, 0, "replications", "expected a whole number >= 1");
    /* Whole minutes, so that the HH:MM written back reads to the same value. */
    if (sc->start_day < 0 || sc->start_day > 6 || !(sc->start_clock_s >= 0) ||
        !(sc->start_clock_s < 86400) || fmod(sc->start_clock_s, 60) != 0)
        return fail(ck, SEC_SCENARIO, 0, "start",
                    "expected a weekday and clock time from 00:00 to 23:59, such as mon 09:00");
    if (sc->n_within < 1 || sc->n_within > RS_MAX_WITHIN)
        return fail(ck, SEC_SCENARIO, 0, "within", "expected 1 to %d durations", RS_MAX_WITHIN);
    for (int k = 0; k < sc->n_within; k++) {
        if (!(isfinite(sc->within_s[k]) && sc->within_s[k] > 0))
            return fail(ck, SEC_SCENARIO, 0, "within", "expected durations > 0");
        if (k > 0 && !(sc->within_s[k] > sc->within_s[k - 1]))
            return fail(ck, SEC_SCENARIO, 0, "within",
                        "expected strictly increasing durations, each once");
    }
    return RS_OK;
}

static int check_mix(const struct checker *ck, int kind, int i, const double *mix)
{
    char x[64];
    double sum = 0;
    for (int t = 0; t < ck->sc->n_types && t < RS_MAX_TYPES; t++) {
        if (!(mix[t] >= 0 && mix[t] <= 1))
            return fail(ck, kind, i, "mix", "expected shares from 0 to 1");
        sum += mix[t];
    }
    if (!(fabs(sum - 1) <= MIX_TOLERANCE)) {
        rs_units_format_number(sum, x, sizeof x);
        return fail(ck, kind, i, "mix", "expected shares summing to 1, got %s", x);
    }
    return RS_OK;
}

/* A series read from CSV: times increasing, values finite and >= 0. */
static int check_series(const struct checker *ck, int kind, int i, const char *key,
                        const struct rs_series *s)
{
    if (s->n < 0 || (s->n > 0 && (!s->t_s || !s->value)))
        return fail(ck, kind, i, key, "expected a series with its arrays");
    for (int k = 0; k < s->n; k++) {
        if (!(isfinite(s->value[k]) && s->value[k] >= 0))
            return fail(ck, kind, i, key, "expected values >= 0");
        if (!isfinite(s->t_s[k]) || (k > 0 && !(s->t_s[k] > s->t_s[k - 1])))
            return fail(ck, kind, i, key, "expected strictly increasing times");
    }
    if (s->n > 0 && !s->weekly && s->t_s[0] != 0)
        return fail(ck, kind, i, key, "expected the first time to be 0s");
    if (s->n > 0 && s->weekly && !(s->t_s[0] >= 0 && s->t_s[s->n - 1] < RS_WEEK_S))
        return fail(ck, kind, i, key, "expected times within the week");
    return RS_OK;
}

static int check_channels(const struct checker *ck)
{
    const struct rs_scenario *sc = ck->sc;
    char why[WHY_LEN];
    if (sc->n_channels < 1 || sc->n_channels > RS_MAX_CHANNELS)
        return rs_error_input(ck->err, ck->file, 0, "channel",
                              "expected 1 to %d [channel NAME] sections", RS_MAX_CHANNELS);
    int positive = 0;
    for (int i = 0; i < sc->n_channels; i++) {
        const struct rs_channel_cfg *c = &sc->channels[i];
        if (check_name(c->name, why, sizeof why)) return fail(ck, SEC_CHANNEL, i, NULL, "%s", why);
        if (rs_scenario_channel(sc, c->name) != i)
            return fail(ck, SEC_CHANNEL, i, NULL, "channel \"%s\" defined twice", c->name);
        if (c->visibility != RS_PUBLIC && c->visibility != RS_PRIVATE)
            return fail(ck, SEC_CHANNEL, i, "visibility", "expected public or private");
        if (!(isfinite(c->rate_per_s) && c->rate_per_s >= 0))
            return fail(ck, SEC_CHANNEL, i, "rate", "expected a rate >= 0 such as 40/h");
        if (c->trace.n > 0 && c->rate_per_s != 0)
            return fail(ck, SEC_CHANNEL, i, "rate", "expected rate or trace, not both");
        if (c->rate_per_s > 0 || c->trace.n > 0) positive = 1;
        if (!(isfinite(c->dispersion) && c->dispersion >= 0))
            return fail(ck, SEC_CHANNEL, i, "dispersion", "expected a number >= 0");
        int rc = check_series(ck, SEC_CHANNEL, i, "profile", &c->profile);
        if (rc) return rc;
        if (c->trace.n < 0 || (c->trace.n > 0 && (!c->trace.t_s || !c->trace.type ||
                                                   !c->trace.followers || !c->trace.handle_s)))
            return fail(ck, SEC_CHANNEL, i, "trace", "expected a trace with its arrays");
        for (int k = 0; k < c->trace.n; k++) {
            const struct rs_trace *t = &c->trace;
            if (!(t->t_s[k] >= 0 && isfinite(t->t_s[k])) || (k > 0 && t->t_s[k] < t->t_s[k - 1]))
                return fail(ck, SEC_CHANNEL, i, "trace", "expected sorted times >= 0");
            if (t->type[k] < -1 || t->type[k] >= sc->n_types)
                return fail(ck, SEC_CHANNEL, i, "trace", "expected types of [type NAME] sections");
            if (t->followers[k] < 0 || t->handle_s[k] < 0 || isinf(t->followers[k]) ||
                isinf(t->handle_s[k]))
                return fail(ck, SEC_CHANNEL, i, "trace", "expected followers and handle >= 0");
        }
        rc = check_mix(ck, SEC_CHANNEL, i, c->mix);
        if (rc) return rc;
    }
    for (int i = 0; i < sc->n_bursts; i++)
        if (sc->bursts[i].rate_per_s > 0) positive = 1;
    if (!positive)
        return fail(ck, SEC_CHANNEL, 0, "rate", "expected at least one channel with a rate > 0");
    return RS_OK;
}

static int check_bursts(const struct checker *ck)
{
    const struct rs_scenario *sc = ck->sc;
    char why[WHY_LEN], a[64], b[64];
    if (sc->n_bursts < 0 || sc->n_bursts > RS_MAX_BURSTS)
        return rs_error_input(ck->err, ck->file, 0, "burst", "expected at most %d [burst NAME] sections",
                              RS_MAX_BURSTS);
    for (int i = 0; i < sc->n_bursts; i++) {
        const struct rs_burst_cfg *x = &sc->bursts[i];
        if (check_name(x->name, why, sizeof why)) return fail(ck, SEC_BURST, i, NULL, "%s", why);
        for (int j = 0; j < i; j++)
            if (strcmp(sc->bursts[j].name, x->name) == 0)
                return fail(ck, SEC_BURST, i, NULL, "burst \"%s\" defined twice", x->name);
        if (x->channel < 0 || x->channel >= sc->n_channels)
            return fail(ck, SEC_BURST, i, "channel", "expected a channel of a [channel NAME] section");
        if (!(isfinite(x->at_s) && x->at_s >= 0 && x->at_s < sc->horizon_s)) {
            rs_units_format_duration(sc->horizon_s, b, sizeof b);
            rs_units_format_duration(x->at_s, a, sizeof a);
            return fail(ck, SEC_BURST, i, "at", "expected a time before the horizon (%s), got %s", b, a);
        }
        if (!(isfinite(x->rate_per_s) && x->rate_per_s > 0))
            return fail(ck, SEC_BURST, i, "rate", "expected a rate > 0 such as 300/h");
        if (!(isfinite(x->half_life_s) && x->half_life_s > 0))
            return fail(ck, SEC_BURST, i, "half_life", "expected a duration > 0");
        int rc = check_mix(ck, SEC_BURST, i, x->mix);
        if (rc) return rc;
    }
    return RS_OK;
}

static int check_types(const struct checker *ck)
{
    const struct rs_scenario *sc = ck->sc;
    char why[WHY_LEN];
    if (sc->n_types < 1 || sc->n_types > RS_MAX_TYPES)
        return rs_error_input(ck->err, ck->file, 0, "type", "expected 1 to %d [type NAME] sections",
                              RS_MAX_TYPES);
    for (int i = 0; i < sc->n_types; i++) {
        const struct rs_type_cfg *t = &sc->types[i];
        if (check_name(t->name, why, sizeof why)) return fail(ck, SEC_TYPE, i, NULL, "%s", why);
        if (rs_scenario_type(sc, t->name) != i)
            return fail(ck, SEC_TYPE, i, NULL, "type \"%s\" defined twice", t->name);
        if (t->needs_reply != 0 && t->needs_reply != 1)
            return fail(ck, SEC_TYPE, i, "reply", "expected yes or no");
        if (t->handle.kind == RS_DIST_NEVER)
            return fail(ck, SEC_TYPE, i, "handle", "expected a finite handle time, not never");
        if (!(t->followup >= 0 && t->followup <= 1))
            return fail(ck, SEC_TYPE, i, "followup", "expected a probability from 0 to 1");
        if (!(t->switch_p >= 0 && t->switch_p <= 1))
            return fail(ck, SEC_TYPE, i, "switch", "expected a probability from 0 to 1");
        if (!(t->followup + t->switch_p <= 1 + 1e-12)) {
            char a[64], b[64];
            rs_units_format_number(t->followup, a, sizeof a);
            rs_units_format_number(t->switch_p, b, sizeof b);
            return fail(ck, SEC_TYPE, i, "switch",
                        "expected followup + switch <= 1, got %s + %s", a, b);
        }
        if (t->switch_to < -1 || t->switch_to >= sc->n_channels)
            return fail(ck, SEC_TYPE, i, "switch_to", "expected a channel of a [channel NAME] section");
        if (t->switch_p > 0 && t->switch_to < 0)
            return fail(ck, SEC_TYPE, i, "switch_to", "required when switch > 0");
        if (!(isfinite(t->value) && t->value >= 0))
            return fail(ck, SEC_TYPE, i, "value", "expected a number >= 0");
        if (t->followers.kind == RS_DIST_NEVER)
            return fail(ck, SEC_TYPE, i, "followers", "expected a finite distribution, not never");
    }
    return RS_OK;
}

static int check_staff(const struct checker *ck)
{
    const struct rs_scenario *sc = ck->sc;
    char why[WHY_LEN];
    if (sc->agents < 0) return fail(ck, SEC_STAFF, 0, "agents", "expected a whole number >= 0");
    if (sc->agents > 0 && sc->schedule.n > 0)
        return fail(ck, SEC_STAFF, 0, "schedule", "expected agents or schedule, not both");
    int rc = check_series(ck, SEC_STAFF, 0, "schedule", &sc->schedule);
    if (rc) return rc;
    for (int k = 0; k < sc->schedule.n; k++)
        if (sc->schedule.value[k] != floor(sc->schedule.value[k]) || sc->schedule.value[k] > INT_MAX)
            return fail(ck, SEC_STAFF, 0, "schedule", "expected whole numbers of agents");
    if (sc->concurrency < 1)
        return fail(ck, SEC_STAFF, 0, "concurrency", "expected a whole number >= 1");
    if (sc->shift_end != RS_SHIFT_FINISH && sc->shift_end != RS_SHIFT_HANDOFF)
        return fail(ck, SEC_STAFF, 0, "shift_end", "expected finish or handoff");
    if (sc->n_shifts < 0 || sc->n_shifts > RS_MAX_SHIFTS)
        return rs_error_input(ck->err, ck->file, 0, "shift", "expected at most %d [shift NAME] sections",
                              RS_MAX_SHIFTS);
    uint32_t all = sc->n_channels >= 32 ? UINT32_MAX : (UINT32_C(1) << sc->n_channels) - 1;
    for (int i = 0; i < sc->n_shifts; i++) {
        const struct rs_shift_cfg *s = &sc->shifts[i];
        if (check_name(s->name, why, sizeof why)) return fail(ck, SEC_SHIFT, i, NULL, "%s", why);
        for (int j = 0; j < i; j++)
            if (strcmp(sc->shifts[j].name, s->name) == 0)
                return fail(ck, SEC_SHIFT, i, NULL, "shift \"%s\" defined twice", s->name);
        if (s->days == 0 || s->days > 0x7f)
            return fail(ck, SEC_SHIFT, i, "days", "expected days such as mon-fri");
        if (!(s->start_clock_s >= 0 && s->start_clock_s < 86400) || fmod(s->start_clock_s, 60) != 0)
            return fail(ck, SEC_SHIFT, i, "start", "expected a clock time from 00:00 to 23:59");
        if (!(s->length_s > 0 && s->length_s <= RS_WEEK_S))
            return fail(ck, SEC_SHIFT, i, "length", "expected a duration > 0 and at most 7d");
        if (s->agents < 0) return fail(ck, SEC_SHIFT, i, "agents", "expected a whole number >= 0");
        if (s->channels == 0 || (s->channels & ~all))
            return fail(ck, SEC_SHIFT, i, "channels", "expected channels of [channel NAME] sections");
        if (!(s->break_s >= 0 && s->break_s < s->length_s)) {
            char a[64];
            rs_units_format_duration(s->length_s, a, sizeof a);
            return fail(ck, SEC_SHIFT, i, "break", "expected a duration >= 0 and shorter than the length (%s)", a);
        }
    }
    return RS_OK;
}

static int check_policy(const struct checker *ck)
{
    const struct rs_scenario *sc = ck->sc;
    if (!rs_policy_find(sc->order))
        return fail(ck, SEC_POLICY, 0, "order", "expected one of %s", rs_policy_names());
    const struct rs_weights *w = &sc->weights;
    double x[5] = {w->age, w->priority, w->influence, w->public_, w->deadline};
    for (int k = 0; k < 5; k++)
        if (!(isfinite(x[k]) && x[k] >= 0))
            return fail(ck, SEC_POLICY, 0, "weights", "expected numbers >= 0");
    if (sc->abandon != RS_ABANDON_STAY && sc->abandon != RS_ABANDON_LEAVE)
        return fail(ck, SEC_POLICY, 0, "abandon", "expected stay or leave");
    if (!(isfinite(sc->max_age_s) && sc->max_age_s >= 0))
        return fail(ck, SEC_POLICY, 0, "max_age", "expected a duration > 0 or none");
    if (sc->n_hours < 0 || sc->n_hours > RS_MAX_HOURS)
        return fail(ck, SEC_POLICY, 0, "hours", "expected at most %d spans", RS_MAX_HOURS);
    for (int k = 0; k < sc->n_hours; k++) {
        const struct rs_hours_span *h = &sc->hours[k];
        if (!(h->from_s >= 0 && h->from_s < RS_WEEK_S && h->to_s > h->from_s &&
              h->to_s - h->from_s <= 86400))
            return fail(ck, SEC_POLICY, 0, "hours", "expected spans of at most a day within the week");
        if (fmod(h->from_s, 60) != 0 || fmod(h->to_s, 60) != 0)
            return fail(ck, SEC_POLICY, 0, "hours", "expected spans in whole minutes");
        if (k > 0 && !(h->from_s >= sc->hours[k - 1].to_s))
            return fail(ck, SEC_POLICY, 0, "hours", "expected sorted spans that do not overlap");
    }
    if (sc->n_hours > 1 && sc->hours[sc->n_hours - 1].to_s > sc->hours[0].from_s + RS_WEEK_S)
        return fail(ck, SEC_POLICY, 0, "hours", "expected sorted spans that do not overlap");
    if (sc->inbox_limit < 0)
        return fail(ck, SEC_POLICY, 0, "inbox_limit", "expected a whole number >= 1 or none");
    if (!(sc->autoack == 0 || (isfinite(sc->autoack) && sc->autoack >= 1)))
        return fail(ck, SEC_POLICY, 0, "autoack", "expected a factor >= 1 or none");
    if (!(sc->bot >= 0 && sc->bot <= 1))
        return fail(ck, SEC_POLICY, 0, "bot", "expected a probability from 0 to 1");
    uint32_t all = sc->n_types >= 32 ? UINT32_MAX : (UINT32_C(1) << sc->n_types) - 1;
    if (sc->bot_types & ~all)
        return fail(ck, SEC_POLICY, 0, "bot_types", "expected types of [type NAME] sections");
    if (sc->bot > 0 && sc->bot_types == 0)
        return fail(ck, SEC_POLICY, 0, "bot_types", "required when bot > 0");
    return RS_OK;
}

static int check_outcome(const struct checker *ck)
{
    const struct rs_scenario *sc = ck->sc;
    const struct rs_outcome_cfg *o = &sc->outcome;
    if (!(isfinite(o->tau_s) && o->tau_s > 0))
        return fail(ck, SEC_OUTCOME, 0, "tau", "expected a duration > 0 such as 12m");
    static const struct {
        const char *key;
        size_t off;
        int prob; /* 1: in [0, 1]; 0: >= 0 */
    } nums[] = {
        {"phi", offsetof(struct rs_outcome_cfg, phi), 1},
        {"recommend_p1", offsetof(struct rs_outcome_cfg, recommend_p1), 1},
        {"recommend_p0", offsetof(struct rs_outcome_cfg, recommend_p0), 1},
        {"spend_s", offsetof(struct rs_outcome_cfg, spend_s), 0},
        {"spend_cap", offsetof(struct rs_outcome_cfg, spend_cap), 0},
        {"defect_d", offsetof(struct rs_outcome_cfg, defect_d), 1},
        {"defect_kappa", offsetof(struct rs_outcome_cfg, defect_kappa), 1},
        {"negative_a", offsetof(struct rs_outcome_cfg, negative_a), 1},
        {"positive_b", offsetof(struct rs_outcome_cfg, positive_b), 1},
        {"onlooker_less", offsetof(struct rs_outcome_cfg, onlooker_less), 1},
        {"onlooker_delta", offsetof(struct rs_outcome_cfg, onlooker_delta), 1},
        {"onlooker_purchase", offsetof(struct rs_outcome_cfg, onlooker_purchase), 1},
    };
    for (size_t k = 0; k < sizeof nums / sizeof nums[0]; k++) {
        double x;
        memcpy(&x, (const char *)o + nums[k].off, sizeof x);
        if (nums[k].prob && !(x >= 0 && x <= 1))
            return fail(ck, SEC_OUTCOME, 0, nums[k].key, "expected a probability from 0 to 1");
        if (!nums[k].prob && !(isfinite(x) && x >= 0))
            return fail(ck, SEC_OUTCOME, 0, nums[k].key, "expected a number >= 0");
    }
    uint32_t all = sc->n_types >= 32 ? UINT32_MAX : (UINT32_C(1) << sc->n_types) - 1;
    if (o->complaint_types != RS_OUTCOME_REPLY_TYPES && (o->complaint_types & ~all))
        return fail(ck, SEC_OUTCOME, 0, "complaint_types", "expected types of [type NAME] sections");
    return RS_OK;
}

static int check(const struct rs_scenario *sc, const struct load *ld, struct rs_error *err)
{
    struct checker ck = {sc, ld, err, ld ? ld->files[0] : sc->path};
    int rc = check_scenario(&ck);
    if (!rc) rc = check_types(&ck); /* first: mixes are shares of the types */
    if (!rc) rc = check_channels(&ck);
    if (!rc) rc = check_bursts(&ck);
    if (!rc) rc = check_staff(&ck);
    if (!rc) rc = check_policy(&ck);
    if (!rc) rc = check_outcome(&ck);
    return rc;
}

int rs_scenario_check(const struct rs_scenario *sc, struct rs_error *err)
{
    return check(sc, NULL, err);
}

/* ------------------------------------------------ reading */

/* Reads a section header "[kind NAME]" on the current line.  A section seen
 * in an earlier layer (an included file) is opened again to override it. */
static int open_section(struct load *ld, const char *text)
{
    char head[MAX_LINE + 1], kind[MAX_LINE + 1], label[MAX_LINE + 8], why[WHY_LEN];
    copy_trim(text, strlen(text), head, sizeof head);
    size_t klen = strcspn(head, " \t");
    copy_trim(head, klen, kind, sizeof kind);
    const char *name = head + klen;
    while (is_blank(*name)) name++;
    snprintf(label, sizeof label, "[%s]", head);

    int s = -1;
    for (int k = 0; k < N_SECTIONS; k++)
        if (strcmp(sections[k].kind, kind) == 0) s = k;
    if (s < 0)
        return rs_error_input(ld->err, ld->file, ld->line, label,
                              "unknown section, expected [scenario], [channel NAME], "
                              "[burst NAME], [type NAME], [staff], [shift NAME], [policy] "
                              "or [outcome]");
    const struct section_def *sd = &sections[s];
    if (sd->named && name[0] == '\0')
        return rs_error_input(ld->err, ld->file, ld->line, label,
                              "expected a name, as in [%s NAME]", sd->kind);
    if (!sd->named && name[0] != '\0')
        return rs_error_input(ld->err, ld->file, ld->line, label, "expected [%s] without a name",
                              sd->kind);
    if (sd->named && check_name(name, why, sizeof why))
        return rs_error_input(ld->err, ld->file, ld->line, label, "%s", why);

    for (int i = 0; i < ld->n_inst[s]; i++) {
        if (sd->named && strcmp(sd->name_of(ld->sc, i), name) != 0) continue;
        if (ld->opened_by[s][i] == ld->fid)
            return rs_error_input(ld->err, ld->file, ld->line, label,
                                  "section given twice, first on line %d", ld->opened_line[s][i]);
        ld->opened_by[s][i] = (unsigned char)ld->fid;
        ld->opened_line[s][i] = ld->line;
        ld->kind = s;
        ld->inst = i;
        return RS_OK;
    }
    if (ld->n_inst[s] >= sd->max)
        return rs_error_input(ld->err, ld->file, ld->line, label,
                              "expected at most %d [%s] sections", sd->max, sd->kind);
    int i = sd->named ? sd->add(ld->sc, name, ld->line) : 0;
    ld->n_inst[s] = i + 1;
    ld->sec_line[s][i] = ld->opened_line[s][i] = ld->line;
    ld->sec_file[s][i] = ld->opened_by[s][i] = (unsigned char)ld->fid;
    ld->kind = s;
    ld->inst = i;
    return RS_OK;
}

/* Looks at the line before inih does: headers are ours (see the top). */
static int scan_line(struct load *ld)
{
    const char *p = ld->buf;
    if (ld->line == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    while (is_blank(*p)) p++;
    if (*p != '[') return RS_OK;
    const char *close = strchr(p, ']');
    if (!close) return RS_OK; /* inih reports it as a syntax error */
    const char *rest = close + 1;
    while (is_blank(*rest)) rest++;
    if (*rest != '\0' && *rest != ';' && *rest != '#') {
        char tail[MAX_LINE + 1];
        copy_trim(rest, strlen(rest), tail, sizeof tail);
        return rs_error_input(ld->err, ld->file, ld->line, NULL,
                              "expected nothing after ] of a section header, got \"%.60s\"", tail);
    }
    char head[MAX_LINE + 1];
    copy_trim(p + 1, (size_t)(close - p - 1), head, sizeof head);
    return open_section(ld, head);
}

/* Next line of the source into ld->buf (NUL-terminated); length or -1 at end. */
static ssize_t next_line(struct load *ld)
{
    if (*ld->text == '\0') return -1;
    const char *nl = strchr(ld->text, '\n');
    size_t len = nl ? (size_t)(nl - ld->text) + 1 : strlen(ld->text);
    if (len + 1 > ld->cap) {
        char *b = realloc(ld->buf, len + 1);
        if (!b) abort();
        ld->buf = b;
        ld->cap = len + 1;
    }
    memcpy(ld->buf, ld->text, len);
    ld->buf[len] = '\0';
    ld->text += len;
    return (ssize_t)len;
}

/* inih's reader: one whole line per call, so ld->line is the line inih is on. */
static char *reader(char *str, int num, void *stream)
{
    struct load *ld = stream;
    if (ld->rc) return NULL;
    ssize_t len = next_line(ld);
    if (len < 0) return NULL;
    ld->line++;
    size_t body = (size_t)len;
    while (body > 0 && (ld->buf[body - 1] == '\n' || ld->buf[body - 1] == '\r')) body--;
    if (body > MAX_LINE || (size_t)len + 1 > (size_t)num) {
        if (ld->scanning) return NULL; /* the second pass reports it */
        ld->rc = rs_error_input(ld->err, ld->file, ld->line, NULL, "line longer than %d characters",
                                MAX_LINE);
        return NULL;
    }
    if (!ld->scanning) ld->rc = scan_line(ld);
    if (ld->rc) return NULL;
    memcpy(str, ld->buf, (size_t)len + 1);
    return str;
}

/* The key as written: inih cuts names at 49 characters. */
static void raw_key(const struct load *ld, char *out, size_t cap)
{
    const char *p = ld->buf;
    if (ld->line == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    copy_trim(p, strcspn(p, "=:"), out, cap);
}

/* Sets key k of the section being read from value; `shown` is the key as
 * errors name it.  A key given twice is an error within one file only. */
static int set_key(struct load *ld, int k, const char *value, const char *shown)
{
    char why[WHY_LEN], label[RS_NAME_MAX + 32];
    const struct section_def *sd = &sections[ld->kind];
    int *seen = &ld->key_line[ld->kind][ld->inst][k];
    unsigned char *seen_in = &ld->key_file[ld->kind][ld->inst][k];
    if (*seen && *seen_in == ld->fid && !ld->setting) {
        section_label(ld->sc, ld->kind, ld->inst, label, sizeof label);
        return rs_error_input(ld->err, ld->file, ld->line, shown,
                              "given twice in %s, first on line %d", label, *seen);
    }
    *seen = ld->line;
    *seen_in = (unsigned char)ld->fid;
    if (!sd->keys[k].parse) {
        char **kept = &ld->text_of[ld->kind][ld->inst][k];
        free(*kept);
        *kept = strdup(value);
        if (!*kept) abort();
        return RS_OK;
    }
    if (sd->keys[k].parse(ld, value, why, sizeof why))
        return rs_error_input(ld->err, ld->file, ld->line, shown, "%s", why);
    return RS_OK;
}

static int unknown_key(struct load *ld, const char *shown)
{
    char list[WHY_LEN], label[RS_NAME_MAX + 32];
    const struct section_def *sd = &sections[ld->kind];
    size_t used = 0;
    list[0] = '\0';
    section_label(ld->sc, ld->kind, ld->inst, label, sizeof label);
    for (int j = 0; j < sd->n_keys && used < sizeof list; j++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "",
                                 sd->keys[j].name);
    return rs_error_input(ld->err, ld->file, ld->line, shown,
                          "unknown key in %s, expected one of %s", label, list);
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct load *ld = user;
    char key[MAX_LINE + 1];
    (void)section; /* ours is in ld: inih's is cut short */
    if (ld->rc) return 0;
    raw_key(ld, key, sizeof key);
    if (ld->kind < 0) {
        ld->rc = rs_error_input(ld->err, ld->file, ld->line, key,
                                "expected a [section] header before the first key");
        return 0;
    }
    if (name[0] == '\0') {
        ld->rc = rs_error_input(ld->err, ld->file, ld->line, NULL, "expected a key before =");
        return 0;
    }
    int k = key_index(ld->kind, key);
    ld->rc = k < 0 ? unknown_key(ld, key) : set_key(ld, k, value, key);
    return ld->rc == RS_OK;
}

/* First pass: finds [scenario] include, so that the included file can be
 * read before any key of this one, wherever the include line is. */
static int scan_key(void *user, const char *section, const char *name, const char *value)
{
    struct load *ld = user;
    if (strcmp(section, "scenario") == 0 && strcmp(name, "include") == 0 && !ld->include[0]) {
        snprintf(ld->include, sizeof ld->include, "%s", value);
        ld->include_line = ld->line;
    }
    return 1;
}

struct mix_ctx {
    struct rs_scenario *sc;
    double *mix;
    int seen[RS_MAX_TYPES];
};

static int mix_item(void *ctx, const char *item, char *why, size_t n)
{
    struct mix_ctx *m = ctx;
    char name[MAX_LINE + 1];
    const char *colon = strchr(item, ':');
    if (!colon) {
        rs_error_why(why, n, "expected type:share such as complaint:0.4, got \"%s\"", item);
        return RS_EINPUT;
    }
    copy_trim(item, (size_t)(colon - item), name, sizeof name);
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
    return rs_units_prob(colon + 1, &m->mix[t], why, n);
}

/* Default scenario name: the file's base name without .ini. */
static int default_name(struct load *ld)
{
    char why[WHY_LEN], base[512];
    const char *label = ld->files[0];
    if (!label[0]) return RS_OK; /* keeps "scenario" */
    const char *slash = strrchr(label, '/');
    const char *b = slash ? slash + 1 : label;
    size_t len = strlen(b);
    if (len >= 4 && strcmp(b + len - 4, ".ini") == 0) len -= 4;
    copy_trim(b, len, base, sizeof base);
    if (check_name(base, why, sizeof why))
        return rs_error_input(ld->err, label, 0, "name",
                              "missing, and the file name does not make one: %s", why);
    memcpy(ld->sc->name, base, strlen(base) + 1); /* checked: shorter than RS_NAME_MAX */
    return RS_OK;
}

/* ------------------------------------------------ CSV inputs */

/* Kept text of key in section (kind, i), or NULL when not given. */
static const char *kept(const struct load *ld, int kind, int i, const char *key)
{
    int k = key_index(kind, key);
    return k >= 0 && ld->key_line[kind][i][k] ? ld->text_of[kind][i][k] : NULL;
}

/* "dir/name", or name when it is absolute or dir is the current folder. */
static int join_path(const char *dir, const char *name, char *out, size_t cap)
{
    int n = name[0] == '/' || !dir[0] ? snprintf(out, cap, "%s", name)
                                      : snprintf(out, cap, "%s/%s", dir, name);
    return n >= 0 && (size_t)n < cap ? RS_OK : RS_EINPUT;
}

/* Opens the CSV named by key of section (kind, i), relative to the folder
 * of the file that gave the key; fills real with its absolute path. */
static int open_csv(struct load *ld, int kind, int i, const char *key, struct rs_csvin **out,
                    char *real, size_t real_cap)
{
    const char *file;
    struct checker ck = {ld->sc, ld, ld->err, ld->files[0]};
    int line = line_of(ld->sc, ld, kind, i, key, &file);
    const char *name = kept(ld, kind, i, key);
    char path[RS_PATH_MAX], abs[PATH_MAX];
    if (!name[0]) return fail(&ck, kind, i, key, "expected a CSV file name");
    int k = key_index(kind, key);
    if (join_path(ld->dirs[ld->key_file[kind][i][k]], name, path, sizeof path))
        return fail(&ck, kind, i, key, "expected a path of at most %d characters", RS_PATH_MAX - 1);
    int rc = rs_csvin_read(path, path, out, ld->err);
    if (rc == RS_EIO) { /* a missing input is the scenario's fault: bad input */
        char msg[sizeof ld->err->msg];
        snprintf(msg, sizeof msg, "%s", ld->err->msg);
        return rs_error_input(ld->err, file, line, key, "%s", msg);
    }
    if (rc) return rc;
    if (!realpath(path, abs) || strlen(abs) >= real_cap) {
        rs_csvin_destroy(*out);
        return fail(&ck, kind, i, key, "cannot resolve \"%s\" to a path of at most %d characters",
                    path, RS_PATH_MAX - 1);
    }
    snprintf(real, real_cap, "%s", abs);
    return RS_OK;
}

/* A time cell: a duration from start ("2d14h", weekly = 0) or "day HH:MM"
 * (weekly = 1, seconds after mon 00:00). */
static int time_cell(const char *cell, int *weekly, double *t, char *why, size_t n)
{
    char day[MAX_LINE + 1];
    if (!((cell[0] >= 'a' && cell[0] <= 'z') || (cell[0] >= 'A' && cell[0] <= 'Z'))) {
        *weekly = 0;
        return rs_units_duration(cell, t, why, n);
    }
    size_t len = strcspn(cell, " \t");
    copy_trim(cell, len, day, sizeof day);
    int d;
    double c;
    if (rs_units_weekday(day, &d, why, n)) return RS_EINPUT;
    if (rs_units_clock(cell + len, &c, why, n) || c >= 86400) {
        rs_error_why(why, n, "expected a weekday and clock time from 00:00 to 23:59 such as "
                             "mon 09:00, got \"%s\"", cell);
        return RS_EINPUT;
    }
    *weekly = 1;
    *t = d * 86400.0 + c;
    return RS_OK;
}

/* A profile (value "multiplier") or schedule ("agents", whole numbers). */
static int read_series(struct load *ld, int kind, int i, const char *key, const char *column,
                       int whole, struct rs_series *out)
{
    struct rs_csvin *c = NULL;
    char real[RS_PATH_MAX], why[WHY_LEN];
    int rc = open_csv(ld, kind, i, key, &c, real, sizeof real);
    if (rc) return rc;
    struct rs_error *err = ld->err;
    int first = 0, one_column = !whole && c->n_cols == 1;
    if (c->n_rows == 0) {
        rc = rs_csvin_fail(err, c, -1, NULL, "expected rows of time,%s, got an empty file", column);
        goto done;
    }
    if (one_column) {
        first = strcmp(c->rows[0].cells[0], column) == 0; /* optional header */
        if (c->n_rows - first != 168) {
            rc = rs_csvin_fail(err, c, c->n_rows > 168 + first ? 168 + first : -1, column,
                               "expected 168 hour-of-week rows (mon 00:00 first), got %d",
                               c->n_rows - first);
            goto done;
        }
    } else if (c->n_cols != 2 || strcmp(c->rows[0].cells[0], "time") != 0 ||
               strcmp(c->rows[0].cells[1], column) != 0) {
        rc = rs_csvin_fail(err, c, 0, NULL, "expected a header row time,%s%s", column,
                           whole ? "" : ", or one column of 168 hour-of-week multipliers");
        goto done;
    } else {
        first = 1;
        if (c->n_rows < 2) {
            rc = rs_csvin_fail(err, c, 0, NULL, "expected at least one row after the header");
            goto done;
        }
    }
    int n = c->n_rows - first;
    series_free(out);
    out->t_s = calloc((size_t)n, sizeof *out->t_s);
    out->value = calloc((size_t)n, sizeof *out->value);
    if (!out->t_s || !out->value) abort();
    out->n = n;
    out->weekly = 1;
    for (int r = first; r < c->n_rows && !rc; r++) {
        char **cell = c->rows[r].cells;
        const char *vcell = cell[one_column ? 0 : 1];
        int k = r - first, weekly = 1;
        double t = k * 3600.0, v = 0;
        if (!one_column && time_cell(cell[0], &weekly, &t, why, sizeof why)) {
            rc = rs_csvin_fail(err, c, r, "time", "%s", why);
        } else if (!one_column && k == 0 && !weekly && t != 0) {
            rc = rs_csvin_fail(err, c, r, "time", "expected 0s in the first row, got \"%s\"", cell[0]);
        } else if (k > 0 && weekly != out->weekly) {
            rc = rs_csvin_fail(err, c, r, "time", "expected %s as in the first row, got \"%s\"",
                               out->weekly ? "a weekday and clock time such as mon 09:00"
                                           : "a duration from start such as 2d14h", cell[0]);
        } else if (k > 0 && !(t > out->t_s[k - 1])) {
            rc = rs_csvin_fail(err, c, r, "time", "expected times increasing row by row, got \"%s\"",
                               cell[0]);
        } else if (whole) {
            long a = 0;
            if (rs_units_int(vcell, 0, INT_MAX, &a, why, sizeof why))
                rc = rs_csvin_fail(err, c, r, column, "%s", why);
            v = (double)a;
        } else if (rs_units_number(vcell, &v, why, sizeof why)) {
            rc = rs_csvin_fail(err, c, r, column, "%s", why);
        } else if (!(v >= 0)) {
            rc = rs_csvin_fail(err, c, r, column, "expected a number >= 0, got \"%s\"", vcell);
        }
        if (rc) break;
        if (k == 0) out->weekly = weekly;
        out->t_s[k] = t;
        out->value[k] = v;
    }
    if (rc) series_free(out);
    else snprintf(out->path, sizeof out->path, "%s", real);
done:
    rs_csvin_destroy(c);
    return rc;
}

static int digits(const char **p, int count, int *out)
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

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDTHH:MM[:SS][Z]" (UTC or no zone) to seconds since 1970. */
static int iso_cell(const char *s, double *out)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *p = s;
    int y, mo, d, h, mi, sec = 0;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d) || (*p != 'T' && *p != 't') || !(++p, digits(&p, 2, &h)) ||
        *p++ != ':' || !digits(&p, 2, &mi))
        return RS_EINPUT;
    if (*p == ':' && !(++p, digits(&p, 2, &sec))) return RS_EINPUT;
    if (*p == 'Z' || *p == 'z') p++;
    if (*p) return RS_EINPUT;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap) || h > 23 || mi > 59 ||
        sec > 59)
        return RS_EINPUT;
    *out = (double)days_from_civil(y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 + sec;
    return RS_OK;
}

/* t = 0 for timestamps: the latest moment at or before the first one that
 * falls on the scenario's start (weekday and clock). */
static double trace_origin(const struct rs_scenario *sc, double first)
{
    double day = floor(first / 86400);
    int weekday = (int)(((long)day % 7 + 7 + 3) % 7); /* 1970-01-01 was a thursday */
    double week_s = weekday * 86400.0 + (first - day * 86400);
    double start_s = sc->start_day * 86400.0 + sc->start_clock_s;
    return first - fmod(week_s - start_s + RS_WEEK_S, RS_WEEK_S);
}

enum { COL_TIME, COL_TYPE, COL_FOLLOWERS, COL_HANDLE, N_COLS };
static const char *const trace_columns[N_COLS] = {"time", "type", "followers", "handle"};

/* *full: every row names its type (no mix needed to draw one). */
static int read_trace(struct load *ld, int i, int *full)
{
    struct rs_trace *out = &ld->sc->channels[i].trace;
    struct rs_csvin *c = NULL;
    char real[RS_PATH_MAX], why[WHY_LEN];
    struct rs_error *err = ld->err;
    int rc = open_csv(ld, SEC_CHANNEL, i, "trace", &c, real, sizeof real);
    if (rc) return rc;
    int col[N_COLS] = {-1, -1, -1, -1};
    if (c->n_rows == 0) {
        rc = rs_csvin_fail(err, c, -1, NULL, "expected a header row such as time,type, got an empty file");
        goto done;
    }
    for (int j = 0; j < c->n_cols; j++) {
        const char *h = c->rows[0].cells[j];
        int k;
        if (word(h, trace_columns, N_COLS, &k, why, sizeof why,
                 "a header row of columns time, type, followers, handle")) {
            rc = rs_csvin_fail(err, c, 0, NULL, "%s", why);
            goto done;
        }
        if (col[k] >= 0) {
            rc = rs_csvin_fail(err, c, 0, NULL, "expected each column once, got \"%s\" twice", h);
            goto done;
        }
        col[k] = j;
    }
    if (col[COL_TIME] < 0) {
        rc = rs_csvin_fail(err, c, 0, NULL, "expected a header row with a time column");
        goto done;
    }
    if (c->n_rows < 2) {
        rc = rs_csvin_fail(err, c, 0, NULL, "expected at least one row after the header");
        goto done;
    }
    int n = c->n_rows - 1, iso = 0;
    trace_free(out);
    out->t_s = calloc((size_t)n, sizeof *out->t_s);
    out->type = calloc((size_t)n, sizeof *out->type);
    out->followers = calloc((size_t)n, sizeof *out->followers);
    out->handle_s = calloc((size_t)n, sizeof *out->handle_s);
    if (!out->t_s || !out->type || !out->followers || !out->handle_s) abort();
    out->n = n;
    *full = col[COL_TYPE] >= 0;
    for (int r = 1; r <= n && !rc; r++) {
        char **cell = c->rows[r].cells;
        const char *tc = cell[col[COL_TIME]];
        int k = r - 1, is_iso = tc[0] >= '0' && tc[0] <= '9' && strlen(tc) >= 10 && tc[4] == '-';
        double t;
        if (k == 0) iso = is_iso;
        if (is_iso != iso) {
            rc = rs_csvin_fail(err, c, r, "time", "expected %s as in the first row, got \"%s\"",
                               iso ? "a timestamp such as 2015-10-14T09:30Z"
                                   : "a duration from start such as 2d14h", tc);
            break;
        }
        if (iso ? iso_cell(tc, &t) : rs_units_duration(tc, &t, why, sizeof why)) {
            rc = rs_csvin_fail(err, c, r, "time",
                               "expected a duration from start such as 2d14h or a timestamp "
                               "such as 2015-10-14T09:30Z, got \"%s\"", tc);
            break;
        }
        if (k > 0 && t < out->t_s[k - 1]) {
            rc = rs_csvin_fail(err, c, r, "time",
                               "expected rows sorted by time, got \"%s\" after a later time", tc);
            break;
        }
        out->t_s[k] = t;
        out->type[k] = -1;
        out->followers[k] = NAN;
        out->handle_s[k] = NAN;
        if (col[COL_TYPE] >= 0) {
            const char *v = cell[col[COL_TYPE]];
            if (!v[0]) {
                *full = 0;
            } else if ((out->type[k] = rs_scenario_type(ld->sc, v)) < 0) {
                rc = rs_csvin_fail(err, c, r, "type",
                                   "expected a type defined by a [type NAME] section, got \"%s\"", v);
                break;
            }
        }
        if (col[COL_FOLLOWERS] >= 0 && cell[col[COL_FOLLOWERS]][0] &&
            parse_nonneg(cell[col[COL_FOLLOWERS]], &out->followers[k], why, sizeof why)) {
            rc = rs_csvin_fail(err, c, r, "followers", "%s", why);
            break;
        }
        if (col[COL_HANDLE] >= 0 && cell[col[COL_HANDLE]][0] &&
            rs_units_duration(cell[col[COL_HANDLE]], &out->handle_s[k], why, sizeof why)) {
            rc = rs_csvin_fail(err, c, r, "handle", "%s", why);
            break;
        }
    }
    if (!rc && iso) {
        double t0 = trace_origin(ld->sc, out->t_s[0]);
        for (int k = 0; k < n; k++) out->t_s[k] -= t0;
    }
    if (rc) trace_free(out);
    else snprintf(out->path, sizeof out->path, "%s", real);
done:
    rs_csvin_destroy(c);
    return rc;
}

/* ------------------------------------------------ whole-scenario rules */

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

/* Names of channels or types (kept text of key) as a bit mask. */
static int resolve_names(struct load *ld, int kind, int i, const char *key, int channels,
                         uint32_t *out)
{
    struct checker ck = {ld->sc, ld, ld->err, ld->files[0]};
    struct names_ctx c = {ld->sc, channels ? rs_scenario_channel : rs_scenario_type,
                          channels ? "channel" : "type", 0};
    char why[WHY_LEN];
    const char *v = kept(ld, kind, i, key);
    if (!v[0] || for_each_item(v, names_item, &c, why, sizeof why))
        return fail(&ck, kind, i, key, "%s", v[0] ? why : "expected names separated by commas");
    *out = c.mask;
    return RS_OK;
}

static int resolve_mix(struct load *ld, int kind, int i, double *mix)
{
    struct checker ck = {ld->sc, ld, ld->err, ld->files[0]};
    struct mix_ctx m = {.sc = ld->sc, .mix = mix};
    char why[WHY_LEN];
    for (int t = 0; t < RS_MAX_TYPES; t++) mix[t] = 0; /* an override starts afresh */
    if (for_each_item(kept(ld, kind, i, "mix"), mix_item, &m, why, sizeof why))
        return fail(&ck, kind, i, "mix", "%s", why);
    return RS_OK;
}

static int finish_channels(struct load *ld)
{
    struct rs_scenario *sc = ld->sc;
    struct checker ck = {sc, ld, ld->err, ld->files[0]};
    char label[RS_NAME_MAX + 32];
    for (int i = 0; i < sc->n_channels; i++) {
        struct rs_channel_cfg *c = &sc->channels[i];
        int rc, full = 0;
        section_label(sc, SEC_CHANNEL, i, label, sizeof label);
        int has_rate = kept(ld, SEC_CHANNEL, i, "rate") != NULL ||
                       ld->key_line[SEC_CHANNEL][i][key_index(SEC_CHANNEL, "rate")];
        int has_trace = kept(ld, SEC_CHANNEL, i, "trace") != NULL;
        if (has_rate && has_trace)
            return fail(&ck, SEC_CHANNEL, i, "rate", "expected rate or trace in %s, not both",
                        label);
        if (!has_rate && !has_trace)
            return fail(&ck, SEC_CHANNEL, i, "rate", "missing, required in %s unless trace is given",
                        label);
        if (kept(ld, SEC_CHANNEL, i, "profile") &&
            (rc = read_series(ld, SEC_CHANNEL, i, "profile", "multiplier", 0, &c->profile)))
            return rc;
        if (has_trace && (rc = read_trace(ld, i, &full))) return rc;
        if (kept(ld, SEC_CHANNEL, i, "mix")) {
            if ((rc = resolve_mix(ld, SEC_CHANNEL, i, c->mix))) return rc;
        } else if (sc->n_types == 1) {
            c->mix[0] = 1;
        } else if (full) { /* the trace's own shares */
            for (int k = 0; k < c->trace.n; k++) c->mix[c->trace.type[k]] += 1.0 / c->trace.n;
        } else {
            return fail(&ck, SEC_CHANNEL, i, "mix",
                        has_trace ? "required when there is more than one type and the trace "
                                    "does not give every message's type"
                                  : "required when there is more than one type");
        }
    }
    return RS_OK;
}

/* Rules that need the whole file: required keys and sections, kept texts. */
static int finish(struct load *ld)
{
    struct rs_scenario *sc = ld->sc;
    struct checker ck = {sc, ld, ld->err, ld->files[0]};
    char label[RS_NAME_MAX + 32];
    int rc;
    for (int s = 0; s < N_SECTIONS; s++) {
        const struct section_def *sd = &sections[s];
        if (sd->required && ld->n_inst[s] == 0)
            return rs_error_input(ld->err, ld->files[0], 0, sd->kind,
                                  "missing section, expected %s", sd->hint);
        for (int i = 0; i < ld->n_inst[s]; i++) {
            section_label(sc, s, i, label, sizeof label);
            for (int k = 0; k < sd->n_keys; k++)
                if (sd->keys[k].required && !ld->key_line[s][i][k])
                    return fail(&ck, s, i, sd->keys[k].name, "missing, required in %s", label);
        }
    }
    if (!ld->key_line[SEC_SCENARIO][0][key_index(SEC_SCENARIO, "name")] && default_name(ld))
        return RS_EINPUT;
    int handle = key_index(SEC_TYPE, "handle");
    for (int i = 0; i < sc->n_types; i++) {
        struct rs_type_cfg *t = &sc->types[i];
        if (t->needs_reply && !ld->key_line[SEC_TYPE][i][handle])
            return fail(&ck, SEC_TYPE, i, "handle", "missing in [type %s], required when reply = yes",
                        t->name);
        const char *to = kept(ld, SEC_TYPE, i, "switch_to");
        if (to && (t->switch_to = rs_scenario_channel(sc, to)) < 0)
            return fail(&ck, SEC_TYPE, i, "switch_to",
                        "expected a channel defined by a [channel NAME] section, got \"%s\"", to);
        if (!to && t->switch_p > 0)
            return fail(&ck, SEC_TYPE, i, "switch_to", "missing in [type %s], required when switch > 0",
                        t->name);
    }
    if ((rc = finish_channels(ld))) return rc;
    for (int i = 0; i < sc->n_bursts; i++) {
        struct rs_burst_cfg *b = &sc->bursts[i];
        const char *ch = kept(ld, SEC_BURST, i, "channel");
        if ((b->channel = rs_scenario_channel(sc, ch)) < 0)
            return fail(&ck, SEC_BURST, i, "channel",
                        "expected a channel defined by a [channel NAME] section, got \"%s\"", ch);
        if (kept(ld, SEC_BURST, i, "mix")) {
            if ((rc = resolve_mix(ld, SEC_BURST, i, b->mix))) return rc;
        } else {
            memcpy(b->mix, sc->channels[b->channel].mix, sizeof b->mix);
        }
    }
    int has_agents = ld->n_inst[SEC_STAFF] && ld->key_line[SEC_STAFF][0][key_index(SEC_STAFF, "agents")];
    int has_schedule = ld->n_inst[SEC_STAFF] && kept(ld, SEC_STAFF, 0, "schedule");
    if (has_agents && has_schedule)
        return fail(&ck, SEC_STAFF, 0, "schedule", "expected agents or schedule in [staff], not both");
    if (!has_agents && !has_schedule && sc->n_shifts == 0) {
        if (ld->n_inst[SEC_STAFF])
            return fail(&ck, SEC_STAFF, 0, "agents",
                        "expected [staff] agents or schedule, or a [shift NAME] section");
        return rs_error_input(ld->err, ld->files[0], 0, "staff",
                              "expected [staff] agents or schedule, or a [shift NAME] section");
    }
    if (has_schedule &&
        (rc = read_series(ld, SEC_STAFF, 0, "schedule", "agents", 1, &sc->schedule)))
        return rc;
    for (int i = 0; i < sc->n_shifts; i++) {
        struct rs_shift_cfg *s = &sc->shifts[i];
        if (kept(ld, SEC_SHIFT, i, "channels")) {
            if ((rc = resolve_names(ld, SEC_SHIFT, i, "channels", 1, &s->channels))) return rc;
        } else {
            s->channels = sc->n_channels >= 32 ? UINT32_MAX : (UINT32_C(1) << sc->n_channels) - 1;
        }
    }
    if (ld->n_inst[SEC_POLICY] && kept(ld, SEC_POLICY, 0, "bot_types") &&
        (rc = resolve_names(ld, SEC_POLICY, 0, "bot_types", 0, &sc->bot_types)))
        return rc;
    const char *complaints = ld->n_inst[SEC_OUTCOME] ? kept(ld, SEC_OUTCOME, 0, "complaint_types")
                                                     : NULL;
    if (complaints && strcmp(complaints, "none") == 0 && rs_scenario_type(sc, "none") < 0)
        sc->outcome.complaint_types = 0;
    else if (complaints &&
             (rc = resolve_names(ld, SEC_OUTCOME, 0, "complaint_types", 0,
                                 &sc->outcome.complaint_types)))
        return rc;
    return check(sc, ld, ld->err);
}

/* ------------------------------------------------ files, includes, --set */

/* The whole file into *text (NUL-terminated); RS_EIO with errno's reason
 * in why, or RS_EINPUT (NUL byte, too large) with err filled. */
static int slurp(const char *path, char **text, char *why, size_t n, struct rs_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        rs_error_why(why, n, "%s", strerror(errno));
        return RS_EIO;
    }
    size_t cap = 4096, len = 0;
    char *b = malloc(cap);
    if (!b) abort();
    for (;;) {
        if (len + 1 >= cap) {
            if (cap > (size_t)MAX_FILE_BYTES) {
                fclose(f);
                free(b);
                return rs_error_input(err, path, 0, NULL, "expected a file of at most %ld bytes",
                                      MAX_FILE_BYTES);
            }
            cap *= 2;
            char *g = realloc(b, cap);
            if (!g) abort();
            b = g;
        }
        size_t got = fread(b + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
    }
    int bad = ferror(f), e = errno;
    fclose(f);
    if (bad) {
        free(b);
        rs_error_why(why, n, "%s", strerror(e));
        return RS_EIO;
    }
    b[len] = '\0';
    const char *nul = memchr(b, '\0', len);
    if (nul) {
        int line = 1;
        for (const char *p = b; p < nul; p++) line += *p == '\n';
        free(b);
        return rs_error_input(err, path, line, NULL, "expected text, got a NUL byte");
    }
    *text = b;
    return RS_OK;
}

/* A new layer named name in messages; relative paths in it start from
 * its folder. */
static int add_file(struct load *ld, const char *name)
{
    int fid = ld->n_files++;
    const char *slash = strrchr(name, '/');
    size_t dlen = slash ? (size_t)(slash - name) + (slash == name) : 0;
    ld->files[fid] = strdup(name);
    ld->dirs[fid] = strndup(name, dlen);
    if (!ld->files[fid] || !ld->dirs[fid]) abort();
    return fid;
}

static int read_text(struct load *ld, const char *name, const char *text);

/* [scenario] include of the file being read, found on line `line`. */
static int read_include(struct load *ld, const char *value, int line)
{
    char path[RS_PATH_MAX], real[PATH_MAX], why[WHY_LEN];
    char *text = NULL;
    if (!value[0])
        return rs_error_input(ld->err, ld->file, line, "include", "expected a scenario file name");
    if (join_path(ld->dirs[ld->fid], value, path, sizeof path))
        return rs_error_input(ld->err, ld->file, line, "include",
                              "expected a path of at most %d characters", RS_PATH_MAX - 1);
    if (ld->depth >= MAX_DEPTH)
        return rs_error_input(ld->err, ld->file, line, "include",
                              "expected at most %d nested includes", MAX_DEPTH);
    if (!realpath(path, real))
        return rs_error_input(ld->err, ld->file, line, "include", "cannot read \"%s\": %s", path,
                              strerror(errno));
    for (int d = 0; d <= ld->depth; d++)
        if (ld->chain[d] && strcmp(ld->chain[d], real) == 0)
            return rs_error_input(ld->err, ld->file, line, "include",
                                  "expected no include cycle, \"%s\" is already being read", path);
    int rc = slurp(path, &text, why, sizeof why, ld->err);
    if (rc == RS_EIO)
        return rs_error_input(ld->err, ld->file, line, "include", "cannot read \"%s\": %s", path, why);
    if (rc) return rc;
    ld->chain[++ld->depth] = strdup(real);
    if (!ld->chain[ld->depth]) abort();
    rc = read_text(ld, path, text);
    free(ld->chain[ld->depth]);
    ld->chain[ld->depth--] = NULL;
    free(text);
    return rc;
}

/* Reads one layer: its include first, then its own keys. */
static int read_text(struct load *ld, const char *name, const char *text)
{
    /* the including file's place, back when this one is done */
    const char *file = ld->file, *cursor = ld->text;
    int fid = ld->fid, line = ld->line, kind = ld->kind, inst = ld->inst;
    char *buf = ld->buf;
    size_t cap = ld->cap;

    ld->fid = add_file(ld, name);
    ld->file = ld->files[ld->fid];
    ld->buf = NULL;
    ld->cap = 0;
    ld->scanning = 1;
    ld->include[0] = '\0';
    ld->text = text;
    ld->line = 0;
    ini_parse_stream(reader, ld, scan_key, ld); /* its errors: in the second pass */
    ld->scanning = 0;
    int rc = RS_OK;
    if (ld->include[0]) {
        char inc[MAX_LINE + 1];
        memcpy(inc, ld->include, sizeof inc);
        rc = read_include(ld, inc, ld->include_line);
    }
    if (!rc) {
        ld->text = text;
        ld->line = 0;
        ld->kind = -1;
        int bad_line = ini_parse_stream(reader, ld, on_key, ld);
        rc = ld->rc;
        if (!rc && bad_line == -2) abort(); /* inih ran out of memory */
        if (!rc && bad_line != 0) {
            char shown[MAX_LINE + 1];
            copy_trim(ld->buf, strlen(ld->buf), shown, sizeof shown);
            rc = rs_error_input(ld->err, ld->file, bad_line, NULL,
                                "expected [section] or key = value, got \"%.60s\"", shown);
        }
    }
    ld->rc = rc;
    free(ld->buf);
    ld->file = file;
    ld->text = cursor;
    ld->fid = fid;
    ld->line = line;
    ld->kind = kind;
    ld->inst = inst;
    ld->buf = buf;
    ld->cap = cap;
    return rc;
}

/* One override "section.key=value" (named: "channel.NAME.key=value"),
 * the pos-th on the command line. */
static int apply_set(struct load *ld, const char *set, int pos)
{
    char lhs[MAX_LINE + 1], value[MAX_LINE + 1], kind[MAX_LINE + 1], name[MAX_LINE + 1];
    const char *eq = strchr(set, '=');
    ld->line = pos;
    if (!eq)
        return rs_error_input(ld->err, ld->file, pos, NULL,
                              "expected section.key=value such as channel.twitter.rate=50/h, "
                              "got \"%.60s\"", set);
    copy_trim(set, (size_t)(eq - set), lhs, sizeof lhs);
    copy_trim(eq + 1, strlen(eq + 1), value, sizeof value);
    const char *dot = strchr(lhs, '.'), *last = strrchr(lhs, '.');
    if (!dot || !last[1])
        return rs_error_input(ld->err, ld->file, pos, lhs,
                              "expected section.key such as policy.order or channel.NAME.rate");
    copy_trim(lhs, (size_t)(dot - lhs), kind, sizeof kind);
    copy_trim(dot + 1, last > dot ? (size_t)(last - dot - 1) : 0, name, sizeof name);
    const char *key = last + 1;
    int s = -1;
    for (int k = 0; k < N_SECTIONS; k++)
        if (strcmp(sections[k].kind, kind) == 0) s = k;
    if (s < 0)
        return rs_error_input(ld->err, ld->file, pos, lhs,
                              "unknown section \"%s\", expected scenario, channel, burst, type, "
                              "staff, shift, policy or outcome", kind);
    const struct section_def *sd = &sections[s];
    if (sd->named && !name[0])
        return rs_error_input(ld->err, ld->file, pos, lhs, "expected %s.NAME.%s", kind, key);
    if (!sd->named && name[0])
        return rs_error_input(ld->err, ld->file, pos, lhs, "expected %s.%s without a name", kind,
                              key);
    int i = -1;
    for (int j = 0; j < ld->n_inst[s]; j++)
        if (!sd->named || strcmp(sd->name_of(ld->sc, j), name) == 0) i = j;
    if (i < 0 && sd->named)
        return rs_error_input(ld->err, ld->file, pos, lhs,
                              "expected a section of the scenario, there is no [%s %s]", kind, name);
    if (i < 0) { /* [staff], [policy] or [outcome] the file left out */
        i = 0;
        ld->n_inst[s] = 1;
        ld->sec_line[s][0] = ld->opened_line[s][0] = pos;
        ld->sec_file[s][0] = ld->opened_by[s][0] = (unsigned char)ld->fid;
    }
    ld->kind = s;
    ld->inst = i;
    int k = key_index(s, key);
    if (k < 0) return unknown_key(ld, lhs);
    if (s == SEC_SCENARIO && strcmp(key, "include") == 0)
        return rs_error_input(ld->err, ld->file, pos, lhs,
                              "expected a key other than include, which files alone may give");
    return set_key(ld, k, value, lhs);
}

/* inih's options are process-wide: ours while loading, theirs put back.
 * One load at a time, so that loading from several threads (sweep workers)
 * never parses with another thread's half-restored options. */
static pthread_mutex_t ini_lock = PTHREAD_MUTEX_INITIALIZER;

struct ini_opts {
    bool use_stack, allow_realloc, stop, multiline, inline_comments, no_value;
    int max_line, initial_alloc;
    char *inline_prefixes;
};

static struct ini_opts ini_ours(void)
{
    static char prefixes[] = ";#";
    struct ini_opts saved = {ini_use_stack,        ini_allow_realloc,         ini_stop_on_first_error,
                             ini_allow_multiline,  ini_allow_inline_comments, ini_allow_no_value,
                             ini_max_line,         ini_initial_alloc,         ini_inline_comment_prefixes};
    ini_use_stack = false;
    ini_allow_realloc = false;
    ini_max_line = MAX_LINE + 3; /* room for \r\n and NUL */
    ini_initial_alloc = MAX_LINE + 3;
    ini_stop_on_first_error = true;
    ini_allow_multiline = false; /* an indented line is a key of its own */
    ini_allow_inline_comments = true;
    ini_allow_no_value = false;
    ini_inline_comment_prefixes = prefixes;
    return saved;
}

static void ini_restore(const struct ini_opts *o)
{
    ini_use_stack = o->use_stack;
    ini_allow_realloc = o->allow_realloc;
    ini_max_line = o->max_line;
    ini_initial_alloc = o->initial_alloc;
    ini_stop_on_first_error = o->stop;
    ini_allow_multiline = o->multiline;
    ini_allow_inline_comments = o->inline_comments;
    ini_allow_no_value = o->no_value;
    ini_inline_comment_prefixes = o->inline_prefixes;
}

/* Loads text (the file label, resolved path real or NULL), then sets. */
static int load_text(const char *text, const char *label, const char *real,
                     const char *const *sets, int n_sets, struct rs_scenario **out,
                     struct rs_error *err)
{
    pthread_mutex_lock(&ini_lock);
    struct ini_opts saved = ini_ours();
    struct load *ld = calloc(1, sizeof *ld);
    struct rs_scenario *sc = calloc(1, sizeof *sc);
    if (!ld || !sc) abort();
    rs_scenario_defaults(sc);
    snprintf(sc->path, sizeof sc->path, "%s", label ? label : "");
    ld->sc = sc;
    ld->err = err;
    ld->kind = -1;
    ld->file = "";
    if (real) {
        ld->chain[0] = strdup(real);
        if (!ld->chain[0]) abort();
    }
    int rc = read_text(ld, label ? label : "", text);
    if (!rc && n_sets > 0) {
        ld->fid = add_file(ld, "--set");
        ld->file = ld->files[ld->fid];
        ld->setting = 1;
        for (int i = 0; i < n_sets && !rc; i++) rc = apply_set(ld, sets[i], i + 1);
    }
    if (!rc) rc = finish(ld);
    ini_restore(&saved);
    pthread_mutex_unlock(&ini_lock);

    for (int f = 0; f < ld->n_files; f++) {
        free(ld->files[f]);
        free(ld->dirs[f]);
    }
    free(ld->chain[0]);
    for (int s = 0; s < MAX_KINDS; s++)
        for (int i = 0; i < MAX_INST; i++)
            for (int k = 0; k < MAX_KEYS; k++) free(ld->text_of[s][i][k]);
    free(ld);
    if (rc) {
        rs_scenario_destroy(sc);
        return rc;
    }
    *out = sc;
    return RS_OK;
}

int rs_scenario_load_with(const char *path, const char *const *sets, int n_sets,
                          struct rs_scenario **out, struct rs_error *err)
{
    char why[WHY_LEN], real[PATH_MAX];
    char *text = NULL;
    int rc = slurp(path, &text, why, sizeof why, err);
    if (rc == RS_EIO) return rs_error_io(err, path, "cannot read: %s", why);
    if (rc) return rc;
    rc = load_text(text, path, realpath(path, real) ? real : NULL, sets, n_sets, out, err);
    free(text);
    return rc;
}

int rs_scenario_load(const char *path, struct rs_scenario **out, struct rs_error *err)
{
    return rs_scenario_load_with(path, NULL, 0, out, err);
}

int rs_scenario_load_string(const char *text, const char *label, struct rs_scenario **out,
                            struct rs_error *err)
{
    return load_text(text, label, NULL, NULL, 0, out, err);
}

/* ------------------------------------------------ writing, comparing */

int rs_scenario_write(const struct rs_scenario *sc, FILE *out)
{
    size_t cap = 64 * 1024;
    char *value = malloc(cap);
    if (!value) abort();
    fprintf(out, "; resolved by replysim\n");
    for (int s = 0; s < N_SECTIONS; s++) {
        const struct section_def *sd = &sections[s];
        int n = sd->count(sc);
        for (int i = 0; i < n; i++) {
            char label[RS_NAME_MAX + 32];
            section_label(sc, s, i, label, sizeof label);
            fprintf(out, "\n%s\n", label);
            for (int k = 0; k < sd->n_keys; k++)
                if (sd->keys[k].put(sc, i, value, cap))
                    fprintf(out, "%s = %s\n", sd->keys[k].name, value);
        }
    }
    free(value);
    return ferror(out) || fflush(out) != 0 ? RS_EIO : RS_OK;
}

static int same_doubles(const double *a, const double *b, int n)
{
    for (int k = 0; k < n; k++)
        /* NaN marks "not given" in traces: equal to itself here */
        if (!(a[k] == b[k] || (isnan(a[k]) && isnan(b[k])))) return 0;
    return 1;
}

static int same_series(const struct rs_series *a, const struct rs_series *b)
{
    return a->n == b->n && (a->n == 0 || (a->weekly == b->weekly && same_doubles(a->t_s, b->t_s, a->n) &&
                                          same_doubles(a->value, b->value, a->n)));
}

static int same_trace(const struct rs_trace *a, const struct rs_trace *b)
{
    if (a->n != b->n) return 0;
    if (a->n == 0) return 1;
    if (memcmp(a->type, b->type, (size_t)a->n * sizeof *a->type) != 0) return 0;
    return same_doubles(a->t_s, b->t_s, a->n) && same_doubles(a->followers, b->followers, a->n) &&
           same_doubles(a->handle_s, b->handle_s, a->n);
}

int rs_scenario_equal(const struct rs_scenario *a, const struct rs_scenario *b)
{
    if (strcmp(a->name, b->name) != 0 || a->horizon_s != b->horizon_s ||
        a->warmup_s != b->warmup_s || a->drain_s != b->drain_s || a->interval_s != b->interval_s ||
        a->start_day != b->start_day || a->start_clock_s != b->start_clock_s ||
        a->replications != b->replications || a->seed != b->seed || a->n_within != b->n_within ||
        a->n_channels != b->n_channels || a->n_types != b->n_types || a->n_bursts != b->n_bursts ||
        a->agents != b->agents || !same_series(&a->schedule, &b->schedule) ||
        a->concurrency != b->concurrency || a->shift_end != b->shift_end ||
        a->n_shifts != b->n_shifts || strcmp(a->order, b->order) != 0 ||
        memcmp(&a->weights, &b->weights, sizeof a->weights) != 0 || a->abandon != b->abandon ||
        a->max_age_s != b->max_age_s || a->n_hours != b->n_hours ||
        a->inbox_limit != b->inbox_limit || a->autoack != b->autoack || a->bot != b->bot ||
        a->bot_types != b->bot_types)
        return 0;
    const struct rs_outcome_cfg *oa = &a->outcome, *ob = &b->outcome;
    if (oa->tau_s != ob->tau_s || oa->phi != ob->phi || oa->recommend_p1 != ob->recommend_p1 ||
        oa->recommend_p0 != ob->recommend_p0 || oa->spend_s != ob->spend_s ||
        oa->spend_cap != ob->spend_cap || oa->defect_d != ob->defect_d ||
        oa->defect_kappa != ob->defect_kappa || oa->negative_a != ob->negative_a ||
        oa->positive_b != ob->positive_b || oa->onlooker_less != ob->onlooker_less ||
        oa->onlooker_delta != ob->onlooker_delta ||
        oa->onlooker_purchase != ob->onlooker_purchase || complaint_mask(a) != complaint_mask(b))
        return 0;
    for (int k = 0; k < a->n_within && k < RS_MAX_WITHIN; k++)
        if (a->within_s[k] != b->within_s[k]) return 0;
    int nt = a->n_types < RS_MAX_TYPES ? a->n_types : RS_MAX_TYPES;
    for (int i = 0; i < a->n_channels && i < RS_MAX_CHANNELS; i++) {
        const struct rs_channel_cfg *x = &a->channels[i], *y = &b->channels[i];
        if (strcmp(x->name, y->name) != 0 || x->visibility != y->visibility ||
            x->rate_per_s != y->rate_per_s || x->dispersion != y->dispersion ||
            !same_doubles(x->mix, y->mix, nt) || !same_series(&x->profile, &y->profile) ||
            !same_trace(&x->trace, &y->trace))
            return 0;
    }
    for (int i = 0; i < a->n_bursts && i < RS_MAX_BURSTS; i++) {
        const struct rs_burst_cfg *x = &a->bursts[i], *y = &b->bursts[i];
        if (strcmp(x->name, y->name) != 0 || x->channel != y->channel || x->at_s != y->at_s ||
            x->rate_per_s != y->rate_per_s || x->half_life_s != y->half_life_s ||
            !same_doubles(x->mix, y->mix, nt))
            return 0;
    }
    for (int i = 0; i < nt; i++) {
        const struct rs_type_cfg *x = &a->types[i], *y = &b->types[i];
        if (strcmp(x->name, y->name) != 0 || x->needs_reply != y->needs_reply ||
            !rs_dist_equal(&x->handle, &y->handle) || !rs_dist_equal(&x->patience, &y->patience) ||
            x->followup != y->followup || x->switch_p != y->switch_p ||
            x->switch_to != y->switch_to || x->priority != y->priority || x->value != y->value ||
            !rs_dist_equal(&x->followers, &y->followers))
            return 0;
    }
    for (int i = 0; i < a->n_shifts && i < RS_MAX_SHIFTS; i++) {
        const struct rs_shift_cfg *x = &a->shifts[i], *y = &b->shifts[i];
        if (strcmp(x->name, y->name) != 0 || x->days != y->days ||
            x->start_clock_s != y->start_clock_s || x->length_s != y->length_s ||
            x->agents != y->agents || x->channels != y->channels || x->break_s != y->break_s)
            return 0;
    }
    for (int k = 0; k < a->n_hours && k < RS_MAX_HOURS; k++)
        if (a->hours[k].from_s != b->hours[k].from_s || a->hours[k].to_s != b->hours[k].to_s)
            return 0;
    return 1;
}
