/* plot_fit.c: fit's two pictures, observed against fitted arrivals and the
 * handle-time fit, drawn by gnuplot with plots/fit_arrivals.gp and
 * plots/fit_handle.gp from the data files fit writes.  The names handed to
 * gnuplot are scenario names (letters, digits, _ - .), safe in its word
 * lists; the title is quoted (rs_plot_quote). */
#include "plot.h"

#include "replysim/buf.h"
#include "replysim/fit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

/* Draws dir/NAME.png and dir/NAME.svg: the files drawn (0..2). */
static int draw(const char *plots, const char *dir, const char *name, const char *settings,
                struct rs_buf *notes, int *no_gnuplot)
{
    static const char *const terms[2] = {"png", "svg"};
    struct rs_buf all = RS_BUF_INIT, script = RS_BUF_INIT, out = RS_BUF_INIT;
    int drawn = 0;
    rs_buf_printf(&script, "%s/%s.gp", plots, name);
    for (int t = 0; t < 2 && !*no_gnuplot; t++) {
        rs_buf_reset(&all), rs_buf_reset(&out);
        rs_buf_printf(&out, "%s/%s.%s", dir, name, terms[t]);
        rs_buf_printf(&all, "%s; outfile=", settings);
        rs_plot_quote(&all, rs_buf_str(&out));
        rs_buf_printf(&all, "; term='%s'", terms[t]);
        /* gnuplot's own warnings (a log of one hour: an empty range) are
         * not the user's business: its failures are said in notes */
        fflush(stderr);
        int saved = dup(2), null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, 2);
        int st = rs_plot_gnuplot(rs_buf_str(&all), rs_buf_str(&script));
        if (saved >= 0) dup2(saved, 2);
        if (saved >= 0) close(saved);
        if (null >= 0) close(null);
        if (st == 0) {
            drawn++;
            continue;
        }
        unlink(rs_buf_str(&out));
        *no_gnuplot = st == 127;
        rs_buf_printf(notes, "plots: %s.%s not drawn: %s\n", name, terms[t],
                      st == 127 ? "gnuplot not found (install the Debian package gnuplot-nox)"
                                : "gnuplot could not draw it");
    }
    rs_buf_free(&all), rs_buf_free(&script), rs_buf_free(&out);
    return drawn;
}

int rs_plot_fit(const char *dir, const struct rs_fit *fit, const char *title, struct rs_buf *notes)
{
    char *plots = rs_plot_scripts();
    if (!plots) {
        rs_buf_puts(notes, "plots: not drawn: the gnuplot scripts (plots/) were not found\n");
        return 0;
    }
    struct rs_buf set = RS_BUF_INIT, words = RS_BUF_INIT, labels = RS_BUF_INIT;
    int drawn = 0, no_gnuplot = 0;
    rs_buf_printf(&words, "%s/%s", dir, RS_FIT_ARRIVALS_CSV);
    rs_plot_setting(&set, "datafile", rs_buf_str(&words));
    rs_buf_reset(&words);
    for (int c = 0; c < rs_fit_n_channels(fit); c++)
        rs_buf_printf(&words, "%s%s", c ? " " : "", rs_fit_channel_name(fit, c));
    rs_buf_printf(&set, "weekly=%d; title_text=", rs_fit_weekly(fit));
    rs_plot_quote(&set, title);
    rs_buf_puts(&set, "; channels=");
    rs_plot_quote(&set, rs_buf_str(&words));
    drawn += draw(plots, dir, "fit_arrivals", rs_buf_str(&set), notes, &no_gnuplot);

    rs_buf_reset(&set), rs_buf_reset(&words);
    for (int k = 0, n = 0; k < rs_fit_n_types(fit); k++) {
        if (!strcmp(rs_fit_type_family(fit, k), "none")) continue;
        rs_buf_printf(&words, "%s%s", n ? " " : "", rs_fit_type_name(fit, k));
        rs_buf_printf(&labels, "%s%s:%s", n++ ? " " : "", rs_fit_type_name(fit, k),
                      rs_fit_type_family(fit, k));
    }
    if (words.len > 0 && !no_gnuplot) {
        struct rs_buf path = RS_BUF_INIT;
        rs_buf_printf(&path, "%s/%s", dir, RS_FIT_HANDLE_CSV);
        rs_plot_setting(&set, "datafile", rs_buf_str(&path));
        rs_buf_free(&path);
        rs_buf_puts(&set, "title_text=");
        rs_plot_quote(&set, title);
        rs_buf_puts(&set, "; types=");
        rs_plot_quote(&set, rs_buf_str(&words));
        rs_buf_puts(&set, "; labels=");
        rs_plot_quote(&set, rs_buf_str(&labels));
        drawn += draw(plots, dir, "fit_handle", rs_buf_str(&set), notes, &no_gnuplot);
    }
    rs_buf_free(&set), rs_buf_free(&words), rs_buf_free(&labels);
    free(plots);
    return drawn;
}
