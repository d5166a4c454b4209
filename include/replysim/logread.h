/* logread.h: a team's own message log, read one customer message at a time
 * (`replysim fit`, `replysim backtest`).  Formats: events (one row per
 * customer message), messages (replysim's own messages.csv from run
 * --trace) and twcs (Twitter customer-support threads); see README "Logs".
 *
 * Times are seconds from the log's origin: midnight (in the first row's
 * UTC offset) of the day of the log's first row in file order; a log of bare
 * seconds has origin 0 and no weekday.  Rows need not be sorted: a time
 * before the origin is negative.  Memory is bounded by the row, not the log
 * (twcs keeps one small record per open thread). */
#ifndef RS_LOGREAD_H
#define RS_LOGREAD_H

#include "replysim/error.h"

#include <stddef.h>

enum rs_log_format { RS_LOG_GUESS, RS_LOG_EVENTS, RS_LOG_MESSAGES, RS_LOG_TWCS };

#define RS_LOG_MAX_MAP 16

struct rs_log_opts {
    enum rs_log_format format; /* RS_LOG_GUESS: from the header */
    int n_map;                 /* --map FIELD=COLUMN pairs */
    const char *map_field[RS_LOG_MAX_MAP];
    const char *map_column[RS_LOG_MAX_MAP];
    const char *brand; /* twcs: keep this brand's threads; NULL: all */
    int skip_bad_rows; /* 1: count and skip unreadable rows instead of failing */
};

/* One customer message.  Times in seconds from the origin, NAN when the log
 * has no value; strings are "" when absent and stay valid until the next
 * rs_log_next. */
struct rs_log_msg {
    double arrive_s;
    double take_s;    /* an agent started on it */
    double reply_s;   /* first reply posted */
    double abandon_s; /* the customer withdrew */
    double handle_s;  /* seconds an agent spent on it */
    const char *channel, *type, *agent, *conversation;
    /* the thread it belongs to ("" or NULL: its own): messages of one thread
     * share it, and the later ones on the channel of its first message are
     * follow-ups written before the thread's reply (messages: the thread
     * column; events: a thread column; twcs: a customer's tweet in reply to
     * their own earlier tweet) */
    const char *thread;
    long line; /* line of the file it came from (1 = header) */
};

struct rs_log; /* opaque: one open log */

/* Opens path and reads its header: RS_OK, or RS_EINPUT with err naming the
 * file (and line) and what was expected. */
int rs_log_open(const char *path, const struct rs_log_opts *o, struct rs_log **out,
                struct rs_error *err);

/* The next message into *m: 1, 0 at the end, or a negative RS_E* code with
 * err naming file, line and column. */
int rs_log_next(struct rs_log *lg, struct rs_log_msg *m, struct rs_error *err);

/* The format read (after guessing), the weekday of the origin (0 = mon ..
 * 6 = sun, -1 when the log has bare seconds), the origin as Unix seconds
 * (NAN with bare seconds), and the rows skipped with skip_bad_rows. */
enum rs_log_format rs_log_format_of(const struct rs_log *lg);
int rs_log_origin_day(const struct rs_log *lg);
double rs_log_origin_unix_s(const struct rs_log *lg);
long rs_log_skipped(const struct rs_log *lg);

/* Why the first skipped row was skipped; NULL when none was. */
const struct rs_error *rs_log_first_skipped(const struct rs_log *lg);

/* The name of a format ("events", ...), and a name to a format: RS_OK or
 * RS_EINPUT. */
const char *rs_log_format_name(enum rs_log_format f);
int rs_log_format_parse(const char *text, enum rs_log_format *out);

/* Closes lg; NULL is fine. */
void rs_log_close(struct rs_log *lg);

#endif
