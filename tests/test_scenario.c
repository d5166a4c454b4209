/* test_scenario.c: loading, checking and writing scenario files. */
#include "replysim/scenario.h"

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
    OK_SCEN "[channel tw]\ntrace = " x "\n[type complaint]\nhandle = const(1m)\n"                   \
            "[type question]\nhandle = const(1m)\n" OK_STAFF
/* [burst b] on line 9, x from line 10; [shift s] on line 7, x from line 8. */
#define BURST(x) ALL "[burst b]\n" x
#define SHIFT(x) OK_SCEN OK_CHAN OK_TYPE "[shift s]\n" x
/* Two types, the mix on line 5. */
#define MIX(x)                                                                                     \
    OK_SCEN "[channel tw]\nrate = 6/h\n" x OK_TYPE "[type c]\nhandle = const(5m)\n" OK_STAFF

/* SPEC section 3's minimal scenario without the keys of later issues. */
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

static void format(const struct rs_error *e, char *buf, size_t n)
{
    rs_error_format(e, buf, n);
}

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
    for (int k = 0; k < 5; k++) ck_assert_double_eq(sc->within_s[k], within[k]);
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
    /* The SPEC example as printed, with followup and [policy] hours. */
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
    ck_assert_int_eq(err.line, 0);

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
    char *big = malloc(20000);
    ck_assert_ptr_nonnull(big);
    for (int extra = 0; extra <= 1; extra++) {
        int n = snprintf(big, 20000, ALL "[policy]\n");
        const char *head = "abandon = stay ;";
        n += snprintf(big + n, (size_t)(20000 - n), "%s", head);
        int fill = 4096 + extra - (int)strlen(head);
        memset(big + n, 'x', (size_t)fill);
        n += fill;
        snprintf(big + n, (size_t)(20000 - n), "\norder = fifo\n");
        memset(&err, 0, sizeof err);
        int rc = load(big, &sc, &err);
        if (extra == 0) {
            ck_assert_int_eq(rc, RS_OK);
            rs_scenario_destroy(sc);
        } else {
            ck_assert_int_eq(rc, RS_EINPUT);
            ck_assert_int_eq(err.line, 10);
            ck_assert_ptr_nonnull(strstr(err.msg, "line longer than 4096 characters"));
        }
    }
    free(big);
}
END_TEST

START_TEST(too_many_sections)
{
    size_t cap = 1 << 16;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    int n = snprintf(text, cap, OK_SCEN OK_TYPE OK_STAFF);
    for (int i = 0; i <= RS_MAX_CHANNELS; i++)
        n += snprintf(text + n, cap - (size_t)n, "[channel c%d]\nrate = 1/h\n", i);
    ck_assert_int_eq(load(text, &sc, &err), RS_EINPUT);
    ck_assert_int_eq(err.line, 7 + 2 * RS_MAX_CHANNELS);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected at most 32 [channel] sections"));

    n = snprintf(text, cap, OK_SCEN OK_CHAN OK_STAFF);
    for (int i = 0; i <= RS_MAX_TYPES; i++)
        n += snprintf(text + n, cap - (size_t)n, "[type t%d]\nhandle = const(1m)\n", i);
    ck_assert_int_eq(load(text, &sc, &err), RS_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected at most 32 [type] sections"));
    free(text);
}
END_TEST

static const char *const round_trips[] = {
    minimal,
    full,
    ALL,
    OK_SCEN
    "[channel a]\nrate = 0.1/s\nmix = x:0.1, y:0.2, z:0.7\n[channel b]\nrate = 7/d\n"
    "visibility = private\nmix = z:1\n[type x]\nhandle = erlang(k=3, mean=5m)\n"
    "[type y]\nhandle = weibull(shape=1.5, scale=10m)\npatience = lognormal(mu=6, sigma=1)\n"
    "[type z]\nreply = no\nhandle = exponential(rate=12/h)\npatience = const(1.25h)\n" OK_STAFF,
    ALL "[outcome]\ntau = 20m\nphi = 0.05\nrecommend_p1 = 0.247\nspend_s = 0.08\n"
        "spend_cap = 0.3\ndefect_kappa = 1\nonlooker_purchase = 0.015\ncomplaint_types = q\n",
    ALL "[outcome]\ncomplaint_types = none\n",
};

START_TEST(round_trip)
{
    struct rs_error err = {0};
    char msg[1024];
    for (size_t r = 0; r < sizeof round_trips / sizeof round_trips[0]; r++) {
        struct rs_scenario *a = NULL, *b = NULL;
        const char *text = round_trips[r];
        int rc = load(text, &a, &err);
        format(&err, msg, sizeof msg);
        ck_assert_msg(rc == RS_OK, "scenario %zu: %s", r, msg);
        char *w1 = write_text(a);
        ck_assert_msg(strncmp(w1, "; resolved by replysim\n", 23) == 0, "%s", w1);
        rc = rs_scenario_load_string(w1, "other.ini", &b, &err);
        format(&err, msg, sizeof msg);
        ck_assert_msg(rc == RS_OK, "scenario %zu: %s\n%s", r, msg, w1);
        ck_assert_msg(rs_scenario_equal(a, b), "scenario %zu:\n%s", r, w1);
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
    }
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
    ck_assert_ptr_nonnull(strstr(w, "\n[staff]\nagents = 1\nconcurrency = 1\nshift_end = finish\n"));
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
                  "schedule = " DATA "schedule.csv\n", &sc, &err);
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
    const char *sets[] = {"channel.twitter.rate=50/h", "policy.order = fifo", "scenario.seed=9",
                          "staff.concurrency=2", "type.complaint.followup=0.1",
                          "channel.twitter.rate=60/h"};
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

    static const struct {
        const char *set, *msg;
    } bad_sets[] = {
        {"channel.twitter.rate=fast",
         "--set:2: channel.twitter.rate: expected a rate such as 40/h (per s, m, h or d), got \"fast\""},
        {"channel.nosuch.rate=1/h",
         "--set:2: channel.nosuch.rate: expected a section of the scenario, there is no [channel nosuch]"},
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

/* Malformed scenarios: the text, the line blamed and part of the message
 * (as printed: `shop.ini:LINE: key: what was expected`). */
static const struct bad {
    const char *text;
    int line;
    const char *msg;
} bad[] = {
    /* sections */
    {ALL "[foo]\n", 9, "[foo]: unknown section, expected [scenario]"},
    {ALL "[Staff]\n", 9, "unknown section"},
    {ALL "[channel tw]\nrate = 1/h\n", 9, "[channel tw]: section given twice, first on line 3"},
    {ALL "[type q]\n", 9, "[type q]: section given twice, first on line 5"},
    {ALL "[staff]\n", 9, "[staff]: section given twice, first on line 7"},
    {ALL "[scenario]\n", 9, "first on line 1"},
    {ALL "[channel]\nrate = 1/h\n", 9, "[channel]: expected a name, as in [channel NAME]"},
    {ALL "[policy x]\n", 9, "[policy x]: expected [policy] without a name"},
    {ALL "[channel a b]\n", 9, "expected a name of letters, digits, _, - and ., got \"a b\""},
    {ALL "[type a/b]\n", 9, "expected a name of letters"},
    {ALL "[channel ..]\n", 9, "expected a name other than \"..\""},
    {ALL "[channel 0123456789012345678901234567890123456789012345678901234567890123]\n", 9,
     "expected a name of at most 63 characters, got 64"},
    {ALL "[policy] order = fifo\n", 9, "expected nothing after ] of a section header"},
    /* syntax */
    {ALL "[policy\n", 9, "shop.ini:9: expected [section] or key = value, got \"[policy\""},
    {IN_STAFF("agents 1\n"), 8, "expected [section] or key = value, got \"agents 1\""},
    {IN_STAFF("= 1\n"), 8, "shop.ini:8: expected a key before ="},
    {"horizon = 7d\n" ALL, 1, "horizon: expected a [section] header before the first key"},
    /* keys */
    {IN_SCEN("horizon = 8d\n"), 3, "horizon: given twice in [scenario], first on line 2"},
    {IN_CHAN("rate = 1/h\n"), 5, "rate: given twice in [channel tw], first on line 4"},
    {IN_SCEN("hours = always\n"), 3,
     "hours: unknown key in [scenario], expected one of name, horizon, warmup"},
    {IN_CHAN("profiles = p.csv\n"), 5,
     "profiles: unknown key in [channel tw], expected one of visibility, rate, profile, "
     "dispersion, mix, trace"},
    {IN_TYPE("follow_up = 0.4\n"), 7,
     "follow_up: unknown key in [type q], expected one of reply, handle, patience, followup"},
    {IN_STAFF("agents = 1\nschedules = s.csv\n"), 9,
     "unknown key in [staff], expected one of agents, schedule"},
    {IN_POLICY("hour = mon-fri 09:00-17:00\n"), 10, "hour: unknown key in [policy]"},
    /* missing */
    {"[scenario]\nname = x\n" OK_CHAN OK_TYPE OK_STAFF, 1,
     "horizon: missing, required in [scenario]"},
    {OK_CHAN OK_TYPE OK_STAFF, 0, "scenario: missing section, expected [scenario]"},
    {OK_SCEN OK_TYPE OK_STAFF, 0, "channel: missing section, expected [channel NAME]"},
    {OK_SCEN OK_CHAN OK_STAFF, 0, "type: missing section, expected [type NAME]"},
    {OK_SCEN OK_CHAN OK_TYPE, 0,
     "shop.ini: staff: expected [staff] agents or schedule, or a [shift NAME] section"},
    {OK_SCEN "[channel tw]\nvisibility = public\n" OK_TYPE OK_STAFF, 3,
     "rate: missing, required in [channel tw]"},
    {OK_SCEN OK_CHAN "[type q]\npatience = never\n" OK_STAFF, 5,
     "handle: missing in [type q], required when reply = yes"},
    {IN_STAFF(""), 7, "shop.ini:7: agents: expected [staff] agents or schedule, or a [shift"},
    /* [scenario] values */
    {"[scenario]\nhorizon = 7\n" OK_CHAN OK_TYPE OK_STAFF, 2,
     "shop.ini:2: horizon: expected a duration such as 5m, got \"7\""},
    {"[scenario]\nhorizon = 0s\n" OK_CHAN OK_TYPE OK_STAFF, 2, "horizon: expected a duration > 0"},
    {IN_SCEN("warmup = 1w\n"), 3, "warmup: expected less than the horizon (1w), got 1w"},
    {IN_SCEN("drain = -1d\n"), 3, "drain: expected"},
    {IN_SCEN("interval = 0m\n"), 3, "interval: expected a duration > 0"},
    {IN_SCEN("replications = 0\n"), 3, "replications: expected a whole number"},
    {IN_SCEN("replications = 2.5\n"), 3, "replications: expected a whole number"},
    {IN_SCEN("seed = -1\n"), 3, "seed: expected a whole number from 0 to 18446744073709551615"},
    {IN_SCEN("seed = 18446744073709551616\n"), 3, "seed: expected a whole number from 0"},
    {IN_SCEN("seed = 0x10\n"), 3, "seed: expected a whole number"},
    {IN_SCEN("start = mon\n"), 3, "start: expected a weekday and clock time such as mon 09:00"},
    {IN_SCEN("start = someday 09:00\n"), 3, "start: expected a weekday"},
    {IN_SCEN("start = mon 25:00\n"), 3, "start: expected a clock time"},
    {IN_SCEN("start = mon 24:00\n"), 3,
     "start: expected a weekday and clock time from 00:00 to 23:59"},
    {IN_SCEN("start = mon 09:00 x\n"), 3, "start: expected a weekday and clock time"},
    {IN_SCEN("within = 15m, 1h, 0.25h\n"), 3, "within: expected each duration once, got 15m twice"},
    {IN_SCEN("within = 15m, 0s\n"), 3, "within: expected durations > 0, got \"0s\""},
    {IN_SCEN("within = 15m,,1h\n"), 3,
     "within: expected a comma-separated list without empty items"},
    {IN_SCEN("within = 1m,2m,3m,4m,5m,6m,7m,8m,9m,10m,11m,12m,13m,14m,15m,16m,17m\n"), 3,
     "within: expected at most 16 durations"},
    {IN_SCEN("within = 15\n"), 3, "within: expected a duration such as 5m"},
    {IN_SCEN("within =\n"), 3, "within: expected durations such as"},
    {IN_SCEN("name = my shop\n"), 3, "name: expected a name of letters, digits"},
    {IN_SCEN("name =\n"), 3, "name: expected a name"},
    /* [channel] values */
    {IN_CHAN("visibility = secret\n"), 5, "visibility: expected public or private, got \"secret\""},
    {OK_SCEN "[channel tw]\nrate = -1/h\n" OK_TYPE OK_STAFF, 4, "rate: expected"},
    {OK_SCEN "[channel tw]\nrate = 6\n" OK_TYPE OK_STAFF, 4, "rate: expected a rate such as 40/h"},
    {OK_SCEN "[channel tw]\nrate = 0/h\n" OK_TYPE OK_STAFF, 4,
     "rate: expected at least one channel with a rate > 0"},
    {MIX("mix = q:0.5, zz:0.5\n"), 5,
     "mix: expected a type defined by a [type NAME] section, got \"zz\""},
    {MIX("mix = q:0.5, c:0.4\n"), 5, "mix: expected shares summing to 1, got 0.9"},
    {MIX("mix = q:0.5, q:0.5\n"), 5, "mix: expected each type once, got \"q\" twice"},
    {MIX("mix = q:1.5, c:-0.5\n"), 5, "mix: expected a probability from 0 to 1"},
    {MIX("mix = q\n"), 5, "mix: expected type:share such as complaint:0.4, got \"q\""},
    {MIX("mix = q:1,\n"), 5, "mix: expected a comma-separated list without empty items"},
    {MIX(""), 3, "shop.ini:3: mix: required when there is more than one type"},
    {IN_CHAN("mix = q:1\nmix = q:1\n"), 6, "mix: given twice in [channel tw], first on line 5"},
    /* [type] values */
    {IN_TYPE("reply = maybe\n"), 7, "reply: expected yes or no, got \"maybe\""},
    {OK_SCEN OK_CHAN "[type q]\nhandle = 5\n" OK_STAFF, 6, "shop.ini:6: handle: expected"},
    {OK_SCEN OK_CHAN "[type q]\nhandle = never\n" OK_STAFF, 6, "handle: "},
    {OK_SCEN OK_CHAN "[type q]\nhandle = normal(mean=5m)\n" OK_STAFF, 6, "handle: "},
    {IN_TYPE("patience = 5m\n"), 7, "patience: "},
    {IN_TYPE("patience = exponential(mean=5)\n"), 7, "patience: "},
    /* [staff] and [policy] values */
    {IN_STAFF("agents = -1\n"), 8, "agents: expected a whole number"},
    {IN_STAFF("agents = 1.5\n"), 8, "agents: expected a whole number"},
    {IN_STAFF("agents = many\n"), 8, "agents: expected a whole number"},
    {IN_POLICY("order = random\n"), 10, "order: expected one of fifo, lifo, priority"},
    {IN_POLICY("abandon = go\n"), 10, "abandon: expected stay or leave, got \"go\""},
    {IN_POLICY("inbox_limit = 0\n"), 10, "inbox_limit: expected a whole number >= 1 or none"},
    {IN_POLICY("inbox_limit = never\n"), 10, "inbox_limit: expected a whole number >= 1 or none"},
    {IN_POLICY("order = fifo\norder = fifo\n"), 11,
     "order: given twice in [policy], first on line 10"},
    /* include */
    {IN_SCEN("include = nothing.ini\n"), 3,
     "shop.ini:3: include: cannot read \"nothing.ini\": No such file or directory"},
    {IN_SCEN("include = " DATA "cycle_a.ini\n"), 2,
     "cycle_b.ini:2: include: expected no include cycle"},
    {IN_SCEN("include = " DATA "bad_include.ini\n"), 4,
     "bad_include.ini:4: rate: expected a rate such as 40/h"},
    /* [channel] profile and its CSV */
    {IN_CHAN("profile = nothing.csv\n"), 5,
     "shop.ini:5: profile: cannot read \"nothing.csv\": No such file or directory"},
    {IN_CHAN("profile = " DATA "bad_negative.csv\n"), 3,
     "bad_negative.csv:3: multiplier: expected a number >= 0, got \"-2\""},
    {IN_CHAN("profile = " DATA "bad_decreasing.csv\n"), 4,
     "bad_decreasing.csv:4: time: expected times increasing row by row, got \"1h\""},
    {IN_CHAN("profile = " DATA "bad_number.csv\n"), 3, "bad_number.csv:3: multiplier: expected"},
    {IN_CHAN("profile = " DATA "bad_nan.csv\n"), 3, "bad_nan.csv:3: multiplier: expected"},
    {IN_CHAN("profile = " DATA "bad_inf.csv\n"), 3, "bad_inf.csv:3: multiplier: expected"},
    {IN_CHAN("profile = " DATA "bad_ragged.csv\n"), 2,
     "bad_ragged.csv:2: expected 2 cells as in line 1, got 3"},
    {IN_CHAN("profile = " DATA "bad_blank.csv\n"), 3,
     "bad_blank.csv:3: expected no blank line between rows"},
    {IN_CHAN("profile = " DATA "bad_quote.csv\n"), 2,
     "bad_quote.csv:2: expected a closing quote before the end of the file"},
    {IN_CHAN("profile = " DATA "bad_quote2.csv\n"), 3,
     "bad_quote2.csv:3: expected quotes only around a whole cell"},
    {IN_CHAN("profile = " DATA "bad_empty.csv\n"), 0,
     "bad_empty.csv: expected rows of time,multiplier, got an empty file"},
    {IN_CHAN("profile = " DATA "bad_first.csv\n"), 2,
     "bad_first.csv:2: time: expected 0s in the first row, got \"1h\""},
    {IN_CHAN("profile = " DATA "bad_unit.csv\n"), 2,
     "bad_unit.csv:2: time: expected a duration such as 5m, got \"0\""},
    {IN_CHAN("profile = " DATA "bad_mixed.csv\n"), 3,
     "bad_mixed.csv:3: time: expected a duration from start such as 2d14h as in the first row"},
    {IN_CHAN("profile = " DATA "bad_nul.csv\n"), 3, "bad_nul.csv:3: expected text, got a NUL byte"},
    {IN_CHAN("profile = " DATA "bad_rows.csv\n"), 0,
     "bad_rows.csv: multiplier: expected 168 hour-of-week rows (mon 00:00 first), got 100"},
    {IN_CHAN("profile = " DATA "bad_header.csv\n"), 1,
     "bad_header.csv:1: expected a header row time,multiplier"},
    {IN_CHAN("profile =\n"), 5, "shop.ini:5: profile: expected a CSV file name"},
    {IN_CHAN("dispersion = -1\n"), 5, "dispersion: expected a number >= 0, got \"-1\""},
    {IN_CHAN("dispersion = lots\n"), 5, "dispersion: expected a number"},
    /* [channel] trace */
    {IN_CHAN("trace = " DATA "trace.csv\n"), 4, "rate: expected rate or trace in [channel tw], not both"},
    {TRACE("nothing.csv"), 4, "shop.ini:4: trace: cannot read \"nothing.csv\""},
    {TRACE(DATA "bad_trace_type.csv"), 2,
     "bad_trace_type.csv:2: type: expected a type defined by a [type NAME] section, got \"nosuch\""},
    {TRACE(DATA "bad_trace_order.csv"), 3, "bad_trace_order.csv:3: time: expected rows sorted by time"},
    {TRACE(DATA "bad_trace_notime.csv"), 1,
     "bad_trace_notime.csv:1: expected a header row with a time column"},
    {TRACE(DATA "bad_trace_col.csv"), 1,
     "bad_trace_col.csv:1: expected a header row of columns time, type, followers, handle, got \"colour\""},
    {TRACE(DATA "bad_trace_followers.csv"), 2,
     "bad_trace_followers.csv:2: followers: expected a number >= 0"},
    {TRACE(DATA "bad_trace_handle.csv"), 2,
     "bad_trace_handle.csv:2: handle: expected a duration such as 5m"},
    {TRACE(DATA "bad_trace_date.csv"), 2,
     "bad_trace_date.csv:2: time: expected a duration from start such as 2d14h or a timestamp"},
    {TRACE(DATA "bad_trace_forms.csv"), 3,
     "bad_trace_forms.csv:3: time: expected a timestamp such as 2015-10-14T09:30Z as in the first"},
    {TRACE(DATA "bad_trace_twice.csv"), 1, "bad_trace_twice.csv:1: expected each column once"},
    {TRACE(DATA "trace_partial.csv"), 3,
     "shop.ini:3: mix: required when there is more than one type and the trace"},
    /* [burst NAME] */
    {BURST("at = 1h\nrate = 1/h\nhalf_life = 1h\n"), 9, "channel: missing, required in [burst b]"},
    {BURST("channel = zz\nat = 1h\nrate = 1/h\nhalf_life = 1h\n"), 10,
     "channel: expected a channel defined by a [channel NAME] section, got \"zz\""},
    {BURST("channel = tw\nat = 8d\nrate = 1/h\nhalf_life = 1h\n"), 11,
     "at: expected a time before the horizon (1w), got 8d"},
    {BURST("channel = tw\nat = 5\nrate = 1/h\nhalf_life = 1h\n"), 11, "at: expected a duration such as 5m"},
    {BURST("channel = tw\nat = 1h\nrate = 0/h\nhalf_life = 1h\n"), 12, "rate: expected a rate > 0"},
    {BURST("channel = tw\nat = 1h\nrate = 1/h\nhalf_life = 0s\n"), 13,
     "half_life: expected a duration > 0"},
    {BURST("channel = tw\nat = 1h\nrate = 1/h\nhalf_life = 1h\nmix = zz:1\n"), 14,
     "mix: expected a type defined"},
    {BURST("channel = tw\nat = 1h\nrate = 1/h\nhalf_life = 1h\nmix = q:0.5\n"), 14,
     "mix: expected shares summing to 1, got 0.5"},
    /* [type] keys of later issues */
    {IN_TYPE("followup = 1.5\n"), 7, "followup: expected a probability"},
    {IN_TYPE("followup = 0.6\nswitch = 0.6\nswitch_to = tw\n"), 8,
     "switch: expected followup + switch <= 1, got 0.6 + 0.6"},
    {IN_TYPE("switch = 0.5\n"), 5, "switch_to: missing in [type q], required when switch > 0"},
    {IN_TYPE("switch_to = zz\n"), 7,
     "switch_to: expected a channel defined by a [channel NAME] section, got \"zz\""},
    {IN_TYPE("priority = high\n"), 7, "priority: expected a whole number"},
    {IN_TYPE("priority = 1.5\n"), 7, "priority: expected a whole number"},
    {IN_TYPE("value = -3\n"), 7, "value: expected a number >= 0"},
    {IN_TYPE("followers = never\n"), 7, "followers: "},
    {IN_TYPE("followers = pareto(alpha=1.5, min=10m)\n"), 7, "followers: "},
    /* [staff] and [shift NAME] */
    {IN_STAFF("agents = 1\nschedule = " DATA "schedule.csv\n"), 9,
     "schedule: expected agents or schedule in [staff], not both"},
    {IN_STAFF("schedule = " DATA "bad_agents.csv\n"), 3, "bad_agents.csv:3: agents: expected a whole number"},
    {IN_STAFF("schedule = " DATA "bad_agents_neg.csv\n"), 3,
     "bad_agents_neg.csv:3: agents: expected a whole number"},
    {IN_STAFF("schedule = " DATA "profile_times.csv\n"), 1,
     "profile_times.csv:1: expected a header row time,agents"},
    {IN_STAFF("schedule = nothing.csv\n"), 8, "shop.ini:8: schedule: cannot read \"nothing.csv\""},
    {IN_STAFF("concurrency = 0\n"), 8, "concurrency: expected a whole number"},
    {IN_STAFF("shift_end = later\n"), 8, "shift_end: expected finish or handoff, got \"later\""},
    {SHIFT("start = 09:00\nlength = 8h\nagents = 1\n"), 7, "days: missing, required in [shift s]"},
    {SHIFT("days = mon-fry\nstart = 09:00\nlength = 8h\nagents = 1\n"), 8, "days: expected a weekday"},
    {SHIFT("days = mon, sun-tue\nstart = 09:00\nlength = 8h\nagents = 1\n"), 8,
     "days: expected each day once, got \"sun-tue\" again"},
    {SHIFT("days = mon\nstart = 9am\nlength = 8h\nagents = 1\n"), 9, "start: expected a clock time"},
    {SHIFT("days = mon\nstart = 24:00\nlength = 8h\nagents = 1\n"), 9,
     "start: expected a clock time from 00:00 to 23:59"},
    {SHIFT("days = mon\nstart = 09:00\nlength = 8d\nagents = 1\n"), 10,
     "length: expected a duration > 0 and at most 7d"},
    {SHIFT("days = mon\nstart = 09:00\nlength = 8\nagents = 1\n"), 10, "length: expected a duration such as 5m"},
    {SHIFT("days = mon\nstart = 09:00\nlength = 8h\nagents = -1\n"), 11, "agents: expected a whole number"},
    {SHIFT("days = mon\nstart = 09:00\nlength = 8h\nagents = 1\nchannels = zz\n"), 12,
     "channels: expected a channel defined by a [channel NAME] section, got \"zz\""},
    {SHIFT("days = mon\nstart = 09:00\nlength = 8h\nagents = 1\nbreak = 8h\n"), 12,
     "break: expected a duration >= 0 and shorter than the length (8h)"},
    /* [policy] keys of later issues */
    {IN_POLICY("weights = age:1, speed:2\n"), 10,
     "weights: expected a weight age, priority, influence, public or deadline, got \"speed\""},
    {IN_POLICY("weights = age:1, age:2\n"), 10, "weights: expected each weight once, got \"age\" twice"},
    {IN_POLICY("weights = age:-1\n"), 10, "weights: expected a number >= 0"},
    {IN_POLICY("max_age = 0s\n"), 10, "max_age: expected a duration > 0 such as 2d, or none"},
    {IN_POLICY("max_age = 5\n"), 10, "max_age: expected a duration > 0 such as 2d, or none"},
    {IN_POLICY("hours = mon-fri 9-17\n"), 10, "hours: expected a clock time"},
    {IN_POLICY("hours = mon-fri\n"), 10, "hours: expected a clock time"},
    {IN_POLICY("hours = mon 09:00\n"), 10, "hours: expected days and hours such as mon-fri 09:00-17:00"},
    {IN_POLICY("hours = mon-fri 09:00-17:00, mon 16:00-18:00\n"), 10,
     "hours: expected spans that do not overlap, got mon 09:00 and mon 16:00 overlapping"},
    {IN_POLICY("hours = sun 22:00-02:00, mon 01:00-03:00\n"), 10,
     "hours: expected spans that do not overlap, got sun 22:00 and mon 01:00 overlapping"},
    {IN_POLICY("hours = mon 09:00-09:00\n"), 10, "hours: expected a start"},
    {IN_POLICY("autoack = 0.5\n"), 10, "autoack: expected a factor >= 1"},
    {IN_POLICY("bot = 1.5\n"), 10, "bot: expected a probability"},
    {IN_POLICY("bot = 0.5\n"), 9, "bot_types: required when bot > 0"},
    {IN_POLICY("bot = 0.5\nbot_types = zz\n"), 11, "bot_types: expected a type defined"},
    /* [outcome] */
    {ALL "[foo]\n", 9, "[shift NAME], [policy] or [outcome]"},
    {ALL "[outcome x]\n", 9, "[outcome x]: expected [outcome] without a name"},
    {IN_OUTCOME("tau = 0s\n"), 10, "tau: expected a duration > 0 such as 12m, got \"0s\""},
    {IN_OUTCOME("tau = 12\n"), 10, "tau: expected a duration such as 5m"},
    {IN_OUTCOME("phi = 1.5\n"), 10, "phi: expected a probability from 0 to 1"},
    {IN_OUTCOME("recommend_p1 = -0.1\n"), 10, "recommend_p1: expected a probability"},
    {IN_OUTCOME("recommend_p0 = 2\n"), 10, "recommend_p0: expected a probability"},
    {IN_OUTCOME("spend_s = -1\n"), 10, "spend_s: expected a number >= 0, got \"-1\""},
    {IN_OUTCOME("spend_cap = x\n"), 10, "spend_cap: expected a number"},
    {IN_OUTCOME("defect_d = 1.01\n"), 10, "defect_d: expected a probability"},
    {IN_OUTCOME("defect_kappa = -1\n"), 10, "defect_kappa: expected a probability"},
    {IN_OUTCOME("negative_a = 3\n"), 10, "negative_a: expected a probability"},
    {IN_OUTCOME("positive_b = 0.3\npositive_b = 0.4\n"), 11,
     "positive_b: given twice in [outcome], first on line 10"},
    {IN_OUTCOME("onlooker_less = 88.3%\n"), 10, "onlooker_less: expected"},
    {IN_OUTCOME("onlooker_delta = -0.1\n"), 10, "onlooker_delta: expected a probability"},
    {IN_OUTCOME("onlooker_purchase = 2\n"), 10, "onlooker_purchase: expected a probability"},
    {IN_OUTCOME("complaint_types = zz\n"), 10,
     "complaint_types: expected a type defined by a [type NAME] section, got \"zz\""},
    {IN_OUTCOME("complaint_types = q, q\n"), 10,
     "complaint_types: expected each type once, got \"q\" twice"},
    {IN_OUTCOME("complaint_types =\n"), 10, "complaint_types: expected names separated by commas"},
    {IN_OUTCOME("kappa = 0.5\n"), 10,
     "kappa: unknown key in [outcome], expected one of tau, phi, recommend_p1"},
};

START_TEST(malformed)
{
    const struct bad *b = &bad[_i];
    struct rs_scenario *sc = NULL;
    struct rs_error err = {0};
    char msg[1024];
    int rc = load(b->text, &sc, &err);
    format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_EINPUT, "row %d: expected RS_EINPUT, got %d (%s)", _i, rc, msg);
    ck_assert_ptr_null(sc);
    ck_assert_msg(err.line == b->line, "row %d: expected line %d, got %d (%s)", _i, b->line,
                  err.line, msg);
    ck_assert_msg(strstr(msg, b->msg) != NULL, "row %d: expected \"%s\" in \"%s\"", _i, b->msg,
                  msg);
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
    tcase_add_test(tw, round_trip);
    tcase_add_test(tw, written_form);
    tcase_add_test(tw, every_later_key_round_trips);
    tcase_add_test(tw, schedule_and_iso_trace);
    tcase_add_test(tw, set_overrides);
    tcase_add_test(tw, include_overrides);
    suite_add_tcase(s, tw);
    TCase *tb = tcase_create("malformed");
    tcase_add_loop_test(tb, malformed, 0, (int)(sizeof bad / sizeof bad[0]));
    suite_add_tcase(s, tb);
    return s;
}
