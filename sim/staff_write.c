/* staff_write.c: the files of a staffing search (staff.h), one report. */
#include "staff_int.h"

#include "replysim/csvout.h"
#include "replysim/report.h"
#include "replysim/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rs_staff_slot_label(const struct rs_staff *st, int s, char *buf, size_t n)
{
    if (st->weekly)
        rs_report_clock(st->sc, s * st->width_s, buf, n);
    else
        rs_units_format_duration(s * st->width_s, buf, n);
}

static void put_fig(FILE *f, const struct rs_staff_fig *x, int with_bound)
{
    double v[3] = {x->mean, x->ci_low, x->ci_high};
    for (int k = 0; k < 3; k++) {
        fputc(',', f);
        rs_csvout_number(f, v[k]);
    }
    fprintf(f, ",%d", x->n);
    if (!with_bound) return;
    fputc(',', f);
    rs_csvout_number(f, x->bound);
}

/* One row per interval and target: the search seeds' figure, the fresh
 * seeds' figure with the judging rule's bound, whether it had too few
 * messages for the bound (thin: judged by the mean), was judged and met
 * (on the fresh seeds). */
static int put_staffing(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_staff *st = ctx;
    (void)err;
    /* the first eleven columns as before rostered and the fresh seeds (plot reads them) */
    fputs("interval,start_s,start,agents,inbox_per_h,load_erl,metric,target,mean,ci_low,"
          "ci_high,n,rostered,fresh_mean,fresh_ci_low,fresh_ci_high,fresh_n,fresh_bound,thin,"
          "judged,met\n",
          f);
    for (int i = 0; i < st->n; i++) {
        char label[32];
        rs_report_clock(st->sc, i * st->width_s, label, sizeof label);
        for (int k = 0; k < st->o.n_targets; k++) {
            const struct rs_staff_target *t = &st->o.target[k];
            const struct rs_staff_fig *v = &st->vfig[i * st->o.n_targets + k];
            fprintf(f, "%d,", i);
            rs_csvout_number(f, i * st->width_s);
            fprintf(f, ",%s,%d,", label, st->agents[i]);
            rs_csvout_number(f, st->lambda[i] * 3600);
            fputc(',', f);
            rs_csvout_number(f, st->lambda[i] * st->handle_mean_s);
            fprintf(f, ",%s,", t->metric);
            rs_csvout_number(f, t->goal);
            put_fig(f, &st->fig[i * st->o.n_targets + k], 0);
            fprintf(f, ",%d", rs_staff_rostered(st, st->agents[i]));
            put_fig(f, v, 1);
            /* a scoped target is judged where its scope has messages */
            int judged = st->judged[i] && (v->n > 0 || !t->scope_kind);
            fprintf(f, ",%d,%d,", v->thin, judged);
            if (judged && v->n > 0) fputc(v->met ? '1' : '0', f);
            fputc('\n', f);
        }
    }
    return RS_OK;
}

/* time,agents as [staff] schedule reads it: by time of the week (mon
 * 09:00, from the earliest) with a weekly pattern, else from the start. */
static int put_schedule(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_staff *st = ctx;
    (void)err;
    fputs("time,agents\n", f);
    for (int k = 0; k < st->n_slots; k++) {
        int s = st->weekly ? (st->first_row_slot + k) % st->n_slots : k;
        char d[64];
        rs_staff_slot_label(st, s, d, sizeof d);
        fprintf(f, "%s,%d\n", d, st->slot_agents[s]);
    }
    return RS_OK;
}

static int put_intervals(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_staff *st = ctx;
    (void)err;
    rs_report_intervals(f, st->res, st->w);
    return RS_OK;
}

/* The targets as given, for the files' first comment. */
static void put_targets(FILE *f, const struct rs_staff *st)
{
    for (int k = 0; k < st->o.n_targets; k++)
        fprintf(f, " --target '%s'", st->o.target[k].text);
}

/* The scenario as loaded, its staff replaced by schedule.csv. */
static int put_ini(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_staff *st = ctx;
    (void)err;
    struct rs_scenario *out = rs_scenario_copy(st->sc);
    rs_scenario_set_schedule(out, st->w->schedule.path, st->w->schedule.n, st->w->schedule.t_s,
                             st->w->schedule.value);
    fprintf(f, "; replysim %s: the staffing found by replysim staff", RS_VERSION);
    put_targets(f, st);
    fputc('\n', f);
    rs_scenario_write(out, f);
    rs_scenario_destroy(out);
    return RS_OK;
}

static int put_shifts(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_staff *st = ctx;
    (void)err;
    fputs("name,day,start,length,agents\n", f);
    for (int k = 0; k < st->plan.n_rows; k++) {
        static const char *const days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
        const struct rs_shifts_row *r = &st->plan.rows[k];
        char name[RS_NAME_MAX], len[64];
        long min = lround(r->start_clock_s / 60);
        rs_staff_shift_name(r, name, sizeof name);
        rs_units_format_duration(r->length_s, len, sizeof len);
        fprintf(f, "%s,%s,%02ld:%02ld,%s,%d\n", name, days[r->day], min / 60, min % 60, len,
                r->agents);
    }
    return RS_OK;
}

/* The roster for a scheduler (shifts.h). */
static int put_roster(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_staff *st = ctx;
    return rs_shifts_roster_csv(f, &st->plan, err);
}

/* The scenario as loaded, its staff replaced by the shifts. */
static int put_shifts_ini(FILE *f, const void *ctx, struct rs_error *err)
{
    const struct rs_staff *st = ctx;
    (void)err;
    struct rs_scenario *out = rs_scenario_copy(st->sc);
    rs_staff_use_shifts(out, &st->plan);
    fprintf(f, "; replysim %s: the shifts found by replysim staff", RS_VERSION);
    put_targets(f, st);
    fprintf(f, " --shifts %s\n", st->o.shifts_text);
    rs_scenario_write(out, f);
    rs_scenario_destroy(out);
    return RS_OK;
}

int rs_staff_write(const char *dir, const struct rs_staff *st, struct rs_error *err)
{
    const struct rs_report_entry files[] = {
        {"staffing.csv", put_staffing, st},
        {"schedule.csv", put_schedule, st},
        {"intervals.csv", put_intervals, st},
        {"scenario.ini", put_ini, st},
        {"shifts.csv", st->o.shifts ? put_shifts : NULL, st},
        {"roster.csv", st->o.shifts ? put_roster : NULL, st},
        {"shifts.ini", st->w_sh ? put_shifts_ini : NULL, st},
    };
    return rs_report_write(dir, files, sizeof files / sizeof files[0], err);
}
