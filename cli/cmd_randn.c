/* cmd_randn.c: `sa35 randn --shape 4096,64 -o W.npy`: reproducible random
 * matrices for demos, docs and bug reports, without Python: Gaussian,
 * Student-t (heavy tails) and Gaussian with outlier rows or columns, the
 * shapes of trained LLM weights. */
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "commands.h"

static const char usage[] =
    "usage: sa35 randn --shape D0,D1[,...] -o OUT.npy [--seed S] [--std "
    "SIGMA]\n"
    "                  [--dist DIST] [--uniform]\n"
    "\n"
    "Write a float32 array of independent samples: SIGMA times a draw of "
    "DIST,\n"
    "computed in double precision and rounded to float32 once. The same seed "
    "gives\n"
    "the same bytes on every machine: each draw u is the next output of "
    "splitmix64\n"
    "from the state S, its top 53 bits taken as a double in [0, 1).\n"
    "\n"
    "DIST:\n"
    "  gauss         (the default) N(0, 1) by Box-Muller, two draws a sample:\n"
    "                sqrt(-2 ln(1 - u1)) cos(2 pi u2)\n"
    "  student-t:NU  Student-t with NU > 0 (a real number) degrees of "
    "freedom:\n"
    "                Z / sqrt(V / NU), Z a gauss sample, then V = 2 G "
    "chi-square\n"
    "                with NU degrees, G gamma(NU/2) by Marsaglia-Tsang (for "
    "NU < 2,\n"
    "                gamma(NU/2 + 1) times (1 - u)^(2/NU)). SIGMA is its "
    "scale; its\n"
    "                std is SIGMA sqrt(NU / (NU - 2)) for NU > 2. A sample "
    "beyond\n"
    "                float32's range (a tiny NU) is an error.\n"
    "  outliers:rows=R,scale=F\n"
    "                gauss (the same bytes as --dist gauss with the same "
    "seed), but\n"
    "                the elements of R distinct indices of the first "
    "dimension (the\n"
    "                input channels k of a K x N weight) multiplied by F > 0. "
    "The\n"
    "                indices come from a partial Fisher-Yates shuffle of "
    "0..D0-1\n"
    "                (for i = 0..R-1 swap entries i and i + r mod (D0 - i), r "
    "the\n"
    "                next output of a second splitmix64 whose state starts at\n"
    "                S xor 0x6F75746C69657273) and are printed in increasing "
    "order.\n"
    "  outliers:cols=C,scale=F\n"
    "                the same along the last dimension (the outputs n of a K "
    "x N\n"
    "                weight); needs 2 or more dimensions.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE  the .npy to write (required)\n"
    "      --shape DIMS   comma-separated sizes, 1 to 8 of them (required)\n"
    "      --seed S       unsigned 64-bit seed (default 1)\n"
    "      --std SIGMA    SIGMA >= 0: the std of gauss, the scale of "
    "student-t, the\n"
    "                     half-width of --uniform (default 1)\n"
    "      --dist DIST    the distribution, above (default gauss)\n"
    "      --uniform      uniform in [-1, 1), 2u - 1 with one draw a sample, "
    "in\n"
    "                     place of N(0, 1) (with gauss or outliers, not "
    "student-t)\n";

void cmd_randn_usage(FILE *f) { fputs(usage, f); }

static int parse_shape(const char *text, int *ndim, int64_t *shape)
{
    /* comma-separated dimensions, each digits only, 0..2^40 (the strict
     * parser: ' 4', '+4' and '-1' are refused, nothing wraps) */
    const char *p = text;
    *ndim = 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (*ndim == SA35_MAX_DIMS ||
            sa35_parse_i64(p, n, 0, 1LL << 40, &shape[*ndim]))
            return -1;
        (*ndim)++;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

/* The outlier indices, printed in increasing order. */
static void print_outliers(const sa35_dist *d, const unsigned char *mask,
                           int64_t dim)
{
    printf("outlier %s (indices of the %s dimension, times %g):",
           d->last_dim ? "cols" : "rows", d->last_dim ? "last" : "first",
           d->scale);
    for (int64_t i = 0; i < dim; i++)
        if (mask[i])
            printf(" %lld", (long long)i);
    printf("\n");
}

int cmd_randn(int argc, char **argv)
{
    enum { OPT_SHAPE = 256, OPT_SEED, OPT_STD, OPT_UNIFORM, OPT_DIST };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"shape", required_argument, NULL, OPT_SHAPE},
        {"seed", required_argument, NULL, OPT_SEED},
        {"std", required_argument, NULL, OPT_STD},
        {"uniform", no_argument, NULL, OPT_UNIFORM},
        {"dist", required_argument, NULL, OPT_DIST},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *shape = NULL, *spec = "gauss";
    uint64_t seed = 1;
    double sigma = 1.0;
    int uniform = 0, c;
    char *end;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_SHAPE: shape = optarg; break;
        case OPT_UNIFORM: uniform = 1; break;
        case OPT_DIST: spec = optarg; break;
        case OPT_SEED:
            if (sa35_parse_u64(optarg, strlen(optarg), 0, UINT64_MAX, &seed))
                return cli_failf("randn", "--seed must be an unsigned "
                                          "integer, got '%s'", optarg);
            break;
        case OPT_STD:
            sigma = strtod(optarg, &end);
            if (end == optarg || *end || !isfinite(sigma) || sigma < 0)
                return cli_failf("randn", "--std must be a finite number "
                                          ">= 0, got '%s'", optarg);
            break;
        default:
            return cli_failf("randn", "bad option (see --help)");
        }
    }
    int ndim;
    int64_t dims[SA35_MAX_DIMS];
    sa35_dist dist;
    sa35_err err;
    if (optind != argc || !out || !shape)
        return cli_failf("randn", "expected --shape and -o (see --help)");
    if (parse_shape(shape, &ndim, dims))
        return cli_failf("randn", "bad --shape '%s' (e.g. 4096,64)", shape);
    if (sa35_dist_parse(spec, &dist, &err))
        return cli_failf("randn", "--dist %s", err.msg);
    if (dist.kind == SA35_DIST_OUTLIERS && dist.last_dim && ndim < 2)
        return cli_failf("randn", "--dist %s: cols= needs a shape of 2 or "
                         "more dimensions, --shape '%s' has 1", spec, shape);
    if (uniform && dist.kind == SA35_DIST_STUDENT_T)
        return cli_failf("randn", "--uniform does not combine with --dist "
                         "%s", spec);
    sa35_array a = {0};
    if (sa35_array_alloc(&a, SA35_DT_F32, ndim, dims, &err))
        return cli_fail("randn", &err);
    unsigned char *mask = NULL;
    int64_t dim = dist.last_dim ? dims[ndim - 1] : dims[0];
    int rc = 0;
    if (dist.kind == SA35_DIST_OUTLIERS) {
        mask = malloc(dim ? (size_t)dim : 1);
        if (!mask)
            rc = cli_failf("randn", "out of memory for the outlier mask "
                           "(%lld bytes)", (long long)dim);
        else if (sa35_dist_outliers(&dist, seed, dim, mask, &err))
            rc = cli_failf("randn", "--dist %s", err.msg);
        else
            print_outliers(&dist, mask, dim);
    }
    if (!rc && sa35_dist_fill(&dist, seed, sigma, uniform, ndim, dims, mask,
                              a.data, &err))
        rc = cli_failf("randn", "--dist %s", err.msg);
    free(mask);
    if (!rc && sa35_npy_write(out, &a, &err))
        rc = cli_fail("randn", &err);
    sa35_array_free(&a);
    if (!rc)
        printf("wrote %s\n", out);
    return rc;
}
