/* cmd_quantize.c: `sa35 quantize IN -o OUT.safetensors`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_common.h"
#include "commands.h"

static const char usage[] =
    "usage: sa35 quantize IN -o OUT.safetensors [--tensor NAME]... "
    "[--format FMT]\n"
    "                     [--group G]\n"
    "\n"
    "Quantize float weights to SA35 (3.5 bits per weight, "
    "docs/format.md).\n"
    "\n"
    "IN is one of\n"
    "  a .npy holding one K x N float32 or float16 matrix (K inputs, N "
    "outputs),\n"
    "      stored in OUT as the weight 'weight';\n"
    "  a .safetensors file: every 2-D F32/F16/BF16 tensor is quantized, or "
    "only\n"
    "      those named with --tensor. A Hugging Face Linear weight is "
    "stored\n"
    "      [out, in] = [N, K]; it is read TRANSPOSED, as the K x N matrix\n"
    "      the layer multiplies by, and quantized per output (per row of "
    "the\n      file); or\n"
    "  a .gguf file (llama.cpp's; it starts with \"GGUF\"): as a safetensors "
    "file,\n"
    "      its F32, F16, BF16, Q8_0 and Q4_0 tensors dequantized first; "
    "ne = [K, N]\n"
    "      is read as K x N (docs/gguf.md). Another type (Q4_K, ...) is "
    "refused\n"
    "      by name: choose the tensors with --tensor.\n"
    "\n"
    "OUT is a safetensors file with, for each weight NAME:\n"
    "  NAME.qweight  U8  [N, colbytes]  packed codes, one column (output) per "
    "row\n"
    "  NAME.scale    F32 [N]            s[n]\n"
    "  NAME.zero     F32 [N]            z[n]\n"
    "and __metadata__ {\"format\": FMT, \"NAME.K\", \"NAME.N\" (and \"K\", "
    "\"N\" when\nall weights share one shape)}. With --group G the scales "
    "and zeros are F16\n[N, groups], one per group of G k-values of a "
    "column, and \"NAME.group\" is G.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE  the quantized weight file (required)\n"
    "  -t, --tensor NAME  quantize only this tensor (repeatable)\n"
    "  -f, --format FMT   sa35 (default), or a comparison format: int4 "
    "(asymmetric),\n"
    "                     int3 (asymmetric) or int8 (symmetric)\n"
    "  -g, --group G      a binary16 scale and zero per group of G k-values "
    "(a\n"
    "                     multiple of 16; docs/format.md, \"Group "
    "scaling\"); the\n"
    "                     accelerator runs G up to its K tile, 2R (640 on "
    "320x320)\n"
    "                     for sa35 and int4, R for int8\n"
    "\n"
    "NaN or infinite weights are an error naming the tensor, row and "
    "column.\n";

void cmd_quantize_usage(FILE *f) { fputs(usage, f); }

int cmd_quantize(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"tensor", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},
        {"group", required_argument, NULL, 'g'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    sa35_format fmt = SA35_FMT_SA35;
    int64_t group = 0; /* per column */
    char **names = calloc((size_t)argc, sizeof *names);
    int nnames = 0, c;
    if (!names)
        return cli_failf("quantize", "out of memory for %d tensor names",
                         argc);
    while ((c = getopt_long(argc, argv, "o:t:f:g:", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 't':
            names[nnames++] = optarg;
            break;
        case 'f':
            if (sa35_format_from_name(optarg, &fmt)) {
                free(names);
                return cli_failf("quantize",
                                 "unknown --format '%s' (sa35, int4, int3, "
                                 "int8)",
                                 optarg);
            }
            break;
        case 'g':
            if (cli_parse_positive("quantize", "--group", optarg, &group)) {
                free(names);
                return 1;
            }
            break;
        default:
            free(names);
            return cli_failf("quantize", "bad option (see --help)");
        }
    }
    if (optind != argc - 1 || !out) {
        free(names);
        return cli_failf("quantize", "expected IN and -o OUT (see --help)");
    }
    const char *in = argv[optind];
    sa35_err err;
    /* before any reading: OUT onto IN would replace the float weights */
    if (sa35_output_is_input(out, in, &err) ||
        (group && sa35_group_check(fmt, group, &err))) {
        free(names);
        return cli_fail("quantize", &err);
    }
    cli_weight *w = NULL;
    int count = 0, rc = 0;
    sa35_qweights *q = NULL;
    sa35_st_writer *wr = sa35_st_writer_new();
    if (!wr)
        rc = sa35_err_set(&err, "%s: out of memory for the safetensors "
                                "writer",
                          out);
    else if (cli_load_weights(in, names, nnames, &w, &count, &err))
        rc = -1;
    if (!rc && !(q = calloc((size_t)count, sizeof *q)))
        rc = sa35_err_set(&err, "out of memory for %d quantized weights",
                          count);
    for (int i = 0; !rc && i < count; i++) {
        if (cli_check_finite(in, &w[i], &err)) { /* names file, row, col */
            rc = -1;
            break;
        }
        if (sa35_quantize_group(&w[i].view, fmt, group, &q[i], &err) ||
            sa35_qfile_add(wr, w[i].name, &q[i], &err)) {
            char ctx[600];
            snprintf(ctx, sizeof ctx, "%s: tensor '%s'", in, w[i].name);
            rc = sa35_err_prefix(&err, ctx);
            break;
        }
        sa35_quality qual;
        sa35_quality_measure(&w[i].view, &q[i], &qual);
        char g[48] = "";
        if (group)
            snprintf(g, sizeof g, " in groups of %lld", (long long)group);
        printf("%s: K=%lld N=%lld%s -> %s%s, %.4f bits/weight, SQNR %.2f "
               "dB\n",
               w[i].name, (long long)w[i].view.K, (long long)w[i].view.N,
               w[i].hf_layout ? " (read transposed from [N, K])" : "",
               sa35_format_info(fmt)->name, g, qual.bits_per_weight,
               qual.sqnr_db);
    }
    if (!rc)
        rc = sa35_st_writer_write(wr, out, &err);
    if (!rc)
        printf("wrote %s (%d weight%s)\n", out, count, count == 1 ? "" : "s");
    for (int i = 0; q && i < count; i++)
        sa35_qweights_free(&q[i]);
    free(q);
    sa35_st_writer_free(wr);
    cli_free_weights(w, count);
    free(names);
    return rc ? cli_fail("quantize", &err) : 0;
}
