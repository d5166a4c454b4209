/* staff_shifts.c: the staffing found covered by shifts (shifts.h, GLPK),
 * and the shifts re-simulated and judged on the verification's fresh
 * seeds.  With a weekly pattern the shifts cover one week, and their
 * [shift] sections repeat every week. */
#include "staff_int.h"

#include "replysim/alloc.h"
#include "replysim/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rs_staff_rostered(const struct rs_staff *st, int a)
{
    return (int)ceil(a / (1 - st->o.shrinkage) - 1e-9);
}

void rs_staff_shift_name(const struct rs_shifts_row *r, char *buf, size_t n)
{
    rs_shifts_row_name(r, buf, n);
}

/* Replaces x's staffing by the plan's [shift] sections (every channel, no
 * break). */
void rs_staff_use_shifts(struct rs_scenario *x, const struct rs_shifts_plan *plan)
{
    rs_scenario_set_schedule(x, "", 0, NULL, NULL);
    x->n_shifts = plan->n_rows;
    for (int k = 0; k < plan->n_rows; k++) {
        const struct rs_shifts_row *r = &plan->rows[k];
        struct rs_shift_cfg *s = &x->shifts[k];
        rs_scenario_shift_init(x, s);
        rs_staff_shift_name(r, s->name, sizeof s->name);
        s->days = r->days ? r->days : 1u << r->day; /* a roster's agent-week: several days */
        s->start_clock_s = r->start_clock_s;
        s->length_s = r->length_s;
        s->agents = r->agents;
    }
}

/* The shift model's input: one week of slots (weekly) or the horizon. */
static void shift_input(struct rs_staff *st, const int *need)
{
    struct rs_shifts_in *in = &st->o.shift;
    in->n = st->n_slots;
    in->interval_s = st->width_s;
    in->horizon_s = st->weekly ? RS_WEEK_S : st->sc->horizon_s;
    in->weekly = st->weekly; /* a roster that repeats every week */
    in->start_day = st->sc->start_day;
    in->start_clock_s = st->sc->start_clock_s;
    if (!(in->step_s > 0)) in->step_s = st->width_s;
    in->need = need;
}

int rs_staff_shifts_check(struct rs_staff *st, struct rs_error *err)
{
    int *ones = rs_calloc((size_t)st->n_slots, sizeof *ones);
    for (int s = 0; s < st->n_slots; s++)
        ones[s] = 1;
    shift_input(st, ones);
    struct rs_shifts_plan plan;
    int rc = rs_shifts_solve(&st->o.shift, &plan, err);
    rs_shifts_plan_free(&plan);
    free(ones);
    st->o.shift.need = NULL;
    return rc;
}

/* Agents on duty per interval of the horizon under the plan's shifts (their
 * sections repeat weekly), shrinkage taken off and rounded down. */
static void on_duty(const struct rs_staff *st, double *v)
{
    for (int i = 0; i < st->n; i++) {
        double a = i * st->width_s, b = a + st->width_s, k = 0;
        for (int r = 0; r < st->plan.n_rows; r++) {
            const struct rs_shifts_row *row = &st->plan.rows[r];
            unsigned days = row->days ? row->days : 1u << row->day;
            for (int d = 0; d < 7; d++) {
                if (!(days >> d & 1u)) continue;
                /* the first start on weekday d, from the row's first start */
                double t0 = fmod(row->t_s + ((d - row->day + 7) % 7) * 86400.0, RS_WEEK_S);
                for (double s = t0; s < st->sc->horizon_s; s += RS_WEEK_S)
                    if (s <= a + 1e-6 && s + row->length_s >= b - 1e-6) k += row->agents;
            }
        }
        v[i] = floor(k * (1 - st->o.shrinkage) + 1e-9);
    }
}

/* The copy the shifts run in: their [shift] sections, or with shrinkage
 * the agents they leave on duty as a schedule. */
static struct rs_scenario *shift_copy(const struct rs_staff *st)
{
    struct rs_scenario *x = rs_scenario_copy(st->w);
    if (st->o.shrinkage > 0) {
        double *t = rs_calloc((size_t)st->n, sizeof *t), *v = rs_calloc((size_t)st->n, sizeof *v);
        for (int i = 0; i < st->n; i++)
            t[i] = i * st->width_s;
        on_duty(st, v);
        rs_scenario_set_schedule(x, "shifts-on-duty", st->n, t, v);
        free(t);
        free(v);
    } else {
        rs_staff_use_shifts(x, &st->plan);
    }
    return x;
}

int rs_staff_shifts_run(struct rs_staff *st, struct rs_error *err)
{
    int *need = rs_calloc((size_t)st->n_slots, sizeof *need);
    for (int s = 0; s < st->n_slots; s++)
        need[s] = rs_staff_rostered(st, st->slot_agents[s]);
    shift_input(st, need);
    int rc = rs_shifts_solve(&st->o.shift, &st->plan, err);
    free(need);
    st->o.shift.need = NULL;
    if (rc < 0 || st->plan.n_rows > RS_MAX_SHIFTS) return rc;
    /* at least the staffing in every interval, but the drain has only the
     * shifts that run on: judged on the verification's seeds */
    st->w_sh = shift_copy(st);
    struct rs_results *res = NULL;
    rc = rs_staff_experiment(st, st->w_sh, &st->fresh, &res, err);
    if (rc) return rc;
    st->verify_sims++;
    st->shfig = rs_calloc((size_t)st->n * (size_t)st->o.n_targets, sizeof *st->shfig);
    st->shift_misses = rs_staff_judge(st, res, st->vthin, st->shfig);
    rs_results_destroy(res);
    return RS_OK;
}
