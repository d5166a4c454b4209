#!/bin/sh
# Checks scripts/lint-source.awk on a small tree of made-up files whose
# findings are known, so a broken pattern cannot pass for a clean tree.
# Silent when all is well (make lint runs it first).
set -u
top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
t=$(mktemp -d) || exit 2
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/sim" "$t/tool" "$t/tests"
: >"$t/tool/cli.h"
: >"$t/sim/stats.h"

cat >"$t/sim/x.c" <<'EOF'
/* sprintf( in a comment
   strcpy( still in it */ int a;
static const char *s = "atoi(x) \" strcat(";
static const char c = '"'; int b = atoi(s); // gets(
#define P(x) sprintf(x)
int f(void) {
    char buf[10]; int n = 0;
    n +=
        snprintf(buf, 10, "x");
    n += (size_t)vsnprintf(buf, 10, "x", 0);
    if (!buf)
        abort();
    if (!(p = malloc(3))) abort();
    if (p == NULL) abort();
    if (fclose(f) != 0) abort();
    fgets(buf, 10, stdin); fprintf(stderr, "x"); fprintf(f, "ok");
    printf("%d", argc); exit(1); atexit(g); snprintf(buf, 1, "x"); strtok_r(a, b, c);
    return s.atoi(3) + argv[0][0];
}
struct q { int (*cb)(void); };
static const struct q tab[] = {
{0},
};
int
g(int x)
{
    return x;
}
EOF
cp "$t/sim/x.c" "$t/tests/x.c"
printf '%s\n' 'int h(void)' '{' '    return 0;' '}' '#include "cli.h"' '#include "replysim/a.h"' \
    '#include "stats.h"' '#include <stdio.h>' '#include <stats.h>' 'static void *m(void)' '{' \
    '    void *p = malloc(1);' '    if (!p) abort();' '    return p;' '}' >"$t/tool/y.c"

cat >"$t/want" <<'EOF'
banned	sim/x.c:4: banned function atoi() (strtol with an end pointer and errno)
banned	sim/x.c:5: banned function sprintf() (snprintf, or rs_buf_printf for text built in pieces)
banned	sim/x.c:9: n += snprintf() accumulation (use struct rs_buf, replysim/buf.h)
banned	sim/x.c:10: n += snprintf() accumulation (use struct rs_buf, replysim/buf.h)
banned	sim/x.c:12: if (!p) abort(); (allocate with rs_malloc & co., replysim/alloc.h)
banned	sim/x.c:13: if (!p) abort(); (allocate with rs_malloc & co., replysim/alloc.h)
banned	sim/x.c:14: if (!p) abort(); (allocate with rs_malloc & co., replysim/alloc.h)
indep	sim/x.c:16: the library writes to stderr
indep	sim/x.c:17: the library prints: printf()
indep	sim/x.c:17: the library calls exit()
indep	sim/x.c:18: the library reads argv
length	sim/x.c:6: function f(): 12 lines (more than 3)
banned	tests/x.c:4: banned function atoi() (strtol with an end pointer and errno)
banned	tests/x.c:5: banned function sprintf() (snprintf, or rs_buf_printf for text built in pieces)
banned	tests/x.c:9: n += snprintf() accumulation (use struct rs_buf, replysim/buf.h)
banned	tests/x.c:10: n += snprintf() accumulation (use struct rs_buf, replysim/buf.h)
banned	tests/x.c:12: if (!p) abort(); (allocate with rs_malloc & co., replysim/alloc.h)
banned	tests/x.c:13: if (!p) abort(); (allocate with rs_malloc & co., replysim/alloc.h)
banned	tests/x.c:14: if (!p) abort(); (allocate with rs_malloc & co., replysim/alloc.h)
indep	tool/y.c:7: tool/ includes internal header "stats.h" (only "replysim/..." and tool/ headers)
indep	tool/y.c:9: tool/ includes internal header <stats.h> (only "replysim/..." and tool/ headers)
banned	tool/y.c:13: if (!p) abort(); (allocate with rs_malloc & co., replysim/alloc.h)
EOF
(cd "$t" && awk -v MAX=3 -f "$top/scripts/lint-source.awk" sim/x.c tests/x.c tool/y.c) >"$t/got"
if ! cmp -s "$t/want" "$t/got"; then
    echo "scripts/lint-selftest.sh:1: scripts/lint-source.awk finds other things than expected:" >&2
    diff "$t/want" "$t/got" >&2
    exit 1
fi
