/* bizhours.c: the business clock (bizhours.h).
 *
 * The clock at week second u of week k is k * open_week_s plus the working
 * seconds of the week before u: a binary search for the last piece that
 * starts at or before u, then the part of that piece before u. */
#include "bizhours.h"
#include "timeline.h"

#include <math.h>
#include <string.h>

static void add_piece(struct rs_bizhours *bh, double from, double to)
{
    if (!(to > from)) return;
    int i = bh->n++;
    /* insertion keeps the pieces sorted (at most 2 * RS_MAX_HOURS) */
    while (i > 0 && bh->from_s[i - 1] > from) {
        bh->from_s[i] = bh->from_s[i - 1];
        bh->to_s[i] = bh->to_s[i - 1];
        i--;
    }
    bh->from_s[i] = from;
    bh->to_s[i] = to;
}

int rs_bizhours_init(struct rs_bizhours *bh, const struct rs_scenario *sc)
{
    memset(bh, 0, sizeof *bh);
    bh->off_s = rs_timeline_week_offset_s(sc);
    for (int i = 0; i < sc->n_hours && i < RS_MAX_HOURS; i++) {
        double from = sc->hours[i].from_s, to = sc->hours[i].to_s;
        if (to > RS_WEEK_S) { /* over sunday midnight: its tail opens the week */
            add_piece(bh, 0, to - RS_WEEK_S);
            to = RS_WEEK_S;
        }
        add_piece(bh, from, to);
    }
    double sum = 0;
    for (int i = 0; i < bh->n; i++) {
        bh->before_s[i] = sum;
        sum += bh->to_s[i] - bh->from_s[i];
    }
    bh->open_week_s = sum;
    return bh->n > 0;
}

double rs_bizhours_clock_s(const struct rs_bizhours *bh, double t_s)
{
    if (bh->n == 0) return t_s;
    double x = t_s + bh->off_s, week = floor(x / RS_WEEK_S), u = x - week * RS_WEEK_S;
    int lo = 0, hi = bh->n; /* the last piece with from_s <= u is lo - 1 */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (bh->from_s[mid] <= u)
            lo = mid + 1;
        else
            hi = mid;
    }
    double in_week = 0;
    if (lo > 0) {
        int i = lo - 1;
        in_week = bh->before_s[i] + fmin(u, bh->to_s[i]) - bh->from_s[i];
    }
    return week * bh->open_week_s + in_week;
}
