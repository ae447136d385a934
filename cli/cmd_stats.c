/* cmd_stats.c: `sa35 stats W.npy`: how SA35 compares with the formats it
 * competes with, on the user's own matrix. */
#include <getopt.h>
#include <stdio.h>

#include "cli_common.h"
#include "commands.h"

static const char usage[] =
    "usage: sa35 stats W.npy|W.safetensors [--tensor NAME] [--group G]...\n"
    "\n"
    "Quantize a float weight in every format and print one markdown table: "
    "per\n"
    "format its bits per weight, RMSE, SQNR in dB (10 log10(sum w^2 / sum\n"
    "(w - w_hat)^2)) and the largest absolute error. The rows, in order:\n"
    "\n"
    "  sa35, int4, int3   asymmetric per column (float32 scale and zero a "
    "column)\n"
    "  int8               symmetric per column (float32 scale a column)\n"
    "  sa35-gG, int4-gG, int3-gG\n"
    "                     the same grids per group of G k-values of a column, "
    "a\n"
    "                     binary16 scale and zero a group (docs/format.md, "
    "\"Group\n"
    "                     scaling\"), for every G given\n"
    "  q8_0, q4_0, q3_K   llama.cpp's formats along k, each column a ggml "
    "row, bit\n"
    "                     for bit as ggml's reference quantizers (8.5, 4.5 "
    "and\n"
    "                     3.4375 bits per weight)\n"
    "\n"
    "Bits per weight count the codes with their padding and every scale and "
    "zero.\n"
    "A row that cannot be measured on this weight says why in place of its\n"
    "numbers: a ggml format needs K a multiple of its block (32, 32, 256), a "
    "group\n"
    "size must suit the format (G < 16384 for sa35 and int4, 32768 for int3).\n"
    "A safetensors tensor is read as `sa35 quantize` reads it ([out, in]\n"
    "transposed).\n"
    "\n"
    "options:\n"
    "  -t, --tensor NAME  which tensor of a safetensors file (default: the "
    "first\n"
    "                     2-D float tensor)\n"
    "  -g, --group G      a group size, a multiple of 16 below 2^21 (K's "
    "limit);\n"
    "                     repeat it for more (at most 8; default: 64, 128 and "
    "640)\n";

/* One row of the table: measure(w, arg, G, r, err) names the row in
 * r->name and returns 0 with r->q filled, 1 when the format does not apply
 * to W (r->why says why), or -1 on error. */
typedef struct stats_result {
    char name[32];
    char why[sizeof(sa35_err) + 16]; /* "skipped: " and a message */
    sa35_quality q;
} stats_result;

typedef struct stats_row {
    int (*measure)(const sa35_fview *w, int arg, int64_t G, stats_result *r,
                   sa35_err *err);
    int arg;
    int grouped; /* 1: a row for every --group G; 0: one row, G = 0 */
} stats_row;

/* sa35, int4, int3, int8, arg a sa35_format: per column (G = 0) or in
 * groups of G. A group size the format refuses, or a group grid binary16
 * cannot hold, makes a row that says so. */
static int measure_format(const sa35_fview *w, int arg, int64_t G,
                          stats_result *r, sa35_err *err)
{
    const sa35_format fmt = (sa35_format)arg;
    sa35_qweights q;
    if (!G) {
        snprintf(r->name, sizeof r->name, "%s", sa35_format_info(fmt)->name);
        if (sa35_quantize(w, fmt, &q, err))
            return -1;
    } else {
        snprintf(r->name, sizeof r->name, "%s-g%lld",
                 sa35_format_info(fmt)->name, (long long)G);
        if (sa35_group_check(fmt, G, err) ||
            sa35_quantize_group(w, fmt, G, &q, err)) {
            snprintf(r->why, sizeof r->why, "skipped: %s", err->msg);
            return 1;
        }
    }
    sa35_quality_measure(w, &q, &r->q);
    sa35_qweights_free(&q);
    return 0;
}

/* llama.cpp's formats, arg a sa35_ggml_type. */
static int measure_ggml(const sa35_fview *w, int arg, int64_t G,
                        stats_result *r, sa35_err *err)
{
    const sa35_ggml_traits *g = sa35_ggml_info((sa35_ggml_type)arg);
    (void)G;
    snprintf(r->name, sizeof r->name, "%s", g->name);
    if (w->K % g->block) {
        snprintf(r->why, sizeof r->why, "skipped: K=%lld is not a multiple "
                 "of %s's block of %d", (long long)w->K, g->name,
                 (int)g->block);
        return 1;
    }
    return sa35_ggml_quality(w, (sa35_ggml_type)arg, &r->q, err);
}

/* The table's rows, in order. */
static const stats_row rows[] = {
    {measure_format, SA35_FMT_SA35, 0}, {measure_format, SA35_FMT_INT4, 0},
    {measure_format, SA35_FMT_INT3, 0}, {measure_format, SA35_FMT_INT8, 0},
    {measure_format, SA35_FMT_SA35, 1}, {measure_format, SA35_FMT_INT4, 1},
    {measure_format, SA35_FMT_INT3, 1}, {measure_ggml, SA35_GGML_Q8_0, 0},
    {measure_ggml, SA35_GGML_Q4_0, 0},  {measure_ggml, SA35_GGML_Q3_K, 0},
};

enum { MAX_GROUPS = 8 };

/* One --group G: a multiple of 16 below K's limit, not given before. */
static int add_group(const char *text, int64_t *groups, int *ngroups)
{
    int64_t G;
    if (cli_parse_positive("stats", "--group", text, &G))
        return 1;
    if (G % 16 || G >= SA35_K_LIMIT)
        return cli_failf("stats", "--group must be a multiple of 16 below "
                         "2^21, got '%s'", text);
    for (int i = 0; i < *ngroups; i++)
        if (groups[i] == G)
            return cli_failf("stats", "--group %lld given twice",
                             (long long)G);
    if (*ngroups == MAX_GROUPS)
        return cli_failf("stats", "--group given more than %d times",
                         MAX_GROUPS);
    groups[(*ngroups)++] = G;
    return 0;
}

/* Measure and print one row; 0, or -1 with err set. */
static int print_row(const stats_row *row, const sa35_fview *w, int64_t G,
                     sa35_err *err)
{
    stats_result r = {0};
    int st = row->measure(w, row->arg, G, &r, err);
    if (st < 0)
        return -1;
    if (st > 0)
        printf("| %s | %s | - | - | - |\n", r.name, r.why);
    else
        printf("| %s | %.4f | %.6g | %.2f | %.6g |\n", r.name,
               r.q.bits_per_weight, r.q.rmse, r.q.sqnr_db, r.q.max_abs_err);
    return 0;
}

void cmd_stats_usage(FILE *f) { fputs(usage, f); }

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        {"tensor", required_argument, NULL, 't'},
        {"group", required_argument, NULL, 'g'},
        {NULL, 0, NULL, 0},
    };
    char *tensor = NULL;
    int64_t groups[MAX_GROUPS];
    int ngroups = 0, c;
    while ((c = getopt_long(argc, argv, "t:g:", opts, NULL)) != -1) {
        if (c == 't')
            tensor = optarg;
        else if (c != 'g')
            return cli_failf("stats", "bad option (see --help)");
        else if (add_group(optarg, groups, &ngroups))
            return 1;
    }
    if (!ngroups) {
        static const int64_t fallback[] = {64, 128, 640};
        for (size_t i = 0; i < sizeof fallback / sizeof *fallback; i++)
            groups[ngroups++] = fallback[i];
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
    for (size_t i = 0; i < sizeof rows / sizeof *rows && !rc; i++)
        for (int j = 0; j < (rows[i].grouped ? ngroups : 1) && !rc; j++)
            rc = print_row(&rows[i], &w[0].view,
                           rows[i].grouped ? groups[j] : 0, &err);
    if (rc)
        sa35_err_prefix(&err, path);
    cli_free_weights(w, count);
    return rc ? cli_fail("stats", &err) : 0;
}
