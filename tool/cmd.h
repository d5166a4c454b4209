/* cmd.h: the subcommands of the replysim program, one file each
 * (tool/cmd_NAME.c), listed in main.c's command table.  Each takes the
 * arguments after the program's name (argv[0] is the command's name) and
 * returns an exit status of docs/scenario-reference.md section 7. */
#ifndef RS_CMD_H
#define RS_CMD_H

int rs_cmd_run(int argc, char **argv);
int rs_cmd_validate(int argc, char **argv);
int rs_cmd_erlang(int argc, char **argv);
int rs_cmd_plot(int argc, char **argv);
int rs_cmd_compare(int argc, char **argv);
int rs_cmd_check(int argc, char **argv);
int rs_cmd_sweep(int argc, char **argv);
int rs_cmd_staff(int argc, char **argv);
int rs_cmd_report(int argc, char **argv);
int rs_cmd_fit(int argc, char **argv);
int rs_cmd_backtest(int argc, char **argv);

#endif
