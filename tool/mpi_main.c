/* mpi_main.c: replysim-mpi, `mpirun -n N replysim-mpi COMMAND ...`: the
 * replysim program with the commands that run many tasks (run, sweep,
 * compare, staff, check) spread over the ranks (mpi_job.h).  The other
 * commands run on rank 0 alone. */
#include "mpi_job.h"

#include <string.h>

/* The commands whose pool runs spread over the ranks. */
static const char *const spread[] = {"run", "sweep", "compare", "staff", "check"};

static int spreads(int argc, char **argv)
{
    for (size_t i = 0; argc > 1 && i < sizeof spread / sizeof spread[0]; i++)
        if (!strcmp(argv[1], spread[i])) return 1;
    return 0;
}

int main(int argc, char **argv)
{
    rs_mpi_start(&argc, &argv);
    int status = 0;
    if (rs_mpi_rank() == 0 || spreads(argc, argv)) status = rs_tool_main(argc, argv);
    rs_mpi_finish(status);
}
