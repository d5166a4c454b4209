/* test_policy.c: reply policies, driven directly on hand-made messages, and
 * the properties of their orders that queueing theory fixes. */
#include "replysim/alloc.h"
#include "replysim/experiment.h"
#include "policy.h"
#include "replysim/rng.h"
#include "replysim/scenario.h"

#include <check.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- each policy's order, written out again from its definition -------- */

/* Three-way comparisons: negative when a is answered first.  Each ends on
 * id, as the policies promise. */
static int by_id(const struct rs_msg *a, const struct rs_msg *b)
{
    return (a->id > b->id) - (a->id < b->id);
}

static int larger_first(double a, double b) { return (a < b) - (a > b); }

static int expect_fifo(const struct rs_msg *a, const struct rs_msg *b) { return by_id(a, b); }

static int expect_lifo(const struct rs_msg *a, const struct rs_msg *b) { return by_id(b, a); }

static int expect_priority(const struct rs_msg *a, const struct rs_msg *b)
{
    int c = larger_first(a->priority, b->priority);
    return c ? c : by_id(a, b);
}

/* score is compared as the user reads it, at a time now with every term
 * in, not through the policy's static key. */
static struct rs_weights score_w;
static double score_now_s;

static double score_at_now(const struct rs_msg *m)
{
    const struct rs_weights *w = &score_w;
    double eff = m->deadline_s < m->arrive_s + 86400 ? m->deadline_s : m->arrive_s + 86400;
    return w->age * (score_now_s - m->arrive_s) / 3600 + w->priority * m->priority +
           w->influence * log10(1 + m->followers) + w->public_ * m->public_ +
           w->deadline * (score_now_s - eff) / 3600;
}

static int expect_score(const struct rs_msg *a, const struct rs_msg *b)
{
    int c = larger_first(score_at_now(a), score_at_now(b));
    return c ? c : by_id(a, b);
}

/* deadline's order depends on the time of the peek: an author has lapsed
 * once their deadline is past, or when they came back lapsed. */
static double deadline_now_s;

static int lapsed_at_now(const struct rs_msg *m)
{
    return m->lapsed || m->deadline_s < deadline_now_s;
}

static int expect_deadline(const struct rs_msg *a, const struct rs_msg *b)
{
    int la = lapsed_at_now(a), lb = lapsed_at_now(b);
    if (la != lb) return la ? 1 : -1;
    if (a->deadline_s != b->deadline_s) return a->deadline_s < b->deadline_s ? -1 : 1;
    return by_id(a, b);
}

static int expect_public_first(const struct rs_msg *a, const struct rs_msg *b)
{
    int c = larger_first(a->public_, b->public_);
    return c ? c : by_id(a, b);
}

static int expect_influence_first(const struct rs_msg *a, const struct rs_msg *b)
{
    int c = larger_first(a->followers, b->followers);
    return c ? c : by_id(a, b);
}

typedef int (*expect_fn)(const struct rs_msg *, const struct rs_msg *);

static const struct {
    const char *name;
    expect_fn cmp;
} expected[] = {
    {"fifo", expect_fifo},
    {"lifo", expect_lifo},
    {"priority", expect_priority},
    {"score", expect_score},
    {"deadline", expect_deadline},
    {"public-first", expect_public_first},
    {"influence-first", expect_influence_first},
};

/* Every policy of the table must have its order written out here. */
static expect_fn expected_order(const char *name)
{
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        if (strcmp(expected[i].name, name) == 0) return expected[i].cmp;
    ck_abort_msg("policy %s: no expected order in tests/test_policy.c", name);
    return NULL;
}

static expect_fn sort_cmp; /* qsort has no context argument */

static int sort_ptrs(const void *a, const void *b)
{
    return sort_cmp(*(struct rs_msg *const *)a, *(struct rs_msg *const *)b);
}

/* --- hand-made messages ------------------------------------------------- */

static struct rs_scenario *weighted_scenario(void)
{
    struct rs_scenario *sc = rs_calloc(1, sizeof *sc);
    sc->weights =
        (struct rs_weights){.age = 1, .priority = 60, .influence = 5, .public_ = 30, .deadline = 2};
    score_w = sc->weights;
    score_now_s = 2e6;
    deadline_now_s = 0;
    return sc;
}

/* Fields drawn from small sets as well as continuous ranges, so that ties
 * on each policy's own key are common and the id tie-break is exercised. */
static void random_msg(gsl_rng *r, struct rs_msg *m, uint64_t id)
{
    static const double followers[] = {0, 0, 9, 999, 1e6};
    memset(m, 0, sizeof *m);
    m->id = id;
    m->arrive_s = 1e6 * gsl_rng_uniform(r);
    m->priority = (int)gsl_rng_uniform_int(r, 4) - 1;
    m->followers =
        gsl_rng_uniform(r) < 0.8 ? followers[gsl_rng_uniform_int(r, 5)] : 1e4 * gsl_rng_uniform(r);
    m->public_ = gsl_rng_uniform(r) < 0.5;
    double u = gsl_rng_uniform(r);
    if (u < 0.2)
        m->deadline_s = INFINITY;
    else if (u < 0.3)
        m->deadline_s = 5e5; /* shared */
    else
        m->deadline_s = m->arrive_s + 7200 * gsl_rng_uniform(r);
    m->lapsed = isfinite(m->deadline_s) && gsl_rng_uniform(r) < 0.25;
    m->channel = (int)gsl_rng_uniform_int(r, 3);
}

/* n messages with ids a random permutation of 0..n-1: the world pushes
 * mostly in id order, but a message handed back at a shift end does not. */
static struct rs_msg *random_msgs(gsl_rng *r, size_t n)
{
    struct rs_msg *m = rs_calloc(n, sizeof *m);
    uint64_t *ids = rs_malloc(n * sizeof *ids);
    ck_assert(m && ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = i;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = gsl_rng_uniform_int(r, i + 1);
        uint64_t t = ids[i];
        ids[i] = ids[j];
        ids[j] = t;
    }
    for (size_t i = 0; i < n; i++)
        random_msg(r, &m[i], ids[i]);
    free(ids);
    return m;
}

static int heap_based(const struct rs_policy_ops *ops) { return ops->init == rs_policy_heap_init; }

/* --- the policies' ops, directly ---------------------------------------- */

/* Push 3000 messages, take a random third out again, then the rest come
 * out in exactly the order of sorting them by the policy's definition. */
START_TEST(every_policy_answers_in_its_order)
{
    const struct rs_policy_ops *ops = rs_policy_at(_i);
    ck_assert_ptr_nonnull(ops);
    expect_fn cmp = expected_order(ops->name);
    struct rs_scenario *sc = weighted_scenario();
    gsl_rng *r = rs_rng_create(101 + (uint64_t)_i);
    const size_t n = 3000;
    struct rs_msg *m = random_msgs(r, n);
    struct rs_msg **want = rs_malloc(n * sizeof *want);

    struct rs_policy p;
    ck_assert_int_eq(rs_policy_init(&p, ops, sc), RS_OK);
    for (size_t i = 0; i < n; i++)
        rs_policy_push(&p, &m[i]);
    size_t left = 0;
    for (size_t i = 0; i < n; i++)
        if (gsl_rng_uniform(r) < 1.0 / 3)
            rs_policy_remove(&p, &m[i]);
        else
            want[left++] = &m[i];
    ck_assert_uint_eq(p.waiting, left);
    if (heap_based(ops)) ck_assert(rs_policy_heap_valid(&p));

    sort_cmp = cmp;
    qsort(want, left, sizeof *want, sort_ptrs);
    for (size_t k = 0; k < left; k++) {
        struct rs_msg *next = rs_policy_peek(&p, 0.0);
        ck_assert_msg(next == want[k], "%s: message %zu of %zu is id %llu, expected id %llu",
                      ops->name, k, left, next ? (unsigned long long)next->id : 0ULL,
                      (unsigned long long)want[k]->id);
        rs_policy_remove(&p, next);
    }
    ck_assert_ptr_null(rs_policy_peek(&p, 0.0));
    rs_policy_fini(&p);
    free(want);
    free(m);
    rs_rng_destroy(r);
    free(sc);
}
END_TEST

/* A long random mix of pushes, removals of any waiting message, time
 * passing (deadline authors lapse at peek), answers (peek then remove) and
 * messages coming back: handed back at a shift end (the same message, same
 * id) or their memory reused for a new one (a new id) while the heap may
 * still hold a stale slot for them.  After every step the policy offers the
 * first waiting message by its definition at now, and a heap stays a heap. */
START_TEST(random_operations_keep_the_order)
{
    const struct rs_policy_ops *ops = rs_policy_at(_i);
    expect_fn cmp = expected_order(ops->name);
    struct rs_scenario *sc = weighted_scenario();
    gsl_rng *r = rs_rng_create(202 + (uint64_t)_i);
    const size_t pool = 12000, steps = 20000;
    struct rs_msg *m = random_msgs(r, pool);
    struct rs_msg **wait = rs_malloc(pool * sizeof *wait); /* waiting, in no order */
    struct rs_msg **gone = rs_malloc(pool * sizeof *gone); /* removed, may come back */
    ck_assert(wait && gone);
    size_t next = 0, n = 0, n_gone = 0;
    uint64_t fresh_id = pool;
    double now = 0;

    struct rs_policy p;
    ck_assert_int_eq(rs_policy_init(&p, ops, sc), RS_OK);
    for (; next < 1000; next++) {
        m[next].lapsed = 0;
        rs_policy_push(&p, &m[next]);
        wait[n++] = &m[next];
    }
    for (size_t step = 0; step < steps; step++) {
        double u = gsl_rng_uniform(r);
        size_t k = n ? gsl_rng_uniform_int(r, n) : 0;
        if (u < 0.40 || n == 0) {
            /* lapsed messages enter only when handed back */
            if (gsl_rng_uniform(r) < 0.9) m[next].lapsed = 0;
            rs_policy_push(&p, &m[next]);
            wait[n++] = &m[next++];
        } else if (u < 0.45 && n_gone) {
            size_t g = gsl_rng_uniform_int(r, n_gone);
            struct rs_msg *back = gone[g];
            gone[g] = gone[--n_gone];
            if (gsl_rng_uniform(r) < 0.5) {
                /* the pool hands the memory out again: a new message */
                back->id = fresh_id++;
                back->lapsed = 0;
                back->qpos = 0; /* as the world's msg_alloc does */
            }
            rs_policy_push(&p, back);
            wait[n++] = back;
        } else if (u < 0.65) {
            rs_policy_remove(&p, wait[k]);
            gone[n_gone++] = wait[k];
            wait[k] = wait[--n];
        } else if (u < 0.75) {
            /* deadlines reach 1e6 + 2h: 2,000 such steps cross them all */
            now += 1200 * gsl_rng_uniform(r);
        } else {
            struct rs_msg *first = rs_policy_peek(&p, now);
            ck_assert_ptr_nonnull(first);
            rs_policy_remove(&p, first);
            k = 0;
            while (wait[k] != first)
                k++;
            gone[n_gone++] = first;
            wait[k] = wait[--n];
        }
        ck_assert_uint_eq(p.waiting, n);
        deadline_now_s = now;
        struct rs_msg *best = NULL;
        for (k = 0; k < n; k++)
            if (!best || cmp(wait[k], best) < 0) best = wait[k];
        ck_assert_msg(rs_policy_peek(&p, now) == best, "%s: step %zu offers the wrong message",
                      ops->name, step);
        if (heap_based(ops) && step % 500 == 0)
            ck_assert_msg(rs_policy_heap_valid(&p), "%s: heap broken at step %zu", ops->name, step);
    }
    ck_assert_msg(now > 1.01e6, "time should pass every deadline, reached %g", now);
    if (heap_based(ops)) ck_assert(rs_policy_heap_valid(&p));
    rs_policy_fini(&p);
    free(gone);
    free(wait);
    free(m);
    rs_rng_destroy(r);
    free(sc);
}
END_TEST

/* before() is what the world uses to choose between the first messages of
 * several channels: on samples with many ties in the policy's own key it
 * is irreflexive, total, transitive, and agrees with the definition. */
START_TEST(before_is_a_strict_total_order)
{
    const struct rs_policy_ops *ops = rs_policy_at(_i);
    expect_fn cmp = expected_order(ops->name);
    struct rs_scenario *sc = weighted_scenario();
    gsl_rng *r = rs_rng_create(303 + (uint64_t)_i);
    const size_t n = 80;
    struct rs_msg *m = random_msgs(r, n);
    /* a quarter are copies of another message but for the id */
    for (size_t i = 0; i < n / 4; i++) {
        uint64_t id = m[i].id;
        m[i] = m[n - 1 - i];
        m[i].id = id;
    }
    struct rs_policy p;
    ck_assert_int_eq(rs_policy_init(&p, ops, sc), RS_OK);
    for (size_t i = 0; i < n; i++)
        rs_policy_push(&p, &m[i]); /* score keys are set on push */

    for (size_t a = 0; a < n; a++) {
        ck_assert(!ops->before(&m[a], &m[a]));
        for (size_t b = 0; b < n; b++) {
            if (a == b) continue;
            int ab = ops->before(&m[a], &m[b]), ba = ops->before(&m[b], &m[a]);
            ck_assert_msg(ab != ba, "%s: ids %llu and %llu not ordered exactly one way", ops->name,
                          (unsigned long long)m[a].id, (unsigned long long)m[b].id);
            ck_assert_msg(ab == (cmp(&m[a], &m[b]) < 0), "%s: before disagrees with the order",
                          ops->name);
            if (!ab) continue;
            for (size_t c = 0; c < n; c++)
                if (ops->before(&m[b], &m[c])) ck_assert(ops->before(&m[a], &m[c]));
        }
    }
    rs_policy_fini(&p);
    free(m);
    rs_rng_destroy(r);
    free(sc);
}
END_TEST

static struct rs_msg msg_at(uint64_t id, double deadline_s)
{
    return (struct rs_msg){.id = id, .arrive_s = 0, .deadline_s = deadline_s};
}

/* A message whose author's patience runs out moves behind every message
 * that can still be saved, once a peek sees its deadline past, and among
 * the lapsed ones the earliest deadline stays first.  No lapse op: the
 * world then needs no event at every deadline. */
START_TEST(deadline_moves_a_lapsed_message_behind)
{
    struct rs_scenario *sc = weighted_scenario();
    struct rs_msg m[5] = {msg_at(0, 100), msg_at(1, 200), msg_at(2, INFINITY), msg_at(3, 300),
                          msg_at(4, 250)};
    struct rs_policy p;
    const struct rs_policy_ops *ops = rs_policy_find("deadline");
    ck_assert_ptr_null(ops->lapse);
    ck_assert_int_eq(rs_policy_init(&p, ops, sc), RS_OK);
    for (int i = 0; i < 5; i++)
        rs_policy_push(&p, &m[i]);
    ck_assert_ptr_eq(rs_policy_peek(&p, 0.0), &m[0]);
    ck_assert_ptr_eq(rs_policy_peek(&p, 100.0), &m[0]); /* at the deadline, still in time */
    ck_assert(!m[0].lapsed);

    ck_assert_ptr_eq(rs_policy_peek(&p, 150.0), &m[1]);
    ck_assert(m[0].lapsed && !m[1].lapsed);
    ck_assert(rs_policy_heap_valid(&p));
    ck_assert(ops->before(&m[1], &m[0]));
    /* the world marks a message lapsed at its deadline when it has an event
     * there anyway (follow-ups, switches): the next peek moves it */
    m[1].lapsed = 1;
    ck_assert_ptr_eq(rs_policy_peek(&p, 200.0), &m[4]);
    ck_assert(rs_policy_heap_valid(&p));
    /* a message taken before its deadline and handed back after it */
    rs_policy_remove(&p, &m[4]);
    ck_assert_ptr_eq(rs_policy_peek(&p, 260.0), &m[3]);
    rs_policy_push(&p, &m[4]);
    ck_assert_uint_eq(p.waiting, 5);

    static const int order[] = {2, 0, 1, 4, 3}; /* at 400: only 2 can be saved */
    for (int k = 0; k < 5; k++) {
        struct rs_msg *next = rs_policy_peek(&p, 400.0);
        ck_assert_ptr_eq(next, &m[order[k]]);
        ck_assert(next->lapsed == (order[k] != 2));
        rs_policy_remove(&p, next);
        ck_assert(rs_policy_heap_valid(&p));
    }
    ck_assert_ptr_null(rs_policy_peek(&p, 400.0));
    rs_policy_fini(&p);
    free(sc);
}
END_TEST

/* score by hand, at now = 10h with the default weights (age 1, priority
 * 60, influence 5, public 30, deadline 2):
 *   x arrived at 0h, private, no followers, no patience:
 *     10 + 0 + 0 + 0 + 2 (10 - 24) = -18
 *   y arrived at 9h, public, 999 followers, patience 30 minutes:
 *     1 + 0 + 5 * 3 + 30 + 2 (10 - 9.5) = 47
 *   z arrived at 0h, priority 1, no patience: 10 + 60 + 2 (10 - 24) = 42
 * so y, z, x; with priority weighing 100, z (82) passes y; with every
 * weight 0 all tie and the oldest id goes first. */
START_TEST(score_weighs_as_documented)
{
    static const struct {
        struct rs_weights w;
        int order[3]; /* indices into x, y, z */
    } cases[] = {
        {{.age = 1, .priority = 60, .influence = 5, .public_ = 30, .deadline = 2}, {1, 2, 0}},
        {{.age = 1, .priority = 100, .influence = 5, .public_ = 30, .deadline = 2}, {2, 1, 0}},
        {{.age = 0}, {0, 1, 2}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct rs_scenario *sc = weighted_scenario();
        sc->weights = cases[c].w;
        struct rs_msg m[3] = {
            {.id = 0, .arrive_s = 0, .deadline_s = INFINITY},
            {.id = 1,
             .arrive_s = 9 * 3600.0,
             .deadline_s = 9.5 * 3600,
             .followers = 999,
             .public_ = 1},
            {.id = 2, .arrive_s = 0, .deadline_s = INFINITY, .priority = 1},
        };
        struct rs_policy p;
        ck_assert_int_eq(rs_policy_init(&p, rs_policy_find("score"), sc), RS_OK);
        for (int i = 2; i >= 0; i--)
            rs_policy_push(&p, &m[i]);
        for (int k = 0; k < 3; k++) {
            struct rs_msg *next = rs_policy_peek(&p, 0.0);
            ck_assert_msg(next == &m[cases[c].order[k]], "case %zu: place %d is id %llu", c, k,
                          (unsigned long long)next->id);
            rs_policy_remove(&p, next);
        }
        rs_policy_fini(&p);
        free(sc);
    }
}
END_TEST

/* rs_policy_rank sorts as the doubles do, -0 and +0 alike. */
START_TEST(rank_sorts_as_doubles)
{
    static const double x[] = {-INFINITY, -1e300, -2.5, -1,  -5e-324, 0,
                               5e-324,    1e-300, 1,    2.5, 1e300,   INFINITY};
    const size_t n = sizeof x / sizeof x[0];
    for (size_t i = 0; i + 1 < n; i++)
        ck_assert_msg(rs_policy_rank(x[i]) < rs_policy_rank(x[i + 1]), "%g vs %g", x[i], x[i + 1]);
    ck_assert(rs_policy_rank(-0.0) == rs_policy_rank(0.0));
}
END_TEST

/* --- whole scenarios ----------------------------------------------------- */

static struct rs_results *run_text(const char *text, const char *label)
{
    struct rs_scenario *sc = NULL;
    struct rs_error err;
    ck_assert_msg(rs_scenario_load_string(text, label, &sc, &err) == RS_OK, "%s", err.msg);
    struct rs_run_opts o = {.replications = sc->replications, .seed = sc->seed, .threads = 2};
    struct rs_results *res = NULL;
    ck_assert_msg(rs_experiment_run(sc, &o, &res, &err) == RS_OK, "%s", err.msg);
    rs_scenario_destroy(sc);
    return res;
}

/* M/M/1 at rho = 0.8: lambda = 9.6/h, mean handle 5 min. */
static struct rs_results *mm1(const char *order)
{
    char text[1024];
    snprintf(text, sizeof text,
             "[scenario]\nname = mm1\nhorizon = %s\nwarmup = 2d\ndrain = 30d\nreplications = 12\n"
             "seed = 11\n[channel c]\nrate = 9.6/h\n[type t]\nhandle = exponential(mean=5m)\n"
             "[staff]\nagents = 1\n[policy]\norder = %s\n",
             getenv("RS_QUICK") ? "60d" : "300d", order);
    return run_text(text, "mm1");
}

/* Any order that ignores handle times gives the same mean wait (work is
 * conserved and Little's law holds), rho / (mu - lambda) = 1200 s, while
 * lifo leaves a few messages waiting far longer: its p99 is larger. */
START_TEST(fifo_and_lifo_same_mean_lifo_heavier_tail)
{
    const double lambda = 9.6 / 3600, mu = 1.0 / 300, exact = (lambda / mu) / (mu - lambda);
    struct rs_results *fifo = mm1("fifo"), *lifo = mm1("lifo");
    struct rs_summary f, l, f99, l99;
    ck_assert_int_eq(rs_results_get(fifo, "wait_mean_s", "all", &f), RS_OK);
    ck_assert_int_eq(rs_results_get(lifo, "wait_mean_s", "all", &l), RS_OK);
    /* 4 standard errors of the replication means */
    ck_assert_msg(fabs(f.mean - exact) <= 4 * f.sd / sqrt(f.n), "fifo %g vs %g", f.mean, exact);
    ck_assert_msg(fabs(l.mean - exact) <= 4 * l.sd / sqrt(l.n), "lifo %g vs %g", l.mean, exact);
    ck_assert_int_eq(rs_results_get(fifo, "wait_p99_s", "all", &f99), RS_OK);
    ck_assert_int_eq(rs_results_get(lifo, "wait_p99_s", "all", &l99), RS_OK);
    /* fifo's p99 is exact for M/M/1: P(W > t) = rho exp(-(mu - lambda) t) */
    double p99 = log((lambda / mu) / 0.01) / (mu - lambda);
    ck_assert_msg(fabs(f99.mean - p99) <= 4 * f99.sd / sqrt(f99.n) + 0.004 * p99,
                  "fifo p99 %g vs %g", f99.mean, p99);
    ck_assert_msg(l99.ci_low > f99.ci_high, "lifo p99 [%g, %g] vs fifo [%g, %g]", l99.ci_low,
                  l99.ci_high, f99.ci_low, f99.ci_high);
    rs_results_destroy(fifo);
    rs_results_destroy(lifo);
}
END_TEST

/* Two classes in one M/M/1 queue answered by priority, non-preemptively
 * (Cobham 1954): class k waits W_k = W0 / ((1 - s_{k-1}) (1 - s_k)) on
 * average, with W0 = sum_i lambda_i E[S_i^2] / 2 the work left in service
 * and s_k the load of classes 1..k, higher priority first. */
START_TEST(priority_matches_cobham)
{
    char text[1024];
    snprintf(text, sizeof text,
             "[scenario]\nname = cobham\nhorizon = %s\nwarmup = 2d\ndrain = 30d\n"
             "replications = 12\nseed = 13\n[channel c]\nrate = 9.6/h\nmix = hi:0.3, lo:0.7\n"
             "[type hi]\nhandle = exponential(mean=5m)\npriority = 1\n"
             "[type lo]\nhandle = exponential(mean=5m)\n"
             "[staff]\nagents = 1\n[policy]\norder = priority\n",
             getenv("RS_QUICK") ? "60d" : "300d");
    struct rs_results *res = run_text(text, "cobham");

    const double lambda = 9.6 / 3600, mean_s = 300, es2 = 2 * mean_s * mean_s; /* exponential */
    const double lam[2] = {0.3 * lambda, 0.7 * lambda};
    const double w0 = (lam[0] + lam[1]) * es2 / 2;
    const double s1 = lam[0] * mean_s, s2 = s1 + lam[1] * mean_s;
    const double exact[2] = {w0 / (1 - s1), w0 / ((1 - s1) * (1 - s2))};
    static const char *const scope[2] = {"type:hi", "type:lo"};
    for (int k = 0; k < 2; k++) {
        struct rs_summary w;
        ck_assert_int_eq(rs_results_get(res, "wait_mean_s", scope[k], &w), RS_OK);
        ck_assert_msg(fabs(w.mean - exact[k]) <= 4 * w.sd / sqrt(w.n), "%s: %g vs %g (sd %g)",
                      scope[k], w.mean, exact[k], w.sd);
    }
    rs_results_destroy(res);
}
END_TEST

/* In overload (rho = 1.3) with authors who stay, answering first whoever
 * can still be saved loses fewer authors than answering the oldest, who
 * under fifo have nearly all run out of patience by their turn. */
static struct rs_results *overload(const char *order)
{
    char text[1024];
    snprintf(text, sizeof text,
             "[scenario]\nname = overload\nhorizon = 7d\nwarmup = 1d\nreplications = 8\n"
             "seed = 17\n[channel c]\nrate = 78/h\n[type t]\nhandle = exponential(mean=5m)\n"
             "patience = exponential(mean=1h)\n[staff]\nagents = 5\n"
             "[policy]\norder = %s\nabandon = stay\n",
             order);
    return run_text(text, "overload");
}

START_TEST(deadline_lapses_fewer_than_fifo_in_overload)
{
    struct rs_results *fifo = overload("fifo"), *dl = overload("deadline");
    struct rs_summary f, d;
    ck_assert_int_eq(rs_results_get(fifo, "lapsed_rate", "all", &f), RS_OK);
    ck_assert_int_eq(rs_results_get(dl, "lapsed_rate", "all", &d), RS_OK);
    ck_assert_msg(d.ci_high < f.ci_low, "deadline [%g, %g] vs fifo [%g, %g]", d.ci_low, d.ci_high,
                  f.ci_low, f.ci_high);
    rs_results_destroy(fifo);
    rs_results_destroy(dl);
}
END_TEST

Suite *rs_test_policy_suite(void);
Suite *rs_test_policy_suite(void)
{
    int n = 0;
    while (rs_policy_at(n))
        n++;
    Suite *s = suite_create("policy");
    TCase *ops = tcase_create("ops");
    tcase_set_timeout(ops, 60); /* scans every waiting message at each step: slow under ASan */
    tcase_add_loop_test(ops, every_policy_answers_in_its_order, 0, n);
    tcase_add_loop_test(ops, random_operations_keep_the_order, 0, n);
    tcase_add_loop_test(ops, before_is_a_strict_total_order, 0, n);
    tcase_add_test(ops, deadline_moves_a_lapsed_message_behind);
    tcase_add_test(ops, score_weighs_as_documented);
    tcase_add_test(ops, rank_sorts_as_doubles);
    suite_add_tcase(s, ops);
    TCase *theory = tcase_create("theory");
    tcase_set_timeout(theory, 600);
    tcase_add_test(theory, fifo_and_lifo_same_mean_lifo_heavier_tail);
    tcase_add_test(theory, priority_matches_cobham);
    tcase_add_test(theory, deadline_lapses_fewer_than_fifo_in_overload);
    suite_add_tcase(s, theory);
    return s;
}
