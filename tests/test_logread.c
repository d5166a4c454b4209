/* test_logread.c: the log reader (events, messages, twcs) on the small
 * samples of tests/data/logs, with the values each row holds worked out by
 * hand, and its errors on bad rows. */
#include "replysim/error.h"
#include "replysim/logread.h"

#include <check.h>
#include <stdlib.h>
#include <unistd.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define LOGS RS_SOURCE_DIR "/tests/data/logs/"
#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct want {
    double arrive_s, take_s, reply_s, abandon_s, handle_s;
    const char *channel, *type, *agent, *conversation;
    long line;
};

static int same(double a, double b) { return (isnan(a) && isnan(b)) || fabs(a - b) < 1e-6; }

/* Reads path whole and checks every message against want, in order. */
static void check_log(const char *path, const struct rs_log_opts *o, const struct want *w, int n)
{
    struct rs_log *lg = NULL;
    struct rs_error err = {0};
    ck_assert_msg(rs_log_open(path, o, &lg, &err) == RS_OK, "%s", err.msg);
    struct rs_log_msg m;
    int k = 0, rc;
    while ((rc = rs_log_next(lg, &m, &err)) == 1) {
        ck_assert_msg(k < n, "%s: more than %d messages (line %ld)", path, n, m.line);
        const struct want *e = &w[k++];
        ck_assert_msg(same(m.arrive_s, e->arrive_s), "line %ld arrive %.17g", m.line, m.arrive_s);
        ck_assert_msg(same(m.take_s, e->take_s), "line %ld take %.17g", m.line, m.take_s);
        ck_assert_msg(same(m.reply_s, e->reply_s), "line %ld reply %.17g", m.line, m.reply_s);
        ck_assert_msg(same(m.abandon_s, e->abandon_s), "line %ld abandon %g", m.line, m.abandon_s);
        ck_assert_msg(same(m.handle_s, e->handle_s), "line %ld handle %g", m.line, m.handle_s);
        ck_assert_str_eq(m.channel, e->channel);
        ck_assert_str_eq(m.type, e->type);
        ck_assert_str_eq(m.agent, e->agent);
        ck_assert_str_eq(m.conversation, e->conversation);
        ck_assert_int_eq(m.line, e->line);
    }
    ck_assert_msg(rc == 0, "%s", err.msg);
    ck_assert_int_eq(k, n);
    rs_log_close(lg);
}

#define NA NAN

/* events.csv: origin is 2024-03-04 00:00 +01:00 (a monday); 08:00:10 is
 * 28810 s; the last row is 2024-03-05T07:15Z = 08:15 +01:00 of the next day. */
START_TEST(events_sample)
{
    static const struct want w[] = {
        {28810, 28920, 29190, NA, 270, "twitter", "question", "ana", "c1", 2},
        {28980, 29220, 29940, NA, 720, "email", "complaint", "ben", "c2", 3},
        {29100, NA, NA, 30000, NA, "twitter", "question", "", "c3", 4},
        {30060, 30065, 30245, NA, 180, "twitter", "question", "ana", "c1", 5},
        {34800, NA, NA, NA, NA, "facebook", "", "", "c4", 6},
        {86400 + 29700, 86400 + 29760, 86400 + 31560, NA, 1800, "email", "complaint", "ben", "c5",
         7},
    };
    struct rs_log_opts o = {0};
    check_log(LOGS "events.csv", &o, w, N_OF(w));
    struct rs_log *lg = NULL;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_log_open(LOGS "events.csv", &o, &lg, &err), RS_OK);
    struct rs_log_msg m;
    ck_assert_int_eq(rs_log_next(lg, &m, &err), 1);
    ck_assert_int_eq(rs_log_format_of(lg), RS_LOG_EVENTS);
    ck_assert_int_eq(rs_log_origin_day(lg), 0);
    /* 2024-03-04 is day 19786 since 1970; midnight at +01:00 is 23:00Z before */
    ck_assert(fabs(rs_log_origin_unix_s(lg) - (19786.0 * 86400 - 3600)) < 1e-6);
    rs_log_close(lg);
}
END_TEST

/* A help-desk export read with --map; times without a zone are UTC;
 * 2023-11-06 is a monday. */
START_TEST(events_mapped)
{
    static const struct want w[] = {
        {33120, NA, 34812, NA, 1320, "Email", "Problem", "Maria Lopez", "", 2},
        {34241, NA, 36120, NA, 300, "Web form", "Question", "Tom Berg", "", 3},
        {39729, NA, NA, NA, NA, "Email", "Question", "", "", 4},
        {86400 + 53100, NA, 86400 + 53190, NA, 95, "Chat", "Incident", "Maria Lopez", "", 5},
    };
    struct rs_log_opts o = {.n_map = 6,
                            .map_field = {"arrive", "channel", "type", "reply", "agent", "handle"},
                            .map_column = {"Created at", "Via", "Ticket type", "First reply at",
                                           "Assignee", "Solved in"}};
    check_log(LOGS "events_mapped.csv", &o, w, N_OF(w));
}
END_TEST

START_TEST(events_seconds)
{
    static const struct want w[] = {
        {0, 5, 125, NA, 120, "", "", "", "", 2},
        {40, NA, NA, 400, NA, "", "", "", "", 3},
        {100, 125, 425, NA, 300, "", "", "", "", 4},
        {3600, 3601, 3661, NA, 60, "", "", "", "", 5},
    };
    struct rs_log_opts o = {0};
    check_log(LOGS "events_seconds.csv", &o, w, N_OF(w));
    struct rs_log *lg = NULL;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_log_open(LOGS "events_seconds.csv", &o, &lg, &err), RS_OK);
    ck_assert_int_eq(rs_log_origin_day(lg), -1);
    ck_assert(isnan(rs_log_origin_unix_s(lg)));
    rs_log_close(lg);
}
END_TEST

/* messages.csv: the first replication only; answered: reply = end, handle
 * = end - take; thread: reply = end; no_reply: nothing. */
START_TEST(messages_sample)
{
    static const struct want w[] = {
        {3006.9190244572137, 32400, 32615.64091542455, NA, 32615.64091542455 - 32400, "instagram",
         "question", "", "1", 2},
        {5870.9756281828395, 32615.64091542455, 32739.976077239808, NA,
         32739.976077239808 - 32615.64091542455, "messages", "question", "", "4", 3},
        {9038.113256337097, 32739.976077239808, 32822.70502175249, NA,
         32822.70502175249 - 32739.976077239808, "messages", "question", "", "5", 4},
        {4280.906109986273, NA, 32615.64091542455, NA, NA, "instagram", "question", "", "1", 5},
        {10309.564220803768, NA, NA, NA, NA, "instagram", "praise", "", "7", 6},
    };
    struct rs_log_opts o = {0};
    check_log(LOGS "messages.csv", &o, w, N_OF(w));
}
END_TEST

/* twcs: the origin is 2017-10-31 00:00 +0000 (a tuesday); 22:08:27 is
 * 79707 s.  Tweet 8 lists 9 and 10, absent from the file: it goes out at
 * the end.  16 is at -07:00: 22:03:34 -0700 is 05:03:34Z the next day. */
START_TEST(twcs_sample)
{
    static const struct want w[] = {
        {79905, NA, NA, NA, NA, "twitter", "", "", "3", 3},        /* tweet 2, no answer */
        {79707, NA, 79847, NA, NA, "twitter", "", "", "4", 4},     /* 3: answered by 1 */
        {78575, NA, 78889, NA, NA, "twitter", "", "", "6", 6},     /* 5: answered by 4 */
        {79487, NA, 79835, NA, NA, "twitter", "", "KC", "12", 10}, /* 12: by 11, -KC */
        {86400 + 18214, NA, 86400 + 19622, NA, NA, "twitter", "", "JK", "16", 12},
        {86400 + 29520, NA, NA, NA, NA, "twitter", "", "", "17", 13},
        {78310, NA, 78384, NA, NA, "twitter", "", "", "8", 8}, /* at the end */
    };
    struct rs_log_opts o = {0};
    check_log(LOGS "twcs.csv", &o, w, N_OF(w));
}
END_TEST

/* A bad row: its error names the file, line and column; with
 * skip_bad_rows it is counted and the rest is read. */
struct bad_row {
    const char *text;
    const char *fragment; /* after "FILE:" */
    int good;             /* messages read with skip_bad_rows */
    long skipped;
};

static const struct bad_row bad_rows[] = {
    {"arrive,handle\n0,5\nsoon,5\n10,5\n", "3: arrive: expected seconds from the first message", 2,
     1},
    {"arrive,handle\n0,5\n10,5 minutes\n", "3: handle: expected seconds or a duration", 1, 1},
    {"arrive,handle\n0,5\n10,-4\n", "3: handle: expected a handle time from 0 to 365d", 1, 1},
    {"arrive,handle\n0,5\n10,1e300\n", "3: handle: expected a handle time from 0 to 365d", 1, 1},
    {"arrive,reply\n2024-01-01T10:00Z,2024-01-01T10:05Z\n2024-01-01T10:10Z,2024-13-01T10:00Z\n",
     "3: reply: expected a timestamp such as", 1, 1},
    {"arrive,reply\n2024-01-01T10:00Z,\n600,\n", "3: arrive: expected a timestamp", 1, 1},
    {"arrive,reply\n0,\n,5\n7,\n", "3: arrive: expected an arrival time, got none", 2, 1},
    {"arrive,reply\n0,\n1,2,3\n7,\n", "3: expected 2 cells as in line 1, got 3", 2, 1},
    {"arrive,type\n0,a\n1,b\n2,\"c\n", "4: expected a closing quote", 2, 0},
    {"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
     "1,9,True,Tue Oct 31 22:10:47 +0000 2017,hi,,\n2,9,maybe,Tue Oct 31 22:10:47 +0000 2017,x,,\n",
     "3: inbound: expected True or False, got \"maybe\"", 1, 1},
    {"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
     "1,9,True,Tue Oct 31 22:10:47 +0000 2017,hi,,\n2,9,True,Tue Oct 32 22:10:47 +0000 2017,x,,\n",
     "3: created_at: expected a time such as Tue Oct 31 22:10:47 +0000 2017", 1, 1},
    {"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
     "1,9,True,Tue Oct 31 22:10:47 +0000 2017,hi,5,\n1,9,True,Tue Oct 31 22:10:47 +0000 2017,x,,\n",
     "3: tweet_id: expected each tweet_id once", 1, 1}, /* caught while 1 waits for 5 */
    {"replication,id,thread,channel,type,followup,switched,counted,fate,lapsed,arrive_s,deadline_s,"
     "take_s,end_s,frt_s,followers\n1,1,1,web,q,0,0,1,lost,0,5,,,9,,0\n",
     "2: fate: expected a fate", 0, 1},
};

static int read_all(const char *path, int skip, long *skipped, struct rs_error *err)
{
    struct rs_log_opts o = {.skip_bad_rows = skip};
    struct rs_log *lg = NULL;
    int rc = rs_log_open(path, &o, &lg, err), n = 0;
    if (rc) return rc;
    struct rs_log_msg m;
    while ((rc = rs_log_next(lg, &m, err)) == 1)
        n++;
    *skipped = rs_log_skipped(lg);
    rs_log_close(lg);
    return rc ? rc : n;
}

START_TEST(bad_row_errors)
{
    const struct bad_row *b = &bad_rows[_i];
    char path[] = "/tmp/replysim-logread-XXXXXX";
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(b->text, f);
    fclose(f);
    struct rs_error err = {0};
    long skipped = -1;
    ck_assert_int_eq(read_all(path, 0, &skipped, &err), RS_EINPUT);
    char line[1024], want[1024];
    rs_error_format(&err, line, sizeof line);
    snprintf(want, sizeof want, "%s:%s", path, b->fragment);
    ck_assert_msg(strstr(line, want), "got: %s\nwant: %s", line, want);
    int n = read_all(path, 1, &skipped, &err);
    if (b->skipped == 0) { /* the file's structure is broken: no row after it can be read */
        ck_assert_int_eq(n, RS_EINPUT);
    } else {
        ck_assert_int_eq(n, b->good);
        ck_assert_int_eq(skipped, b->skipped);
    }
    unlink(path);
}
END_TEST

/* The header: a format is named or guessed, --map names known fields and
 * existing columns. */
START_TEST(header_errors)
{
    struct rs_log *lg = NULL;
    struct rs_error err = {0};
    struct rs_log_opts o = {0};
    ck_assert_int_eq(rs_log_open(LOGS "events_mapped.csv", &o, &lg, &err), RS_EINPUT);
    ck_assert_int_eq(err.line, 1);
    ck_assert(strstr(err.msg, "expected a header of a log"));
    struct rs_log_opts bad_field = {.n_map = 1, .map_field = {"arrival"}, .map_column = {"Via"}};
    ck_assert_int_eq(rs_log_open(LOGS "events_mapped.csv", &bad_field, &lg, &err), RS_EINPUT);
    ck_assert(strstr(err.msg, "got \"arrival\""));
    struct rs_log_opts bad_col = {.n_map = 1, .map_field = {"arrive"}, .map_column = {"Opened"}};
    ck_assert_int_eq(rs_log_open(LOGS "events_mapped.csv", &bad_col, &lg, &err), RS_EINPUT);
    ck_assert(strstr(err.msg, "expected a column \"Opened\""));
    struct rs_log_opts twcs = {.format = RS_LOG_TWCS};
    ck_assert_int_eq(rs_log_open(LOGS "events.csv", &twcs, &lg, &err), RS_EINPUT);
    ck_assert(strstr(err.msg, "expected a twcs header with a column tweet_id"));
    ck_assert_int_eq(rs_log_open(LOGS "no-such-log.csv", &o, &lg, &err), RS_EINPUT);
    ck_assert(strstr(err.msg, "No such file"));
}
END_TEST

/* A NUL byte is named by its line. */
START_TEST(nul_byte)
{
    char path[] = "/tmp/replysim-logread-XXXXXX";
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    static const char text[] = "arrive,handle\n0,5\n1,\0\n";
    ck_assert_int_eq(write(fd, text, sizeof text - 1), (long)sizeof text - 1);
    close(fd);
    struct rs_error err = {0};
    long skipped = 0;
    ck_assert_int_eq(read_all(path, 1, &skipped, &err), RS_EINPUT);
    ck_assert_int_eq(err.line, 3);
    ck_assert(strstr(err.msg, "expected text, got a NUL byte"));
    unlink(path);
}
END_TEST

/* --brand keeps the threads the brand answered, or that name it. */
START_TEST(twcs_brand)
{
    static const struct want w[] = {
        {86400 + 18214, NA, 86400 + 19622, NA, NA, "twitter", "", "JK", "16", 12},
        {86400 + 29520, NA, NA, NA, NA, "twitter", "", "", "17", 13},
    };
    struct rs_log_opts o = {.brand = "AppleSupport"};
    check_log(LOGS "twcs.csv", &o, w, N_OF(w));
}
END_TEST

Suite *rs_test_logread_suite(void);
Suite *rs_test_logread_suite(void)
{
    Suite *s = suite_create("logread");
    TCase *tc = tcase_create("formats");
    tcase_add_test(tc, events_sample);
    tcase_add_test(tc, events_mapped);
    tcase_add_test(tc, events_seconds);
    tcase_add_test(tc, messages_sample);
    tcase_add_test(tc, twcs_sample);
    tcase_add_test(tc, twcs_brand);
    tcase_add_test(tc, header_errors);
    tcase_add_test(tc, nul_byte);
    tcase_add_loop_test(tc, bad_row_errors, 0, N_OF(bad_rows));
    suite_add_tcase(s, tc);
    return s;
}
