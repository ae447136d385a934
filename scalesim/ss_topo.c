/* ss_topo.c: SCALE-Sim topology CSVs. Like SCALE-Sim, the first line is a
 * header, blank lines are skipped and every row ends with a comma (the
 * field after the last comma is dropped); unlike it, a bad row is a
 * one-line error naming the file, the line and the field. */
#include <stdlib.h>
#include <string.h>

#include "ss_internal.h"
#include "sa35_io.h"

#define FIELDS_MAX 16

static int field_int(const char *path, int line, const char *what,
                     const char *s, int64_t *out, sa35_err *err)
{
    char *end;
    long long x = strtoll(s, &end, 10);
    if (end == s || *end || x < 1 || x > (1LL << 31))
        return sa35_err_set(err, "%s:%d: %s: expected a positive integer, "
                                 "got '%s'",
                            path, line, what, s);
    *out = x;
    return 0;
}

static int push(sa35_ss_layer **v, int *n, int *cap, const sa35_ss_layer *l,
                sa35_err *err)
{
    if (*n == *cap) {
        int c = *cap ? 2 * *cap : 16;
        sa35_ss_layer *q = realloc(*v, (size_t)c * sizeof *q);
        if (!q)
            return sa35_err_set(err, "out of memory for %d layers", c);
        *v = q, *cap = c;
    }
    (*v)[(*n)++] = *l;
    return 0;
}

static int parse_row(char **f, int nf, const char *path, int line, int gemm,
                     sa35_ss_layer *l, sa35_err *err)
{
    static const char *conv[] = {"IFMAP height", "IFMAP width",
                                 "filter height", "filter width",
                                 "channels", "filters", "stride",
                                 "stride width"};
    static const char *mnk[] = {"M", "N", "K"};
    memset(l, 0, sizeof *l);
    if (!f[0][0] || strlen(f[0]) >= sizeof l->name)
        return sa35_err_set(err, "%s:%d: the layer name must be 1..%zu "
                                 "characters",
                            path, line, sizeof l->name - 1);
    strcpy(l->name, f[0]);
    if (gemm) {
        int64_t v[3];
        if (nf < 4)
            return sa35_err_set(err, "%s:%d: a GEMM row needs name, M, N, K "
                                     "and a trailing comma; got %d fields",
                                path, line, nf);
        for (int i = 0; i < 3; i++)
            if (field_int(path, line, mnk[i], f[1 + i], &v[i], err))
                return -1;
        /* SCALE-Sim: ifmap M x K, filter 1 x K, 1 channel, N filters */
        l->ifmap_h = v[0], l->ifmap_w = v[2], l->filt_h = 1;
        l->filt_w = v[2], l->channels = 1, l->filters = v[1];
        l->stride_h = l->stride_w = 1;
        return 0;
    }
    if (nf < 8)
        return sa35_err_set(err, "%s:%d: a conv row needs name and 7 numbers "
                                 "(IFMAP h, w, filter h, w, channels, filters, "
                                 "stride) and a trailing comma; got %d fields",
                            path, line, nf);
    int64_t v[8];
    for (int i = 0; i < (nf >= 9 ? 8 : 7); i++)
        if (field_int(path, line, conv[i], f[1 + i], &v[i], err))
            return -1;
    if (nf < 9)
        v[7] = v[6]; /* one stride for both directions */
    l->ifmap_h = v[0], l->ifmap_w = v[1], l->filt_h = v[2], l->filt_w = v[3];
    l->channels = v[4], l->filters = v[5];
    l->stride_h = v[6], l->stride_w = v[7];
    if (l->filt_h > l->ifmap_h || l->filt_w > l->ifmap_w)
        return sa35_err_set(err, "%s:%d: the filter (%lldx%lld) is larger "
                                 "than the IFMAP (%lldx%lld)",
                            path, line, (long long)l->filt_h,
                            (long long)l->filt_w, (long long)l->ifmap_h,
                            (long long)l->ifmap_w);
    return 0;
}

int sa35_ss_topo_parse(const char *text, const char *path, int gemm,
                       sa35_ss_layer **layers, int *count, sa35_err *err)
{
    *layers = NULL;
    *count = 0;
    char *copy = strdup(text);
    if (!copy)
        return sa35_err_set(err, "%s: out of memory for a copy of its text "
                                 "(%zu bytes)",
                            path, strlen(text) + 1);
    sa35_ss_layer *v = NULL;
    int n = 0, cap = 0, line = 0, rc = -1;
    for (char *p = copy, *nl; p && *p; p = nl) {
        nl = strchr(p, '\n');
        if (nl)
            *nl++ = '\0';
        if (++line == 1)
            continue; /* the header */
        char *s = ss_strip(p);
        if (!*s)
            continue;
        char *f[FIELDS_MAX];
        int nf = 0;
        /* split on commas; the piece after the last comma is dropped */
        for (char *c = s; nf < FIELDS_MAX;) {
            char *comma = strchr(c, ',');
            if (!comma)
                break;
            *comma = '\0';
            f[nf++] = ss_strip(c);
            c = comma + 1;
        }
        if (nf == 0) {
            sa35_err_set(err, "%s:%d: no comma: SCALE-Sim rows end with ','",
                         path, line);
            goto out;
        }
        sa35_ss_layer l;
        int64_t px, filt, win;
        if (parse_row(f, nf, path, line, gemm, &l, err))
            goto out;
        /* a depth-wise ("DP") row becomes one single-channel layer per
         * channel, as SCALE-Sim splits it */
        int64_t reps = !gemm && strstr(l.name, "DP") ? l.channels : 1;
        if (reps > SA35_SS_LAYERS_MAX - n) {
            sa35_err_set(err, "%s:%d: more than %d layers in all (a "
                              "depth-wise row makes one per channel; this "
                              "row makes %lld)",
                         path, line, SA35_SS_LAYERS_MAX, (long long)reps);
            goto out;
        }
        if (reps > 1)
            l.channels = 1;
        if (sa35_ss_layer_dims(&l, &px, &filt, &win, err)) {
            char at[4200];
            snprintf(at, sizeof at, "%s:%d", path, line);
            sa35_err_prefix(err, at);
            goto out;
        }
        for (int64_t r = 0; r < reps; r++) {
            sa35_ss_layer d = l;
            if (!gemm && strstr(l.name, "DP"))
                snprintf(d.name, sizeof d.name, "%.36sChannel_%lld", l.name,
                         (long long)r);
            if (push(&v, &n, &cap, &d, err))
                goto out;
        }
    }
    if (n == 0) {
        sa35_err_set(err, "%s: no layers (the first line is the header)",
                     path);
        goto out;
    }
    *layers = v, *count = n, v = NULL;
    rc = 0;
out:
    free(v);
    free(copy);
    return rc;
}

int sa35_ss_topo_read(const char *path, int gemm, sa35_ss_layer **layers,
                      int *count, sa35_err *err)
{
    char *text = sa35_read_text(path, err);
    if (!text)
        return -1;
    int rc = sa35_ss_topo_parse(text, path, gemm, layers, count, err);
    free(text);
    return rc;
}

int sa35_ss_layer_dims(const sa35_ss_layer *l, int64_t *ofmap_px,
                       int64_t *filters, int64_t *window, sa35_err *err)
{
    /* SCALE-Sim: ceil((ifmap - filter + stride) / stride); the reader
     * keeps every field in 1..2^31 and the filter inside the IFMAP */
    int64_t oh = ss_ceil_div(l->ifmap_h - l->filt_h + l->stride_h,
                             l->stride_h);
    int64_t ow = ss_ceil_div(l->ifmap_w - l->filt_w + l->stride_w,
                             l->stride_w);
    int64_t fhw, ihw, in, mn;
    const char *what = NULL;
    if (sa35_mul_i64(oh, ow, ofmap_px))
        what = "the OFMAP pixels (height x width)";
    else if (sa35_mul_i64(l->filt_h, l->filt_w, &fhw) ||
             sa35_mul_i64(fhw, l->channels, window))
        what = "the window (filter height x width x channels)";
    else if (sa35_mul_i64(l->ifmap_h, l->ifmap_w, &ihw) ||
             sa35_mul_i64(ihw, l->channels, &in))
        what = "the IFMAP (height x width x channels)";
    else if (sa35_mul_i64(*ofmap_px, l->filters, &mn) ||
             sa35_mul_i64(mn, *window, &mn))
        what = "the MACs (OFMAP pixels x filters x window)";
    *filters = l->filters;
    if (what)
        return sa35_err_set(err, "layer '%s': %s exceed 2^63", l->name,
                            what);
    return 0;
}
