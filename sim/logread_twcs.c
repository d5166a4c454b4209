/* logread_twcs.c: Twitter customer-support threads (twcs) as messages.
 *
 * A customer's tweet (inbound) is a message; the brand's first answer (the
 * earliest outbound tweet in reply to it) is its reply; a thread is a
 * conversation.  Answers may come before or after the tweet they answer in
 * the file, so every tweet that lists responses not yet read waits in a
 * hash keyed by tweet_id, and a tweet read before its parent leaves a
 * placeholder for it.  A customer's tweet goes out when its last listed
 * response has been read, or at the end of the file.  Memory is bounded by
 * the threads open at once, not by the file. */
#include "logread_int.h"
#include "replysim/alloc.h"
#include "replysim/units.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct tweet {
    struct tweet *next; /* in its bucket */
    char *id;
    char *conv;         /* the thread: the first tweet of it this reader knows */
    char *follows;      /* a customer's chain of own tweets: its first (NULL: t itself) */
    char *author;       /* who wrote it ("" until read) */
    char *reply_author; /* who wrote the first answer */
    char *agent;        /* signature of the first answer ("^AB"), "" none */
    double arrive_s, reply_s;
    long line;
    int read;     /* the tweet's own row has been read */
    int inbound;  /* a customer's tweet */
    int waiting;  /* responses it lists that are not read yet */
    int early;    /* responses read before it */
    int mentions; /* its text names @brand, or it answers the brand */
};

struct twcs_table {
    struct tweet **bucket;
    size_t n_buckets, n;
    struct tweet *out;                /* the tweet handed out last, freed at the next call */
    struct tweet *ready, *ready_tail; /* settled customers' tweets to hand out, in order */
};

static uint64_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void rs_log_twcs_init(struct rs_log *lg)
{
    lg->tw = rs_calloc(1, sizeof *lg->tw);
    lg->tw->n_buckets = 1024;
    lg->tw->bucket = rs_calloc(lg->tw->n_buckets, sizeof *lg->tw->bucket);
}

static void tweet_free(struct tweet *t)
{
    if (!t) return;
    free(t->id);
    free(t->conv);
    free(t->follows);
    free(t->author);
    free(t->reply_author);
    free(t->agent);
    free(t);
}

static void grow(struct twcs_table *h)
{
    size_t nb = h->n_buckets * 2;
    struct tweet **b = rs_calloc(nb, sizeof *b);
    for (size_t i = 0; i < h->n_buckets; i++) {
        for (struct tweet *t = h->bucket[i], *next; t; t = next) {
            next = t->next;
            size_t k = hash_id(t->id) & (nb - 1);
            t->next = b[k];
            b[k] = t;
        }
    }
    free(h->bucket);
    h->bucket = b;
    h->n_buckets = nb;
}

static struct tweet *find(struct twcs_table *h, const char *id)
{
    for (struct tweet *t = h->bucket[hash_id(id) & (h->n_buckets - 1)]; t; t = t->next)
        if (strcmp(t->id, id) == 0) return t;
    return NULL;
}

static struct tweet *find_or_add(struct twcs_table *h, const char *id)
{
    struct tweet *t = find(h, id);
    if (t) return t;
    if (h->n >= h->n_buckets) grow(h);
    t = rs_calloc(1, sizeof *t);
    t->id = rs_strdup(id);
    t->arrive_s = t->reply_s = NAN;
    size_t k = hash_id(id) & (h->n_buckets - 1);
    t->next = h->bucket[k];
    h->bucket[k] = t;
    h->n++;
    return t;
}

static void unlink_tweet(struct twcs_table *h, struct tweet *t)
{
    struct tweet **p = &h->bucket[hash_id(t->id) & (h->n_buckets - 1)];
    while (*p != t)
        p = &(*p)->next;
    *p = t->next;
    h->n--;
}

/* "Tue Oct 31 22:10:47 +0000 2017" (or an ISO 8601 timestamp) to Unix
 * seconds and the zone's offset. */
static int twitter_time(const char *s, double *unix_s, int *offset_s)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (strlen(s) >= 10 && s[4] == '-') return rs_units_timestamp(s, unix_s, offset_s, NULL, 0);
    char wd[4], mon[4], sign;
    int d, h, mi, sec, zh, zm, y, used = 0;
    if (sscanf(s, "%3s %3s %2d %2d:%2d:%2d %c%2d%2d %4d%n", wd, mon, &d, &h, &mi, &sec, &sign, &zh,
               &zm, &y, &used) != 10 ||
        s[used] != '\0' || (sign != '+' && sign != '-'))
        return RS_EINPUT;
    const char *mp = strlen(mon) == 3 ? strstr(months, mon) : NULL;
    if (!mp || (mp - months) % 3) return RS_EINPUT;
    int m = (int)(mp - months) / 3 + 1;
    if (!rs_units_valid_date(y, m, d) || h > 23 || mi > 59 || sec > 60 || zh > 23 || zm > 59)
        return RS_EINPUT;
    *offset_s = (sign == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
    *unix_s =
        (double)rs_units_civil_days(y, m, d) * 86400.0 + h * 3600.0 + mi * 60.0 + sec - *offset_s;
    return RS_OK;
}

/* The agent's signature at the end of an answer: "^AB" or "-AB" (up to
 * four letters), as support teams sign their tweets; "" when none. */
static char *signature(const char *text)
{
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '.'))
        n--;
    size_t k = n;
    while (
        k > 0 && n - k < 4 &&
        ((text[k - 1] >= 'A' && text[k - 1] <= 'Z') || (text[k - 1] >= 'a' && text[k - 1] <= 'z')))
        k--;
    if (k == n || k == 0 || (text[k - 1] != '^' && text[k - 1] != '-')) return rs_strdup("");
    if (text[k - 1] == '-' && k >= 2 && text[k - 2] != ' ') return rs_strdup("");
    return rs_strndup(text + k, n - k);
}

static int mentions(const char *text, const char *brand)
{
    size_t n = strlen(brand);
    for (const char *p = strchr(text, '@'); p; p = strchr(p + 1, '@'))
        if (strncasecmp(p + 1, brand, n) == 0) return 1;
    return 0;
}

/* Counts the ids of a response list "1,2,3". */
static int count_ids(const char *list)
{
    int n = 0;
    for (const char *p = list; *p; p++)
        if (*p != ',' && (p == list || p[-1] == ',')) n++;
    return n;
}

/* The answer (or follow-up) child to parent id pid. */
static void note_child(struct twcs_table *h, const char *pid, const struct tweet *child)
{
    struct tweet *p = find_or_add(h, pid);
    if (p->read)
        p->waiting--;
    else
        p->early++;
    if (child->inbound) return;
    if (isnan(p->reply_s) || child->arrive_s < p->reply_s) {
        /* copies first: child may be p itself */
        char *author = rs_strdup(child->author),
             *agent = rs_strdup(child->agent ? child->agent : "");
        p->reply_s = child->arrive_s;
        free(p->reply_author);
        p->reply_author = author;
        free(p->agent);
        p->agent = agent;
    }
}

static int keep(const struct rs_log *lg, const struct tweet *t)
{
    if (!lg->o.brand) return 1;
    if (t->reply_author) return strcmp(t->reply_author, lg->o.brand) == 0;
    return t->mentions;
}

static void to_msg(const struct rs_log *lg, const struct tweet *t, struct rs_log_msg *m)
{
    m->arrive_s = t->arrive_s;
    m->take_s = m->abandon_s = m->handle_s = NAN;
    m->reply_s = t->reply_s;
    m->channel = "twitter";
    m->type = "";
    m->agent = t->agent ? t->agent : "";
    m->conversation = t->conv ? t->conv : t->id;
    m->thread = t->follows ? t->follows : t->id;
    m->line = t->line;
    (void)lg;
}

/* Done with t (all its listed responses read): queued to go out when it
 * is a kept customer's tweet, freed otherwise. */
static void settle(struct rs_log *lg, struct tweet *t)
{
    struct twcs_table *h = lg->tw;
    unlink_tweet(h, t);
    if (!t->inbound || !t->read || !keep(lg, t)) {
        tweet_free(t);
        return;
    }
    t->next = NULL;
    if (h->ready_tail)
        h->ready_tail->next = t;
    else
        h->ready = t;
    h->ready_tail = t;
}

static int bad(struct rs_log *lg, const struct rs_csvin_row *r, int col, const char *what,
               struct rs_error *err)
{
    return rs_error_input(err, lg->label, r->line, lg->header[lg->col[col]],
                          "expected %s, got \"%s\"", what, r->cells[lg->col[col]]);
}

int rs_log_twcs_row(struct rs_log *lg, const struct rs_csvin_row *r, struct rs_log_msg *m,
                    struct rs_error *err)
{
    struct twcs_table *h = lg->tw;
    char *const *c = r->cells;
    const char *id = c[lg->col[T_ID]], *in = c[lg->col[T_INBOUND]];
    const char *pid = c[lg->col[T_PARENT]];
    double unix_s;
    int off, inbound = strcasecmp(in, "true") == 0 || strcmp(in, "1") == 0;
    if (!id[0]) return bad(lg, r, T_ID, "a tweet id", err);
    if (strcmp(pid, id) == 0) return bad(lg, r, T_PARENT, "the id of another tweet", err);
    if (!inbound && strcasecmp(in, "false") && strcmp(in, "0"))
        return bad(lg, r, T_INBOUND, "True or False", err);
    if (twitter_time(c[lg->col[T_CREATED]], &unix_s, &off))
        return bad(lg, r, T_CREATED, "a time such as Tue Oct 31 22:10:47 +0000 2017", err);
    struct tweet *t = find_or_add(h, id);
    if (t->read) return bad(lg, r, T_ID, "each tweet_id once", err);
    if (isnan(lg->origin_unix_s)) rs_log_set_origin(lg, unix_s, off);
    t->read = 1;
    t->inbound = inbound;
    t->arrive_s = unix_s - lg->origin_unix_s;
    t->line = r->line;
    t->author = rs_strdup(c[lg->col[T_AUTHOR]]);
    if (!inbound) { /* its own signature, not that of a reply to it read earlier */
        free(t->agent);
        t->agent = signature(c[lg->col[T_TEXT]]);
    }
    struct tweet *p = pid[0] ? find(h, pid) : NULL;
    if (!t->conv) t->conv = rs_strdup(p && p->conv ? p->conv : pid[0] ? pid : id);
    t->mentions =
        lg->o.brand &&
        (mentions(c[lg->col[T_TEXT]], lg->o.brand) ||
         (p && p->read && !p->inbound && p->author && strcmp(p->author, lg->o.brand) == 0));
    /* a customer's tweet in reply to their own earlier one, read before it
     * (still waiting for this response): a follow-up in that tweet's thread */
    if (inbound && p && p->read && p->inbound && p->author && strcmp(p->author, t->author) == 0 &&
        !t->follows)
        t->follows = rs_strdup(p->follows ? p->follows : p->id);
    t->waiting = count_ids(c[lg->col[T_RESPONSES]]) - t->early;
    if (pid[0]) {
        note_child(h, pid, t);
        p = find(h, pid);
        if (p->read && p->waiting <= 0) settle(lg, p);
    }
    /* else the thread goes on from t: its responses find it by their parent id */
    if (t->waiting <= 0) settle(lg, t);
    (void)m;
    return 0;
}

int rs_log_twcs_pending(struct rs_log *lg, struct rs_log_msg *m)
{
    struct twcs_table *h = lg->tw;
    tweet_free(h->out);
    h->out = NULL;
    if (!h->ready && lg->at_end) /* what still waits goes out as it is */
        for (size_t i = 0; i < h->n_buckets; i++)
            while (h->bucket[i])
                settle(lg, h->bucket[i]);
    if (!h->ready) return 0;
    struct tweet *t = h->ready;
    h->ready = t->next;
    if (!h->ready) h->ready_tail = NULL;
    h->out = t;
    to_msg(lg, t, m);
    return 1;
}

void rs_log_twcs_free(struct rs_log *lg)
{
    struct twcs_table *h = lg->tw;
    if (!h) return;
    for (size_t i = 0; i < h->n_buckets; i++) {
        for (struct tweet *t = h->bucket[i], *next; t; t = next) {
            next = t->next;
            tweet_free(t);
        }
    }
    tweet_free(h->out);
    for (struct tweet *t = h->ready, *next; t; t = next) {
        next = t->next;
        tweet_free(t);
    }
    free(h->bucket);
    free(h);
}
