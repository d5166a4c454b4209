/* backtest.c: a log's arrivals replayed under a scenario, the replications
 * counted as the log is (observed.c), and each observation against the band
 * one replication falls in (backtest.h). */
#include "replysim/backtest.h"

#include "replysim/alloc.h"
#include "replysim/budget.h"
#include "replysim/buf.h"
#include "replysim/csvout.h"
#include "replysim/experiment.h"
#include "replysim/observed.h"
#include "replysim/report.h"
#include "replysim/summary.h"
#include "replysim/units.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_S 86400.0
#define NAME_LEN 48

/* The observed metrics compared, by their index in observed.h. */
static const int compared[] = {RS_OBS_OFFERED,   RS_OBS_RESPONSE, RS_OBS_ABANDON,
                               RS_OBS_WAIT_MEAN, RS_OBS_FRT_MEAN, RS_OBS_FRT_P90};
#define N_COMPARED ((int)(sizeof compared / sizeof compared[0]))

/* A channel's trace as a file of the folder. */
struct trace_file {
    const struct rs_backtest *bt;
    int channel;
};

struct rs_backtest {
    struct rs_scenario *replay;
    struct trace_file trace_files[RS_MAX_CHANNELS];
    struct rs_observed_cfg cfg;
    long n_iv;     /* intervals of the log; slot n_iv is the whole log */
    int n_metrics; /* N_COMPARED + n_within */
    int obs_index[N_COMPARED + RS_MAX_WITHIN];
    char names[N_COMPARED + RS_MAX_WITHIN][NAME_LEN];
    int reps;
    double *observed; /* [(n_iv + 1) * n_metrics] */
    double *sim;      /* [reps][(n_iv + 1) * n_metrics] */
};

/* ------------------------------------------------ threads */

/* The log's threads by name (rs_log_msg.thread): each once, with the
 * channel of its first message, where its follow-ups are. */
struct threads {
    char **name; /* [cap], open addressing; NULL: empty */
    int *key;    /* [cap]: the thread's index */
    size_t cap, n;
    double *first_s; /* [n]: its first message's arrival */
    int *home;       /* [n]: ... and channel */
    int *last;       /* [n]: its latest row on home so far, while linking */
};

static uint64_t hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void threads_free(struct threads *th)
{
    for (size_t i = 0; i < th->cap; i++)
        free(th->name[i]);
    free(th->name);
    free(th->key);
    free(th->first_s);
    free(th->home);
    free(th->last);
    memset(th, 0, sizeof *th);
}

/* Slot of name in a table of cap slots (a power of 2): its own or the
 * empty one it would take. */
static size_t slot_of(char *const *names, size_t cap, const char *name)
{
    size_t i = (size_t)hash_name(name) & (cap - 1);
    while (names[i] && strcmp(names[i], name) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

static void threads_grow(struct threads *th)
{
    size_t cap = th->cap ? 2 * th->cap : 1024;
    char **name = rs_calloc(cap, sizeof *name);
    int *key = rs_calloc(cap, sizeof *key);
    for (size_t i = 0; i < th->cap; i++) {
        if (!th->name[i]) continue;
        size_t j = slot_of(name, cap, th->name[i]);
        name[j] = th->name[i];
        key[j] = th->key[i];
    }
    free(th->name);
    free(th->key);
    th->name = name;
    th->key = key;
    th->cap = cap;
    th->first_s = rs_realloc(th->first_s, cap / 2 * sizeof *th->first_s);
    th->home = rs_realloc(th->home, cap / 2 * sizeof *th->home);
}

/* The index of thread name, -1 when it is none ("" or NULL) or unknown. */
static int thread_find(const struct threads *th, const char *name)
{
    if (!name || !name[0] || th->cap == 0) return -1;
    size_t i = slot_of(th->name, th->cap, name);
    return th->name[i] ? th->key[i] : -1;
}

/* The index of thread name (-1: "" or NULL, no thread), its first
 * message kept as the earliest seen (ties: the first read). */
static int thread_key(struct threads *th, const char *name, double t_s, int ch)
{
    if (!name || !name[0]) return -1;
    if (th->n >= th->cap / 2) threads_grow(th);
    size_t i = slot_of(th->name, th->cap, name);
    if (!th->name[i]) {
        th->name[i] = rs_strdup(name);
        th->key[i] = (int)th->n;
        th->first_s[th->n] = t_s;
        th->home[th->n] = ch;
        th->n++;
    } else if (t_s < th->first_s[th->key[i]]) {
        th->first_s[th->key[i]] = t_s;
        th->home[th->key[i]] = ch;
    }
    return th->key[i];
}

/* Channel c's rows in order of time: a row of a thread, on the channel of
 * its first message, follows up the thread's latest earlier row there (a
 * row on another channel is a switch: a new message).  thread_of stays
 * NULL when no row follows up. */
static void link_threads(struct rs_trace *t, const int *keys, struct threads *th, int c)
{
    if (th->n == 0) return;
    if (!th->last) th->last = rs_calloc(th->n, sizeof *th->last);
    for (size_t k = 0; k < th->n; k++)
        th->last[k] = -1;
    int *of = rs_calloc((size_t)t->n, sizeof *of);
    int any = 0;
    for (int i = 0; i < t->n; i++) {
        int k = keys[i];
        of[i] = -1;
        if (k < 0 || th->home[k] != c) continue;
        of[i] = th->last[k];
        any |= of[i] >= 0;
        th->last[k] = i;
    }
    if (any)
        t->thread_of = of;
    else
        free(of);
}

/* ------------------------------------------------ reading the log */

/* A reply in a thread: when, and on which channel. */
struct reply_at {
    int key, channel;
    double t_s;
};

static int by_thread_time(const void *a, const void *b)
{
    const struct reply_at *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->t_s > y->t_s) - (x->t_s < y->t_s);
}

/* What the first pass finds. */
struct scan {
    long rows;
    long per_channel[RS_MAX_CHANNELS];
    double first, last;       /* earliest and latest arrival */
    double end;               /* latest time of any kind */
    struct threads th;        /* the log's threads */
    struct reply_at *replies; /* of rows in a thread, by thread and time */
    size_t n_replies, cap_replies;
};

static void scan_free(struct scan *s)
{
    threads_free(&s->th);
    free(s->replies);
    s->replies = NULL;
}

/* Row m's thread (-1: none), its reply kept when it has one. */
static void scan_thread(struct scan *s, const struct rs_log_msg *m, int ch)
{
    int k = thread_key(&s->th, m->thread, m->arrive_s, ch);
    if (k < 0 || !isfinite(m->reply_s)) return;
    if (s->n_replies == s->cap_replies) {
        s->cap_replies = s->cap_replies ? 2 * s->cap_replies : 256;
        s->replies = rs_reallocarray(s->replies, s->cap_replies, sizeof *s->replies);
    }
    s->replies[s->n_replies++] = (struct reply_at){k, ch, m->reply_s};
}

/* A thread's one reply answers all that came before it (as the replay's
 * thread reply does, fate thread): m, of thread k on its first message's
 * channel, is answered by the first reply there at or after its arrival
 * when it has none of its own before. */
static void thread_reply(const struct scan *s, int k, int ch, struct rs_log_msg *m)
{
    if (k < 0 || s->th.home[k] != ch) return;
    const struct reply_at *r = s->replies;
    size_t lo = 0, hi = s->n_replies;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid].key < k || (r[mid].key == k && r[mid].t_s < m->arrive_s))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < s->n_replies && r[lo].key == k; lo++) {
        if (r[lo].channel != ch) continue;
        if (!(m->reply_s <= r[lo].t_s)) m->reply_s = r[lo].t_s;
        return;
    }
}

/* The scenario's names of a kind, "a, b, c" (shortened past a few). */
static void names_of(const struct rs_scenario *sc, int types, struct rs_buf *b)
{
    int n = types ? sc->n_types : sc->n_channels;
    for (int i = 0; i < n && i < 8; i++)
        rs_buf_printf(b, "%s%s", i ? ", " : "", types ? sc->types[i].name : sc->channels[i].name);
    if (n > 8) rs_buf_puts(b, ", ...");
}

static int unknown(const struct rs_log_source *src, const struct rs_log_msg *m,
                   const struct rs_scenario *sc, int types, const char *got, struct rs_error *err)
{
    struct rs_buf b = RS_BUF_INIT;
    names_of(sc, types, &b);
    int rc = rs_error_input(err, src->name, (int)m->line, types ? "type" : "channel",
                            "expected a %s of the scenario (%s), got \"%s\"",
                            types ? "type" : "channel", rs_buf_str(&b), got);
    rs_buf_free(&b);
    return rc;
}

/* The channel and type (-1: none given) of m in sc, or an error naming the
 * log's line. */
static int place(const struct rs_scenario *sc, const struct rs_log_source *src,
                 const struct rs_log_msg *m, int *ch, int *ty, struct rs_error *err)
{
    if (!isfinite(m->arrive_s))
        return rs_error_input(err, src->name, (int)m->line, "arrive", "expected an arrival time");
    if (!m->channel[0] && sc->n_channels > 1) {
        struct rs_buf b = RS_BUF_INIT;
        names_of(sc, 0, &b);
        int rc = rs_error_input(err, src->name, (int)m->line, "channel",
                                "expected a channel name: the scenario has several (%s)",
                                rs_buf_str(&b));
        rs_buf_free(&b);
        return rc;
    }
    *ch = m->channel[0] ? rs_scenario_channel(sc, m->channel) : 0;
    if (*ch < 0) return unknown(src, m, sc, 0, m->channel, err);
    *ty = m->type[0] ? rs_scenario_type(sc, m->type) : -1;
    if (m->type[0] && *ty < 0) return unknown(src, m, sc, 1, m->type, err);
    return RS_OK;
}

static double later(double a, double b) { return b > a ? b : a; } /* NaN b ignored */

/* First pass: every message placed, counted per channel, and the span. */
static int scan_log(const struct rs_scenario *sc, const struct rs_log_source *src, struct scan *s,
                    struct rs_error *err)
{
    memset(s, 0, sizeof *s);
    s->first = INFINITY;
    s->last = s->end = -INFINITY;
    int rc = src->rewind(src->ctx, err);
    struct rs_log_msg m;
    while (!rc && (rc = src->next(src->ctx, &m, err)) == 1) {
        int ch, ty;
        rc = place(sc, src, &m, &ch, &ty, err);
        if (rc) break;
        if (!(s->rows < RS_BUDGET_MAX_MESSAGES)) {
            scan_free(s);
            return rs_error_input(err, src->name, (int)m.line, NULL,
                                  "expected at most %.0e messages (the messages limit)",
                                  RS_BUDGET_MAX_MESSAGES);
        }
        scan_thread(s, &m, ch);
        s->rows++;
        s->per_channel[ch]++;
        s->first = fmin(s->first, m.arrive_s);
        s->last = later(s->last, m.arrive_s);
        s->end = later(later(later(later(s->end, m.arrive_s), m.take_s), m.reply_s), m.abandon_s);
    }
    if (rc >= 0 && s->rows == 0)
        rc = rs_error_input(err, src->name, 0, NULL, "expected at least one message");
    if (rc < 0) {
        scan_free(s);
        return rc;
    }
    if (s->n_replies > 0) qsort(s->replies, s->n_replies, sizeof *s->replies, by_thread_time);
    return RS_OK;
}

/* ------------------------------------------------ the replay */

/* An arrival's place in time, to sort a trace read out of order. */
struct when {
    double t_s;
    long seq; /* order read, to keep ties stable */
};

static int by_time(const void *a, const void *b)
{
    const struct when *x = a, *y = b;
    if (x->t_s != y->t_s) return x->t_s < y->t_s ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The replay's own settings (backtest.h), its traces still empty. */
static struct rs_scenario *replay_of(const struct rs_scenario *sc, const struct rs_log_source *src,
                                     const struct scan *s, double shift_s,
                                     const struct rs_backtest_opts *o)
{
    struct rs_scenario *rp = rs_scenario_copy(sc);
    int days = (int)fmod(shift_s / DAY_S, 7);
    if (src->origin_day >= 0) {
        rp->start_day = ((src->origin_day - days) % 7 + 7) % 7;
        rp->start_clock_s = 0;
    } else {
        rp->start_day = ((sc->start_day - days) % 7 + 7) % 7;
    }
    rp->warmup_s = 0;
    rp->horizon_s = s->last + shift_s + 1e-3;
    rp->drain_s = fmax(0.0, s->end + shift_s + 1e-3 - rp->horizon_s); /* the last event in */
    rp->replications = o->replications;
    rp->seed = o->seed;
    rp->n_bursts = 0;
    for (int t = 0; t < rp->n_types; t++) {
        rp->types[t].followup = 0;
        rp->types[t].switch_p = 0;
        rp->types[t].switch_to = -1;
    }
    for (int c = 0; c < rp->n_channels; c++) {
        struct rs_channel_cfg *ch = &rp->channels[c];
        free(ch->profile.t_s);
        free(ch->profile.value);
        memset(&ch->profile, 0, sizeof ch->profile);
        ch->rate_per_s = 0;
        ch->dispersion = 0;
        free(ch->trace.t_s);
        free(ch->trace.type);
        free(ch->trace.followers);
        free(ch->trace.handle_s);
        free(ch->trace.thread_of);
        memset(&ch->trace, 0, sizeof ch->trace);
    }
    return rp;
}

/* Room for a channel's n arrivals in its trace, named for the folder. */
static void alloc_trace(struct rs_channel_cfg *ch, int index, long n)
{
    struct rs_trace *t = &ch->trace;
    t->n = (int)n;
    t->t_s = rs_calloc((size_t)n, sizeof *t->t_s);
    t->type = rs_calloc((size_t)n, sizeof *t->type);
    t->followers = rs_calloc((size_t)n, sizeof *t->followers);
    t->handle_s = rs_calloc((size_t)n, sizeof *t->handle_s);
    int safe = 1;
    for (const char *p = ch->name; *p; p++)
        if (!(*p == '_' || *p == '-' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z')))
            safe = 0;
    if (safe)
        snprintf(t->path, sizeof t->path, "trace_%s.csv", ch->name);
    else
        snprintf(t->path, sizeof t->path, "trace-%d.csv", index + 1);
}

/* Puts a trace read out of order in order of time (ties as read), and its
 * rows' thread keys with it; logs mostly come sorted, and then cost
 * nothing beyond the trace itself. */
static void sort_trace(struct rs_trace *t, int *keys)
{
    size_t n = (size_t)t->n;
    struct when *w = rs_calloc(n, sizeof *w);
    for (size_t i = 0; i < n; i++)
        w[i] = (struct when){t->t_s[i], (long)i};
    qsort(w, n, sizeof *w, by_time);
    double *d = rs_calloc(n, sizeof *d);
    for (size_t i = 0; i < n; i++)
        d[i] = t->handle_s[w[i].seq];
    memcpy(t->handle_s, d, n * sizeof *d);
    for (size_t i = 0; i < n; i++) { /* followers are all NaN: kept */
        d[i] = (double)t->type[w[i].seq];
        t->t_s[i] = w[i].t_s;
    }
    for (size_t i = 0; i < n; i++)
        t->type[i] = (int)d[i];
    for (size_t i = 0; i < n; i++)
        d[i] = (double)keys[w[i].seq];
    for (size_t i = 0; i < n; i++)
        keys[i] = (int)d[i];
    free(d);
    free(w);
}

/* Whether a message of type ty (-1: not given) needs a reply. */
static int needs_reply(const struct rs_scenario *sc, int ty)
{
    return ty < 0 || sc->types[ty].needs_reply;
}

/* Second pass: the traces, and the log's own metrics into obs. */
static int fill_replay(struct rs_scenario *rp, const struct rs_log_source *src, struct scan *s,
                       double shift_s, int draw_handles, struct rs_observed *obs,
                       struct rs_error *err)
{
    long at[RS_MAX_CHANNELS] = {0};
    int sorted[RS_MAX_CHANNELS];
    int *keys[RS_MAX_CHANNELS] = {NULL}; /* each row's thread, -1: none */
    for (int c = 0; c < rp->n_channels; c++) {
        sorted[c] = 1;
        if (s->per_channel[c] == 0) continue;
        alloc_trace(&rp->channels[c], c, s->per_channel[c]);
        keys[c] = rs_calloc((size_t)s->per_channel[c], sizeof *keys[c]);
    }
    int rc = src->rewind(src->ctx, err);
    struct rs_log_msg m;
    while (!rc && (rc = src->next(src->ctx, &m, err)) == 1) {
        int ch, ty;
        rc = place(rp, src, &m, &ch, &ty, err);
        if (rc) break;
        struct rs_trace *t = &rp->channels[ch].trace;
        if (at[ch] >= t->n) { /* the log changed under us */
            rc = rs_error_input(err, src->name, (int)m.line, NULL,
                                "expected the same log on a second reading");
            break;
        }
        int k = thread_find(&s->th, m.thread);
        thread_reply(s, k, ch, &m);
        m.arrive_s += shift_s;
        m.take_s += shift_s;
        m.reply_s += shift_s;
        m.abandon_s += shift_s;
        long i = at[ch]++;
        t->t_s[i] = m.arrive_s;
        t->type[i] = ty;
        t->followers[i] = NAN;
        t->handle_s[i] = m.handle_s >= 0 && !draw_handles ? m.handle_s : NAN;
        keys[ch][i] = k;
        if (i > 0 && t->t_s[i] < t->t_s[i - 1]) sorted[ch] = 0;
        rs_observed_add(obs, &m, needs_reply(rp, ty));
    }
    for (int c = 0; rc == 0 && c < rp->n_channels; c++)
        if (at[c] != rp->channels[c].trace.n)
            rc = rs_error_input(err, src->name, 0, NULL,
                                "expected the same log on a second reading, got fewer rows");
    for (int c = 0; rc == 0 && c < rp->n_channels; c++) {
        if (!sorted[c]) sort_trace(&rp->channels[c].trace, keys[c]);
        if (keys[c]) link_threads(&rp->channels[c].trace, keys[c], &s->th, c);
    }
    for (int c = 0; c < rp->n_channels; c++)
        free(keys[c]);
    return rc < 0 ? rc : RS_OK;
}

/* ------------------------------------------------ the replications */

struct rep_state {
    struct rs_backtest *bt;
    struct rs_observed *o;
};

static void *rep_begin(void *ctx, int rep)
{
    (void)rep;
    struct rep_state *st = rs_malloc(sizeof *st);
    st->bt = ctx;
    st->o = rs_observed_create(&st->bt->cfg);
    return st;
}

static void rep_message(void *state, const struct rs_msg_record *r)
{
    struct rep_state *st = state;
    struct rs_log_msg m;
    rs_observed_from_record(st->bt->replay, r, &m);
    rs_observed_add(st->o, &m, st->bt->replay->types[r->type].needs_reply);
}

/* The compared metrics of one observer into values[(n_iv + 1) * n_metrics]. */
static void take_values(const struct rs_backtest *bt, const struct rs_observed *o, double *values)
{
    double v[RS_OBS_FIXED + RS_MAX_WITHIN];
    for (long i = 0; i <= bt->n_iv; i++) {
        if (i < bt->n_iv)
            rs_observed_interval(o, i, v, NULL);
        else
            rs_observed_whole(o, v, NULL);
        for (int m = 0; m < bt->n_metrics; m++)
            values[i * bt->n_metrics + m] = v[bt->obs_index[m]];
    }
}

static void rep_end(void *ctx, int rep, void *state, int ok)
{
    struct rs_backtest *bt = ctx;
    struct rep_state *st = state;
    if (ok)
        take_values(bt, st->o,
                    bt->sim + (size_t)rep * (size_t)(bt->n_iv + 1) * (size_t)bt->n_metrics);
    rs_observed_destroy(st->o);
    free(st);
}

/* ------------------------------------------------ limits */

/* The backtest's own memory beyond the replications' worlds: traces, the
 * observers (one per thread and the log's) and every replication's values. */
static int check_memory(const struct rs_backtest *bt, const struct rs_backtest_opts *o,
                        const struct scan *s, struct rs_error *err)
{
    struct rs_budget_req req = {.replications = o->replications,
                                .replications_from = o->replications_from,
                                .threads = o->threads,
                                .threads_from = o->threads_from};
    /* the budget reads a trace's length only: the arrays come after it */
    for (int c = 0; c < bt->replay->n_channels; c++)
        bt->replay->channels[c].trace.n = (int)s->per_channel[c];
    int rc = rs_budget_check(bt->replay, &req, err);
    struct rs_budget b;
    rs_budget_estimate(bt->replay, &req, &b);
    for (int c = 0; c < bt->replay->n_channels; c++)
        bt->replay->channels[c].trace.n = 0;
    if (rc) return rc;
    /* per row: the trace (44 bytes), its thread (thread_of, the key while
     * reading, the table of names: about 64) and each world's map of rows
     * to messages (16) */
    double mine = (double)s->rows * (108.0 + 16.0 * o->threads) +
                  rs_observed_bytes(&bt->cfg) * (o->threads + 1) +
                  (double)o->replications * (double)(bt->n_iv + 1) * bt->n_metrics * 8.0;
    if (b.bytes + mine <= RS_BUDGET_MAX_BYTES) return RS_OK;
    return rs_error_input(err, NULL, 0, o->threads > 1 ? o->threads_from : o->replications_from,
                          "expected a request that fits in %.0f GiB of memory (the memory "
                          "limit), this backtest needs about %.1f GiB (%ld intervals, %d "
                          "replications): use a longer interval or fewer replications",
                          RS_BUDGET_MAX_BYTES / 1073741824.0, (b.bytes + mine) / 1073741824.0,
                          bt->n_iv, o->replications);
}

/* ------------------------------------------------ the run */

static void name_metrics(struct rs_backtest *bt, const struct rs_observed *o)
{
    bt->n_metrics = N_COMPARED + bt->cfg.n_within;
    for (int m = 0; m < bt->n_metrics; m++) {
        bt->obs_index[m] = m < N_COMPARED ? compared[m] : RS_OBS_FIXED + m - N_COMPARED;
        if (bt->obs_index[m] == RS_OBS_OFFERED)
            snprintf(bt->names[m], NAME_LEN, "arrivals");
        else
            rs_observed_metric_name(o, bt->obs_index[m], bt->names[m], NAME_LEN);
    }
}

/* Sizes bt from the scan: intervals of the log, observer settings. */
static void size_backtest(struct rs_backtest *bt, const struct scan *s, double shift_s)
{
    const struct rs_scenario *rp = bt->replay;
    bt->n_iv = (long)floor((s->last + shift_s) / rp->interval_s) + 1;
    bt->cfg.interval_s = rp->interval_s;
    bt->cfg.n_intervals = bt->n_iv;
    bt->cfg.n_within = rp->n_within;
    memcpy(bt->cfg.within_s, rp->within_s, sizeof bt->cfg.within_s);
}

int rs_backtest_run(const struct rs_scenario *sc, const struct rs_log_source *src,
                    const struct rs_backtest_opts *o, struct rs_backtest **out,
                    struct rs_error *err)
{
    struct scan s;
    int rc = scan_log(sc, src, &s, err);
    if (rc) return rc;
    double shift_s = s.first < 0 ? ceil(-s.first / DAY_S) * DAY_S : 0;
    struct rs_backtest *bt = rs_calloc(1, sizeof *bt);
    bt->replay = replay_of(sc, src, &s, shift_s, o);
    for (int c = 0; c < RS_MAX_CHANNELS; c++)
        bt->trace_files[c] = (struct trace_file){bt, c};
    bt->reps = o->replications;
    size_backtest(bt, &s, shift_s);
    if (!(bt->n_iv <= RS_BUDGET_MAX_INTERVALS)) {
        scan_free(&s);
        rs_backtest_destroy(bt);
        return rs_error_input(err, sc->path[0] ? sc->path : NULL, 0, "interval",
                              "expected at most %d intervals over the log (the intervals limit)",
                              RS_BUDGET_MAX_INTERVALS);
    }
    struct rs_observed *obs = rs_observed_create(&bt->cfg);
    name_metrics(bt, obs);
    rc = check_memory(bt, o, &s, err);
    if (!rc) rc = fill_replay(bt->replay, src, &s, shift_s, o->draw_handles, obs, err);
    if (!rc) rc = rs_scenario_check(bt->replay, err);
    if (!rc) {
        size_t slots = (size_t)(bt->n_iv + 1) * (size_t)bt->n_metrics;
        bt->observed = rs_calloc(slots, sizeof *bt->observed);
        take_values(bt, obs, bt->observed);
        bt->sim = rs_calloc(slots * (size_t)bt->reps, sizeof *bt->sim);
        struct rs_msg_hook hook = {rep_begin, rep_message, rep_end, bt};
        struct rs_run_opts ro = {.replications = o->replications,
                                 .seed = o->seed,
                                 .threads = o->threads,
                                 .progress = o->progress,
                                 .progress_ctx = o->progress_ctx,
                                 .want = RS_WANT_METRICS,
                                 .hook = &hook};
        struct rs_results *res = NULL;
        rc = rs_experiment_run(bt->replay, &ro, &res, err);
        rs_results_destroy(res);
    }
    rs_observed_destroy(obs);
    scan_free(&s);
    if (rc) {
        rs_backtest_destroy(bt);
        return rc;
    }
    *out = bt;
    return RS_OK;
}

void rs_backtest_destroy(struct rs_backtest *bt)
{
    if (!bt) return;
    rs_scenario_destroy(bt->replay);
    free(bt->observed);
    free(bt->sim);
    free(bt);
}

/* ------------------------------------------------ results */

int rs_backtest_n_metrics(const struct rs_backtest *bt) { return bt->n_metrics; }
const char *rs_backtest_metric_name(const struct rs_backtest *bt, int m) { return bt->names[m]; }
long rs_backtest_n_intervals(const struct rs_backtest *bt) { return bt->n_iv; }
const struct rs_scenario *rs_backtest_scenario(const struct rs_backtest *bt) { return bt->replay; }

int rs_backtest_find_metric(const struct rs_backtest *bt, const char *name)
{
    for (int m = 0; m < bt->n_metrics; m++)
        if (!strcmp(bt->names[m], name)) return m;
    return -1;
}

/* Rates lie in [0, 1], every other metric is >= 0. */
static int is_rate(const char *name)
{
    size_t n = strlen(name);
    return !strncmp(name, "sl_", 3) || (n > 5 && !strcmp(name + n - 5, "_rate"));
}

void rs_backtest_row(const struct rs_backtest *bt, long interval, int metric,
                     struct rs_backtest_row *out)
{
    long slot = interval < 0 ? bt->n_iv : interval;
    size_t stride = (size_t)(bt->n_iv + 1) * (size_t)bt->n_metrics;
    size_t at = (size_t)slot * (size_t)bt->n_metrics + (size_t)metric;
    struct rs_summary s;
    rs_summary_of(bt->sim + at, stride, bt->reps, &s);
    out->observed = bt->observed[at];
    out->mean = s.mean;
    out->n = s.n;
    out->lo = out->hi = NAN;
    if (s.n >= 2) {
        /* t * sd / sqrt(n) * sqrt(n + 1) = t * sd * sqrt(1 + 1/n) */
        double half = s.sd > 0 ? rs_summary_ci_half(s.sd, s.n) * sqrt(s.n + 1.0) : 0;
        out->lo = fmax(0.0, s.mean - half);
        out->hi = s.mean + half;
        if (is_rate(bt->names[metric])) out->hi = fmin(1.0, out->hi);
    }
    double eps = 1e-9 * fmax(1.0, fabs(out->mean));
    out->covered = out->observed >= out->lo - eps && out->observed <= out->hi + eps;
}

void rs_backtest_coverage(const struct rs_backtest *bt, int metric, long *intervals, long *covered)
{
    *intervals = *covered = 0;
    for (long i = 0; i < bt->n_iv; i++) {
        struct rs_backtest_row r;
        rs_backtest_row(bt, i, metric, &r);
        if (isnan(r.observed) || isnan(r.lo)) continue;
        (*intervals)++;
        *covered += r.covered;
    }
}

int rs_backtest_metric_ok(const struct rs_backtest *bt, int metric)
{
    long n, k;
    rs_backtest_coverage(bt, metric, &n, &k);
    return n <= 0 || (double)k / (double)n >= 0.95 - 3 * sqrt(0.95 * 0.05 / (double)n);
}

/* ------------------------------------------------ the folder */

/* backtest.csv: interval,start_s,start,metric,observed,mean,lo,hi,n; the
 * whole log's rows last, as interval "all". */
static int put_backtest(FILE *f, const void *ctx, struct rs_error *err)
{
    (void)err;
    const struct rs_backtest *bt = ctx;
    fputs("interval,start_s,start,metric,observed,mean,lo,hi,n\n", f);
    for (long i = 0; i <= bt->n_iv; i++) {
        char label[32] = "";
        double start_s = i < bt->n_iv ? (double)i * bt->cfg.interval_s : NAN;
        if (i < bt->n_iv) rs_report_clock(bt->replay, start_s, label, sizeof label);
        for (int m = 0; m < bt->n_metrics; m++) {
            struct rs_backtest_row r;
            rs_backtest_row(bt, i < bt->n_iv ? i : -1, m, &r);
            if (i < bt->n_iv)
                fprintf(f, "%ld,", i);
            else
                fputs("all,", f);
            rs_csvout_number(f, start_s);
            fprintf(f, ",%s,%s", label, bt->names[m]);
            const double v[4] = {r.observed, r.mean, r.lo, r.hi};
            for (int k = 0; k < 4; k++) {
                fputc(',', f);
                rs_csvout_number(f, v[k]);
            }
            fprintf(f, ",%d\n", r.n);
        }
    }
    return RS_OK;
}

/* coverage.csv: per metric, the share of intervals whose observation falls
 * in its band, with the share expected and its binomial standard error. */
static int put_coverage(FILE *f, const void *ctx, struct rs_error *err)
{
    (void)err;
    const struct rs_backtest *bt = ctx;
    fputs("metric,intervals,covered,coverage,expected,se\n", f);
    for (int m = 0; m < bt->n_metrics; m++) {
        long n, k;
        rs_backtest_coverage(bt, m, &n, &k);
        fprintf(f, "%s,%ld,%ld,", bt->names[m], n, k);
        rs_csvout_number(f, n ? (double)k / (double)n : NAN);
        fputs(",0.95,", f);
        rs_csvout_number(f, n ? sqrt(0.95 * 0.05 / (double)n) : NAN);
        fputc('\n', f);
    }
    return RS_OK;
}

static int put_scenario(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_backtest *bt = ctx;
    if (rs_scenario_write(bt->replay, f) == RS_OK) return RS_OK;
    return rs_error_io(err, "scenario.ini", "cannot write the replay's scenario");
}

/* A channel's trace as the scenario's trace key reads it: times and handle
 * times as durations in seconds, written exactly, and with follow-ups the
 * row each follows up (follows, from 1). */
static int put_trace(FILE *f, const void *ctx, struct rs_error *err)
{
    (void)err;
    const struct trace_file *tf = ctx;
    const struct rs_scenario *rp = tf->bt->replay;
    const struct rs_trace *t = &rp->channels[tf->channel].trace;
    fputs(t->thread_of ? "time,type,handle,follows\n" : "time,type,handle\n", f);
    for (int i = 0; i < t->n; i++) {
        fprintf(f, "%.17gs,", t->t_s[i]);
        if (t->type[i] >= 0) rs_csvout_field(f, rp->types[t->type[i]].name);
        fputc(',', f);
        if (!isnan(t->handle_s[i])) fprintf(f, "%.17gs", t->handle_s[i]);
        if (t->thread_of) fputc(',', f);
        if (t->thread_of && t->thread_of[i] >= 0) fprintf(f, "%d", t->thread_of[i] + 1); /* row */
        fputc('\n', f);
    }
    return RS_OK;
}

size_t rs_backtest_files(const struct rs_backtest *bt, struct rs_report_entry *out, size_t room)
{
    const struct rs_scenario *rp = bt->replay;
    size_t n = 0;
#define ADD(nm, fn, cx)                                                                            \
    do {                                                                                           \
        if (n < room) out[n] = (struct rs_report_entry){(nm), (fn), (cx)};                         \
        n++;                                                                                       \
    } while (0)
    ADD("backtest.csv", put_backtest, bt);
    ADD("coverage.csv", put_coverage, bt);
    ADD("scenario.ini", put_scenario, bt);
    for (int c = 0; c < rp->n_channels; c++)
        if (rp->channels[c].trace.n > 0)
            ADD(rp->channels[c].trace.path, put_trace, &bt->trace_files[c]);
#undef ADD
    return n;
}

int rs_backtest_write(const char *dir, const struct rs_backtest *bt, struct rs_error *err)
{
    struct rs_report_entry files[3 + RS_MAX_CHANNELS];
    size_t n = rs_backtest_files(bt, files, 3 + RS_MAX_CHANNELS);
    return rs_report_write(dir, files, n, err);
}

/* ------------------------------------------------ a log file as a source */

static int file_next(void *ctx, struct rs_log_msg *m, struct rs_error *err)
{
    struct rs_backtest_file *f = ctx;
    return rs_log_next(f->lg, m, err);
}

/* Reads the file again from its header (a stream has no way back). */
static int file_rewind(void *ctx, struct rs_error *err)
{
    struct rs_backtest_file *f = ctx;
    rs_log_close(f->lg);
    f->lg = NULL;
    return rs_log_open(f->path, f->opts, &f->lg, err);
}

int rs_backtest_file_source(struct rs_backtest_file *f, struct rs_log_source *src,
                            struct rs_error *err)
{
    int rc = file_rewind(f, err);
    if (rc) return rc;
    *src = (struct rs_log_source){file_next, file_rewind, f, f->path, rs_log_origin_day(f->lg)};
    return RS_OK;
}

void rs_backtest_file_close(struct rs_backtest_file *f)
{
    rs_log_close(f->lg);
    f->lg = NULL;
}

/* ------------------------------------------------ a window of a source */

static int window_next(void *ctx, struct rs_log_msg *m, struct rs_error *err)
{
    const struct rs_log_window *w = ctx;
    int rc;
    while ((rc = w->inner->next(w->inner->ctx, m, err)) == 1) {
        double t = m->arrive_s;
        int in = isnan(t) ? w->from_s == -INFINITY : t >= w->from_s && t < w->to_s;
        if (!in) continue;
        m->arrive_s -= w->shift_s; /* NaN stays NaN */
        m->take_s -= w->shift_s;
        m->reply_s -= w->shift_s;
        m->abandon_s -= w->shift_s;
        return 1;
    }
    return rc;
}

static int window_rewind(void *ctx, struct rs_error *err)
{
    const struct rs_log_window *w = ctx;
    return w->inner->rewind(w->inner->ctx, err);
}

void rs_log_window_source(struct rs_log_window *w, struct rs_log_source *src)
{
    long days = (long)llround(w->shift_s / DAY_S);
    int day0 = w->inner->origin_day < 0 ? 0 : w->inner->origin_day;
    int day = w->shift_s == 0 ? w->inner->origin_day : (int)(((day0 + days) % 7 + 7) % 7);
    *src = (struct rs_log_source){window_next, window_rewind, w, w->inner->name, day};
}
