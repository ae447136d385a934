/* model_system.c: systems/NAME.json. Every number carries its source:
 * "key": {"value": V, "source": "where V comes from"}. A bare number, a
 * missing source or an out-of-range value is an error naming the file and
 * the key, so no figure the tool prints rests on an unsourced number. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "sa35_compiler.h"
#include "sa35_io.h"

/* section.key's {value, source} pair; value must be a number or a string */
static const cJSON *sourced(const cJSON *js, const char *path,
                            const char *sec, const char *key, sa35_err *err)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(js, sec);
    const cJSON *o = cJSON_IsObject(s)
                         ? cJSON_GetObjectItemCaseSensitive(s, key)
                         : NULL;
    if (!o) {
        sa35_err_set(err, "%s: missing \"%s\".\"%s\"", path, sec, key);
        return NULL;
    }
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "value");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "source");
    if (!cJSON_IsObject(o) || !v) {
        sa35_err_set(err, "%s: %s.%s: must be {\"value\": V, \"source\": "
                          "\"...\"}",
                     path, sec, key);
        return NULL;
    }
    if (!cJSON_IsString(src) || !src->valuestring[0]) {
        sa35_err_set(err, "%s: %s.%s: the value needs a non-empty "
                          "\"source\" string",
                     path, sec, key);
        return NULL;
    }
    return v;
}

static int num(const cJSON *js, const char *path, const char *sec,
               const char *key, double lo, double hi, double *out,
               sa35_err *err)
{
    const cJSON *v = sourced(js, path, sec, key, err);
    if (!v)
        return -1;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
        v->valuedouble < lo || v->valuedouble > hi)
        return sa35_err_set(err, "%s: %s.%s: must be a number in %g..%g", path,
                            sec, key, lo, hi);
    *out = v->valuedouble;
    return 0;
}

static int inum(const cJSON *js, const char *path, const char *sec,
                const char *key, int64_t lo, int64_t hi, int64_t *out,
                sa35_err *err)
{
    const cJSON *v = sourced(js, path, sec, key, err);
    if (!v)
        return -1;
    char what[64];
    snprintf(what, sizeof what, "%s.%s", sec, key);
    return model_json_int(v, path, what, lo, hi, out, err);
}

static uint64_t gcd64(uint64_t x, uint64_t y)
{
    while (y) {
        uint64_t r = x % y;
        x = y, y = r;
    }
    return x;
}

/* bytes/s over Hz as num/den in lowest terms, so the engines count
 * transfer cycles exactly (docs/architecture.md, "The memory system"):
 * hbm1's 1638.4e9 B/s at 900 MHz is 16384/9. Both must be whole numbers
 * (below 2^53, exact in a double); -1 if they are not or do not reduce
 * below 2^32. */
static int bytes_per_cycle_ratio(double bps, double hz, uint32_t *num,
                                 uint32_t *den)
{
    if (!(bps >= 1 && hz >= 1 && bps < 9007199254740992.0 &&
          hz < 9007199254740992.0) ||
        bps != floor(bps) || hz != floor(hz))
        return -1;
    uint64_t n = (uint64_t)bps, d = (uint64_t)hz, g = gcd64(n, d);
    n /= g, d /= g;
    if (n > UINT32_MAX || d > UINT32_MAX)
        return -1;
    *num = (uint32_t)n, *den = (uint32_t)d;
    return 0;
}

/* The engines' needs of the array, checked here so that the message names
 * the file and the keys: its smallest GEMM (1 x 1 x 1) compiles, i.e. the
 * SRAM slots of one weight tile per load lane fit the ISA's 32-bit SRAM
 * addresses. */
static int check_array(const sa35_system *s, const char *path, sa35_err *err)
{
    sa35_arch a;
    sa35_gemm_plan plan;
    sa35_program prog = {0};
    int rc = model_arch_of(s, &a, err) ||
                     sa35_compile_gemm(&a, 1, 1, 1, &plan, &prog, err)
                 ? -1
                 : 0;
    sa35_program_free(&prog);
    if (rc) {
        char ctx[4400];
        snprintf(ctx, sizeof ctx, "%s: array.rows x array.cols %d x %d "
                                  "(array.load_rows %d, array.pe %s) is too "
                                  "large for the ISA",
                 path, s->rows, s->cols, s->load_rows,
                 sa35_pe_info(s->pe)->name);
        return sa35_err_prefix(err, ctx);
    }
    return 0;
}

int sa35_system_parse(const char *text, const char *path, sa35_system *s,
                      sa35_err *err)
{
    memset(s, 0, sizeof *s);
    cJSON *js = model_json_parse(text, path, err);
    if (!js)
        return -1;
    int rc = -1;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(js, "name");
    if (!cJSON_IsString(name) || !name->valuestring[0] ||
        strlen(name->valuestring) >= sizeof s->name) {
        sa35_err_set(err, "%s: \"name\" must be a string of 1..%zu "
                          "characters",
                     path, sizeof s->name - 1);
        goto out;
    }
    strcpy(s->name, name->valuestring);
    int64_t rows = 0, cols = 0, lr = 0, acc = 0, banks = 0, dram = 0;
    int64_t sram = 0, lat = 0, i8 = 0, f16 = 0, chips = 0, llat = 0, kvb = 0;
    double clock = 0, sbpc = 0, dbps = 0, lbps = 0;
    if (inum(js, path, "array", "rows", 1, 65535, &rows, err) ||
        inum(js, path, "array", "cols", 1, 65535, &cols, err) ||
        num(js, path, "array", "clock_hz", 1e3, 1e12, &clock, err) ||
        inum(js, path, "array", "load_rows", 1, rows, &lr, err) ||
        inum(js, path, "array", "acc_rows", 2, 65534, &acc, err) ||
        inum(js, path, "sram", "bytes", 1, 1LL << 50, &sram, err) ||
        inum(js, path, "sram", "banks", 1, 1 << 20, &banks, err) ||
        num(js, path, "sram", "bytes_per_cycle", 1, 1e9, &sbpc, err) ||
        inum(js, path, "offchip", "bytes", 0, 1LL << 56, &dram, err) ||
        num(js, path, "offchip", "bytes_per_s", 0, 1e16, &dbps, err) ||
        inum(js, path, "offchip", "latency_ns", 0, 1000000, &lat, err) ||
        inum(js, path, "vector", "int8_per_cycle", 1, 1 << 24, &i8, err) ||
        inum(js, path, "vector", "fp16_per_cycle", 1, 1 << 24, &f16, err) ||
        inum(js, path, "chips", "count", 0, 1 << 20, &chips, err) ||
        num(js, path, "chips", "link_bytes_per_s", 0, 1e16, &lbps, err) ||
        inum(js, path, "chips", "link_latency_ns", 0, 1000000000, &llat,
             err) ||
        inum(js, path, "kv_cache", "bits", 8, 16, &kvb, err))
        goto out;
    const cJSON *pe = sourced(js, path, "array", "pe", err);
    if (!pe)
        goto out;
    if (!cJSON_IsString(pe) || sa35_pe_from_name(pe->valuestring, &s->pe)) {
        sa35_err_set(err, "%s: array.pe: must be one of \"sa35\", \"int4\", "
                          "\"int8\" (the PE kind, docs/architecture.md)",
                     path);
        goto out;
    }
    if (acc % 2) {
        sa35_err_set(err, "%s: array.acc_rows: must be even (two "
                          "accumulator banks), got %lld",
                     path, (long long)acc);
        goto out;
    }
    if (dram > 0 && !(dbps > 0)) {
        sa35_err_set(err, "%s: offchip.bytes_per_s: must be > 0 when "
                          "offchip.bytes is",
                     path);
        goto out;
    }
    /* several chips are packed SRAM-only (model_place.c); each chip's own
     * DRAM is not modelled yet, and would otherwise be silently ignored */
    if (chips != 1 && dram > 0) {
        sa35_err_set(err, "%s: chips.count: more than one chip with off-chip "
                          "memory (offchip.bytes %.4g GB) is not modelled "
                          "yet: several chips are SRAM-only (offchip.bytes "
                          "0), or give one chip",
                     path, dram / 1e9);
        goto out;
    }
    if (chips != 1 && !(lbps > 0)) {
        sa35_err_set(err, "%s: chips.link_bytes_per_s: must be > 0 for "
                          "more than one chip",
                     path);
        goto out;
    }
    if (kvb != 8 && kvb != 16) {
        sa35_err_set(err, "%s: kv_cache.bits: must be 8 or 16", path);
        goto out;
    }
    s->rows = (int32_t)rows, s->cols = (int32_t)cols, s->clock_hz = clock;
    s->load_rows = (int32_t)lr, s->acc_rows = (int32_t)acc;
    s->sram_bytes = (uint64_t)sram, s->sram_banks = (int32_t)banks;
    s->sram_bytes_per_cycle = sbpc;
    s->dram_bytes = (uint64_t)dram;
    s->dram_bytes_per_cycle = dbps / clock;
    if (dram > 0 && bytes_per_cycle_ratio(dbps, clock, &s->dram_bw_num,
                                          &s->dram_bw_den)) {
        sa35_err_set(err, "%s: offchip.bytes_per_s %.17g at %.17g Hz: the "
                          "engines need bytes per cycle as a ratio of "
                          "integers below 2^32 (whole bytes/s and Hz)",
                     path, dbps, clock);
        goto out;
    }
    /* whole cycles, rounded up: a transfer cannot land mid-cycle (ns x Hz
     * is an exact integer in a double for any sane pair; divide once) */
    s->dram_latency_cycles = (int64_t)ceil((double)lat * clock / 1e9);
    s->vec_int8_per_cycle = (int32_t)i8, s->vec_fp16_per_cycle = (int32_t)f16;
    s->chips = (int32_t)chips;
    s->link_bytes_per_cycle = lbps / clock;
    s->link_latency_cycles = (int64_t)ceil((double)llat * clock / 1e9);
    s->kv_bits = (int32_t)kvb;
    if (check_array(s, path, err))
        goto out;
    rc = 0;
out:
    cJSON_Delete(js);
    return rc;
}

int sa35_system_read(const char *path, sa35_system *s, sa35_err *err)
{
    char *text = sa35_read_text(path, err);
    if (!text)
        return -1;
    int rc = sa35_system_parse(text, path, s, err);
    free(text);
    return rc;
}

int32_t sa35_system_k_per_row(const sa35_system *s)
{
    return (int32_t)sa35_pe_info(s->pe)->k_per_row;
}

uint64_t sa35_weight_bytes(const sa35_system *s, int64_t K, int64_t N)
{
    /* the codes as the format stores them (format_traits.c): K padded to
     * k_align, bits_per_16k bits per 16 weights, per column */
    sa35_format fmt = sa35_pe_info(s->pe)->fmt;
    const sa35_format_traits *t = sa35_format_info(fmt);
    uint64_t kp = (uint64_t)model_ceil_div(K, t->k_align) * (uint64_t)t->k_align;
    uint64_t codes = kp * (uint64_t)t->bits_per_16k / 128u * (uint64_t)N;
    /* the scales as sa35_bits_per_weight_group counts them */
    uint64_t groups = s->group ? (uint64_t)model_ceil_div(K, s->group) : 1;
    uint64_t words = fmt == SA35_FMT_INT8 ? 1 : 2;
    return codes + groups * words * (s->group ? 2u : 4u) * (uint64_t)N;
}
