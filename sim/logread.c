/* logread.c: a team's message log, one customer message at a time (see
 * logread.h and README "Logs").
 *
 * The file is streamed by csvin's stream (bounded memory); the header names
 * the format when none is given.  events and messages map one row to one
 * message; twcs joins a customer's tweet with the brand's first answer,
 * which may come before or after it in the file, through a hash of the
 * tweets still waiting for an answer (twcs_*, below). */
#include "replysim/logread.h"

#include "logread_int.h"
#include "replysim/alloc.h"
#include "replysim/csvin.h"
#include "replysim/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_HANDLE_S (365 * 86400.0) /* longer is a broken export, not work */

static const char *const field_names[N_FIELDS] = {
    "arrive",  "channel", "type",  "take",         "reply",
    "abandon", "handle",  "agent", "conversation", "thread",
};

/* Columns of replysim's messages.csv that are read, and of twcs. */
enum { M_REPLICATION, M_THREAD, M_CHANNEL, M_TYPE, M_FATE, M_ARRIVE, M_TAKE, M_END, N_MCOLS };
static const char *const messages_columns[N_MCOLS] = {
    "replication", "thread", "channel", "type", "fate", "arrive_s", "take_s", "end_s",
};
static const char *const twcs_columns[N_TCOLS] = {
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
};

static const char *const format_names[] = {"guess", "events", "messages", "twcs"};

const char *rs_log_format_name(enum rs_log_format f) { return format_names[f]; }

int rs_log_format_parse(const char *text, enum rs_log_format *out)
{
    for (int i = RS_LOG_EVENTS; i <= RS_LOG_TWCS; i++) {
        if (strcmp(text, format_names[i]) == 0) {
            *out = (enum rs_log_format)i;
            return RS_OK;
        }
    }
    return RS_EINPUT;
}

int rs_log_field(const char *name)
{
    for (int i = 0; i < N_FIELDS; i++)
        if (strcmp(name, field_names[i]) == 0) return i;
    return -1;
}

static int header_column(const struct rs_csvin_row *h, int n, const char *name)
{
    for (int j = 0; j < n; j++)
        if (strcmp(h->cells[j], name) == 0) return j;
    return -1;
}

/* The format the header names: messages and twcs by their own columns,
 * events by an arrive column (or any --map). */
static enum rs_log_format guess_format(const struct rs_csvin_row *h, int n,
                                       const struct rs_log_opts *o)
{
    if (o->n_map > 0) return RS_LOG_EVENTS;
    if (header_column(h, n, "fate") >= 0 && header_column(h, n, "arrive_s") >= 0)
        return RS_LOG_MESSAGES;
    if (header_column(h, n, "tweet_id") >= 0 && header_column(h, n, "inbound") >= 0)
        return RS_LOG_TWCS;
    if (header_column(h, n, "arrive") >= 0) return RS_LOG_EVENTS;
    return RS_LOG_GUESS;
}

static int open_events(struct rs_log *lg, const struct rs_csvin_row *h, int n,
                       const struct rs_log_opts *o, struct rs_error *err)
{
    for (int f = 0; f < N_FIELDS; f++)
        lg->col[f] = header_column(h, n, field_names[f]);
    for (int i = 0; i < o->n_map; i++) {
        int f = rs_log_field(o->map_field[i]);
        if (f < 0)
            return rs_error_input(err, NULL, 0, "--map",
                                  "expected FIELD=COLUMN with FIELD one of arrive, channel, type, "
                                  "take, reply, abandon, handle, agent, conversation, thread, "
                                  "got \"%s\"",
                                  o->map_field[i]);
        lg->col[f] = header_column(h, n, o->map_column[i]);
        if (lg->col[f] < 0)
            return rs_error_input(err, lg->label, h->line, "--map",
                                  "expected a column \"%s\" in the header (for %s)",
                                  o->map_column[i], o->map_field[i]);
    }
    if (lg->col[F_ARRIVE] < 0)
        return rs_error_input(err, lg->label, h->line, NULL,
                              "expected a header with an arrive column (or --map arrive=COLUMN)");
    return RS_OK;
}

static int open_named(struct rs_log *lg, const struct rs_csvin_row *h, int n,
                      const char *const *names, int n_names, struct rs_error *err)
{
    for (int k = 0; k < n_names; k++) {
        lg->col[k] = header_column(h, n, names[k]);
        if (lg->col[k] < 0)
            return rs_error_input(err, lg->label, h->line, NULL,
                                  "expected a %s header with a column %s", format_names[lg->format],
                                  names[k]);
    }
    return RS_OK;
}

/* Keeps the header's cells (the stream's row goes at the next read). */
static void keep_header(struct rs_log *lg, const struct rs_csvin_row *h)
{
    int n = rs_csvin_stream_cols(lg->in);
    lg->header = rs_calloc((size_t)n, sizeof *lg->header);
    lg->n_header = n;
    for (int j = 0; j < n; j++)
        lg->header[j] = rs_strdup(h->cells[j]);
}

int rs_log_open(const char *path, const struct rs_log_opts *o, struct rs_log **out,
                struct rs_error *err)
{
    struct rs_log *lg = rs_calloc(1, sizeof *lg);
    snprintf(lg->label, sizeof lg->label, "%s", path);
    lg->o = *o;
    lg->time_kind = TIME_UNKNOWN;
    lg->origin_day = -1;
    lg->origin_unix_s = NAN;
    const struct rs_csvin_row *h = NULL;
    int rc = rs_csvin_stream_open(path, path, &lg->in, err);
    if (rc) { /* a log that cannot be opened is bad input, as the message says */
        free(lg);
        return rc == RS_EIO ? RS_EINPUT : rc;
    }
    rc = rs_csvin_stream_next(lg->in, &h, err);
    if (rc == 0)
        rc = rs_error_input(err, path, 1, NULL, "expected a header row, got an empty file");
    if (rc < 0) goto fail;
    int n = rs_csvin_stream_cols(lg->in);
    keep_header(lg, h);
    lg->format = o->format == RS_LOG_GUESS ? guess_format(h, n, o) : o->format;
    if (o->n_map > 0 && lg->format != RS_LOG_EVENTS) {
        rc = rs_error_input(err, NULL, 0, "--map", "expected --map only with --format events");
        goto fail;
    }
    switch (lg->format) {
    case RS_LOG_EVENTS:
        rc = open_events(lg, h, n, o, err);
        break;
    case RS_LOG_MESSAGES:
        rc = open_named(lg, h, n, messages_columns, N_MCOLS, err);
        break;
    case RS_LOG_TWCS:
        rc = open_named(lg, h, n, twcs_columns, N_TCOLS, err);
        if (!rc) rs_log_twcs_init(lg);
        break;
    default:
        rc = rs_error_input(err, path, h->line, NULL,
                            "expected a header of a log (events: arrive,...; messages: "
                            "replysim's messages.csv; twcs: tweet_id,author_id,inbound,...), "
                            "or --format");
    }
    if (rc) goto fail;
    *out = lg;
    return RS_OK;
fail:
    rs_log_close(lg);
    return rc;
}

/* A time cell: "" is NAN; the log's first time fixes its kind (timestamps
 * or seconds) and, for timestamps, its origin. */
int rs_log_time(struct rs_log *lg, const char *cell, long line, const char *column, double *out,
                struct rs_error *err)
{
    char why[256];
    *out = NAN;
    if (!cell[0]) return RS_OK;
    int iso = strlen(cell) >= 10 && cell[4] == '-' && cell[7] == '-';
    if (lg->time_kind == TIME_UNKNOWN) lg->time_kind = iso ? TIME_ISO : TIME_SECONDS;
    if (lg->time_kind == TIME_ISO) {
        double unix_s;
        int off;
        if (!iso || rs_units_timestamp(cell, &unix_s, &off, why, sizeof why))
            return rs_error_input(err, lg->label, (int)line, column,
                                  "expected a timestamp such as 2017-10-31T22:10:47Z as in the "
                                  "first row, got \"%s\"",
                                  cell);
        if (isnan(lg->origin_unix_s)) rs_log_set_origin(lg, unix_s, off);
        *out = unix_s - lg->origin_unix_s;
        return RS_OK;
    }
    if (iso || (rs_units_number(cell, out, why, sizeof why) &&
                rs_units_duration(cell, out, why, sizeof why)))
        return rs_error_input(err, lg->label, (int)line, column,
                              "expected seconds from the first message (or a duration such as "
                              "2d14h) as in the first row, got \"%s\"",
                              cell);
    return RS_OK;
}

void rs_log_set_origin(struct rs_log *lg, double unix_s, int offset_s)
{
    double day = floor((unix_s + offset_s) / 86400.0);
    lg->origin_unix_s = day * 86400.0 - offset_s;
    lg->origin_day = (int)(((long)day % 7 + 7 + 3) % 7); /* 1970-01-01 was a thursday */
}

static void msg_clear(struct rs_log_msg *m, long line)
{
    m->arrive_s = m->take_s = m->reply_s = m->abandon_s = m->handle_s = NAN;
    m->channel = m->type = m->agent = m->conversation = m->thread = "";
    m->line = line;
}

static int events_row(struct rs_log *lg, const struct rs_csvin_row *r, struct rs_log_msg *m,
                      struct rs_error *err)
{
    static const int time_fields[] = {F_ARRIVE, F_TAKE, F_REPLY, F_ABANDON};
    double *time_out[] = {&m->arrive_s, &m->take_s, &m->reply_s, &m->abandon_s};
    const char *const *h = (const char *const *)lg->header;
    for (int k = 0; k < 4; k++) {
        int c = lg->col[time_fields[k]];
        if (c >= 0 && rs_log_time(lg, r->cells[c], r->line, h[c], time_out[k], err))
            return RS_EINPUT;
    }
    int ca = lg->col[F_ARRIVE];
    if (isnan(m->arrive_s))
        return rs_error_input(err, lg->label, r->line, h[ca], "expected an arrival time, got none");
    int ch = lg->col[F_HANDLE];
    if (ch >= 0 && r->cells[ch][0]) {
        char why[256];
        const char *v = r->cells[ch];
        if (rs_units_number(v, &m->handle_s, why, sizeof why) &&
            rs_units_duration(v, &m->handle_s, why, sizeof why))
            return rs_error_input(err, lg->label, r->line, h[ch],
                                  "expected seconds or a duration such as 4m30s, got \"%s\"", v);
        if (!(m->handle_s >= 0 && m->handle_s <= MAX_HANDLE_S))
            return rs_error_input(err, lg->label, r->line, h[ch],
                                  "expected a handle time from 0 to 365d, got \"%s\"", v);
    }
    const char **str_out[] = {&m->channel, &m->type, &m->agent, &m->conversation, &m->thread};
    static const int str_fields[] = {F_CHANNEL, F_TYPE, F_AGENT, F_CONVERSATION, F_THREAD};
    for (int k = 0; k < 5; k++) {
        int c = lg->col[str_fields[k]];
        if (c >= 0) *str_out[k] = r->cells[c];
    }
    return 1;
}

/* One row of messages.csv: the first replication only; a reply is the end
 * of an answered (or thread, bot) message, a withdrawal the end of an
 * abandoned one; what a log could not know (deadline, lapsed) is left. */
static int messages_row(struct rs_log *lg, const struct rs_csvin_row *r, struct rs_log_msg *m,
                        struct rs_error *err)
{
    char **c = r->cells;
    const char *rep = c[lg->col[M_REPLICATION]];
    if (!lg->first_rep[0]) snprintf(lg->first_rep, sizeof lg->first_rep, "%s", rep);
    if (strcmp(rep, lg->first_rep) != 0) return 0;
    const char *const *h = (const char *const *)lg->header;
    double end_s;
    if (rs_log_time(lg, c[lg->col[M_ARRIVE]], r->line, h[lg->col[M_ARRIVE]], &m->arrive_s, err) ||
        rs_log_time(lg, c[lg->col[M_TAKE]], r->line, h[lg->col[M_TAKE]], &m->take_s, err) ||
        rs_log_time(lg, c[lg->col[M_END]], r->line, h[lg->col[M_END]], &end_s, err))
        return RS_EINPUT;
    if (isnan(m->arrive_s))
        return rs_error_input(err, lg->label, r->line, "arrive_s",
                              "expected an arrival time, got none");
    const char *fate = c[lg->col[M_FATE]];
    if (strcmp(fate, "answered") == 0) {
        m->reply_s = end_s;
        m->handle_s = end_s - m->take_s;
    } else if (strcmp(fate, "thread") == 0 || strcmp(fate, "bot") == 0) {
        m->reply_s = end_s;
        m->take_s = NAN;
    } else if (strcmp(fate, "abandoned") == 0) {
        m->abandon_s = end_s;
    } else if (strcmp(fate, "dropped") && strcmp(fate, "blocked") && strcmp(fate, "no_reply") &&
               strcmp(fate, "open")) {
        return rs_error_input(err, lg->label, r->line, "fate",
                              "expected a fate (answered, thread, bot, abandoned, dropped, "
                              "blocked, no_reply, open), got \"%s\"",
                              fate);
    }
    m->channel = c[lg->col[M_CHANNEL]];
    m->type = c[lg->col[M_TYPE]];
    m->conversation = m->thread = c[lg->col[M_THREAD]];
    return 1;
}

int rs_log_next(struct rs_log *lg, struct rs_log_msg *m, struct rs_error *err)
{
    for (;;) {
        if (lg->format == RS_LOG_TWCS && rs_log_twcs_pending(lg, m)) return 1;
        if (lg->failed) return lg->failed;
        const struct rs_csvin_row *r = NULL;
        int rc = rs_csvin_stream_next(lg->in, &r, err);
        if (rc == 0 && lg->format == RS_LOG_TWCS && !lg->at_end) {
            lg->at_end = 1; /* the tweets still waiting go out unanswered */
            continue;
        }
        if (rc == 0) return 0;
        if (rc > 0) {
            msg_clear(m, r->line);
            switch (lg->format) {
            case RS_LOG_EVENTS:
                rc = events_row(lg, r, m, err);
                break;
            case RS_LOG_MESSAGES:
                rc = messages_row(lg, r, m, err);
                break;
            default:
                rc = rs_log_twcs_row(lg, r, m, err);
            }
            if (rc > 0) return 1;
            if (rc == 0) continue;
        }
        /* a bad row: counted and skipped, or the end of reading */
        if (rc == RS_EINPUT && lg->o.skip_bad_rows && r) {
            if (lg->skipped++ == 0 && err) lg->first_skip = *err;
            continue;
        }
        lg->failed = rc;
        return rc;
    }
}

enum rs_log_format rs_log_format_of(const struct rs_log *lg) { return lg->format; }
int rs_log_origin_day(const struct rs_log *lg) { return lg->origin_day; }
double rs_log_origin_unix_s(const struct rs_log *lg) { return lg->origin_unix_s; }
long rs_log_skipped(const struct rs_log *lg) { return lg->skipped; }
const struct rs_error *rs_log_first_skipped(const struct rs_log *lg)
{
    return lg->skipped ? &lg->first_skip : NULL;
}

void rs_log_close(struct rs_log *lg)
{
    if (!lg) return;
    rs_csvin_stream_close(lg->in);
    for (int j = 0; j < lg->n_header; j++)
        free(lg->header[j]);
    free(lg->header);
    rs_log_twcs_free(lg);
    free(lg);
}
