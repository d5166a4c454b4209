/* scenario.h: the scenario, a plain configuration struct, and its loader.
 *
 * A scenario is read from an INI file with inih (SPEC section 3).  Every
 * field below has its default filled in by the loader; code and tests may
 * also build one by hand with rs_scenario_defaults().  All times are seconds,
 * all rates per second. */
#ifndef RS_SCENARIO_H
#define RS_SCENARIO_H

#include "replysim/dist.h"
#include "replysim/error.h"

#include <stdint.h>
#include <stdio.h>

#define RS_NAME_MAX 64      /* longest section or scenario name, with NUL */
#define RS_MAX_CHANNELS 32
#define RS_MAX_TYPES 32
#define RS_MAX_WITHIN 16

enum rs_visibility { RS_PUBLIC, RS_PRIVATE };
enum rs_abandon { RS_ABANDON_STAY, RS_ABANDON_LEAVE };

struct rs_channel_cfg {
    char name[RS_NAME_MAX];          /* from [channel NAME] */
    enum rs_visibility visibility;   /* public (default) or private */
    double rate_per_s;               /* base arrival rate */
    double mix[RS_MAX_TYPES];        /* share of each type (by type index), sums to 1 */
    int line;                        /* line of the section header, for messages */
};

struct rs_type_cfg {
    char name[RS_NAME_MAX];          /* from [type NAME] */
    int needs_reply;                 /* reply = yes (1, default) or no (0) */
    struct rs_dist handle;           /* handle time, seconds (required when needs_reply) */
    struct rs_dist patience;         /* patience, seconds (default never) */
    int line;                        /* line of the section header */
};

struct rs_scenario {
    char name[RS_NAME_MAX];          /* label of the output folder */
    char path[512];                  /* file it was loaded from ("" when built in code) */
    double horizon_s;                /* length of the arrival window (> 0) */
    double warmup_s;                 /* arrivals before this are not counted (0) */
    double drain_s;                  /* work goes on this long after the horizon (1d) */
    double interval_s;               /* width of per-interval statistics (1h) */
    int start_day;                   /* weekday of t = 0: 0 = mon .. 6 = sun */
    double start_clock_s;            /* clock time of t = 0, seconds after midnight */
    int replications;                /* (10) */
    uint64_t seed;                   /* (1) */
    int n_within;                    /* number of service-level thresholds */
    double within_s[RS_MAX_WITHIN];  /* thresholds T, increasing (15m,30m,1h,4h,24h) */
    int n_channels;
    struct rs_channel_cfg channels[RS_MAX_CHANNELS];
    int n_types;
    struct rs_type_cfg types[RS_MAX_TYPES];
    int agents;                      /* [staff] agents: constant number (>= 0) */
    char order[RS_NAME_MAX];         /* [policy] order: a policy name (fifo) */
    enum rs_abandon abandon;         /* [policy] abandon (stay) */
    long inbox_limit;                /* [policy] inbox_limit; 0 means none */
};

/* Fills sc with every default of SPEC section 3 and no channels or types. */
void rs_scenario_defaults(struct rs_scenario *sc);

/* Loads a scenario file.  On bad input returns RS_EINPUT with err naming file,
 * line, key and what was expected; RS_EIO when the file cannot be read.
 * *out is set only on success; free it with rs_scenario_destroy. */
int rs_scenario_load(const char *path, struct rs_scenario **out, struct rs_error *err);

/* The same from text in memory; label is the "file" named in errors. */
int rs_scenario_load_string(const char *text, const char *label, struct rs_scenario **out,
                            struct rs_error *err);

/* Checks a scenario built in code (the loader calls it too): every rule of
 * SPEC section 3 that is not about syntax.  Errors name the section's line. */
int rs_scenario_check(const struct rs_scenario *sc, struct rs_error *err);

/* Writes the fully resolved scenario as INI (every default written out) that
 * loads again to an identical scenario.  Returns RS_OK or RS_EIO. */
int rs_scenario_write(const struct rs_scenario *sc, FILE *out);

/* 1 when a and b are the same scenario, field by field, ignoring path and
 * the line fields (so a loaded scenario equals its written and reloaded self). */
int rs_scenario_equal(const struct rs_scenario *a, const struct rs_scenario *b);

/* Index of the channel or type called name, or -1. */
int rs_scenario_channel(const struct rs_scenario *sc, const char *name);
int rs_scenario_type(const struct rs_scenario *sc, const char *name);

void rs_scenario_destroy(struct rs_scenario *sc);

#endif
