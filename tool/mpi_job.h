/* mpi_job.h: replysim-mpi, the replysim program over MPI ranks (tool/mpi.c,
 * tool/mpi_main.c; built by `make mpi` only).
 *
 * Every rank runs the same command on the same files; the pool's shipped
 * runs (pool.h) spread their tasks over the ranks: rank 0 hands out task
 * indices one at a time as ranks come free, stores each result in its
 * task's place and passes it on to the other ranks, so that every rank
 * holds what one process would and takes the same decisions after.  Rank 0
 * alone prints and writes files; the other ranks' output goes nowhere and
 * their error, when rank 0 did not meet it too, is printed by rank 0,
 * which exits with its status. */
#ifndef RS_TOOL_MPI_JOB_H
#define RS_TOOL_MPI_JOB_H

/* The program's main (tool/main.c, compiled for replysim-mpi under this
 * name). */
int rs_tool_main(int argc, char **argv);

/* Starts MPI; on more than one rank sets the pool's backend, and on ranks
 * other than 0 sends stdout nowhere, keeps stderr for rank 0 and makes the
 * results folders discarded (rs_report_set_discard).  Exits with status 3
 * after saying why when MPI cannot start. */
void rs_mpi_start(int *argc, char ***argv);

/* This process's rank, 0 .. ranks - 1. */
int rs_mpi_rank(void);

/* Ends the job with the exit status rank 0 decides (its own, or that of a
 * rank whose error it met first) and exits this process: rank 0 with that
 * status, the others with 0. */
_Noreturn void rs_mpi_finish(int status);

#endif
