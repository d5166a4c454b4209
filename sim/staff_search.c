/* staff_search.c: the trims of the staffing search (staff.h steps 3 and
 * 4), over slots: an interval, or with a weekly pattern an interval of the
 * week (taking an agent from a slot takes it from that interval in every
 * week). */
#include "staff_int.h"

#include "replysim/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Gives back the cut agents that explain the intervals now missing: for
 * each, the latest cut slot at or before it (staffing acts forward in
 * time); when a miss has no cut before it, every cut.  Returns the cuts
 * left. */
static int give_back(struct rs_staff *st, int *cut, int *locked, int n_cut)
{
    for (int j = 0; j < st->n; j++) {
        if (st->met[j]) continue;
        int b = j;
        while (b >= 0 && !cut[rs_staff_slot(st, b)])
            b--;
        if (b < 0) {
            for (int s = 0; s < st->n_slots; s++)
                if (cut[s]) cut[s] = 0, st->slot_agents[s]++, locked[s] = 1;
            return 0;
        }
        int s = rs_staff_slot(st, b);
        cut[s] = 0, st->slot_agents[s]++, locked[s] = 1, n_cut--;
    }
    return n_cut;
}

/* The least agents slot s may have. */
static int slot_floor(const struct rs_staff *st) { return st->o.min_agents; }

int rs_staff_trim_groups(struct rs_staff *st, struct rs_error *err)
{
    enum { K = 3 }; /* one slot in three at once */
    int *locked = rs_calloc((size_t)st->n_slots, sizeof *locked);
    int *cut = rs_calloc((size_t)st->n_slots, sizeof *cut);
    int changed = 1, rc = 0;
    while (changed && !rc) {
        changed = 0;
        for (int g = 0; g < K && !rc; g++) {
            int n_cut = 0;
            for (int s = g; s < st->n_slots; s += K) {
                cut[s] = st->slot_agents[s] > slot_floor(st) && !locked[s];
                if (cut[s]) st->slot_agents[s]--, n_cut++;
            }
            while (n_cut > 0) {
                int misses = rs_staff_eval(st, err);
                if (misses < 0) {
                    rc = misses;
                    break;
                }
                rs_staff_say(st, "trim", misses);
                if (misses == 0) {
                    changed = 1;
                    break;
                }
                n_cut = give_back(st, cut, locked, n_cut);
            }
            memset(cut, 0, (size_t)st->n_slots * sizeof *cut);
        }
    }
    free(locked);
    free(cut);
    return rc;
}

/* The slots that may give up an agent, largest slack first (the least
 * over the slot's judged intervals), into order; returns their count. */
static int by_slack(const struct rs_staff *st, const int *minimal, int *order, double *slack)
{
    for (int s = 0; s < st->n_slots; s++)
        slack[s] = INFINITY;
    for (int i = 0; i < st->n; i++) {
        int s = rs_staff_slot(st, i);
        double v = st->held[i] ? rs_staff_slack(st, st->fig, i) : INFINITY;
        if (v < slack[s]) slack[s] = v;
    }
    int m = 0;
    for (int s = 0; s < st->n_slots; s++) {
        if (st->slot_agents[s] <= slot_floor(st) || minimal[s]) continue;
        int k = m++;
        while (k > 0 && slack[order[k - 1]] < slack[s]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = s;
    }
    return m;
}

int rs_staff_trim_single(struct rs_staff *st, struct rs_error *err)
{
    int *minimal = rs_calloc((size_t)st->n_slots, sizeof *minimal);
    int *order = rs_calloc((size_t)st->n_slots, sizeof *order);
    double *slack = rs_calloc((size_t)st->n_slots, sizeof *slack);
    int rc = rs_staff_eval(st, err);
    while (rc >= 0) {
        int m = by_slack(st, minimal, order, slack);
        if (m == 0) break;
        for (int k = 0; k < m; k++) {
            int s = order[k];
            st->slot_agents[s]--;
            int misses = rs_staff_eval(st, err);
            if (misses < 0) {
                rc = misses;
                break;
            }
            rs_staff_say(st, "check", misses);
            if (misses > 0) st->slot_agents[s]++, minimal[s] = 1;
        }
        if (rc >= 0) rc = rs_staff_eval(st, err); /* fig of the current schedule */
    }
    free(minimal);
    free(order);
    free(slack);
    return rc < 0 ? rc : 0;
}
