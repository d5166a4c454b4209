/* test_error.c: the one-line error format. */
#include "replysim/error.h"

#include <check.h>
#include <string.h>

START_TEST(full_line)
{
    struct rs_error e;
    int rc = rs_error_input(&e, "retail.ini", 14, "handle",
                            "expected a duration such as 5m, got \"%s\"", "5");
    ck_assert_int_eq(rc, RS_EINPUT);
    char buf[1024];
    rs_error_format(&e, buf, sizeof buf);
    ck_assert_str_eq(buf, "retail.ini:14: handle: expected a duration such as 5m, got \"5\"");
    ck_assert_int_eq(rs_error_exit_status(rc), 2);
}
END_TEST

START_TEST(parts_left_out)
{
    struct rs_error e;
    char buf[1024];
    rs_error_input(&e, NULL, 0, "--agents", "expected a whole number >= 1");
    rs_error_format(&e, buf, sizeof buf);
    ck_assert_str_eq(buf, "--agents: expected a whole number >= 1");
    ck_assert_int_eq(rs_error_exit_status(rs_error_io(&e, "out/summary.csv", "cannot write")), 3);
    rs_error_format(&e, buf, sizeof buf);
    ck_assert_str_eq(buf, "out/summary.csv: cannot write");
}
END_TEST

/* A small buffer holds the line's start, cut at a byte, always terminated. */
START_TEST(cut_to_fit)
{
    struct rs_error e;
    rs_error_input(&e, "retail.ini", 14, "handle", "expected a duration");
    char buf[24];
    memset(buf, 'x', sizeof buf);
    rs_error_format(&e, buf, sizeof buf);
    ck_assert_str_eq(buf, "retail.ini:14: handle: ");
    char tiny[8];
    rs_error_format(&e, tiny, sizeof tiny);
    ck_assert_str_eq(tiny, "retail.");
    char one[1];
    rs_error_format(&e, one, sizeof one);
    ck_assert_str_eq(one, "");
}
END_TEST

Suite *rs_test_error_suite(void);
Suite *rs_test_error_suite(void)
{
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("format");
    tcase_add_test(tc, full_line);
    tcase_add_test(tc, parts_left_out);
    tcase_add_test(tc, cut_to_fit);
    suite_add_tcase(s, tc);
    return s;
}
