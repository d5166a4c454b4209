/* scenario_load.c: reading scenario files (docs/scenario-reference.md section 3).
 *
 * Each file is read once: inih splits it into sections and key = value
 * pairs, which are kept as a list of events (header, key, error) with
 * their lines; then the file's include is read, then its events are
 * applied in order.  Our line reader hands inih one whole line at a time,
 * so it always knows the line inih is working on, rejects over-long lines
 * instead of letting them be cut, and keeps section headers for us (inih
 * cuts section names at 49 characters and does not report sections
 * without keys).
 *
 * Layers: an `include`d file is applied first into the same scenario, then
 * the including file, then --set overrides.  Each layer is a "file" (fid);
 * a key or section given twice is an error only within one file.  Keys
 * marked K_DEFER keep their text, resolved in finish() once every section
 * is known. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "scenario_int.h"

#include "replysim/alloc.h"
#include "replysim/file.h"
#include "replysim/units.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE RS_SCN_MAX_LINE
#define WHY_LEN RS_SCN_WHY
#define MAX_DEPTH 8                /* most nested includes */
#define MAX_FILES (MAX_DEPTH + 2)  /* the file, its includes, --set */
#define MAX_FILE_BYTES (16L << 20) /* a larger scenario file is an error */

/* Where a key was given, and its text when K_DEFER. */
struct key_seen {
    int line; /* 0: not given */
    int fid;
    char *text;
};

/* One section of the scenario as the files gave it. */
struct sec_seen {
    int line, fid;               /* its first header */
    int opened_line, opened_fid; /* its latest header */
    struct key_seen *keys;       /* one per key of its kind */
};

struct kind_seen {
    int n;
    struct sec_seen *sec; /* grown as sections appear */
};

enum ev_type { EV_HEADER, EV_KEY, EV_LONG, EV_SYNTAX };

/* A line of a file as inih read it. */
struct event {
    enum ev_type type;
    int line;
    int include; /* EV_KEY: [scenario] include as inih saw it */
    int no_name; /* EV_KEY: nothing before = */
    char *text;  /* EV_HEADER: inside the brackets; EV_KEY: the key as written;
                    EV_SYNTAX: the line */
    char *value; /* EV_KEY */
};

/* One pass of inih over a file. */
struct pass {
    const char *text;  /* cursor */
    int line;          /* line last handed to inih */
    struct rs_buf buf; /* that line, untouched by inih */
    int in_scenario;   /* the last header was [scenario] */
    struct event *ev;
    int n_ev, cap_ev;
};

struct load {
    const char *file;        /* name in messages of the file being applied */
    int fid;                 /* its index in files[] */
    int line;                /* line being applied */
    int kind, inst;          /* section being applied; kind -1 before the first */
    int setting;             /* applying --set overrides */
    const char *const *sets; /* the overrides, for the keys they remove */
    int n_sets;
    struct rs_scenario *sc; /* being filled */
    struct rs_error *err;
    int n_files;
    char *files[MAX_FILES];     /* names in messages, by fid */
    char *dirs[MAX_FILES];      /* folders that relative paths start from ("": cwd) */
    int lines[MAX_FILES];       /* lines of each file */
    char *chain[MAX_DEPTH + 1]; /* resolved paths of the files being read, for cycles */
    int depth;                  /* includes being read */
    struct kind_seen seen[N_SECTIONS];
};

/* ------------------------------------------------ accessors (scenario_int.h) */

const char *rs_scn_load_file(const struct load *ld, int fid) { return ld->files[fid]; }

int rs_scn_load_key_line(const struct load *ld, int kind, int i, int k, int *fid)
{
    if (i >= ld->seen[kind].n) return 0;
    const struct key_seen *ks = &ld->seen[kind].sec[i].keys[k];
    *fid = ks->fid;
    return ks->line;
}

int rs_scn_load_sec_line(const struct load *ld, int kind, int i, int *fid)
{
    if (i >= ld->seen[kind].n) return -1;
    *fid = ld->seen[kind].sec[i].fid;
    return ld->seen[kind].sec[i].line;
}

const char *rs_scn_load_kept(const struct load *ld, int kind, int i, const char *key)
{
    int k = rs_scn_key_index(kind, key);
    if (k < 0 || i >= ld->seen[kind].n) return NULL;
    const struct key_seen *ks = &ld->seen[kind].sec[i].keys[k];
    return ks->line ? ks->text : NULL;
}

const char *rs_scn_load_dir(const struct load *ld, int kind, int i, int k)
{
    return ld->dirs[ld->seen[kind].sec[i].keys[k].fid];
}

struct rs_scenario *rs_scn_load_sc(struct load *ld) { return ld->sc; }

struct rs_error *rs_scn_load_err(struct load *ld) { return ld->err; }

/* The line errors about something missing from the whole scenario name:
 * the last line of the scenario file (1 when it is empty), where it could
 * be added. */
static int end_line(const struct load *ld) { return ld->lines[0] > 0 ? ld->lines[0] : 1; }

static int given(const struct load *ld, int kind, int i, const char *key)
{
    int fid;
    return i < ld->seen[kind].n &&
           rs_scn_load_key_line(ld, kind, i, rs_scn_key_index(kind, key), &fid) > 0;
}

/* ------------------------------------------------ sections and keys */

/* A new section (kind) with its defaults; i its index. */
static void add_section(struct load *ld, int kind, const char *name, int line)
{
    const struct section_def *sd = &rs_scn_sections[kind];
    struct kind_seen *ks = &ld->seen[kind];
    int i = ks->n++;
    ks->sec = rs_reallocarray(ks->sec, (size_t)ks->n, sizeof *ks->sec);
    ks->sec[i] = (struct sec_seen){line, ld->fid, line, ld->fid,
                                   rs_calloc((size_t)sd->n_keys, sizeof(struct key_seen))};
    if (!sd->named) return;
    char *sec = rs_scn_section(ld->sc, kind, i);
    memset(sec, 0, sd->stride);
    memcpy(sec, name, strlen(name) + 1); /* checked: shorter than RS_NAME_MAX */
    memcpy((char *)ld->sc + sd->count_off, &ks->n, sizeof ks->n);
    rs_scn_key_defaults(ld->sc, kind, i);
    /* line: for messages about scenarios checked again after the load */
    if (kind == SEC_CHANNEL) ld->sc->channels[i].line = line;
    if (kind == SEC_TYPE) ld->sc->types[i].line = line;
    if (kind == SEC_BURST) ld->sc->bursts[i].line = line;
    if (kind == SEC_SHIFT) ld->sc->shifts[i].line = line;
}

static int find_kind(const char *kind)
{
    for (int k = 0; k < N_SECTIONS; k++)
        if (strcmp(rs_scn_sections[k].kind, kind) == 0) return k;
    return -1;
}

/* Checks the header's kind and name; s its kind. */
static int header_kind(struct load *ld, const char *kind, const char *name, const char *label,
                       int *s)
{
    char why[WHY_LEN];
    *s = find_kind(kind);
    if (*s < 0)
        return rs_error_input(ld->err, ld->file, ld->line, label,
                              "unknown section, expected [scenario], [channel NAME], "
                              "[burst NAME], [type NAME], [staff], [shift NAME], [policy] "
                              "or [outcome]");
    const struct section_def *sd = &rs_scn_sections[*s];
    if (sd->named && name[0] == '\0')
        return rs_error_input(ld->err, ld->file, ld->line, label,
                              "expected a name, as in [%s NAME]", sd->kind);
    if (!sd->named && name[0] != '\0')
        return rs_error_input(ld->err, ld->file, ld->line, label, "expected [%s] without a name",
                              sd->kind);
    if (sd->named && rs_scn_check_name(name, why, sizeof why))
        return rs_error_input(ld->err, ld->file, ld->line, label, "%s", why);
    return RS_OK;
}

/* A header's text between [ and ] (p: its text after [, holding a ]),
 * trimmed, into head (MAX_LINE + 1 bytes).  Every pass over a file splits
 * headers with this and split_head, so that all of them agree on what a
 * section is (an include in "[ scenario ]" is read like one in
 * "[scenario]"). */
static void trim_head(const char *p, char *head)
{
    rs_scn_trim(p, (size_t)(strchr(p, ']') - p), head, MAX_LINE + 1);
}

/* head ("kind NAME") into kind (MAX_LINE + 1 bytes) and *name (in head). */
static void split_head(const char *head, char *kind, const char **name)
{
    size_t klen = strcspn(head, " \t");
    rs_scn_trim(head, klen, kind, MAX_LINE + 1);
    *name = head + klen;
    while (rs_scn_is_blank(**name))
        (*name)++;
}

/* Opens the section of header "kind NAME".  A section seen in an earlier
 * layer (an included file) is opened again to override it. */
static int open_section(struct load *ld, const char *head)
{
    char kind[MAX_LINE + 1], label[MAX_LINE + 8];
    const char *name;
    split_head(head, kind, &name);
    snprintf(label, sizeof label, "[%s]", head);
    int s, rc = header_kind(ld, kind, name, label, &s);
    if (rc) return rc;
    const struct section_def *sd = &rs_scn_sections[s];
    struct kind_seen *ks = &ld->seen[s];
    for (int i = 0; i < ks->n; i++) {
        if (sd->named && strcmp(rs_scn_name_of(ld->sc, s, i), name) != 0) continue;
        if (ks->sec[i].opened_fid == ld->fid)
            return rs_error_input(ld->err, ld->file, ld->line, label,
                                  "section given twice, first on line %d", ks->sec[i].opened_line);
        ks->sec[i].opened_fid = ld->fid;
        ks->sec[i].opened_line = ld->line;
        ld->kind = s;
        ld->inst = i;
        return RS_OK;
    }
    if (ks->n >= sd->max)
        return rs_error_input(ld->err, ld->file, ld->line, label,
                              "expected at most %d [%s] sections", sd->max, sd->kind);
    add_section(ld, s, name, ld->line);
    ld->kind = s;
    ld->inst = ks->n - 1;
    return RS_OK;
}

/* A header line "[kind NAME] ; comment" (its text after [). */
static int header(struct load *ld, const char *p)
{
    const char *close = strchr(p, ']');
    const char *rest = close + 1;
    while (rs_scn_is_blank(*rest))
        rest++;
    if (*rest != '\0' && *rest != ';' && *rest != '#') {
        char tail[MAX_LINE + 1];
        rs_scn_trim(rest, strlen(rest), tail, sizeof tail);
        return rs_error_input(ld->err, ld->file, ld->line, NULL,
                              "expected nothing after ] of a section header, got \"%.60s\"", tail);
    }
    char head[MAX_LINE + 1];
    trim_head(p, head);
    return open_section(ld, head);
}

/* Sets key k of the section being read from value; `shown` is the key as
 * errors name it.  A key given twice is an error within one file only. */
static int set_key(struct load *ld, int k, const char *value, const char *shown)
{
    char why[WHY_LEN];
    const struct key_def *kd = &rs_scn_sections[ld->kind].keys[k];
    struct key_seen *seen = &ld->seen[ld->kind].sec[ld->inst].keys[k];
    if (seen->line && seen->fid == ld->fid && !ld->setting) {
        struct rs_buf label = RS_BUF_INIT;
        rs_scn_label(ld->sc, ld->kind, ld->inst, &label);
        int rc =
            rs_error_input(ld->err, ld->file, ld->line, shown,
                           "given twice in %s, first on line %d", rs_buf_str(&label), seen->line);
        rs_buf_free(&label);
        return rc;
    }
    seen->line = ld->line;
    seen->fid = ld->fid;
    if (kd->flags & K_DEFER) {
        free(seen->text);
        seen->text = rs_strdup(value);
        return RS_OK;
    }
    if (rs_scn_parse_key(ld->sc, ld->kind, ld->inst, k, value, why, sizeof why))
        return rs_error_input(ld->err, ld->file, ld->line, shown, "%s", why);
    return RS_OK;
}

static int unknown_key(struct load *ld, const char *shown)
{
    const struct section_def *sd = &rs_scn_sections[ld->kind];
    struct rs_buf label = RS_BUF_INIT, list = RS_BUF_INIT;
    rs_scn_label(ld->sc, ld->kind, ld->inst, &label);
    for (int j = 0; j < sd->n_keys; j++)
        rs_buf_printf(&list, "%s%s", j ? ", " : "", sd->keys[j].name);
    int rc =
        rs_error_input(ld->err, ld->file, ld->line, shown, "unknown key in %s, expected one of %s",
                       rs_buf_str(&label), rs_buf_str(&list));
    rs_buf_free(&label);
    rs_buf_free(&list);
    return rc;
}

/* ------------------------------------------------ keys --set removes */

/* The parts of an override "section.key=value" (named sections:
 * "channel.NAME.key=value"), each MAX_LINE + 1 bytes; *key points into
 * lhs.  0, or -1 without '=' or -2 without a section and key. */
static int split_set(const char *set, char *lhs, char *value, char *kind, char *name,
                     const char **key)
{
    const char *eq = strchr(set, '=');
    if (!eq) return -1;
    rs_scn_trim(set, (size_t)(eq - set), lhs, MAX_LINE + 1);
    rs_scn_trim(eq + 1, strlen(eq + 1), value, MAX_LINE + 1);
    const char *dot = strchr(lhs, '.'), *last = strrchr(lhs, '.');
    if (!dot || !last[1]) return -2;
    rs_scn_trim(lhs, (size_t)(dot - lhs), kind, MAX_LINE + 1);
    rs_scn_trim(dot + 1, last > dot ? (size_t)(last - dot - 1) : 0, name, MAX_LINE + 1);
    *key = last + 1;
    return 0;
}

/* An override that removes its key: "KEY=" or "KEY=none", except where
 * none is a value unlike the default (complaint_types = none: no type
 * counts), which only the empty value removes. */
static int is_removal(const char *key, const char *value)
{
    return !value[0] || (!strcmp(value, "none") && strcmp(key, "complaint_types") != 0);
}

/* Set j of ld->sets removes the key it names: 1 and its lhs in lhs. */
static int removal_at(const struct load *ld, int j, char *lhs, char *kind, char *name,
                      const char **key)
{
    char value[MAX_LINE + 1];
    return !split_set(ld->sets[j], lhs, value, kind, name, key) && is_removal(*key, value);
}

/* 1 when a --set removes key k of the section being read: the files'
 * value is then never applied, as if the line were not there. */
static int removed_by_set(const struct load *ld, int k)
{
    const struct section_def *sd = &rs_scn_sections[ld->kind];
    for (int j = 0; j < ld->n_sets; j++) {
        char lhs[MAX_LINE + 1], kind[MAX_LINE + 1], name[MAX_LINE + 1];
        const char *key;
        if (!removal_at(ld, j, lhs, kind, name, &key)) continue;
        if (strcmp(kind, sd->kind) || strcmp(key, sd->keys[k].name)) continue;
        if (!sd->named || !strcmp(name, rs_scn_name_of(ld->sc, ld->kind, ld->inst))) return 1;
    }
    return 0;
}

/* 1 when a later --set than the pos-th removes the key lhs names: the
 * last word on a key is the command line's, so this one is not applied. */
static int removed_later(const struct load *ld, int pos, const char *lhs)
{
    for (int j = pos; j < ld->n_sets; j++) {
        char l[MAX_LINE + 1], kind[MAX_LINE + 1], name[MAX_LINE + 1];
        const char *key;
        if (removal_at(ld, j, l, kind, name, &key) && !strcmp(l, lhs)) return 1;
    }
    return 0;
}

static int apply_key(struct load *ld, const struct event *e)
{
    if (ld->kind < 0)
        return rs_error_input(ld->err, ld->file, ld->line, e->text,
                              "expected a [section] header before the first key");
    if (e->no_name)
        return rs_error_input(ld->err, ld->file, ld->line, NULL, "expected a key before =");
    int k = rs_scn_key_index(ld->kind, e->text);
    if (k < 0) return unknown_key(ld, e->text);
    return removed_by_set(ld, k) ? RS_OK : set_key(ld, k, e->value, e->text);
}

static int apply_event(struct load *ld, const struct event *e)
{
    ld->line = e->line;
    switch (e->type) {
    case EV_HEADER:
        return header(ld, e->text);
    case EV_KEY:
        return apply_key(ld, e);
    case EV_LONG:
        return rs_error_input(ld->err, ld->file, e->line, NULL, "line longer than %d characters",
                              MAX_LINE);
    default:
        return rs_error_input(ld->err, ld->file, e->line, NULL,
                              "expected [section] or key = value, got \"%.60s\"", e->text);
    }
}

/* ------------------------------------------------ one pass of inih */

static struct event *push(struct pass *ps, enum ev_type type, const char *text)
{
    if (ps->n_ev == ps->cap_ev) {
        ps->cap_ev = ps->cap_ev ? 2 * ps->cap_ev : 64;
        ps->ev = rs_reallocarray(ps->ev, (size_t)ps->cap_ev, sizeof *ps->ev);
    }
    struct event *e = &ps->ev[ps->n_ev++];
    *e = (struct event){type, ps->line, 0, 0, rs_strdup(text), NULL};
    return e;
}

/* The current line without a byte order mark on line 1. */
static const char *line_text(const struct pass *ps)
{
    const char *p = rs_buf_str(&ps->buf);
    if (ps->line == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    return p;
}

/* inih's reader: one whole line per call, so ps->line is the line inih is on. */
static char *reader(char *str, int num, void *stream)
{
    struct pass *ps = stream;
    if (*ps->text == '\0') return NULL;
    const char *nl = strchr(ps->text, '\n');
    size_t len = nl ? (size_t)(nl - ps->text) + 1 : strlen(ps->text);
    rs_buf_reset(&ps->buf);
    rs_buf_putn(&ps->buf, ps->text, len);
    ps->text += len;
    ps->line++;
    size_t body = len;
    const char *b = rs_buf_str(&ps->buf);
    while (body > 0 && (b[body - 1] == '\n' || b[body - 1] == '\r'))
        body--;
    if (body > MAX_LINE || len + 1 > (size_t)num) {
        push(ps, EV_LONG, "");
        return NULL;
    }
    const char *p = line_text(ps);
    while (rs_scn_is_blank(*p))
        p++;
    if (*p == '[' && strchr(p, ']')) { /* else inih's syntax error */
        char head[MAX_LINE + 1], kind[MAX_LINE + 1];
        const char *name;
        push(ps, EV_HEADER, p + 1);
        trim_head(p + 1, head);
        split_head(head, kind, &name);
        ps->in_scenario = strcmp(kind, "scenario") == 0 && name[0] == '\0';
    }
    memcpy(str, b, len + 1);
    return str;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct pass *ps = user;
    char key[MAX_LINE + 1];
    const char *p = line_text(ps); /* the key as written: inih cuts names at 49 characters */
    rs_scn_trim(p, strcspn(p, "=:"), key, sizeof key);
    struct event *e = push(ps, EV_KEY, key);
    e->value = rs_strdup(value);
    e->no_name = name[0] == '\0';
    /* our headers, not inih's section: inih keeps blanks inside [ ] */
    (void)section;
    e->include = ps->in_scenario && strcmp(key, "include") == 0;
    return 1;
}

/* inih's options are process-wide: ours while reading, theirs put back.
 * One pass at a time, so that loading from several threads (sweep
 * workers) never parses with another thread's half-restored options. */
static pthread_mutex_t ini_lock = PTHREAD_MUTEX_INITIALIZER;

struct ini_opts {
    bool use_stack, allow_realloc, stop, multiline, inline_comments, no_value;
    int max_line, initial_alloc;
    char *inline_prefixes;
};

static struct ini_opts ini_ours(void)
{
    static char prefixes[] = ";#";
    struct ini_opts saved = {
        ini_use_stack,       ini_allow_realloc,         ini_stop_on_first_error,
        ini_allow_multiline, ini_allow_inline_comments, ini_allow_no_value,
        ini_max_line,        ini_initial_alloc,         ini_inline_comment_prefixes};
    ini_use_stack = false;
    ini_allow_realloc = false;
    ini_max_line = MAX_LINE + 3; /* room for \r\n and NUL */
    ini_initial_alloc = MAX_LINE + 3;
    ini_stop_on_first_error = true;
    ini_allow_multiline = false; /* an indented line is a key of its own */
    ini_allow_inline_comments = true;
    ini_allow_no_value = false;
    ini_inline_comment_prefixes = prefixes;
    return saved;
}

static void ini_restore(const struct ini_opts *o)
{
    ini_use_stack = o->use_stack;
    ini_allow_realloc = o->allow_realloc;
    ini_max_line = o->max_line;
    ini_initial_alloc = o->initial_alloc;
    ini_stop_on_first_error = o->stop;
    ini_allow_multiline = o->multiline;
    ini_allow_inline_comments = o->inline_comments;
    ini_allow_no_value = o->no_value;
    ini_inline_comment_prefixes = o->inline_prefixes;
}

/* Splits text into events, up to and with its first error. */
static void read_events(struct pass *ps, const char *text)
{
    ps->text = text;
    pthread_mutex_lock(&ini_lock);
    struct ini_opts saved = ini_ours();
    int bad_line = ini_parse_stream(reader, ps, on_key, ps);
    ini_restore(&saved);
    pthread_mutex_unlock(&ini_lock);
    if (bad_line == -2) rs_alloc_failed(0); /* inih ran out of memory */
    if (bad_line > 0) {
        char shown[MAX_LINE + 1];
        const char *b = rs_buf_str(&ps->buf);
        rs_scn_trim(b, strlen(b), shown, sizeof shown);
        push(ps, EV_SYNTAX, shown)->line = bad_line;
    }
}

static void free_pass(struct pass *ps)
{
    for (int i = 0; i < ps->n_ev; i++) {
        free(ps->ev[i].text);
        free(ps->ev[i].value);
    }
    free(ps->ev);
    rs_buf_free(&ps->buf);
}

/* ------------------------------------------------ files, includes */

/* The whole file into *text (NUL-terminated); RS_EIO with the reason in
 * why (errno's, or not a regular file: rs_file_open_read), or RS_EINPUT
 * (NUL byte, too large) with err filled. */
static int slurp(const char *path, char **text, char *why, size_t n, struct rs_error *err)
{
    FILE *f = NULL;
    if (rs_file_open_read(path, &f, why, n)) return RS_EIO;
    size_t cap = 4096, len = 0;
    char *b = rs_malloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            if (cap > (size_t)MAX_FILE_BYTES) {
                int line = 1; /* the line the limit falls in */
                for (size_t i = 0; i < len; i++)
                    line += b[i] == '\n';
                fclose(f);
                free(b);
                return rs_error_input(err, path, line, NULL, "expected a file of at most %ld bytes",
                                      MAX_FILE_BYTES);
            }
            cap *= 2;
            b = rs_realloc(b, cap);
        }
        size_t got = fread(b + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
    }
    int bad = ferror(f), e = errno;
    fclose(f);
    if (bad) {
        free(b);
        rs_error_why(why, n, "%s", strerror(e));
        return RS_EIO;
    }
    b[len] = '\0';
    const char *nul = memchr(b, '\0', len);
    if (nul) {
        int line = 1;
        for (const char *p = b; p < nul; p++)
            line += *p == '\n';
        free(b);
        return rs_error_input(err, path, line, NULL, "expected text, got a NUL byte");
    }
    *text = b;
    return RS_OK;
}

/* A new layer named name in messages; relative paths in it start from
 * its folder. */
static int add_file(struct load *ld, const char *name)
{
    int fid = ld->n_files++;
    const char *slash = strrchr(name, '/');
    size_t dlen = slash ? (size_t)(slash - name) + (slash == name) : 0;
    ld->files[fid] = rs_strdup(name);
    ld->dirs[fid] = rs_strndup(name, dlen);
    return fid;
}

static int read_text(struct load *ld, const char *name, const char *text);

/* Whether text has a line other than blanks and comments: an included file
 * without one would add nothing, in silence. */
static int has_content(const char *text)
{
    const char *p = text;
    if (strncmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3; /* a byte order mark */
    while (*p) {
        while (rs_scn_is_blank(*p) || *p == '\r')
            p++;
        if (*p && *p != '\n' && *p != ';' && *p != '#') return 1;
        p += strcspn(p, "\n");
        if (*p) p++;
    }
    return 0;
}

/* [scenario] include of the file being read, found on line `line`. */
static int read_include(struct load *ld, const char *value, int line)
{
    char path[RS_PATH_MAX], real[PATH_MAX], why[WHY_LEN];
    char *text = NULL;
    if (!value[0])
        return rs_error_input(ld->err, ld->file, line, "include", "expected a scenario file name");
    if (rs_scn_join_path(ld->dirs[ld->fid], value, path, sizeof path))
        return rs_error_input(ld->err, ld->file, line, "include",
                              "expected a path of at most %d characters", RS_PATH_MAX - 1);
    if (ld->depth >= MAX_DEPTH)
        return rs_error_input(ld->err, ld->file, line, "include",
                              "expected at most %d nested includes", MAX_DEPTH);
    if (!realpath(path, real))
        return rs_error_input(ld->err, ld->file, line, "include", "cannot read \"%s\": %s", path,
                              strerror(errno));
    for (int d = 0; d <= ld->depth; d++)
        if (ld->chain[d] && strcmp(ld->chain[d], real) == 0)
            return rs_error_input(ld->err, ld->file, line, "include",
                                  "expected no include cycle, \"%s\" is already being read", path);
    int rc = slurp(path, &text, why, sizeof why, ld->err);
    if (rc == RS_EIO)
        return rs_error_input(ld->err, ld->file, line, "include", "cannot read \"%s\": %s", path,
                              why);
    if (rc) return rc;
    if (!has_content(text)) {
        free(text);
        return rs_error_input(ld->err, ld->file, line, "include",
                              "expected a scenario file with sections, \"%s\" has none", path);
    }
    ld->chain[++ld->depth] = rs_strdup(real);
    rc = read_text(ld, path, text);
    free(ld->chain[ld->depth]);
    ld->chain[ld->depth--] = NULL;
    free(text);
    return rc;
}

/* Reads one layer: its include first, then its own keys. */
static int read_text(struct load *ld, const char *name, const char *text)
{
    struct pass ps = {.buf = RS_BUF_INIT};
    read_events(&ps, text);
    int fid = add_file(ld, name), rc = RS_OK;
    ld->lines[fid] = ps.line;
    for (int i = 0; i < ps.n_ev && !rc; i++) {
        if (ps.ev[i].type == EV_KEY && ps.ev[i].include) {
            ld->fid = fid;
            ld->file = ld->files[fid];
            rc = read_include(ld, ps.ev[i].value, ps.ev[i].line);
            break;
        }
    }
    ld->fid = fid; /* the includes are done: this file's place */
    ld->file = ld->files[fid];
    ld->kind = -1;
    for (int i = 0; i < ps.n_ev && !rc; i++)
        rc = apply_event(ld, &ps.ev[i]);
    free_pass(&ps);
    return rc;
}

/* ------------------------------------------------ --set */

/* The section (s, name) of an override, created when a [staff], [policy]
 * or [outcome] the file left out; pos its place on the command line. */
static int set_section(struct load *ld, int s, const char *name, const char *lhs, int pos)
{
    const struct section_def *sd = &rs_scn_sections[s];
    int i = -1;
    for (int j = 0; j < ld->seen[s].n; j++)
        if (!sd->named || strcmp(rs_scn_name_of(ld->sc, s, j), name) == 0) i = j;
    if (i < 0 && sd->named)
        return rs_error_input(ld->err, ld->file, pos, lhs,
                              "expected a section of the scenario, there is no [%s %s]", sd->kind,
                              name);
    if (i < 0) {
        add_section(ld, s, "", pos);
        i = 0;
    }
    ld->kind = s;
    ld->inst = i;
    return RS_OK;
}

/* One override "section.key=value" (named: "channel.NAME.key=value"),
 * the pos-th on the command line.  One that removes its key (is_removal)
 * is checked like any other and then has nothing left to do: the files'
 * value was skipped as they were read (removed_by_set). */
static int apply_set(struct load *ld, const char *set, int pos)
{
    char lhs[MAX_LINE + 1], value[MAX_LINE + 1], kind[MAX_LINE + 1], name[MAX_LINE + 1];
    const char *key = NULL;
    ld->line = pos;
    int split = split_set(set, lhs, value, kind, name, &key);
    if (split == -1)
        return rs_error_input(ld->err, ld->file, pos, NULL,
                              "expected section.key=value such as channel.twitter.rate=50/h, "
                              "got \"%.60s\"",
                              set);
    if (split == -2)
        return rs_error_input(ld->err, ld->file, pos, lhs,
                              "expected section.key such as policy.order or channel.NAME.rate");
    int s = find_kind(kind);
    if (s < 0)
        return rs_error_input(ld->err, ld->file, pos, lhs,
                              "unknown section \"%s\", expected scenario, channel, burst, type, "
                              "staff, shift, policy or outcome",
                              kind);
    const struct section_def *sd = &rs_scn_sections[s];
    if (sd->named && !name[0])
        return rs_error_input(ld->err, ld->file, pos, lhs, "expected %s.NAME.%s", kind, key);
    if (!sd->named && name[0])
        return rs_error_input(ld->err, ld->file, pos, lhs, "expected %s.%s without a name", kind,
                              key);
    int rc = set_section(ld, s, name, lhs, pos);
    if (rc) return rc;
    int k = rs_scn_key_index(s, key);
    if (k < 0) return unknown_key(ld, lhs);
    if (s == SEC_SCENARIO && strcmp(key, "include") == 0)
        return rs_error_input(ld->err, ld->file, pos, lhs,
                              "expected a key other than include, which files alone may give");
    if (is_removal(key, value) || removed_later(ld, pos, lhs)) return RS_OK;
    return set_key(ld, k, value, lhs);
}

/* ------------------------------------------------ resolving, after the files */

/* Default scenario name: the file's base name without .ini. */
static int default_name(struct load *ld)
{
    char why[WHY_LEN], base[512];
    const char *label = ld->files[0];
    if (!label[0]) return RS_OK; /* keeps "scenario" */
    const char *slash = strrchr(label, '/');
    const char *b = slash ? slash + 1 : label;
    size_t len = strlen(b);
    if (len >= 4 && strcmp(b + len - 4, ".ini") == 0) len -= 4;
    rs_scn_trim(b, len, base, sizeof base);
    if (!rs_scn_check_name(base, why, sizeof why)) {
        memcpy(ld->sc->name, base, strlen(base) + 1); /* checked: shorter than RS_NAME_MAX */
        return RS_OK;
    }
    int fid, line = rs_scn_load_sec_line(ld, SEC_SCENARIO, 0, &fid); /* its [scenario] */
    return rs_error_input(ld->err, line > 0 ? ld->files[fid] : label,
                          line > 0 ? line : end_line(ld), "name",
                          "missing, and the file name does not make one: %s", why);
}

static struct checker checker_of(struct load *ld)
{
    return (struct checker){ld->sc, ld, ld->err, ld->files[0]};
}

/* Names of channels or types (kept text of key) as a bit mask. */
static int resolve_names(struct load *ld, int kind, int i, const char *key, int channels,
                         uint32_t *out)
{
    struct checker ck = checker_of(ld);
    char why[WHY_LEN];
    if (rs_scn_resolve_names(ld->sc, rs_scn_load_kept(ld, kind, i, key), channels, out, why,
                             sizeof why))
        return rs_scn_fail(&ck, kind, i, key, "%s", why);
    return RS_OK;
}

static int resolve_mix(struct load *ld, int kind, int i, double *mix)
{
    struct checker ck = checker_of(ld);
    char why[WHY_LEN];
    if (rs_scn_resolve_mix(ld->sc, rs_scn_load_kept(ld, kind, i, "mix"), mix, why, sizeof why))
        return rs_scn_fail(&ck, kind, i, "mix", "%s", why);
    return RS_OK;
}

static int finish_channel(struct load *ld, int i)
{
    struct rs_scenario *sc = ld->sc;
    struct rs_channel_cfg *c = &sc->channels[i];
    struct checker ck = checker_of(ld);
    int rc, full = 0;
    int has_rate = given(ld, SEC_CHANNEL, i, "rate");
    int has_trace = rs_scn_load_kept(ld, SEC_CHANNEL, i, "trace") != NULL;
    if (has_rate && has_trace)
        return rs_scn_fail(&ck, SEC_CHANNEL, i, "rate",
                           "expected rate or trace in [channel %s], not both", c->name);
    if (!has_rate && !has_trace)
        return rs_scn_fail(&ck, SEC_CHANNEL, i, "rate",
                           "missing, required in [channel %s] unless trace is given", c->name);
    if (rs_scn_load_kept(ld, SEC_CHANNEL, i, "profile")) {
        rc = rs_scn_read_series(ld, SEC_CHANNEL, i, "profile", "multiplier", 0, &c->profile);
        if (rc) return rc;
    }
    if (has_trace) {
        rc = rs_scn_read_trace(ld, i, &full);
        if (rc) return rc;
    }
    const char *to = rs_scn_load_kept(ld, SEC_CHANNEL, i, "move_to");
    if (to && (c->move_to = rs_scenario_channel(sc, to)) < 0)
        return rs_scn_fail(&ck, SEC_CHANNEL, i, "move_to",
                           "expected a channel defined by a [channel NAME] section, got \"%s\"",
                           to);
    if (rs_scn_load_kept(ld, SEC_CHANNEL, i, "mix")) return resolve_mix(ld, SEC_CHANNEL, i, c->mix);
    if (sc->n_types == 1) {
        c->mix[0] = 1;
    } else if (full) { /* the trace's own shares */
        for (int k = 0; k < c->trace.n; k++)
            c->mix[c->trace.type[k]] += 1.0 / c->trace.n;
    } else {
        return rs_scn_fail(&ck, SEC_CHANNEL, i, "mix",
                           has_trace ? "required when there is more than one type and the trace "
                                       "does not give every message's type"
                                     : "required when there is more than one type");
    }
    return RS_OK;
}

/* Required sections and keys of the table. */
static int finish_required(struct load *ld)
{
    struct checker ck = checker_of(ld);
    for (int s = 0; s < N_SECTIONS; s++) {
        const struct section_def *sd = &rs_scn_sections[s];
        if (sd->required && ld->seen[s].n == 0)
            return rs_error_input(ld->err, ld->files[0], end_line(ld), sd->kind,
                                  "missing section, expected %s", sd->hint);
        for (int i = 0; i < ld->seen[s].n; i++)
            for (int k = 0; k < sd->n_keys; k++) {
                if (!(sd->keys[k].flags & K_REQUIRED) || ld->seen[s].sec[i].keys[k].line) continue;
                struct rs_buf label = RS_BUF_INIT;
                rs_scn_label(ld->sc, s, i, &label);
                int rc = rs_scn_fail(&ck, s, i, sd->keys[k].name, "missing, required in %s",
                                     rs_buf_str(&label));
                rs_buf_free(&label);
                return rc;
            }
    }
    return RS_OK;
}

static int finish_types(struct load *ld)
{
    struct rs_scenario *sc = ld->sc;
    struct checker ck = checker_of(ld);
    for (int i = 0; i < sc->n_types; i++) {
        struct rs_type_cfg *t = &sc->types[i];
        if (t->needs_reply && !given(ld, SEC_TYPE, i, "handle"))
            return rs_scn_fail(&ck, SEC_TYPE, i, "handle",
                               "missing in [type %s], required when reply = yes", t->name);
        const char *to = rs_scn_load_kept(ld, SEC_TYPE, i, "switch_to");
        if (to) t->switch_to = rs_scenario_channel(sc, to);
        if (to && t->switch_to < 0)
            return rs_scn_fail(&ck, SEC_TYPE, i, "switch_to",
                               "expected a channel defined by a [channel NAME] section, got \"%s\"",
                               to);
        if (!to && t->switch_p > 0)
            return rs_scn_fail(&ck, SEC_TYPE, i, "switch_to",
                               "missing in [type %s], required when switch > 0", t->name);
    }
    return RS_OK;
}

static int finish_bursts(struct load *ld)
{
    struct rs_scenario *sc = ld->sc;
    struct checker ck = checker_of(ld);
    for (int i = 0; i < sc->n_bursts; i++) {
        struct rs_burst_cfg *b = &sc->bursts[i];
        const char *ch = rs_scn_load_kept(ld, SEC_BURST, i, "channel");
        b->channel = rs_scenario_channel(sc, ch);
        if (b->channel < 0)
            return rs_scn_fail(&ck, SEC_BURST, i, "channel",
                               "expected a channel defined by a [channel NAME] section, got \"%s\"",
                               ch);
        if (rs_scn_load_kept(ld, SEC_BURST, i, "mix")) {
            int rc = resolve_mix(ld, SEC_BURST, i, b->mix);
            if (rc) return rc;
        } else {
            memcpy(b->mix, sc->channels[b->channel].mix, sizeof b->mix);
        }
    }
    return RS_OK;
}

static int finish_staff(struct load *ld)
{
    struct rs_scenario *sc = ld->sc;
    struct checker ck = checker_of(ld);
    int has_agents = given(ld, SEC_STAFF, 0, "agents");
    int has_schedule = ld->seen[SEC_STAFF].n && rs_scn_load_kept(ld, SEC_STAFF, 0, "schedule");
    if (has_agents && has_schedule) {
        /* one of them from the command line: say how to drop the other */
        int fa = -1, fs = -1;
        rs_scn_load_key_line(ld, SEC_STAFF, 0, rs_scn_key_index(SEC_STAFF, "agents"), &fa);
        rs_scn_load_key_line(ld, SEC_STAFF, 0, rs_scn_key_index(SEC_STAFF, "schedule"), &fs);
        const char *hint = !ld->setting || fa == fs ? ""
                           : fa == ld->fid          ? " (add staff.schedule= to remove the "
                                                      "file's schedule)"
                                                    : " (add staff.agents= to remove the "
                                                      "file's agents)";
        return rs_scn_fail(&ck, SEC_STAFF, 0, "schedule",
                           "expected agents or schedule in [staff], not both%s", hint);
    }
    if (!has_agents && !has_schedule && sc->n_shifts == 0) {
        if (ld->seen[SEC_STAFF].n)
            return rs_scn_fail(&ck, SEC_STAFF, 0, "agents",
                               "expected [staff] agents or schedule, or a [shift NAME] section");
        return rs_error_input(ld->err, ld->files[0], end_line(ld), "staff",
                              "expected [staff] agents or schedule, or a [shift NAME] section");
    }
    if (has_schedule) {
        int rc = rs_scn_read_series(ld, SEC_STAFF, 0, "schedule", "agents", 1, &sc->schedule);
        if (rc) return rc;
    }
    uint32_t all_types = sc->n_types >= 32 ? UINT32_MAX : (UINT32_C(1) << sc->n_types) - 1;
    sc->staff_types = all_types;
    if (ld->seen[SEC_STAFF].n && rs_scn_load_kept(ld, SEC_STAFF, 0, "types")) {
        int rc = resolve_names(ld, SEC_STAFF, 0, "types", 0, &sc->staff_types);
        if (rc) return rc;
    }
    for (int i = 0; i < sc->n_surges; i++) {
        struct rs_surge_cfg *u = &sc->surges[i];
        u->channels = sc->n_channels >= 32 ? UINT32_MAX : (UINT32_C(1) << sc->n_channels) - 1;
        u->types = all_types;
        int rc = 0;
        if (rs_scn_load_kept(ld, SEC_SURGE, i, "channels"))
            rc = resolve_names(ld, SEC_SURGE, i, "channels", 1, &u->channels);
        if (!rc && rs_scn_load_kept(ld, SEC_SURGE, i, "types"))
            rc = resolve_names(ld, SEC_SURGE, i, "types", 0, &u->types);
        if (rc) return rc;
    }
    for (int i = 0; i < sc->n_shifts; i++) {
        struct rs_shift_cfg *s = &sc->shifts[i];
        if (rs_scn_load_kept(ld, SEC_SHIFT, i, "channels")) {
            int rc = resolve_names(ld, SEC_SHIFT, i, "channels", 1, &s->channels);
            if (rc) return rc;
        } else {
            s->channels = sc->n_channels >= 32 ? UINT32_MAX : (UINT32_C(1) << sc->n_channels) - 1;
        }
        s->types = all_types;
        if (rs_scn_load_kept(ld, SEC_SHIFT, i, "types")) {
            int rc = resolve_names(ld, SEC_SHIFT, i, "types", 0, &s->types);
            if (rc) return rc;
        }
    }
    return RS_OK;
}

static int finish_policy(struct load *ld)
{
    struct rs_scenario *sc = ld->sc;
    if (ld->seen[SEC_POLICY].n && rs_scn_load_kept(ld, SEC_POLICY, 0, "bot_types")) {
        int rc = resolve_names(ld, SEC_POLICY, 0, "bot_types", 0, &sc->bot_types);
        if (rc) return rc;
    }
    const char *complaints = rs_scn_load_kept(ld, SEC_OUTCOME, 0, "complaint_types");
    if (complaints && strcmp(complaints, "none") == 0 && rs_scenario_type(sc, "none") < 0)
        sc->outcome.complaint_types = 0;
    else if (complaints)
        return resolve_names(ld, SEC_OUTCOME, 0, "complaint_types", 0,
                             &sc->outcome.complaint_types);
    return RS_OK;
}

/* Rules that need the whole file: required keys and sections, kept texts;
 * then the checks. */
static int finish(struct load *ld)
{
    int rc = finish_required(ld);
    if (!rc && !given(ld, SEC_SCENARIO, 0, "name")) rc = default_name(ld);
    if (!rc) rc = finish_types(ld);
    for (int i = 0; !rc && i < ld->sc->n_channels; i++)
        rc = finish_channel(ld, i);
    if (!rc) rc = finish_bursts(ld);
    if (!rc) rc = finish_staff(ld);
    if (!rc) rc = finish_policy(ld);
    return rc ? rc : rs_scn_check(ld->sc, ld, ld->err);
}

/* ------------------------------------------------ the public loaders */

static void free_load(struct load *ld)
{
    for (int f = 0; f < ld->n_files; f++) {
        free(ld->files[f]);
        free(ld->dirs[f]);
    }
    free(ld->chain[0]);
    for (int s = 0; s < N_SECTIONS; s++) {
        for (int i = 0; i < ld->seen[s].n; i++) {
            for (int k = 0; k < rs_scn_sections[s].n_keys; k++)
                free(ld->seen[s].sec[i].keys[k].text);
            free(ld->seen[s].sec[i].keys);
        }
        free(ld->seen[s].sec);
    }
}

/* Loads text (the file label, resolved path real or NULL), then sets. */
static int load_text(const char *text, const char *label, const char *real, const char *const *sets,
                     int n_sets, struct rs_scenario **out, struct rs_error *err)
{
    struct load ld = {.file = "", .kind = -1, .err = err, .sets = sets, .n_sets = n_sets};
    struct rs_scenario *sc = rs_calloc(1, sizeof *sc);
    rs_scenario_defaults(sc);
    snprintf(sc->path, sizeof sc->path, "%s", label ? label : "");
    ld.sc = sc;
    if (real) ld.chain[0] = rs_strdup(real);
    int rc = read_text(&ld, label ? label : "", text);
    if (!rc && n_sets > 0) {
        ld.fid = add_file(&ld, "--set");
        ld.file = ld.files[ld.fid];
        ld.setting = 1;
        for (int i = 0; i < n_sets && !rc; i++)
            rc = apply_set(&ld, sets[i], i + 1);
    }
    if (!rc) rc = finish(&ld);
    free_load(&ld);
    if (rc) {
        rs_scenario_destroy(sc);
        return rc;
    }
    *out = sc;
    return RS_OK;
}

int rs_scenario_load_with(const char *path, const char *const *sets, int n_sets,
                          struct rs_scenario **out, struct rs_error *err)
{
    char why[WHY_LEN], real[PATH_MAX];
    char *text = NULL;
    int rc = slurp(path, &text, why, sizeof why, err);
    if (rc == RS_EIO) return rs_error_io(err, path, "cannot read: %s", why);
    if (rc) return rc;
    rc = load_text(text, path, realpath(path, real) ? real : NULL, sets, n_sets, out, err);
    free(text);
    return rc;
}

int rs_scenario_load(const char *path, struct rs_scenario **out, struct rs_error *err)
{
    return rs_scenario_load_with(path, NULL, 0, out, err);
}

int rs_scenario_load_string(const char *text, const char *label, struct rs_scenario **out,
                            struct rs_error *err)
{
    return load_text(text, label, NULL, NULL, 0, out, err);
}
