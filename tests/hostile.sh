#!/bin/sh
# hostile.sh: the table of hostile cases (issue 11).  Runs every case of
# tests/data/hostile/*.test with the program BIN and checks its answer:
#
#   sh tests/hostile.sh BIN [FILE.test...]
#
# A .test file holds cases separated by a line `---`.  A case is
#
#   name: what the case is about
#   files:
#   @@ relative/path          a file of the case's folder; its content is
#   line 1 of the file        every line up to the next `@@`, `cmd:` or
#   line 2 ...                `---` (each written with a newline)
#   cmd: replysim ARGS...     shell words; $DATA is the repo's scenarios/data
#   status: N                 the exit status expected
#   stderr: FRAGMENT          a part of stderr (optional for status 0)
#   writes: none              optional: the folder must not change
#   writes: PATH...           optional: it gains exactly these files (relative
#                             paths, contents not checked) and nothing else
#
# A file's line may not be `---` or start with `cmd: ` or `@@ `.  Blank lines
# and lines starting with # outside file bodies are comments.  ARGS are
# shell words (quotes work; they are eval'd in the case's folder).  Each case runs in a fresh temporary folder that
# holds its files (and nothing else), under `timeout 20`, stdin from
# /dev/null, with REPLYSIM_PLOTS set to the repo's plots/.  Checked:
#   - the exit status is N (a signal, a core dump or the timeout never is);
#   - stderr holds FRAGMENT; for status 2 it is exactly one line;
#   - no sanitizer report on stderr (AddressSanitizer, runtime error);
#   - for status 2, and wherever `writes: none` is given, the folder holds
#     exactly the files it started with, recursively, byte for byte
#     (`writes: any` lifts this for a status-2 case); with `writes: PATH...`
#     it holds them and exactly the files listed.
# One line per failing case, FILE:LINE: NAME: what went wrong (each reason,
# separated by ;), then
# `hostile: N cases, M failed`; the exit status is 1 when one failed.
set -u
bin=$1
shift
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
repo=$(cd "$(dirname "$0")/.." && pwd)
DATA=$repo/scenarios/data
export DATA
REPLYSIM_PLOTS=$repo/plots
export REPLYSIM_PLOTS
if [ $# -eq 0 ]; then set -- "$repo"/tests/data/hostile/*.test; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/hostile.XXXXXX")
trap 'rm -rf "$work"' EXIT
n=0
failed=0

# Splits one .test file into $work/cases/K/{meta,files/...}: meta holds the
# lines line=, name=, cmd=, status=, stderr=, writes= (values raw).
split_cases() {
    rm -rf "$work/cases" && mkdir -p "$work/cases"
    awk -v out="$work/cases" '
    function start() { k++; dir = out "/" k; system("mkdir -p \"" dir "/files\""); body = "";
                       started = 1; meta = dir "/meta"; print "line=" NR > meta }
    function endfile() { if (body != "") { close(body); body = "" } }
    function key(s) { if (!started) start(); print s > meta }
    /^---$/ { endfile(); if (started) close(meta); started = 0; infiles = 0; next }
    infiles && /^@@ / {
        endfile(); p = substr($0, 4)
        if (p ~ /^\// || p ~ /(^|\/)\.\.(\/|$)/ || p ~ /["\\$`]/) { key("bad=bad path " p); next }
        body = dir "/files/" p; d = body; sub(/\/[^\/]*$/, "", d)
        system("mkdir -p \"" d "\""); printf "" > body; next }
    infiles && /^cmd: / { endfile(); infiles = 0 }
    infiles { if (body != "") print > body; next }
    /^name: / { key("name=" substr($0, 7)); next }
    /^files:/ { key("files=1"); infiles = 1; next }
    /^cmd: / { key("cmd=" substr($0, 6)); next }
    /^status: / { key("status=" substr($0, 9)); next }
    /^stderr: / { key("stderr=" substr($0, 9)); next }
    /^writes: / { key("writes=" substr($0, 9)); next }
    /^#/ || /^[ \t]*$/ { next }
    { key("bad=unexpected line " NR ": " $0) }
    END { endfile() }' "$1"
}

# The value of KEY in a meta file (the first one).
meta() {
    sed -n "s/^$2=//p" "$1" | head -n 1
}

# The first bytes of a file on one line, control characters as ?.
excerpt() {
    head -c 300 "$1" | tr '\n' '|' | tr -c '[:print:]' '?'
}

# Notes a reason the case fails; report prints them on one line.
fail() {
    why="${why:+$why; }$*"
}

report() {
    if [ -n "$why" ]; then
        echo "${file#"$repo"/}:$line: $name: $why"
        failed=$((failed + 1))
    fi
}

# Runs the case in $work/cases/$1 and checks it.
run_case() {
    id=$1
    m=$work/cases/$id/meta
    line=$(meta "$m" line)
    name=$(meta "$m" name)
    cmd=$(meta "$m" cmd)
    want=$(meta "$m" status)
    frag=$(meta "$m" stderr)
    writes=$(meta "$m" writes)
    bad=$(meta "$m" bad)
    n=$((n + 1))
    [ -n "$name" ] || name="(no name)"
    if [ -n "$bad" ]; then fail "$bad"; return; fi
    case $cmd in
    "replysim "*) args=${cmd#replysim } ;;
    *) fail "cmd: expected 'replysim ARGS', got '$cmd'"; return ;;
    esac
    case $want in
    '' | *[!0-9]*) fail "status: expected a number, got '$want'"; return ;;
    esac
    dir=$work/run/$id
    rm -rf "$work/run" && mkdir -p "$work/run" "$work/pristine"
    cp -R "$work/cases/$id/files" "$dir"
    rm -rf "$work/pristine/$id" && cp -R "$dir" "$work/pristine/$id"
    eval "set -- $args"
    (cd "$dir" && exec timeout 20 "$bin" "$@" </dev/null >"$work/out" 2>"$work/err")
    got=$?
    if [ "$got" -ge 124 ]; then
        fail "killed or timed out (status $got)"
    elif [ "$got" != "$want" ]; then
        fail "expected status $want, got $got: $(excerpt "$work/err")"
    fi
    lines=$(awk 'END { print NR }' "$work/err")
    if [ "$want" = 2 ] && { [ "$lines" != 1 ] || [ "$(wc -l <"$work/err")" -ne 1 ]; }; then
        fail "expected one line on stderr, got $lines: $(excerpt "$work/err")"
    fi
    if [ -n "$frag" ] && ! grep -qF -e "$frag" "$work/err"; then
        fail "stderr lacks '$frag': $(excerpt "$work/err")"
    fi
    if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$work/err"; then
        fail "sanitizer report on stderr"
    fi
    case $writes in
    '' | none | any) ;;
    *)  # the files it may write: each must be there; then as if none
        for w in $writes; do
            if [ -e "$dir/$w" ]; then rm -f "$dir/$w"; else fail "did not write $w"; fi
        done
        writes=none ;;
    esac
    if [ "$writes" = none ] || { [ "$want" = 2 ] && [ "$writes" != any ]; }; then
        if ! diff -r "$work/pristine/$id" "$dir" >"$work/diff" 2>&1; then
            fail "the folder changed: $(excerpt "$work/diff")"
        fi
    fi
    rm -rf "$work/pristine/$id"
}

for file in "$@"; do
    split_cases "$file"
    k=1
    while [ -d "$work/cases/$k" ]; do
        why=
        run_case "$k"
        report
        k=$((k + 1))
    done
done
echo "hostile: $n cases, $failed failed"
[ "$failed" -eq 0 ]
