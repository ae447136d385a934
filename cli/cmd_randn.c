/* cmd_randn.c: `sa35 randn --shape 4096,64 -o W.npy`: reproducible random
 * matrices for demos, docs and bug reports, without Python. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "commands.h"

static const char usage[] =
    "usage: sa35 randn --shape D0,D1[,...] -o OUT.npy [--seed S] "
    "[--std SIGMA]\n"
    "                  [--uniform]\n"
    "\n"
    "Write a float32 array of independent N(0, SIGMA^2) samples (or uniform "
    "in\n"
    "[-SIGMA, SIGMA) with --uniform). The same seed gives the same bytes on "
    "every\nmachine: splitmix64 and the Box-Muller transform in double "
    "precision.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE  the .npy to write (required)\n"
    "      --shape DIMS   comma-separated sizes, 1 to 8 of them (required)\n"
    "      --seed S       unsigned 64-bit seed (default 1)\n"
    "      --std SIGMA    standard deviation or half-width (default 1)\n"
    "      --uniform      uniform instead of normal\n";

void cmd_randn_usage(FILE *f) { fputs(usage, f); }

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A double in [0, 1) with 53 random bits. */
static double unit(uint64_t *s)
{
    return (double)(splitmix64(s) >> 11) * (1.0 / 9007199254740992.0);
}

static int parse_shape(const char *text, int *ndim, int64_t *shape)
{
    const char *p = text;
    *ndim = 0;
    while (*p) {
        char *end;
        long long d = strtoll(p, &end, 10);
        if (end == p || d < 0 || d > (1LL << 40) || *ndim == SA35_MAX_DIMS)
            return -1;
        shape[(*ndim)++] = d;
        if (*end == ',')
            end++;
        else if (*end)
            return -1;
        p = end;
    }
    return *ndim ? 0 : -1;
}

int cmd_randn(int argc, char **argv)
{
    enum { OPT_SHAPE = 256, OPT_SEED, OPT_STD, OPT_UNIFORM };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"shape", required_argument, NULL, OPT_SHAPE},
        {"seed", required_argument, NULL, OPT_SEED},
        {"std", required_argument, NULL, OPT_STD},
        {"uniform", no_argument, NULL, OPT_UNIFORM},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *shape = NULL;
    uint64_t seed = 1;
    double sigma = 1.0;
    int uniform = 0, c;
    char *end;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_SHAPE: shape = optarg; break;
        case OPT_UNIFORM: uniform = 1; break;
        case OPT_SEED:
            seed = strtoull(optarg, &end, 10);
            if (*end || !*optarg)
                return cli_failf("randn", "--seed must be an unsigned "
                                          "integer, got '%s'", optarg);
            break;
        case OPT_STD:
            sigma = strtod(optarg, &end);
            if (*end || !isfinite(sigma) || sigma < 0)
                return cli_failf("randn", "--std must be a finite number "
                                          ">= 0, got '%s'", optarg);
            break;
        default:
            return cli_failf("randn", "bad option (see --help)");
        }
    }
    sa35_array a = {0};
    int ndim;
    int64_t dims[SA35_MAX_DIMS];
    if (optind != argc || !out || !shape)
        return cli_failf("randn", "expected --shape and -o (see --help)");
    if (parse_shape(shape, &ndim, dims))
        return cli_failf("randn", "bad --shape '%s' (e.g. 4096,64)", shape);
    sa35_err err;
    if (sa35_array_alloc(&a, SA35_DT_F32, ndim, dims, &err))
        return cli_fail("randn", &err);
    float *v = a.data;
    int64_t count = sa35_array_count(&a);
    for (int64_t i = 0; i < count; i++) {
        double x;
        if (uniform) {
            x = 2.0 * unit(&seed) - 1.0;
        } else { /* one sample per pair of draws, the cosine branch */
            double u1 = 1.0 - unit(&seed); /* (0, 1]: log is finite */
            double u2 = unit(&seed);
            x = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
        }
        v[i] = (float)(sigma * x);
    }
    int rc = sa35_npy_write(out, &a, &err);
    sa35_array_free(&a);
    if (rc)
        return cli_fail("randn", &err);
    printf("wrote %s\n", out);
    return 0;
}
