/* csvout.c: CSV fields as every result file writes them. */
#include "replysim/csvout.h"

#include "fmt.h"

#include <csv.h>
#include <math.h>
#include <string.h>

void rs_csvout_field(FILE *f, const char *s)
{
    /* libcsv quotes every field it writes; plain names stay bare */
    if (strpbrk(s, ",\"\r\n"))
        csv_fwrite(f, s, strlen(s));
    else
        fputs(s, f);
}

void rs_csvout_number(FILE *f, double x)
{
    if (isnan(x)) return;
    char buf[RS_FMT_MAX];
    rs_fmt_double(x, buf);
    fputs(buf, f);
}
