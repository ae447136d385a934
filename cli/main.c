/* main.c: `sa35 CMD ...` dispatches to one command; `sa35 help [CMD]`. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const command commands[] = {
    {"quantize", cmd_quantize, "float weights (.npy, .safetensors) to SA35",
     cmd_quantize_usage},
    {"gemm", cmd_gemm, "Y = X . W on a quantized weight, on an engine",
     cmd_gemm_usage},
    {"dequant", cmd_dequant, "a quantized weight back to float32 .npy",
     cmd_dequant_usage},
    {"stats", cmd_stats, "SA35 against INT4/3/8, their groups and llama.cpp's",
     cmd_stats_usage},
    {"randn", cmd_randn, "reproducible random .npy: Gaussian, Student-t, "
     "outliers", cmd_randn_usage},
    {"model", cmd_model, "a whole model (config.json) on a system: "
     "per-layer cycles, tokens/s", cmd_model_usage},
    {"scalesim", cmd_scalesim, "SCALE-Sim config + topology in, its "
     "reports out", cmd_scalesim_usage},
    {"sim", cmd_sim, "a GEMM shape on the accelerator model (sim, timing)",
     cmd_sim_usage},
    {"asm", cmd_asm, "assemble and validate an accelerator program",
     cmd_asm_usage},
    {"disasm", cmd_disasm, "an accelerator program back to text",
     cmd_disasm_usage},
    {"project", cmd_project, "tokens/s, J/token, watts and Tj of a model on a system",
     cmd_project_usage},
    {"sweep", cmd_sweep, "project runs over a design space, on every "
     "core: CSV, Pareto front", cmd_sweep_usage},
    {"validate", cmd_validate, "sa35 against published measurements of "
     "real chips", cmd_validate_usage},
    {NULL, NULL, NULL, NULL},
};

const command *command_all(void) { return commands; }

static const command *command_find(const char *name)
{
    for (const command *c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

static void print_help(FILE *f)
{
    fputs("sa35: co-design kit for a 3.5-bit weight-stationary LLM "
          "accelerator\n\nusage: sa35 COMMAND [ARGS]\n\ncommands:\n",
          f);
    for (const command *c = commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fputs("  help       this text; `sa35 help COMMAND` for one command\n"
          "  --version  the version\n\n"
          "Every command takes --help. Errors go to stderr as one line and "
          "exit with status 1;\nno output file is left behind by a failed "
          "command.\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return 1;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("sa35 %s\n", SA35_VERSION);
        return 0;
    }
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 ||
        strcmp(name, "-h") == 0) {
        if (argc > 2) {
            const command *c = command_find(argv[2]);
            if (!c) {
                fprintf(stderr, "sa35: unknown command '%s'\n", argv[2]);
                return 1;
            }
            c->usage(stdout);
            return 0;
        }
        print_help(stdout);
        return 0;
    }
    const command *c = command_find(name);
    if (!c) {
        fprintf(stderr, "sa35: unknown command '%s' (try `sa35 help`)\n",
                name);
        return 1;
    }
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            c->usage(stdout);
            return 0;
        }
    return c->run(argc - 1, argv + 1);
}
