/* test_compare.c: paired comparisons under common random numbers
 * (rs_results_paired and `replysim compare`).
 *
 * The point of common random numbers is that two variants run on the same
 * seed see the same customers, so their per-replication difference varies
 * far less than either alone: the paired interval must be much narrower than
 * the unpaired (Welch) one built from the two variants' own spreads.  Also:
 * what the customers bring (offered) is exactly the same whatever the
 * policy, a variant identical to the base differs in nothing, and the
 * command writes nothing on bad input and the same bytes for any -j. */
#include "replysim/compare.h"
#include "replysim/error.h"
#include "replysim/experiment.h"
#include "replysim/scenario.h"
#include "util.h"

#include <check.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* M/M/c+M-like, two channels and types so that scopes are exercised; 3
 * agents at about 2.4 busy: loaded enough that staffing and order matter. */
static const char scenario_text[] =
    "[scenario]\nname = cmp\nhorizon = 2d\nwarmup = 2h\nreplications = 20\nseed = 11\n"
    "[channel twitter]\nrate = 50/h\nmix = complaint:0.5, question:0.5\n"
    "[channel dm]\nvisibility = private\nrate = 20/h\nmix = question:1\n"
    "[type complaint]\nhandle = lognormal(mean=9m, sd=4m)\npatience = exponential(mean=40m)\n"
    "priority = 1\n"
    "[type question]\nhandle = exponential(mean=6m)\npatience = exponential(mean=2h)\n"
    "[staff]\nagents = 10\n[policy]\nabandon = leave\n";

static struct rs_scenario *load(void)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    memset(&err, 0, sizeof err);
    int rc = rs_scenario_load_string(scenario_text, "cmp.ini", &sc, &err);
    char msg[1024];
    rs_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == RS_OK, "%s", msg);
    if (getenv("RS_QUICK")) sc->horizon_s /= 2; /* sanitizer build */
    return sc;
}

static struct rs_results *run(const struct rs_scenario *sc, int threads)
{
    struct rs_run_opts opts = {
        .replications = sc->replications, .seed = sc->seed, .threads = threads, .progress = 0};
    struct rs_results *res = NULL;
    struct rs_error err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(rs_experiment_run(sc, &opts, &res, &err), RS_OK);
    return res;
}

static void paired(const struct rs_results *a, const struct rs_results *b, const char *metric,
                   const char *scope, struct rs_paired *p)
{
    struct rs_error err;
    memset(&err, 0, sizeof err);
    ck_assert_msg(rs_results_paired(a, b, metric, scope, p, &err) == RS_OK, "%s/%s: %s", metric,
                  scope, err.msg);
}

/* Half-width of the 95% Welch interval of mean(b) - mean(a) from the two
 * variants' own replication spreads, as if they had been run independently. */
static double welch_half(const struct rs_results *a, const struct rs_results *b, const char *metric)
{
    struct rs_summary sa, sb;
    ck_assert_int_eq(rs_results_get(a, metric, "all", &sa), RS_OK);
    ck_assert_int_eq(rs_results_get(b, metric, "all", &sb), RS_OK);
    double va = sa.sd * sa.sd / sa.n, vb = sb.sd * sb.sd / sb.n;
    double df = (va + vb) * (va + vb) / (va * va / (sa.n - 1) + vb * vb / (sb.n - 1));
    return gsl_cdf_tdist_Pinv(0.975, df) * sqrt(va + vb);
}

/* ------------------------------------------------ paired vs unpaired */

struct narrow_case {
    const char *what;  /* the variant, for messages */
    int agents;        /* variant's agents (base: 10) */
    const char *order; /* variant's policy (base: fifo) */
    const char *metric;
    double factor; /* paired half-width at most unpaired / factor */
};

/* Seed 11 gives factors of 12 (occupancy), 2.7, 5.5 and 2.7 (3.6 to 13
 * under RS_QUICK); the bars sit well below so the test says "clearly
 * narrower" without hanging on the second digit.  The gain is largest when
 * the two variants spread alike: from 10 to 11 agents the wait's spread
 * halves, which caps the gain on wait_mean_s near 2 even at a correlation of
 * 0.93 (RS_COMPARE_VERBOSE=1 prints every figure). */
static const struct narrow_case narrow_cases[] = {
    {"agents 10 -> 11", 11, "fifo", "occupancy", 5},
    {"agents 10 -> 11", 11, "fifo", "frt_mean_s", 2},
    {"fifo -> priority", 10, "priority", "frt_mean_s", 3},
    {"fifo -> priority", 10, "priority", "response_rate", 2},
};

START_TEST(paired_interval_is_narrower)
{
    const struct narrow_case *nc = &narrow_cases[_i];
    struct rs_scenario *base_sc = load(), *var_sc = load();
    var_sc->agents = nc->agents;
    snprintf(var_sc->order, sizeof var_sc->order, "%s", nc->order);
    struct rs_results *base = run(base_sc, 2), *var = run(var_sc, 2);

    struct rs_paired p;
    paired(base, var, nc->metric, "all", &p);
    ck_assert_int_eq(p.n, base_sc->replications);
    double paired_half = (p.ci_high - p.ci_low) / 2,
           unpaired_half = welch_half(base, var, nc->metric);
    if (getenv("RS_COMPARE_VERBOSE")) {
        struct rs_summary x, y;
        rs_results_get(base, nc->metric, "all", &x);
        rs_results_get(var, nc->metric, "all", &y);
        double rho = (x.sd * x.sd + y.sd * y.sd - p.sd * p.sd) / (2 * x.sd * y.sd);
        fprintf(stderr,
                "%s %s: diff %g, half-width paired %g, unpaired %g: factor %.2f "
                "(sd %g and %g, correlation %.3f)\n",
                nc->what, nc->metric, p.diff, paired_half, unpaired_half,
                unpaired_half / paired_half, x.sd, y.sd, rho);
    }
    ck_assert_msg(paired_half > 0 && paired_half * nc->factor < unpaired_half,
                  "%s %s: paired half-width %g, unpaired %g: expected a factor %g narrower",
                  nc->what, nc->metric, paired_half, unpaired_half, nc->factor);
    /* the variant really changed something: the difference is significant */
    ck_assert_msg(p.significant, "%s %s: diff %g in [%g, %g]", nc->what, nc->metric, p.diff,
                  p.ci_low, p.ci_high);
    /* and the means are the variants' own */
    struct rs_summary sb, sv;
    rs_results_get(base, nc->metric, "all", &sb);
    rs_results_get(var, nc->metric, "all", &sv);
    ck_assert_double_eq_tol(p.base_mean, sb.mean, 1e-9 * fabs(sb.mean) + 1e-12);
    ck_assert_double_eq_tol(p.variant_mean, sv.mean, 1e-9 * fabs(sv.mean) + 1e-12);
    ck_assert_double_eq_tol(p.diff, sv.mean - sb.mean, 1e-9 * fabs(sb.mean) + 1e-12);
    ck_assert_double_eq_tol(p.rel_diff, p.diff / p.base_mean, 1e-12);

    rs_results_destroy(base);
    rs_results_destroy(var);
    rs_scenario_destroy(base_sc);
    rs_scenario_destroy(var_sc);
}
END_TEST

/* ------------------------------------------------ common random numbers */

START_TEST(policy_does_not_change_the_customers)
{
    struct rs_scenario *a_sc = load(), *b_sc = load();
    snprintf(b_sc->order, sizeof b_sc->order, "lifo");
    b_sc->agents = 2; /* and staffing: neither touches the customers */
    struct rs_results *a = run(a_sc, 1), *b = run(b_sc, 3);
    const char *scopes[] = {"all", "channel:twitter", "channel:dm", "type:complaint",
                            "type:question"};
    const char *metrics[] = {"offered", "needing_reply"};
    for (size_t s = 0; s < sizeof scopes / sizeof *scopes; s++)
        for (size_t m = 0; m < 2; m++) {
            int am = rs_results_find_metric(a, metrics[m]),
                as = rs_results_find_scope(a, scopes[s]);
            int bm = rs_results_find_metric(b, metrics[m]),
                bs = rs_results_find_scope(b, scopes[s]);
            ck_assert(am >= 0 && as >= 0 && bm >= 0 && bs >= 0);
            for (int rep = 0; rep < a_sc->replications; rep++)
                ck_assert_msg(rs_results_value(a, am, as, rep) == rs_results_value(b, bm, bs, rep),
                              "%s/%s differs in replication %d", metrics[m], scopes[s], rep);
            struct rs_paired p;
            paired(a, b, metrics[m], scopes[s], &p);
            ck_assert_int_eq(p.n, a_sc->replications);
            ck_assert(p.diff == 0 && p.sd == 0 && p.ci_low == 0 && p.ci_high == 0);
            ck_assert_int_eq(p.significant, 0);
            ck_assert(p.base_mean > 0);
        }
    /* while what the policy decides did change */
    struct rs_paired p;
    paired(a, b, "wait_mean_s", "all", &p);
    ck_assert(p.diff != 0);
    rs_results_destroy(a);
    rs_results_destroy(b);
    rs_scenario_destroy(a_sc);
    rs_scenario_destroy(b_sc);
}
END_TEST

START_TEST(identical_variant_differs_in_nothing)
{
    struct rs_scenario *a_sc = load(), *b_sc = load();
    struct rs_results *a = run(a_sc, 1), *b = run(b_sc, 4);
    int rows = 0;
    for (int m = 0; m < rs_results_n_metrics(a); m++)
        for (int s = 0; s < rs_results_n_scopes(a); s++) {
            struct rs_paired p;
            paired(a, b, rs_results_metric_name(a, m), rs_results_scope_name(a, s), &p);
            if (p.n == 0) continue;
            const char *name = rs_results_metric_name(a, m);
            ck_assert_msg(p.diff == 0 && p.base_mean == p.variant_mean, "%s", name);
            ck_assert_msg(p.sd == 0 && p.ci_low == 0 && p.ci_high == 0, "%s", name);
            ck_assert_msg(!p.significant, "%s", name);
            ck_assert(p.base_mean == 0 ? isnan(p.rel_diff) : p.rel_diff == 0);
            rows++;
        }
    ck_assert_int_gt(rows, 50);
    rs_results_destroy(a);
    rs_results_destroy(b);
    rs_scenario_destroy(a_sc);
    rs_scenario_destroy(b_sc);
}
END_TEST

START_TEST(unpairable_results_are_refused)
{
    struct rs_scenario *sc = load();
    struct rs_results *a = run(sc, 1);
    sc->seed++;
    struct rs_results *b = run(sc, 1);
    struct rs_paired p;
    struct rs_error err;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(rs_results_paired(a, b, "offered", "all", &p, &err), RS_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "same seed"));
    ck_assert_int_eq(rs_results_paired(a, a, "no_such_metric", "all", &p, NULL), RS_EINPUT);
    ck_assert_int_eq(rs_results_paired(a, a, "offered", "channel:nope", &p, NULL), RS_EINPUT);
    rs_results_destroy(a);
    rs_results_destroy(b);
    rs_scenario_destroy(sc);
}
END_TEST

/* ------------------------------------------------ the command */

static void setup(void)
{
    rs_test_dir_create("compare");
    rs_test_write("s.ini", scenario_text);
}

static void teardown(void) { rs_test_dir_destroy(); }

/* Runs `replysim compare s.ini -q ARGS` in the test folder; returns its exit
 * status. */
static int compare(const char *args) { return rs_test_replysim("compare s.ini -q %s", args); }

START_TEST(bad_variants_write_nothing)
{
    static const char *const bad[] = {
        "",                                                            /* no variant */
        "--variant",                                                   /* no value */
        "--variant more",                                              /* no NAME: */
        "--variant :staff.agents=4",                                   /* empty NAME */
        "--variant more:",                                             /* no setting */
        "--variant more:agents=4",                                     /* not section.key */
        "--variant 'a b:staff.agents=4'",                              /* NAME with a blank */
        "--variant base:staff.agents=4",                               /* base is taken */
        "--variant more:staff.agents=4 --variant more:staff.agents=5", /* key twice */
        "--variant more:staff.bogus=4",                                /* unknown key */
        "--variant more:staff.agents=four",                            /* bad value */
        "--variant more:policy.order=nope",                            /* unknown policy */
        "--variant more:scenario.seed=3",                              /* breaks the pairing */
        "--variant more:staff.agents=4 --set staff.bogus=1",           /* bad global --set */
        "--variant more:staff.agents=4 -j 0",
        "--variant more:staff.agents=4 --frobnicate",
    };
    char args[1024];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(args, sizeof args, "-o %s/out %s", rs_test_dir, bad[i]);
        ck_assert_msg(compare(args) == 2, "%s: expected exit 2", bad[i]);
        ck_assert_msg(!rs_test_exists("out"), "%s: wrote files", bad[i]);
        char *err = rs_test_slurp("stderr");
        ck_assert_msg(rs_test_lines(err) == 1, "%s: expected one line, got \"%s\"", bad[i], err);
        ck_assert_msg(strstr(err, "expected") || strstr(err, "unknown option"), "%s: %s", bad[i],
                      err);
        free(err);
    }
    /* an error in a variant's own setting names the variant */
    snprintf(args, sizeof args, "-o %s/out --variant more:staff.agents=four", rs_test_dir);
    ck_assert_int_eq(compare(args), 2);
    char *err = rs_test_slurp("stderr");
    ck_assert_ptr_nonnull(strstr(err, "--variant more: staff.agents: expected a whole number"));
    free(err);
    /* one that breaks the scenario only once every setting is in (no staff
     * left) names the variant too, and the file's line in its text */
    snprintf(args, sizeof args, "-o %s/out --variant none:staff.agents=", rs_test_dir);
    ck_assert_int_eq(compare(args), 2);
    err = rs_test_slurp("stderr");
    ck_assert_msg(strstr(err, "--variant none: agents: expected [staff] agents or schedule") &&
                      strstr(err, "(with s.ini:"),
                  "%s", err);
    ck_assert_int_eq(rs_test_lines(err), 1);
    free(err);
    ck_assert_int_eq(compare("--help"), 0);
}
END_TEST

START_TEST(threads_do_not_change_output)
{
    /* the weights value holds commas; w is given in two parts */
    static const char variants[] =
        "-r 4 --variant more:staff.agents=11 "
        "--variant w:policy.order=score,policy.weights=age:1,priority:60 --variant "
        "w:staff.agents=11";
    char args[1024];
    snprintf(args, sizeof args, "-j 1 -o %s/one %s", rs_test_dir, variants);
    ck_assert_int_eq(compare(args), 0);
    char *out1 = rs_test_slurp("stdout");
    snprintf(args, sizeof args, "-j 3 -o %s/three %s", rs_test_dir, variants);
    ck_assert_int_eq(compare(args), 0);
    char *out3 = rs_test_slurp("stdout");
    char *a = rs_test_slurp("one/compare.csv"), *b = rs_test_slurp("three/compare.csv");
    ck_assert_msg(strcmp(a, b) == 0, "compare.csv differs between -j 1 and -j 3");
    char *ia = rs_test_slurp("one/scenario.ini"), *ib = rs_test_slurp("three/scenario.ini");
    ck_assert_msg(strcmp(ia, ib) == 0, "scenario.ini differs between -j 1 and -j 3");

    ck_assert_ptr_nonnull(strstr(a, "variant,metric,scope,base_mean,variant_mean,diff,ci_low,"
                                    "ci_high,sd,n,rel_diff,significant,p,p_holm\n"));
    ck_assert_ptr_nonnull(strstr(a, "\nmore,offered,all,"));
    ck_assert_ptr_nonnull(strstr(a, "\nw,offered,channel:dm,"));
    ck_assert_ptr_nonnull(strstr(a, "\nmore,wait_mean_s,all,"));
    /* offered is the same customers: zero difference, n = 4, not significant */
    const char *row = strstr(a, "\nmore,offered,all,");
    const char *tail = strchr(row + 1, '\n');
    /* ... and not tested: p and p_holm empty */
    ck_assert_ptr_nonnull(strstr(row, ",0,0,0,0,4,0,0,,\n"));
    ck_assert(strstr(row, ",0,0,0,0,4,0,0,,\n") < tail);
    /* the variants as given, and the base scenario that reruns */
    ck_assert_ptr_nonnull(strstr(
        ia, "--variant w:policy.order=score,policy.weights=age:1,priority:60,staff.agents=11"));
    ck_assert_ptr_nonnull(strstr(ia, "\n[staff]\nagents = 10\n"));
    /* stdout: the table, the same but for the folder named on its last line */
    char *end1 = strstr(out1, "\nreplysim: every metric"),
         *end3 = strstr(out3, "\nreplysim: every metric");
    ck_assert(end1 && end3);
    *end1 = *end3 = '\0';
    ck_assert_msg(strcmp(out1, out3) == 0, "stdout differs between -j 1 and -j 3");
    *end1 = '\n';
    ck_assert_ptr_nonnull(strstr(out1, "more (staff.agents=11) against base"));
    ck_assert_ptr_nonnull(strstr(out1, " * "));
    ck_assert_ptr_nonnull(strstr(out1, "/one/compare.csv\n"));
    free(a), free(b), free(ia), free(ib), free(out1), free(out3);
}
END_TEST

/* Holm's step-down adjustment written out: sort, scale by the number left,
 * keep the running maximum, cap at 1 (NaN: not tested). */
static void holm(const double *p, double *adj, int n)
{
    int idx[512], m = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(p[i])) idx[m++] = i;
    for (int a = 0; a < m; a++) /* insertion sort by p, stable */
        for (int b = a; b > 0 && p[idx[b]] < p[idx[b - 1]]; b--) {
            int t = idx[b];
            idx[b] = idx[b - 1];
            idx[b - 1] = t;
        }
    double most = 0;
    for (int i = 0; i < n; i++)
        adj[i] = NAN;
    for (int k = 0; k < m; k++) {
        double x = fmin(1, (m - k) * p[idx[k]]);
        most = fmax(most, x);
        adj[idx[k]] = most;
    }
}

/* compare's p and p_holm of every row against a paired t test and Holm
 * computed here from the replications' values; an arm that changes
 * nothing has no row tested and none significant. */
START_TEST(holm_per_variant)
{
    struct rs_compare *c = calloc(1, sizeof *c);
    char path[512];
    snprintf(path, sizeof path, "%s/s.ini", rs_test_dir);
    c->path = path;
    static char more[] = "staff.agents=8", same[] = "policy.abandon=leave";
    snprintf(c->v[0].name, RS_NAME_MAX, "more");
    c->v[0].own[c->v[0].n_own++] = strdup(more);
    snprintf(c->v[1].name, RS_NAME_MAX, "same");
    c->v[1].own[c->v[1].n_own++] = strdup(same);
    c->n = 2;
    struct rs_error err = {0};
    ck_assert_int_eq(rs_compare_load(c, &err), RS_OK);
    struct rs_scenario *sc = NULL;
    ck_assert_int_eq(rs_scenario_load(path, &sc, &err), RS_OK);
    struct rs_run_opts opts = {.replications = 8, .seed = 3, .threads = 2};
    ck_assert_int_eq(rs_compare_run(c, sc, &opts, &err), RS_OK);
    const struct rs_compare_variant *v = &c->v[0];
    ck_assert_int_le(v->n_rows, 512);
    double p[512], adj[512];
    int tested = 0, sig = 0;
    for (int k = 0; k < v->n_rows; k++) {
        const struct rs_compare_row *r = &v->rows[k];
        double d[8], sum = 0, ss = 0;
        int n = 0;
        for (int rep = 0; rep < 8; rep++) {
            double a = rs_results_value(c->base, r->metric, r->scope, rep),
                   b = rs_results_value(v->res, r->metric, r->scope, rep);
            if (!isnan(a) && !isnan(b)) d[n++] = b - a;
        }
        for (int i = 0; i < n; i++)
            sum += d[i];
        double mean = n ? sum / n : NAN;
        for (int i = 0; i < n; i++)
            ss += (d[i] - mean) * (d[i] - mean);
        double sd = n > 1 ? sqrt(ss / (n - 1)) : NAN;
        if (n < 2 || (mean == 0 && !(sd > 0)))
            p[k] = NAN;
        else if (!(sd > 0))
            p[k] = 0;
        else
            p[k] = 2 * gsl_cdf_tdist_Q(fabs(mean) / (sd / sqrt(n)), n - 1);
        tested += !isnan(p[k]);
        ck_assert_msg(isnan(p[k]) ? isnan(r->p_value) : fabs(r->p_value - p[k]) < 1e-9,
                      "row %d: p %g, expected %g", k, r->p_value, p[k]);
    }
    holm(p, adj, v->n_rows);
    for (int k = 0; k < v->n_rows; k++) {
        const struct rs_compare_row *r = &v->rows[k];
        ck_assert(isnan(adj[k]) ? isnan(r->p_holm) : fabs(r->p_holm - adj[k]) < 1e-9);
        ck_assert_int_eq(r->significant, !isnan(adj[k]) && adj[k] < 0.05);
        sig += r->significant;
    }
    ck_assert_int_eq(v->n_tested, tested);
    ck_assert_int_gt(sig, 0); /* two more agents do change things */
    ck_assert_int_gt(tested, 50);
    /* abandon = leave is the base's: the same run, nothing tested */
    ck_assert_int_eq(c->v[1].n_tested, 0);
    for (int k = 0; k < c->v[1].n_rows; k++)
        ck_assert(!c->v[1].rows[k].significant);
    rs_scenario_destroy(sc);
    rs_compare_free(c);
    free(c);
}
END_TEST

Suite *rs_test_compare_suite(void);
Suite *rs_test_compare_suite(void)
{
    Suite *s = suite_create("compare");
    TCase *tc = tcase_create("paired");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, paired_interval_is_narrower, 0,
                        (int)(sizeof narrow_cases / sizeof narrow_cases[0]));
    tcase_add_test(tc, policy_does_not_change_the_customers);
    tcase_add_test(tc, identical_variant_differs_in_nothing);
    tcase_add_test(tc, unpairable_results_are_refused);
    suite_add_tcase(s, tc);

    TCase *cli = tcase_create("command");
    tcase_add_checked_fixture(cli, setup, teardown);
    tcase_set_timeout(cli, 60);
    tcase_add_test(cli, bad_variants_write_nothing);
    tcase_add_test(cli, threads_do_not_change_output);
    tcase_add_test(cli, holm_per_variant);
    suite_add_tcase(s, cli);
    return s;
}
