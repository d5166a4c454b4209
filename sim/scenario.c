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
 * is one row; rules that span keys or sections live in check(). */
#include "replysim/scenario.h"

#include "replysim/policy.h"
#include "replysim/units.h"

#include "replysim/error.h"

#include <errno.h>
#include <ini.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define MAX_LINE 4096 /* longest line of a scenario file, without its newline */
#define MAX_KEYS 32   /* most keys in one section kind */
#define MAX_INST 32   /* most sections of one kind (channels, types) */
#define WHY_LEN 400
#define MIX_TOLERANCE 1e-9

struct load;

struct key_def {
    const char *name;
    int required; /* missing is an error (conditional rules live in finish()) */
    /* Parses v into the section being read (ld->inst); fills why on error. */
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
    const char *file;       /* name in messages */
    struct rs_scenario *sc; /* being filled */
    struct rs_error *err;
    int rc;           /* first error, RS_OK while none */
    int line;         /* line last handed to inih */
    FILE *in;         /* source: a file ... */
    const char *text; /* ... or a string (cursor) */
    char *buf;        /* current line as read, untouched by inih */
    size_t cap;
    int kind; /* section kind being read, -1 before the first */
    int inst; /* its index among sections of that kind */
    int n_inst[8];
    int sec_line[8][MAX_INST];
    int key_line[8][MAX_INST][MAX_KEYS];
    char *mix[RS_MAX_CHANNELS]; /* mix text, resolved once all types are known */
    int mix_line[RS_MAX_CHANNELS];
};

static const char *const weekdays[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* ------------------------------------------------------------ helpers */

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) abort(); /* out of memory is not a user error */
    return p;
}

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

static int put_rate(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    rs_units_format_rate(sc->channels[i].rate_per_s, buf, n);
    return 1;
}

/* Kept as text: it may name types whose sections come later in the file. */
static int parse_mix(struct load *ld, const char *v, char *why, size_t n)
{
    (void)why;
    (void)n;
    size_t len = strlen(v);
    char *copy = xcalloc(len + 1, 1);
    memcpy(copy, v, len);
    free(ld->mix[ld->inst]);
    ld->mix[ld->inst] = copy;
    ld->mix_line[ld->inst] = ld->line;
    return RS_OK;
}

static int put_mix(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int t = 0; t < sc->n_types && used < n; t++) {
        char x[64];
        rs_units_format_number(sc->channels[i].mix[t], x, sizeof x);
        used +=
            (size_t)snprintf(buf + used, n - used, "%s%s:%s", t ? ", " : "", sc->types[t].name, x);
    }
    return 1;
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

static int put_agents(const struct rs_scenario *sc, int i, char *buf, size_t n)
{
    (void)i;
    snprintf(buf, n, "%d", sc->agents);
    return 1;
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
};

static const struct key_def channel_keys[] = {
    {"visibility", 0, parse_visibility, put_visibility},
    {"rate", 1, parse_rate, put_rate},
    {"mix", 0, parse_mix, put_mix},
};

/* handle is required only when reply = yes: see finish(). */
static const struct key_def type_keys[] = {
    {"reply", 0, parse_reply, put_reply},
    {"handle", 0, parse_handle, put_handle},
    {"patience", 0, parse_patience, put_patience},
};

static const struct key_def staff_keys[] = {
    {"agents", 1, parse_agents, put_agents},
};

static const struct key_def policy_keys[] = {
    {"order", 0, parse_order, put_order},
    {"abandon", 0, parse_abandon, put_abandon},
    {"inbox_limit", 0, parse_inbox_limit, put_inbox_limit},
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
    t->line = line;
    return sc->n_types++;
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

static const char *channel_name(const struct rs_scenario *sc, int i)
{
    return sc->channels[i].name;
}

static const char *type_name(const struct rs_scenario *sc, int i)
{
    return sc->types[i].name;
}

#define KEYS(t) t, (int)(sizeof t / sizeof t[0])

enum { SEC_SCENARIO, SEC_CHANNEL, SEC_TYPE, SEC_STAFF, SEC_POLICY, N_SECTIONS };

static const struct section_def sections[N_SECTIONS] = {
    [SEC_SCENARIO] = {"scenario", 0, 1, 1, KEYS(scenario_keys), NULL, count_one, NULL,
                      "[scenario] with horizon = 7d"},
    [SEC_CHANNEL] = {"channel", 1, 1, RS_MAX_CHANNELS, KEYS(channel_keys), add_channel,
                     count_channels, channel_name, "[channel NAME] with rate = 6/h"},
    [SEC_TYPE] = {"type", 1, 1, RS_MAX_TYPES, KEYS(type_keys), add_type, count_types, type_name,
                  "[type NAME] with handle = exponential(mean=5m)"},
    [SEC_STAFF] = {"staff", 0, 1, 1, KEYS(staff_keys), NULL, count_one, NULL,
                   "[staff] with agents = 2"},
    [SEC_POLICY] = {"policy", 0, 0, 1, KEYS(policy_keys), NULL, count_one, NULL, ""},
};

_Static_assert(N_SECTIONS <= 8, "struct load holds 8 section kinds");
_Static_assert(RS_MAX_CHANNELS <= MAX_INST && RS_MAX_TYPES <= MAX_INST, "MAX_INST too small");

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
    snprintf(sc->order, sizeof sc->order, "fifo");
    sc->abandon = RS_ABANDON_STAY;
    sc->inbox_limit = 0;
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

void rs_scenario_destroy(struct rs_scenario *sc)
{
    free(sc);
}

/* ------------------------------------------------ rules */

/* Line to blame for key of section (kind, i): the key's own line when the
 * loader saw it, else the section header's (0 for scenarios built in code). */
static int line_of(const struct rs_scenario *sc, const struct load *ld, int kind, int i,
                   const char *key)
{
    int k = key ? key_index(kind, key) : -1;
    if (ld && k >= 0 && ld->key_line[kind][i][k]) return ld->key_line[kind][i][k];
    if (ld) return ld->sec_line[kind][i];
    if (kind == SEC_CHANNEL) return sc->channels[i].line;
    if (kind == SEC_TYPE) return sc->types[i].line;
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
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rs_error_input(ck->err, ck->file, line_of(ck->sc, ck->ld, kind, i, key), key, "%s", msg);
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

static int check_channels(const struct checker *ck)
{
    const struct rs_scenario *sc = ck->sc;
    char why[WHY_LEN], x[64];
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
        if (c->rate_per_s > 0) positive = 1;
        double sum = 0;
        for (int t = 0; t < sc->n_types && t < RS_MAX_TYPES; t++) {
            if (!(c->mix[t] >= 0 && c->mix[t] <= 1))
                return fail(ck, SEC_CHANNEL, i, "mix", "expected shares from 0 to 1");
            sum += c->mix[t];
        }
        if (!(fabs(sum - 1) <= MIX_TOLERANCE)) {
            rs_units_format_number(sum, x, sizeof x);
            return fail(ck, SEC_CHANNEL, i, "mix", "expected shares summing to 1, got %s", x);
        }
    }
    if (!positive)
        return fail(ck, SEC_CHANNEL, 0, "rate", "expected at least one channel with a rate > 0");
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
    }
    return RS_OK;
}

static int check_policy(const struct checker *ck)
{
    const struct rs_scenario *sc = ck->sc;
    if (sc->agents < 0) return fail(ck, SEC_STAFF, 0, "agents", "expected a whole number >= 0");
    if (!rs_policy_find(sc->order))
        return fail(ck, SEC_POLICY, 0, "order", "expected one of %s", rs_policy_names());
    if (sc->abandon != RS_ABANDON_STAY && sc->abandon != RS_ABANDON_LEAVE)
        return fail(ck, SEC_POLICY, 0, "abandon", "expected stay or leave");
    if (sc->inbox_limit < 0)
        return fail(ck, SEC_POLICY, 0, "inbox_limit", "expected a whole number >= 1 or none");
    return RS_OK;
}

static int check(const struct rs_scenario *sc, const struct load *ld, struct rs_error *err)
{
    struct checker ck = {sc, ld, err, ld ? ld->file : sc->path};
    int rc = check_scenario(&ck);
    if (!rc) rc = check_types(&ck); /* first: mixes are shares of the types */
    if (!rc) rc = check_channels(&ck);
    if (!rc) rc = check_policy(&ck);
    return rc;
}

int rs_scenario_check(const struct rs_scenario *sc, struct rs_error *err)
{
    return check(sc, NULL, err);
}

/* ------------------------------------------------ reading */

/* Reads a section header "[kind NAME]" on the current line. */
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
                              "[type NAME], [staff] or [policy]");
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
        if (!sd->named || strcmp(sd->name_of(ld->sc, i), name) == 0)
            return rs_error_input(ld->err, ld->file, ld->line, label,
                                  "section given twice, first on line %d", ld->sec_line[s][i]);
    }
    if (ld->n_inst[s] >= sd->max)
        return rs_error_input(ld->err, ld->file, ld->line, label,
                              "expected at most %d [%s] sections", sd->max, sd->kind);
    int i = sd->named ? sd->add(ld->sc, name, ld->line) : 0;
    ld->n_inst[s] = i + 1;
    ld->sec_line[s][i] = ld->line;
    ld->kind = s;
    ld->inst = i;
    return RS_OK;
}

/* Looks at the line before inih does: headers are ours (see the top). */
static int scan_line(struct load *ld)
{
    const char *p = ld->buf;
    if (ld->line == 1 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
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
    if (ld->in) {
        ssize_t len = getline(&ld->buf, &ld->cap, ld->in);
        if (len >= 0 && memchr(ld->buf, '\0', (size_t)len)) {
            ld->line++;
            ld->rc =
                rs_error_input(ld->err, ld->file, ld->line, NULL, "expected text, got a NUL byte");
            return -1;
        }
        if (len < 0 && ferror(ld->in))
            ld->rc = rs_error_io(ld->err, ld->file, "cannot read: %s", strerror(errno));
        return len;
    }
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
        ld->rc = rs_error_input(ld->err, ld->file, ld->line, NULL, "line longer than %d characters",
                                MAX_LINE);
        return NULL;
    }
    ld->rc = scan_line(ld);
    if (ld->rc) return NULL;
    memcpy(str, ld->buf, (size_t)len + 1);
    return str;
}

/* The key as written: inih cuts names at 49 characters. */
static void raw_key(const struct load *ld, char *out, size_t cap)
{
    const char *p = ld->buf;
    if (ld->line == 1 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    copy_trim(p, strcspn(p, "=:"), out, cap);
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct load *ld = user;
    char why[WHY_LEN], label[RS_NAME_MAX + 32], key[MAX_LINE + 1];
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
    const struct section_def *sd = &sections[ld->kind];
    section_label(ld->sc, ld->kind, ld->inst, label, sizeof label);
    int k = key_index(ld->kind, key);
    if (k < 0) {
        char list[WHY_LEN];
        size_t used = 0;
        list[0] = '\0';
        for (int j = 0; j < sd->n_keys && used < sizeof list; j++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "",
                                     sd->keys[j].name);
        ld->rc = rs_error_input(ld->err, ld->file, ld->line, key,
                                "unknown key in %s, expected one of %s", label, list);
        return 0;
    }
    int *seen = &ld->key_line[ld->kind][ld->inst][k];
    if (*seen) {
        ld->rc = rs_error_input(ld->err, ld->file, ld->line, key,
                                "given twice in %s, first on line %d", label, *seen);
        return 0;
    }
    *seen = ld->line;
    if (sd->keys[k].parse(ld, value, why, sizeof why)) {
        ld->rc = rs_error_input(ld->err, ld->file, ld->line, key, "%s", why);
        return 0;
    }
    return 1;
}

struct mix_ctx {
    struct rs_scenario *sc;
    int channel;
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
    return rs_units_prob(colon + 1, &m->sc->channels[m->channel].mix[t], why, n);
}

/* Default scenario name: the file's base name without .ini. */
static int default_name(struct load *ld)
{
    char why[WHY_LEN], base[512];
    const char *label = ld->file;
    if (!label[0]) return RS_OK; /* keeps "scenario" */
    const char *slash = strrchr(label, '/');
    const char *b = slash ? slash + 1 : label;
    size_t len = strlen(b);
    if (len >= 4 && strcmp(b + len - 4, ".ini") == 0) len -= 4;
    copy_trim(b, len, base, sizeof base);
    if (check_name(base, why, sizeof why))
        return rs_error_input(ld->err, ld->file, 0, "name",
                              "missing, and the file name does not make one: %s", why);
    memcpy(ld->sc->name, base, strlen(base) + 1); /* checked: shorter than RS_NAME_MAX */
    return RS_OK;
}

/* Rules that need the whole file: required keys and sections, mixes. */
static int finish(struct load *ld)
{
    struct rs_scenario *sc = ld->sc;
    char label[RS_NAME_MAX + 32], why[WHY_LEN];
    for (int s = 0; s < N_SECTIONS; s++) {
        const struct section_def *sd = &sections[s];
        if (sd->required && ld->n_inst[s] == 0)
            return rs_error_input(ld->err, ld->file, 0, sd->kind, "missing section, expected %s",
                                  sd->hint);
        for (int i = 0; i < ld->n_inst[s]; i++) {
            section_label(sc, s, i, label, sizeof label);
            for (int k = 0; k < sd->n_keys; k++)
                if (sd->keys[k].required && !ld->key_line[s][i][k])
                    return rs_error_input(ld->err, ld->file, ld->sec_line[s][i], sd->keys[k].name,
                                          "missing, required in %s", label);
        }
    }
    if (!ld->key_line[SEC_SCENARIO][0][key_index(SEC_SCENARIO, "name")] && default_name(ld))
        return RS_EINPUT;
    int handle = key_index(SEC_TYPE, "handle");
    for (int i = 0; i < sc->n_types; i++) {
        if (sc->types[i].needs_reply && !ld->key_line[SEC_TYPE][i][handle])
            return rs_error_input(ld->err, ld->file, sc->types[i].line, "handle",
                                  "missing in [type %s], required when reply = yes",
                                  sc->types[i].name);
    }
    for (int i = 0; i < sc->n_channels; i++) {
        if (ld->mix[i]) {
            struct mix_ctx m = {.sc = sc, .channel = i};
            if (for_each_item(ld->mix[i], mix_item, &m, why, sizeof why))
                return rs_error_input(ld->err, ld->file, ld->mix_line[i], "mix", "%s", why);
        } else if (sc->n_types == 1) {
            sc->channels[i].mix[0] = 1;
        } else {
            return rs_error_input(ld->err, ld->file, sc->channels[i].line, "mix",
                                  "required when there is more than one type");
        }
    }
    return check(sc, ld, ld->err);
}

static int load_source(struct load *ld, const char *label, struct rs_scenario **out)
{
    /* inih's options are process-wide: set ours, put theirs back after. */
    bool use_stack = ini_use_stack, allow_realloc = ini_allow_realloc,
         stop = ini_stop_on_first_error, multiline = ini_allow_multiline,
         inline_comments = ini_allow_inline_comments, no_value = ini_allow_no_value;
    int max_line = ini_max_line, initial_alloc = ini_initial_alloc;
    char *inline_prefixes = ini_inline_comment_prefixes;
    static char prefixes[] = ";#";
    ini_use_stack = false;
    ini_allow_realloc = false;
    ini_max_line = MAX_LINE + 3; /* room for \r\n and NUL */
    ini_initial_alloc = MAX_LINE + 3;
    ini_stop_on_first_error = true;
    ini_allow_multiline = false; /* an indented line is a key of its own */
    ini_allow_inline_comments = true;
    ini_allow_no_value = false;
    ini_inline_comment_prefixes = prefixes;

    struct rs_scenario *sc = xcalloc(1, sizeof *sc);
    rs_scenario_defaults(sc);
    snprintf(sc->path, sizeof sc->path, "%s", label ? label : "");
    ld->sc = sc;
    ld->kind = -1;
    int bad_line = ini_parse_stream(reader, ld, on_key, ld);
    int rc = ld->rc;
    if (!rc && bad_line == -2) abort(); /* inih ran out of memory */
    if (!rc && bad_line != 0) {
        char text[MAX_LINE + 1];
        copy_trim(ld->buf, strlen(ld->buf), text, sizeof text);
        rc = rs_error_input(ld->err, ld->file, bad_line, NULL,
                            "expected [section] or key = value, got \"%.60s\"", text);
    }
    if (!rc) rc = finish(ld);

    ini_use_stack = use_stack;
    ini_allow_realloc = allow_realloc;
    ini_max_line = max_line;
    ini_initial_alloc = initial_alloc;
    ini_stop_on_first_error = stop;
    ini_allow_multiline = multiline;
    ini_allow_inline_comments = inline_comments;
    ini_allow_no_value = no_value;
    ini_inline_comment_prefixes = inline_prefixes;
    free(ld->buf);
    for (int i = 0; i < RS_MAX_CHANNELS; i++) free(ld->mix[i]);
    if (rc) {
        free(sc);
        return rc;
    }
    *out = sc;
    return RS_OK;
}

int rs_scenario_load(const char *path, struct rs_scenario **out, struct rs_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) return rs_error_io(err, path, "cannot read: %s", strerror(errno));
    struct load *ld = xcalloc(1, sizeof *ld);
    ld->file = path;
    ld->err = err;
    ld->in = f;
    int rc = load_source(ld, path, out);
    fclose(f);
    free(ld);
    return rc;
}

int rs_scenario_load_string(const char *text, const char *label, struct rs_scenario **out,
                            struct rs_error *err)
{
    struct load *ld = xcalloc(1, sizeof *ld);
    ld->file = label ? label : "";
    ld->err = err;
    ld->text = text;
    int rc = load_source(ld, label, out);
    free(ld);
    return rc;
}

/* ------------------------------------------------ writing, comparing */

int rs_scenario_write(const struct rs_scenario *sc, FILE *out)
{
    char value[2 * MAX_LINE];
    fprintf(out, "; resolved by replysim\n");
    for (int s = 0; s < N_SECTIONS; s++) {
        const struct section_def *sd = &sections[s];
        int n = sd->count(sc);
        for (int i = 0; i < n; i++) {
            char label[RS_NAME_MAX + 32];
            section_label(sc, s, i, label, sizeof label);
            fprintf(out, "\n%s\n", label);
            for (int k = 0; k < sd->n_keys; k++)
                if (sd->keys[k].put(sc, i, value, sizeof value))
                    fprintf(out, "%s = %s\n", sd->keys[k].name, value);
        }
    }
    return ferror(out) || fflush(out) != 0 ? RS_EIO : RS_OK;
}

int rs_scenario_equal(const struct rs_scenario *a, const struct rs_scenario *b)
{
    if (strcmp(a->name, b->name) != 0 || a->horizon_s != b->horizon_s ||
        a->warmup_s != b->warmup_s || a->drain_s != b->drain_s || a->interval_s != b->interval_s ||
        a->start_day != b->start_day || a->start_clock_s != b->start_clock_s ||
        a->replications != b->replications || a->seed != b->seed || a->n_within != b->n_within ||
        a->n_channels != b->n_channels || a->n_types != b->n_types || a->agents != b->agents ||
        strcmp(a->order, b->order) != 0 || a->abandon != b->abandon || a->inbox_limit != b->inbox_limit)
        return 0;
    for (int k = 0; k < a->n_within && k < RS_MAX_WITHIN; k++)
        if (a->within_s[k] != b->within_s[k]) return 0;
    for (int i = 0; i < a->n_channels && i < RS_MAX_CHANNELS; i++) {
        const struct rs_channel_cfg *x = &a->channels[i], *y = &b->channels[i];
        if (strcmp(x->name, y->name) != 0 || x->visibility != y->visibility ||
            x->rate_per_s != y->rate_per_s)
            return 0;
        for (int t = 0; t < a->n_types && t < RS_MAX_TYPES; t++)
            if (x->mix[t] != y->mix[t]) return 0;
    }
    for (int i = 0; i < a->n_types && i < RS_MAX_TYPES; i++) {
        const struct rs_type_cfg *x = &a->types[i], *y = &b->types[i];
        if (strcmp(x->name, y->name) != 0 || x->needs_reply != y->needs_reply ||
            !rs_dist_equal(&x->handle, &y->handle) || !rs_dist_equal(&x->patience, &y->patience))
            return 0;
    }
    return 1;
}
