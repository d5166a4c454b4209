/* scenario_int.h: the scenario's keys as data, shared by the scenario files.
 *
 *   scenario_keys.c    the table: each key one entry; generic parse, write,
 *                      compare and range check by the entry's type
 *   scenario_values.c  parsing and writing of composite values (lists,
 *                      days, hours, weights, mixes, names)
 *   scenario_check.c   the checks: the table's ranges, then rules that span
 *                      keys or sections (rs_scenario_check)
 *   scenario_load.c    reading files once each, includes, --set, and
 *                      resolving keys that name later sections
 *   scenario_csv.c     profiles, schedules and traces read from CSV
 *   scenario.c         defaults, lookups, destroy
 *
 * Adding a key: one entry in its section's table in scenario_keys.c (and a
 * field in struct rs_scenario); callbacks only when the value is composite
 * or a rule spans keys. */
#ifndef RS_SCENARIO_INT_H
#define RS_SCENARIO_INT_H

#include "replysim/buf.h"
#include "replysim/scenario.h"

#include <stddef.h>

#define RS_SCN_MAX_LINE 4096 /* longest line of a scenario file, without its newline */
#define RS_SCN_WHY 400       /* room for one reason */

struct load;    /* one load in progress (scenario_load.c); NULL for scenarios built in code */
struct checker; /* below */

enum key_type {
    KT_NAME,     /* char[RS_NAME_MAX]: letters, digits, _, - and . */
    KT_DURATION, /* double, seconds: "5m" */
    KT_RATE,     /* double, per second: "40/h" */
    KT_NUMBER,   /* double: "1.5" */
    KT_PROB,     /* double from 0 to 1: "0.3" or "30%" */
    KT_CLOCK,    /* double, seconds after midnight: "09:00" */
    KT_INT,      /* int from lo to hi */
    KT_LONG,     /* long from lo to hi */
    KT_U64,      /* uint64_t: digits only */
    KT_WORD,     /* int (an enum): index of the value in words */
    KT_DIST,     /* struct rs_dist */
    KT_CUSTOM    /* parse, put and equal are the entry's callbacks */
};

enum key_flags {
    K_REQUIRED = 1 << 0,    /* missing is an error (conditional rules: scenario_load.c) */
    K_DEFER = 1 << 1,       /* names later sections or needs the whole scenario: text kept
                               and resolved once the file is read (scenario_load.c) */
    K_NOWRITE = 1 << 2,     /* never written back (include) */
    K_NONE = 1 << 3,        /* "none" is 0, and 0 is written as none */
    K_LO_OPEN = 1 << 4,     /* range: value > lo (else >= lo) */
    K_HI_OPEN = 1 << 5,     /* range: value < hi (else <= hi) */
    K_FINITE = 1 << 6,      /* range: finite */
    K_PARSE_RANGE = 1 << 7, /* the range is checked when parsing too: "MSG, got \"v\"" */
    K_WHOLE_MIN = 1 << 8,   /* check: whole minutes (written as HH:MM) */
    K_UNITLESS = 1 << 9,    /* KT_DIST: parameters without units */
    K_NEVER_OK = 1 << 10,   /* KT_DIST: "never" allowed */
    K_NODEF = 1 << 11,      /* default set in code (rs_outcome_defaults, composite) */
    K_OMIT_DEF = 1 << 12    /* left out of the written scenario at its default: keys added later, so
                               scenarios without them write back as before */
};

/* Composite values: field is the key's storage in the section's struct sec;
 * sc is the whole scenario (names of channels and types). */
typedef int (*key_parse_fn)(struct rs_scenario *sc, void *field, const char *v, char *why,
                            size_t n);
typedef int (*key_put_fn)(const struct rs_scenario *sc, const void *sec, const void *field,
                          struct rs_buf *out); /* 0: leave the key out */
typedef int (*key_equal_fn)(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                            const void *y);
/* A rule beyond the range, run after it (section (kind, i), struct sec). */
typedef int (*key_check_fn)(const struct checker *ck, int kind, int i, const void *sec);

struct key_def {
    const char *name;
    enum key_type type;
    size_t off;               /* offsetof the value in the section's struct */
    unsigned flags;           /* enum key_flags */
    double lo, hi;            /* range (KT_INT, KT_LONG: also the parse range) */
    double def;               /* default, unless K_NODEF or composite */
    const char *msg;          /* what the checked range expects; NULL: no range check */
    const char *pmsg;         /* parse error of K_NONE and K_PARSE_RANGE keys (NULL: msg) */
    const char *const *words; /* KT_WORD: the words, by value */
    const char *expected;     /* KT_WORD: "public or private" */
    key_parse_fn parse;       /* KT_CUSTOM */
    key_put_fn put;           /* KT_CUSTOM, or to override the generic writer */
    key_equal_fn equal;       /* KT_CUSTOM */
    key_check_fn check;       /* optional rule beyond the range */
    const char *doc;          /* one line for the reader */
};

struct section_def {
    const char *kind; /* word of the header: [kind] or [kind NAME] */
    int named;        /* 1 for [kind NAME] */
    int required;     /* the file must have at least one */
    int max;          /* most sections of this kind */
    size_t off;       /* offsetof the first section's struct in rs_scenario */
    size_t stride;    /* size of one (0: the section is rs_scenario itself) */
    size_t count_off; /* offsetof its int count (named sections) */
    const struct key_def *keys;
    int n_keys;
    const char *hint; /* what a missing section should hold */
    /* named: a rule over all the sections of this kind, after each one's keys */
    int (*check_all)(const struct checker *ck);
    /* keys in the order they are checked, NULL-terminated (NULL: the table's) */
    const char *const *check_order;
};

/* Written back in this order: channels before the bursts and types that
 * name them, as a reader would expect. */
enum {
    SEC_SCENARIO,
    SEC_CHANNEL,
    SEC_BURST,
    SEC_TYPE,
    SEC_STAFF,
    SEC_SHIFT,
    SEC_SURGE,
    SEC_POLICY,
    SEC_OUTCOME,
    N_SECTIONS
};

extern const struct section_def rs_scn_sections[N_SECTIONS];

/* scenario_keys.c: the table's generic side. */
int rs_scn_key_index(int kind, const char *name);
int rs_scn_count(const struct rs_scenario *sc, int kind);
void *rs_scn_section(struct rs_scenario *sc, int kind, int i);
const void *rs_scn_section_c(const struct rs_scenario *sc, int kind, int i);
const char *rs_scn_name_of(const struct rs_scenario *sc, int kind, int i);
void rs_scn_label(const struct rs_scenario *sc, int kind, int i, struct rs_buf *out);
void rs_scn_key_defaults(struct rs_scenario *sc, int kind, int i);
int rs_scn_parse_key(struct rs_scenario *sc, int kind, int i, int k, const char *v, char *why,
                     size_t n);
int rs_scn_check_key(const struct checker *ck, int kind, int i, int k);

/* scenario_check.c */
struct checker {
    const struct rs_scenario *sc;
    const struct load *ld;
    struct rs_error *err;
    const char *file;
};
int rs_scn_fail(const struct checker *ck, int kind, int i, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* File and line to blame for key of section (kind, i) (key NULL: the section). */
int rs_scn_line_of(const struct checker *ck, int kind, int i, const char *key, const char **file);
int rs_scn_check(const struct rs_scenario *sc, const struct load *ld, struct rs_error *err);
int rs_scn_check_budget(const struct checker *ck); /* budget.c: the limits of one replication */
int rs_scn_check_channels_all(const struct checker *ck);
int rs_scn_check_warmup(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_start(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_within(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_rate(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_profile(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_trace(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_channel_mix(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_burst_mix(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_burst_channel(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_burst_at(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_switch(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_switch_to(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_think(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_amplify(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_amplify_delay(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_move(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_move_to(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_schedule(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_days(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_shift_channels(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_break(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_order(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_weights(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_hours(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_bot_types(const struct checker *ck, int kind, int i, const void *sec);
int rs_scn_check_complaint_types(const struct checker *ck, int kind, int i, const void *sec);

/* scenario_values.c: text helpers and composite values. */
extern const char *const rs_scn_weekdays[7];
int rs_scn_is_blank(char c);
void rs_scn_trim(const char *s, size_t len, char *out, size_t cap);
int rs_scn_check_name(const char *s, char *why, size_t n);
int rs_scn_for_each(const char *v, int (*fn)(void *ctx, const char *item, char *why, size_t n),
                    void *ctx, char *why, size_t n);
int rs_scn_word(const char *v, const char *const *words, int n_words, int *out, char *why, size_t n,
                const char *expected);
int rs_scn_nonneg(const char *v, double *out, char *why, size_t n);
void rs_scn_put_clock(double s, struct rs_buf *out);
void rs_scn_put_names(const struct rs_scenario *sc, int kind, uint32_t mask, struct rs_buf *out);
int rs_scn_same_doubles(const double *a, const double *b, int n);
int rs_scn_resolve_mix(struct rs_scenario *sc, const char *v, double *mix, char *why, size_t n);
int rs_scn_resolve_names(const struct rs_scenario *sc, const char *v, int channels, uint32_t *out,
                         char *why, size_t n);

int rs_scn_parse_start(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n);
int rs_scn_put_start(const struct rs_scenario *sc, const void *sec, const void *field,
                     struct rs_buf *out);
int rs_scn_equal_start(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                       const void *y);
int rs_scn_parse_within(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n);
int rs_scn_parse_opt_dist(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n);
int rs_scn_parse_opt_patience(struct rs_scenario *sc, void *field, const char *v, char *why,
                              size_t n);
int rs_scn_put_opt_dist(const struct rs_scenario *sc, const void *sec, const void *field,
                        struct rs_buf *out);
int rs_scn_equal_opt_dist(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                          const void *y);
int rs_scn_parse_affinity(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n);
int rs_scn_parse_when(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n);
int rs_scn_put_when(const struct rs_scenario *sc, const void *sec, const void *field,
                    struct rs_buf *out);
int rs_scn_put_affinity(const struct rs_scenario *sc, const void *sec, const void *field,
                        struct rs_buf *out);
int rs_scn_equal_affinity(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                          const void *y);
int rs_scn_put_within(const struct rs_scenario *sc, const void *sec, const void *field,
                      struct rs_buf *out);
int rs_scn_equal_within(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                        const void *y);
int rs_scn_parse_days(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n);
int rs_scn_put_days(const struct rs_scenario *sc, const void *sec, const void *field,
                    struct rs_buf *out);
int rs_scn_parse_weights(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n);
int rs_scn_put_weights(const struct rs_scenario *sc, const void *sec, const void *field,
                       struct rs_buf *out);
int rs_scn_equal_weights(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                         const void *y);
int rs_scn_parse_hours(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n);
int rs_scn_put_hours(const struct rs_scenario *sc, const void *sec, const void *field,
                     struct rs_buf *out);
int rs_scn_equal_hours(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                       const void *y);
int rs_scn_parse_order(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n);
int rs_scn_put_string(const struct rs_scenario *sc, const void *sec, const void *field,
                      struct rs_buf *out);
int rs_scn_equal_string(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                        const void *y);
int rs_scn_parse_none(struct rs_scenario *sc, void *field, const char *v, char *why, size_t n);

/* scenario_csv.c: CSV inputs of the keys profile, schedule and trace. */
void rs_scn_series_free(struct rs_series *s);
/* "dir/name", or name when it is absolute or dir is the current folder. */
int rs_scn_join_path(const char *dir, const char *name, char *out, size_t cap);
void rs_scn_trace_free(struct rs_trace *t);
int rs_scn_read_series(struct load *ld, int kind, int i, const char *key, const char *column,
                       int whole, struct rs_series *out);
int rs_scn_read_trace(struct load *ld, int i, int *full);

/* scenario_load.c: where the load saw things, for messages. */
const char *rs_scn_load_file(const struct load *ld, int fid);
/* Line of key k of section (kind, i) and its file's id; 0 when not given. */
int rs_scn_load_key_line(const struct load *ld, int kind, int i, int k, int *fid);
/* Line of the section's first header and its file's id; -1: no such section. */
int rs_scn_load_sec_line(const struct load *ld, int kind, int i, int *fid);
/* Kept text of key in section (kind, i), or NULL when not given. */
const char *rs_scn_load_kept(const struct load *ld, int kind, int i, const char *key);
/* Folder that relative paths of key k of (kind, i) start from ("": cwd). */
const char *rs_scn_load_dir(const struct load *ld, int kind, int i, int k);
struct rs_scenario *rs_scn_load_sc(struct load *ld);
struct rs_error *rs_scn_load_err(struct load *ld);

#endif
