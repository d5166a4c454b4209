/* fit_hours.c: the team's working hours, from when work started in the
 * log (a take; else reply - handle; else a reply's own time).
 *
 * A quiet hour and a closed one look alike in a log: no work starts.  What
 * tells them apart is the customers: in a closed hour they wait and nobody
 * starts on them; in a quiet open hour nobody is waiting.  So each hour of
 * the log is, for its hour of the week, evidence of work (some work
 * started), evidence of closure (none started, and customers waited
 * unattended, in minutes when no agent was at work on anything, for
 * CLOSED_WAIT_S in all: no reply policy leaves a customer waiting while
 * every agent present is idle), or no evidence.  An hour of the
 * week is open when it had work in at least as many weeks as it had
 * closure: a rare out-of-hours reply is outvoted by the weeks it waited,
 * a quiet week of an open hour does not vote.  An hour of the week with no
 * evidence in any week is open only inside open hours (the nearest hours
 * with evidence on both sides open): a quiet night of a team that never
 * closes stays open, an empty hour at the edge of business hours closed
 * (nobody came then, so it changes nothing the log shows).  With one week
 * every hour of the week has one vote, so a single out-of-hours start
 * opens its hour: the summary says so.  Open hours become [policy] hours
 * spans (a run under a day as one span, overnight if it crosses midnight;
 * longer runs cut at midnights), written by the scenario's own writer. */
#include "fit_int.h"
#include "scenario_int.h"

#include "replysim/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOUR_S 3600.0
#define WEEK_H 168
#define CLOSED_WAIT_S 900.0 /* customer-seconds of unattended waiting: 15 minutes */

/* Hour of the week (0: mon 00:00) of hour h of the log's clock. */
static long week_hour(const struct rs_fit *f, long h)
{
    long day0 = f->origin_day < 0 ? 0 : f->origin_day;
    return ((day0 * 24 + h) % WEEK_H + WEEK_H) % WEEK_H;
}

/* Per hour of the week: weeks with work started, weeks showing closure. */
static void count_votes(struct rs_fit *f, double *acted, double *closed)
{
    const struct fit_slots *s = &f->slots;
    long per = (long)llround(HOUR_S / s->slot_s);
    long h0 = (long)floor(f->t0_s / HOUR_S), h1 = (long)ceil(f->end_s / HOUR_S);
    for (long h = h0; h < h1; h++) {
        long hw = week_hour(f, h);
        double unattended = 0;
        for (long k = h * per; k < (h + 1) * per; k++)
            if (k >= 0 && k < s->n && s->busy[k] == 0) unattended += s->wait[k];
        if (rs_fit_series_get(&f->starts, h) > 0)
            acted[hw]++;
        else if (unattended >= CLOSED_WAIT_S)
            closed[hw]++;
    }
    f->hours.weeks = (double)(h1 - h0) / WEEK_H;
}

/* open[] from the votes; 0 when no hour of the week had any. */
static int decide(const double *acted, const double *closed, unsigned char *open)
{
    signed char st[WEEK_H]; /* 1 open, 0 closed, -1 no evidence */
    int any = 0;
    for (int h = 0; h < WEEK_H; h++) {
        st[h] = acted[h] + closed[h] > 0 ? acted[h] >= closed[h] : -1;
        any |= st[h] >= 0;
    }
    if (!any) return 0;
    for (int h = 0; h < WEEK_H; h++) {
        int before = h, after = h;
        while (st[before] < 0)
            before = (before + WEEK_H - 1) % WEEK_H;
        while (st[after] < 0)
            after = (after + 1) % WEEK_H;
        open[h] = (unsigned char)(st[h] >= 0 ? st[h] : st[before] && st[after]);
    }
    return 1;
}

/* The spans of open[] (sorted by start), or -1 when more than max. */
static int to_spans(const unsigned char *open, struct rs_hours_span *sp, int max)
{
    int c0 = 0, n = 0;
    while (c0 < WEEK_H && open[c0])
        c0++;
    if (c0 == WEEK_H) return 0; /* always open */
    for (int i = 1; i <= WEEK_H; i++) {
        int a = (c0 + i) % WEEK_H, len = 0;
        if (!open[a]) continue;
        while (open[(a + len) % WEEK_H])
            len++;
        i += len - 1;
        for (int from = a, left = len; left > 0;) {
            /* a run under a day is one span; a longer one is cut at midnight */
            int piece = len < 24 ? left : 24 - from % 24 < left ? 24 - from % 24 : left;
            if (n == max) return -1;
            sp[n].from_s = (from % WEEK_H) * HOUR_S;
            sp[n].to_s = sp[n].from_s + piece * HOUR_S;
            n++;
            from += piece, left -= piece;
        }
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && sp[j - 1].from_s > sp[j].from_s; j--) {
            struct rs_hours_span t = sp[j];
            sp[j] = sp[j - 1];
            sp[j - 1] = t;
        }
    return n;
}

/* Opens the shortest closed run (its first, from mon 00:00). */
static void bridge_shortest(unsigned char *open)
{
    int best = -1, best_len = WEEK_H + 1;
    for (int a = 0; a < WEEK_H; a++) {
        if (open[a] || !open[(a + WEEK_H - 1) % WEEK_H]) continue;
        int len = 0;
        while (!open[(a + len) % WEEK_H])
            len++;
        if (len < best_len) best = a, best_len = len;
    }
    for (int k = 0; best >= 0 && k < best_len; k++)
        open[(best + k) % WEEK_H] = 1;
}

/* h->text from h->span, by the scenario's own writer. */
static void set_text(struct fit_hours *h)
{
    free(h->text);
    h->text = NULL;
    if (h->n == 0) return;
    struct rs_scenario *sc = rs_calloc(1, sizeof *sc);
    sc->n_hours = h->n;
    memcpy(sc->hours, h->span, sizeof h->span);
    struct rs_buf b = RS_BUF_INIT;
    rs_scn_put_hours(sc, NULL, NULL, &b);
    h->text = rs_buf_detach(&b);
    free(sc);
}

/* 1 when [a, b) (seconds of the week, 0 <= a < one week) meets a span. */
static int meets_spans(const struct fit_hours *h, double a, double b)
{
    double w = WEEK_H * HOUR_S;
    if (h->n == 0 || b - a >= w) return 1;
    for (int i = 0; i < h->n; i++)
        for (int k = -1; k <= 1; k++)
            if (h->span[i].from_s + k * w < b && a < h->span[i].to_s + k * w) return 1;
    return 0;
}

int rs_fit_hours_parse(const char *v, struct fit_hours *h, char *why, size_t n)
{
    struct rs_scenario *sc = rs_calloc(1, sizeof *sc);
    int rc = rs_scn_parse_hours(sc, NULL, v, why, n);
    if (!rc) {
        h->n = sc->n_hours;
        memcpy(h->span, sc->hours, sizeof h->span);
        for (int hw = 0; hw < WEEK_H; hw++)
            h->open[hw] = (unsigned char)meets_spans(h, hw * HOUR_S, (hw + 1) * HOUR_S);
        set_text(h);
    }
    free(sc);
    return rc;
}

/* Work starts in all, and outside the hours (by hour of the week). */
static void count_outside(struct rs_fit *f)
{
    const struct fit_series *s = &f->starts;
    f->hours.starts = f->hours.outside = 0;
    for (long i = 0; i < s->n; i++) {
        f->hours.starts += s->v[i];
        if (f->hours.n > 0 && !f->hours.open[week_hour(f, s->lo + i)]) f->hours.outside += s->v[i];
    }
}

static void infer(struct rs_fit *f)
{
    struct fit_hours *h = &f->hours;
    double acted[WEEK_H] = {0}, closed[WEEK_H] = {0};
    count_votes(f, acted, closed);
    h->n = 0;
    if (!decide(acted, closed, h->open)) memset(h->open, 1, sizeof h->open);
    int any_open = 0;
    for (int hw = 0; hw < WEEK_H; hw++) {
        any_open |= h->open[hw];
        h->acted += h->open[hw] ? acted[hw] : 0;
        h->evidence += h->open[hw] ? acted[hw] + closed[hw] : 0;
    }
    h->none_open = !any_open;
    if (!any_open) memset(h->open, 1, sizeof h->open); /* nothing to go by: always */
    rs_fit_hours_set_open(h);
}

void rs_fit_hours_set_open(struct fit_hours *h)
{
    h->bridged = 0;
    while ((h->n = to_spans(h->open, h->span, RS_MAX_HOURS)) < 0) {
        bridge_shortest(h->open);
        h->bridged++;
    }
    set_text(h);
}

static void say(const struct rs_fit *f, struct rs_buf *notes)
{
    const struct fit_hours *h = &f->hours;
    if (h->from == HOURS_GIVEN) {
        rs_buf_printf(notes, "working hours: %s (--hours)\n", h->n ? h->text : "always");
        return;
    }
    const char *what = (double)f->n_takes * 2 >= h->starts ? "takes" : "replies";
    if (h->starts == 0) {
        rs_buf_puts(notes, "working hours: none inferred (no takes or replies in the log): "
                           "always open\n");
        return;
    }
    char span[64];
    if (h->weeks >= 1)
        snprintf(span, sizeof span, "%.1f weeks", h->weeks);
    else if (h->weeks >= 1 / 7.0)
        snprintf(span, sizeof span, "%.1f days", h->weeks * 7);
    else
        snprintf(span, sizeof span, "%.0f h", h->weeks * WEEK_H);
    if (h->none_open)
        rs_buf_printf(notes,
                      "working hours: none inferred from %s of %s: no hour of the week had work "
                      "in as many weeks as customers waited unattended (always open assumed; "
                      "give --hours)",
                      span, what);
    else if (h->n == 0)
        rs_buf_printf(notes,
                      "working hours: none inferred from %s of %s: no hour of the week left "
                      "customers waiting unattended in more weeks than work started in it "
                      "(always open)",
                      span, what);
    else
        rs_buf_printf(notes,
                      "working hours inferred from %s of %s: %s (work started in %.0f%% of "
                      "those hours' weeks with customers, %.1f%% of %s outside them)",
                      span, what, h->text, 100 * h->acted / fmax(h->evidence, 1),
                      100 * h->outside / h->starts, what);
    if (h->bridged) rs_buf_printf(notes, "; %d short closed gaps opened to fit", h->bridged);
    if (h->weeks < 2)
        rs_buf_printf(notes, "; under two weeks an hour of the week has a single vote, so a "
                             "single out-of-hours start opens it: check the line, or give "
                             "--hours");
    rs_buf_putc(notes, '\n');
}

/* f->in_hours: per interval of the scenario, whether it meets the hours. */
static void mark_intervals(struct rs_fit *f)
{
    double w = WEEK_H * HOUR_S, iv = f->o.interval_s;
    long day0 = f->origin_day < 0 ? 0 : f->origin_day;
    f->in_hours = rs_calloc((size_t)f->n_intervals, 1);
    for (long i = 0; i < f->n_intervals; i++) {
        double a = fmod((double)day0 * 86400 + f->t0_s + (double)i * iv, w);
        if (a < 0) a += w;
        f->in_hours[i] = (unsigned char)meets_spans(&f->hours, a, a + iv);
    }
}

int rs_fit_hours(struct rs_fit *f, struct rs_buf *notes, struct rs_error *err)
{
    struct fit_hours *h = &f->hours;
    if (f->o.hours) {
        char why[256];
        h->from = HOURS_GIVEN;
        if (rs_fit_hours_parse(f->o.hours, h, why, sizeof why))
            return rs_error_input(err, NULL, 0, "--hours", "%s", why);
    } else {
        h->from = HOURS_INFERRED;
        infer(f);
    }
    count_outside(f);
    mark_intervals(f);
    if (notes) say(f, notes);
    return RS_OK;
}

/* A closed interval's staffing is never used inside the horizon (nobody
 * answers then), but the scenario's schedule would write the 0 seen there
 * as a gap beside the hours, and the last value goes on past the horizon
 * into the drain.  So it takes the staffing of the next opening, where the
 * backlog built while closed is cleared (a queue: the estimate is exact);
 * after the last opening, the log's first. */
void rs_fit_hours_staffing(struct rs_fit *f)
{
    long first = 0, n = f->n_intervals;
    while (first < n && !f->in_hours[first])
        first++;
    if (f->hours.n == 0 || first == n) return;
    double next = f->agents[first];
    for (long i = n - 1; i >= 0; i--) {
        if (f->in_hours[i])
            next = f->agents[i];
        else
            f->agents[i] = next;
    }
}
