/* scenario.h: the scenario, a plain configuration struct, and its loader.
 *
 * A scenario is read from an INI file with inih (docs/scenario-reference.md section 3).  Every
 * field below has its default filled in by the loader; code and tests may
 * also build one by hand with rs_scenario_defaults().  All times are seconds,
 * all rates per second.  Each key of the file is one entry of the key table
 * in sim/scenario_keys.c (type, field, range, default). */
#ifndef RS_SCENARIO_H
#define RS_SCENARIO_H

#include "replysim/dist.h"
#include "replysim/error.h"
#include "replysim/outcome.h"

#include <stdint.h>
#include <stdio.h>

#define RS_NAME_MAX 64  /* longest section or scenario name, with NUL */
#define RS_PATH_MAX 512 /* longest file path, with NUL */
#define RS_MAX_CHANNELS 32
#define RS_MAX_TYPES 32
#define RS_MAX_WITHIN 16
#define RS_MAX_BURSTS 32
#define RS_MAX_SURGES 8
#define RS_MAX_SHIFTS 256 /* staff --shifts writes one per weekday, start and length */
#define RS_MAX_HOURS 64   /* weekly working-hour spans */
#define RS_WEEK_S 604800.0

enum rs_visibility { RS_PUBLIC, RS_PRIVATE };
enum rs_abandon { RS_ABANDON_STAY, RS_ABANDON_LEAVE };
enum rs_shift_end { RS_SHIFT_FINISH, RS_SHIFT_HANDOFF };
/* How a channel's profile multipliers apply to its rate: RS_PROFILE_MEAN
 * (default) rescales them to mean 1 over their period (the week for a
 * weekly profile, else the horizon), so rate is the channel's average;
 * RS_PROFILE_ABSOLUTE uses them as written, rate x multiplier. */
enum rs_profile_scale { RS_PROFILE_MEAN, RS_PROFILE_ABSOLUTE };

/* A piecewise-constant function of time read from a CSV file (rate profile,
 * staffing schedule): value[i] holds on [t_s[i], t_s[i + 1]) and the last
 * value holds to the end.  With weekly = 1, t_s is seconds after mon 00:00
 * (the calendar week, not the scenario's start) and the function repeats
 * every week; otherwise t_s is seconds from the scenario's start, t_s[0] = 0.
 * n = 0: none.  The loader owns the arrays. */
struct rs_series {
    char path[RS_PATH_MAX]; /* as resolved by the loader (written back by validate) */
    int weekly;
    int n;
    double *t_s; /* increasing */
    double *value;
};

/* Real arrivals to replay on a channel, sorted by time (seconds from start).
 * Optional columns hold -1 (type) or NaN (followers, handle) where the file
 * has no such column or leaves the cell empty: those are drawn as usual.
 * thread_of (NULL: none) names, per row, the earlier row of this trace
 * whose thread the row follows up (-1: a new message): posted while that
 * row's message is still open, the row joins its thread and the thread's
 * one reply answers it (fate thread); otherwise it is a new message. */
struct rs_trace {
    char path[RS_PATH_MAX];
    int n; /* 0: no trace */
    double *t_s;
    int *type; /* type index or -1 */
    double *followers;
    double *handle_s;
    int *thread_of; /* earlier row index or -1; NULL: no follow-ups */
};

struct rs_channel_cfg {
    char name[RS_NAME_MAX];              /* from [channel NAME] */
    enum rs_visibility visibility;       /* public (default) or private */
    double rate_per_s;                   /* average arrival rate (base rate when absolute) */
    double mix[RS_MAX_TYPES];            /* share of each type (by type index), sums to 1 */
    struct rs_series profile;            /* rate multipliers (n = 0: none, i.e. 1) */
    enum rs_profile_scale profile_scale; /* (mean) */
    double dispersion;                   /* CV of the day-level gamma factor on the rate (0) */
    struct rs_trace trace;               /* arrivals to replay instead of rate (n = 0: none) */
    double amplify;                      /* new complaints per complaint left to lapse (0; < 1) */
    struct rs_opt_dist amplify_delay;    /* when they come (required when amplify > 0) */
    double move;                         /* P(a conversation goes on privately after the
                                          * first public reply) (0) */
    int move_to;                         /* the private channel it goes on, -1: none */
    int line;                            /* line of the section header, for messages */
};

/* [burst NAME]: extra arrivals on one channel at rate
 * rate_per_s * 2^-((t - at_s) / half_life_s) for t >= at_s. */
struct rs_burst_cfg {
    char name[RS_NAME_MAX];
    int channel;              /* channel index (required) */
    double at_s;              /* start, seconds from the scenario's start (required) */
    double rate_per_s;        /* rate at at_s (required) */
    double half_life_s;       /* (required) */
    double mix[RS_MAX_TYPES]; /* share of each type (default: the channel's mix) */
    int line;
};

struct rs_type_cfg {
    char name[RS_NAME_MAX];   /* from [type NAME] */
    int needs_reply;          /* reply = yes (1, default) or no (0) */
    struct rs_dist handle;    /* handle time, seconds (required when needs_reply) */
    struct rs_dist patience;  /* patience, seconds (default never) */
    double followup;          /* P(a lapsed author posts again in the thread) (0) */
    double switch_p;          /* P(a lapsed author moves to switch_to) (0) */
    int switch_to;            /* channel index, -1 when switch_p = 0 */
    int priority;             /* larger is answered first by priority policies (0) */
    double value;             /* the author's spend, for outcomes (0) */
    struct rs_dist followers; /* author's follower count, unitless (const(0)) */
    /* conversations: after each agent reply the author writes again with
     * probability reply_back (0: the thread ends at its first reply) */
    double reply_back;
    int turns_max;                    /* most agent replies per conversation (0: no cap) */
    struct rs_opt_dist think;         /* the author's time to write back (required with
                                       * reply_back) */
    struct rs_opt_dist next_handle;   /* handle time of later turns (unset: handle) */
    struct rs_opt_dist next_patience; /* patience of later turns (unset: patience) */
    double affinity_s; /* a later turn waits this long for the agent who answered the last
                        * one (0: none; INFINITY: forever) */
    int line;          /* line of the section header */
};

/* [shift NAME]: agents on the given weekdays from start for length, with
 * the channels they may answer.  Breaks are staggered (see world.c). */
struct rs_shift_cfg {
    char name[RS_NAME_MAX];
    unsigned days;        /* bit d set: weekday d works (0 = mon) (required) */
    double start_clock_s; /* seconds after midnight (required) */
    double length_s;      /* (required), at most 1 week */
    int agents;           /* (required) */
    uint32_t channels;    /* bit c set: may answer channel c (default all) */
    uint32_t types;       /* bit t set: may answer type t (default all) */
    double speed;         /* handle times are divided by it (1) */
    double slowdown;      /* each further conversation in hand stretches handle times (1) */
    double break_s;       /* each agent's break, once per shift (0) */
    int line;
};

/* [surge NAME]: K more agents come on when the messages waiting for the
 * surge's skills have been at least queue_min for after_s, and stay for_s
 * (then the rule may fire again). */
struct rs_surge_cfg {
    char name[RS_NAME_MAX];
    int queue_min;     /* when = queue>=N (required) */
    double after_s;    /* (0) */
    int agents;        /* (required) */
    double for_s;      /* (required) */
    uint32_t channels; /* (default all) */
    uint32_t types;    /* (default all) */
    int line;
};

/* A span of working time within the week, seconds after mon 00:00;
 * to_s may pass RS_WEEK_S for spans that run over sunday midnight. */
struct rs_hours_span {
    double from_s, to_s;
};

/* [policy] weights of the score order (docs/scenario-reference.md section 5). */
struct rs_weights {
    double age;       /* per hour waited (1) */
    double priority;  /* per unit of type priority (60) */
    double influence; /* per decade of followers, log10(1 + followers) (5) */
    double public_;   /* public channel (30) */
    double deadline;  /* per hour nearer the patience deadline (2) */
};

struct rs_scenario {
    char name[RS_NAME_MAX];         /* label of the output folder */
    char path[RS_PATH_MAX];         /* file it was loaded from ("" when built in code) */
    double horizon_s;               /* length of the arrival window (> 0) */
    double warmup_s;                /* arrivals before this are not counted (0) */
    double drain_s;                 /* work goes on this long after the horizon (1d) */
    double interval_s;              /* width of per-interval statistics (1h) */
    int start_day;                  /* weekday of t = 0: 0 = mon .. 6 = sun */
    double start_clock_s;           /* clock time of t = 0, seconds after midnight */
    int replications;               /* (10) */
    uint64_t seed;                  /* (1) */
    int n_within;                   /* number of service-level thresholds */
    double within_s[RS_MAX_WITHIN]; /* thresholds T, increasing (15m,30m,1h,4h,24h) */
    int n_channels;
    struct rs_channel_cfg channels[RS_MAX_CHANNELS];
    int n_types;
    struct rs_type_cfg types[RS_MAX_TYPES];
    int n_bursts;
    struct rs_burst_cfg bursts[RS_MAX_BURSTS];

    /* [staff]: agents (constant) or schedule, plus any [shift] sections. */
    int agents;                  /* constant number of agents (>= 0) (0) */
    struct rs_series schedule;   /* agents over time (n = 0: none) */
    int concurrency;             /* private conversations one agent holds (1) */
    uint32_t staff_types;        /* [staff] types: bit t, may answer type t (default all) */
    double staff_speed;          /* [staff] speed: handle times are divided by it (1) */
    double staff_slowdown;       /* [staff] concurrency_slowdown (1) */
    enum rs_shift_end shift_end; /* (finish) */
    int n_shifts;
    struct rs_shift_cfg shifts[RS_MAX_SHIFTS];
    int n_surges;
    struct rs_surge_cfg surges[RS_MAX_SURGES];

    /* [policy] */
    char order[RS_NAME_MAX];   /* a policy name (fifo) */
    struct rs_weights weights; /* for score */
    enum rs_abandon abandon;   /* (stay) */
    double max_age_s;          /* open messages older are dropped; 0: none */
    double overflow_s;         /* a message waiting longer may go to any pool on its
                                * channel, whatever its types; 0: never */
    int n_hours;               /* 0: always working */
    struct rs_hours_span hours[RS_MAX_HOURS];
    long inbox_limit;   /* 0: none */
    double autoack;     /* patience factor of an automatic ack; 0: none */
    double bot;         /* share of bot_types messages a bot resolves (0) */
    uint32_t bot_types; /* bit t set: type t may go to the bot (0: none) */

    /* [outcome]: parameters of the outcome model (docs/outcomes.md, outcome.h) */
    struct rs_outcome_cfg outcome;
};

/* Fills sc with every default of docs/scenario-reference.md section 3 and no channels or types. */
void rs_scenario_defaults(struct rs_scenario *sc);

/* Loads a scenario file.  On bad input returns RS_EINPUT with err naming file,
 * line, key and what was expected; RS_EIO when the file cannot be read.
 * *out is set only on success; free it with rs_scenario_destroy. */
int rs_scenario_load(const char *path, struct rs_scenario **out, struct rs_error *err);

/* The same, then applies overrides: each sets[i] is "section.key=value"
 * (named sections as "channel.twitter.rate=50/h"), applied as if the line
 * were written in that section after the file's own keys.  Errors in an
 * override name "--set" as the file and the override's position as line. */
int rs_scenario_load_with(const char *path, const char *const *sets, int n_sets,
                          struct rs_scenario **out, struct rs_error *err);

/* The same from text in memory; label is the "file" named in errors. */
int rs_scenario_load_string(const char *text, const char *label, struct rs_scenario **out,
                            struct rs_error *err);

/* Checks a scenario built in code (the loader calls it too): every rule of
 * docs/scenario-reference.md section 3 that is not about syntax.  Errors name the section's line.
 */
int rs_scenario_check(const struct rs_scenario *sc, struct rs_error *err);

/* Comment lines ("; ...") saying what sc's conversation, affinity and
 * amplification keys mean in numbers (expected replies per conversation,
 * the load multiplier of amplification); nothing when it has none. */
void rs_scenario_notes(const struct rs_scenario *sc, FILE *out);

/* Writes the fully resolved scenario as INI (every default written out) that
 * loads again to an identical scenario.  Returns RS_OK or RS_EIO. */
int rs_scenario_write(const struct rs_scenario *sc, FILE *out);

/* 1 when a and b are the same scenario: the same sections, and every key of
 * the key table (sim/scenario_keys.c) the same, numbers by value (in lists
 * -- mixes, series, traces -- NaN equal to NaN: "not given"); path and the line fields are ignored
 * (so a loaded scenario equals its written and reloaded self). */
int rs_scenario_equal(const struct rs_scenario *a, const struct rs_scenario *b);

/* Index of the channel or type called name, or -1. */
int rs_scenario_channel(const struct rs_scenario *sc, const char *name);
int rs_scenario_type(const struct rs_scenario *sc, const char *name);

void rs_scenario_destroy(struct rs_scenario *sc);

/* The factor channel c's profile multipliers are scaled by: 1 / their
 * time-weighted mean over the period (profile_scale = mean), or 1
 * (absolute, or no profile).  0 when the mean is 0 (the check refuses it). */
double rs_scenario_profile_scale(const struct rs_scenario *sc, int c);

/* Expected new messages on channel c over the arrival window [0, horizon):
 * the integral of its rate times its scaled profile, plus its bursts, or
 * the rows of its trace; follow-ups and switches not included.  The day
 * factor (dispersion) has mean 1 and does not change it (sim/arrivals.c). */
double rs_scenario_expected_arrivals(const struct rs_scenario *sc, int c);

/* Bit t set: type t's messages count as complaints in the outcome model:
 * the types complaint_types names, or by default the type named
 * "complaint"; only types that need a reply count. */
uint32_t rs_scenario_complaint_mask(const struct rs_scenario *sc);

/* A deep copy of sc: its arrays (profiles, traces, the schedule) are the
 * copy's own.  Free it with rs_scenario_destroy (sim/scenario_copy.c). */
struct rs_scenario *rs_scenario_copy(const struct rs_scenario *sc);

/* Empties *s and gives it the defaults of a [shift] section written by
 * code: every channel and type of sc, speed and slowdown 1, no break. */
void rs_scenario_shift_init(const struct rs_scenario *sc, struct rs_shift_cfg *s);

/* Replaces sc's staff by a schedule of n steps, value[i] agents from
 * t_s[i] (copied; path is what validate writes back): no constant agents,
 * no [shift] sections.  n = 0 leaves no staff at all. */
void rs_scenario_set_schedule(struct rs_scenario *sc, const char *path, int n, const double *t_s,
                              const double *value);

#endif
