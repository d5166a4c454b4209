/* budget.c: the estimate of what a request needs, and its limits.
 *
 * Everything is counted in doubles (exact to 2^53, and never wrapping):
 * the counts come from rates and spans, and a hostile scenario may ask for
 * 10^300 of them.  The estimate is rough by design -- within a small
 * factor of the peak memory and event count of ordinary runs (the tests
 * hold it to that) -- and errs high where a run could pile up.
 *
 * Stats intervals cost memory in three places, none of them the whole
 * horizon's worth of histograms: a world's ring of live intervals
 * (ivring.h: as many as open messages reach back over), one replication's
 * rows packed for another MPI rank (and the rows a world keeps when
 * nothing takes them: only worlds made outside experiment.c, which drops
 * what sweep and backtest do not ask for), and a run's store (ivstore.h: 1 MiB in memory, the rest
 * in a temporary file, counted as disk, which has a limit of its own).
 *
 * Each limit blames one key: the option that set a value when the command
 * line did (-r, -j, --max-agents, ...), else the scenario key contributing
 * the most, with its file and line when the loader still knows them. */
#include "replysim/budget.h"

#include "arrivals.h"
#include "ivring.h"
#include "ivstore.h"
#include "msg.h"
#include "replysim/buf.h"
#include "replysim/dist.h"
#include "scenario_int.h"
#include "stats.h"
#include "timeline.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_FOLLOW_CHAIN 101.0 /* a thread's messages at most (world.c MAX_FOLLOWUPS + 1) */
#define MSG_BYTES (sizeof(struct rs_msg) + 24.0) /* and its calendar and queue slots */
#define MSG_CHUNK 4096.0 /* messages are allocated this many at a time (world.c POOL_CHUNK) */
#define AGENT_BYTES 64.0
#define CHANGE_BYTES 48.0 /* a staffing change, while the timeline is sorted and kept */
#define WORLD_BYTES 65536.0
#define EVENTS_PER_MESSAGE 3.0 /* arrival, then a lapse or stale cut-off, and a reply */
/* The program itself: code, shared libraries, stdio and the results
 * writers (`replysim run` of a one-hour horizon peaks at about 5 MiB). */
#define PROCESS_BYTES (6.0 * 1024 * 1024)

const struct rs_budget_limit rs_budget_limits[] = {
    {"memory", RS_BUDGET_MAX_BYTES, "estimated memory of one command, in bytes (8 GiB)"},
    {"disk", RS_BUDGET_MAX_DISK_BYTES,
     "interval rows of one command in temporary files, in bytes (16 GiB)"},
    {"span", RS_BUDGET_MAX_SPAN_S, "horizon + drain, in seconds (1000 years)"},
    {"intervals", RS_BUDGET_MAX_INTERVALS,
     "stats intervals of a run: (horizon + drain) / interval"},
    {"agents", RS_BUDGET_MAX_AGENTS, "agents staffed at once, all pools (also staff --max-agents)"},
    {"slots", RS_BUDGET_MAX_SLOTS, "agents x concurrency"},
    {"changes", RS_BUDGET_MAX_CHANGES, "staffing and working-hours changes of a run"},
    {"messages", RS_BUDGET_MAX_MESSAGES, "expected messages of one replication"},
    {"events", RS_BUDGET_MAX_EVENTS, "expected events of one replication"},
    {"total messages", RS_BUDGET_MAX_TOTAL_MESSAGES,
     "expected messages of all replications, variants and sweep points"},
    {"trace rows", RS_BUDGET_MAX_TRACE_ROWS, "rows of messages.csv (run --trace)"},
    {"open messages", RS_BUDGET_MAX_OPEN,
     "messages open at once: estimated, and checked as it runs"},
};
const int rs_budget_n_limits = (int)(sizeof rs_budget_limits / sizeof rs_budget_limits[0]);

/* ------------------------------------------------ the estimate */

/* Mean of a rate profile over [0, horizon), and its largest value. */
static double series_mean(const struct rs_series *s, double horizon_s, double *max)
{
    *max = 1;
    if (s->n == 0) return 1;
    double sum = 0, span = s->weekly ? RS_WEEK_S : horizon_s;
    *max = 0;
    for (int i = 0; i < s->n; i++) {
        double from = s->t_s[i], to = i + 1 < s->n ? s->t_s[i + 1] : span;
        if (s->weekly && i + 1 == s->n) to = span + s->t_s[0]; /* wraps to the first */
        if (to > span && !s->weekly) to = span;
        if (from < to) sum += s->value[i] * (to - from);
        if (s->value[i] > *max) *max = s->value[i];
    }
    return span > 0 ? sum / span : *max;
}

static double series_max(const struct rs_series *s)
{
    double m = 0;
    for (int i = 0; i < s->n; i++)
        if (s->value[i] > m) m = s->value[i];
    return m;
}

/* Messages a first message of type t may become by follow-ups and
 * switches, at most. */
static double chain_of(const struct rs_type_cfg *tc)
{
    double p = tc->followup + tc->switch_p;
    return p >= 1 - 1 / MAX_FOLLOW_CHAIN ? MAX_FOLLOW_CHAIN : 1 / (1 - p);
}

/* Messages a first message may become by follow-ups and switches, at most. */
static double follow_factor(const struct rs_scenario *sc, int *worst)
{
    double f = 1;
    *worst = -1;
    for (int t = 0; t < sc->n_types; t++) {
        double ft = chain_of(&sc->types[t]);
        if (ft > f) f = ft, *worst = t;
    }
    return f;
}

/* Expected first messages of channel c, and its peak rate per second. */
static double channel_messages(const struct rs_scenario *sc, int c, double *peak)
{
    const struct rs_channel_cfg *ch = &sc->channels[c];
    if (ch->trace.n > 0) {
        *peak = ch->trace.n / sc->horizon_s;
        return ch->trace.n;
    }
    double max, mean = series_mean(&ch->profile, sc->horizon_s, &max);
    double base = ch->rate_per_s * rs_scenario_profile_scale(sc, c); /* rate is the average */
    *peak = base * max;
    return base * mean * sc->horizon_s;
}

/* Most agents at once, an upper bound: every source at its peak. */
static double staff_agents(const struct rs_scenario *sc, const struct rs_budget_req *req)
{
    if (req->staff_agents > 0) return req->staff_agents;
    double a = (double)sc->agents + series_max(&sc->schedule);
    for (int i = 0; i < sc->n_shifts; i++)
        a += sc->shifts[i].agents;
    return a;
}

static int popcount7(unsigned d)
{
    int n = 0;
    for (int i = 0; i < 7; i++)
        n += (int)(d >> i & 1u);
    return n;
}

/* Staffing changes of shift i over the span: two a day it works, and two
 * per agent's break. */
static double shift_changes(const struct rs_scenario *sc, int i, double weeks)
{
    const struct rs_shift_cfg *sh = &sc->shifts[i];
    double per = 2 + (sh->break_s > 0 ? 2.0 * sh->agents : 0);
    return popcount7(sh->days) * (weeks + 3) * per;
}

static double changes_of(const struct rs_scenario *sc, const struct rs_budget_req *req,
                         double span_s, double intervals)
{
    if (req->staff_agents > 0) return intervals; /* staff: one step per interval */
    double weeks = span_s / RS_WEEK_S, n = 2.0 * sc->n_hours * (weeks + 3);
    n += sc->schedule.weekly ? sc->schedule.n * (weeks + 2) : sc->schedule.n;
    for (int i = 0; i < sc->n_shifts; i++)
        n += shift_changes(sc, i, weeks);
    return n;
}

enum { HANDLE, PATIENCE };

/* The largest mean handle time or patience (which) of the types that need a
 * reply; a mean that is not a number counts as INFINITY (some wait for ever). */
static double mean_max(const struct rs_scenario *sc, int which)
{
    double top = 0;
    for (int t = 0; t < sc->n_types; t++) {
        const struct rs_type_cfg *tc = &sc->types[t];
        if (!tc->needs_reply) continue;
        double m = rs_dist_mean(which == PATIENCE ? &tc->patience : &tc->handle);
        top = m <= INFINITY ? fmax(top, m) : INFINITY;
    }
    return top;
}

/* Agents' seconds a first message of this mix brings, its follow-ups
 * included, 0 for the types that need no reply; INFINITY (or NaN) when
 * one never ends. */
static double mix_work(const struct rs_scenario *sc, const double *mix)
{
    double h = 0;
    for (int t = 0; t < sc->n_types; t++) {
        const struct rs_type_cfg *tc = &sc->types[t];
        if (mix[t] > 0 && tc->needs_reply) h += mix[t] * chain_of(tc) * rs_dist_mean(&tc->handle);
    }
    return h;
}

/* Agents' seconds the bursts bring, all of them. */
static double burst_work(const struct rs_scenario *sc)
{
    double work = 0;
    for (int i = 0; i < sc->n_bursts; i++) {
        const struct rs_burst_cfg *bu = &sc->bursts[i];
        double own = 0;
        for (int t = 0; t < sc->n_types; t++)
            own += bu->mix[t];
        const double *mix = own > 0 ? bu->mix : sc->channels[bu->channel].mix;
        work += rs_burst_expected(bu, sc->horizon_s) * mix_work(sc, mix);
    }
    return work;
}

/* Agents busy on average (peak: at the channels' peak rates, bursts
 * apart): each source's expected first messages times the work of its mix. */
static double load_of(const struct rs_scenario *sc, int peak)
{
    double work = 0, pk;
    for (int c = 0; c < sc->n_channels; c++) {
        double n = channel_messages(sc, c, &pk);
        work += (peak ? pk * sc->horizon_s : n) * mix_work(sc, sc->channels[c].mix);
    }
    return (peak ? work : work + burst_work(sc)) / sc->horizon_s;
}

/* The agents keep up with the mean rate: the work in hand fits the slots
 * (false when the load is not a number). */
static int keeps_up(const struct rs_budget *b) { return b->slots > 0 && b->slots >= b->load; }

/* Messages open at once: a little over the work in hand when the agents
 * keep up with the mean rate, else all of them may pile up, as far as
 * inbox_limit, max_age or abandon = leave let them. */
static double open_of(const struct rs_scenario *sc, const struct rs_budget *b, double peak)
{
    double h = mean_max(sc, HANDLE), open = b->messages, slots = b->slots;
    if (keeps_up(b)) open = fmin(open, peak * (h + 3600) + slots);
    if (sc->inbox_limit > 0) open = fmin(open, (double)sc->inbox_limit + slots);
    if (sc->max_age_s > 0) open = fmin(open, peak * sc->max_age_s + slots);
    if (sc->abandon == RS_ABANDON_LEAVE)
        open = fmin(open, peak * 4 * mean_max(sc, PATIENCE) + slots);
    return open;
}

/* [from, to) lies within the weekly span [a, b) (b may pass the week's end). */
static int covers(double a, double b, double from, double to)
{
    return (a <= from && to <= b) || (a <= from + RS_WEEK_S && to + RS_WEEK_S <= b);
}

/* The least (most, when most) value of a weekly series over [from, to)
 * of the week. */
static double weekly_value(const struct rs_series *s, double from, double to, int most)
{
    double m = most ? 0 : INFINITY;
    for (int i = 0; i < s->n; i++) {
        double a = s->t_s[i], b = i + 1 < s->n ? s->t_s[i + 1] : s->t_s[0] + RS_WEEK_S;
        if ((a < to && b > from) || (a - RS_WEEK_S < to && b - RS_WEEK_S > from))
            m = most ? fmax(m, s->value[i]) : fmin(m, s->value[i]);
    }
    return m;
}

/* Slots on throughout hour h of the week (mon 00:00 = 0): none while
 * [policy] hours are closed; a shift counts when it spans the whole hour. */
static double hour_slots(const struct rs_scenario *sc, int h)
{
    double from = h * 3600.0, to = from + 3600, on = sc->agents;
    int open = sc->n_hours == 0;
    for (int i = 0; i < sc->n_hours && !open; i++)
        open = covers(sc->hours[i].from_s, sc->hours[i].to_s, from, to);
    if (!open) return 0;
    if (sc->schedule.n > 0) on += weekly_value(&sc->schedule, from, to, 0);
    for (int i = 0; i < sc->n_shifts; i++)
        for (int d = 0; d < 7; d++) {
            double a = d * 86400.0 + sc->shifts[i].start_clock_s;
            if (sc->shifts[i].days >> d & 1u && covers(a, a + sc->shifts[i].length_s, from, to))
                on += sc->shifts[i].agents;
        }
    return on * (sc->concurrency > 0 ? sc->concurrency : 1);
}

/* Agents' seconds a second at most in hour h of the week: every channel at
 * its profile's most in that hour; NAN for a profile that does not repeat
 * weekly (its hours are not the week's). */
static double hour_load(const struct rs_scenario *sc, int h)
{
    double load = 0, pk;
    for (int c = 0; c < sc->n_channels; c++) {
        const struct rs_channel_cfg *ch = &sc->channels[c];
        double rate = channel_messages(sc, c, &pk) / sc->horizon_s;
        if (ch->trace.n == 0 && ch->profile.n > 0) {
            if (!ch->profile.weekly) return NAN;
            rate = ch->rate_per_s * rs_scenario_profile_scale(sc, c) *
                   weekly_value(&ch->profile, h * 3600.0, h * 3600.0 + 3600, 1);
        }
        load += rate * mix_work(sc, ch->mix);
    }
    return load;
}

/* The longest the work waits behind a backlog: over the week, from a
 * fluid model of its hours (load and slots per hour of the week, three
 * weeks over so that the backlog a week leaves is carried), then the time
 * the bursts' work takes the spare slots.  INFINITY when the slots do not
 * keep up with the load over the week, or staffing or a profile over the
 * horizon (not the week) may leave the peak load above the least slots. */
static double backlog_s(const struct rs_scenario *sc, const struct rs_budget *b)
{
    double conc = sc->concurrency > 0 ? sc->concurrency : 1;
    if (sc->schedule.n > 0 && !sc->schedule.weekly) {
        double least = sc->schedule.value[0];
        for (int i = 1; i < sc->schedule.n; i++)
            least = fmin(least, sc->schedule.value[i]);
        least = (sc->agents + least) * conc;
        int steady = sc->n_hours == 0 && least > b->load && least >= load_of(sc, 1);
        return steady ? burst_work(sc) / (least - b->load) : INFINITY;
    }
    int fixed = sc->schedule.n == 0 && sc->n_shifts == 0 && sc->n_hours == 0;
    double slots[168], load[168], sum = 0, least = INFINITY;
    int weekly = 1;
    for (int h = 0; h < 168; h++) {
        slots[h] = fixed ? b->slots : hour_slots(sc, h);
        load[h] = hour_load(sc, h);
        sum += slots[h];
        least = fmin(least, slots[h]);
        weekly = weekly && !isnan(load[h]);
    }
    double spare = sum / 168 - b->load, longest = 0, work = 0, run = 0;
    if (!(spare > 0) || (!weekly && load_of(sc, 1) > least)) return INFINITY;
    for (int k = 0; weekly && k < 3 * 168; k++) {
        work = fmax(0, work + (load[k % 168] - slots[k % 168]) * 3600);
        run = work > 0 ? run + 1 : 0;
        longest = fmax(longest, run);
    }
    if (longest >= 2 * 168) return INFINITY;
    return longest * 3600 + burst_work(sc) / spare;
}

/* The longest a message stays open, roughly: its wait, then its handling.
 * Of n exponential draws the longest is about mean x ln n, so handle time
 * and patience count at that (at least 4 means).  The wait is an hour
 * (chance) and backlog_s; max_age and abandon = leave cut it short.
 * (staff --max-agents: its staffing is the search's, taken as keeping up.) */
static double open_span_s(const struct rs_scenario *sc, const struct rs_budget_req *r,
                          const struct rs_budget *b)
{
    double tail = fmax(4, log(fmax(b->messages, 1)));
    double wait = r->staff_agents > 0 ? 0 : backlog_s(sc, b);
    wait = fmin(b->span_s, 3600 + wait);
    if (sc->max_age_s > 0) wait = fmin(wait, sc->max_age_s);
    if (sc->abandon == RS_ABANDON_LEAVE) wait = fmin(wait, tail * mean_max(sc, PATIENCE));
    return fmin(b->span_s, wait + tail * mean_max(sc, HANDLE));
}

/* Slots of a world's interval ring (ivring.h): the intervals from the
 * oldest an open message arrived in to the one being filled, rounded up to
 * the power of two the ring doubles to (4 at least, never past the span's). */
static double live_intervals_of(const struct rs_scenario *sc, const struct rs_budget_req *r,
                                const struct rs_budget *b)
{
    double live = fmin(b->intervals, ceil(open_span_s(sc, r, b) / sc->interval_s) + 2);
    return fmax(4, exp2(ceil(log2(live))));
}

/* Bytes of the interval rows of one run, all replications (ivstore.h). */
static double rows_bytes(const struct rs_scenario *sc, const struct rs_budget *b, double reps)
{
    return reps * b->intervals * rs_stats_n_interval_metrics(sc) * sizeof(double);
}

/* Interval memory of one world: its live intervals (while the ring
 * doubles, the old slots and the new are held at once), and its rows when
 * they are packed for another rank (MPI), or kept by a world that has no
 * sink: 8 bytes a metric, not a histogram. */
static double world_interval_bytes(const struct rs_scenario *sc, const struct rs_budget *b)
{
    double slots = b->live_intervals > 4 ? 1.5 * b->live_intervals : b->live_intervals;
    return slots * sizeof(struct rs_ivring_slot) + rows_bytes(sc, b, 1);
}

static double world_bytes(const struct rs_scenario *sc, const struct rs_budget *b)
{
    double n = WORLD_BYTES;
    n += (double)rs_stats_n_scopes(sc) * sizeof(struct rs_scope_stats);
    n += (6.0 * sc->n_types + 2.0 * sc->n_channels + sc->n_bursts) * 256;
    n += world_interval_bytes(sc, b);
    if (b->disk_bytes > 0) /* rows waiting to be written while it runs */
        n += (double)RS_IVSTORE_BLOCK / 8 + rs_stats_n_interval_metrics(sc) * 8.0;
    if (sc->n_hours > 0) /* business-hours figures (stats.h) */
        n += (double)rs_stats_n_scopes(sc) * sizeof(struct rs_scope_bh);
    n += b->agents * AGENT_BYTES + b->slots * sizeof(void *);
    n += b->changes * CHANGE_BYTES;
    double open = fmin(b->open, RS_BUDGET_MAX_OPEN); /* the run stops beyond */
    n += ceil(open / MSG_CHUNK + 1e-9) * MSG_CHUNK * MSG_BYTES;
    return n;
}

/* One run's results: metrics and latency points per replication, and the
 * interval rows' store: all of them up to RS_IVSTORE_MEM_MAX, else a read
 * block and a few values per replication, the rows on disk (disk_bytes).
 * (Without a temporary file to be had the store keeps the rows in memory:
 * not counted, a machine without /tmp is not planned for.) */
static double results_bytes(const struct rs_scenario *sc, const struct rs_budget *b, double reps)
{
    double lat = 20 * log10(fmax(b->span_s, 10) / 10) + 2;
    double cells =
        (double)rs_stats_n_metrics(sc) * rs_stats_n_scopes(sc) + lat * (1 + sc->n_channels);
    double rows = rows_bytes(sc, b, reps), row = rs_stats_n_interval_metrics(sc) * 8.0;
    double iv = b->disk_bytes > 0 ? RS_IVSTORE_BLOCK + reps * (row + 32) : rows;
    return reps * cells * sizeof(double) + iv + 4096;
}

/* The same request with the defaults filled in. */
static struct rs_budget_req filled(const struct rs_scenario *sc, const struct rs_budget_req *req)
{
    struct rs_budget_req r = {0};
    if (req) r = *req;
    if (r.replications <= 0) r.replications = sc->replications > 0 ? sc->replications : 1;
    if (r.threads <= 0) r.threads = 1;
    if (r.runs <= 0) r.runs = 1;
    return r;
}

static void estimate(const struct rs_scenario *sc, const struct rs_budget_req *r,
                     struct rs_budget *b)
{
    memset(b, 0, sizeof *b);
    b->span_s = sc->horizon_s + sc->drain_s;
    if (!(b->span_s <= RS_BUDGET_MAX_SPAN_S)) return; /* the rest would be meaningless */
    b->intervals = fmax(1, ceil(b->span_s / sc->interval_s));
    b->agents = staff_agents(sc, r);
    b->slots = b->agents * (sc->concurrency > 0 ? sc->concurrency : 1);
    b->changes = changes_of(sc, r, b->span_s, b->intervals);
    double peak = 0, first = 0;
    for (int c = 0; c < sc->n_channels; c++) {
        double pk;
        first += channel_messages(sc, c, &pk);
        peak += pk;
    }
    for (int i = 0; i < sc->n_bursts; i++) {
        first += rs_burst_expected(&sc->bursts[i], sc->horizon_s);
        peak += sc->bursts[i].rate_per_s;
    }
    int worst;
    double follow = follow_factor(sc, &worst);
    b->messages = first * follow;
    b->load = load_of(sc, 0);
    b->events = b->messages * EVENTS_PER_MESSAGE + b->changes + b->intervals +
                sc->n_channels * (b->span_s / 86400 + 1) + 8;
    b->open = open_of(sc, b, peak * follow);
    b->live_intervals = live_intervals_of(sc, r, b);
    double rows = rows_bytes(sc, b, r->replications);
    b->disk_bytes = rows > (double)RS_IVSTORE_MEM_MAX ? rows : 0;
    b->world_bytes = world_bytes(sc, b);
    b->results_bytes = results_bytes(sc, b, r->replications);
    double reps = r->replications, runs = (double)r->runs;
    b->total_messages = b->messages * reps * runs;
    double worlds = fmin(r->threads, reps * runs);
    double held = r->runs_kept ? runs : fmin(r->threads, runs);
    b->bytes = PROCESS_BYTES + worlds * b->world_bytes + held * b->results_bytes;
    b->disk = held * b->disk_bytes;
}

void rs_budget_estimate(const struct rs_scenario *sc, const struct rs_budget_req *req,
                        struct rs_budget *out)
{
    struct rs_budget_req r = filled(sc, req);
    estimate(sc, &r, out);
}

/* ------------------------------------------------ blame */

/* The key at fault: an option of the command line, or a scenario key of
 * section (kind, i), and what was expected. */
struct fault {
    const char *option; /* non-NULL: blame this option */
    int kind, i;
    const char *key;
    const char *hint; /* appended to the memory limit's message, "" by default */
    char msg[RS_SCN_WHY];
};

static void blame(struct fault *f, const char *option, int kind, int i, const char *key)
{
    f->option = option;
    f->kind = kind;
    f->i = i;
    f->key = key;
}

static int say(struct fault *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int say(struct fault *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof f->msg, fmt, ap);
    va_end(ap);
    return RS_EINPUT;
}

/* Formats a count for a message: whole below 10^15, else like 1.2e+20. */
static const char *count(double x, char *buf, size_t len)
{
    if (x < 1e15)
        snprintf(buf, len, "%.0f", x);
    else
        snprintf(buf, len, "%.3g", x);
    return buf;
}

/* The channel, burst or type that brings the most messages; limit: what
 * one source alone may bring before the follow-ups are blamed instead. */
static void blame_messages(const struct rs_scenario *sc, double limit, struct fault *f)
{
    int kind = SEC_CHANNEL, best = 0;
    double top = -1, pk;
    for (int c = 0; c < sc->n_channels; c++) {
        double m = channel_messages(sc, c, &pk);
        if (m > top) top = m, best = c;
    }
    for (int i = 0; i < sc->n_bursts; i++) {
        double m = rs_burst_expected(&sc->bursts[i], sc->horizon_s);
        if (m > top) top = m, best = i, kind = SEC_BURST;
    }
    const char *key = "rate";
    if (kind == SEC_CHANNEL) {
        const struct rs_channel_cfg *ch = &sc->channels[best];
        if (ch->trace.n > 0)
            key = "trace";
        else if (ch->profile.n > 0 &&
                 ch->rate_per_s * rs_scenario_profile_scale(sc, best) * sc->horizon_s <= top)
            key = "profile"; /* the multipliers, not the base rate, make it large */
    }
    int worst;
    double follow = follow_factor(sc, &worst);
    if ((sc->n_channels + sc->n_bursts) * top <= limit && worst >= 0 && follow > 1) {
        kind = SEC_TYPE;
        best = worst;
        key = sc->types[worst].switch_p > sc->types[worst].followup ? "switch" : "followup";
    }
    blame(f, NULL, kind, best, key);
}

/* The staffing source with the most agents at its peak. */
static void blame_agents(const struct rs_scenario *sc, const struct rs_budget_req *r,
                         struct fault *f)
{
    if (r->staff_agents > 0) {
        blame(f, r->staff_from, SEC_STAFF, 0, "agents");
        return;
    }
    double top = (double)sc->agents + series_max(&sc->schedule);
    int best = -1;
    for (int i = 0; i < sc->n_shifts; i++)
        if (sc->shifts[i].agents > top) top = sc->shifts[i].agents, best = i;
    if (best >= 0) {
        blame(f, NULL, SEC_SHIFT, best, "agents");
        return;
    }
    blame(f, NULL, SEC_STAFF, 0, sc->schedule.n > 0 ? "schedule" : "agents");
}

/* The source of the most staffing and hours changes. */
static void blame_changes(const struct rs_scenario *sc, const struct rs_budget *b, struct fault *f)
{
    double weeks = b->span_s / RS_WEEK_S;
    double top = sc->schedule.weekly ? sc->schedule.n * (weeks + 2) : sc->schedule.n;
    blame(f, NULL, SEC_STAFF, 0, "schedule");
    if (2.0 * sc->n_hours * (weeks + 3) > top) {
        top = 2.0 * sc->n_hours * (weeks + 3);
        blame(f, NULL, SEC_POLICY, 0, "hours");
    }
    for (int i = 0; i < sc->n_shifts; i++) {
        double n = shift_changes(sc, i, weeks);
        if (n > top) {
            top = n;
            blame(f, NULL, SEC_SHIFT, i, sc->shifts[i].break_s > 0 ? "break" : "days");
        }
    }
}

static double gib(double bytes) { return bytes / (1024.0 * 1024 * 1024); }

/* Memory: the option that multiplies it, else the replications' results,
 * else the largest part of one replication's world. */
static void blame_memory(const struct rs_scenario *sc, const struct rs_budget_req *r,
                         const struct rs_budget *b, struct fault *f)
{
    double worlds = fmin(r->threads, (double)r->replications * (double)r->runs);
    double held = r->runs_kept ? (double)r->runs : fmin(r->threads, (double)r->runs);
    double results = held * b->results_bytes;
    double one = PROCESS_BYTES + b->world_bytes + b->results_bytes;
    if (worlds > 1 && r->threads_from && one <= RS_BUDGET_MAX_BYTES &&
        worlds * b->world_bytes >= results) {
        blame(f, r->threads_from, 0, 0, NULL);
        return;
    }
    if (results > worlds * b->world_bytes) {
        if (held > 1 && r->runs_from && one <= RS_BUDGET_MAX_BYTES)
            blame(f, r->runs_from, 0, 0, NULL);
        else
            blame(f, r->replications_from, SEC_SCENARIO, 0, "replications");
        return;
    }
    double iv = world_interval_bytes(sc, b); /* a longer interval makes it smaller */
    double ag = b->agents * AGENT_BYTES + b->slots * sizeof(void *);
    double ms = b->open * MSG_BYTES, ch = b->changes * CHANGE_BYTES;
    if (iv >= ag && iv >= ms && iv >= ch) {
        blame(f, NULL, SEC_SCENARIO, 0, "interval");
        f->hint = "; most of it stats intervals that open messages keep live: a longer interval, "
                  "or agents that keep up, make it less";
        return;
    }
    if (ch >= ag && ch >= ms) {
        blame_changes(sc, b, f);
        return;
    }
    if (ag >= ms) {
        if (b->slots > 2 * b->agents && !r->staff_agents)
            blame(f, NULL, SEC_STAFF, 0, "concurrency");
        else
            blame_agents(sc, r, f);
        return;
    }
    blame_messages(sc, INFINITY, f);
}

/* Disk: the runs held at once, else the replications, else the intervals
 * (one replication's rows stay far below the limit: at most 10^6 intervals
 * of some 60 metrics). */
static void blame_disk(const struct rs_budget_req *r, const struct rs_budget *b, struct fault *f)
{
    if (b->disk > b->disk_bytes && r->runs_from && b->disk_bytes <= RS_BUDGET_MAX_DISK_BYTES)
        blame(f, r->runs_from, 0, 0, NULL);
    else if (r->replications > 1)
        blame(f, r->replications_from, SEC_SCENARIO, 0, "replications");
    else
        blame(f, NULL, SEC_SCENARIO, 0, "interval");
}

/* The limits of one scenario's replication, whatever the command. */
static int check_world(const struct rs_scenario *sc, const struct rs_budget_req *r,
                       const struct rs_budget *b, struct fault *f)
{
    char x[32], y[32];
    if (!(b->span_s <= RS_BUDGET_MAX_SPAN_S)) {
        blame(f, NULL, SEC_SCENARIO, 0, sc->drain_s > sc->horizon_s ? "drain" : "horizon");
        return say(f, "expected horizon + drain of at most 1000 years (the span limit), got %s s",
                   count(b->span_s, x, sizeof x));
    }
    if (b->intervals > RS_BUDGET_MAX_INTERVALS) {
        blame(f, NULL, SEC_SCENARIO, 0, "interval");
        return say(f,
                   "expected at most %s stats intervals in horizon + drain (the intervals limit), "
                   "got %s",
                   count(RS_BUDGET_MAX_INTERVALS, x, sizeof x), count(b->intervals, y, sizeof y));
    }
    if (b->agents > RS_BUDGET_MAX_AGENTS) {
        blame_agents(sc, r, f);
        return say(f, "expected at most %s agents at once (the agents limit), got up to %s",
                   count(RS_BUDGET_MAX_AGENTS, x, sizeof x), count(b->agents, y, sizeof y));
    }
    if (b->slots > RS_BUDGET_MAX_SLOTS) {
        blame(f, NULL, SEC_STAFF, 0, "concurrency");
        return say(f, "expected agents x concurrency of at most %s (the slots limit), got %s",
                   count(RS_BUDGET_MAX_SLOTS, x, sizeof x), count(b->slots, y, sizeof y));
    }
    if (b->changes > RS_BUDGET_MAX_CHANGES) {
        blame_changes(sc, b, f);
        return say(f,
                   "expected at most %s staffing and working-hours changes over horizon + drain "
                   "(the changes limit), got about %s",
                   count(RS_BUDGET_MAX_CHANGES, x, sizeof x), count(b->changes, y, sizeof y));
    }
    if (!(b->messages <= RS_BUDGET_MAX_MESSAGES)) {
        blame_messages(sc, RS_BUDGET_MAX_MESSAGES, f);
        return say(f,
                   "expected at most %s messages in a replication (the messages limit), the "
                   "rates make about %s",
                   count(RS_BUDGET_MAX_MESSAGES, x, sizeof x), count(b->messages, y, sizeof y));
    }
    if (!(b->events <= RS_BUDGET_MAX_EVENTS)) {
        if (b->messages * EVENTS_PER_MESSAGE < b->changes)
            blame_changes(sc, b, f);
        else
            blame_messages(sc, RS_BUDGET_MAX_EVENTS / EVENTS_PER_MESSAGE, f);
        return say(f,
                   "expected at most %s events in a replication (the events limit), got about %s",
                   count(RS_BUDGET_MAX_EVENTS, x, sizeof x), count(b->events, y, sizeof y));
    }
    if (!(b->open <= RS_BUDGET_MAX_OPEN)) {
        blame_messages(sc, INFINITY, f);
        return say(f,
                   "expected at most %s messages open at once (the open messages limit), "
                   "arrivals outpace the agents to about %s; lower the rates or add agents, "
                   "inbox_limit, max_age or abandon = leave",
                   count(RS_BUDGET_MAX_OPEN, x, sizeof x), count(b->open, y, sizeof y));
    }
    return RS_OK;
}

/* The limits of the whole request: replications, runs, threads, trace. */
static int check_request(const struct rs_scenario *sc, const struct rs_budget_req *r,
                         const struct rs_budget *b, struct fault *f)
{
    char x[32], y[32];
    if (!(b->total_messages <= RS_BUDGET_MAX_TOTAL_MESSAGES)) {
        if (r->runs > 1 && r->runs_from &&
            b->messages * r->replications <= RS_BUDGET_MAX_TOTAL_MESSAGES)
            blame(f, r->runs_from, 0, 0, NULL);
        else
            blame(f, r->replications_from, SEC_SCENARIO, 0, "replications");
        return say(f,
                   "expected at most %s messages over all replications and runs (the total "
                   "messages limit), got about %s",
                   count(RS_BUDGET_MAX_TOTAL_MESSAGES, x, sizeof x),
                   count(b->total_messages, y, sizeof y));
    }
    if (r->trace && !(b->messages * r->replications <= RS_BUDGET_MAX_TRACE_ROWS)) {
        blame(f, "--trace", 0, 0, NULL);
        return say(f,
                   "expected at most %s rows of messages.csv (the trace rows limit), the "
                   "replications make about %s",
                   count(RS_BUDGET_MAX_TRACE_ROWS, x, sizeof x),
                   count(b->messages * r->replications, y, sizeof y));
    }
    if (!(b->bytes <= RS_BUDGET_MAX_BYTES)) {
        f->hint = "";
        blame_memory(sc, r, b, f);
        return say(f,
                   "expected a request that fits in %.0f GiB of memory (the memory limit), "
                   "this one needs about %.1f GiB%s",
                   gib(RS_BUDGET_MAX_BYTES), gib(b->bytes), f->hint);
    }
    if (!(b->disk <= RS_BUDGET_MAX_DISK_BYTES)) {
        blame_disk(r, b, f);
        return say(f,
                   "expected interval rows that fit in %.0f GiB of temporary files (the disk "
                   "limit), this request writes about %.1f GiB",
                   gib(RS_BUDGET_MAX_DISK_BYTES), gib(b->disk));
    }
    return RS_OK;
}

static int find_fault(const struct rs_scenario *sc, const struct rs_budget_req *req,
                      struct fault *f)
{
    struct rs_budget_req r = filled(sc, req);
    struct rs_budget b;
    estimate(sc, &r, &b);
    int rc = check_world(sc, &r, &b, f);
    return rc ? rc : check_request(sc, &r, &b, f);
}

/* Fills the error from f: the option, or the key with its file and line. */
static int report(const struct checker *ck, const struct fault *f)
{
    if (f->option) return rs_error_input(ck->err, NULL, 0, f->option, "%s", f->msg);
    return rs_scn_fail(ck, f->kind, f->i, f->key, "%s", f->msg);
}

int rs_scn_check_budget(const struct checker *ck)
{
    struct fault f;
    if (find_fault(ck->sc, NULL, &f) == RS_OK) return RS_OK;
    return report(ck, &f);
}

int rs_budget_check(const struct rs_scenario *sc, const struct rs_budget_req *req,
                    struct rs_error *err)
{
    struct fault f;
    if (find_fault(sc, req, &f) == RS_OK) return RS_OK;
    struct checker ck = {sc, NULL, err, sc->path};
    return report(&ck, &f);
}
