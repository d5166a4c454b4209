/* test_report_page.c: `replysim report DIR` (tool/cmd_report.c,
 * tool/report_html.c) as a manager gets it: one report.html that needs
 * nothing else, read by headless Chromium (Debian's chromium, installed by
 * scripts/deps.sh test): every picture in the rendered page, no console
 * error, a screenshot that is not blank; and the runners' results files
 * shown when the folder holds them. */
#include "util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Busy enough that waits, the service level and the outcomes are not
 * trivial; small enough to run in a second. */
static const char scenario_text[] =
    "[scenario]\nname = rep\nhorizon = 3d\nwarmup = 2h\nreplications = 3\nseed = 5\n"
    "within = 15m, 1h\n"
    "[channel twitter]\nrate = 20/h\nmix = complaint:0.5, question:0.5\n"
    "[channel dm]\nvisibility = private\nrate = 10/h\nmix = question:1\n"
    "[type complaint]\nhandle = lognormal(mean=8m, sd=4m)\npatience = exponential(mean=1h)\n"
    "followers = const(200)\nvalue = 50\n"
    "[type question]\nhandle = exponential(mean=5m)\n"
    "[staff]\nagents = 3\n[policy]\norder = fifo\n";

/* The gnuplot scripts of this tree, wherever the program under test was
 * built (build/asan/replysim finds no ../plots beside it). */
static void setup(void)
{
    rs_test_dir_create("report");
    setenv("REPLYSIM_PLOTS", RS_SOURCE_DIR "/plots", 1);
}
static void teardown(void) { rs_test_dir_destroy(); }

/* Occurrences of needle in s. */
static int count(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Runs chromium headless in the test folder on file (a path there) with
 * what (--dump-dom, or --screenshot=PNG); its stdout into out, stderr into
 * log.  Returns its exit status. */
static int chromium(const char *file, const char *what, const char *out, const char *log)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && timeout 120 chromium --headless --disable-gpu --no-sandbox "
             "--user-data-dir='%s/chromium' --hide-scrollbars --window-size=1200,2400 "
             "--enable-logging=stderr --v=0 %s 'file://%s/%s' > %s 2> %s",
             rs_test_dir, rs_test_dir, what, rs_test_dir, file, out, log);
    return system(cmd);
}

static long file_size(const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", rs_test_dir, name);
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

START_TEST(page_of_a_run_renders_whole)
{
    rs_test_write("s.ini", scenario_text);
    ck_assert_int_eq(rs_test_replysim("run s.ini -o r -q"), 0);
    ck_assert_int_eq(rs_test_replysim("report r"), 0);
    ck_assert(rs_test_contains("stdout", "report: wrote r/report.html"));
    /* nothing but the page is left: no pictures beside it, no temporary folder */
    ck_assert(!rs_test_exists("r/latency.svg"));
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cd '%s/r' && test -z \"$(ls -A | grep replysim-)\"", rs_test_dir);
    ck_assert_int_eq(system(cmd), 0);
    char *html = rs_test_slurp("r/report.html");
    /* self-contained: no script, no external file, no link to fetch */
    ck_assert_int_eq(count(html, "<script"), 0);
    ck_assert_int_eq(count(html, " src="), 0);
    ck_assert_int_eq(count(html, "<link"), 0);
    ck_assert_int_eq(count(html, "https://"), 0);
    ck_assert_int_eq(count(html, "url(http"), 0);
    /* the four pictures of a run, inline, their ids apart */
    ck_assert_int_eq(count(html, "<svg"), 4);
    ck_assert_int_eq(count(html, "<figure id="), 4);
    ck_assert_int_eq(count(html, "id='p0_gpPt0'"), 1);
    ck_assert_int_eq(count(html, "id='p3_gpPt0'"), 1);
    /* the answer with its intervals, the scenario, the outcomes' sources */
    ck_assert_ptr_nonnull(strstr(html, "messages needing a reply that were answered"));
    ck_assert_ptr_nonnull(strstr(html, "<td class=l>answered within 1h</td>"));
    ck_assert_ptr_nonnull(strstr(html, "95% CI"));
    /* the volumes the scenario asks for (20/h and 10/h, no profile: 480
     * and 240 a day), not one run's draw */
    ck_assert_ptr_nonnull(strstr(html, "expected new messages a day"));
    ck_assert_ptr_nonnull(strstr(html, "<td class=l>twitter</td><td class=l>public</td>"
                                       "<td>20/h</td><td>480</td>"));
    ck_assert_ptr_nonnull(strstr(html, "<td class=l>dm</td><td class=l>private</td>"
                                       "<td>10/h</td><td>240</td>"));
    ck_assert_ptr_nonnull(strstr(html, "<td><b>720</b></td>"));
    /* durations and intervals for people: the headline's first-response
     * time in minutes and seconds, no exponent anywhere */
    const char *p50 = strstr(html, "half of the first responses came within</td><td><b>");
    ck_assert_ptr_nonnull(p50);
    p50 += strlen("half of the first responses came within</td><td><b>");
    const char *end = strstr(p50, "</b></td><td>[");
    ck_assert_msg(strchr("0123456789", p50[0]) && end && strchr("smhd", end[-1]) && end[14] != '-',
                  "%.60s", p50);
    ck_assert_int_eq(count(html, "e+0"), 0);
    ck_assert_int_eq(count(html, "e-0"), 0);
    ck_assert_ptr_nonnull(strstr(html, "customers lost (complainers who stop buying)"));
    ck_assert_ptr_nonnull(strstr(html, "docs/outcomes.md"));
    free(html);

    /* Chromium's page: every picture there, no console message */
    ck_assert_int_eq(chromium("r/report.html", "--dump-dom", "dom.html", "dom.log"), 0);
    char *dom = rs_test_slurp("dom.html");
    ck_assert_int_eq(count(dom, "<svg"), 4);
    static const char *const figures[] = {"latency", "service_level", "load", "outcomes"};
    for (int i = 0; i < 4; i++) {
        char id[64];
        snprintf(id, sizeof id, "<figure id=\"%s\">", figures[i]);
        ck_assert_msg(strstr(dom, id) != NULL, "%s missing", figures[i]);
    }
    free(dom);
    char *log = rs_test_slurp("dom.log");
    ck_assert_msg(strstr(log, "CONSOLE") == NULL, "%s", log);
    ck_assert_msg(strstr(log, "Failed to load") == NULL, "%s", log);
    free(log);

    /* a screenshot that is not blank: a blank page of the same size
     * compresses to a small fraction of a page of tables and pictures */
    rs_test_write("blank.html", "<!DOCTYPE html><html><body></body></html>\n");
    ck_assert_int_eq(chromium("blank.html", "--screenshot=blank.png", "o1", "l1"), 0);
    ck_assert_int_eq(chromium("r/report.html", "--screenshot=page.png", "o2", "l2"), 0);
    long blank = file_size("blank.png"), page = file_size("page.png");
    ck_assert_int_gt(blank, 0);
    ck_assert_msg(page > 10 * blank, "page %ld bytes, blank %ld", page, blank);
    log = rs_test_slurp("l2");
    ck_assert_msg(strstr(log, "CONSOLE") == NULL, "%s", log);
    free(log);
}
END_TEST

/* The folders of compare, staff and sweep: their results in the page. */
START_TEST(runners_results_are_shown)
{
    rs_test_write("s.ini", scenario_text);
    ck_assert_int_eq(rs_test_replysim("compare s.ini -r 3 -q -o c --variant more:staff.agents=4 "
                                      "--variant lifo:policy.order=lifo"),
                     0);
    ck_assert_int_eq(rs_test_replysim("report c -q"), 0);
    char *html = rs_test_slurp("c/report.html");
    ck_assert_ptr_nonnull(strstr(html, "Comparison of variants"));
    ck_assert_int_eq(count(html, "<figure id=\"compare\">"), 1);
    ck_assert_ptr_nonnull(strstr(html, "<td class=l>more</td><td class=l>response_rate</td>"));
    ck_assert_ptr_null(strstr(html, "channel:dm")); /* scope all only */
    free(html);
    ck_assert_int_eq(rs_test_replysim("staff s.ini -r 2 -q -o st --target 'sl(1h)>=0.8' "
                                      "--target 'frt_p90<=2h'"),
                     0);
    ck_assert_int_eq(rs_test_replysim("report st -q"), 0);
    html = rs_test_slurp("st/report.html");
    ck_assert_ptr_nonnull(strstr(html, "Staffing found"));
    ck_assert_ptr_nonnull(strstr(html, "<figure id=\"staffing\">"));
    /* two targets, a row per interval and target: the agent-hours count
     * each interval once (the sl_1h rows' agents, 1h intervals) */
    char *csv = rs_test_slurp("st/staffing.csv");
    double hours = 0;
    int intervals = 0;
    for (const char *line = strchr(csv, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        int field = 0;
        const char *p = line + 1, *agents = NULL;
        for (; *p && *p != '\n' && field < 6; p++)
            if (*p == ',' && ++field == 3) agents = p + 1;
        if (!strncmp(p, "sl_1h,", 6)) {
            hours += strtod(agents, NULL);
            intervals++;
        }
    }
    free(csv);
    ck_assert_int_eq(intervals, 72);
    char want[128];
    snprintf(want, sizeof want, "<b>%.0f agent-hours</b> on duty over 72 intervals", hours);
    ck_assert_msg(strstr(html, want) != NULL, "%s", want);
    ck_assert_ptr_nonnull(strstr(html, "answered within 1h at least 80.0%; answered within 2h "
                                       "at least 90.0%"));
    ck_assert_ptr_null(strstr(html, "fresh_ci_low")); /* people's table, not the file's */
    free(html);
    ck_assert_int_eq(rs_test_replysim("sweep s.ini -r 2 -q -o sw --vary staff.agents=3,4"), 0);
    ck_assert_int_eq(rs_test_replysim("report sw -q"), 0);
    html = rs_test_slurp("sw/report.html");
    ck_assert_ptr_nonnull(strstr(html, "Sweep (replysim sweep)"));
    ck_assert_ptr_nonnull(strstr(html, "<figure id=\"sweep\">"));
    free(html);
    /* not a results folder: one line, exit 2, nothing written */
    ck_assert_int_eq(rs_test_replysim("report ."), 2);
    char *err = rs_test_slurp("stderr");
    ck_assert_int_eq(rs_test_lines(err), 1);
    free(err);
    ck_assert(!rs_test_exists("report.html"));
}
END_TEST

/* Business hours and conversations: the headline of run and of the page
 * name their figures in words; a scenario without them has none of their
 * rows. */
START_TEST(business_hours_and_conversations_in_words)
{
    char text[sizeof scenario_text + 128];
    snprintf(text, sizeof text, "%s", scenario_text);
    char *q = strstr(text, "[type question]\nhandle = exponential(mean=5m)\n");
    ck_assert_ptr_nonnull(q);
    snprintf(q, sizeof text - (size_t)(q - text), "%s",
             "[type question]\nhandle = exponential(mean=5m)\nreply_back = 0.5\n"
             "think = exponential(mean=10m)\n"
             "[staff]\nagents = 3\n[policy]\norder = fifo\nhours = mon-fri 09:00-17:00\n");
    rs_test_write("c.ini", text);
    ck_assert_int_eq(rs_test_replysim("run c.ini -o c"), 0);
    static const char *const run_rows[] = {
        "  first reply in business hours, median (frt_bh_p50_s) ",
        "  answered within 1h of business hours (sl_bh_1h) ",
        "  later messages answered within 15m (sl_next_15m) ",
        "  conversations resolved (resolved_rate) ",
        "  agent replies per conversation (turns_mean) ",
    };
    char *out = rs_test_slurp("stdout");
    for (size_t i = 0; i < sizeof run_rows / sizeof run_rows[0]; i++)
        ck_assert_msg(strstr(out, run_rows[i]) != NULL, "%s\n%s", run_rows[i], out);
    free(out);
    ck_assert_int_eq(rs_test_replysim("report c -q"), 0);
    char *html = rs_test_slurp("c/report.html");
    static const char *const page_rows[] = {
        "<td class=l>answered within 1h of business hours</td>",
        "<td class=l>half came within, counting business hours only</td>",
        "<td class=l>later messages answered within 15m</td>",
        "<td class=l>conversations resolved</td>",
    };
    for (size_t i = 0; i < sizeof page_rows / sizeof page_rows[0]; i++)
        ck_assert_msg(strstr(html, page_rows[i]) != NULL, "%s", page_rows[i]);
    free(html);
    /* the plain scenario: none of those rows */
    rs_test_write("s.ini", scenario_text);
    ck_assert_int_eq(rs_test_replysim("run s.ini -o r"), 0);
    out = rs_test_slurp("stdout");
    ck_assert_ptr_null(strstr(out, "business hours"));
    ck_assert_ptr_null(strstr(out, "conversation"));
    free(out);
}
END_TEST

/* The folders of backtest and fit: coverage and the whole-log rows in
 * their units, fit's own pictures inline, a trace named as one. */
START_TEST(backtest_and_fit_folders_are_shown)
{
    rs_test_write("s.ini", scenario_text);
    ck_assert_int_eq(rs_test_replysim("run s.ini -r 1 --trace -o day -q"), 0);
    ck_assert_int_eq(rs_test_replysim("backtest day/messages.csv s.ini -r 3 -o bt -q"), 0);
    ck_assert_int_eq(rs_test_replysim("report bt -q"), 0);
    char *html = rs_test_slurp("bt/report.html");
    ck_assert_ptr_nonnull(strstr(html, "does the scenario explain the log?"));
    ck_assert_ptr_nonnull(strstr(html, "<figure id=\"backtest\">"));
    ck_assert_ptr_null(strstr(html, "(null)"));
    /* the replay's trace, not a rate of 0/h */
    ck_assert_ptr_nonnull(strstr(html, "<td>a trace ("));
    ck_assert_ptr_null(strstr(html, "<td>0/h</td>"));
    /* coverage as a share of intervals; the expected 95% */
    ck_assert_ptr_nonnull(strstr(html, "<td>95.0%</td>"));
    /* whole-log rows only, values in their units: a share in %, a duration */
    const char *rr = strstr(html, "<td class=l>response_rate</td><td>");
    ck_assert_ptr_nonnull(rr);
    rr = strstr(rr + 1, "<td class=l>response_rate</td><td>"); /* the second table's */
    ck_assert_ptr_nonnull(rr);
    ck_assert_msg(strchr(rr + 34, '%') < strstr(rr + 34, "</td>"), "%.80s", rr);
    ck_assert_ptr_null(strstr(html, ">mon 00:00<")); /* no per-interval row */
    free(html);
    ck_assert_int_eq(rs_test_replysim("fit day/messages.csv -o ft"), 0);
    ck_assert_int_eq(rs_test_replysim("report ft -q"), 0);
    html = rs_test_slurp("ft/report.html");
    ck_assert_ptr_nonnull(strstr(html, "Fit to the logs"));
    ck_assert_int_eq(count(html, "<figure id=\"fit_arrivals\">"), 1);
    ck_assert_int_eq(count(html, "<figure id=\"fit_handle\">"), 1);
    ck_assert_ptr_null(strstr(html, "Nothing in this folder to draw"));
    free(html);
}
END_TEST

Suite *rs_test_report_page_suite(void);
Suite *rs_test_report_page_suite(void)
{
    Suite *s = suite_create("report_page");
    TCase *tc = tcase_create("page");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, page_of_a_run_renders_whole);
    tcase_add_test(tc, runners_results_are_shown);
    tcase_add_test(tc, business_hours_and_conversations_in_words);
    tcase_add_test(tc, backtest_and_fit_folders_are_shown);
    suite_add_tcase(s, tc);
    return s;
}
