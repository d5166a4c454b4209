/* test_fmt.c: shortest round-trip formatting (sim/fmt.c) against strtod
 * and against printf's %.15g, %.16g, %.17g tried in turn, the text
 * replysim wrote before. */
#include "fmt.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The old rule, by printf and strtod. */
static void by_trial(double x, char *buf, size_t len)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) return;
    }
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Doubles of every kind a result file holds, and any bit pattern. */
static double some_double(uint64_t *s, long i)
{
    uint64_t r = xorshift(s);
    double x;
    switch (i % 5) {
    case 0: /* any finite bit pattern */
        memcpy(&x, &r, sizeof x);
        return isfinite(x) ? x : 1.5;
    case 1: /* a uniform times 1000 */
        return (double)(r >> 11) * 0x1.0p-53 * 1000;
    case 2: /* a ratio of counts */
        return (double)(r % 1000000) / (double)(1 + xorshift(s) % 1000);
    case 3: /* a whole number, a count, up to 2^54 */
        return (double)(r >> (10 + xorshift(s) % 50)) * (r & 1 ? 1 : -1);
    default: /* a mean of a few values */
        return ((double)(r % 100000) + (double)(xorshift(s) % 100000) / 3.0) / 7.0;
    }
}

/* Every number reads back exactly; the text is the old rule's wherever
 * that found the shortest (all but exact powers of two, whose lower gap is
 * half as wide, and subnormals, below 15 significant digits); there the
 * new text is no longer than the old. */
START_TEST(fmt_round_trips_and_matches_printf)
{
    long n = getenv("RS_QUICK") ? 200000 : 1000000, same = 0;
    uint64_t s = 88172645463325252ull;
    for (long i = 0; i < n; i++) {
        double x = some_double(&s, i);
        char a[RS_FMT_MAX], b[64];
        int len = rs_fmt_double(x, a);
        ck_assert_int_eq(len, (int)strlen(a));
        ck_assert_msg(strtod(a, NULL) == x, "%a printed as %s", x, a);
        by_trial(x, b, sizeof b);
        uint64_t bits;
        memcpy(&bits, &x, sizeof bits);
        int pow2 = (bits & 0xfffffffffffffull) == 0, sub = fabs(x) < 0x1p-1022;
        if (!pow2 && !sub) {
            ck_assert_msg(strcmp(a, b) == 0, "%a: %s, printf %s", x, a, b);
            same++;
        } else {
            ck_assert_msg(strlen(a) <= strlen(b), "%a: %s longer than %s", x, a, b);
        }
    }
    ck_assert_int_gt(same, n * 9 / 10);
}
END_TEST

/* Cases by hand: layouts at the edges of %g's rule, extremes, signs. */
static const struct {
    double x;
    const char *text;
} cases[] = {
    {0.0, "0"},
    {-0.0, "-0"},
    {1.0, "1"},
    {-2.5, "-2.5"},
    {0.1, "0.1"},
    {0.3, "0.3"},
    {0.1 + 0.2, "0.30000000000000004"},
    {1.0 / 3, "0.3333333333333333"},
    {2.0 / 3, "0.6666666666666666"},
    {100, "100"},
    {123456789012345.0, "123456789012345"},
    {1e15, "1e+15"},
    {1234567890123456.0, "1234567890123456"},
    {1e16, "1e+16"},
    {12345678901234567.0, "12345678901234568"},
    {1e100, "1e+100"},
    {0.0001, "0.0001"},
    {0.00012345, "0.00012345"},
    {0.00001, "1e-05"},
    {1.5e-7, "1.5e-07"},
    {1.7976931348623157e308, "1.7976931348623157e+308"},
    {2.2250738585072014e-308, "2.2250738585072014e-308"},
    {5e-324, "5e-324"}, /* a subnormal: printf's rule wrote 17 digits */
    {9007199254740993.0, "9007199254740992"},
    {3600, "3600"},
    {0.95, "0.95"},
    {299.99999999999994, "299.99999999999994"},
};

START_TEST(fmt_cases)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char a[RS_FMT_MAX];
        rs_fmt_double(cases[i].x, a);
        ck_assert_msg(strcmp(a, cases[i].text) == 0, "%a: %s, expected %s", cases[i].x, a,
                      cases[i].text);
    }
    char a[RS_FMT_MAX];
    rs_fmt_double(INFINITY, a);
    ck_assert_str_eq(a, "inf");
    rs_fmt_double(-INFINITY, a);
    ck_assert_str_eq(a, "-inf");
    rs_fmt_double(NAN, a);
    ck_assert_str_eq(a, "nan");
}
END_TEST

Suite *rs_test_fmt_suite(void);
Suite *rs_test_fmt_suite(void)
{
    Suite *s = suite_create("fmt");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, fmt_round_trips_and_matches_printf);
    tcase_add_test(tc, fmt_cases);
    suite_add_tcase(s, tc);
    return s;
}
