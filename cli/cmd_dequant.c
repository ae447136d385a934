/* cmd_dequant.c: `sa35 dequant WQ.safetensors -o W.npy`. */
#include <getopt.h>
#include <stdio.h>

#include "cli_common.h"
#include "commands.h"

static const char usage[] =
    "usage: sa35 dequant WQ.safetensors -o W.npy [--tensor NAME]\n"
    "\n"
    "Write the dequantized K x N float32 matrix, w[k][n] = z[n] + s[n] "
    "q[k][n],\n"
    "of a quantized weight (any format `sa35 quantize --format` makes).\n"
    "\n"
    "options:\n"
    "  -o, --output FILE  the .npy to write (required)\n"
    "  -t, --tensor NAME  which weight (needed when WQ holds several)\n";

void cmd_dequant_usage(FILE *f) { fputs(usage, f); }

int cmd_dequant(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"tensor", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *tensor = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "o:t:", opts, NULL)) != -1) {
        if (c == 'o')
            out = optarg;
        else if (c == 't')
            tensor = optarg;
        else
            return cli_failf("dequant", "bad option (see --help)");
    }
    if (optind != argc - 1 || !out)
        return cli_failf("dequant", "expected WQ -o W.npy (see --help)");
    sa35_err err;
    sa35_qweights q = {0};
    sa35_array w = {0};
    int rc = sa35_output_is_input(out, argv[optind], &err);
    if (!rc)
        rc = cli_load_qweights(argv[optind], tensor, &q, &err);
    if (!rc) {
        int64_t shape[2] = {q.K, q.N};
        rc = sa35_array_alloc(&w, SA35_DT_F32, 2, shape, &err);
    }
    if (!rc) {
        sa35_dequantize(&q, w.data);
        rc = sa35_npy_write(out, &w, &err);
    }
    if (!rc)
        printf("wrote %s (%d x %d float32)\n", out, q.K, q.N);
    sa35_array_free(&w);
    sa35_qweights_free(&q);
    return rc ? cli_fail("dequant", &err) : 0;
}
