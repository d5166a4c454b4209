/* report_html.h: the page of `replysim report` (report_html.c), built in
 * memory from a results folder's files and the SVG pictures plot drew;
 * cmd_report.c draws the pictures and writes the page. */
#ifndef RS_REPORT_HTML_H
#define RS_REPORT_HTML_H

#include "plot.h"
#include "replysim/buf.h"
#include "replysim/error.h"
#include "replysim/scenario.h"

/* What the page is made of. */
struct rs_html_in {
    const char *dir;              /* the results folder, as the user named it */
    const struct rs_scenario *sc; /* DIR/scenario.ini */
    const char *svg_dir;          /* where the pictures are (NAME.svg) */
    const int *drawn;             /* [RS_PLOT_N]: 1 for each picture drawn */
};

/* Builds the whole page into html.  Every results file it reads is
 * checked (csvin.h); RS_OK, or RS_EINPUT/RS_EIO with err naming the file. */
int rs_html_report(const struct rs_html_in *in, struct rs_buf *html, struct rs_error *err);

/* Appends s as HTML text: & < > " escaped, control characters as '?'. */
void rs_html_text(struct rs_buf *b, const char *s);

#endif
