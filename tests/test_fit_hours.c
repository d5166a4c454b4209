/* test_fit_hours.c: `replysim fit` infers the working hours.  Logs are
 * simulated from scenarios whose hours are written here by hand; the
 * fitted scenario must give those hours back (and none for a team that
 * never closes), a few out-of-hours replies must not change them, and
 * closed hours must not show as gaps in the staffing.  The hours' spans
 * are checked against hand-built hours of the week and round-trip through
 * the scenario's own parser. */
#include "fit_int.h"
#include "util.h"
#include "replysim/csvin.h"
#include "replysim/error.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Four weeks of a team working mon-fri 09:00-17:00; customers write at
 * any hour and wait (abandon = stay, no patience) until it opens. */
static const char office[] = "[scenario]\nhorizon = 4w\ndrain = 2d\nreplications = 1\nseed = 11\n"
                             "[channel web]\nrate = 6/h\n"
                             "[type question]\nhandle = exponential(mean=5m)\n"
                             "[staff]\nagents = 3\n"
                             "[policy]\nhours = mon-fri 09:00-17:00\n";

/* Two weeks of a team that never closes, at 2 an hour: about one hour in
 * seven has no message at all (e^-2), a quiet hour, not a closed one. */
static const char always[] = "[scenario]\nhorizon = 2w\ndrain = 1d\nreplications = 1\nseed = 5\n"
                             "[channel web]\nrate = 2/h\n"
                             "[type question]\nhandle = exponential(mean=5m)\n"
                             "[staff]\nagents = 2\n";

static void setup(void) { rs_test_dir_create("fit_hours"); }
static void teardown(void) { rs_test_dir_destroy(); }

static double fit_value(const struct rs_csvin *c, const char *quantity)
{
    for (int r = 1; r < c->n_rows; r++)
        if (!strcmp(c->rows[r].cells[0], quantity) && !strcmp(c->rows[r].cells[1], "all"))
            return strtod(c->rows[r].cells[2], NULL);
    ck_abort_msg("fit.csv has no %s,all", quantity);
    return NAN;
}

static int num(const char *cell) { return (int)strtol(cell, NULL, 10); }

/* mon-fri 09:00-17:00, from a "start" cell of fit_staffing.csv ("tue 16:00"). */
static int office_open(const char *start)
{
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri"};
    int hour = num(start + 4);
    for (int d = 0; d < 5; d++)
        if (!strncmp(start, days[d], 3)) return hour >= 9 && hour < 17;
    return 0;
}

/* fit_staffing.csv's in_hours agrees with the office hours, and a closed
 * interval has the staffing of the next open one: never a gap of 0 beside
 * the hours. */
static void check_staffing(const char *name)
{
    struct rs_csvin *s = rs_test_read_csv(name);
    int cs = rs_csvin_column(s, "start"), ca = rs_csvin_column(s, "agents_effective"),
        ch = rs_csvin_column(s, "in_hours");
    ck_assert(cs >= 0 && ca >= 0 && ch >= 0);
    for (int r = 1; r < s->n_rows; r++) {
        char **c = s->rows[r].cells;
        ck_assert_int_eq(num(c[ch]), office_open(c[cs]));
        int next = r + 1;
        while (next < s->n_rows && !num(s->rows[next].cells[ch]))
            next++;
        if (num(c[ch])) continue;
        ck_assert_msg(num(c[ca]) > 0, "row %d: %s (closed) has %s agents", r, c[cs], c[ca]);
        if (next < s->n_rows) ck_assert_str_eq(c[ca], s->rows[next].cells[ca]);
    }
    rs_csvin_destroy(s);
}

START_TEST(office_hours_come_back)
{
    rs_test_write("office.ini", office);
    ck_assert_int_eq(rs_test_replysim("run office.ini -q --trace -o sim"), 0);
    ck_assert_int_eq(rs_test_replysim("fit sim/messages.csv -o fit"), 0);
    ck_assert(rs_test_contains("fit/scenario.ini", "\nhours = mon-fri 09:00-17:00\n"));
    ck_assert(rs_test_contains("stdout", "working hours inferred from 4."));
    ck_assert(rs_test_contains("stdout", "weeks of takes: mon-fri 09:00-17:00 ("));
    struct rs_csvin *c = rs_test_read_csv("fit/fit.csv");
    ck_assert_double_eq(fit_value(c, "hours_open_per_week"), 5 * 8);
    /* the simulator starts no work outside the hours */
    ck_assert_double_eq(fit_value(c, "hours_starts_outside"), 0);
    rs_csvin_destroy(c);
    check_staffing("fit/fit_staffing.csv");
    if (rs_test_exists("fit/schedule.csv"))
        ck_assert(!rs_test_contains("fit/schedule.csv", ",0\n"));

    /* a few replies out of hours, each in an hour of the week that waited
     * in the other three weeks: tue 20:00 of week 1, thu 03:00 of week 2,
     * sat 12:00 of week 3, wed 17:30 of week 4 (just after closing) */
    char *log = rs_test_slurp("sim/messages.csv");
    struct rs_buf b = RS_BUF_INIT;
    rs_buf_puts(&b, log);
    static const double at_s[] = {1 * 86400 + 20 * 3600, 7 * 86400 + 3 * 86400 + 3 * 3600,
                                  14 * 86400 + 5 * 86400 + 12 * 3600,
                                  21 * 86400 + 2 * 86400 + 17.5 * 3600};
    for (int i = 0; i < 4; i++)
        rs_buf_printf(&b, "1,%d,%d,web,question,0,0,1,answered,0,%.0f,,%.0f,%.0f,,0,%d,1,\n",
                      900001 + i, 900001 + i, at_s[i], at_s[i] + 300, at_s[i] + 600, 900001 + i);
    rs_test_write("stray.csv", rs_buf_str(&b));
    rs_buf_free(&b);
    free(log);
    ck_assert_int_eq(rs_test_replysim("fit stray.csv -o fit2"), 0);
    ck_assert(rs_test_contains("fit2/scenario.ini", "\nhours = mon-fri 09:00-17:00\n"));
    c = rs_test_read_csv("fit2/fit.csv");
    ck_assert_double_eq(fit_value(c, "hours_open_per_week"), 5 * 8);
    ck_assert(fit_value(c, "hours_starts_outside") > 0);
    rs_csvin_destroy(c);
    check_staffing("fit2/fit_staffing.csv");

    /* --hours always overrides: no hours line, and it says so */
    ck_assert_int_eq(rs_test_replysim("fit sim/messages.csv --hours always -o fit3"), 0);
    ck_assert(!rs_test_contains("fit3/scenario.ini", "hours ="));
    ck_assert(rs_test_contains("stdout", "working hours: always (--hours)"));
}
END_TEST

START_TEST(a_team_that_never_closes_has_no_hours)
{
    rs_test_write("always.ini", always);
    ck_assert_int_eq(rs_test_replysim("run always.ini -q --trace -o sim"), 0);
    ck_assert_int_eq(rs_test_replysim("fit sim/messages.csv -o fit"), 0);
    ck_assert(!rs_test_contains("fit/scenario.ini", "hours ="));
    ck_assert(rs_test_contains("stdout", "working hours: none inferred from 2."));
    struct rs_csvin *c = rs_test_read_csv("fit/fit.csv");
    ck_assert_double_eq(fit_value(c, "hours_open_per_week"), 168);
    rs_csvin_destroy(c);
    /* given hours are written as given (the writer's form) */
    ck_assert_int_eq(
        rs_test_replysim("fit sim/messages.csv --hours 'sat 10:00-14:00,mon-fri 09:00-17:00' -o g"),
        0);
    ck_assert(rs_test_contains("g/scenario.ini",
                               "# from --hours\nhours = mon-fri 09:00-17:00, sat 10:00-14:00\n"));
    ck_assert(rs_test_contains("stdout", "working hours: mon-fri 09:00-17:00, sat 10:00-14:00 "
                                         "(--hours)"));
}
END_TEST

/* Hours of the week open from day d0 to d1 (inclusive, 0 = mon), hours
 * [h0, h1) of each (h1 up to 24 + h0 for an overnight span). */
static void open_days(unsigned char *open, int d0, int d1, int h0, int h1)
{
    for (int d = d0; d <= d1; d++)
        for (int h = h0; h < h1; h++)
            open[(d * 24 + h) % 168] = 1;
}

/* The spans of h->open, written and parsed back, give the same hours. */
static void round_trip(const struct fit_hours *h)
{
    struct fit_hours back = {0};
    char why[256];
    ck_assert_msg(rs_fit_hours_parse(h->text, &back, why, sizeof why) == RS_OK, "%s: %s", h->text,
                  why);
    ck_assert_int_eq(back.n, h->n);
    for (int i = 0; i < h->n; i++) {
        ck_assert_double_eq(back.span[i].from_s, h->span[i].from_s);
        ck_assert_double_eq(back.span[i].to_s, h->span[i].to_s);
    }
    ck_assert_mem_eq(back.open, h->open, sizeof h->open);
    ck_assert_str_eq(back.text, h->text);
    free(back.text);
}

START_TEST(spans_read_like_a_person_wrote_them)
{
    static const struct {
        int d0, d1, h0, h1; /* up to two blocks */
        int e0, e1, g0, g1;
        const char *text;
    } cases[] = {
        {0, 4, 9, 17, 5, 5, 10, 14, "mon-fri 09:00-17:00, sat 10:00-14:00"},
        {0, 6, 22, 30, -1, -1, 0, 0, "mon-sun 22:00-06:00"}, /* overnight, across sunday */
        {0, 5, 0, 24, -1, -1, 0, 0, "mon-sat 00:00-24:00"},  /* closed on sunday */
        {1, 3, 20, 26, -1, -1, 0, 0, "tue-thu 20:00-02:00"},
        {0, 4, 9, 12, 0, 4, 13, 17, NULL}, /* a lunch break: checked by round trip */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct fit_hours h = {0};
        open_days(h.open, cases[k].d0, cases[k].d1, cases[k].h0, cases[k].h1);
        if (cases[k].e0 >= 0) open_days(h.open, cases[k].e0, cases[k].e1, cases[k].g0, cases[k].g1);
        unsigned char want[168];
        memcpy(want, h.open, sizeof want);
        rs_fit_hours_set_open(&h);
        ck_assert_int_eq(h.bridged, 0);
        if (cases[k].text) ck_assert_str_eq(h.text, cases[k].text);
        ck_assert_mem_eq(h.open, want, sizeof want);
        round_trip(&h);
        free(h.text);
    }
    /* every hour open: no spans, nothing to write */
    struct fit_hours all = {0};
    memset(all.open, 1, sizeof all.open);
    rs_fit_hours_set_open(&all);
    ck_assert_int_eq(all.n, 0);
    ck_assert_ptr_null(all.text);
    /* open every other hour: 84 spans, over the 64 a scenario holds; the
     * shortest closed gaps (all one hour) are opened, each joining two
     * spans into one, so at least 20 of them; nothing else changes */
    struct fit_hours alt = {0};
    for (int hw = 0; hw < 168; hw += 2)
        alt.open[hw] = 1;
    rs_fit_hours_set_open(&alt);
    ck_assert_int_ge(alt.bridged, 84 - RS_MAX_HOURS);
    ck_assert_int_le(alt.n, RS_MAX_HOURS);
    int opened = 0;
    for (int hw = 0; hw < 168; hw++) {
        if (hw % 2 == 0) ck_assert(alt.open[hw]);
        opened += hw % 2 && alt.open[hw];
    }
    ck_assert_int_eq(opened, alt.bridged);
    round_trip(&alt);
    free(alt.text);
}
END_TEST

Suite *rs_test_fit_hours_suite(void);
Suite *rs_test_fit_hours_suite(void)
{
    Suite *s = suite_create("fit_hours");
    TCase *tc = tcase_create("fit_hours");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, office_hours_come_back);
    tcase_add_test(tc, a_team_that_never_closes_has_no_hours);
    tcase_add_test(tc, spans_read_like_a_person_wrote_them);
    suite_add_tcase(s, tc);
    return s;
}
