/* randmat.c: reproducible matrices shaped like trained LLM weights
 * (Gaussian, Student-t tails, outlier rows or columns), the same bytes on
 * every machine: `sa35 randn` writes them, `sa35 project` measures each
 * format's SQNR on one. The generator is spelled out in `sa35 randn
 * --help` and docs/format.md; changing it changes published tables. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sa35_cmodel.h"

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

/* "rows=R,scale=F" or "cols=C,scale=F", in either order. */
static int parse_outliers(const char *spec, const char *text, sa35_dist *d,
                          sa35_err *err)
{
    int have_count = 0, have_scale = 0;
    const char *p = text;
    d->kind = SA35_DIST_OUTLIERS;
    for (;;) {
        const char *eq = strchr(p, '='), *comma = strchr(p, ',');
        if (!comma)
            comma = p + strlen(p);
        if (!eq || eq > comma)
            return sa35_err_set(err, "%s: expected key=value, got '%.*s'",
                                spec, (int)(comma - p), p);
        size_t klen = (size_t)(eq - p);
        char val[64];
        if (comma - eq - 1 >= (ptrdiff_t)sizeof val)
            return sa35_err_set(err, "%s: the value of '%.*s' is too long",
                                spec, (int)klen, p);
        snprintf(val, sizeof val, "%.*s", (int)(comma - eq - 1), eq + 1);
        char *end;
        if (klen == 4 && (!strncmp(p, "rows", 4) || !strncmp(p, "cols", 4))) {
            long long v = strtoll(val, &end, 10);
            if (have_count)
                return sa35_err_set(err, "%s: give one of rows= and cols=, "
                                    "once", spec);
            if (end == val || *end || v < 1 || val[0] == ' ' || val[0] == '+')
                return sa35_err_set(err, "%s: %.4s must be a positive "
                                    "integer, got '%s'", spec, p, val);
            d->last_dim = p[0] == 'c';
            d->count = v;
            have_count = 1;
        } else if (klen == 5 && !strncmp(p, "scale", 5)) {
            d->scale = strtod(val, &end);
            if (have_scale)
                return sa35_err_set(err, "%s: scale= given twice", spec);
            if (end == val || *end || !isfinite(d->scale) || d->scale <= 0)
                return sa35_err_set(err, "%s: scale must be a finite number "
                                    "> 0, got '%s'", spec, val);
            have_scale = 1;
        } else {
            return sa35_err_set(err, "%s: unknown key '%.*s' (rows, cols, "
                                "scale)", spec, (int)klen, p);
        }
        if (!*comma)
            break;
        p = comma + 1;
    }
    if (!have_count || !have_scale)
        return sa35_err_set(err, "%s: needs rows=R or cols=C, and scale=F",
                            spec);
    return 0;
}

int sa35_dist_parse(const char *spec, sa35_dist *d, sa35_err *err)
{
    memset(d, 0, sizeof *d);
    if (strlen(spec) >= sizeof d->spec)
        return sa35_err_set(err, "'%.40s...': longer than %d characters",
                            spec, (int)sizeof d->spec - 1);
    snprintf(d->spec, sizeof d->spec, "%s", spec);
    if (!strcmp(spec, "gauss")) {
        d->kind = SA35_DIST_GAUSS;
        return 0;
    }
    if (!strncmp(spec, "student-t:", 10)) {
        char *end;
        d->kind = SA35_DIST_STUDENT_T;
        d->nu = strtod(spec + 10, &end);
        if (end == spec + 10 || *end || !isfinite(d->nu) || d->nu <= 0)
            return sa35_err_set(err, "%s: NU must be a finite number > 0, "
                                "got '%s'", spec, spec + 10);
        return 0;
    }
    if (!strncmp(spec, "outliers:", 9))
        return parse_outliers(spec, spec + 9, d, err);
    return sa35_err_set(err, "unknown distribution '%s' (gauss, "
                        "student-t:NU, outliers:rows=R,scale=F, "
                        "outliers:cols=C,scale=F)", spec);
}

int sa35_dist_outliers(const sa35_dist *d, uint64_t seed, int64_t dim,
                       unsigned char *mask, sa35_err *err)
{
    if (d->count > dim)
        return sa35_err_set(err, "%s: %lld indices asked, the %s dimension "
                            "has %lld", d->spec, (long long)d->count,
                            d->last_dim ? "last" : "first", (long long)dim);
    int64_t *idx = malloc((size_t)dim * sizeof *idx);
    if (!idx)
        return sa35_err_set(err, "%s: out of memory for %lld indices",
                            d->spec, (long long)dim);
    memset(mask, 0, (size_t)dim);
    for (int64_t i = 0; i < dim; i++)
        idx[i] = i;
    uint64_t s = seed ^ 0x6F75746C69657273ull; /* "outliers" */
    for (int64_t i = 0; i < d->count; i++) {
        int64_t j = i + (int64_t)(splitmix64(&s) % (uint64_t)(dim - i));
        int64_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        mask[idx[i]] = 1;
    }
    free(idx);
    return 0;
}

int sa35_dist_fill(const sa35_dist *d, uint64_t seed, double sigma,
                   int uniform, int ndim, const int64_t *dims,
                   const unsigned char *mask, float *v, sa35_err *err)
{
    int64_t count = 1;
    for (int i = 0; i < ndim; i++)
        count *= dims[i];
    /* an outlier element: its index along the first dimension (element i
     * / inner) or along the last (i % dim) is marked */
    int64_t dim = d->last_dim ? dims[ndim - 1] : dims[0];
    int64_t inner = dims[0] ? count / dims[0] : 1;
    if (uniform && d->kind == SA35_DIST_STUDENT_T)
        return sa35_err_set(err, "%s: uniform draws do not combine with a "
                            "Student-t", d->spec);
    for (int64_t i = 0; i < count; i++) {
        double x = uniform ? 2.0 * unit(&seed) - 1.0 : normal(&seed);
        if (d->kind == SA35_DIST_STUDENT_T)
            x /= sqrt(2.0 * gamma_draw(&seed, 0.5 * d->nu) / d->nu);
        else if (d->kind == SA35_DIST_OUTLIERS &&
                 mask[d->last_dim ? i % dim : i / inner])
            x *= d->scale;
        v[i] = (float)(sigma * x);
        if (!isfinite(v[i]))
            return sa35_err_set(
                err, "%s: element %lld is %g, beyond float32's range "
                     "(%s)", d->spec, (long long)i, sigma * x,
                d->kind == SA35_DIST_STUDENT_T
                    ? "a larger NU keeps the tails in range"
                    : "a smaller std keeps it in range");
    }
    return 0;
}
