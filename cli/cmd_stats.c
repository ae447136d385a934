/* cmd_stats.c: `sa35 stats W.npy`: how SA35 compares with the formats it
 * competes with, on the user's own matrix. */
#include <getopt.h>
#include <stdio.h>

#include "cli_common.h"
#include "commands.h"

static const char usage[] =
    "usage: sa35 stats W.npy|W.safetensors [--tensor NAME]\n"
    "\n"
    "Quantize a float weight in every format (sa35; int4 and int3 "
    "asymmetric per\n"
    "column; int8 symmetric per column) and print, for each: bits per "
    "weight\n"
    "(codes with padding, plus float32 scale and zero per column), RMSE, "
    "SQNR in dB\n"
    "(10 log10(sum w^2 / sum (w - w_hat)^2)) and the largest absolute "
    "error.\n"
    "A safetensors tensor is read as `sa35 quantize` reads it ([out, in] "
    "transposed).\n"
    "\n"
    "options:\n"
    "  -t, --tensor NAME  which tensor of a safetensors file (default: the "
    "first\n"
    "                     2-D float tensor)\n";

void cmd_stats_usage(FILE *f) { fputs(usage, f); }

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        {"tensor", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    char *tensor = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "t:", opts, NULL)) != -1) {
        if (c == 't')
            tensor = optarg;
        else
            return cli_failf("stats", "bad option (see --help)");
    }
    if (optind != argc - 1)
        return cli_failf("stats", "expected one weight file (see --help)");
    const char *path = argv[optind];
    sa35_err err;
    cli_weight *w = NULL;
    int count = 0;
    if (cli_load_weights(path, tensor ? &tensor : NULL, tensor ? 1 : 0, &w,
                         &count, &err) ||
        cli_check_finite(path, &w[0], &err)) {
        cli_free_weights(w, count);
        return cli_fail("stats", &err);
    }
    printf("%s: '%s', K=%lld x N=%lld\n\n", path, w[0].name,
           (long long)w[0].view.K, (long long)w[0].view.N);
    printf("| format | bits/weight | RMSE | SQNR (dB) | max abs error |\n"
           "|---|---|---|---|---|\n");
    int rc = 0;
    for (int f = 0; f < SA35_FMT_COUNT && !rc; f++) {
        sa35_qweights q;
        if (sa35_quantize(&w[0].view, (sa35_format)f, &q, &err)) {
            rc = sa35_err_prefix(&err, path);
            break;
        }
        sa35_quality qual;
        sa35_quality_measure(&w[0].view, &q, &qual);
        printf("| %s | %.4f | %.6g | %.2f | %.6g |\n",
               sa35_format_info((sa35_format)f)->name, qual.bits_per_weight,
               qual.rmse, qual.sqnr_db, qual.max_abs_err);
        sa35_qweights_free(&q);
    }
    cli_free_weights(w, count);
    return rc ? cli_fail("stats", &err) : 0;
}
