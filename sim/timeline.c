/* timeline.c: staffing and working hours laid out in time before a run.
 *
 * Every staffing source becomes a list of +/- agent changes: a constant
 * [staff] agents is one change at 0, a schedule one change per step, a
 * shift a change at its start and end and one pair per agent's break.
 * Changes before t = 0 (a night shift that began before the start) fold
 * into t = 0, so the level at the start is right. */
#include "timeline.h"
#include "replysim/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAY_S 86400.0

double rs_timeline_week_offset_s(const struct rs_scenario *sc)
{
    return sc->start_day * DAY_S + sc->start_clock_s;
}

/* ------------------------------------------------ series cursor */

static double piece_start(const struct rs_series_cursor *c, long week, int i)
{
    if (!c->s->weekly) return c->s->t_s[i];
    return (double)week * RS_WEEK_S + c->s->t_s[i] - c->off_s;
}

static void cursor_update(struct rs_series_cursor *c)
{
    const struct rs_series *s = c->s;
    c->value = s->value[c->i];
    if (c->i + 1 < s->n)
        c->next_s = piece_start(c, c->week, c->i + 1);
    else
        c->next_s = s->weekly ? piece_start(c, c->week + 1, 0) : INFINITY;
}

void rs_series_cursor_init(struct rs_series_cursor *c, const struct rs_series *s, double off_s,
                           double t_s)
{
    memset(c, 0, sizeof *c);
    c->s = s;
    c->off_s = off_s;
    if (s->n == 0) {
        c->value = 1;
        c->next_s = INFINITY;
        return;
    }
    if (s->weekly) {
        /* the piece holding t: start from the last piece of the week before */
        c->week = (long)floor((t_s + off_s) / RS_WEEK_S) - 1;
        c->i = s->n - 1;
    }
    cursor_update(c);
    rs_series_cursor_seek(c, t_s);
}

void rs_series_cursor_seek(struct rs_series_cursor *c, double t_s)
{
    while (c->next_s <= t_s) {
        if (++c->i == c->s->n) {
            c->i = 0;
            c->week++;
        }
        cursor_update(c);
    }
}

/* Piece by piece from from_s; a weekly series repeats, so whole weeks are
 * one week's integral each (a long horizon costs no more than a week). */
double rs_series_integral(const struct rs_series *s, double off_s, double from_s, double to_s)
{
    if (!(to_s > from_s)) return 0;
    double sum = 0;
    if (s->weekly && to_s - from_s > RS_WEEK_S) {
        double weeks = floor((to_s - from_s) / RS_WEEK_S);
        sum = weeks * rs_series_integral(s, 0, 0, RS_WEEK_S);
        from_s += weeks * RS_WEEK_S;
    }
    struct rs_series_cursor c;
    rs_series_cursor_init(&c, s, off_s, from_s);
    for (double t = from_s; t < to_s;) {
        double end = c.next_s < to_s ? c.next_s : to_s;
        sum += c.value * (end - t);
        t = end;
        if (t < to_s) rs_series_cursor_seek(&c, t);
    }
    return sum;
}

/* ------------------------------------------------ staffing */

struct changes {
    struct rs_staff_change *v;
    int n, cap;
};

static void add_change(struct changes *ch, double t, int pool, int delta)
{
    if (delta == 0) return;
    if (ch->n == ch->cap) {
        ch->cap = ch->cap ? 2 * ch->cap : 64;
        ch->v = rs_reallocarray(ch->v, (size_t)ch->cap, sizeof *ch->v);
    }
    ch->v[ch->n++] = (struct rs_staff_change){t < 0 ? 0 : t, pool, delta};
}

/* Sort by time, then pool, so that the changes of one pool at one time
 * are adjacent and can be merged into their net (see rs_timeline_create). */
static int cmp_change(const void *a, const void *b)
{
    const struct rs_staff_change *x = a, *y = b;
    if (x->t_s != y->t_s) return x->t_s < y->t_s ? -1 : 1;
    if (x->pool != y->pool) return x->pool < y->pool ? -1 : 1;
    return (x->delta > y->delta) - (x->delta < y->delta);
}

static void schedule_changes(const struct rs_scenario *sc, double end_s, struct changes *ch)
{
    struct rs_series_cursor c;
    rs_series_cursor_init(&c, &sc->schedule, rs_timeline_week_offset_s(sc), 0);
    int level = (int)c.value;
    add_change(ch, 0, 0, level);
    while (c.next_s < end_s) {
        double t = c.next_s;
        rs_series_cursor_seek(&c, t);
        add_change(ch, t, 0, (int)c.value - level);
        level = (int)c.value;
    }
}

static void shift_changes(const struct rs_scenario *sc, const struct rs_shift_cfg *sh, int pool,
                          double end_s, struct changes *ch)
{
    long last_day = (long)ceil((end_s + sc->start_clock_s) / DAY_S);
    for (long k = -8; k <= last_day; k++) {
        int weekday = (int)(((sc->start_day + k) % 7 + 7) % 7);
        if (!(sh->days & (1u << weekday))) continue;
        double start = (double)k * DAY_S - sc->start_clock_s + sh->start_clock_s;
        double stop = start + sh->length_s;
        if (stop <= 0 || start >= end_s) continue;
        add_change(ch, start, pool, sh->agents);
        add_change(ch, stop, pool, -sh->agents);
        if (sh->break_s <= 0) continue;
        /* breaks staggered over the middle half of the shift, so cover never
         * drops by more than one agent's worth at a time when they fit */
        for (int j = 0; j < sh->agents; j++) {
            double mid = start + sh->length_s * (0.25 + 0.5 * (j + 0.5) / sh->agents);
            /* a break longer than the middle half allows stays inside the
             * shift (break < length): one starting before the shift took an
             * agent from an empty pool, and the world aborted */
            if (mid - sh->break_s / 2 < start) mid = start + sh->break_s / 2;
            if (mid + sh->break_s / 2 > stop) mid = stop - sh->break_s / 2;
            add_change(ch, mid - sh->break_s / 2, pool, -1);
            add_change(ch, mid + sh->break_s / 2, pool, +1);
        }
    }
}

/* ------------------------------------------------ hours */

static int cmp_hours(const void *a, const void *b)
{
    const struct rs_hours_change *x = a, *y = b;
    if (x->t_s != y->t_s) return x->t_s < y->t_s ? -1 : 1;
    return x->open - y->open; /* a close and an open at once: close first */
}

static void build_hours(const struct rs_scenario *sc, double end_s, struct rs_timeline *tl)
{
    if (sc->n_hours == 0) {
        tl->open_at_start = 1;
        return;
    }
    double off = rs_timeline_week_offset_s(sc);
    long weeks = (long)ceil((end_s + off) / RS_WEEK_S) + 1;
    int cap = (int)(2 * (weeks + 2) * sc->n_hours), n = 0;
    struct rs_hours_change *v = rs_reallocarray(NULL, (size_t)cap, sizeof *v);
    int depth = 0; /* spans open at t = 0 */
    for (long k = -1; k <= weeks; k++)
        for (int i = 0; i < sc->n_hours; i++) {
            double from = (double)k * RS_WEEK_S + sc->hours[i].from_s - off;
            double to = (double)k * RS_WEEK_S + sc->hours[i].to_s - off;
            if (to <= 0 || from >= end_s) continue;
            if (from <= 0)
                depth++;
            else
                v[n++] = (struct rs_hours_change){from, 1};
            if (to < end_s) v[n++] = (struct rs_hours_change){to, 0};
        }
    qsort(v, (size_t)n, sizeof *v, cmp_hours);
    /* Keep only real transitions: a span that ends where the next begins
     * (sun 22:00-24:00 then mon 00:00-...) stays open. */
    tl->open_at_start = depth > 0;
    tl->hours = rs_malloc((size_t)n * sizeof *tl->hours + 1);
    int open = depth, m = 0;
    for (int i = 0; i < n; i++) {
        int was = open > 0;
        open += v[i].open ? 1 : -1;
        int now = open > 0;
        if (now == was) continue;
        if (m > 0 && tl->hours[m - 1].t_s == v[i].t_s)
            m--; /* closed and opened at the same instant: no change */
        else
            tl->hours[m++] = (struct rs_hours_change){v[i].t_s, now};
    }
    tl->n_hours = m;
    free(v);
}

/* ------------------------------------------------ the whole */

/* A pool's types, speed and slowdown; a scenario built in code may leave
 * them 0, which means the defaults (all types, 1, 1). */
static void pool_skills(struct rs_pool_cfg *p, uint32_t types, double speed, double slowdown,
                        uint32_t all_types)
{
    p->types = (types & all_types) ? (types & all_types) : all_types;
    p->speed = speed > 0 ? speed : 1;
    p->slowdown = slowdown >= 1 ? slowdown : 1;
}

struct rs_timeline *rs_timeline_create(const struct rs_scenario *sc, double end_s)
{
    struct rs_timeline *tl = rs_calloc(1, sizeof *tl);
    int has_staff = sc->agents > 0 || sc->schedule.n > 0;
    tl->n_pools = has_staff + sc->n_shifts + sc->n_surges;
    tl->first_surge = has_staff + sc->n_shifts;
    tl->pools = rs_calloc((size_t)tl->n_pools + 1, sizeof *tl->pools);
    uint32_t all = sc->n_channels >= 32 ? 0xffffffffu : (1u << sc->n_channels) - 1;
    struct changes ch = {0};
    uint32_t all_types = sc->n_types >= 32 ? 0xffffffffu : (1u << sc->n_types) - 1;
    if (has_staff) {
        tl->pools[0].channels = all;
        pool_skills(&tl->pools[0], sc->staff_types, sc->staff_speed, sc->staff_slowdown, all_types);
        if (sc->schedule.n > 0)
            schedule_changes(sc, end_s, &ch);
        else
            add_change(&ch, 0, 0, sc->agents);
    }
    for (int i = 0; i < sc->n_shifts; i++) {
        int pool = has_staff + i;
        tl->pools[pool].channels = sc->shifts[i].channels ? sc->shifts[i].channels & all : all;
        pool_skills(&tl->pools[pool], sc->shifts[i].types, sc->shifts[i].speed,
                    sc->shifts[i].slowdown, all_types);
        shift_changes(sc, &sc->shifts[i], pool, end_s, &ch);
    }
    /* no changes at all with agents = 0: qsort must not see NULL (UBSan) */
    if (ch.n > 0) qsort(ch.v, (size_t)ch.n, sizeof *ch.v, cmp_change);
    /* One net change per pool and time.  Applied one by one, a departure
     * before an arrival at the same time could take an agent the pool did
     * not have yet (the world aborted): a break taken before t = 0 folds
     * into t = 0 with its shift's start, and a break may begin or end with
     * its shift.  The net also keeps a pool from counting the agents of two
     * back-to-back shifts at once. */
    int kept = 0;
    for (int i = 0; i < ch.n;) {
        struct rs_staff_change c = ch.v[i++];
        while (i < ch.n && ch.v[i].t_s == c.t_s && ch.v[i].pool == c.pool)
            c.delta += ch.v[i++].delta;
        if (c.delta != 0) ch.v[kept++] = c;
    }
    ch.n = kept;
    tl->staff = ch.v;
    tl->n_staff = ch.n;
    int *level = rs_calloc((size_t)tl->n_pools + 1, sizeof *level);
    for (int i = 0; i < ch.n; i++) {
        level[ch.v[i].pool] += ch.v[i].delta;
        if (level[ch.v[i].pool] > tl->pools[ch.v[i].pool].max_agents)
            tl->pools[ch.v[i].pool].max_agents = level[ch.v[i].pool];
    }
    free(level);
    for (int i = 0; i < sc->n_surges; i++) { /* no changes: the world turns them on */
        struct rs_pool_cfg *p = &tl->pools[tl->first_surge + i];
        p->channels = sc->surges[i].channels ? sc->surges[i].channels & all : all;
        pool_skills(p, sc->surges[i].types, 1, 1, all_types);
        p->max_agents = sc->surges[i].agents;
    }
    build_hours(sc, end_s, tl);
    return tl;
}

int rs_timeline_agents_at(const struct rs_timeline *tl, int pool, double t_s)
{
    int n = 0;
    for (int i = 0; i < tl->n_staff && tl->staff[i].t_s <= t_s; i++)
        if (tl->staff[i].pool == pool) n += tl->staff[i].delta;
    return n;
}

void rs_timeline_destroy(struct rs_timeline *tl)
{
    if (!tl) return;
    free(tl->pools);
    free(tl->staff);
    free(tl->hours);
    free(tl);
}
