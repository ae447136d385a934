/* cmd_asm.c: `sa35 asm` (text program to binary, validated) and
 * `sa35 disasm` (binary to text). docs/isa.md describes both forms. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "commands.h"
#include "sa35_isa.h"

void cmd_asm_usage(FILE *f)
{
    fputs("usage: sa35 asm PROGRAM.s -o PROGRAM.bin [--array RxC] "
          "[--no-validate]\n"
          "\n"
          "Assemble a text program (docs/isa.md) into the binary form the\n"
          "simulator, the timing model and the RTL run. The program is\n"
          "validated for the array (default 320x320): a malformed one is\n"
          "rejected with the offending instruction's index and why.\n",
          f);
}

void cmd_disasm_usage(FILE *f)
{
    fputs("usage: sa35 disasm PROGRAM.bin [-o PROGRAM.s] [--array RxC]\n"
          "\n"
          "Write a program (binary or text) as text (stdout unless -o); with --array\n"
          "it is also validated for that array.\n",
          f);
}

typedef struct asm_args {
    const char *in, *out, *array;
    int no_validate;
} asm_args;

static int parse_args(const char *cmd, int argc, char **argv, asm_args *a)
{
    enum { OPT_ARRAY = 256, OPT_NOVAL };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"array", required_argument, NULL, OPT_ARRAY},
        {"no-validate", no_argument, NULL, OPT_NOVAL},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    int c;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': a->out = optarg; break;
        case OPT_ARRAY: a->array = optarg; break;
        case OPT_NOVAL: a->no_validate = 1; break;
        default: return cli_failf(cmd, "bad option (see --help)");
        }
    }
    if (optind != argc - 1)
        return cli_failf(cmd, "expected one input program (see --help)");
    a->in = argv[optind];
    return 0;
}

static int validate(const char *path, const char *array,
                    const sa35_program *p, sa35_err *err)
{
    sa35_arch arch;
    sa35_arch_default(&arch);
    if (array && sa35_arch_parse_array(array, &arch, err))
        return -1;
    if (sa35_program_validate(p, &arch, err))
        return sa35_err_prefix(err, path);
    return 0;
}

int cmd_asm(int argc, char **argv)
{
    asm_args a;
    if (parse_args("asm", argc, argv, &a))
        return 1;
    if (!a.out)
        return cli_failf("asm", "-o PROGRAM.bin is required");
    sa35_err err;
    if (sa35_output_is_input(a.out, a.in, &err))
        return cli_fail("asm", &err);
    sa35_program p = {0};
    uint8_t *bin = NULL;
    size_t len = 0;
    int rc = sa35_program_read(a.in, &p, &err);
    if (!rc && !a.no_validate)
        rc = validate(a.in, a.array, &p, &err);
    if (!rc && sa35_program_encode(&p, &bin, &len, &err))
        rc = sa35_err_prefix(&err, a.in);
    /* all of it or no file (a full disk leaves nothing under a.out) */
    if (!rc)
        rc = sa35_write_file(a.out, bin, len, &err);
    if (!rc)
        printf("wrote %s (%zu instructions)\n", a.out, p.count);
    free(bin);
    sa35_program_free(&p);
    return rc ? cli_fail("asm", &err) : 0;
}

int cmd_disasm(int argc, char **argv)
{
    asm_args a;
    if (parse_args("disasm", argc, argv, &a))
        return 1;
    if (a.no_validate)
        return cli_failf("disasm", "--no-validate is an asm option");
    sa35_err err;
    if (a.out && sa35_output_is_input(a.out, a.in, &err))
        return cli_fail("disasm", &err);
    sa35_program p = {0};
    int rc = sa35_program_read(a.in, &p, &err);
    if (!rc && a.array)
        rc = validate(a.in, a.array, &p, &err);
    char *text = rc ? NULL : sa35_program_format(&p);
    if (!rc && !text)
        rc = sa35_err_set(&err, "out of memory for the text of %zu "
                                "instructions",
                          p.count);
    if (!rc && a.out)
        rc = cli_write_text(a.out, text, &err);
    else if (!rc)
        fputs(text, stdout);
    free(text);
    sa35_program_free(&p);
    return rc ? cli_fail("disasm", &err) : 0;
}
