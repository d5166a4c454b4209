/* test_inputs.c: hostile input (issue 11, items 3, 7 and 8): includes never
 * ignored, every error exactly one line with no terminal escapes and a
 * line where there is one, and reads bounded in time and memory (hash
 * lookups in baselines, a bound on replications, lines and cells bounded
 * as a CSV is read).  The table cases are tests/data/hostile/inputs.test;
 * here are those the table cannot say: escapes of the error line itself,
 * command-line arguments holding control characters, and generated big
 * inputs (Check's timeout guards against a hang). */
#include "util.h"

#include "replysim/baseline.h"
#include "replysim/csvin.h"
#include "replysim/error.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char base_text[] = "[channel a]\nrate = 1/h\n[type t]\nhandle = exponential(mean=5m)\n"
                                "[staff]\nagents = 1\n";

static const char scenario_text[] =
    "[scenario]\nname = s\nhorizon = 1d\nreplications = 2\nseed = 1\n"
    "[channel a]\nrate = 1/h\nprofile = p.csv\n[type t]\nhandle = exponential(mean=5m)\n"
    "[staff]\nagents = 1\n";

static void setup(void) { rs_test_dir_create("inputs"); }

static void teardown(void) { rs_test_dir_destroy(); }

/* stderr holds exactly one line, with no ESC (or other control) byte, and
 * it contains want. */
static void one_clean_line(const char *want)
{
    char *err = rs_test_slurp("stderr");
    ck_assert_msg(rs_test_lines(err) == 1, "expected one line, got: %s", err);
    for (const char *p = err; *p; p++)
        ck_assert_msg(((unsigned char)*p >= 0x20 && *p != 0x7f) || *p == '\n',
                      "control byte 0x%02x in: %s", (unsigned char)*p, err);
    ck_assert_msg(strstr(err, want) != NULL, "expected \"%s\" in: %s", want, err);
    free(err);
}

/* ------------------------------------------------ the escape itself */

START_TEST(escape_makes_controls_visible)
{
    char out[128];
    rs_error_escape("a\nb\rc\td\x1b[2J\x7f", out, sizeof out);
    ck_assert_str_eq(out, "a\\nb\\rc\\td\\x1b[2J\\x7f");
    /* valid UTF-8 stays; invalid bytes and C1 controls (U+009B, CSI) do not */
    rs_error_escape("caf\xc3\xa9 \xff \xc2\x9b \xed\xa0\x80", out, sizeof out);
    ck_assert_str_eq(out, "caf\xc3\xa9 \\xff \\xc2\\x9b \\xed\\xa0\\x80");
    /* cut at a whole escape, never half of one */
    char small[6];
    ck_assert_uint_eq(rs_error_escape("ab\x1b", small, sizeof small), 2);
    ck_assert_str_eq(small, "ab");
    char one[1];
    rs_error_escape("\n", one, sizeof one);
    ck_assert_str_eq(one, "");
}
END_TEST

START_TEST(error_line_is_one_line)
{
    struct rs_error e;
    char buf[1024];
    rs_error_input(&e, "p\n.csv", 2, "multi\nplier", "expected a number, got \"%s\"",
                   "1\nforged.ini:1: all is well");
    rs_error_format(&e, buf, sizeof buf);
    ck_assert_str_eq(buf, "p\\n.csv:2: multi\\nplier: expected a number, got "
                          "\"1\\nforged.ini:1: all is well\"");
}
END_TEST

/* ------------------------------------------------ the program */

START_TEST(csv_cell_with_newline_or_escape)
{
    rs_test_write("s.ini", scenario_text);
    rs_test_write("p.csv", "time,multiplier\n0s,\"1\nforged.ini:1: fine\"\n");
    ck_assert_int_eq(rs_test_replysim("validate s.ini"), 2);
    one_clean_line("p.csv:2: multiplier: expected a number, got \"1\\nforged.ini:1: fine\"");
    rs_test_write("p.csv", "time,multiplier\n0s,\x1b[31mred\x1b[0m\x07\n");
    ck_assert_int_eq(rs_test_replysim("validate s.ini"), 2);
    one_clean_line("got \"\\x1b[31mred\\x1b[0m\\x07\"");
    rs_test_write("p.csv", "time,multiplier\n0s,\xc2\x9b\x32J\xff\n");
    ck_assert_int_eq(rs_test_replysim("validate s.ini"), 2);
    one_clean_line("got \"\\xc2\\x9b2J\\xff\"");
}
END_TEST

START_TEST(arguments_with_controls)
{
    rs_test_write("s.ini", scenario_text);
    rs_test_write("p.csv", "1\n");
    ck_assert_int_eq(rs_test_replysim("validate s.ini --set \"$(printf 'scenario.name=a\\nb')\""),
                     2);
    one_clean_line("--set:1: scenario.name: expected a name");
    ck_assert_int_eq(rs_test_replysim("validate s.ini --set \"$(printf 'policy.order=\\033[2J')\""),
                     2);
    one_clean_line("got \"\\x1b[2J\"");
    ck_assert_int_eq(rs_test_replysim("validate s.ini --set \"$(printf 'x\\ny')\""), 2);
    one_clean_line("got \"x\\ny\"");
    ck_assert_int_eq(rs_test_replysim("run s.ini -q -r \"$(printf '1\\n2')\""), 2);
    one_clean_line("-r: expected a whole number");
    ck_assert_int_eq(rs_test_replysim("\"$(printf 'ru\\nn\\033[0m')\""), 2);
    one_clean_line("ru\\nn\\x1b[0m");
}
END_TEST

/* Every spelling of the [scenario] header reads its include. */
START_TEST(include_in_any_scenario_header)
{
    static const char *const heads[] = {"[scenario]", "[scenario ]", "[ scenario ]",
                                        "[\tscenario\t]", "  [ scenario]  ; comment"};
    rs_test_write("base.ini", base_text);
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "%s\ninclude = base.ini\nhorizon = 1d\n", heads[i]);
        rs_test_write("s.ini", text);
        ck_assert_msg(rs_test_replysim("validate s.ini") == 0, "%s", heads[i]);
        ck_assert(rs_test_contains("stdout", "[channel a]"));
        snprintf(text, sizeof text, "%s\ninclude = missing.ini\nhorizon = 1d\n%s", heads[i],
                 base_text);
        rs_test_write("s.ini", text);
        ck_assert_msg(rs_test_replysim("validate s.ini") == 2, "%s", heads[i]);
        one_clean_line("s.ini:2: include: cannot read \"missing.ini\"");
    }
}
END_TEST

/* ------------------------------------------------ big inputs */

/* A baseline of n distinct rows of scenario s, then the extra text. */
static void write_baseline(const char *name, int n, const char *extra)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", rs_test_dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(RS_BASELINE_HEADER "\n", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "s,m%d,all,1,0.5,2,1,2,0.1.0\n", i);
    fputs(extra, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* 200,000 rows: quadratic lookups took minutes, hashed ones well under
 * Check's timeout. */
START_TEST(duplicate_baseline_rows_found_fast)
{
    char path[512];
    struct rs_baseline *b = NULL;
    struct rs_error err;
    snprintf(path, sizeof path, "%s/b.csv", rs_test_dir);
    write_baseline("b.csv", 200000, "s,m7,all,1,0.5,2,1,2,0.1.0\n");
    ck_assert_int_eq(rs_baseline_read(path, "b.csv", &b, &err), RS_EINPUT);
    ck_assert_str_eq(err.file, "b.csv");
    ck_assert_int_eq(err.line, 200002);
    ck_assert_ptr_nonnull(strstr(err.msg, "s,m7,all is also on line 9"));
    write_baseline("b.csv", 200000, "");
    ck_assert_int_eq(rs_baseline_read(path, "b.csv", &b, &err), RS_OK);
    ck_assert_int_eq(b->n_rows, 200000);
    ck_assert_int_eq(rs_baseline_find(b, "s", "m199999", "all")->line, 200001);
    ck_assert_ptr_null(rs_baseline_find(b, "s", "m200000", "all"));
    ck_assert_int_eq(rs_baseline_scenario(b, "s")->line, 2);
    ck_assert_ptr_null(rs_baseline_scenario(b, "t"));
    rs_baseline_destroy(b);
}
END_TEST

/* The program too: a duplicate among 50,000 rows, one line, no run. */
START_TEST(duplicate_baseline_rows_in_check)
{
    rs_test_write("s.ini", scenario_text);
    rs_test_write("p.csv", "1\n");
    write_baseline("b.csv", 50000, "s,m49999,all,1,0.5,2,1,2,0.1.0\n");
    ck_assert_int_eq(rs_test_replysim("check s.ini --baseline b.csv -q"), 2);
    one_clean_line("b.csv:50002: expected one row per scenario, metric and scope; s,m49999,all "
                   "is also on line 50001");
}
END_TEST

START_TEST(replications_bounded)
{
    rs_test_write("s.ini", scenario_text);
    rs_test_write("p.csv", "1\n");
    write_baseline("b.csv", 0, "s,offered,all,1,0.5,2,1,1000000,0.1.0\n");
    ck_assert_int_eq(rs_test_replysim("check s.ini --baseline b.csv -q"), 2);
    one_clean_line("b.csv:2: replications: expected a whole number from 1 to 10000, got "
                   "\"1000000\"");
    char path[512];
    struct rs_baseline *b = NULL;
    struct rs_error err;
    snprintf(path, sizeof path, "%s/b.csv", rs_test_dir);
    write_baseline("b.csv", 0, "s,offered,all,1,0.5,2,1,10000,0.1.0\n");
    ck_assert_int_eq(rs_baseline_read(path, "b.csv", &b, &err), RS_OK);
    ck_assert_int_eq(b->rows[0].replications, RS_BASELINE_MAX_REPLICATIONS);
    rs_baseline_destroy(b);
}
END_TEST

/* A CSV file of head, then n copies of unit, then tail. */
static void write_repeated(const char *name, const char *head, const char *unit, long n,
                           const char *tail)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", rs_test_dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(head, f);
    for (long i = 0; i < n; i++)
        fputs(unit, f);
    fputs(tail, f);
    ck_assert_int_eq(fclose(f), 0);
}

static void csv_refused(const char *name, int line, const char *want)
{
    char path[512];
    struct rs_csvin *c = NULL;
    struct rs_error err;
    snprintf(path, sizeof path, "%s/%s", rs_test_dir, name);
    ck_assert_int_eq(rs_csvin_read(path, name, &c, &err), RS_EINPUT);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(err.line, line);
    ck_assert_msg(strstr(err.msg, want) != NULL, "expected \"%s\" in %s", want, err.msg);
}

/* 64 MB in one cell, plain or quoted over many lines; a line of many
 * short cells; a row of many quoted cells over many lines. */
START_TEST(long_cells_and_lines)
{
    write_repeated("plain.csv", "time,multiplier\n0s,", "abcdefgh", 8L << 20, "\n");
    csv_refused("plain.csv", 2, "expected cells of at most 4096 bytes");
    write_repeated("quoted.csv", "time,multiplier\n0s,1\n1h,\"", "abc\n", 16L << 20, "\"\n");
    csv_refused("quoted.csv", 3, "expected cells of at most 4096 bytes");
    write_repeated("line.csv", "time,multiplier\n\n0s", ",1", 40000, "\n");
    csv_refused("line.csv", 3, "expected lines of at most 65536 bytes");
    write_repeated("cells.csv", "time,multiplier\n", "\"a\nb\",", 5000, "1\n");
    csv_refused("cells.csv", 2, "expected rows of at most 4096 cells");
    /* at the bounds: read */
    char cell[RS_CSVIN_MAX_CELL + 1];
    memset(cell, 'x', RS_CSVIN_MAX_CELL);
    cell[RS_CSVIN_MAX_CELL] = '\0';
    write_repeated("ok.csv", "a,b\n\"", cell, 1, "\",1\n");
    char path[512];
    struct rs_csvin *c = NULL;
    struct rs_error err;
    snprintf(path, sizeof path, "%s/ok.csv", rs_test_dir);
    ck_assert_int_eq(rs_csvin_read(path, "ok.csv", &c, &err), RS_OK);
    ck_assert_uint_eq(strlen(c->rows[1].cells[0]), RS_CSVIN_MAX_CELL);
    rs_csvin_destroy(c);
    /* the program: one line naming file, line and the bound */
    rs_test_write("s.ini", scenario_text);
    write_repeated("p.csv", "time,multiplier\n0s,", "abcdefgh", 1L << 20, "\n");
    ck_assert_int_eq(rs_test_replysim("validate s.ini"), 2);
    one_clean_line("p.csv:2: expected cells of at most 4096 bytes");
}
END_TEST

Suite *rs_test_inputs_suite(void);
Suite *rs_test_inputs_suite(void)
{
    Suite *s = suite_create("inputs");
    TCase *tc = tcase_create("hostile");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, escape_makes_controls_visible);
    tcase_add_test(tc, error_line_is_one_line);
    tcase_add_test(tc, csv_cell_with_newline_or_escape);
    tcase_add_test(tc, arguments_with_controls);
    tcase_add_test(tc, include_in_any_scenario_header);
    tcase_add_test(tc, duplicate_baseline_rows_found_fast);
    tcase_add_test(tc, duplicate_baseline_rows_in_check);
    tcase_add_test(tc, replications_bounded);
    tcase_add_test(tc, long_cells_and_lines);
    suite_add_tcase(s, tc);
    return s;
}
