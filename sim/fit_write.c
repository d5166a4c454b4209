/* fit_write.c: the files of `replysim fit`'s results folder: scenario.ini
 * and the CSV inputs it names (profile_CHANNEL.csv, schedule.csv), fit.csv
 * (every estimate with its interval, then the log's observed metrics),
 * fit_staffing.csv (the evidence of the staffing estimate) and the data of the
 * two pictures. */
#include "fit_int.h"

#include "replysim/alloc.h"
#include "replysim/buf.h"
#include "replysim/csvin.h"
#include "replysim/csvout.h"
#include "replysim/units.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const weekdays[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static void put_num(FILE *out, double x)
{
    char b[64];
    rs_units_format_number(x, b, sizeof b);
    fputs(b, out);
}

static void put_duration(FILE *out, double s)
{
    char b[64];
    rs_units_format_duration(s, b, sizeof b);
    fputs(b, out);
}

int rs_fit_read_schedule(struct rs_fit *f, struct rs_error *err)
{
    struct rs_csvin *c = NULL;
    int rc = rs_csvin_read(f->o.schedule, f->o.schedule, &c, err);
    if (rc == RS_EIO) return rs_error_input(err, NULL, 0, "--schedule", "%s", err->msg);
    if (rc) return rc;
    if (c->n_rows < 2 || c->n_cols != 2 || rs_csvin_column(c, "time") != 0 ||
        rs_csvin_column(c, "agents") != 1) {
        rc = rs_csvin_fail(err, c, 0, NULL, "expected a header time,agents and rows beneath");
        rs_csvin_destroy(c);
        return rc;
    }
    struct rs_buf b = RS_BUF_INIT;
    for (int r = 0; r < c->n_rows; r++) {
        for (int j = 0; j < 2; j++) {
            const char *cell = c->rows[r].cells[j];
            if (strpbrk(cell, ",\"\r\n")) {
                rc = rs_csvin_fail(err, c, r, j ? "agents" : "time", "expected a plain cell");
                break;
            }
            rs_buf_printf(&b, "%s%s", cell, j ? "\n" : ",");
        }
    }
    rs_csvin_destroy(c);
    if (rc) {
        rs_buf_free(&b);
        return rc;
    }
    f->schedule_text = rs_buf_detach(&b);
    return RS_OK;
}

/* One [channel] section. */
static void put_channel(FILE *out, const struct rs_fit *f, int c)
{
    const struct fit_channel *ch = &f->ch[c];
    char rate[64];
    rs_units_format_rate(ch->rate_per_s, rate, sizeof rate);
    fprintf(out, "\n[channel %s]\n# %.0f messages", ch->nm.name, ch->n);
    if (strcmp(ch->nm.raw, ch->nm.name)) {
        char raw[200];
        rs_error_escape(ch->nm.raw, raw, sizeof raw);
        fprintf(out, " (\"%s\" in the log)", raw);
    }
    fprintf(out, "\nrate = %s\nprofile = %s\n", rate, f->pfile[c].name);
    if (f->weekly) {
        fputs("dispersion = ", out);
        put_num(out, ch->dispersion);
        fputc('\n', out);
    }
    if (f->n_ty > 1) {
        fputs("mix = ", out);
        int first = 1;
        for (int k = 0; k < f->n_ty; k++) {
            if (ch->type_n[k] == 0) continue;
            fprintf(out, "%s%s:", first ? "" : ", ", f->ty[k].nm.name);
            put_num(out, ch->type_n[k] / ch->n);
            first = 0;
        }
        fputc('\n', out);
    }
}

/* Staffing: constant agents when every interval has the same. */
static void put_staff(FILE *out, const struct rs_fit *f)
{
    fputs("\n[staff]\n", out);
    if (f->staff_from == STAFF_SCHEDULE) {
        fprintf(out, "# from --schedule %s\nschedule = schedule.csv\n", f->o.schedule);
        return;
    }
    if (f->staff_from == STAFF_AGENTS) {
        fprintf(out, "# from --agents\nagents = %ld\n", f->o.agents);
        return;
    }
    fputs("# estimated: agents busy while customers waited (fit.csv, fit_staffing.csv)\n", out);
    if (f->hours.n > 0) fputs("# closed hours ([policy] hours) get the next opening's\n", out);
    int same = 1;
    for (long i = 1; i < f->n_intervals; i++)
        same &= f->agents[i] == f->agents[0];
    if (same)
        fprintf(out, "agents = %.0f\n", f->agents[0]);
    else
        fputs("schedule = schedule.csv\n", out);
}

static int uses_schedule(const struct rs_fit *f)
{
    if (f->staff_from == STAFF_SCHEDULE) return 1;
    if (f->staff_from == STAFF_AGENTS) return 0;
    for (long i = 1; i < f->n_intervals; i++)
        if (f->agents[i] != f->agents[0]) return 1;
    return 0;
}

static int write_scenario(FILE *out, const void *ctx, struct rs_error *err)
{
    const struct rs_fit *f = ctx;
    (void)err;
    fprintf(out,
            "# Fitted by replysim fit from %s (%ld messages): estimates and their intervals\n"
            "# in fit.csv.  Times: t = 0 is %s 00:00 of the log's first day.\n"
            "[scenario]\nname = fit\nhorizon = ",
            f->o.label, f->n_msgs, weekdays[f->start_day]);
    put_duration(out, f->horizon_s);
    fputs("\ninterval = ", out);
    put_duration(out, f->o.interval_s);
    fprintf(out, "\nstart = %s 00:00\n", weekdays[f->start_day]);
    for (int c = 0; c < f->n_ch; c++)
        put_channel(out, f, c);
    for (int k = 0; k < f->n_ty; k++) {
        const struct fit_type *ty = &f->ty[k];
        char h[160];
        if (ty->no_reply) {
            fprintf(out,
                    "\n[type %s]\n# %.0f messages, none taken, answered or withdrawn in the "
                    "log\nreply = no\n",
                    ty->nm.name, ty->n);
            continue;
        }
        if (ty->handle_given == 1)
            snprintf(h, sizeof h, "%s", f->o.handle);
        else if (ty->handle_given == 2)
            rs_fit_handle_text(&f->h_all, h, sizeof h);
        else
            rs_fit_handle_text(&ty->h, h, sizeof h);
        fprintf(out, "\n[type %s]\n# %.0f messages\nhandle = %s\n", ty->nm.name, ty->n, h);
        if (isfinite(ty->p.mean_s)) {
            fputs("patience = exponential(mean=", out);
            put_duration(out, ty->p.mean_s);
            fputs(")\n", out);
        } else {
            fputs("# patience: not identified (no customer withdrew): never\n", out);
        }
    }
    put_staff(out, f);
    if (f->n_withdrawn > 0 || f->hours.n > 0) fputs("\n[policy]\n", out);
    if (f->n_withdrawn > 0) fputs("# customers withdrew in the log\nabandon = leave\n", out);
    if (f->hours.n > 0)
        fprintf(out, "# %s\nhours = %s\n",
                f->hours.from == HOURS_GIVEN ? "from --hours"
                                             : "inferred: the hours of the week work started in "
                                               "(fit.csv)",
                f->hours.text);
    return RS_OK;
}

static int write_profile(FILE *out, const void *ctx, struct rs_error *err)
{
    const struct fit_profile_file *pf = ctx;
    const struct rs_fit *f = pf->f;
    const struct fit_channel *ch = &f->ch[pf->c];
    (void)err;
    if (f->weekly) {
        fputs("multiplier\n", out); /* 168 rows from mon 00:00 */
        for (long j = 0; j < 168; j++) {
            put_num(out, ch->profile[j]);
            fputc('\n', out);
        }
        return RS_OK;
    }
    fputs("time,multiplier\n", out);
    for (long j = 0; j < f->n_bins; j++) {
        put_duration(out, (double)j * f->res_s);
        fputc(',', out);
        put_num(out, ch->profile[j]);
        fputc('\n', out);
    }
    return RS_OK;
}

static int write_schedule(FILE *out, const void *ctx, struct rs_error *err)
{
    const struct rs_fit *f = ctx;
    (void)err;
    if (f->staff_from == STAFF_SCHEDULE) {
        fputs(f->schedule_text, out);
        return RS_OK;
    }
    fputs("time,agents\n", out);
    for (long i = 0; i < f->n_intervals; i++) {
        if (i > 0 && f->agents[i] == f->agents[i - 1]) continue;
        put_duration(out, (double)i * f->o.interval_s);
        fprintf(out, ",%.0f\n", f->agents[i]);
    }
    return RS_OK;
}

static int write_staffing(FILE *out, const void *ctx, struct rs_error *err)
{
    const struct rs_fit *f = ctx;
    (void)err;
    fputs("interval,start_s,start,agents_effective,busy_max,queued_min,in_hours\n", out);
    for (long i = 0; i < f->n_intervals; i++) {
        double t = (double)i * f->o.interval_s;
        long day = (long)floor(t / 86400), sec = (long)(t - (double)day * 86400.0);
        fprintf(out, "%ld,", i);
        put_num(out, t);
        fprintf(out, ",%s %02ld:%02ld,%.0f,", weekdays[(f->start_day + day) % 7], sec / 3600,
                sec / 60 % 60, f->agents[i]);
        put_num(out, f->busy_max[i]);
        fputc(',', out);
        put_num(out, f->queued_min[i]);
        fprintf(out, ",%d\n", f->in_hours[i]);
    }
    return RS_OK;
}

size_t rs_fit_files(const struct rs_fit *f, struct rs_report_entry *out, size_t room)
{
    size_t n = 0;
#define ADD(nm, fn, cx)                                                                            \
    do {                                                                                           \
        if (n < room) out[n] = (struct rs_report_entry){(nm), (fn), (cx)};                         \
        n++;                                                                                       \
    } while (0)
    ADD("scenario.ini", write_scenario, f);
    for (int c = 0; c < f->n_ch; c++)
        ADD(f->pfile[c].name, write_profile, &f->pfile[c]);
    if (uses_schedule(f)) ADD("schedule.csv", write_schedule, f);
    ADD("fit.csv", rs_fit_write_table, f);
    ADD("fit_staffing.csv", write_staffing, f);
    ADD(RS_FIT_ARRIVALS_CSV, rs_fit_write_arrivals, f);
    ADD(RS_FIT_HANDLE_CSV, rs_fit_write_handle, f);
#undef ADD
    return n;
}
