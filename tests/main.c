/* main.c: the one test runner.  Every suite of tests/ is linked in and the
 * run ends with Check's one-line summary (and a plain "N passed, N failed"). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#define RS_SUITE(fn) Suite *fn(void);
#include "suites.h"
#undef RS_SUITE

int main(void)
{
    SRunner *sr = srunner_create(NULL);
#define RS_SUITE(fn) srunner_add_suite(sr, fn());
#include "suites.h"
#undef RS_SUITE
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    int run = srunner_ntests_run(sr);
    srunner_free(sr);
    printf("%d passed, %d failed\n", run - failed, failed);
    return failed == 0 && run > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
