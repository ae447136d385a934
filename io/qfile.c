/* qfile.c: the quantized weight file. A safetensors file where weight NAME
 * is NAME.qweight (U8 [N, colbytes]), NAME.scale and NAME.zero (F32 [N]
 * per column; F16 [N, ngroups] when group-scaled, with "NAME.group"),
 * described by __metadata__: "format", "NAME.K", "NAME.N", and "K" / "N"
 * while every weight in the file has one shape. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io_internal.h"

/* NAME + suffix in buf (names are short; a longer one is refused). */
static const char *key_of(char *buf, size_t cap, const char *name,
                          const char *suffix)
{
    int n = snprintf(buf, cap, "%s%s", name, suffix);
    return n >= 0 && (size_t)n < cap ? buf : NULL;
}
#define KEY_CAP 1024

int sa35_qfile_add(sa35_st_writer *w, const char *name,
                   const sa35_qweights *q, sa35_err *err)
{
    char ctx[KEY_CAP + 32], key[KEY_CAP];
    snprintf(ctx, sizeof ctx, "qfile: weight '%s'", name ? name : "(null)");
    const sa35_format_traits *ft = sa35_format_info(q->fmt);
    if (!name || !*name || !key_of(key, sizeof key, name, ".qweight"))
        return sa35_err_set(err, "%s: the name is empty or too long", ctx);
    if (!ft)
        return sa35_err_set(err, "%s: unknown format %d", ctx, (int)q->fmt);
    size_t colbytes;
    int32_t Kp;
    if (sa35_qweights_shape(q->fmt, q->K, q->N, &Kp, &colbytes, err))
        return sa35_err_prefix(err, ctx);
    if (colbytes != q->colbytes || Kp != q->Kp)
        return sa35_err_set(err, "%s: Kp %d and colbytes %zu, but %s with "
                            "K = %d has %d and %zu", ctx, (int)q->Kp,
                            q->colbytes, ft->name, (int)q->K, (int)Kp,
                            colbytes);
    /* One "format" per file; its absence means this is the first weight. */
    const char *fmt = sa35_st_writer_meta_find(w, "format");
    if (fmt && strcmp(fmt, ft->name) != 0)
        return sa35_err_set(err, "%s is %s, but the file already holds %s "
                            "weights", ctx, ft->name, fmt);
    int first = fmt == NULL;

    char k[24], n[24], g[24];
    snprintf(k, sizeof k, "%" PRId32, q->K);
    snprintf(n, sizeof n, "%" PRId32, q->N);
    snprintf(g, sizeof g, "%" PRId32, q->group);
    int64_t qshape[2] = {q->N, (int64_t)colbytes};
    int64_t sshape[2] = {q->N, q->ngroups};
    /* group-scaled: the binary16 values the quantizer made, as F16; the
     * writer borrows them until the write, so they live in the writer */
    const void *sc = q->scale, *zr = q->zero;
    sa35_dtype sdt = SA35_DT_F32;
    if (q->group) {
        if (sa35_group_check(q->fmt, q->group, err))
            return sa35_err_prefix(err, ctx);
        size_t cnt = (size_t)q->N * (size_t)q->ngroups;
        uint16_t *h = sa35_st_writer_scratch(w, 2 * cnt * sizeof *h, err);
        if (!h)
            return -1;
        for (size_t i = 0; i < cnt; i++) {
            h[i] = sa35_f32_to_f16(q->scale[i]);
            h[cnt + i] = sa35_f32_to_f16(q->zero[i]);
            if (sa35_f16_to_f32(h[i]) != q->scale[i] ||
                sa35_f16_to_f32(h[cnt + i]) != q->zero[i])
                return sa35_err_set(err, "%s: scale or zero %zu is not a "
                                    "binary16 value", ctx, i);
        }
        sc = h;
        zr = h + cnt;
        sdt = SA35_DT_F16;
    }
    if (sa35_st_writer_add(w, key_of(key, sizeof key, name, ".qweight"),
                           SA35_DT_U8, 2, qshape, q->qweight, err) ||
        sa35_st_writer_add(w, key_of(key, sizeof key, name, ".scale"), sdt,
                           q->group ? 2 : 1, sshape, sc, err) ||
        sa35_st_writer_add(w, key_of(key, sizeof key, name, ".zero"), sdt,
                           q->group ? 2 : 1, sshape, zr, err) ||
        sa35_st_writer_meta(w, "format", ft->name, err) ||
        sa35_st_writer_meta(w, key_of(key, sizeof key, name, ".K"), k, err) ||
        sa35_st_writer_meta(w, key_of(key, sizeof key, name, ".N"), n, err) ||
        (q->group &&
         sa35_st_writer_meta(w, key_of(key, sizeof key, name, ".group"), g,
                             err)))
        return -1;

    /* The global K / N hold while every weight agrees; once dropped they
     * stay dropped (a later weight finds "format" but no "K"). */
    if (first)
        return sa35_st_writer_meta(w, "K", k, err) ||
                       sa35_st_writer_meta(w, "N", n, err)
                   ? -1
                   : 0;
    const char *gk = sa35_st_writer_meta_find(w, "K");
    const char *gn = sa35_st_writer_meta_find(w, "N");
    if (gk && (strcmp(gk, k) != 0 || !gn || strcmp(gn, n) != 0)) {
        sa35_st_writer_meta_remove(w, "K");
        sa35_st_writer_meta_remove(w, "N");
    }
    return 0;
}

static const char QSUFFIX[] = ".qweight";
#define QSUFFIX_LEN (sizeof QSUFFIX - 1)

/* The weight name of tensor t, length in *len; NULL if t is no qweight. */
static const char *weight_of(const sa35_st_tensor *t, size_t *len)
{
    size_t n = strlen(t->name);
    if (n <= QSUFFIX_LEN || strcmp(t->name + n - QSUFFIX_LEN, QSUFFIX) != 0)
        return NULL;
    *len = n - QSUFFIX_LEN;
    return t->name;
}

int sa35_qfile_names(const sa35_safetensors *st, const char ***names,
                     int *count, sa35_err *err)
{
    *names = NULL;
    *count = 0;
    size_t bytes = 0, len;
    int n = 0;
    for (int i = 0; i < st->ntensors; i++)
        if (weight_of(&st->tensors[i], &len)) {
            bytes += sizeof(char *) + len + 1;
            n++;
        }
    if (n == 0)
        return 0;
    /* One block: the pointer array first, then the strings. */
    const char **v = malloc(bytes);
    if (!v)
        return sa35_err_set(err, "%s: out of memory", st->path);
    char *s = (char *)(v + n);
    for (int i = 0, j = 0; i < st->ntensors; i++) {
        const char *w = weight_of(&st->tensors[i], &len);
        if (!w)
            continue;
        memcpy(s, w, len);
        s[len] = '\0';
        v[j++] = s;
        s += len + 1;
    }
    *names = v;
    *count = n;
    return 0;
}

/* A metadata integer: decimal digits only, as sa35_qfile_add writes. */
static int parse_dec(const char *s, int64_t *v)
{
    int64_t x = 0;
    size_t i = 0;
    for (; s[i] >= '0' && s[i] <= '9' && i < 18; i++)
        x = x * 10 + (s[i] - '0');
    *v = x;
    return i > 0 && s[i] == '\0' ? 0 : -1;
}

/* If metadata key is present it must be a decimal equal to want (or, with
 * want < 0, it is stored into *got). */
static int meta_int(const sa35_safetensors *st, const char *key,
                    int64_t want, int64_t *got, sa35_err *err)
{
    const char *s = sa35_st_meta_get(st, key);
    int64_t v;
    if (!s)
        return 0;
    if (parse_dec(s, &v))
        return sa35_err_set(err, "%s: metadata '%s' is \"%s\", not a decimal "
                            "integer", st->path, key, s);
    if (want >= 0 && v != want)
        return sa35_err_set(err, "%s: metadata '%s' is %lld but the weight "
                            "has %lld", st->path, key, (long long)v,
                            (long long)want);
    if (got)
        *got = v;
    return 0;
}

/* Tensor NAME+suffix, which must be dt with shape [N] (or [N, any]). */
static const sa35_st_tensor *need(const sa35_safetensors *st,
                                  const char *name, const char *suffix,
                                  sa35_dtype dt, int ndim, int64_t N,
                                  sa35_err *err)
{
    char key[KEY_CAP], s[256];
    const sa35_st_tensor *t =
        key_of(key, sizeof key, name, suffix) ? sa35_st_find(st, key) : NULL;
    if (!t) {
        sa35_err_set(err, "%s: weight '%s' has no tensor '%s%s'", st->path,
                     name, name, suffix);
        return NULL;
    }
    if (t->dtype != dt || t->ndim != ndim || (N >= 0 && t->shape[0] != N)) {
        sa35_io_shape_str(t->ndim, t->shape, s, sizeof s);
        sa35_err_set(err, "%s: tensor '%s' is %s %s; expected %s %s", st->path,
                     key, t->dtype_name, s, sa35_dtype_name(dt),
                     ndim == 1 ? "[N] (N = qweight rows)"
                     : dt == SA35_DT_U8 ? "[N, colbytes]"
                                        : "[N, groups] (a group-scaled weight)");
        return NULL;
    }
    return t;
}

/* K from "NAME.K", else "K"; both, when present, must agree. */
static int weight_k(const sa35_safetensors *st, const char *name, int64_t *K,
                    sa35_err *err)
{
    char key[KEY_CAP];
    *K = -1;
    if (!key_of(key, sizeof key, name, ".K"))
        return sa35_err_set(err, "%s: weight name too long", st->path);
    if (meta_int(st, key, -1, K, err) || meta_int(st, "K", *K, K, err))
        return -1;
    if (*K < 0)
        return sa35_err_set(err, "%s: no '%s' or 'K' in __metadata__",
                            st->path, key);
    return 0;
}

/* The first non-finite value of v[0..n), as an error naming the tensor. */
static int check_finite(const sa35_safetensors *st, const char *name,
                        const char *what, const float *v, int64_t n,
                        sa35_err *err)
{
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return sa35_err_set(err, "%s: %s.%s[%lld] is %g, not finite",
                                st->path, name, what, (long long)i,
                                (double)v[i]);
    return 0;
}

/* NAME.scale or NAME.zero into v (N * ngroups floats): F32 [N] per column,
 * F16 [N, ngroups] group-scaled; finite either way. */
static int load_grid(const sa35_safetensors *st, const char *name,
                     const char *what, const sa35_qweights *q, float *v,
                     sa35_err *err)
{
    char suffix[16];
    snprintf(suffix, sizeof suffix, ".%s", what);
    const sa35_st_tensor *t =
        need(st, name, suffix, q->group ? SA35_DT_F16 : SA35_DT_F32,
             q->group ? 2 : 1, q->N, err);
    if (!t)
        return -1;
    if (q->group && t->shape[1] != q->ngroups)
        return sa35_err_set(err, "%s: tensor '%s%s' has %lld groups per "
                            "column but K = %d in groups of %d has %d",
                            st->path, name, suffix, (long long)t->shape[1],
                            (int)q->K, (int)q->group, (int)q->ngroups);
    size_t cnt = (size_t)q->N * (size_t)q->ngroups;
    if (q->group) {
        const uint8_t *b = t->data;
        for (size_t i = 0; i < cnt; i++)
            v[i] = sa35_f16_to_f32((uint16_t)(b[2 * i] | b[2 * i + 1] << 8));
    } else {
        memcpy(v, t->data, cnt * sizeof *v);
    }
    return check_finite(st, name, what, v, (int64_t)cnt, err);
}

static int load(const sa35_safetensors *st, const char *name,
                sa35_qweights *q, sa35_err *err)
{
    const char *fname = sa35_st_meta_get(st, "format");
    sa35_format fmt;
    if (!fname)
        return sa35_err_set(err, "%s: no \"format\" in __metadata__ (not a "
                            "quantized weight file?)", st->path);
    if (sa35_format_from_name(fname, &fmt))
        return sa35_err_set(err, "%s: unknown format \"%s\" (sa35, int4, "
                            "int3, int8)", st->path, fname);
    const sa35_st_tensor *qw = need(st, name, ".qweight", SA35_DT_U8, 2, -1,
                                    err);
    if (!qw)
        return -1;
    int64_t N = qw->shape[0], K, G = 0;
    char key[KEY_CAP], ctx[KEY_CAP + 32];
    if (weight_k(st, name, &K, err) ||
        meta_int(st, key_of(key, sizeof key, name, ".N"), N, NULL, err) ||
        meta_int(st, "N", N, NULL, err) ||
        meta_int(st, key_of(key, sizeof key, name, ".group"), -1, &G, err))
        return -1;
    snprintf(ctx, sizeof ctx, "%s: weight '%s'", st->path, name);
    size_t colbytes;
    int32_t Kp;
    if (sa35_qweights_shape(fmt, K, N, &Kp, &colbytes, err))
        return sa35_err_prefix(err, ctx);
    if ((uint64_t)qw->shape[1] != colbytes)
        return sa35_err_set(err, "%s: %s.qweight has %lld bytes per column "
                            "but %s with K = %lld needs %zu", st->path, name,
                            (long long)qw->shape[1], fname, (long long)K,
                            colbytes);
    if (G == 0 && sa35_st_meta_get(st, key))
        return sa35_err_set(err, "%s: metadata '%s' is 0; a group-scaled "
                            "weight has G >= 16", st->path, key);
    if (sa35_qweights_alloc_group(q, fmt, K, N, G, err))
        return sa35_err_prefix(err, ctx);
    memcpy(q->qweight, qw->data, qw->nbytes);
    return load_grid(st, name, "scale", q, q->scale, err) ||
                   load_grid(st, name, "zero", q, q->zero, err)
               ? -1
               : 0;
}

int sa35_qfile_load(const sa35_safetensors *st, const char *name,
                    sa35_qweights *q, sa35_err *err)
{
    memset(q, 0, sizeof *q);
    const char **names = NULL;
    int count = 0;
    if (!name) {
        if (sa35_qfile_names(st, &names, &count, err))
            return -1;
        if (count != 1) {
            free(names);
            return sa35_err_set(err, count ? "%s: holds %d quantized weights;"
                                             " name the one to load"
                                           : "%s: holds %d quantized weights "
                                             "(no NAME.qweight tensor)",
                                st->path, count);
        }
        name = names[0];
    }
    int rc = load(st, name, q, err);
    if (rc)
        sa35_qweights_free(q);
    free(names);
    return rc;
}
