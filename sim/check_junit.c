/* check_junit.c: a check's verdicts as JUnit XML, the format CI systems
 * (Jenkins, GitLab, GitHub's test reporters) display: one testsuite per
 * baseline file, one testcase per scenario, a failure naming what got
 * worse.  No times: the same check writes the same file. */
#include "replysim/check.h"

#include <stdio.h>
#include <string.h>

/* Writes s as XML text or attribute value. */
static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '&')
            fputs("&amp;", f);
        else if (ch == '<')
            fputs("&lt;", f);
        else if (ch == '>')
            fputs("&gt;", f);
        else if (ch == '"')
            fputs("&quot;", f);
        else if (ch < 0x20 && ch != '\n' && ch != '\t')
            fputc('?', f); /* not allowed in XML 1.0 (names never hold them) */
        else
            fputc(ch, f);
    }
}

/* The failing rows of scenario si, by metric: "sl_1h (all, channel:dm)". */
static void failing_metrics(FILE *f, const struct rs_check *c, int si)
{
    int n = 0;
    for (int i = 0; i < c->n; i++) {
        const struct rs_check_entry *e = &c->e[i];
        if (e->scenario != si || !rs_check_fails(c, e)) continue;
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = c->e[j].scenario == si && rs_check_fails(c, &c->e[j]) &&
                   !strcmp(c->e[j].metric, e->metric);
        if (seen) continue;
        fputs(n++ ? "; " : "", f);
        xml_text(f, e->metric);
        fputs(" (", f);
        int k = 0;
        for (int j = i; j < c->n; j++)
            if (c->e[j].scenario == si && rs_check_fails(c, &c->e[j]) &&
                !strcmp(c->e[j].metric, e->metric)) {
                fputs(k++ ? ", " : "", f);
                xml_text(f, c->e[j].scope);
            }
        fputs(")", f);
    }
}

/* One line per failing row: "sl_1h all: 0.91 -> 0.85 (worse)". */
static void failing_rows(FILE *f, const struct rs_check *c, int si)
{
    for (int i = 0; i < c->n; i++) {
        const struct rs_check_entry *e = &c->e[i];
        if (e->scenario != si || !rs_check_fails(c, e)) continue;
        xml_text(f, e->metric);
        fputc(' ', f);
        xml_text(f, e->scope);
        if (e->v == RS_CHECK_MISSING) {
            fprintf(f, ": %.6g -> (none), missing\n", e->base_mean);
            continue;
        }
        fprintf(f, ": %.6g -> %.6g, %s (%s; p(Holm) %.2g)\n", e->base_mean, e->now_mean,
                e->change < 0   ? "worse"
                : e->change > 0 ? "better"
                                : "moved",
                rs_check_direction_text(rs_check_direction(e->metric)), e->p_adj);
    }
}

void rs_check_junit(FILE *f, const struct rs_check *c, const char *suite, const char *const *names,
                    int n)
{
    int failures = 0;
    for (int si = 0; si < n; si++) {
        int bad = 0;
        for (int i = 0; i < c->n && !bad; i++)
            bad = c->e[i].scenario == si && rs_check_fails(c, &c->e[i]);
        failures += bad;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f, "<testsuites name=\"replysim check\" tests=\"%d\" failures=\"%d\" errors=\"0\">\n",
            n, failures);
    fputs("  <testsuite name=\"", f);
    xml_text(f, suite);
    fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\">\n", n, failures);
    for (int si = 0; si < n; si++) {
        int bad = 0;
        for (int i = 0; i < c->n && !bad; i++)
            bad = c->e[i].scenario == si && rs_check_fails(c, &c->e[i]);
        fputs("    <testcase classname=\"", f);
        xml_text(f, suite);
        fputs("\" name=\"", f);
        xml_text(f, names[si]);
        fputs(bad ? "\">\n" : "\"/>\n", f);
        if (!bad) continue;
        fprintf(f, "      <failure type=\"%s\" message=\"",
                c->fail_on == RS_CHECK_FAIL_MOVED ? "moved" : "worse");
        fputs(c->fail_on == RS_CHECK_FAIL_MOVED ? "moved: " : "worse: ", f);
        failing_metrics(f, c, si);
        fputs("\">", f);
        failing_rows(f, c, si);
        fputs("</failure>\n    </testcase>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
}
