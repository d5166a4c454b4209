/* cmd_fit.c: `replysim fit LOG`, a scenario estimated from a team's
 * message log (the library's fit.h over logread.h).  The files are first
 * written into a private temporary folder, where the scenario is loaded
 * back (it must run as it is) and the pictures are drawn; then all of them
 * go into the results folder at once (rs_report_write). */
#include "cmd.h"

#include "cli.h"
#include "plot.h"
#include "tool.h"
#include "replysim/alloc.h"
#include "replysim/backtest.h"
#include "replysim/buf.h"
#include "replysim/error.h"
#include "replysim/file.h"
#include "replysim/fit.h"
#include "replysim/logread.h"
#include "replysim/report.h"
#include "replysim/scenario.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CMD "fit"
#define MAX_FILES (RS_MAX_CHANNELS + 16)
#define DAY_S 86400.0

static const char usage[] =
    "usage: replysim fit LOG [--format F] [--map FIELD=COLUMN]... [--brand NAME]\n"
    "                    [--skip-bad-rows] [--interval D] [--agents N | --schedule FILE]\n"
    "                    [--handle DIST] [--hours always|SPEC] [--holdout D] [-o DIR]\n"
    "\n"
    "Estimates a scenario from a message log (README \"Logs\"): per channel the rate\n"
    "and its profile (by hour of the week, or over the horizon for a log under two\n"
    "weeks), the day-level dispersion and the type mix; per type the handle-time\n"
    "distribution (exponential, gamma or lognormal, by likelihood) and the patience\n"
    "(from censored waits); the staffing effectively available; and the working\n"
    "hours (the hours of the week in which work started).\n"
    "\n"
    "  --format F             events, messages (replysim's messages.csv) or twcs\n"
    "                         (Twitter customer support); default: from the header\n"
    "  --map FIELD=COLUMN     read FIELD (arrive, channel, type, take, reply, abandon,\n"
    "                         handle, agent, conversation, thread) from COLUMN\n"
    "                         (repeatable)\n"
    "  --brand NAME           twcs: keep the threads of this brand (its author_id)\n"
    "  --skip-bad-rows        count and skip rows that cannot be read, instead of\n"
    "                         stopping at the first\n"
    "  --interval D           the scenario's interval and the staffing's step (1h)\n"
    "  --agents N             staff the scenario with N agents, not from the log\n"
    "  --schedule FILE        staff it with this time,agents schedule\n"
    "  --handle DIST          handle time of types the log has none of, such as\n"
    "                         'lognormal(mean=6m, sd=4m)'\n"
    "  --hours always|SPEC    the working hours, not inferred from the log: always\n"
    "                         open, or such as 'mon-fri 09:00-17:00, sat 10:00-14:00'\n"
    "  --holdout D            fit on all but the log's last D (whole days, such as\n"
    "                         7d), then backtest the fitted scenario on that last D,\n"
    "                         which the fit never saw, into DIR/holdout/ (the replay\n"
    "                         starts at the cut with no backlog)\n"
    "  -o, --output DIR       output folder (default results/fit-LOGNAME/)\n"
    "  -h, --help             this text\n"
    "\n"
    "Writes scenario.ini (runs as it is) with the CSV files it names, fit.csv\n"
    "(quantity,scope,value,ci_low,ci_high,n,method: every estimate with its 95%\n"
    "interval, then what the log itself shows under summary.csv's names),\n"
    "fit_staffing.csv, and the pictures fit_arrivals and fit_handle (PNG, SVG);\n"
    "with --holdout, fit.csv's rows holdout_coverage and DIR/holdout/ (backtest.csv,\n"
    "coverage.csv, as backtest writes them).\n";

struct fit_args {
    const char *log, *outdir, *format, *brand, *schedule, *handle, *hours;
    const char *maps[RS_LOG_MAX_MAP];
    int n_maps, skip_bad;
    double interval_s, holdout_s; /* holdout_s 0: none */
    long agents;
};

static int read_options(int argc, char **argv, struct fit_args *a)
{
    const struct rs_opt opts[] = {
        {RS_OPT_OPERAND_F(&a->log, "LOG", "the message log"), .flags = RS_OPT_REQUIRED,
         .refuse = "expected one log file"},
        RS_OPT_STRING(0, "format", &a->format, "F", "the log's format"),
        {RS_OPT_LIST_F(0, "map", a->maps, &a->n_maps, RS_LOG_MAX_MAP, "FIELD=COLUMN",
                       "read FIELD from COLUMN"),
         .expect = "expected FIELD=COLUMN after it"},
        RS_OPT_STRING(0, "brand", &a->brand, "NAME", "twcs: this brand's threads"),
        RS_OPT_FLAG(0, "skip-bad-rows", &a->skip_bad, "skip rows that cannot be read"),
        {RS_OPT_DURATION_F(0, "interval", &a->interval_s, "D", "interval"),
         .flags = RS_OPT_POSITIVE | RS_OPT_NAMED},
        {RS_OPT_INT_F(0, "agents", &a->agents, 0, 100000, "N", "agents"), .flags = RS_OPT_NAMED},
        RS_OPT_STRING(0, "schedule", &a->schedule, "FILE", "a time,agents schedule"),
        RS_OPT_STRING(0, "handle", &a->handle, "DIST", "handle time where the log has none"),
        RS_OPT_STRING(0, "hours", &a->hours, "SPEC", "working hours, or always"),
        {RS_OPT_DURATION_F(0, "holdout", &a->holdout_s, "D", "the last D held out"),
         .flags = RS_OPT_POSITIVE | RS_OPT_NAMED},
        {RS_OPT_STRING_F('o', "output", &a->outdir, "DIR", "output folder"),
         .refuse = "expected a folder"},
        RS_OPT_END,
    };
    int st = rs_opt_parse(CMD, usage, opts, argc, argv);
    if (st != RS_OPT_CONTINUE) return st;
    if (a->agents >= 0 && a->schedule)
        return rs_tool_say(CMD, "--schedule: expected --agents or --schedule, not both");
    if (a->holdout_s > 0 && fmod(a->holdout_s, DAY_S) != 0)
        return rs_tool_say(CMD, "--holdout: expected whole days, such as 7d or 2w");
    return RS_OPT_CONTINUE;
}

/* The log options from the command line: RS_OPT_CONTINUE or exit 2. */
static int log_options(const struct fit_args *a, struct rs_log_opts *lo, char *maps)
{
    memset(lo, 0, sizeof *lo);
    if (a->format && rs_log_format_parse(a->format, &lo->format))
        return rs_tool_say(CMD, "--format: expected events, messages or twcs, got \"%s\"",
                           a->format);
    for (int i = 0; i < a->n_maps; i++) {
        char *m = maps + (size_t)i * 4200;
        snprintf(m, 4200, "%s", a->maps[i]);
        char *eq = strchr(m, '=');
        if (!eq || eq == m || !eq[1])
            return rs_tool_say(CMD, "--map: expected FIELD=COLUMN, got \"%s\"", a->maps[i]);
        *eq = '\0';
        lo->map_field[i] = m;
        lo->map_column[i] = eq + 1;
    }
    lo->n_map = a->n_maps;
    lo->brand = a->brand;
    lo->skip_bad_rows = a->skip_bad;
    return RS_OPT_CONTINUE;
}

/* The value of option opt must load as key = value in a small scenario:
 * --handle a type's distribution, --hours the policy's working hours. */
static int check_value(const char *opt, const char *key, const char *value)
{
    if (!value) return RS_EXIT_OK;
    int in_type = !strcmp(key, "handle");
    struct rs_buf b = RS_BUF_INIT;
    rs_buf_printf(&b,
                  "[scenario]\nhorizon = 1h\n[channel c]\nrate = 1/h\n[type t]\nhandle = %s\n"
                  "[staff]\nagents = 1\n",
                  in_type ? value : "exponential(mean=1m)");
    if (!in_type) rs_buf_printf(&b, "[policy]\n%s = %s\n", key, value);
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    int rc = strpbrk(value, "\n\r") ? RS_EINPUT
                                    : rs_scenario_load_string(rs_buf_str(&b), "x", &sc, &err);
    rs_buf_free(&b);
    rs_scenario_destroy(sc);
    if (!rc) return RS_EXIT_OK;
    return rs_tool_say(CMD, "%s: %s", opt,
                       rc == RS_EINPUT && err.msg[0] ? err.msg
                       : in_type                     ? "expected a distribution"
                                                     : "expected working hours, or always");
}

/* --holdout: where the log is cut, and what the backtest of its end found. */
struct holdout {
    double cut_s; /* arrivals from here on (the log's clock) are held out */
    double t0_s;  /* the fitted scenario's t = 0 on the log's clock (as fit sets it) */
    long days;    /* held out */
    struct rs_backtest *bt;
    int week_schedule; /* 1: the replay's staffing is the fit's last week (schedule.csv) */
};

/* The cut: midnight after the log's last arrival, less D; RS_OK, or
 * RS_EINPUT (naming the log's span) when that leaves under a week to fit. */
static int plan_holdout(const struct fit_args *a, const struct rs_log_source *src,
                        struct holdout *h, struct rs_error *err)
{
    double first = INFINITY, last = -INFINITY;
    struct rs_log_msg m;
    int rc = src->rewind(src->ctx, err);
    while (!rc && (rc = src->next(src->ctx, &m, err)) == 1) {
        rc = 0;
        if (!isfinite(m.arrive_s)) continue;
        first = fmin(first, m.arrive_s);
        last = fmax(last, m.arrive_s);
    }
    if (rc < 0) return rc;
    if (!isfinite(last))
        return rs_error_input(err, a->log, 0, "--holdout", "expected messages to hold out");
    double end = (floor(last / DAY_S) + 1) * DAY_S;
    h->t0_s = fmin(0.0, floor(first / DAY_S) * DAY_S);
    long span = lround((end - floor(first / DAY_S) * DAY_S) / DAY_S);
    h->days = lround(a->holdout_s / DAY_S);
    h->cut_s = end - a->holdout_s;
    if (span - h->days >= 7) return RS_OK;
    if (span < 8)
        return rs_error_input(err, a->log, 0, "--holdout",
                              "expected a log of at least 8 days (a week to fit, a day to hold "
                              "out), it spans %ld (from its first arrival's day to its last's)",
                              span);
    return rs_error_input(err, a->log, 0, "--holdout",
                          "expected at most %ldd: the log spans %ld days (from its first "
                          "arrival's day to its last's) and the fit needs a week of them",
                          span - 7, span);
}

/* Reads src (the log, or the part of it fitted) into fit: RS_OK or an RS_E*
 * code with err.  lg: the log file, for its weekday and skipped rows. */
static int read_log(const struct fit_args *a, const struct rs_log_source *src,
                    struct rs_backtest_file *file, struct rs_fit **fit, struct rs_buf *notes,
                    struct rs_error *err)
{
    struct rs_log_msg m;
    struct rs_fit_opts fo = {.interval_s = a->interval_s,
                             .agents = a->agents,
                             .schedule = a->schedule,
                             .handle = a->handle,
                             .hours = a->hours,
                             .label = a->log};
    int rc = rs_fit_create(&fo, fit, err);
    if (!rc) rc = src->rewind(src->ctx, err);
    while (!rc && (rc = src->next(src->ctx, &m, err)) == 1)
        rc = rs_fit_add(*fit, &m, err);
    if (rc) return rc;
    struct rs_log *lg = file->lg;
    /* the weekday is known once the first time is read */
    rs_fit_set_origin_day(*fit, rs_log_origin_day(lg));
    if (rs_log_skipped(lg) > 0) {
        char first[800];
        rs_error_format(rs_log_first_skipped(lg), first, sizeof first);
        rs_buf_printf(notes, "skipped %ld rows that could not be read; the first: %s\n",
                      rs_log_skipped(lg), first);
    }
    return rs_fit_finish(*fit, notes, err);
}

/* Backtests the scenario written aside in tmp on the held-out end of the
 * log (backtest's defaults: the scenario's replications, at least
 * RS_BACKTEST_MIN_REPS, and its seed), and puts the coverage in fit.csv. */
static int backtest_holdout(const char *tmp, const struct rs_log_source *whole, struct rs_fit *fit,
                            struct holdout *h, struct rs_error *err)
{
    struct rs_buf p = RS_BUF_INIT;
    rs_buf_printf(&p, "%s/scenario.ini", tmp);
    struct rs_scenario *sc = NULL;
    int rc = rs_scenario_load(rs_buf_str(&p), &sc, err);
    rs_buf_free(&p);
    if (rc) return rc;
    h->week_schedule = rs_fit_schedule_last_week(sc, h->cut_s - h->t0_s);
    struct rs_log_window w = {whole, h->cut_s, INFINITY, h->cut_s};
    struct rs_log_source src;
    rs_log_window_source(&w, &src);
    int reps = sc->replications < RS_BACKTEST_MIN_REPS ? RS_BACKTEST_MIN_REPS : sc->replications;
    const struct rs_backtest_opts bo = {.replications = reps, .seed = sc->seed, .threads = 1};
    rc = rs_backtest_run(sc, &src, &bo, &h->bt, err);
    if (rc == RS_EINPUT) { /* such as a type that first came after the cut */
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        snprintf(err->msg, sizeof err->msg,
                 "held out: %.440s (the fit never saw it: hold out less)", why);
    }
    if (!rc) {
        struct rs_backtest_row all;
        rs_backtest_row(h->bt, -1, 0, &all);
        struct rs_buf how = RS_BUF_INIT;
        rs_buf_printf(&how,
                      "backtest of the log's last %ld days (%.0f messages), held out of the "
                      "fit: %d replications, seed %llu; share of intervals in the 95%% band",
                      h->days, all.observed, reps, (unsigned long long)sc->seed);
        for (int m = 0; m < rs_backtest_n_metrics(h->bt); m++) {
            long n, k;
            rs_backtest_coverage(h->bt, m, &n, &k);
            rs_fit_add_holdout(fit, rs_backtest_metric_name(h->bt, m), n, k, rs_buf_str(&how));
        }
        rs_buf_free(&how);
    }
    rs_scenario_destroy(sc);
    return rc;
}

/* The line that says what the held-out check verified, and how. */
static void print_holdout(const struct holdout *h, const char *outdir)
{
    const struct rs_backtest *bt = h->bt;
    struct rs_backtest_row all;
    rs_backtest_row(bt, -1, 0, &all);
    printf("fit: held out the last %ld days (%.0f messages), which the fit never saw; the "
           "fitted scenario replayed on them from an empty inbox (%d replications, seed %llu), "
           "coverage",
           h->days, all.observed, rs_backtest_scenario(bt)->replications,
           (unsigned long long)rs_backtest_scenario(bt)->seed);
    int low = 0;
    long fewest = -1;
    for (int m = 1; m < rs_backtest_n_metrics(bt); m++) {
        long n, k;
        rs_backtest_coverage(bt, m, &n, &k);
        if (n > 0)
            printf(" %s %.0f%%", rs_backtest_metric_name(bt, m), 100.0 * (double)k / (double)n);
        else
            printf(" %s -", rs_backtest_metric_name(bt, m));
        if (fewest < 0 || n < fewest) fewest = n;
        low += !rs_backtest_metric_ok(bt, m);
    }
    if (low) {
        printf(": NOT explained:");
        for (int m = 1, i = 0; m < rs_backtest_n_metrics(bt); m++) {
            long n, k;
            rs_backtest_coverage(bt, m, &n, &k);
            if (!rs_backtest_metric_ok(bt, m))
                printf("%s %s %.0f%%", i++ ? "," : "", rs_backtest_metric_name(bt, m),
                       100.0 * (double)k / (double)n);
        }
        printf(" (below 95%% less 3 se)");
    } else {
        printf(": explains them");
    }
    printf(" -> %s/holdout/\n", outdir);
    if (fewest >= 0 && fewest < 20)
        printf("fit: only %ld held-out intervals to compare for some metric: its coverage says "
               "little\n",
               fewest);
}

/* A picture drawn in the temporary folder, copied into the results. */
static int copy_file(FILE *out, const void *ctx, struct rs_error *err)
{
    FILE *in = NULL;
    char why[160];
    if (rs_file_open_read(ctx, &in, why, sizeof why))
        return rs_error_io(err, ctx, "cannot read the picture back: %s", why);
    char buf[1 << 15];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    int bad = ferror(in);
    fclose(in);
    return bad ? rs_error_io(err, ctx, "cannot read the picture back") : RS_OK;
}

/* Writes the files into the folder tmp: RS_OK or RS_EIO. */
static int write_aside(const char *tmp, const struct rs_report_entry *e, size_t n,
                       struct rs_error *err)
{
    for (size_t i = 0; i < n; i++) {
        struct rs_buf p = RS_BUF_INIT;
        rs_buf_printf(&p, "%s/%s", tmp, e[i].name);
        FILE *f = fopen(rs_buf_str(&p), "w");
        int rc =
            f ? e[i].write(f, e[i].ctx, err) : rs_error_io(err, e[i].name, "%s", strerror(errno));
        if (f && (fclose(f) || rc)) rc = rc ? rc : rs_error_io(err, e[i].name, "cannot write it");
        rs_buf_free(&p);
        if (rc) return rc;
    }
    return RS_OK;
}

static void remove_aside(const char *tmp, const struct rs_report_entry *e, size_t n)
{
    static const char *const pics[] = {"fit_arrivals.png", "fit_arrivals.svg", "fit_handle.png",
                                       "fit_handle.svg"};
    struct rs_buf p = RS_BUF_INIT;
    for (size_t i = 0; i < n + 4; i++) {
        rs_buf_reset(&p);
        rs_buf_printf(&p, "%s/%s", tmp, i < n ? e[i].name : pics[i - n]);
        unlink(rs_buf_str(&p));
    }
    rs_buf_free(&p);
    rmdir(tmp);
}

/* The scenario written aside must load and check as it is. */
static int check_scenario(const char *tmp, struct rs_error *err)
{
    struct rs_buf p = RS_BUF_INIT;
    rs_buf_printf(&p, "%s/scenario.ini", tmp);
    struct rs_scenario *sc = NULL;
    int rc = rs_scenario_load(rs_buf_str(&p), &sc, err);
    rs_buf_free(&p);
    rs_scenario_destroy(sc);
    return rc;
}

/* DIR/holdout: the backtest's files, and the replay's weekly schedule. */
static int write_holdout(const char *outdir, const struct holdout *h, struct rs_error *err)
{
    struct rs_report_entry e[4 + RS_MAX_CHANNELS];
    size_t n = rs_backtest_files(h->bt, e, 3 + RS_MAX_CHANNELS);
    if (h->week_schedule)
        e[n++] = (struct rs_report_entry){"schedule.csv", rs_fit_write_week_schedule,
                                          rs_backtest_scenario(h->bt)};
    struct rs_buf p = RS_BUF_INIT;
    rs_buf_printf(&p, "%s/holdout", outdir);
    int rc = rs_report_write(rs_buf_str(&p), e, n, err);
    rs_buf_free(&p);
    return rc;
}

/* Writes the results folder outdir from the finished fit. */
static int write_results(const struct fit_args *a, struct rs_fit *fit, const char *outdir,
                         const struct rs_log_source *whole, struct holdout *h, struct rs_buf *notes,
                         struct rs_error *err)
{
    struct rs_report_entry e[MAX_FILES];
    size_t n = rs_fit_files(fit, e, MAX_FILES - 4);
    const char *base = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/replysim-fit-XXXXXX",
             base && base[0] && strlen(base) < 400 ? base : "/tmp");
    if (!mkdtemp(dir)) {
        return rs_error_io(err, NULL, "cannot make a temporary folder: %s", strerror(errno));
    }
    int rc = write_aside(dir, e, n, err);
    if (!rc && (rc = check_scenario(dir, err)) != 0) {
        char line[800];
        rs_error_format(err, line, sizeof line);
        rc = rs_error_io(err, NULL, "the fitted scenario does not load (%s): please report it",
                         line);
    }
    if (!rc && a->holdout_s > 0) rc = backtest_holdout(dir, whole, fit, h, err);
    static const char *const pics[] = {"fit_arrivals.png", "fit_arrivals.svg", "fit_handle.png",
                                       "fit_handle.svg"};
    size_t n_files = n;
    if (!rc) {
        char paths[4][600];
        struct rs_buf title = RS_BUF_INIT;
        rs_buf_printf(&title, "replysim fit: %s (%ld messages)", a->log, rs_fit_messages(fit));
        rs_plot_fit(dir, fit, rs_buf_str(&title), notes);
        rs_buf_free(&title);
        for (int i = 0; i < 4; i++) {
            snprintf(paths[i], sizeof paths[i], "%s/%s", dir, pics[i]);
            if (access(paths[i], F_OK) == 0)
                e[n_files++] = (struct rs_report_entry){pics[i], copy_file, paths[i]};
        }
        rc = rs_report_write(outdir, e, n_files, err);
    }
    if (!rc && h->bt) rc = write_holdout(outdir, h, err);
    remove_aside(dir, e, n);
    return rc;
}

/* DIR/holdout, when replysim wrote it (an earlier fit --holdout), is moved
 * aside into DIR as a leftover folder (.holdout.replysim-XXXXXX, which
 * results folders may hold) before DIR is prepared: new results replace
 * the whole of DIR, the leftover with it, and a fit that fails puts it back
 * (restore_old_holdout).  Anything else there stays, and preparing DIR then
 * refuses it.  aside gets the leftover's path, "" when none. */
static void set_old_holdout_aside(const char *outdir, char *aside, size_t len)
{
    aside[0] = '\0';
    char path[600];
    snprintf(path, sizeof path, "%s/holdout", outdir);
    struct stat st;
    struct rs_error err = {0};
    if (strlen(outdir) > 400 || lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) ||
        rs_report_prepare(path, &err) != RS_OK)
        return;
    snprintf(aside, len, "%s/.holdout.replysim-XXXXXX", outdir);
    if (!mkdtemp(aside)) {
        aside[0] = '\0';
    } else if (rename(path, aside) != 0) {
        rmdir(aside);
        aside[0] = '\0';
    }
}

static void restore_old_holdout(const char *outdir, const char *aside)
{
    char path[600];
    struct stat st;
    snprintf(path, sizeof path, "%s/holdout", outdir);
    if (aside[0] && lstat(aside, &st) == 0 && lstat(path, &st) != 0) rename(aside, path);
}

/* results/fit-NAME, NAME the log's file name without its extension and
 * with anything but letters, digits, _ - . as _. */
static void default_outdir(const char *log, char *buf, size_t len)
{
    const char *slash = strrchr(log, '/');
    const char *name = slash ? slash + 1 : log;
    size_t k = (size_t)snprintf(buf, len, "results/fit-");
    for (const char *p = name; *p && *p != '.' && k + 1 < len && k < 80; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-';
        buf[k++] = ok ? c : '_';
    }
    buf[k] = '\0';
}

int rs_cmd_fit(int argc, char **argv)
{
    struct fit_args a = {.interval_s = 3600, .agents = -1};
    int st = read_options(argc, argv, &a);
    if (st != RS_OPT_CONTINUE) return st;
    struct rs_log_opts lo;
    char *maps = rs_calloc(RS_LOG_MAX_MAP, 4200);
    st = log_options(&a, &lo, maps);
    if (st == RS_OPT_CONTINUE) st = check_value("--handle", "handle", a.handle);
    if (st == RS_EXIT_OK) st = check_value("--hours", "hours", a.hours);
    char dirbuf[256];
    if (!a.outdir) default_outdir(a.log, dirbuf, sizeof dirbuf);
    const char *outdir = a.outdir ? a.outdir : dirbuf;
    char aside[600] = "";
    if (st == RS_OPT_CONTINUE || st == RS_EXIT_OK) {
        set_old_holdout_aside(outdir, aside, sizeof aside);
        st = rs_cli_prepare_outdir(outdir);
    }
    if (st != RS_EXIT_OK) {
        restore_old_holdout(outdir, aside);
        free(maps);
        return st;
    }
    struct rs_error err = {0};
    struct rs_fit *fit = NULL;
    struct rs_buf notes = RS_BUF_INIT;
    struct rs_backtest_file file = {.path = a.log, .opts = &lo};
    struct rs_log_source whole, part;
    struct holdout h = {.cut_s = INFINITY};
    int rc = rs_backtest_file_source(&file, &whole, &err);
    if (!rc && a.holdout_s > 0) rc = plan_holdout(&a, &whole, &h, &err);
    struct rs_log_window w = {&whole, -INFINITY, h.cut_s, 0};
    if (!rc) {
        rs_log_window_source(&w, &part);
        rc = read_log(&a, &part, &file, &fit, &notes, &err);
    }
    if (!rc) rc = write_results(&a, fit, outdir, &whole, &h, &notes, &err);
    if (rc) {
        st = rs_tool_error(CMD, &err, rc);
    } else {
        printf("fit: %ld messages of %s (%s) -> %s/\n", rs_fit_messages(fit), a.log,
               rs_log_format_name(rs_log_format_of(file.lg)), outdir);
        if (h.bt) print_holdout(&h, outdir);
        fputs(rs_buf_str(&notes), stdout);
        st = RS_EXIT_OK;
    }
    if (st != RS_EXIT_OK) restore_old_holdout(outdir, aside);
    rs_buf_free(&notes);
    rs_backtest_destroy(h.bt);
    rs_backtest_file_close(&file);
    rs_fit_destroy(fit);
    free(maps);
    return st;
}
