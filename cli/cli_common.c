/* cli_common.c: helpers shared by the commands. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli_common.h"
#include "sa35_isa.h"

int cli_fail(const char *cmd, const sa35_err *err)
{
    fprintf(stderr, "sa35 %s: %s\n", cmd, err->msg);
    return 1;
}

int cli_failf(const char *cmd, const char *fmt, ...)
{
    sa35_err err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err.msg, sizeof err.msg, fmt, ap);
    va_end(ap);
    return cli_fail(cmd, &err);
}

int cli_parse_int(const char *cmd, const char *opt, const char *s, int64_t lo,
                  int64_t hi, int64_t *out)
{
    if (sa35_parse_i64(s, strlen(s), lo, hi, out) == 0)
        return 0;
    if (lo == 1 && hi == INT64_MAX)
        return cli_failf(cmd, "%s must be a positive integer, got '%s'", opt,
                         s);
    return cli_failf(cmd, "%s must be an integer in %lld..%lld, got '%s'", opt,
                     (long long)lo, (long long)hi, s);
}

int cli_parse_positive(const char *cmd, const char *opt, const char *s,
                       int64_t *out)
{
    return cli_parse_int(cmd, opt, s, 1, INT64_MAX, out);
}

int cli_parse_bytes(const char *cmd, const char *opt, const char *s,
                    uint64_t *out)
{
    static const char units[] = "KMGT";
    size_t n = strlen(s);
    int shift = 0;
    const char *u = n ? strchr(units, s[n - 1] & ~0x20) : NULL;
    if (u && *u) { /* & ~0x20: either case */
        shift = 10 * (int)(u - units + 1);
        n--;
    }
    int64_t v;
    if (sa35_parse_i64(s, n, 1, INT64_MAX >> shift, &v))
        return cli_failf(cmd, "%s must be a byte count (an integer, or one "
                              "with a suffix K, M, G or T: 8G), at least 1 "
                              "and below 2^63, got '%s'",
                         opt, s);
    *out = (uint64_t)v << shift;
    return 0;
}

uint64_t cli_default_budget(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || size <= 0)
        return 1ull << 62;
    size_t bytes;
    if (sa35_mul_size((size_t)pages, (size_t)size, &bytes))
        return 1ull << 62;
    return (uint64_t)bytes / 2;
}

/* path's directory resolved (realpath) and its last name, into buf; -1 if
 * the directory does not resolve. */
static int resolve_parent(const char *path, char *buf, size_t n)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX], real[PATH_MAX];
    size_t len = slash ? (size_t)(slash - path) : 1;
    if (len >= sizeof dir)
        return -1;
    memcpy(dir, slash ? path : ".", len);
    dir[len] = '\0';
    if (slash && len == 0) /* "/name" */
        memcpy(dir, "/", 2);
    if (!realpath(dir, real))
        return -1;
    int k = snprintf(buf, n, "%s/%s", real, slash ? slash + 1 : path);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

int cli_same_output(const char *a, const char *b)
{
    if (sa35_same_file(a, b))
        return 1;
    char ra[2 * PATH_MAX], rb[2 * PATH_MAX];
    return resolve_parent(a, ra, sizeof ra) == 0 &&
           resolve_parent(b, rb, sizeof rb) == 0 && strcmp(ra, rb) == 0;
}

int cli_is_npy(const char *path)
{
    return sa35_file_has_magic(path, "\x93NUMPY", 6);
}

void cli_free_weights(cli_weight *w, int count)
{
    for (int i = 0; i < count; i++) {
        free(w[i].name);
        free(w[i].data);
    }
    free(w);
}

static int load_npy_weight(const char *path, char *const *names, int nnames,
                           cli_weight *w, sa35_err *err)
{
    for (int i = 0; i < nnames; i++)
        if (strcmp(names[i], "weight") != 0)
            return sa35_err_set(err,
                                "%s: a .npy holds one tensor, 'weight'; "
                                "there is no tensor '%s'",
                                path, names[i]);
    sa35_array a;
    if (sa35_npy_read(path, &a, err))
        return -1;
    if (a.ndim != 2) {
        int ndim = a.ndim; /* sa35_array_free clears a */
        sa35_array_free(&a);
        return sa35_err_set(err, "%s: weight must be 2-D (K x N), got %d-D",
                            path, ndim);
    }
    int rc = sa35_array_to_f32(&a, path, &w->data, err);
    w->view = (sa35_fview){w->data, a.shape[0], a.shape[1], a.shape[1], 1};
    sa35_array_free(&a);
    if (rc)
        return -1;
    w->name = strdup("weight");
    w->hf_layout = 0;
    return 0;
}

static int is_float_dtype(sa35_dtype dt)
{
    return dt == SA35_DT_F32 || dt == SA35_DT_F16 || dt == SA35_DT_BF16;
}

int cli_load_st_weight(const char *path, const sa35_st_tensor *t,
                       cli_weight *w, sa35_err *err)
{
    sa35_array a;
    char what[600];
    snprintf(what, sizeof what, "%s: tensor '%s'", path, t->name);
    if (sa35_st_tensor_copy(t, &a, err))
        return -1;
    int rc = sa35_array_to_f32(&a, what, &w->data, err);
    sa35_array_free(&a);
    if (rc)
        return -1;
    /* A Hugging Face Linear stores [out, in] = [N, K], row-major: along k
     * is contiguous, so it is read as K x N with stride_k = 1. */
    int64_t N = t->shape[0], K = t->shape[1];
    w->view = (sa35_fview){w->data, K, N, 1, K};
    w->name = strdup(t->name);
    w->hf_layout = 1;
    return 0;
}

int cli_load_weights(const char *path, char *const *names, int nnames,
                     cli_weight **out, int *count, sa35_err *err)
{
    *out = NULL;
    *count = 0;
    if (cli_is_npy(path)) {
        cli_weight *w = calloc(1, sizeof *w);
        if (!w)
            return sa35_err_set(err, "%s: out of memory for a weight",
                                path);
        if (load_npy_weight(path, names, nnames, w, err)) {
            cli_free_weights(w, 1);
            return -1;
        }
        *out = w;
        *count = 1;
        return 0;
    }
    if (sa35_is_gguf(path))
        return cli_load_gguf_weights(path, names, nnames, out, count, err);
    sa35_safetensors st;
    if (sa35_st_open(path, &st, err))
        return -1;
    cli_weight *w = calloc((size_t)st.ntensors + 1, sizeof *w);
    int n = 0, rc = 0;
    if (!w)
        rc = sa35_err_set(err, "%s: out of memory for %d weights", path,
                          st.ntensors);
    for (int i = 0; !rc && i < nnames; i++) {
        const sa35_st_tensor *t = sa35_st_find(&st, names[i]);
        if (!t)
            rc = sa35_err_set(err, "%s: no tensor '%s'", path, names[i]);
        else if (t->ndim != 2 || !is_float_dtype(t->dtype))
            rc = sa35_err_set(err,
                              "%s: tensor '%s' is %d-D %s; a weight must be "
                              "a 2-D F32, F16 or BF16 tensor",
                              path, names[i], t->ndim, t->dtype_name);
        else
            rc = cli_load_st_weight(path, t, &w[n++], err);
    }
    for (int i = 0; !rc && nnames == 0 && i < st.ntensors; i++) {
        const sa35_st_tensor *t = &st.tensors[i];
        if (t->ndim == 2 && is_float_dtype(t->dtype))
            rc = cli_load_st_weight(path, t, &w[n++], err);
    }
    if (!rc && n == 0)
        rc = sa35_err_set(err, "%s: no 2-D float tensor to quantize", path);
    sa35_st_close(&st);
    if (rc) {
        cli_free_weights(w, n);
        return -1;
    }
    *out = w;
    *count = n;
    return 0;
}

int cli_check_finite(const char *path, const cli_weight *w, sa35_err *err)
{
    int64_t k, n;
    if (!sa35_find_nonfinite(&w->view, &k, &n))
        return 0;
    float v = sa35_fview_at(&w->view, k, n);
    const char *what = v != v ? "NaN" : "infinite value";
    /* Name the element as the file stores it. */
    int64_t row = w->hf_layout ? n : k, col = w->hf_layout ? k : n;
    return sa35_err_set(err, "%s: tensor '%s' has a %s at row %lld, column "
                             "%lld",
                        path, w->name, what, (long long)row, (long long)col);
}

int cli_index_shard(const char *index, const char *name, char *buf,
                    size_t n, sa35_err *err)
{
    if (!name)
        return sa35_err_set(err, "%s: an index maps many tensors; choose "
                                 "the weight with --tensor NAME",
                            index);
    char *text = sa35_read_text(index, err);
    sa35_hf_index ix;
    if (!text || sa35_hf_index_parse(text, index, &ix, err)) {
        free(text);
        return -1;
    }
    free(text);
    char want[1100];
    snprintf(want, sizeof want, "%s.qweight", name);
    int rc = sa35_err_set(err, "%s: no quantized weight '%s' (no key "
                               "\"weight_map.%s\")",
                          index, name, want);
    for (int i = 0; i < ix.ntensors; i++)
        if (strcmp(ix.tensors[i], want) == 0) {
            int k = snprintf(buf, n, "%s/%s", ix.dir,
                             ix.shards[ix.shard_of[i]]);
            rc = k < 0 || (size_t)k >= n
                     ? sa35_err_set(err, "%s: shard path too long", index)
                     : 0;
            break;
        }
    sa35_hf_index_free(&ix);
    return rc;
}

int cli_load_qweights(const char *path, const char *name, sa35_qweights *q,
                      sa35_err *err)
{
    sa35_safetensors st;
    if (sa35_st_open(path, &st, err))
        return -1;
    const char **names = NULL;
    int count = 0;
    int rc = sa35_qfile_names(&st, &names, &count, err);
    if (!rc && !name && count > 1) {
        /* The user has to choose: say how, and from what. */
        char list[256];
        cli_join_names(names, count, list, sizeof list);
        rc = sa35_err_set(err, "%s holds %d quantized weights (%s); choose "
                               "one with --tensor NAME",
                          path, count, list);
    }
    free(names);
    if (!rc)
        rc = sa35_qfile_load(&st, name, q, err);
    sa35_st_close(&st);
    return rc;
}

void cli_join_names(const char *const *names, int n, char *buf, size_t cap)
{
    static const size_t tail = sizeof ", ... and 2147483647 more";
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t need = strlen(names[i]) + (i ? 2 : 0);
        /* room for this name, and for the count of the rest if any */
        if (used + need + (i + 1 < n ? tail : 1) > cap) {
            snprintf(buf + used, cap - used, "%s... and %d more",
                     i ? ", " : "", n - i);
            return;
        }
        used += (size_t)snprintf(buf + used, cap - used, "%s%s",
                                 i ? ", " : "", names[i]);
    }
}

int cli_write_text(const char *path, const char *text, sa35_err *err)
{
    return sa35_write_file(path, text, strlen(text), err);
}

const char cli_memsys_usage[] =
    "  --load-rows L     load lanes, ldws in flight (default 1)\n"
    "  --dram-bw BW      the off-chip memory's bandwidth: NUM or NUM/DEN "
    "bytes per\n"
    "                    cycle, an exact ratio of integers in 1..2^32-1 "
    "(16384/9:\n"
    "                    hbm1's 1638.4 GB/s at 900 MHz), or a decimal "
    "with a '.' or\n"
    "                    an exponent, bytes per second (1638.4e9), made "
    "an exact\n"
    "                    ratio per cycle at --clock; default: the ideal "
    "memory (a\n"
    "                    dma takes a cycle)\n"
    "  --dram-latency N  off-chip latency in cycles (with --dram-bw)\n"
    "  --clock HZ        the clock that turns cycles into seconds and "
    "bytes per\n"
    "                    second into bytes per cycle (default 900e6, "
    "printed with\n"
    "                    the seconds)\n";

void cli_memsys_init(cli_memsys *m)
{
    memset(m, 0, sizeof *m);
    m->dram_latency = -1;
}

int cli_memsys_option(const char *cmd, int opt, const char *arg,
                      cli_memsys *m, int *bad)
{
    int64_t v;
    switch (opt) {
    case CLI_OPT_LOAD_ROWS:
        if (cli_parse_int(cmd, "--load-rows", arg, 1, SA35_ARCH_MAX_DIM, &v))
            *bad = 1;
        else
            m->load_rows = (int32_t)v;
        break;
    case CLI_OPT_DRAM_LATENCY:
        if (cli_parse_int(cmd, "--dram-latency", arg, 0, INT32_MAX, &v))
            *bad = 1;
        else
            m->dram_latency = (int32_t)v;
        break;
    case CLI_OPT_DRAM_BW: m->dram_bw = arg; break;
    case CLI_OPT_CLOCK: m->clock = arg; break;
    default: return 0;
    }
    m->given = 1;
    return 1;
}

/* --dram-bw's text into a: NUM[/DEN] bytes per cycle, or a decimal bytes
 * per second over the clock's decimal (cm x 10^ce Hz). */
static int apply_bw(const char *text, uint64_t cm, int32_t ce, sa35_arch *a,
                    sa35_err *err)
{
    uint64_t num, den = 1, m;
    int32_t e;
    if (strpbrk(text, ".eE")) {
        if (sa35_parse_decimal(text, strlen(text), &m, &e))
            return sa35_err_set(err, "bad --dram-bw '%s': expected NUM or "
                                     "NUM/DEN bytes per cycle, or a decimal "
                                     "bytes per second (1638.4e9)",
                                text);
        if (m == 0)
            return sa35_err_set(err, "--dram-bw '%s' bytes per second is not "
                                     "positive",
                                text);
        if (sa35_decimal_ratio(m, e, cm, ce, UINT32_MAX, &num, &den))
            return sa35_err_set(err, "--dram-bw '%s' bytes per second at a "
                                     "%.10g Hz clock is not a ratio NUM/DEN "
                                     "of integers in 1..2^32-1 bytes per "
                                     "cycle (exactly): round it, or give "
                                     "NUM/DEN",
                                text, a->clock_hz);
    } else {
        const char *slash = strchr(text, '/');
        size_t n = slash ? (size_t)(slash - text) : strlen(text);
        if (sa35_parse_u64(text, n, 1, UINT32_MAX, &num) ||
            (slash && sa35_parse_u64(slash + 1, strlen(slash + 1), 1,
                                     UINT32_MAX, &den)))
            return sa35_err_set(err, "bad --dram-bw '%s': expected NUM or "
                                     "NUM/DEN bytes per cycle, integers in "
                                     "1..2^32-1, or a decimal bytes per "
                                     "second (1638.4e9)",
                                text);
    }
    a->dram_bw_num = (uint32_t)num;
    a->dram_bw_den = (uint32_t)den;
    return 0;
}

int cli_memsys_apply(const cli_memsys *m, sa35_arch *a, sa35_err *err)
{
    uint64_t cm;
    int32_t ce = 0;
    if (m->clock) {
        double hz;
        if (sa35_parse_double(m->clock, strlen(m->clock), 1.0, 1e15, &hz) ||
            sa35_parse_decimal(m->clock, strlen(m->clock), &cm, &ce))
            return sa35_err_set(err, "--clock must be a frequency in Hz, a "
                                     "decimal from 1 to 1e15 (900e6), got "
                                     "'%s'",
                                m->clock);
        a->clock_hz = hz;
    } else if (a->clock_hz >= 1.0 && a->clock_hz < 0x1p63 &&
               a->clock_hz == (double)(uint64_t)a->clock_hz) {
        cm = (uint64_t)a->clock_hz; /* the default, 900e6, exactly */
    } else {
        return sa35_err_set(err, "the clock %.17g Hz is not a whole number: "
                                 "give --clock",
                            a->clock_hz);
    }
    if (m->load_rows)
        a->load_rows = m->load_rows;
    if (m->dram_bw && apply_bw(m->dram_bw, cm, ce, a, err))
        return -1;
    if (m->dram_latency >= 0 && !m->dram_bw)
        return sa35_err_set(err, "--dram-latency needs --dram-bw (the ideal "
                                 "memory has no latency)");
    if (m->dram_latency >= 0)
        a->dram_latency = m->dram_latency;
    return 0;
}

void cli_print_seconds(const cJSON *stats)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(stats, "seconds"),
                *hz = cJSON_GetObjectItemCaseSensitive(stats, "clock_hz");
    if (cJSON_IsNumber(s) && cJSON_IsNumber(hz))
        printf("%-20s %.10g (at a %.10g Hz clock: --clock)\n", "seconds",
               s->valuedouble, hz->valuedouble);
}
