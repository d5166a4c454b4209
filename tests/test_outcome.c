/* test_outcome.c: the outcome model (sim/outcome.c), its [outcome] section
 * and its metrics in the summary, against the formulas of docs/outcomes.md.
 *
 * The outcome metrics are expected values, sums over counted inbox
 * messages of functions of each message's goodwill G.  Where every
 * latency is known the sums are known in closed form:
 *   - constant handle time h, ample agents, no patience: every message is
 *     answered at exactly L = h, so G = phi + (1 - phi) exp(-h / tau);
 *   - no agents (or every message withdrawn or dropped): G = 0.
 * Each replication's metric is then (its own count of messages) times the
 * per-message formula, computed here independently; they must agree to
 * 1e-9 relative (a sum of doubles, and L = (t + h) - t rounds).
 * Invariants check that each counted inbox message is counted once,
 * whatever its fate, in a busy scenario with every fate. */
#include "replysim/alloc.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/outcome.h"
#include "replysim/scenario.h"
#include "stats.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REL 1e-9
#define REPS 3

static void assert_close(double got, double want, const char *what)
{
    ck_assert_msg(fabs(got - want) <= REL * fabs(want) + 1e-12, "%s: got %.17g, expected %.17g",
                  what, got, want);
}

/* ------------------------------------------------------------------ */
/* The functions                                                        */
/* ------------------------------------------------------------------ */

START_TEST(defaults)
{
    struct rs_outcome_cfg c;
    rs_outcome_defaults(&c);
    ck_assert(c.tau_s == 720);
    ck_assert(c.phi == 0.10);
    ck_assert(c.recommend_p1 == 0.71);
    ck_assert(c.recommend_p0 == 0.19);
    ck_assert(c.spend_s == 0.20);
    ck_assert(c.spend_cap == 0.40);
    ck_assert(c.defect_d == 0.27);
    ck_assert(c.defect_kappa == 0.5);
    ck_assert(c.negative_a == 0.45);
    ck_assert(c.positive_b == 0.30);
    ck_assert(c.onlooker_less == 0.883);
    ck_assert(c.onlooker_delta == 0.1);
    ck_assert(c.onlooker_purchase == 0.02);
    ck_assert(c.complaint_types == RS_OUTCOME_COMPLAINT_NAMED);

    /* rs_scenario_defaults fills the same */
    struct rs_scenario *sc = rs_calloc(1, sizeof *sc);
    rs_scenario_defaults(sc);
    const struct rs_outcome_cfg *o = &sc->outcome;
    ck_assert(o->tau_s == c.tau_s && o->phi == c.phi && o->recommend_p1 == c.recommend_p1 &&
              o->recommend_p0 == c.recommend_p0 && o->spend_s == c.spend_s &&
              o->spend_cap == c.spend_cap && o->defect_d == c.defect_d &&
              o->defect_kappa == c.defect_kappa && o->negative_a == c.negative_a &&
              o->positive_b == c.positive_b && o->onlooker_less == c.onlooker_less &&
              o->onlooker_delta == c.onlooker_delta &&
              o->onlooker_purchase == c.onlooker_purchase &&
              o->complaint_types == c.complaint_types);
    free(sc);
}
END_TEST

START_TEST(goodwill)
{
    struct rs_outcome_cfg c;
    rs_outcome_defaults(&c);
    ck_assert(rs_outcome_goodwill(&c, 1, 0) == 1);
    ck_assert(rs_outcome_goodwill(&c, 0, 0) == 0);
    ck_assert(rs_outcome_goodwill(&c, 0, 1e9) == 0);
    assert_close(rs_outcome_goodwill(&c, 1, 720), 0.1 + 0.9 * exp(-1.0), "G(tau)");
    assert_close(rs_outcome_goodwill(&c, 1, 3600), 0.1 + 0.9 * exp(-5.0), "G(1h)");
    ck_assert(rs_outcome_goodwill(&c, 1, INFINITY) == c.phi);
    /* the airline fit of docs/outcomes.md, 2.33 + 21.7 exp(-L / 12m) dollars, is
     * 24.03 G(L) with phi = 2.33 / 24.03 */
    c.phi = 2.33 / 24.03;
    for (double L = 0; L < 7200; L += 450)
        assert_close(24.03 * rs_outcome_goodwill(&c, 1, L), 2.33 + 21.7 * exp(-L / 720), "fit");
    c.phi = 0.25;
    c.tau_s = 600;
    assert_close(rs_outcome_goodwill(&c, 1, 300), 0.25 + 0.75 * exp(-0.5), "G with phi, tau");
}
END_TEST

START_TEST(effects)
{
    struct rs_outcome_cfg c;
    rs_outcome_defaults(&c);
    struct rs_outcome_sums d;
    double g = 0.6, v = 50, f = 1000;

    /* a complaint on a public channel: every effect */
    rs_outcome_effects(&c, g, v, f, 1, 1, &d);
    assert_close(d.recommenders, 0.19 + 0.52 * 0.6, "recommenders");
    assert_close(d.spend_uplift, 50 * 0.20 * 0.6, "spend_uplift");
    assert_close(d.defectors, 0.5 * 0.27 * 0.4, "defectors");
    assert_close(d.negative_posts, 0.45 * 0.4, "negative_posts");
    assert_close(d.negative_reach, 0.45 * 0.4 * 1000, "negative_reach");
    assert_close(d.positive_shares, 0.30 * 0.6, "positive_shares");
    assert_close(d.onlooker_loss, 0.4 * 1000 * 0.02 * 0.883 * 0.1, "onlooker_loss");

    /* on a private channel: no onlookers */
    rs_outcome_effects(&c, g, v, f, 0, 1, &d);
    ck_assert(d.onlooker_loss == 0);
    assert_close(d.defectors, 0.5 * 0.27 * 0.4, "defectors, private");
    /* not a complaint: no defectors, no onlookers; the rest as before */
    rs_outcome_effects(&c, g, v, f, 1, 0, &d);
    ck_assert(d.defectors == 0);
    ck_assert(d.onlooker_loss == 0);
    assert_close(d.negative_reach, 0.45 * 0.4 * 1000, "negative_reach, not a complaint");
    assert_close(d.recommenders, 0.19 + 0.52 * 0.6, "recommenders, not a complaint");

    /* the cap on the spend multiplier */
    c.spend_s = 2;
    rs_outcome_effects(&c, g, v, f, 1, 1, &d);
    assert_close(d.spend_uplift, 50 * 0.40, "spend_uplift at the cap");
    c.spend_cap = 5;
    rs_outcome_effects(&c, g, v, f, 1, 1, &d);
    assert_close(d.spend_uplift, 50 * 2 * 0.6, "spend_uplift under a higher cap");

    /* G = 0 and G = 1 */
    rs_outcome_defaults(&c);
    rs_outcome_effects(&c, 0, v, f, 1, 1, &d);
    ck_assert(d.recommenders == 0.19 && d.spend_uplift == 0 && d.positive_shares == 0);
    assert_close(d.onlooker_loss, 1000 * 0.02 * 0.883 * 0.1, "onlooker_loss at G = 0");
    rs_outcome_effects(&c, 1, v, f, 1, 1, &d);
    ck_assert(d.defectors == 0 && d.negative_posts == 0 && d.negative_reach == 0 &&
              d.onlooker_loss == 0);
    assert_close(d.recommenders, 0.71, "recommenders at G = 1");
}
END_TEST

START_TEST(add_accumulates)
{
    struct rs_outcome_cfg c;
    rs_outcome_defaults(&c);
    struct rs_outcome_sums s = {0}, d1, d2;
    rs_outcome_add(&c, &s, 1, 300, 10, 20, 1, 1);
    rs_outcome_add(&c, &s, 0, 0, 10, 20, 1, 1);
    rs_outcome_effects(&c, rs_outcome_goodwill(&c, 1, 300), 10, 20, 1, 1, &d1);
    rs_outcome_effects(&c, 0, 10, 20, 1, 1, &d2);
    assert_close(s.recommenders, d1.recommenders + d2.recommenders, "recommenders");
    assert_close(s.spend_uplift, d1.spend_uplift + d2.spend_uplift, "spend_uplift");
    assert_close(s.defectors, d1.defectors + d2.defectors, "defectors");
    assert_close(s.negative_posts, d1.negative_posts + d2.negative_posts, "negative_posts");
    assert_close(s.negative_reach, d1.negative_reach + d2.negative_reach, "negative_reach");
    assert_close(s.positive_shares, d1.positive_shares + d2.positive_shares, "positive_shares");
    assert_close(s.onlooker_loss, d1.onlooker_loss + d2.onlooker_loss, "onlooker_loss");
}
END_TEST

START_TEST(total_of_pairs)
{
    /* the simulator's four sums per (channel, type) give the same seven
     * effects as adding rs_outcome_effects message by message */
    static const double lat[] = {0, 30, 300, 720, 3600, 86400};
    static const double fol[] = {0, 12, 5000, 1, 77, 3};
    struct rs_outcome_cfg c;
    rs_outcome_defaults(&c);
    for (int cap = 0; cap < 2; cap++) {
        if (cap) c.spend_s = 1.5; /* the cap binds for small latencies */
        for (int kind = 0; kind < 4; kind++) {
            int public_ = kind & 1, complaint = kind >> 1;
            struct rs_outcome_acc a = {0};
            struct rs_outcome_sums direct = {0}, total = {0};
            for (int k = 0; k < 12; k++) {
                int answered = k < 6;
                rs_outcome_record(&c, &a, answered, lat[k % 6], fol[k % 6]);
                rs_outcome_add(&c, &direct, answered, lat[k % 6], 30, fol[k % 6], public_,
                               complaint);
            }
            rs_outcome_total(&c, &a, 30, public_, complaint, &total);
            ck_assert(a.n == 12);
            assert_close(total.recommenders, direct.recommenders, "recommenders");
            assert_close(total.spend_uplift, direct.spend_uplift, "spend_uplift");
            assert_close(total.defectors, direct.defectors, "defectors");
            assert_close(total.negative_posts, direct.negative_posts, "negative_posts");
            assert_close(total.negative_reach, direct.negative_reach, "negative_reach");
            assert_close(total.positive_shares, direct.positive_shares, "positive_shares");
            assert_close(total.onlooker_loss, direct.onlooker_loss, "onlooker_loss");
        }
    }
}
END_TEST

/* ------------------------------------------------------------------ */
/* Running scenarios                                                    */
/* ------------------------------------------------------------------ */

static struct rs_scenario *load(const char *text)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    char msg[1024];
    memset(&err, 0, sizeof err);
    int rc = rs_scenario_load_string(text, "outcome.ini", &sc, &err);
    rs_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "scenario rejected: %s", msg);
    return sc;
}

static struct rs_results *run(const struct rs_scenario *sc)
{
    struct rs_run_opts opts = {.replications = REPS, .seed = sc->seed, .threads = 2};
    struct rs_results *res = NULL;
    struct rs_error err;
    char msg[1024];
    memset(&err, 0, sizeof err);
    int rc = rs_experiment_run(sc, &opts, &res, &err);
    rs_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "run failed: %s", msg);
    return res;
}

/* One replication's value of metric in scope. */
static double val(const struct rs_results *r, const char *metric, const char *scope, int rep)
{
    int m = rs_results_find_metric(r, metric), s = rs_results_find_scope(r, scope);
    ck_assert_msg(m >= 0 && s >= 0, "no %s in %s", metric, scope);
    return rs_results_value(r, m, s, rep);
}

/* Checks metric in scope against n(rep) * per_message in every
 * replication, n being the count metric `count` of that scope. */
static void check_per_message(const struct rs_results *r, const char *metric, const char *scope,
                              const char *count, double per_message)
{
    char what[128];
    for (int rep = 0; rep < rs_results_replications(r); rep++) {
        double n = val(r, count, scope, rep);
        ck_assert_msg(n > 100, "%s %s: only %g messages", scope, count, n);
        snprintf(what, sizeof what, "%s %s rep %d", metric, scope, rep);
        assert_close(val(r, metric, scope, rep), n * per_message, what);
    }
}

/* A one-channel scenario: constant handle, ample agents, no patience; its
 * one type declared a complaint; outcome: more [outcome] keys. */
#define PROMPT(outcome)                                                                            \
    "[scenario]\nhorizon = 1d\nreplications = 3\nseed = 7\n"                                       \
    "[channel tw]\nrate = 60/h\n"                                                                  \
    "[type q]\nhandle = const(5m)\nvalue = 40\nfollowers = const(250)\n"                           \
    "[staff]\nagents = 100\n[outcome]\ncomplaint_types = q\n" outcome

/* The per-message effects at goodwill g, written out from docs/outcomes.md. */
struct per_msg {
    double rec, spend, defect, neg, reach, pos, onlook;
};

static struct per_msg formulas(double tau, double phi, double p1, double p0, double s, double cap,
                               double d, double kappa, double a, double b, double less,
                               double delta, double purchase, double h, int answered, double value,
                               double followers, int complaint_public)
{
    double g = answered ? phi + (1 - phi) * exp(-h / tau) : 0;
    struct per_msg e;
    e.rec = p0 + (p1 - p0) * g;
    e.spend = value * fmin(s * g, cap);
    e.defect = kappa * d * (1 - g);
    e.neg = a * (1 - g);
    e.reach = a * (1 - g) * followers;
    e.pos = b * g;
    e.onlook = complaint_public ? (1 - g) * followers * purchase * less * delta : 0;
    return e;
}

static void check_all_effects(const struct rs_results *r, const char *scope, const char *count,
                              const struct per_msg *e)
{
    check_per_message(r, "recommenders", scope, count, e->rec);
    check_per_message(r, "spend_uplift", scope, count, e->spend);
    check_per_message(r, "defectors", scope, count, e->defect);
    check_per_message(r, "negative_posts", scope, count, e->neg);
    check_per_message(r, "negative_reach", scope, count, e->reach);
    check_per_message(r, "positive_shares", scope, count, e->pos);
    check_per_message(r, "onlooker_loss", scope, count, e->onlook);
}

START_TEST(answered_at_known_latency)
{
    struct rs_scenario *sc = load(PROMPT(""));
    struct rs_results *r = run(sc);
    /* every message answered at exactly 5 minutes */
    for (int rep = 0; rep < REPS; rep++) {
        ck_assert(val(r, "response_rate", "all", rep) == 1);
        assert_close(val(r, "frt_mean_s", "all", rep), 300, "frt_mean_s");
    }
    struct per_msg e = formulas(720, 0.10, 0.71, 0.19, 0.20, 0.40, 0.27, 0.5, 0.45, 0.30, 0.883,
                                0.1, 0.02, 300, 1, 40, 250, 1);
    const char *scopes[] = {"all", "channel:tw", "type:q"};
    for (int k = 0; k < 3; k++)
        check_all_effects(r, scopes[k], "offered", &e);
    /* the closed form itself, written out once more */
    double g = 0.1 + 0.9 * exp(-300.0 / 720.0);
    check_per_message(r, "recommenders", "all", "offered", 0.19 + 0.52 * g);
    check_per_message(r, "spend_uplift", "all", "offered", 40 * 0.2 * g);
    check_per_message(r, "positive_shares", "all", "offered", 0.3 * g);
    rs_results_destroy(r);
    rs_scenario_destroy(sc);
}
END_TEST

START_TEST(parameters_change_results)
{
    struct rs_scenario *sc = load(PROMPT("tau = 30m\nphi = 0.2\nrecommend_p1 = 0.9\n"
                                         "recommend_p0 = 0.05\nspend_s = 3\nspend_cap = 0.5\n"
                                         "defect_d = 0.6\ndefect_kappa = 0.25\nnegative_a = 0.5\n"
                                         "positive_b = 0.7\nonlooker_less = 0.5\n"
                                         "onlooker_delta = 0.3\nonlooker_purchase = 0.1\n"));
    struct rs_results *r = run(sc);
    /* spend_s = 3: the cap binds */
    struct per_msg e = formulas(1800, 0.2, 0.9, 0.05, 3, 0.5, 0.6, 0.25, 0.5, 0.7, 0.5, 0.3, 0.1,
                                300, 1, 40, 250, 1);
    check_all_effects(r, "all", "offered", &e);
    check_per_message(r, "spend_uplift", "all", "offered", 40 * 0.5);
    rs_results_destroy(r);
    rs_scenario_destroy(sc);

    /* the same through --set */
    char path[] = "/tmp/rs_test_outcome_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(PROMPT(""), f);
    fclose(f);
    const char *sets[] = {"outcome.tau=1h", "outcome.phi=0", "outcome.positive_b=1"};
    struct rs_error err;
    memset(&err, 0, sizeof err);
    sc = NULL;
    ck_assert_int_eq(rs_scenario_load_with(path, sets, 3, &sc, &err), RS_OK);
    unlink(path);
    ck_assert(sc->outcome.tau_s == 3600 && sc->outcome.phi == 0 && sc->outcome.positive_b == 1);
    r = run(sc);
    check_per_message(r, "positive_shares", "all", "offered", exp(-300.0 / 3600.0));
    rs_results_destroy(r);
    rs_scenario_destroy(sc);
}
END_TEST

START_TEST(nothing_answered)
{
    /* no agents: everything is open when the run stops; then the same
     * with every message withdrawn (abandon = leave) or dropped (max_age) */
    static const char *const variants[] = {
        "[staff]\nagents = 0\n",
        "[staff]\nagents = 0\n[policy]\nabandon = leave\n",
        "[staff]\nagents = 0\n[policy]\nmax_age = 2h\n",
    };
    static const char *const fates[] = {"backlog_end", "abandon_rate", "dropped_rate"};
    for (int v = 0; v < 3; v++) {
        char text[2048];
        snprintf(text, sizeof text,
                 "[scenario]\nhorizon = 1d\nseed = 3\n"
                 "[channel tw]\nrate = 30/h\n"
                 "[type complaint]\nhandle = const(5m)\npatience = const(30m)\nvalue = 40\n"
                 "followers = const(1200)\n%s",
                 variants[v]);
        struct rs_scenario *sc = load(text);
        struct rs_results *r = run(sc);
        for (int rep = 0; rep < REPS; rep++) {
            ck_assert(val(r, "response_rate", "all", rep) == 0);
            if (v > 0) ck_assert(val(r, fates[v], "all", rep) == 1);
        }
        struct per_msg e = formulas(720, 0.10, 0.71, 0.19, 0.20, 0.40, 0.27, 0.5, 0.45, 0.30, 0.883,
                                    0.1, 0.02, 0, 0, 40, 1200, 1);
        check_all_effects(r, "all", "offered", &e);
        check_per_message(r, "defectors", "all", "offered", 0.5 * 0.27);
        check_per_message(r, "negative_reach", "all", "offered", 0.45 * 1200);
        check_per_message(r, "onlooker_loss", "all", "offered", 1200 * 0.02 * 0.883 * 0.1);
        rs_results_destroy(r);
        rs_scenario_destroy(sc);
    }
}
END_TEST

START_TEST(summary_of_a_pair)
{
    /* rs_outcome_summarize reads value, complaint (needs a reply and is in
     * complaint_types) and visibility from the scenario */
    struct rs_scenario *sc = load("[scenario]\nhorizon = 1d\n"
                                  "[channel pub]\nrate = 1/h\nmix = complaint:0.5, question:0.5\n"
                                  "[channel dm]\nvisibility = private\nrate = 1/h\n"
                                  "mix = complaint:0.5, question:0.5\n"
                                  "[type complaint]\nhandle = const(5m)\nvalue = 40\n"
                                  "[type question]\nhandle = const(5m)\nvalue = 10\n"
                                  "[staff]\nagents = 1\n"
                                  "[outcome]\ncomplaint_types = complaint\n");
    struct rs_outcome_acc a = {0};
    rs_outcome_record(&sc->outcome, &a, 1, 600, 300);
    rs_outcome_record(&sc->outcome, &a, 0, 0, 2000);
    for (int ch = 0; ch < 2; ch++)
        for (int ty = 0; ty < 2; ty++) {
            struct rs_outcome_sums got = {.recommenders = 99}, want = {0};
            rs_outcome_summarize(sc, ch, ty, &a, &got);
            rs_outcome_total(&sc->outcome, &a, ty == 0 ? 40 : 10, ch == 0, ty == 0, &want);
            ck_assert(memcmp(&got, &want, sizeof got) == 0);
            ck_assert((got.onlooker_loss > 0) == (ch == 0 && ty == 0));
            ck_assert((got.defectors > 0) == (ty == 0));
        }
    rs_scenario_destroy(sc);
}
END_TEST

START_TEST(complaints_and_public_channels)
{
    /* nothing answered (G = 0); complaints on a public and a private
     * channel, questions on the public one only; only complaints defect,
     * only complaints on the public channel have onlookers */
    struct rs_scenario *sc = load("[scenario]\nhorizon = 1d\nseed = 11\n"
                                  "[channel pub]\nrate = 40/h\nmix = complaint:0.5, question:0.5\n"
                                  "[channel dm]\nvisibility = private\nrate = 20/h\n"
                                  "mix = complaint:1\n"
                                  "[type complaint]\nhandle = const(5m)\nfollowers = const(800)\n"
                                  "[type question]\nhandle = const(5m)\nfollowers = const(50)\n"
                                  "[type like]\nreply = no\n"
                                  "[staff]\nagents = 0\n"
                                  "[outcome]\ncomplaint_types = complaint\n");
    ck_assert_uint_eq(sc->outcome.complaint_types, 1);
    struct rs_results *r = run(sc);
    double kd = 0.5 * 0.27, look = 0.02 * 0.883 * 0.1;
    char what[128];
    for (int rep = 0; rep < REPS; rep++) {
        double n_pub = val(r, "offered", "channel:pub", rep);
        double n_dm = val(r, "offered", "channel:dm", rep);
        double n_q = val(r, "offered", "type:question", rep);
        double n_c = val(r, "offered", "type:complaint", rep);
        double pub_c = n_pub - n_q; /* complaints on the public channel */
        ck_assert(n_c == pub_c + n_dm);
        ck_assert(pub_c > 100 && n_dm > 100);
        snprintf(what, sizeof what, "rep %d", rep);
        assert_close(val(r, "defectors", "type:complaint", rep), n_c * kd, what);
        ck_assert(val(r, "defectors", "type:question", rep) == 0);
        assert_close(val(r, "defectors", "channel:pub", rep), pub_c * kd, what);
        assert_close(val(r, "defectors", "channel:dm", rep), n_dm * kd, what);
        assert_close(val(r, "defectors", "all", rep), n_c * kd, what);
        assert_close(val(r, "onlooker_loss", "channel:pub", rep), pub_c * 800 * look, what);
        ck_assert(val(r, "onlooker_loss", "channel:dm", rep) == 0);
        ck_assert(val(r, "onlooker_loss", "type:question", rep) == 0);
        assert_close(val(r, "onlooker_loss", "type:complaint", rep), pub_c * 800 * look, what);
        assert_close(val(r, "onlooker_loss", "all", rep), pub_c * 800 * look, what);
        /* every message that needs a reply posts negatively, complaint or not */
        assert_close(val(r, "negative_reach", "type:question", rep), n_q * 0.45 * 50, what);
        assert_close(val(r, "negative_reach", "all", rep), 0.45 * (n_c * 800 + n_q * 50), what);
        assert_close(val(r, "recommenders", "all", rep), 0.19 * (n_c + n_q), what);
    }
    rs_results_destroy(r);
    rs_scenario_destroy(sc);

    /* by default only the type named complaint is a complaint */
    sc = load("[scenario]\nhorizon = 1d\nseed = 11\n"
              "[channel pub]\nrate = 40/h\nmix = complaint:0.5, question:0.5\n"
              "[type complaint]\nhandle = const(5m)\n[type question]\nhandle = const(5m)\n"
              "[staff]\nagents = 0\n");
    ck_assert_uint_eq(rs_scenario_complaint_mask(sc), 1);
    r = run(sc);
    check_per_message(r, "defectors", "type:complaint", "offered", kd);
    for (int rep = 0; rep < REPS; rep++) {
        ck_assert(val(r, "defectors", "type:question", rep) == 0);
        assert_close(val(r, "defectors", "all", rep), kd * val(r, "offered", "type:complaint", rep),
                     "defectors all");
    }
    rs_results_destroy(r);
    rs_scenario_destroy(sc);
    /* with no type named complaint and no declaration, nothing counts */
    sc = load("[scenario]\nhorizon = 1d\nseed = 11\n"
              "[channel pub]\nrate = 40/h\nmix = gripe:0.5, question:0.5\n"
              "[type gripe]\nhandle = const(5m)\n[type question]\nhandle = const(5m)\n"
              "[staff]\nagents = 0\n");
    ck_assert_uint_eq(rs_scenario_complaint_mask(sc), 0);
    r = run(sc);
    for (int rep = 0; rep < REPS; rep++) {
        ck_assert(val(r, "defectors", "all", rep) == 0);
        ck_assert(val(r, "onlooker_loss", "all", rep) == 0);
        ck_assert(val(r, "negative_posts", "all", rep) > 0); /* every type still posts */
    }
    rs_results_destroy(r);
    rs_scenario_destroy(sc);
}
END_TEST

/* A busy scenario with every fate: answered late or in time, by thread,
 * by the bot, withdrawn, dropped, open at the stop; follow-ups and
 * switches.  policy is more of [policy], outcome the [outcome] section. */
#define BUSY(policy, outcome)                                                                      \
    "[scenario]\nhorizon = 2d\nwarmup = 6h\ndrain = 6h\nseed = 5\n"                                \
    "[channel tw]\nrate = 30/h\nmix = c:0.6, q:0.4\n"                                              \
    "[channel dm]\nvisibility = private\nrate = 10/h\nmix = c:0.5, q:0.5\n"                        \
    "[type c]\nhandle = exponential(mean=6m)\npatience = exponential(mean=40m)\n"                  \
    "followup = 0.4\nswitch = 0.2\nswitch_to = dm\nfollowers = lognormal(mean=300, sd=900)\n"      \
    "value = 25\n"                                                                                 \
    "[type q]\nhandle = exponential(mean=3m)\npatience = exponential(mean=2h)\n"                   \
    "followers = exponential(mean=100)\n"                                                          \
    "[staff]\nagents = 1\n"                                                                        \
    "[policy]\nmax_age = 8h\nbot = 0.2\nbot_types = q\n" policy outcome

START_TEST(each_message_counted_once)
{
    static const char *const scopes[] = {"all", "channel:tw", "channel:dm", "type:c", "type:q"};
    /* p0 = p1 = 1: one recommender per counted inbox message, whatever its fate */
    struct rs_scenario *sc = load(BUSY("", "[outcome]\nrecommend_p0 = 1\nrecommend_p1 = 1\n"));
    struct rs_results *r = run(sc);
    for (int rep = 0; rep < REPS; rep++) {
        ck_assert(val(r, "response_rate", "all", rep) < 0.9);
        ck_assert(val(r, "abandon_rate", "all", rep) == 0);
        ck_assert(val(r, "dropped_rate", "all", rep) > 0);
        ck_assert(val(r, "bot_rate", "all", rep) > 0);
        ck_assert(val(r, "followups", "all", rep) > 0);
        for (int k = 0; k < 5; k++)
            ck_assert_msg(
                val(r, "recommenders", scopes[k], rep) == val(r, "needing_reply", scopes[k], rep),
                "%s rep %d: %g recommenders, %g messages", scopes[k], rep,
                val(r, "recommenders", scopes[k], rep), val(r, "needing_reply", scopes[k], rep));
    }
    rs_results_destroy(r);
    rs_scenario_destroy(sc);

    /* phi = 1, p0 = 0, p1 = 1: G = 1 when answered, whatever the latency,
     * so recommenders count the answered messages; a = 1: negative posts
     * count the others */
    sc = load(BUSY("abandon = leave\n",
                   "[outcome]\nphi = 1\nrecommend_p0 = 0\nrecommend_p1 = 1\nnegative_a = 1\n"));
    r = run(sc);
    for (int rep = 0; rep < REPS; rep++) {
        ck_assert(val(r, "abandon_rate", "all", rep) > 0);
        for (int k = 0; k < 5; k++) {
            double n = val(r, "needing_reply", scopes[k], rep);
            double answered = val(r, "response_rate", scopes[k], rep) * n;
            char what[128];
            snprintf(what, sizeof what, "%s rep %d", scopes[k], rep);
            assert_close(val(r, "recommenders", scopes[k], rep), answered, what);
            assert_close(val(r, "negative_posts", scopes[k], rep), n - answered, what);
        }
    }
    rs_results_destroy(r);
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Metrics, [outcome] in the scenario file                              */
/* ------------------------------------------------------------------ */

START_TEST(metric_names_last)
{
    static const char *const names[] = {"recommenders",   "spend_uplift",   "defectors",
                                        "negative_posts", "negative_reach", "positive_shares",
                                        "onlooker_loss"};
    struct rs_scenario *sc = load(PROMPT(""));
    int nm = rs_stats_n_metrics(sc);
    char buf[64];
    rs_stats_metric_name(sc, nm - 8, buf, sizeof buf);
    ck_assert_str_eq(buf, "backlog_end");
    for (int k = 0; k < 7; k++) {
        rs_stats_metric_name(sc, nm - 7 + k, buf, sizeof buf);
        ck_assert_str_eq(buf, names[k]);
    }
    /* defined per scope, unlike occupancy */
    struct rs_results *r = run(sc);
    for (int k = 0; k < 7; k++) {
        struct rs_summary s;
        ck_assert_int_eq(rs_results_get(r, names[k], "channel:tw", &s), RS_OK);
        ck_assert_int_eq(s.n, REPS);
        ck_assert(isfinite(s.ci_low) && isfinite(s.ci_high));
        ck_assert_int_eq(rs_results_get(r, names[k], "type:q", &s), RS_OK);
        ck_assert_int_eq(s.n, REPS);
    }
    rs_results_destroy(r);
    rs_scenario_destroy(sc);
}
END_TEST

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

START_TEST(section_written_and_read)
{
    /* defaults, written out; the default complaint type is the one named
     * complaint */
    struct rs_scenario *sc = load("[scenario]\nhorizon = 1d\n[channel tw]\nrate = 6/h\n"
                                  "mix = c:0.5, q:0.3, n:0.2\n"
                                  "[type c]\nhandle = const(1m)\n[type q]\nhandle = const(1m)\n"
                                  "[type n]\nreply = no\n[staff]\nagents = 1\n"
                                  "[outcome]\ncomplaint_types = c, q\n");
    char *w = write_text(sc);
    ck_assert_msg(strstr(w, "\n[outcome]\ntau = 12m\nphi = 0.1\nrecommend_p1 = 0.71\n"
                            "recommend_p0 = 0.19\nspend_s = 0.2\nspend_cap = 0.4\n"
                            "defect_d = 0.27\ndefect_kappa = 0.5\nnegative_a = 0.45\n"
                            "positive_b = 0.3\nonlooker_less = 0.883\nonlooker_delta = 0.1\n"
                            "onlooker_purchase = 0.02\ncomplaint_types = c, q\n") != NULL,
                  "%s", w);
    struct rs_scenario *b = load(w);
    ck_assert(rs_scenario_equal(sc, b));
    ck_assert_uint_eq(b->outcome.complaint_types, 3);
    free(w);
    /* a change in any parameter is a different scenario */
    b->outcome.onlooker_purchase = 0.03;
    ck_assert(!rs_scenario_equal(sc, b));
    b->outcome.onlooker_purchase = 0.02;
    b->outcome.complaint_types = 2;
    ck_assert(!rs_scenario_equal(sc, b));
    /* the type that needs no reply never counts */
    b->outcome.complaint_types = 7;
    ck_assert(rs_scenario_equal(sc, b));
    rs_scenario_destroy(b);
    rs_scenario_destroy(sc);

    /* every key given, and none as complaint types */
    sc = load("[scenario]\nhorizon = 1d\n[channel tw]\nrate = 6/h\n"
              "[type c]\nhandle = const(1m)\n[staff]\nagents = 1\n"
              "[outcome]\ntau = 1.5h\nphi = 0\nrecommend_p1 = 0.247\nrecommend_p0 = 0.19\n"
              "spend_s = 0.08\nspend_cap = 1\ndefect_d = 0.3\ndefect_kappa = 1\n"
              "negative_a = 0.6\npositive_b = 0\nonlooker_less = 1\nonlooker_delta = 0.25\n"
              "onlooker_purchase = 0.5\ncomplaint_types = none\n");
    const struct rs_outcome_cfg *o = &sc->outcome;
    ck_assert(o->tau_s == 5400 && o->phi == 0 && o->recommend_p1 == 0.247 &&
              o->recommend_p0 == 0.19 && o->spend_s == 0.08 && o->spend_cap == 1 &&
              o->defect_d == 0.3 && o->defect_kappa == 1 && o->negative_a == 0.6 &&
              o->positive_b == 0 && o->onlooker_less == 1 && o->onlooker_delta == 0.25 &&
              o->onlooker_purchase == 0.5 && o->complaint_types == 0);
    w = write_text(sc);
    ck_assert_msg(strstr(w, "\ncomplaint_types = none\n") != NULL, "%s", w);
    b = load(w);
    ck_assert(rs_scenario_equal(sc, b));
    char *w2 = write_text(b);
    ck_assert_str_eq(w, w2);
    free(w);
    free(w2);
    rs_scenario_destroy(b);
    rs_scenario_destroy(sc);

    /* a scenario built in code with the default complaint types */
    sc = load(PROMPT(""));
    struct rs_error err;
    memset(&err, 0, sizeof err);
    sc->outcome.complaint_types = RS_OUTCOME_COMPLAINT_NAMED;
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_OK);
    sc->outcome.complaint_types = 2; /* no type 1 */
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, "complaint_types");
    sc->outcome.complaint_types = 1;
    sc->outcome.tau_s = 0;
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, "tau");
    sc->outcome.tau_s = 60;
    sc->outcome.defect_kappa = 1.5;
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, "defect_kappa");
    sc->outcome.defect_kappa = 0.5;
    sc->outcome.spend_cap = NAN;
    ck_assert_int_eq(rs_scenario_check(sc, &err), RS_EINPUT);
    ck_assert_str_eq(err.key, "spend_cap");
    rs_scenario_destroy(sc);
}
END_TEST

Suite *rs_test_outcome_suite(void);
Suite *rs_test_outcome_suite(void)
{
    Suite *s = suite_create("outcome");
    TCase *tf = tcase_create("functions");
    tcase_add_test(tf, defaults);
    tcase_add_test(tf, goodwill);
    tcase_add_test(tf, effects);
    tcase_add_test(tf, add_accumulates);
    tcase_add_test(tf, total_of_pairs);
    suite_add_tcase(s, tf);
    TCase *tr = tcase_create("runs");
    tcase_set_timeout(tr, 30);
    tcase_add_test(tr, answered_at_known_latency);
    tcase_add_test(tr, parameters_change_results);
    tcase_add_test(tr, nothing_answered);
    tcase_add_test(tr, summary_of_a_pair);
    tcase_add_test(tr, complaints_and_public_channels);
    tcase_add_test(tr, each_message_counted_once);
    tcase_add_test(tr, metric_names_last);
    suite_add_tcase(s, tr);
    TCase *tc = tcase_create("scenario");
    tcase_add_test(tc, section_written_and_read);
    suite_add_tcase(s, tc);
    return s;
}
