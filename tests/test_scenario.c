/* test_scenario.c: loading, checking and writing scenario files. */
#include "replysim/scenario.h"

#include "replysim/buf.h"
#include "util.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A small valid scenario in four two-line pieces (lines 1-8 in this order). */
#define OK_SCEN "[scenario]\nhorizon = 7d\n"
#define OK_CHAN "[channel tw]\nrate = 6/h\n"
#define OK_TYPE "[type q]\nhandle = exponential(mean=4m)\n"
#define OK_STAFF "[staff]\nagents = 1\n"
#define ALL OK_SCEN OK_CHAN OK_TYPE OK_STAFF

/* X lands on line 3 in [scenario], 5 in [channel tw], 7 in [type q], 8 in
 * [staff], 10 in [policy] and [outcome]. */
#define IN_SCEN(x) "[scenario]\nhorizon = 7d\n" x OK_CHAN OK_TYPE OK_STAFF
#define IN_CHAN(x) OK_SCEN "[channel tw]\nrate = 6/h\n" x OK_TYPE OK_STAFF
#define IN_TYPE(x) OK_SCEN OK_CHAN "[type q]\nhandle = exponential(mean=4m)\n" x OK_STAFF
#define IN_STAFF(x) OK_SCEN OK_CHAN OK_TYPE "[staff]\n" x
#define IN_POLICY(x) ALL "[policy]\n" x
#define IN_OUTCOME(x) ALL "[outcome]\n" x
/* Fixtures of tests/data/. */
#define DATA RS_SOURCE_DIR "/tests/data/"
/* A channel replaying trace file x (line 4), two types. */
#define TRACE(x)                                                                                   \
    OK_SCEN "[channel tw]\ntrace = " x "\n[type complaint]\nhandle = const(1m)\n"                  \
            "[type question]\nhandle = const(1m)\n" OK_STAFF
/* [burst b] on line 9, x from line 10; [shift s] on line 7, x from line 8. */
#define BURST(x) ALL "[burst b]\n" x
#define SHIFT(x) OK_SCEN OK_CHAN OK_TYPE "[shift s]\n" x
/* Two types, the mix on line 5. */
#define MIX(x)                                                                                     \
    OK_SCEN "[channel tw]\nrate = 6/h\n" x OK_TYPE "[type c]\nhandle = const(5m)\n" OK_STAFF

/* docs/scenario-reference.md section 3's minimal scenario without the keys of later issues. */
static const char minimal[] = "[scenario]\n"
                              "name = small_shop\n"
                              "horizon = 7d\n"
                              "\n"
                              "[channel twitter]\n"
                              "rate = 6/h\n"
                              "mix = complaint:0.3, question:0.7\n"
                              "\n"
                              "[type complaint]\n"
                              "handle = lognormal(mean=8m, sd=4m)\n"
                              "patience = exponential(mean=45m)\n"
                              "\n"
                              "[type question]\n"
                              "handle = exponential(mean=4m)\n"
                              "patience = exponential(mean=3h)\n"
                              "\n"
                              "[staff]\n"
                              "agents = 1\n";

/* Every key away from its default. */
static const char full[] = "; a comment line\n"
                           "# another\n"
                           "[scenario]\n"
                           "name = retail.week-2\n"
                           "horizon = 2d14h ; inline comment\n"
                           "warmup = 1h # another inline comment\n"
                           "drain = 0s\n"
                           "interval = 30m\n"
                           "replications = 3\n"
                           "seed = 18446744073709551615\n"
                           "start = fri 17:30\n"
                           "within = 4h, 90s, 1h\n"
                           "[channel messenger]\n"
                           "visibility = private\n"
                           "rate = 0/h\n"
                           "mix = praise:1\n"
                           "[channel twitter]\n"
                           "  rate = 2.5/m\n"
                           "  mix = question:0.25, complaint:0.75, praise:0\n"
                           "[type complaint]\n"
                           "handle = gamma(mean=5m, sd=2m)\n"
                           "patience = empirical(5m:0.2, 30m:0.26, 1h:0.49, 24h:0.76)\n"
                           "[type question]\n"
                           "reply = yes\n"
                           "handle = uniform(min=1m, max=9m)\n"
                           "patience = never\n"
                           "[type praise]\n"
                           "reply = no\n"
                           "[staff]\n"
                           "agents = 0\n"
                           "[policy]\n"
                           "order = fifo\n"
                           "abandon = leave\n"
                           "inbox_limit = 50\n";

static int load(const char *text, struct rs_scenario **sc, struct rs_error *err)
{
    memset(err, 0, sizeof *err);
    return rs_scenario_load_string(text, "shop.ini", sc, err);
}

static void format(const struct rs_error *e, char *buf, size_t n) { rs_error_format(e, buf, n); }

/* Writes sc to a string (caller frees). */
static char *write_text(const struct rs_scenario *sc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(rs_scenario_write(sc, f), RS_OK);
    fclose(f);
    return buf;
}

START_TEST(minimal_scenario)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    char msg[1024];
    int rc = load(minimal, &sc, &err);
    format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "%s", msg);
    ck_assert_str_eq(sc->name, "small_shop");
    ck_assert_str_eq(sc->path, "shop.ini");
    ck_assert_double_eq(sc->horizon_s, 7 * 86400);
    ck_assert_double_eq(sc->warmup_s, 0);
    ck_assert_double_eq(sc->drain_s, 86400);
    ck_assert_double_eq(sc->interval_s, 3600);
    ck_assert_int_eq(sc->replications, 10);
    ck_assert_uint_eq(sc->seed, 1);
    ck_assert_int_eq(sc->start_day, 0);
    ck_assert_double_eq(sc->start_clock_s, 0);
    ck_assert_int_eq(sc->n_within, 5);
    double within[] = {900, 1800, 3600, 14400, 86400};
    for (int k = 0; k < 5; k++)
        ck_assert_double_eq(sc->within_s[k], within[k]);
    ck_assert_int_eq(sc->n_channels, 1);
    ck_assert_str_eq(sc->channels[0].name, "twitter");
    ck_assert_int_eq(sc->channels[0].line, 5);
    ck_assert_int_eq(sc->channels[0].visibility, RS_PUBLIC);
    ck_assert_double_eq_tol(sc->channels[0].rate_per_s, 6.0 / 3600, 1e-15);
    ck_assert_int_eq(sc->n_types, 2);
    ck_assert_int_eq(rs_scenario_type(sc, "complaint"), 0);
    ck_assert_int_eq(rs_scenario_type(sc, "question"), 1);
    ck_assert_int_eq(rs_scenario_type(sc, "praise"), -1);
    ck_assert_int_eq(rs_scenario_channel(sc, "twitter"), 0);
    ck_assert_double_eq(sc->channels[0].mix[0], 0.3);
    ck_assert_double_eq(sc->channels[0].mix[1], 0.7);
    ck_assert_int_eq(sc->types[0].line, 9);
    ck_assert_int_eq(sc->types[0].needs_reply, 1);
    ck_assert_int_eq(sc->types[0].handle.kind, RS_DIST_LOGNORMAL);
    ck_assert_double_eq_tol(rs_dist_mean(&sc->types[0].handle), 480, 1e-9);
    ck_assert_int_eq(sc->types[1].handle.kind, RS_DIST_EXPONENTIAL);
    ck_assert_double_eq_tol(rs_dist_mean(&sc->types[1].patience), 3 * 3600, 1e-9);
    ck_assert_int_eq(sc->agents, 1);
    ck_assert_str_eq(sc->order, "fifo");
    ck_assert_int_eq(sc->abandon, RS_ABANDON_STAY);
    ck_assert_int_eq(sc->inbox_limit, 0);
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_OK);
    rs_scenario_destroy(sc);
}
END_TEST

START_TEST(spec_example_keys_of_later_issues)
{
    /* The minimal example of the reference as printed, with followup and [policy] hours. */
    char text[2048];
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    char msg[1024];
    snprintf(text, sizeof text, "%s\n[policy]\nhours = mon-fri 09:00-17:00\n", minimal);
    int rc = load(text, &sc, &err);
    format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "%s", msg);
    ck_assert_int_eq(sc->n_hours, 5);
    ck_assert_double_eq(sc->hours[0].from_s, 9 * 3600);
    ck_assert_double_eq(sc->hours[4].to_s, 4 * 86400 + 17 * 3600);
    rs_scenario_destroy(sc);
}
END_TEST

START_TEST(every_key)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    char msg[1024];
    int rc = load(full, &sc, &err);
    format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "%s", msg);
    ck_assert_str_eq(sc->name, "retail.week-2");
    ck_assert_double_eq(sc->horizon_s, 2 * 86400 + 14 * 3600);
    ck_assert_double_eq(sc->warmup_s, 3600);
    ck_assert_double_eq(sc->drain_s, 0);
    ck_assert_double_eq(sc->interval_s, 1800);
    ck_assert_int_eq(sc->replications, 3);
    ck_assert_uint_eq(sc->seed, UINT64_MAX);
    ck_assert_int_eq(sc->start_day, 4);
    ck_assert_double_eq(sc->start_clock_s, 17 * 3600 + 30 * 60);
    ck_assert_int_eq(sc->n_within, 3); /* given out of order, stored increasing */
    ck_assert_double_eq(sc->within_s[0], 90);
    ck_assert_double_eq(sc->within_s[1], 3600);
    ck_assert_double_eq(sc->within_s[2], 4 * 3600);
    ck_assert_int_eq(sc->n_channels, 2);
    ck_assert_int_eq(sc->channels[0].visibility, RS_PRIVATE);
    ck_assert_double_eq(sc->channels[0].rate_per_s, 0);
    ck_assert_double_eq(sc->channels[0].mix[2], 1);
    ck_assert_double_eq(sc->channels[0].mix[0], 0);
    ck_assert_double_eq_tol(sc->channels[1].rate_per_s, 2.5 / 60, 1e-15);
    ck_assert_double_eq(sc->channels[1].mix[0], 0.75);
    ck_assert_double_eq(sc->channels[1].mix[1], 0.25);
    ck_assert_double_eq(sc->channels[1].mix[2], 0);
    ck_assert_int_eq(sc->n_types, 3);
    ck_assert_int_eq(sc->types[0].patience.kind, RS_DIST_EMPIRICAL);
    ck_assert_int_eq(sc->types[1].patience.kind, RS_DIST_NEVER);
    ck_assert_int_eq(sc->types[2].needs_reply, 0);
    ck_assert_int_eq(sc->types[2].handle.kind, RS_DIST_CONST);
    ck_assert_int_eq(sc->types[2].patience.kind, RS_DIST_NEVER);
    ck_assert_int_eq(sc->agents, 0);
    ck_assert_int_eq(sc->abandon, RS_ABANDON_LEAVE);
    ck_assert_int_eq(sc->inbox_limit, 50);
    rs_scenario_destroy(sc);
}
END_TEST

START_TEST(defaults_and_syntax_variants)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    char msg[1024];
    /* one type: the mix defaults to it; CRLF, a BOM, blanks and name:value */
    const char *text = "\xEF\xBB\xBF[scenario]\r\nhorizon: 1d\r\n\r\n[ channel   a.b-c_1 ]\r\n"
                       "rate = 1/s\r\n[type only]\r\nhandle = const(30s)\r\n[staff]\r\n"
                       "agents = 3\r\n[policy]\r\ninbox_limit = none\r\n";
    int rc = rs_scenario_load_string(text, NULL, &sc, &err);
    format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "%s", msg);
    ck_assert_str_eq(sc->name, "scenario");
    ck_assert_str_eq(sc->path, "");
    ck_assert_str_eq(sc->channels[0].name, "a.b-c_1");
    ck_assert_double_eq(sc->channels[0].mix[0], 1);
    ck_assert_int_eq(sc->agents, 3);
    ck_assert_int_eq(sc->inbox_limit, 0);
    rs_scenario_destroy(sc);

    /* a label names the scenario like a file path does */
    ck_assert_int_eq(rs_scenario_load_string(ALL, "some/dir/holiday.ini", &sc, &err), RS_OK);
    ck_assert_str_eq(sc->name, "holiday");
    rs_scenario_destroy(sc);

    /* a label that makes no name is fine when the file names itself */
    ck_assert_int_eq(rs_scenario_load_string(IN_SCEN("name = x\n"), "<stdin>", &sc, &err), RS_OK);
    ck_assert_str_eq(sc->name, "x");
    rs_scenario_destroy(sc);
    ck_assert_int_eq(rs_scenario_load_string(ALL, "<stdin>", &sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, "name");
    ck_assert_int_eq(err.line, 1); /* its [scenario] header */

    /* mixes may name types defined further down */
    ck_assert_int_eq(load(MIX("mix = c:0.5, q:0.5\n"), &sc, &err), RS_OK);
    ck_assert_double_eq(sc->channels[0].mix[0], 0.5);
    rs_scenario_destroy(sc);

    /* a section with no keys still counts; reply = no needs no handle */
    ck_assert_int_eq(load(ALL "[type silent]\nreply = no\n[policy]\n", &sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, "mix"); /* now two types: the mix must be given */
    ck_assert_int_eq(err.line, 3);
}
END_TEST

START_TEST(long_names_and_lines)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    char name[RS_NAME_MAX];
    memset(name, 'n', RS_NAME_MAX - 1);
    name[RS_NAME_MAX - 1] = '\0';
    /* longer than inih's own section buffer (49 characters) */
    char text[8192];
    snprintf(text, sizeof text,
             OK_SCEN "[channel %s]\nrate = 1/h\n[type %s]\nhandle = const(1m)\n" OK_STAFF, name,
             name);
    ck_assert_int_eq(load(text, &sc, &err), RS_OK);
    ck_assert_str_eq(sc->channels[0].name, name);
    ck_assert_str_eq(sc->types[0].name, name);
    char *w = write_text(sc);
    struct rs_scenario *again = NULL;
    ck_assert_int_eq(load(w, &again, &err), RS_OK);
    ck_assert(rs_scenario_equal(sc, again));
    free(w);
    rs_scenario_destroy(again);
    rs_scenario_destroy(sc);

    /* a line of exactly 4096 characters is fine, one more is an error */
    for (int extra = 0; extra <= 1; extra++) {
        struct rs_buf big = RS_BUF_INIT;
        rs_buf_puts(&big, ALL "[policy]\n");
        const char *head = "abandon = stay ;";
        rs_buf_puts(&big, head);
        for (size_t k = strlen(head); k < 4096u + (size_t)extra; k++)
            rs_buf_putc(&big, 'x');
        rs_buf_puts(&big, "\norder = fifo\n");
        memset(&err, 0, sizeof err);
        int rc = load(rs_buf_str(&big), &sc, &err);
        rs_buf_free(&big);
        if (extra == 0) {
            ck_assert_int_eq(rc, RS_OK);
            rs_scenario_destroy(sc);
        } else {
            ck_assert_int_eq(rc, RS_EINPUT);
            ck_assert_int_eq(err.line, 10);
            ck_assert_ptr_nonnull(strstr(err.msg, "line longer than 4096 characters"));
        }
    }
}
END_TEST

START_TEST(too_many_sections)
{
    struct rs_buf text = RS_BUF_INIT;
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    rs_buf_puts(&text, OK_SCEN OK_TYPE OK_STAFF);
    for (int i = 0; i <= RS_MAX_CHANNELS; i++)
        rs_buf_printf(&text, "[channel c%d]\nrate = 1/h\n", i);
    ck_assert_int_eq(load(rs_buf_str(&text), &sc, &err), RS_EINPUT);
    ck_assert_int_eq(err.line, 7 + 2 * RS_MAX_CHANNELS);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected at most 32 [channel] sections"));

    rs_buf_reset(&text);
    rs_buf_puts(&text, OK_SCEN OK_CHAN OK_STAFF);
    for (int i = 0; i <= RS_MAX_TYPES; i++)
        rs_buf_printf(&text, "[type t%d]\nhandle = const(1m)\n", i);
    ck_assert_int_eq(load(rs_buf_str(&text), &sc, &err), RS_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected at most 32 [type] sections"));
    rs_buf_free(&text);
}
END_TEST

START_TEST(written_form)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    ck_assert_int_eq(load(minimal, &sc, &err), RS_OK);
    char *w = write_text(sc);
    ck_assert_ptr_nonnull(strstr(w, "\n[scenario]\nname = small_shop\nhorizon = 1w\nwarmup = 0s\n"
                                    "drain = 1d\ninterval = 1h\nreplications = 10\nseed = 1\n"
                                    "start = mon 00:00\nwithin = 15m, 30m, 1h, 4h, 1d\n"));
    ck_assert_ptr_nonnull(strstr(w, "\n[channel twitter]\nvisibility = public\nrate = 6/h\n"
                                    "dispersion = 0\nmix = complaint:0.3, question:0.7\n"));
    ck_assert_ptr_nonnull(strstr(w, "\n[type complaint]\nreply = yes\nhandle = "));
    ck_assert_ptr_nonnull(strstr(w, "\n[staff]\nagents = 1\n"));
    ck_assert_ptr_nonnull(
        strstr(w, "\n[staff]\nagents = 1\nconcurrency = 1\nshift_end = finish\n"));
    ck_assert_ptr_nonnull(
        strstr(w, "\n[policy]\norder = fifo\nweights = age:1, priority:60, influence:5, "
                  "public:30, deadline:2\nabandon = stay\nmax_age = none\nhours = always\n"
                  "inbox_limit = none\nautoack = none\nbot = 0\n"));
    ck_assert_ptr_null(strstr(w, "include"));
    free(w);
    rs_scenario_destroy(sc);
}
END_TEST

START_TEST(files)
{
    char dir[] = "/tmp/rs_test_scenario_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/retail_week.ini", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(ALL, f);
    fclose(f);
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_scenario_load(path, &sc, &err), RS_OK);
    ck_assert_str_eq(sc->name, "retail_week");
    ck_assert_str_eq(sc->path, path);
    rs_scenario_destroy(sc);

    /* errors name the file */
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(IN_TYPE("handle = 5\n"), f);
    fclose(f);
    sc = NULL;
    ck_assert_int_eq(rs_scenario_load(path, &sc, &err), RS_EINPUT);
    ck_assert_ptr_null(sc);
    ck_assert_str_eq(err.file, path);
    ck_assert_int_eq(err.line, 7);
    ck_assert_str_eq(err.key, "handle");

    /* a NUL byte would cut the line short: an error naming it */
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(ALL "[policy]\norder = fifo", f);
    fputc('\0', f);
    fputs(" x\n", f);
    fclose(f);
    ck_assert_int_eq(rs_scenario_load(path, &sc, &err), RS_EINPUT);
    ck_assert_int_eq(err.line, 10);
    ck_assert_ptr_nonnull(strstr(err.msg, "NUL byte"));
    unlink(path);

    char missing[300];
    snprintf(missing, sizeof missing, "%s/nothing.ini", dir);
    ck_assert_int_eq(rs_scenario_load(missing, &sc, &err), RS_EIO);
    ck_assert_ptr_null(sc);
    char msg[1024], want[1024];
    format(&err, msg, sizeof msg);
    snprintf(want, sizeof want, "%s: cannot read: No such file or directory", missing);
    ck_assert_str_eq(msg, want);

    /* a directory opens but cannot be read */
    ck_assert_int_eq(rs_scenario_load(dir, &sc, &err), RS_EIO);
    rmdir(dir);
}
END_TEST

START_TEST(check_in_code)
{
    struct rs_scenario *sc = calloc(1, sizeof *sc);
    ck_assert_ptr_nonnull(sc);
    struct rs_error err = {0};
    rs_scenario_defaults(sc);
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_EINPUT); /* no horizon */
    ck_assert_str_eq(err.key, "horizon");
    sc->horizon_s = 3600;
    snprintf(sc->channels[0].name, RS_NAME_MAX, "web");
    sc->channels[0].rate_per_s = 0.01;
    sc->channels[0].mix[0] = 1;
    sc->channels[0].line = 12;
    sc->n_channels = 1;
    snprintf(sc->types[0].name, RS_NAME_MAX, "ask");
    sc->types[0].needs_reply = 1;
    sc->types[0].handle = rs_dist_exponential(300);
    sc->types[0].patience = rs_dist_never();
    sc->n_types = 1;
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_OK);

    sc->channels[0].mix[0] = 0.5;
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, "mix");
    ck_assert_int_eq(err.line, 12);
    sc->channels[0].mix[0] = 1;

    sc->warmup_s = 3600;
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, "warmup");
    sc->warmup_s = 0;

    sc->start_clock_s = 61; /* not whole minutes: could not be written as HH:MM */
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, "start");
    sc->start_clock_s = 0;

    sc->within_s[1] = sc->within_s[0];
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, "within");
    sc->within_s[1] = 1800;

    sc->types[1] = sc->types[0];
    sc->n_types = 2;
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "defined twice"));
    sc->n_types = 1;

    sc->channels[0].rate_per_s = 0;
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, "rate");
    sc->channels[0].rate_per_s = 1;

    snprintf(sc->name, RS_NAME_MAX, "..");
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, "name");
    snprintf(sc->name, RS_NAME_MAX, "ok");

    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_OK);
    rs_scenario_destroy(sc);
    rs_scenario_destroy(NULL);
}
END_TEST

static struct rs_scenario *load_ok(const char *path, const char *const *sets, int n_sets)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    char msg[1024];
    int rc = rs_scenario_load_with(path, sets, n_sets, &sc, &err);
    format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "%s", msg);
    return sc;
}

/* Writes sc, reloads it from another folder and compares. */
static void assert_round_trip(const struct rs_scenario *sc)
{
    struct rs_scenario *again = NULL;
    struct rs_error err = {0};
    char msg[1024];
    char *w = write_text(sc);
    int rc = rs_scenario_load_string(w, "/tmp/elsewhere/other.ini", &again, &err);
    format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "%s\n%s", msg, w);
    ck_assert_msg(rs_scenario_equal(sc, again), "%s", w);
    char *w2 = write_text(again);
    ck_assert_str_eq(w, w2);
    free(w);
    free(w2);
    rs_scenario_destroy(again);
}

START_TEST(every_later_key_round_trips)
{
    struct rs_scenario *sc = load_ok(DATA "full.ini", NULL, 0);
    /* include: base.ini first, full.ini's keys win */
    ck_assert_str_eq(sc->name, "full");
    ck_assert_double_eq(sc->horizon_s, 7 * 86400);
    ck_assert_uint_eq(sc->seed, 5);
    ck_assert_double_eq_tol(rs_dist_mean(&sc->types[0].handle), 360, 1e-9);
    ck_assert_double_eq_tol(sc->channels[0].rate_per_s, 12.0 / 3600, 1e-15);
    ck_assert_int_eq(sc->n_channels, 4);
    ck_assert_int_eq(sc->channels[0].profile.n, 168);
    ck_assert_int_eq(sc->channels[0].profile.weekly, 1);
    ck_assert_double_eq(sc->channels[0].profile.t_s[167], 167 * 3600);
    ck_assert_double_eq(sc->channels[0].profile.value[9], 1.25);
    ck_assert_int_eq(sc->channels[1].profile.n, 3);
    ck_assert_int_eq(sc->channels[1].profile.weekly, 0);
    ck_assert_double_eq(sc->channels[1].profile.t_s[1], 2 * 86400 + 14 * 3600);
    ck_assert_double_eq(sc->channels[0].dispersion, 0.3);
    const struct rs_trace *t = &sc->channels[2].trace;
    ck_assert_int_eq(t->n, 3);
    ck_assert_double_eq(t->t_s[2], 3600);
    ck_assert_int_eq(t->type[0], 0);
    ck_assert_int_eq(t->type[2], -1);
    ck_assert_double_eq(t->followers[2], 5000);
    ck_assert(isnan(t->followers[1]));
    ck_assert_double_eq(t->handle_s[0], 300);
    ck_assert(isnan(t->handle_s[1]));
    ck_assert_double_eq(sc->channels[2].rate_per_s, 0);
    /* start wed 08:00: t = 0 is 2015-10-14 08:00, a wednesday */
    t = &sc->channels[3].trace;
    ck_assert_double_eq(t->t_s[0], 5400);
    ck_assert_double_eq(t->t_s[1], 7215);
    ck_assert_double_eq(t->t_s[2], 16 * 3600);
    ck_assert_double_eq_tol(sc->channels[3].mix[0], 2.0 / 3, 1e-15); /* the trace's shares */
    ck_assert_int_eq(sc->n_bursts, 2);
    ck_assert_double_eq(sc->bursts[0].at_s, 2 * 86400 + 14 * 3600);
    ck_assert_double_eq(sc->bursts[0].half_life_s, 3 * 3600);
    ck_assert_double_eq(sc->bursts[1].mix[1], 1); /* the channel's mix */
    ck_assert_double_eq(sc->types[0].followup, 0.4);
    ck_assert_int_eq(sc->types[0].switch_to, 1);
    ck_assert_int_eq(sc->types[1].switch_to, -1);
    ck_assert_int_eq(sc->types[1].priority, -1);
    ck_assert_double_eq(sc->types[0].value, 19.83);
    ck_assert_int_eq(sc->types[0].followers.kind, RS_DIST_PARETO);
    ck_assert_int_eq(sc->agents, 0);
    ck_assert_int_eq(sc->concurrency, 3);
    ck_assert_int_eq(sc->shift_end, RS_SHIFT_HANDOFF);
    ck_assert_int_eq(sc->n_shifts, 2);
    ck_assert_uint_eq(sc->shifts[0].days, 0x1f);
    ck_assert_uint_eq(sc->shifts[1].days, 0x75); /* fri-mon wraps, and wed */
    ck_assert_uint_eq(sc->shifts[0].channels, 0x3);
    ck_assert_uint_eq(sc->shifts[1].channels, 0xf);
    ck_assert_double_eq(sc->shifts[0].break_s, 1800);
    ck_assert_double_eq(sc->weights.priority, 50);
    ck_assert_double_eq(sc->weights.public_, 10);
    ck_assert_double_eq(sc->weights.age, 1);
    ck_assert_double_eq(sc->max_age_s, 2 * 86400);
    ck_assert_int_eq(sc->n_hours, 7);
    ck_assert_double_eq(sc->hours[6].from_s, 6 * 86400 + 22 * 3600);
    ck_assert_double_eq(sc->hours[6].to_s, 7 * 86400 + 2 * 3600); /* past sunday midnight */
    ck_assert_double_eq(sc->autoack, 1.5);
    ck_assert_uint_eq(sc->bot_types, 0x2);
    assert_round_trip(sc);

    struct rs_scenario *b = load_ok(DATA "full.ini", NULL, 0);
    ck_assert(rs_scenario_equal(sc, b));
    b->channels[0].profile.value[100] += 1;
    ck_assert(!rs_scenario_equal(sc, b));
    b->channels[0].profile.value[100] -= 1;
    b->channels[3].trace.t_s[1] += 1;
    ck_assert(!rs_scenario_equal(sc, b));
    rs_scenario_destroy(b);
    rs_scenario_destroy(sc);

    struct rs_scenario *base = load_ok(DATA "base.ini", NULL, 0);
    ck_assert_double_eq(base->horizon_s, 3 * 86400);
    rs_scenario_destroy(base);
}
END_TEST

START_TEST(schedule_and_iso_trace)
{
    /* 2015-10-14T09:30Z is a wednesday; from mon 00:00 that is 2d9h30m */
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    char msg[1024];
    int rc = load(OK_SCEN "[channel tw]\ntrace = " DATA "trace_iso.csv\n[type complaint]\n"
                          "handle = const(1m)\n[type question]\nhandle = const(1m)\n[staff]\n"
                          "schedule = " DATA "schedule.csv\n",
                  &sc, &err);
    format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "%s", msg);
    const struct rs_trace *t = &sc->channels[0].trace;
    ck_assert_double_eq(t->t_s[0], 2 * 86400 + 9.5 * 3600);
    ck_assert_double_eq(t->t_s[1], 2 * 86400 + 10 * 3600 + 15);
    ck_assert_double_eq(t->t_s[2], 3 * 86400);
    ck_assert_int_eq(sc->schedule.n, 4);
    ck_assert_int_eq(sc->schedule.weekly, 1);
    ck_assert_double_eq(sc->schedule.t_s[3], 5 * 86400);
    ck_assert_double_eq(sc->schedule.value[1], 4);
    assert_round_trip(sc);
    rs_scenario_destroy(sc);
}
END_TEST

START_TEST(set_overrides)
{
    const char *sets[] = {
        "channel.twitter.rate=50/h", "policy.order = fifo",         "scenario.seed=9",
        "staff.concurrency=2",       "type.complaint.followup=0.1", "channel.twitter.rate=60/h"};
    struct rs_scenario *sc = load_ok(DATA "full.ini", sets, 6);
    ck_assert_double_eq_tol(sc->channels[0].rate_per_s, 60.0 / 3600, 1e-15); /* the last wins */
    ck_assert_str_eq(sc->order, "fifo");
    ck_assert_uint_eq(sc->seed, 9);
    ck_assert_int_eq(sc->concurrency, 2);
    ck_assert_double_eq(sc->types[0].followup, 0.1);
    assert_round_trip(sc);
    rs_scenario_destroy(sc);

    /* [policy] is made when the file has none */
    const char *order[] = {"policy.abandon=leave"};
    sc = load_ok(DATA "base.ini", order, 1);
    ck_assert_int_eq(sc->abandon, RS_ABANDON_LEAVE);
    rs_scenario_destroy(sc);

    /* KEY= and KEY=none remove a key from every file (the include too):
     * its default holds, or a later --set's value; a removal after a --set
     * of the same key wins over it */
    const char *removals[] = {"channel.twitter.profile=", "channel.twitter.dispersion=none",
                              "scenario.seed=",           "policy.max_age=3d",
                              "policy.max_age=",          "channel.web.rate=",
                              "channel.web.rate=7/h"};
    sc = load_ok(DATA "full.ini", removals, 7);
    ck_assert_int_eq(sc->channels[0].profile.n, 0);
    ck_assert_double_eq(sc->channels[0].dispersion, 0);
    ck_assert_uint_eq(sc->seed, 1);
    ck_assert_double_eq(sc->max_age_s, 0);
    ck_assert_double_eq_tol(sc->channels[1].rate_per_s, 7.0 / 3600, 1e-15);
    assert_round_trip(sc);
    rs_scenario_destroy(sc);
    /* a schedule replaces constant agents once they are removed */
    const char *sched[] = {"staff.agents=", "staff.schedule=" DATA "schedule.csv"};
    sc = load_ok(DATA "base.ini", sched, 2);
    ck_assert_int_eq(sc->agents, 0);
    ck_assert_int_eq(sc->schedule.n, 4);
    rs_scenario_destroy(sc);
    /* complaint_types = none is a value (no type counts); empty removes it */
    const char *none[] = {"outcome.complaint_types=none"}, *dflt[] = {"outcome.complaint_types="};
    sc = load_ok(DATA "base.ini", none, 1);
    ck_assert_uint_eq(rs_scenario_complaint_mask(sc), 0);
    rs_scenario_destroy(sc);
    sc = load_ok(DATA "base.ini", dflt, 1);
    ck_assert_uint_eq(rs_scenario_complaint_mask(sc), 1); /* the type named complaint */
    rs_scenario_destroy(sc);

    /* the errors a removal can lead to, each one line naming the key */
    static const struct {
        const char *set, *msg;
    } bad[] = {
        {"staff.schedule=" DATA "schedule.csv",
         "schedule: expected agents or schedule in [staff], not both (add staff.agents= to "
         "remove the file's agents)"},
        {"scenario.horizon=", "horizon: "},
        {"policy.speed=", "--set:1: policy.speed: unknown key in [policy]"},
        {"channel.nosuch.rate=", "there is no [channel nosuch]"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        struct rs_error err = {0};
        char msg[1024];
        sc = NULL;
        ck_assert_int_eq(rs_scenario_load_with(DATA "base.ini", &bad[k].set, 1, &sc, &err),
                         RS_EINPUT);
        format(&err, msg, sizeof msg);
        ck_assert_msg(strstr(msg, bad[k].msg) != NULL, "expected \"%s\" in \"%s\"", bad[k].msg,
                      msg);
    }

    static const struct {
        const char *set, *msg;
    } bad_sets[] = {
        {"channel.twitter.rate=fast", "--set:2: channel.twitter.rate: expected a rate such as 40/h "
                                      "(per s, m, h or d), got \"fast\""},
        {"channel.nosuch.rate=1/h", "--set:2: channel.nosuch.rate: expected a section of the "
                                    "scenario, there is no [channel nosuch]"},
        {"policy.speed=1", "--set:2: policy.speed: unknown key in [policy]"},
        {"policy", "--set:2: expected section.key=value such as channel.twitter.rate=50/h"},
        {"rate=1/h", "--set:2: rate: expected section.key such as policy.order"},
        {"galaxy.x=1", "--set:2: galaxy.x: unknown section \"galaxy\""},
        {"channel.rate=1/h", "--set:2: channel.rate: expected channel.NAME.rate"},
        {"scenario.include=x.ini", "--set:2: scenario.include: expected a key other than include"},
        {"channel.twitter.profile=nothing.csv",
         "--set:2: profile: cannot read \"nothing.csv\": No such file or directory"},
    };
    for (size_t k = 0; k < sizeof bad_sets / sizeof bad_sets[0]; k++) {
        const char *two[] = {"scenario.seed=3", bad_sets[k].set};
        struct rs_error err = {0};
        char msg[1024];
        sc = NULL;
        ck_assert_int_eq(rs_scenario_load_with(DATA "full.ini", two, 2, &sc, &err), RS_EINPUT);
        ck_assert_ptr_null(sc);
        format(&err, msg, sizeof msg);
        ck_assert_msg(strstr(msg, bad_sets[k].msg) != NULL, "expected \"%s\" in \"%s\"",
                      bad_sets[k].msg, msg);
    }
}
END_TEST

START_TEST(include_overrides)
{
    char dir[] = "/tmp/rs_test_include_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[300], sub[300];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    snprintf(path, sizeof path, "%s/sub/base.ini", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(ALL "[policy]\norder = lifo\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/top.ini", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    /* include after other keys: still read first; sections reopen */
    fputs("[channel tw]\nrate = 9/h\n[scenario]\nhorizon = 2d\ninclude = sub/base.ini\n", f);
    fclose(f);
    struct rs_scenario *sc = load_ok(path, NULL, 0);
    ck_assert_double_eq(sc->horizon_s, 2 * 86400);
    ck_assert_double_eq_tol(sc->channels[0].rate_per_s, 9.0 / 3600, 1e-15);
    ck_assert_str_eq(sc->order, "lifo");
    ck_assert_int_eq(sc->agents, 1);
    ck_assert_int_eq(sc->n_channels, 1);
    rs_scenario_destroy(sc);

    /* within one file, twice is still an error */
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("[scenario]\ninclude = sub/base.ini\nhorizon = 2d\nhorizon = 3d\n", f);
    fclose(f);
    struct rs_error err = {0};
    ck_assert_int_eq(rs_scenario_load(path, &sc, &err), RS_EINPUT);
    ck_assert_int_eq(err.line, 4);
    ck_assert_str_eq(err.key, "horizon");
    ck_assert_str_eq(err.file, path);

    /* errors inside the included file name it */
    snprintf(sub, sizeof sub, "%s/sub/base.ini", dir);
    f = fopen(sub, "w");
    ck_assert_ptr_nonnull(f);
    fputs(IN_TYPE("handle = 5\n"), f);
    fclose(f);
    ck_assert_int_eq(rs_scenario_load(path, &sc, &err), RS_EINPUT);
    char want[400];
    snprintf(want, sizeof want, "%s/sub/base.ini", dir);
    ck_assert_str_eq(err.file, want);
    ck_assert_int_eq(err.line, 7);
    unlink(sub);
    unlink(path);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    rmdir(sub);
    rmdir(dir);
}
END_TEST

/* ------------------------------------------------ cases from data files
 *
 * tests/data/bad_scenarios.test and good_scenarios.test hold scenarios and
 * what loading each must give, in a plain format anyone can extend (see the
 * top of bad_scenarios.test); snippets.test the pieces they share. */

#define TESTS RS_SOURCE_DIR "/tests/data/"
#define MAX_SNIPPETS 32

struct snippet {
    char name[64];
    struct rs_buf lines; /* as written, %NAME lines not yet expanded */
};

struct data_case {
    int at;             /* line of its === in the data file */
    struct rs_buf text; /* the scenario, expanded */
    int ok;             /* "--- ok" */
    int line;           /* else the line the error names */
    char msg[1024];     /* and a part of the error */
};

struct data_file {
    const char *path;
    struct snippet snip[MAX_SNIPPETS];
    int n_snip;
    struct data_case *c;
    int n;
};

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

/* Appends line to out with snippets and $DATA expanded. */
static void expand(const struct data_file *df, const char *line, struct rs_buf *out, int depth)
{
    ck_assert_msg(depth < 8, "snippets nested too deep at \"%s\"", line);
    if (line[0] == '%') {
        for (int i = 0; i < df->n_snip; i++) {
            if (strcmp(df->snip[i].name, line + 1) != 0) continue;
            char *copy = strdup(rs_buf_str(&df->snip[i].lines));
            for (char *l = copy, *nl; *l; l = nl + 1) {
                nl = strchr(l, '\n'); /* every snippet line ends with one */
                *nl = '\0';
                expand(df, l, out, depth + 1);
            }
            free(copy);
            return;
        }
        ck_abort_msg("%s: no snippet %s", df->path, line);
    }
    for (const char *p = line; *p;) {
        if (strncmp(p, "$DATA", 5) == 0) {
            rs_buf_puts(out, RS_SOURCE_DIR "/tests/data");
            p += 5;
        } else {
            rs_buf_putc(out, *p++);
        }
    }
    rs_buf_putc(out, '\n');
}

static void read_snippets(struct data_file *df)
{
    FILE *f = fopen(TESTS "snippets.test", "r");
    char line[4200];
    struct snippet *cur = NULL;
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f)) {
        chomp(line);
        if (strncmp(line, "%define ", 8) == 0) {
            ck_assert_int_lt(df->n_snip, MAX_SNIPPETS);
            cur = &df->snip[df->n_snip++];
            snprintf(cur->name, sizeof cur->name, "%.63s", line + 8);
            cur->lines = (struct rs_buf)RS_BUF_INIT;
        } else if (strcmp(line, "%end") == 0) {
            cur = NULL;
        } else if (cur) {
            rs_buf_puts(&cur->lines, line);
            rs_buf_putc(&cur->lines, '\n');
        }
    }
    fclose(f);
}

/* Reads the cases of name (a file of tests/data/). */
static void read_cases(struct data_file *df, const char *name)
{
    static char path[512];
    char line[4200];
    enum { OUTSIDE, TEXT, MSG } state = OUTSIDE;
    snprintf(path, sizeof path, "%s%s", TESTS, name);
    memset(df, 0, sizeof *df);
    df->path = path;
    read_snippets(df);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    for (int at = 1; fgets(line, sizeof line, f); at++) {
        chomp(line);
        struct data_case *c = df->n ? &df->c[df->n - 1] : NULL;
        if (strncmp(line, "===", 3) == 0) {
            ck_assert_msg(state != TEXT && state != MSG, "%s:%d: === inside a case", path, at);
            df->c = realloc(df->c, (size_t)(df->n + 1) * sizeof *df->c);
            ck_assert_ptr_nonnull(df->c);
            df->c[df->n++] = (struct data_case){.at = at, .text = RS_BUF_INIT};
            state = TEXT;
        } else if (state == TEXT && strncmp(line, "---", 3) == 0) {
            c->ok = strcmp(line, "--- ok") == 0;
            ck_assert_msg(c->ok || sscanf(line, "--- %d", &c->line) == 1,
                          "%s:%d: expected --- LINE or --- ok", path, at);
            state = c->ok ? OUTSIDE : MSG;
        } else if (state == TEXT) {
            expand(df, line, &c->text, 0);
        } else if (state == MSG) {
            ck_assert_msg(strlen(line) < sizeof c->msg, "%s:%d: expected message too long", path,
                          at);
            memcpy(c->msg, line, strlen(line) + 1);
            state = OUTSIDE;
        }
    }
    ck_assert_msg(state == OUTSIDE, "%s: the last case is not finished", path);
    fclose(f);
}

static void free_cases(struct data_file *df)
{
    for (int i = 0; i < df->n; i++)
        rs_buf_free(&df->c[i].text);
    for (int i = 0; i < df->n_snip; i++)
        rs_buf_free(&df->snip[i].lines);
    free(df->c);
}

/* The cases of name: its lines starting with ===.  No Check asserts here:
 * this runs while the suite is made, outside any test. */
static int count_cases(const char *name)
{
    char path[512], line[4200];
    int n = 0;
    snprintf(path, sizeof path, "%s%s", TESTS, name);
    FILE *f = fopen(path, "r");
    if (!f) return 1; /* the test then fails, saying why */
    while (fgets(line, sizeof line, f))
        n += strncmp(line, "===", 3) == 0;
    fclose(f);
    return n;
}

/* Loads case c from a file shop.ini in a fresh folder, as a user would. */
static int load_case(const struct data_case *c, struct rs_scenario **sc, struct rs_error *err)
{
    char cwd[4096];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    rs_test_write("shop.ini", rs_buf_str(&c->text));
    ck_assert_int_eq(chdir(rs_test_dir), 0);
    memset(err, 0, sizeof *err);
    int rc = rs_scenario_load("shop.ini", sc, err);
    ck_assert_int_eq(chdir(cwd), 0);
    return rc;
}

static void case_dir_create(void) { rs_test_dir_create("scenario"); }

/* Malformed scenarios: the line blamed and part of the message
 * (as printed: `shop.ini:LINE: key: what was expected`). */
START_TEST(malformed)
{
    struct data_file df;
    read_cases(&df, "bad_scenarios.test");
    const struct data_case *c = &df.c[_i];
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    char msg[1024];
    ck_assert_msg(!c->ok, "%s:%d: expected --- LINE", df.path, c->at);
    int rc = load_case(c, &sc, &err);
    format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_EINPUT, "%s:%d: expected RS_EINPUT, got %d (%s)", df.path, c->at, rc,
                  msg);
    ck_assert_ptr_null(sc);
    ck_assert_msg(err.line == c->line, "%s:%d: expected line %d, got %d (%s)", df.path, c->at,
                  c->line, err.line, msg);
    ck_assert_msg(strstr(msg, c->msg) != NULL, "%s:%d: expected \"%s\" in \"%s\"", df.path, c->at,
                  c->msg, msg);
    free_cases(&df);
}
END_TEST

/* Scenarios that load, write back, load again to the same scenario, and
 * write the same text again; a changed seed or share is not the same. */
START_TEST(round_trip)
{
    struct data_file df;
    read_cases(&df, "good_scenarios.test");
    const struct data_case *c = &df.c[_i];
    struct rs_error err;
    struct rs_scenario *a = NULL, *b = NULL;
    char msg[1024];
    ck_assert_msg(c->ok, "%s:%d: expected --- ok", df.path, c->at);
    int rc = load_case(c, &a, &err);
    format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "%s:%d: %s", df.path, c->at, msg);
    char *w1 = write_text(a);
    ck_assert_msg(strncmp(w1, "; resolved by replysim\n", 23) == 0, "%s", w1);
    rc = rs_scenario_load_string(w1, "other.ini", &b, &err);
    format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "%s:%d: %s\n%s", df.path, c->at, msg, w1);
    ck_assert_msg(rs_scenario_equal(a, b), "%s:%d:\n%s", df.path, c->at, w1);
    char *w2 = write_text(b);
    ck_assert_str_eq(w1, w2);
    free(w1);
    free(w2);
    b->seed++;
    ck_assert(!rs_scenario_equal(a, b));
    b->seed--;
    b->channels[0].mix[0] = nextafter(b->channels[0].mix[0], 2);
    ck_assert(!rs_scenario_equal(a, b));
    rs_scenario_destroy(a);
    rs_scenario_destroy(b);
    free_cases(&df);
}
END_TEST

Suite *rs_test_scenario_suite(void);
Suite *rs_test_scenario_suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *tc = tcase_create("load");
    tcase_add_test(tc, minimal_scenario);
    tcase_add_test(tc, spec_example_keys_of_later_issues);
    tcase_add_test(tc, every_key);
    tcase_add_test(tc, defaults_and_syntax_variants);
    tcase_add_test(tc, long_names_and_lines);
    tcase_add_test(tc, too_many_sections);
    tcase_add_test(tc, files);
    tcase_add_test(tc, check_in_code);
    suite_add_tcase(s, tc);
    TCase *tw = tcase_create("write");
    tcase_add_test(tw, written_form);
    tcase_add_test(tw, every_later_key_round_trips);
    tcase_add_test(tw, schedule_and_iso_trace);
    tcase_add_test(tw, set_overrides);
    tcase_add_test(tw, include_overrides);
    suite_add_tcase(s, tw);
    TCase *tb = tcase_create("malformed");
    tcase_add_checked_fixture(tb, case_dir_create, rs_test_dir_destroy);
    tcase_add_loop_test(tb, malformed, 0, count_cases("bad_scenarios.test"));
    suite_add_tcase(s, tb);
    TCase *tg = tcase_create("round trip");
    tcase_add_checked_fixture(tg, case_dir_create, rs_test_dir_destroy);
    tcase_add_loop_test(tg, round_trip, 0, count_cases("good_scenarios.test"));
    suite_add_tcase(s, tg);
    return s;
}
