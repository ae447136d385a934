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

/* One sample per pair of draws, the cosine branch. */
static double normal(uint64_t *s)
{
    double u1 = 1.0 - unit(s); /* (0, 1]: log is finite */
    double u2 = unit(s);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Gamma(a, 1), a > 0: Marsaglia and Tsang, "A simple method for generating
 * gamma variables" (2000), with their boost U^(1/a) for a < 1. */
static double gamma_draw(uint64_t *s, double a)
{
    if (a < 1.0) {
        double g = gamma_draw(s, a + 1.0);
        return g * pow(1.0 - unit(s), 1.0 / a);
    }
    const double d = a - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = normal(s);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = 1.0 - unit(s); /* (0, 1] */
        if (u < 1.0 - 0.0331 * (x * x) * (x * x) ||
            log(u) < 0.5 * x * x + d * (1.0 - v + log(v)))
            return d * v;
    }
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

/* --dist, parsed. */
typedef struct randn_dist {
    enum { DIST_GAUSS, DIST_STUDENT_T, DIST_OUTLIERS } kind;
    double nu;     /* student-t                                    */
    int last_dim;  /* outliers: 0 the first dimension, 1 the last  */
    int64_t count; /* outliers: how many indices                   */
    double scale;  /* outliers: F                                  */
} randn_dist;

/* "rows=R,scale=F" or "cols=C,scale=F", in either order. */
static int parse_outliers(const char *spec, const char *text, randn_dist *d)
{
    int have_count = 0, have_scale = 0;
    const char *p = text;
    d->kind = DIST_OUTLIERS;
    for (;;) {
        const char *eq = strchr(p, '='), *comma = strchr(p, ',');
        if (!comma)
            comma = p + strlen(p);
        if (!eq || eq > comma)
            return cli_failf("randn", "--dist %s: expected key=value, got "
                             "'%.*s'", spec, (int)(comma - p), p);
        size_t klen = (size_t)(eq - p);
        char val[64];
        if (comma - eq - 1 >= (ptrdiff_t)sizeof val)
            return cli_failf("randn", "--dist %s: the value of '%.*s' is "
                             "too long", spec, (int)klen, p);
        snprintf(val, sizeof val, "%.*s", (int)(comma - eq - 1), eq + 1);
        char *end;
        if ((klen == 4 && !strncmp(p, "rows", 4)) ||
            (klen == 4 && !strncmp(p, "cols", 4))) {
            long long v = strtoll(val, &end, 10);
            if (have_count)
                return cli_failf("randn", "--dist %s: give one of rows= "
                                 "and cols=, once", spec);
            if (end == val || *end || v < 1)
                return cli_failf("randn", "--dist %s: %.4s must be a "
                                 "positive integer, got '%s'", spec, p, val);
            d->last_dim = p[0] == 'c';
            d->count = v;
            have_count = 1;
        } else if (klen == 5 && !strncmp(p, "scale", 5)) {
            d->scale = strtod(val, &end);
            if (have_scale)
                return cli_failf("randn", "--dist %s: scale= given twice",
                                 spec);
            if (end == val || *end || !isfinite(d->scale) || d->scale <= 0)
                return cli_failf("randn", "--dist %s: scale must be a "
                                 "finite number > 0, got '%s'", spec, val);
            have_scale = 1;
        } else {
            return cli_failf("randn", "--dist %s: unknown key '%.*s' "
                             "(rows, cols, scale)", spec, (int)klen, p);
        }
        if (!*comma)
            break;
        p = comma + 1;
    }
    if (!have_count || !have_scale)
        return cli_failf("randn", "--dist %s: needs rows=R or cols=C, and "
                         "scale=F", spec);
    return 0;
}

static int parse_dist(const char *spec, randn_dist *d)
{
    memset(d, 0, sizeof *d);
    if (!strcmp(spec, "gauss")) {
        d->kind = DIST_GAUSS;
        return 0;
    }
    if (!strncmp(spec, "student-t:", 10)) {
        char *end;
        d->kind = DIST_STUDENT_T;
        d->nu = strtod(spec + 10, &end);
        if (end == spec + 10 || *end || !isfinite(d->nu) || d->nu <= 0)
            return cli_failf("randn", "--dist %s: NU must be a finite "
                             "number > 0, got '%s'", spec, spec + 10);
        return 0;
    }
    if (!strncmp(spec, "outliers:", 9))
        return parse_outliers(spec, spec + 9, d);
    return cli_failf("randn", "--dist: unknown distribution '%s' (gauss, "
                     "student-t:NU, outliers:rows=R,scale=F, "
                     "outliers:cols=C,scale=F)", spec);
}

/* The outlier indices: mask[i] = 1 for the d->count chosen of 0..dim-1,
 * printed in increasing order. */
static int choose_outliers(const char *spec, const randn_dist *d,
                           uint64_t seed, int64_t dim, unsigned char **mask)
{
    const char *what = d->last_dim ? "last" : "first";
    if (d->count > dim)
        return cli_failf("randn", "--dist %s: %lld indices asked, the %s "
                         "dimension has %lld", spec, (long long)d->count,
                         what, (long long)dim);
    int64_t *idx = malloc((size_t)dim * sizeof *idx);
    *mask = calloc((size_t)dim, 1);
    if (!idx || !*mask) {
        free(idx);
        free(*mask);
        return cli_failf("randn", "out of memory");
    }
    for (int64_t i = 0; i < dim; i++)
        idx[i] = i;
    uint64_t s = seed ^ 0x6F75746C69657273ull; /* "outliers" */
    for (int64_t i = 0; i < d->count; i++) {
        int64_t j = i + (int64_t)(splitmix64(&s) % (uint64_t)(dim - i));
        int64_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        (*mask)[idx[i]] = 1;
    }
    free(idx);
    printf("outlier %s (indices of the %s dimension, times %g):",
           d->last_dim ? "cols" : "rows", what, d->scale);
    for (int64_t i = 0; i < dim; i++)
        if ((*mask)[i])
            printf(" %lld", (long long)i);
    printf("\n");
    return 0;
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
    int ndim;
    int64_t dims[SA35_MAX_DIMS];
    randn_dist dist;
    if (optind != argc || !out || !shape)
        return cli_failf("randn", "expected --shape and -o (see --help)");
    if (parse_shape(shape, &ndim, dims))
        return cli_failf("randn", "bad --shape '%s' (e.g. 4096,64)", shape);
    if (parse_dist(spec, &dist))
        return 1;
    if (dist.kind == DIST_OUTLIERS && dist.last_dim && ndim < 2)
        return cli_failf("randn", "--dist %s: cols= needs a shape of 2 or "
                         "more dimensions, --shape '%s' has 1", spec, shape);
    if (uniform && dist.kind == DIST_STUDENT_T)
        return cli_failf("randn", "--uniform does not combine with --dist "
                         "%s", spec);
    sa35_array a = {0};
    sa35_err err;
    if (sa35_array_alloc(&a, SA35_DT_F32, ndim, dims, &err))
        return cli_fail("randn", &err);
    float *v = a.data;
    int64_t count = sa35_array_count(&a);
    /* an outlier element: its index along the first dimension (element i
     * / inner) or along the last (i % dim) is marked */
    unsigned char *mask = NULL;
    int64_t dim = dist.last_dim ? dims[ndim - 1] : dims[0];
    int64_t inner = dims[0] ? count / dims[0] : 1;
    if (dist.kind == DIST_OUTLIERS &&
        choose_outliers(spec, &dist, seed, dim, &mask)) {
        sa35_array_free(&a);
        return 1;
    }
    int rc = 0;
    for (int64_t i = 0; i < count && !rc; i++) {
        double x = uniform ? 2.0 * unit(&seed) - 1.0 : normal(&seed);
        if (dist.kind == DIST_STUDENT_T)
            x /= sqrt(2.0 * gamma_draw(&seed, 0.5 * dist.nu) / dist.nu);
        else if (mask && mask[dist.last_dim ? i % dim : i / inner])
            x *= dist.scale;
        v[i] = (float)(sigma * x);
        if (!isfinite(v[i]))
            rc = cli_failf("randn", "--dist %s: element %lld is beyond "
                           "float32's range (%g); a larger NU keeps the "
                           "tails in range", spec, (long long)i, sigma * x);
    }
    free(mask);
    if (!rc && sa35_npy_write(out, &a, &err))
        rc = cli_fail("randn", &err);
    sa35_array_free(&a);
    if (!rc)
        printf("wrote %s\n", out);
    return rc;
}
