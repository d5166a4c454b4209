/* scenario_keys.c: every scenario key as one table entry (docs/scenario-reference.md section 3).
 *
 * An entry says where the value lives (offsetof in its section's struct),
 * its type, default and range, and what the range expects.  Parsing,
 * writing back (rs_scenario_write, `replysim validate`), comparing
 * (rs_scenario_equal) and the range check follow from the type; composite
 * values (lists, mixes, names of other sections) bring callbacks
 * (scenario_values.c), and rules that span keys a check callback
 * (scenario_check.c).  K_DEFER keys name sections that may come later, or
 * need the whole scenario: the loader keeps their text and resolves it once
 * the file is read (scenario_load.c). */
#include "scenario_int.h"

#include "replysim/units.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define SC(field) offsetof(struct rs_scenario, field)
#define CH(field) offsetof(struct rs_channel_cfg, field)
#define BU(field) offsetof(struct rs_burst_cfg, field)
#define TY(field) offsetof(struct rs_type_cfg, field)
#define SH(field) offsetof(struct rs_shift_cfg, field)
#define SU(field) offsetof(struct rs_surge_cfg, field)
#define H INFINITY

_Static_assert(sizeof(enum rs_visibility) == sizeof(int) &&
                   sizeof(enum rs_abandon) == sizeof(int) &&
                   sizeof(enum rs_shift_end) == sizeof(int),
               "KT_WORD values are stored as int");
_Static_assert(CH(name) == 0 && BU(name) == 0 && TY(name) == 0 && SH(name) == 0,
               "named sections start with their name");

/* ------------------------------------------------ composite callbacks */

static int put_mix(const struct rs_scenario *sc, const void *sec, const void *field,
                   struct rs_buf *out)
{
    const double *mix = field;
    (void)sec;
    for (int t = 0; t < sc->n_types && t < RS_MAX_TYPES; t++) {
        char x[64];
        rs_units_format_number(mix[t], x, sizeof x);
        rs_buf_printf(out, "%s%s:%s", t ? ", " : "", sc->types[t].name, x);
    }
    return 1;
}

static int equal_mix(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                     const void *y)
{
    (void)b;
    return rs_scn_same_doubles(x, y, a->n_types < RS_MAX_TYPES ? a->n_types : RS_MAX_TYPES);
}

static int put_series(const struct rs_scenario *sc, const void *sec, const void *field,
                      struct rs_buf *out)
{
    const struct rs_series *s = field;
    (void)sc, (void)sec;
    if (s->n == 0) return 0;
    rs_buf_puts(out, s->path);
    return 1;
}

static int equal_series(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                        const void *y)
{
    const struct rs_series *p = x, *q = y;
    (void)a, (void)b;
    return p->n == q->n &&
           (p->n == 0 || (p->weekly == q->weekly && rs_scn_same_doubles(p->t_s, q->t_s, p->n) &&
                          rs_scn_same_doubles(p->value, q->value, p->n)));
}

static int put_trace(const struct rs_scenario *sc, const void *sec, const void *field,
                     struct rs_buf *out)
{
    const struct rs_trace *t = field;
    (void)sc, (void)sec;
    if (t->n == 0) return 0;
    rs_buf_puts(out, t->path);
    return 1;
}

static int equal_trace(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                       const void *y)
{
    const struct rs_trace *p = x, *q = y;
    (void)a, (void)b;
    if (p->n != q->n) return 0;
    if (p->n == 0) return 1;
    if (memcmp(p->type, q->type, (size_t)p->n * sizeof *p->type) != 0) return 0;
    if (!p->thread_of != !q->thread_of) return 0; /* follow-ups in one of them only */
    if (p->thread_of && memcmp(p->thread_of, q->thread_of, (size_t)p->n * sizeof *p->thread_of))
        return 0;
    return rs_scn_same_doubles(p->t_s, q->t_s, p->n) &&
           rs_scn_same_doubles(p->followers, q->followers, p->n) &&
           rs_scn_same_doubles(p->handle_s, q->handle_s, p->n);
}

/* rate and trace exclude each other, as do agents and schedule. */
static int put_rate_unless_trace(const struct rs_scenario *sc, const void *sec, const void *field,
                                 struct rs_buf *out)
{
    const struct rs_channel_cfg *c = sec;
    char x[64];
    (void)sc, (void)field;
    if (c->trace.n > 0) return 0;
    rs_units_format_rate(c->rate_per_s, x, sizeof x);
    rs_buf_puts(out, x);
    return 1;
}

/* Written only with a profile: it says how the profile applies. */
static int put_profile_scale(const struct rs_scenario *sc, const void *sec, const void *field,
                             struct rs_buf *out)
{
    const struct rs_channel_cfg *c = sec;
    (void)sc, (void)field;
    if (c->profile.n == 0) return 0;
    rs_buf_puts(out, c->profile_scale == RS_PROFILE_ABSOLUTE ? "absolute" : "mean");
    return 1;
}

static int put_agents_unless_schedule(const struct rs_scenario *sc, const void *sec,
                                      const void *field, struct rs_buf *out)
{
    (void)sec, (void)field;
    if (sc->schedule.n > 0) return 0;
    rs_buf_printf(out, "%d", sc->agents);
    return 1;
}

static int put_burst_channel(const struct rs_scenario *sc, const void *sec, const void *field,
                             struct rs_buf *out)
{
    int c = *(const int *)field;
    (void)sec;
    rs_buf_puts(out, c >= 0 && c < sc->n_channels ? sc->channels[c].name : "?");
    return 1;
}

static int put_switch_to(const struct rs_scenario *sc, const void *sec, const void *field,
                         struct rs_buf *out)
{
    int c = *(const int *)field;
    (void)sec;
    if (c < 0 || c >= sc->n_channels) return 0;
    rs_buf_puts(out, sc->channels[c].name);
    return 1;
}

static int put_shift_channels(const struct rs_scenario *sc, const void *sec, const void *field,
                              struct rs_buf *out)
{
    (void)sec;
    rs_scn_put_names(sc, SEC_CHANNEL, *(const uint32_t *)field, out);
    return 1;
}

/* Types of a pool: left out when all (the default). */
static int put_types_unless_all(const struct rs_scenario *sc, const void *sec, const void *field,
                                struct rs_buf *out)
{
    uint32_t m = *(const uint32_t *)field;
    uint32_t all = sc->n_types >= 32 ? UINT32_MAX : (UINT32_C(1) << sc->n_types) - 1;
    (void)sec;
    if ((m & all) == all) return 0;
    rs_scn_put_names(sc, SEC_TYPE, m, out);
    return 1;
}

static int put_bot_types(const struct rs_scenario *sc, const void *sec, const void *field,
                         struct rs_buf *out)
{
    uint32_t m = *(const uint32_t *)field;
    (void)sec;
    if (m == 0) return 0;
    rs_scn_put_names(sc, SEC_TYPE, m, out);
    return 1;
}

static int put_complaint_types(const struct rs_scenario *sc, const void *sec, const void *field,
                               struct rs_buf *out)
{
    uint32_t m = rs_scenario_complaint_mask(sc);
    (void)sec, (void)field;
    if (m == 0)
        rs_buf_puts(out, "none");
    else
        rs_scn_put_names(sc, SEC_TYPE, m, out);
    return 1;
}

static int equal_complaint_types(const struct rs_scenario *a, const void *x,
                                 const struct rs_scenario *b, const void *y)
{
    (void)x, (void)y;
    return rs_scenario_complaint_mask(a) == rs_scenario_complaint_mask(b);
}

static int equal_u32(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                     const void *y)
{
    (void)a, (void)b;
    return *(const uint32_t *)x == *(const uint32_t *)y;
}

static int equal_int(const struct rs_scenario *a, const void *x, const struct rs_scenario *b,
                     const void *y)
{
    (void)a, (void)b;
    return *(const int *)x == *(const int *)y;
}

/* ------------------------------------------------ the tables */

static const char *const visibilities[] = {"public", "private", NULL};
static const char *const yes_no[] = {"no", "yes", NULL};
static const char *const abandons[] = {"stay", "leave", NULL};
static const char *const shift_ends[] = {"finish", "handoff", NULL};
static const char *const profile_scales[] = {"mean", "absolute", NULL};

/* Rows give their columns in order (name, type, off, flags, lo, hi, def,
 * msg, pmsg) up to the last they use, then by name: the columns left out
 * are 0 or NULL.  msg is what a failed range check says, as the user reads
 * it: "horizon: expected a duration > 0". */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* Shorthands for the columns most entries leave empty. */
#define CUSTOM(p, w, e) .type = KT_CUSTOM, .parse = p, .put = w, .equal = e
#define DEFER(fl, w, e) .type = KT_CUSTOM, .flags = K_DEFER | (fl), .put = w, .equal = e
#define PROB(f)                                                                                    \
    .type = KT_PROB, .off = SC(outcome.f), .flags = K_NODEF, .lo = 0, .hi = 1,                     \
    .msg = "expected a probability from 0 to 1"
#define NONNEG(o, extra)                                                                           \
    .type = KT_NUMBER, .off = o, .flags = K_FINITE | K_PARSE_RANGE | (extra), .lo = 0, .hi = H,    \
    .msg = "expected a number >= 0"

static const struct key_def scenario_keys[] = {
    {"name", KT_NAME, SC(name), .doc = "label of the output folder (default: the file's name)"},
    {"horizon", KT_DURATION, SC(horizon_s), K_REQUIRED | K_LO_OPEN | K_FINITE, 0, H, 0,
     "expected a duration > 0", .doc = "length of the arrival window"},
    {"warmup", KT_DURATION, SC(warmup_s), K_FINITE, 0, H, 0, "expected a duration >= 0",
     .check = rs_scn_check_warmup, .doc = "arrivals before this are not counted"},
    {"drain", KT_DURATION, SC(drain_s), K_FINITE, 0, H, 86400, "expected a duration >= 0",
     .doc = "work goes on this long after the horizon"},
    {"interval", KT_DURATION, SC(interval_s), K_LO_OPEN | K_FINITE, 0, H, 3600,
     "expected a duration > 0", .doc = "width of per-interval statistics"},
    {"replications", KT_INT, SC(replications), 0, 1, INT_MAX, 10, "expected a whole number >= 1"},
    {"seed", KT_U64, SC(seed), 0, 0, H, 1},
    {"start", CUSTOM(rs_scn_parse_start, rs_scn_put_start, rs_scn_equal_start),
     .off = SC(start_day), .check = rs_scn_check_start, .doc = "weekday and clock time of t = 0"},
    {"within", CUSTOM(rs_scn_parse_within, rs_scn_put_within, rs_scn_equal_within),
     .off = SC(within_s), .check = rs_scn_check_within, .doc = "service-level thresholds"},
    {"include", CUSTOM(rs_scn_parse_none, NULL, NULL), .flags = K_NOWRITE,
     .doc = "a scenario file read first (the loader reads it)"},
};

static const struct key_def channel_keys[] = {
    {"visibility", KT_WORD, CH(visibility), 0, 0, 0, RS_PUBLIC, .words = visibilities,
     .expected = "public or private"},
    {"rate", KT_RATE, CH(rate_per_s), K_FINITE, 0, H, 0, "expected a rate >= 0 such as 40/h",
     .put = put_rate_unless_trace, .check = rs_scn_check_rate,
     .doc = "average arrival rate (required unless trace)"},
    {"profile", DEFER(0, put_series, equal_series), .off = CH(profile),
     .check = rs_scn_check_profile, .doc = "CSV of rate multipliers (the shape of the rate)"},
    {"profile_scale", KT_WORD, CH(profile_scale), 0, 0, 0, RS_PROFILE_MEAN, .words = profile_scales,
     .expected = "mean or absolute", .put = put_profile_scale,
     .doc = "mean: multipliers rescaled to mean 1, rate is the average; absolute: as written"},
    {"dispersion", NONNEG(CH(dispersion), 0), .doc = "CV of the day-level factor on the rate"},
    {"mix", DEFER(0, put_mix, equal_mix), .off = CH(mix), .check = rs_scn_check_channel_mix,
     .doc = "share of each type"},
    {"trace", DEFER(0, put_trace, equal_trace), .off = CH(trace), .check = rs_scn_check_trace,
     .doc = "CSV of arrivals to replay"},
    {"amplify", KT_NUMBER, CH(amplify), K_OMIT_DEF | K_FINITE | K_HI_OPEN, 0, 1, 0,
     "expected a number from 0 to below 1 (a branching ratio: at 1 or more amplification never "
     "dies out)",
     .check = rs_scn_check_amplify, .doc = "new complaints per complaint left to lapse (0)"},
    {"amplify_delay", CUSTOM(rs_scn_parse_opt_dist, rs_scn_put_opt_dist, rs_scn_equal_opt_dist),
     .off = CH(amplify_delay), .check = rs_scn_check_amplify_delay,
     .doc = "when amplified complaints come (required with amplify)"},
    {"move", KT_PROB, CH(move), K_OMIT_DEF, 0, 1, 0, "expected a probability from 0 to 1",
     .check = rs_scn_check_move, .doc = "P(a conversation goes private after the first reply)"},
    {"move_to", DEFER(0, put_switch_to, equal_int), .off = CH(move_to), .def = -1,
     .check = rs_scn_check_move_to, .doc = "the private channel it goes on"},
};

static const struct key_def burst_keys[] = {
    {"channel", DEFER(K_REQUIRED, put_burst_channel, equal_int), .off = BU(channel), .def = -1,
     .check = rs_scn_check_burst_channel},
    {"at", KT_DURATION, BU(at_s), K_REQUIRED, .hi = H, .check = rs_scn_check_burst_at},
    {"rate", KT_RATE, BU(rate_per_s), K_REQUIRED | K_LO_OPEN | K_FINITE, 0, H, 0,
     "expected a rate > 0 such as 300/h"},
    {"half_life", KT_DURATION, BU(half_life_s), K_REQUIRED | K_LO_OPEN | K_FINITE, 0, H, 0,
     "expected a duration > 0"},
    {"mix", DEFER(0, put_mix, equal_mix), .off = BU(mix), .check = rs_scn_check_burst_mix,
     .doc = "share of each type (default: the channel's)"},
};

static const struct key_def type_keys[] = {
    {"reply", KT_WORD, TY(needs_reply), 0, 0, 0, 1, .words = yes_no, .expected = "yes or no"},
    {"handle", KT_DIST, TY(handle), 0, 0, 0, 0, "expected a finite handle time, not never",
     .doc = "handle time (required when reply = yes)"},
    {"patience", KT_DIST, TY(patience), K_NEVER_OK, .doc = "default never"},
    {"followup", KT_PROB, TY(followup), 0, 0, 1, 0, "expected a probability from 0 to 1"},
    {"switch", KT_PROB, TY(switch_p), 0, 0, 1, 0, "expected a probability from 0 to 1",
     .check = rs_scn_check_switch},
    {"switch_to", DEFER(0, put_switch_to, equal_int), .off = TY(switch_to), .def = -1,
     .check = rs_scn_check_switch_to},
    {"priority", KT_INT, TY(priority), 0, INT_MIN, INT_MAX, 0},
    {"value", NONNEG(TY(value), 0), .doc = "the author's spend"},
    {"followers", KT_DIST, TY(followers), K_UNITLESS, 0, 0, 0,
     "expected a finite distribution, not never"},
    {"reply_back", KT_PROB, TY(reply_back), K_OMIT_DEF | K_HI_OPEN, 0, 1, 0,
     "expected a probability from 0 to below 1",
     .doc = "P(the author writes again after each agent reply) (0)"},
    {"turns_max", KT_INT, TY(turns_max), K_OMIT_DEF, 0, INT_MAX, 0,
     "expected a whole number >= 0 (0: no cap)", .doc = "most agent replies per conversation"},
    {"think", CUSTOM(rs_scn_parse_opt_dist, rs_scn_put_opt_dist, rs_scn_equal_opt_dist),
     .off = TY(think), .check = rs_scn_check_think, .doc = "the author's time to write back"},
    {"next_handle", CUSTOM(rs_scn_parse_opt_dist, rs_scn_put_opt_dist, rs_scn_equal_opt_dist),
     .off = TY(next_handle), .doc = "handle time of later turns (default handle)"},
    {"next_patience", CUSTOM(rs_scn_parse_opt_patience, rs_scn_put_opt_dist, rs_scn_equal_opt_dist),
     .off = TY(next_patience), .doc = "patience of later turns (default patience)"},
    {"affinity", CUSTOM(rs_scn_parse_affinity, rs_scn_put_affinity, rs_scn_equal_affinity),
     .off = TY(affinity_s), .doc = "a later turn waits this long for the same agent"},
};

static const struct key_def staff_keys[] = {
    {"agents", KT_INT, SC(agents), 0, 0, INT_MAX, 0, "expected a whole number >= 0",
     .put = put_agents_unless_schedule},
    {"schedule", DEFER(0, put_series, equal_series), .off = SC(schedule),
     .check = rs_scn_check_schedule},
    {"concurrency", KT_INT, SC(concurrency), 0, 1, INT_MAX, 1, "expected a whole number >= 1"},
    {"shift_end", KT_WORD, SC(shift_end), 0, 0, 0, RS_SHIFT_FINISH, .words = shift_ends,
     .expected = "finish or handoff"},
    {"types", DEFER(0, put_types_unless_all, equal_u32), .off = SC(staff_types),
     .doc = "types these agents answer (skills; default all)"},
    {"speed", KT_NUMBER, SC(staff_speed), K_OMIT_DEF | K_LO_OPEN | K_FINITE, 0, H, 1,
     "expected a number > 0", .doc = "handle times are divided by it"},
    {"concurrency_slowdown", KT_NUMBER, SC(staff_slowdown), K_OMIT_DEF | K_FINITE, 1, H, 1,
     "expected a number >= 1", .doc = "each further conversation in hand stretches handle times"},
};

static const struct key_def surge_keys[] = {
    {"when", CUSTOM(rs_scn_parse_when, rs_scn_put_when, equal_int), .off = SU(queue_min),
     .flags = K_REQUIRED, .doc = "queue>=N: messages waiting for the surge's skills"},
    {"after", KT_DURATION, SU(after_s), K_FINITE, 0, H, 0, "expected a duration >= 0",
     .doc = "how long the queue stays that long first"},
    {"agents", KT_INT, SU(agents), K_REQUIRED, 1, INT_MAX, 0, "expected a whole number >= 1"},
    {"for", KT_DURATION, SU(for_s), K_REQUIRED | K_LO_OPEN | K_FINITE, 0, H, 0,
     "expected a duration > 0", .doc = "how long they stay"},
    {"channels", DEFER(0, put_shift_channels, equal_u32), .off = SU(channels),
     .doc = "channels they answer (default all)"},
    {"types", DEFER(0, put_types_unless_all, equal_u32), .off = SU(types),
     .doc = "types they answer (default all)"},
};

static const struct key_def shift_keys[] = {
    {"days", CUSTOM(rs_scn_parse_days, rs_scn_put_days, equal_u32), .off = SH(days),
     .flags = K_REQUIRED, .check = rs_scn_check_days},
    {"start", KT_CLOCK, SH(start_clock_s), K_REQUIRED | K_HI_OPEN | K_PARSE_RANGE | K_WHOLE_MIN, 0,
     86400, 0, "expected a clock time from 00:00 to 23:59"},
    {"length", KT_DURATION, SH(length_s), K_REQUIRED | K_LO_OPEN, 0, RS_WEEK_S, 0,
     "expected a duration > 0 and at most 7d"},
    {"agents", KT_INT, SH(agents), K_REQUIRED, 0, INT_MAX, 0, "expected a whole number >= 0"},
    {"channels", DEFER(0, put_shift_channels, equal_u32), .off = SH(channels),
     .check = rs_scn_check_shift_channels, .doc = "default all"},
    {"types", DEFER(0, put_types_unless_all, equal_u32), .off = SH(types),
     .doc = "types these agents answer (skills; default all)"},
    {"speed", KT_NUMBER, SH(speed), K_OMIT_DEF | K_LO_OPEN | K_FINITE, 0, H, 1,
     "expected a number > 0", .doc = "handle times are divided by it"},
    {"concurrency_slowdown", KT_NUMBER, SH(slowdown), K_OMIT_DEF | K_FINITE, 1, H, 1,
     "expected a number >= 1", .doc = "each further conversation in hand stretches handle times"},
    {"break", KT_DURATION, SH(break_s), 0, .hi = H, .check = rs_scn_check_break},
};

static const struct key_def policy_keys[] = {
    {"order", CUSTOM(rs_scn_parse_order, rs_scn_put_string, rs_scn_equal_string), .off = SC(order),
     .check = rs_scn_check_order},
    {"weights", CUSTOM(rs_scn_parse_weights, rs_scn_put_weights, rs_scn_equal_weights),
     .off = SC(weights), .check = rs_scn_check_weights},
    {"abandon", KT_WORD, SC(abandon), 0, 0, 0, RS_ABANDON_STAY, .words = abandons,
     .expected = "stay or leave"},
    {"max_age", KT_DURATION, SC(max_age_s), K_NONE | K_LO_OPEN | K_FINITE, 0, H, 0,
     "expected a duration > 0 or none", "expected a duration > 0 such as 2d, or none"},
    {"overflow", KT_DURATION, SC(overflow_s), K_OMIT_DEF | K_FINITE, 0, H, 0,
     "expected a duration >= 0",
     .doc = "a message waiting longer may go to any pool on its channel"},
    {"hours", CUSTOM(rs_scn_parse_hours, rs_scn_put_hours, rs_scn_equal_hours), .off = SC(hours),
     .check = rs_scn_check_hours},
    {"inbox_limit", KT_LONG, SC(inbox_limit), K_NONE, 1, (double)LONG_MAX, 0,
     "expected a whole number >= 1 or none"},
    {"autoack", KT_NUMBER, SC(autoack), K_NONE | K_FINITE, 1, H, 0,
     "expected a factor >= 1 or none", "expected a factor >= 1 such as 1.5, or none"},
    {"bot", KT_PROB, SC(bot), 0, 0, 1, 0, "expected a probability from 0 to 1"},
    {"bot_types", DEFER(0, put_bot_types, equal_u32), .off = SC(bot_types),
     .check = rs_scn_check_bot_types},
};

/* Defaults: rs_outcome_defaults (the outcome model owns them). */
static const struct key_def outcome_keys[] = {
    {"tau", KT_DURATION, SC(outcome.tau_s), K_NODEF | K_LO_OPEN | K_FINITE | K_PARSE_RANGE, 0, H, 0,
     "expected a duration > 0 such as 12m"},
    {"phi", PROB(phi)},
    {"recommend_p1", PROB(recommend_p1)},
    {"recommend_p0", PROB(recommend_p0)},
    {"spend_s", NONNEG(SC(outcome.spend_s), K_NODEF)},
    {"spend_cap", NONNEG(SC(outcome.spend_cap), K_NODEF)},
    {"defect_d", PROB(defect_d)},
    {"defect_kappa", PROB(defect_kappa)},
    {"negative_a", PROB(negative_a)},
    {"positive_b", PROB(positive_b)},
    {"onlooker_less", PROB(onlooker_less)},
    {"onlooker_delta", PROB(onlooker_delta)},
    {"onlooker_purchase", PROB(onlooker_purchase)},
    {"complaint_types", DEFER(K_NODEF, put_complaint_types, equal_complaint_types),
     .off = SC(outcome.complaint_types), .check = rs_scn_check_complaint_types},
};

/* The CSV inputs and the mix are checked after the plain keys. */
static const char *const channel_order[] = {"visibility",    "rate",  "dispersion", "profile_scale",
                                            "profile",       "trace", "mix",        "amplify",
                                            "amplify_delay", "move",  "move_to",    NULL};

_Static_assert(sizeof channel_order / sizeof *channel_order ==
                   sizeof channel_keys / sizeof *channel_keys + 1,
               "channel_order names every channel key once");

#define KEYS(t) t, (int)(sizeof t / sizeof t[0])
#define NAMED(type, arr, n) SC(arr), sizeof(type), SC(n)

const struct section_def rs_scn_sections[N_SECTIONS] = {
    [SEC_SCENARIO] = {"scenario", 0, 1, 1, 0, 0, 0, KEYS(scenario_keys),
                      "[scenario] with horizon = 7d", NULL},
    [SEC_CHANNEL] = {"channel", 1, 1, RS_MAX_CHANNELS,
                     NAMED(struct rs_channel_cfg, channels, n_channels), KEYS(channel_keys),
                     "[channel NAME] with rate = 6/h", rs_scn_check_channels_all, channel_order},
    [SEC_BURST] = {"burst", 1, 0, RS_MAX_BURSTS, NAMED(struct rs_burst_cfg, bursts, n_bursts),
                   KEYS(burst_keys), "", NULL},
    [SEC_TYPE] = {"type", 1, 1, RS_MAX_TYPES, NAMED(struct rs_type_cfg, types, n_types),
                  KEYS(type_keys), "[type NAME] with handle = exponential(mean=5m)", NULL},
    [SEC_STAFF] = {"staff", 0, 0, 1, 0, 0, 0, KEYS(staff_keys), "[staff] with agents = 2", NULL},
    [SEC_SHIFT] = {"shift", 1, 0, RS_MAX_SHIFTS, NAMED(struct rs_shift_cfg, shifts, n_shifts),
                   KEYS(shift_keys), "", NULL},
    [SEC_SURGE] = {"surge", 1, 0, RS_MAX_SURGES, NAMED(struct rs_surge_cfg, surges, n_surges),
                   KEYS(surge_keys), "", NULL},
    [SEC_POLICY] = {"policy", 0, 0, 1, 0, 0, 0, KEYS(policy_keys), "", NULL},
    [SEC_OUTCOME] = {"outcome", 0, 0, 1, 0, 0, 0, KEYS(outcome_keys), "", NULL},
};

#pragma GCC diagnostic pop

_Static_assert(RS_MAX_CHANNELS <= 32 && RS_MAX_TYPES <= 32, "bit masks hold 32");

/* ------------------------------------------------ sections */

int rs_scn_key_index(int kind, const char *name)
{
    const struct section_def *s = &rs_scn_sections[kind];
    for (int k = 0; k < s->n_keys; k++)
        if (strcmp(s->keys[k].name, name) == 0) return k;
    return -1;
}

int rs_scn_count(const struct rs_scenario *sc, int kind)
{
    const struct section_def *s = &rs_scn_sections[kind];
    int n;
    if (!s->named) return 1;
    memcpy(&n, (const char *)sc + s->count_off, sizeof n);
    return n;
}

void *rs_scn_section(struct rs_scenario *sc, int kind, int i)
{
    const struct section_def *s = &rs_scn_sections[kind];
    return (char *)sc + s->off + (size_t)i * s->stride;
}

const void *rs_scn_section_c(const struct rs_scenario *sc, int kind, int i)
{
    const struct section_def *s = &rs_scn_sections[kind];
    return (const char *)sc + s->off + (size_t)i * s->stride;
}

const char *rs_scn_name_of(const struct rs_scenario *sc, int kind, int i)
{
    return rs_scn_sections[kind].named ? rs_scn_section_c(sc, kind, i) : "";
}

void rs_scn_label(const struct rs_scenario *sc, int kind, int i, struct rs_buf *out)
{
    if (rs_scn_sections[kind].named)
        rs_buf_printf(out, "[%s %s]", rs_scn_sections[kind].kind, rs_scn_name_of(sc, kind, i));
    else
        rs_buf_printf(out, "[%s]", rs_scn_sections[kind].kind);
}

/* ------------------------------------------------ generic by type */

static void store_number(const struct key_def *kd, void *f, double x)
{
    int i;
    long l;
    uint64_t u;
    switch (kd->type) {
    case KT_INT:
    case KT_WORD:
        i = (int)x;
        memcpy(f, &i, sizeof i);
        break;
    case KT_LONG:
        l = (long)x;
        memcpy(f, &l, sizeof l);
        break;
    case KT_U64:
        u = (uint64_t)x;
        memcpy(f, &u, sizeof u);
        break;
    default:
        memcpy(f, &x, sizeof x);
    }
}

static double load_number(const struct key_def *kd, const void *f)
{
    int i;
    long l;
    double x;
    switch (kd->type) {
    case KT_INT:
    case KT_WORD:
        memcpy(&i, f, sizeof i);
        return i;
    case KT_LONG:
        memcpy(&l, f, sizeof l);
        return (double)l;
    default:
        memcpy(&x, f, sizeof x);
        return x;
    }
}

static int is_number(enum key_type t)
{
    return t == KT_DURATION || t == KT_RATE || t == KT_NUMBER || t == KT_PROB || t == KT_CLOCK ||
           t == KT_INT || t == KT_LONG || t == KT_WORD;
}

static int in_range(const struct key_def *kd, double x)
{
    unsigned f = kd->flags;
    if ((f & K_FINITE) && !isfinite(x)) return 0;
    if ((f & K_LO_OPEN) ? !(x > kd->lo) : !(x >= kd->lo)) return 0;
    if ((f & K_HI_OPEN) ? !(x < kd->hi) : !(x <= kd->hi)) return 0;
    return 1;
}

static int n_words(const char *const *words)
{
    int n = 0;
    while (words[n])
        n++;
    return n;
}

/* Defaults of the keys of section (kind, i) that have one in the table. */
void rs_scn_key_defaults(struct rs_scenario *sc, int kind, int i)
{
    const struct section_def *s = &rs_scn_sections[kind];
    char *base = rs_scn_section(sc, kind, i);
    for (int k = 0; k < s->n_keys; k++) {
        const struct key_def *kd = &s->keys[k];
        if (kd->flags & K_NODEF) continue;
        if (is_number(kd->type) || kd->type == KT_U64)
            store_number(kd, base + kd->off, kd->def);
        else if (kd->type == KT_DIST) /* never where allowed, else a constant */
            *(struct rs_dist *)(void *)(base + kd->off) =
                (kd->flags & K_NEVER_OK) ? rs_dist_never() : rs_dist_const(kd->def);
        else if (kd->def != 0) /* section references: -1, none */
            store_number(&(struct key_def){.type = KT_INT}, base + kd->off, kd->def);
    }
}

/* The plain types; x the number read, *set 0 when the value is not a number. */
static int parse_plain(const struct key_def *kd, void *f, const char *v, double *x, char *why,
                       size_t n)
{
    long l;
    int w;
    switch (kd->type) {
    case KT_DURATION:
        return rs_units_duration(v, x, why, n);
    case KT_RATE:
        return rs_units_rate(v, x, why, n);
    case KT_NUMBER:
        return rs_units_number(v, x, why, n);
    case KT_PROB:
        return rs_units_prob(v, x, why, n);
    case KT_CLOCK:
        return rs_units_clock(v, x, why, n);
    case KT_INT:
    case KT_LONG:
        if (rs_units_int(v, (long)kd->lo, kd->type == KT_INT ? (long)kd->hi : LONG_MAX, &l, why, n))
            return RS_EINPUT;
        *x = (double)l;
        return RS_OK;
    case KT_WORD:
        if (rs_scn_word(v, kd->words, n_words(kd->words), &w, why, n, kd->expected))
            return RS_EINPUT;
        *x = w;
        return RS_OK;
    default:
        (void)f;
        return RS_EINPUT;
    }
}

static int parse_other(const struct key_def *kd, struct rs_scenario *sc, void *f, const char *v,
                       char *why, size_t n)
{
    uint64_t u;
    switch (kd->type) {
    case KT_NAME:
        if (rs_scn_check_name(v, why, n)) return RS_EINPUT;
        snprintf(f, RS_NAME_MAX, "%s", v);
        return RS_OK;
    case KT_U64:
        if (rs_units_seed(v, &u) == 0) {
            memcpy(f, &u, sizeof u);
            return RS_OK;
        }
        rs_error_why(why, n, "expected a whole number from 0 to %" PRIu64 ", got \"%s\"",
                     UINT64_MAX, v);
        return RS_EINPUT;
    case KT_DIST:
        return rs_dist_parse(v, (kd->flags & K_UNITLESS) ? RS_DIST_UNITLESS : RS_DIST_DURATION,
                             (kd->flags & K_NEVER_OK) != 0, f, why, n);
    default:
        return kd->parse(sc, f, v, why, n);
    }
}

/* Parses v into key k of section (kind, i); fills why on error. */
int rs_scn_parse_key(struct rs_scenario *sc, int kind, int i, int k, const char *v, char *why,
                     size_t n)
{
    const struct key_def *kd = &rs_scn_sections[kind].keys[k];
    void *f = (char *)rs_scn_section(sc, kind, i) + kd->off;
    const char *pmsg = kd->pmsg ? kd->pmsg : kd->msg;
    double x = 0;
    if (!is_number(kd->type)) return parse_other(kd, sc, f, v, why, n);
    if ((kd->flags & K_NONE) && strcmp(v, "none") == 0) {
        store_number(kd, f, 0);
        return RS_OK;
    }
    int rc = parse_plain(kd, f, v, &x, why, n);
    if ((kd->flags & K_NONE) && (rc || !in_range(kd, x))) {
        rs_error_why(why, n, "%s, got \"%s\"", pmsg, v);
        return RS_EINPUT;
    }
    if (rc) return rc;
    if ((kd->flags & K_PARSE_RANGE) && !in_range(kd, x)) {
        rs_error_why(why, n, "%s, got \"%s\"", pmsg, v);
        return RS_EINPUT;
    }
    store_number(kd, f, x);
    return RS_OK;
}

/* The table's range of key k of section (kind, i), then its own rule. */
int rs_scn_check_key(const struct checker *ck, int kind, int i, int k)
{
    const struct key_def *kd = &rs_scn_sections[kind].keys[k];
    const void *sec = rs_scn_section_c(ck->sc, kind, i);
    const void *f = (const char *)sec + kd->off;
    char why[RS_SCN_WHY];
    if (kd->type == KT_NAME && rs_scn_check_name(f, why, sizeof why))
        return rs_scn_fail(ck, kind, i, kd->name, "%s", why);
    if (kd->type == KT_WORD) {
        double x = load_number(kd, f);
        if (x < 0 || x >= n_words(kd->words))
            return rs_scn_fail(ck, kind, i, kd->name, "expected %s", kd->expected);
    }
    if (kd->type == KT_DIST && kd->msg && !(kd->flags & K_NEVER_OK) &&
        ((const struct rs_dist *)f)->kind == RS_DIST_NEVER)
        return rs_scn_fail(ck, kind, i, kd->name, "%s", kd->msg);
    if (is_number(kd->type) && kd->type != KT_WORD && kd->msg) {
        double x = load_number(kd, f);
        int ok = ((kd->flags & K_NONE) && x == 0) || in_range(kd, x);
        if (ok && (kd->flags & K_WHOLE_MIN)) ok = fmod(x, 60) == 0;
        if (!ok) return rs_scn_fail(ck, kind, i, kd->name, "%s", kd->msg);
    }
    return kd->check ? kd->check(ck, kind, i, sec) : RS_OK;
}

static void put_plain(const struct key_def *kd, double x, struct rs_buf *out)
{
    char s[64];
    if ((kd->flags & K_NONE) && x == 0) {
        rs_buf_puts(out, "none");
        return;
    }
    switch (kd->type) {
    case KT_DURATION:
        rs_units_format_duration(x, s, sizeof s);
        break;
    case KT_RATE:
        rs_units_format_rate(x, s, sizeof s);
        break;
    case KT_CLOCK:
        rs_scn_put_clock(x, out);
        return;
    case KT_INT:
    case KT_LONG:
        snprintf(s, sizeof s, "%.0f", x);
        break;
    case KT_WORD:
        snprintf(s, sizeof s, "%s", x >= 0 && x < n_words(kd->words) ? kd->words[(int)x] : "?");
        break;
    default:
        rs_units_format_number(x, s, sizeof s);
    }
    rs_buf_puts(out, s);
}

/* Writes the value of key kd of section sec; 0: the key is left out. */
static int put_key(const struct key_def *kd, const struct rs_scenario *sc, const void *sec,
                   struct rs_buf *out)
{
    const void *f = (const char *)sec + kd->off;
    uint64_t u;
    if (kd->put) return kd->put(sc, sec, f, out);
    if ((kd->flags & K_OMIT_DEF) && is_number(kd->type) && load_number(kd, f) == kd->def) return 0;
    switch (kd->type) {
    case KT_NAME:
        rs_buf_puts(out, f);
        return 1;
    case KT_U64:
        memcpy(&u, f, sizeof u);
        rs_buf_printf(out, "%" PRIu64, u);
        return 1;
    case KT_INT: /* exactly, whatever its size */
        rs_buf_printf(out, "%d", *(const int *)f);
        return 1;
    case KT_LONG:
        if (*(const long *)f != 0 || !(kd->flags & K_NONE)) {
            rs_buf_printf(out, "%ld", *(const long *)f);
            return 1;
        }
        break;
    case KT_DIST: {
        char s[1024];
        rs_dist_format(f, (kd->flags & K_UNITLESS) ? RS_DIST_UNITLESS : RS_DIST_DURATION, s,
                       sizeof s);
        rs_buf_puts(out, s);
        return 1;
    }
    default:
        break;
    }
    put_plain(kd, load_number(kd, f), out);
    return 1;
}

static int equal_key(const struct key_def *kd, const struct rs_scenario *a, const void *x,
                     const struct rs_scenario *b, const void *y)
{
    if (kd->equal) return kd->equal(a, x, b, y);
    switch (kd->type) {
    case KT_NAME:
        return strcmp(x, y) == 0;
    case KT_U64:
        return memcmp(x, y, sizeof(uint64_t)) == 0;
    case KT_INT:
    case KT_WORD:
        return *(const int *)x == *(const int *)y;
    case KT_LONG:
        return *(const long *)x == *(const long *)y;
    case KT_DIST:
        return rs_dist_equal(x, y);
    case KT_CUSTOM:
        return 1; /* include: not part of the resolved scenario */
    default:      /* by value: NaN is unequal here, as ever (lists: rs_scn_same_doubles) */
        return *(const double *)x == *(const double *)y;
    }
}

/* ------------------------------------------------ writing, comparing */

int rs_scenario_write(const struct rs_scenario *sc, FILE *out)
{
    struct rs_buf v = RS_BUF_INIT;
    fprintf(out, "; resolved by replysim\n");
    for (int s = 0; s < N_SECTIONS; s++) {
        const struct section_def *sd = &rs_scn_sections[s];
        int n = rs_scn_count(sc, s);
        for (int i = 0; i < n; i++) {
            const void *sec = rs_scn_section_c(sc, s, i);
            rs_buf_reset(&v);
            rs_scn_label(sc, s, i, &v);
            fprintf(out, "\n%s\n", rs_buf_str(&v));
            for (int k = 0; k < sd->n_keys; k++) {
                if (sd->keys[k].flags & K_NOWRITE) continue;
                rs_buf_reset(&v);
                if (put_key(&sd->keys[k], sc, sec, &v))
                    fprintf(out, "%s = %s\n", sd->keys[k].name, rs_buf_str(&v));
            }
        }
    }
    rs_buf_free(&v);
    return ferror(out) || fflush(out) != 0 ? RS_EIO : RS_OK;
}

int rs_scenario_equal(const struct rs_scenario *a, const struct rs_scenario *b)
{
    for (int s = 0; s < N_SECTIONS; s++) {
        const struct section_def *sd = &rs_scn_sections[s];
        int n = rs_scn_count(a, s);
        if (n != rs_scn_count(b, s)) return 0;
        for (int i = 0; i < n && (!sd->named || i < sd->max); i++) {
            const char *x = rs_scn_section_c(a, s, i), *y = rs_scn_section_c(b, s, i);
            if (sd->named && strcmp(x, y) != 0) return 0;
            for (int k = 0; k < sd->n_keys; k++)
                if (!equal_key(&sd->keys[k], a, x + sd->keys[k].off, b, y + sd->keys[k].off))
                    return 0;
        }
    }
    return 1;
}
