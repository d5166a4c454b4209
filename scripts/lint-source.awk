# The source checks of `make lint` in one pass over the C files given
# (POSIX awk; paths relative to the top of the tree).  Each finding is one
# line, "CHECK<TAB>file:line: what", for scripts/lint.sh to sort by check:
#
#   banned  banned functions (sprintf vsprintf strcpy strcat strtok atoi atol
#           atof gets) called; `n += snprintf(...)` accumulation (use struct
#           rs_buf); `if (!p) abort();` outside sim/alloc.c (use rs_malloc & co.)
#   length  a function body longer than MAX lines (default 100), not in tests/
#   indep   the library (sim/, include/) prints to stdout/stderr, calls
#           exit or reads argv; tool/ includes a header that is neither
#           "replysim/..." nor in tool/
#
# Comments, string and character literals are blanked first (line numbers
# kept), so words inside them never count.  A function body runs from the
# `{` that opens it at file level to the `}` that closes it; its length is
# the number of lines between the two.

BEGIN {
    if (MAX == "") MAX = 100
    BANNED = "(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|atof|gets)"
    NW = "(^|[^A-Za-z0-9_])"       # no word character before
    SP = "[ \t]*"
    HINT["sprintf"] = HINT["vsprintf"] = "snprintf, or rs_buf_printf for text built in pieces"
    HINT["strcpy"] = HINT["strcat"] = "struct rs_buf, or snprintf with the size"
    HINT["strtok"] = "strtok_r"
    HINT["atoi"] = HINT["atol"] = "strtol with an end pointer and errno"
    HINT["atof"] = "strtod with an end pointer and errno"
    HINT["gets"] = "fgets"
}

FNR == 1 {
    file = FILENAME
    incomment = 0; depth = 0; sig = ""; sigline = 0; infn = 0
    prev = ""; pp_cont = 0
    in_tests = file ~ /^tests\//
    in_sim = file ~ /^(sim|include)\//
    in_tool = file ~ /^tool\//
}

{
    raw = $0
    s = strip(raw)

    # Preprocessor lines (and their continuations) hold no code to count.
    pp = pp_cont || s ~ "^" SP "#"
    pp_cont = pp && raw ~ /\\$/
    if (pp) {
        check_banned(s)
        if (in_tool) check_include(raw)
        if (in_sim) check_sim(s)
        next
    }

    check_banned(s)
    if (in_sim) check_sim(s)
    if (!in_tests) track_functions(s)
    if (s ~ /[^ \t]/) prev = s
}

function say(check, line, what) {
    printf "%s\t%s:%d: %s\n", check, file, line, what
}

# The line with comments and the insides of string and character literals
# replaced by spaces; a block comment may go on over the next lines.
function strip(line,    out, n, i, c, q) {
    if (!incomment && line !~ /[\/"']/) return line
    out = ""; n = length(line); i = 1
    while (i <= n) {
        c = substr(line, i, 1)
        if (incomment) {
            if (c == "*" && substr(line, i + 1, 1) == "/") {
                incomment = 0; out = out "  "; i += 2
            } else {
                out = out " "; i++
            }
            continue
        }
        if (c == "/" && substr(line, i + 1, 1) == "/") break
        if (c == "/" && substr(line, i + 1, 1) == "*") {
            incomment = 1; out = out "  "; i += 2
            continue
        }
        if (c == "\"" || c == "'") {
            q = c; out = out q; i++
            while (i <= n && substr(line, i, 1) != q) {
                if (substr(line, i, 1) == "\\") { out = out " "; i++ }
                out = out " "; i++
            }
            out = out q; i++
            continue
        }
        out = out c; i++
    }
    return out
}

function check_banned(s,    rest, m, name) {
    rest = s
    while (match(rest, "(^|[^A-Za-z0-9_.>])" BANNED SP "\\(")) {
        m = substr(rest, RSTART, RLENGTH)
        name = m
        sub(/^[^A-Za-z_]/, "", name); sub(/[ \t]*\($/, "", name)
        say("banned", FNR, "banned function " name "() (" HINT[name] ")")
        rest = substr(rest, RSTART + RLENGTH)
    }
    # n += snprintf(...), a cast allowed between; also split after the +=
    if (s ~ "\\+=" SP "(\\([^()]*\\)" SP ")?v?snprintf" SP "\\(" ||
        (prev ~ "\\+=" SP "$" && s ~ "^" SP "(\\([^()]*\\)" SP ")?v?snprintf" SP "\\("))
        say("banned", FNR, "n += snprintf() accumulation (use struct rs_buf, replysim/buf.h)")
    if (file != "sim/alloc.c" &&
        (s ~ NW "if" SP "\\(" SP "!.*\\)" SP "abort" SP "\\(" SP "\\)" ||
         s ~ NW "if" SP "\\(.*==" SP "NULL" SP "\\)" SP "abort" SP "\\(" SP "\\)" ||
         (s ~ "^" SP "abort" SP "\\(" SP "\\)" SP ";" &&
          prev ~ NW "if" SP "\\(" SP "(!|.*==" SP "NULL)"))) {
        say("banned", FNR, "if (!p) abort(); (allocate with rs_malloc & co., replysim/alloc.h)")
    }
}

# sim/ is a library: it hands text to a FILE * its caller gives, and
# returns codes instead of exiting.
function check_sim(s,    rest, m) {
    rest = s
    while (match(rest, NW "(printf|vprintf|puts|putchar|perror)" SP "\\(")) {
        m = substr(rest, RSTART, RLENGTH); sub(/^[^A-Za-z_]/, "", m); sub(/[ \t]*\($/, "", m)
        say("indep", FNR, "the library prints: " m "()")
        rest = substr(rest, RSTART + RLENGTH)
    }
    rest = s
    while (match(rest, NW "(stdout|stderr)([^A-Za-z0-9_]|$)")) {
        m = substr(rest, RSTART, RLENGTH); gsub(/[^a-z]/, "", m)
        say("indep", FNR, "the library writes to " m)
        rest = substr(rest, RSTART + RLENGTH)
    }
    if (s ~ NW "(exit|_exit|_Exit|quick_exit)" SP "\\(")
        say("indep", FNR, "the library calls exit()")
    if (s ~ NW "(argv|getopt|getopt_long)([^A-Za-z0-9_]|$)")
        say("indep", FNR, "the library reads argv")
}

# tool/ builds on the public headers only: "replysim/x.h" and its own.
function check_include(raw,    h, t, ok) {
    if (raw !~ "^" SP "#" SP "include" SP "[\"<]") return
    h = raw
    sub("^" SP "#" SP "include" SP, "", h)
    t = substr(h, 1, 1)
    h = substr(h, 2)
    sub(/[">].*$/, "", h)
    if (h ~ /^replysim\//) return
    ok = exists("tool/" h)
    if (t == "\"" && !ok)
        say("indep", FNR, "tool/ includes internal header \"" h "\" (only \"replysim/...\" and tool/ headers)")
    if (t == "<" && !ok && (exists("sim/" h) || exists("include/" h)))
        say("indep", FNR, "tool/ includes internal header <" h "> (only \"replysim/...\" and tool/ headers)")
}

function exists(path,    line, r) {
    r = (getline line < path) >= 0
    close(path)
    return r
}

# Brace depth at file level; a `{` at depth 0 after a declarator with `(`
# and no `=` opens a function body.
function track_functions(s,    n, i, c, t) {
    if (depth > 0 && s !~ /[{}]/) return
    n = length(s)
    for (i = 1; i <= n; i++) {
        c = substr(s, i, 1)
        if (c == "{") {
            if (depth == 0) {
                infn = sig ~ /\(/ && sig !~ /=/
                fnline = FNR
                fnname = sig
                if (match(fnname, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/))
                    fnname = substr(fnname, RSTART, RLENGTH)
                sub(/[ \t]*\($/, "", fnname)
            }
            depth++
        } else if (c == "}") {
            if (depth > 0) depth--
            if (depth == 0) {
                if (infn && FNR - fnline - 1 > MAX)
                    say("length", sigline, "function " fnname "(): " (FNR - fnline - 1) \
                        " lines (more than " MAX ")")
                infn = 0; sig = ""; sigline = 0
            }
        } else if (depth == 0) {
            if (c == ";") {
                sig = ""; sigline = 0
            } else {
                if (sigline == 0 && c !~ /[ \t]/) sigline = FNR
                sig = sig c
            }
        }
    }
    if (depth == 0 && sig != "") sig = sig " "
}
