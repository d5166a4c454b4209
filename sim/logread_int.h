/* logread_int.h: the log reader's state, shared by logread.c (events,
 * messages) and logread_twcs.c (Twitter threads). */
#ifndef RS_LOGREAD_INT_H
#define RS_LOGREAD_INT_H

#include "replysim/csvin.h"
#include "replysim/logread.h"

/* Fields of a message, as --map names them. */
enum {
    F_ARRIVE,
    F_CHANNEL,
    F_TYPE,
    F_TAKE,
    F_REPLY,
    F_ABANDON,
    F_HANDLE,
    F_AGENT,
    F_CONVERSATION,
    F_THREAD,
    N_FIELDS
};
enum { T_ID, T_AUTHOR, T_INBOUND, T_CREATED, T_TEXT, T_RESPONSES, T_PARENT, N_TCOLS };
enum time_kind { TIME_UNKNOWN, TIME_ISO, TIME_SECONDS };

struct twcs_table; /* logread_twcs.c */

struct rs_log {
    char label[256];
    struct rs_log_opts o;
    enum rs_log_format format;
    struct rs_csvin_stream *in;
    char **header; /* the header's cells, to name columns in messages */
    int n_header;
    int col[N_FIELDS]; /* column of each field (or of messages/twcs columns), -1 none */
    enum time_kind time_kind;
    int origin_day;
    double origin_unix_s;
    long skipped;
    struct rs_error first_skip; /* the first row skipped, why */
    int failed;                 /* the error that ended reading, 0 while none */
    int at_end;                 /* twcs: the file is read, the waiting tweets go out */
    char first_rep[32];         /* messages: the replication read */
    struct twcs_table *tw;
};

/* Field index of a --map name, or -1. */
int rs_log_field(const char *name);

int rs_log_time(struct rs_log *lg, const char *cell, long line, const char *column, double *out,
                struct rs_error *err);
void rs_log_set_origin(struct rs_log *lg, double unix_s, int offset_s);

void rs_log_twcs_init(struct rs_log *lg);
/* One row of twcs: 1 when it completes a message (into *m), 0 when not, or
 * RS_EINPUT. */
int rs_log_twcs_row(struct rs_log *lg, const struct rs_csvin_row *r, struct rs_log_msg *m,
                    struct rs_error *err);
/* At the end of the file, the next tweet still waiting for an answer: 1
 * with *m set, or 0. */
int rs_log_twcs_pending(struct rs_log *lg, struct rs_log_msg *m);
void rs_log_twcs_free(struct rs_log *lg);

#endif
