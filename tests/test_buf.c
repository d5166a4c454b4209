/* test_buf.c: the string builder and the allocation family. */
#include "replysim/alloc.h"
#include "replysim/buf.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(growing_appends_and_detaches)
{
    struct rs_buf b = RS_BUF_INIT;
    ck_assert_str_eq(rs_buf_str(&b), "");
    rs_buf_puts(&b, "sl_");
    rs_buf_printf(&b, "%dh", 1);
    rs_buf_putc(&b, ',');
    rs_buf_putn(&b, "0.9xyz", 3);
    ck_assert_str_eq(rs_buf_str(&b), "sl_1h,0.9");
    ck_assert_uint_eq(b.len, 9);
    ck_assert_int_eq(b.truncated, 0);
    /* grows past its first block, and past printf's small stack buffer */
    for (int i = 0; i < 1000; i++)
        rs_buf_printf(&b, "%04d", i);
    ck_assert_uint_eq(b.len, 9 + 4000);
    ck_assert_uint_eq(strlen(b.s), b.len);
    ck_assert(!strncmp(b.s + 9 + 4 * 999, "0999", 4));
    char big[600];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    rs_buf_reset(&b);
    rs_buf_printf(&b, "<%s>", big);
    ck_assert_uint_eq(b.len, 601);
    ck_assert_int_eq(b.s[600], '>');
    char *s = rs_buf_detach(&b);
    ck_assert_uint_eq(strlen(s), 601);
    ck_assert_ptr_null(b.s);
    free(s);
    s = rs_buf_detach(&b); /* an empty buffer hands over "" */
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

START_TEST(fixed_truncates_and_stays_terminated)
{
    char arr[8];
    memset(arr, '#', sizeof arr);
    struct rs_buf b;
    rs_buf_fixed(&b, arr, sizeof arr);
    ck_assert_str_eq(rs_buf_str(&b), "");
    rs_buf_puts(&b, "abc");
    ck_assert_int_eq(b.truncated, 0);
    rs_buf_printf(&b, "%s", "defghij");
    ck_assert_str_eq(arr, "abcdefg"); /* 7 bytes and the NUL */
    ck_assert_int_eq(b.truncated, 1);
    rs_buf_putc(&b, 'z');
    ck_assert_str_eq(arr, "abcdefg");
    rs_buf_setlen(&b, 2);
    ck_assert_str_eq(arr, "ab");
    char long_text[300];
    memset(long_text, 'q', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    rs_buf_printf(&b, "%s", long_text); /* the long vsnprintf path */
    ck_assert_uint_eq(strlen(arr), 7);
    ck_assert_str_eq(arr, "abqqqqq");
    rs_buf_free(&b);
    ck_assert_str_eq(arr, "");
    ck_assert_int_eq(b.truncated, 0);
}
END_TEST

START_TEST(alloc_family_basics)
{
    char *d = rs_strndup("handle", 3);
    ck_assert_str_eq(d, "han");
    free(d);
    d = rs_strdup("x");
    ck_assert_str_eq(d, "x");
    free(d);
    int *z = rs_calloc(16, sizeof *z);
    for (int i = 0; i < 16; i++)
        ck_assert_int_eq(z[i], 0);
    z = rs_reallocarray(z, 1024, sizeof *z);
    z[1023] = 7;
    ck_assert_ptr_null(rs_realloc(z, 0));
    void *a = rs_aligned(64, 100);
    ck_assert_uint_eq((uintptr_t)a % 64, 0);
    free(a);
}
END_TEST

static void oom_exit(size_t bytes)
{
    (void)bytes;
    exit(3);
}

/* An overflowing n * size reaches the handler instead of a small block. */
START_TEST(alloc_overflow_calls_handler)
{
    rs_alloc_set_oom(oom_exit);
    void *p = rs_calloc(SIZE_MAX / 2, 4);
    free(p);
}
END_TEST

START_TEST(alloc_default_handler_aborts)
{
    rs_alloc_set_oom(NULL);
    void *p = rs_reallocarray(NULL, SIZE_MAX / 8, 16);
    free(p);
}
END_TEST

Suite *rs_test_buf_suite(void);
Suite *rs_test_buf_suite(void)
{
    Suite *s = suite_create("buf");
    TCase *tc = tcase_create("buf");
    tcase_add_test(tc, growing_appends_and_detaches);
    tcase_add_test(tc, fixed_truncates_and_stays_terminated);
    tcase_add_test(tc, alloc_family_basics);
    tcase_add_exit_test(tc, alloc_overflow_calls_handler, 3);
    tcase_add_test_raise_signal(tc, alloc_default_handler_aborts, 6);
    suite_add_tcase(s, tc);
    return s;
}
