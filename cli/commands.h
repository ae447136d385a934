/* commands.h: every `sa35 CMD`. Each command lives in cmd_<name>.c and has
 * a usage text printed by `sa35 CMD --help` and `sa35 help CMD`. To add one,
 * declare it here and add a line to the table in main.c. */
#ifndef SA35_CLI_COMMANDS_H
#define SA35_CLI_COMMANDS_H

#include <stdio.h>

typedef int (*command_fn)(int argc, char **argv);
typedef void (*usage_fn)(FILE *f);

typedef struct command {
    const char *name;
    command_fn run;
    const char *summary; /* one line for `sa35 help` */
    usage_fn usage;      /* prints the whole --help text */
} command;

/* The table, terminated by a NULL name; main.c owns it. */
const command *command_all(void);

int cmd_quantize(int argc, char **argv);
int cmd_gemm(int argc, char **argv);
int cmd_dequant(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_randn(int argc, char **argv);
void cmd_quantize_usage(FILE *f);
void cmd_gemm_usage(FILE *f);
void cmd_dequant_usage(FILE *f);
void cmd_stats_usage(FILE *f);
void cmd_randn_usage(FILE *f);
int cmd_sim(int argc, char **argv);
int cmd_asm(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
void cmd_sim_usage(FILE *f);
void cmd_asm_usage(FILE *f);
void cmd_disasm_usage(FILE *f);

int cmd_model(int argc, char **argv);
int cmd_scalesim(int argc, char **argv);
void cmd_model_usage(FILE *f);
void cmd_scalesim_usage(FILE *f);

int cmd_project(int argc, char **argv);
void cmd_project_usage(FILE *f);

int cmd_sweep(int argc, char **argv);
void cmd_sweep_usage(FILE *f);
int cmd_validate(int argc, char **argv);
void cmd_validate_usage(FILE *f);

#endif
