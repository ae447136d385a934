/* test_power_project.c: `sa35 project` end to end: TPU v1's published peak
 * and ridge point come out of the tpuv1 system, the JSON carries the keys
 * the issue lists, and bad input leaves one line and no outputs. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>

#include "test_util.h"

#include "power_test_util.h"
#include "sa35_project.h"
#include "sa35_io.h"

static const char *bin, *tmp;
static char src[1024]; /* the source tree, from this file's path */

static int run(const char *args, const char *log)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' project %s > '%s/%s' 2>&1", bin, args,
             tmp, log);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static void test_tpuv1(void)
{
    char args[4096], path[2048];
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system "
             "%s/systems/tpuv1.json --out '%s/tpu'", src, src, tmp);
    CHECK(run(args, "tpu.log") == 0);
    snprintf(path, sizeof path, "%s/tpu.log", tmp);
    char *log = power_test_slurp(path);
    /* Jouppi et al. (ISCA 2017): 92 TOPS; the ridge point of their
     * roofline, ~1350 MACs per byte of weight memory (65536 x 700 MHz /
     * 34 GB/s = 1349.3). */
    CHECK_MSG(log && strstr(log, "peak: 91.75 TOPS"), "%s", log ? log : "");
    CHECK(log && strstr(log, "ridge point: 1349 MAC/byte"));
    CHECK(log && strstr(log, "busy cycle of the int8 PE (1 MAC(s), 24-bit "
                        "psum"));
    /* a source is printed whole (the thermal stages' is 637 characters and
     * was cut at 399: issue 17) */
    CHECK(log && strstr(log, "aluminium sink 500 g -> 448.5 J/K (aluminium: "
                             "c_p 0.897 J/(g K) (CRC Handbook of Chemistry "
                             "and Physics))\n"));
    free(log);
    snprintf(path, sizeof path, "%s/tpu/project.json", tmp);
    char *js = power_test_slurp(path);
    cJSON *o = js ? cJSON_Parse(js) : NULL;
    CHECK(o != NULL);
    static const char *const keys[] = {"tokens_per_s", "tokens_per_s_per_user",
                                       "j_per_token", "power_w", "tj_c",
                                       "chips", "weight_bytes"};
    for (int i = 0; i < 7; i++)
        CHECK_MSG(isfinite(num(o, keys[i])) && num(o, keys[i]) > 0, "%s",
                  keys[i]);
    /* Exact: 2 x 256 x 256 x 700e6 / 1e12, and 6.74e9 int8 weights. */
    CHECK(fabs(num(o, "peak_tops") - 91.7504) < 1e-9);
    CHECK(fabs(num(o, "ridge_macs_per_byte") - 65536 * 700e6 / 34e9) < 1e-9);
    CHECK(num(o, "chips") == 1 && num(o, "bits") == 8);
    /* tpuv1's own int8 PE derived twice, at its 7 nm / 0.7 V and activity
     * 0.5 (docs/power.md). Scale factors F(node, V) / F(from, Vfrom):
     * F7(0.7) = 0.047815, F45(0.9) = 1.018 x 0.81 - 0.3107 x 0.9 + 0.1539
     * = 0.69885, F180(1.8) = 26.372. Horowitz: one 8x8 multiply 0.2 and one
     * 24-bit add 0.03 + 0.07 x 16 / 24 at 45 nm; 0.5 x 32 toggling bits
     * (24 psum + 8 activation) x 0.139473 and 48 clocked bits (2 x 8 weight
     * + 8 + 24) x 0.117205 at 180 nm. RTL (power/tables/rtl_pe.json, int8):
     * (1.084936 + (2.105307 - 1.084936) x 0.5 / 0.1) mW x 10 ns at 180 nm.
     * Tolerance: a few roundings, 1e-12 relative. */
    const cJSON *pe = cJSON_GetObjectItemCaseSensitive(o, "pe_energy_pj");
    double s45 = 0.047815 / 0.69885, s180 = 0.047815 / 26.372;
    double hz = (0.2 + (0.03 + 0.07 * 16 / 24)) * s45 +
                (0.5 * 32 * 0.139473 + 48 * 0.117205) * s180;
    double rtl = (1.084936 + (2.105307 - 1.084936) * 5) * 10 * s180;
    CHECK_MSG(fabs(num(pe, "horowitz") - hz) <= 1e-12 * hz, "%.12g vs %.12g",
              num(pe, "horowitz"), hz);
    CHECK_MSG(fabs(num(pe, "rtl") - rtl) <= 1e-12 * rtl, "%.12g vs %.12g",
              num(pe, "rtl"), rtl);
    CHECK(num(pe, "psum_bits") == 24 && num(pe, "activity") == 0.5);
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(pe, "kind");
    CHECK(cJSON_IsString(kind) && !strcmp(kind->valuestring, "int8"));
    cJSON_Delete(o);
    free(js);
    static const char *const outs[] = {"project.csv", "project.md",
                                       "layers.svg", "roofline.svg",
                                       "power_time.svg", "tj_time.svg",
                                       "energy_bits.svg"};
    for (int i = 0; i < 7; i++) {
        struct stat sb;
        snprintf(path, sizeof path, "%s/tpu/%s", tmp, outs[i]);
        CHECK_MSG(stat(path, &sb) == 0 && sb.st_size > 100, "%s", outs[i]);
    }
}

static int dir_empty_or_missing(const char *name)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s/%s' 2>/dev/null)\"",
             tmp, name);
    return system(cmd) == 0;
}

static void test_bad_input(void)
{
    char args[4096], path[2048];
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system "
             "%s/systems/tpuv1.json --bits 5 --out '%s/bad1'", src, src, tmp);
    CHECK(run(args, "bad1.log") == 1);
    CHECK(dir_empty_or_missing("bad1"));
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system "
             "%s/systems/tpuv1.json --node 3 --out '%s/bad2'", src, src, tmp);
    CHECK(run(args, "bad2.log") == 1);
    /* A system whose power object has a negative theta. */
    snprintf(path, sizeof path, "%s/systems/tpuv1.json", src);
    char *sys = power_test_slurp(path);
    cJSON *s = sys ? cJSON_Parse(sys) : NULL;
    cJSON *p = cJSON_DetachItemFromObjectCaseSensitive(s, "power");
    CHECK(s && p);
    if (s && p) {
        cJSON *st = cJSON_GetObjectItem(cJSON_GetObjectItem(p, "thermal"),
                                        "stages");
        cJSON_SetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(st, 1),
                                                 "theta_k_per_w"), -0.05);
        cJSON_AddItemToObject(s, "power", p);
        p = NULL;
        char *text = cJSON_Print(s);
        snprintf(path, sizeof path, "%s/badsys.json", tmp);
        FILE *f = fopen(path, "w");
        fputs(text, f);
        fclose(f);
        free(text);
        snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system "
                 "'%s' --out '%s/bad3'", src, path, tmp);
        CHECK(run(args, "bad3.log") == 1);
        snprintf(path, sizeof path, "%s/bad3.log", tmp);
        char *log = power_test_slurp(path);
        CHECK_MSG(log && strstr(log, "theta of stage 'package'") &&
                  strchr(log, '\n') == log + strlen(log) - 1, "%s",
                  log ? log : "");
        free(log);
        CHECK(dir_empty_or_missing("bad3"));
    }
    cJSON_Delete(s);
    cJSON_Delete(p);
    free(sys);
}

/* The assumption `key`'s value in DIR/project.json ("" if absent). */
static const char *assumed(const char *dir, const char *key)
{
    static char value[64];
    char path[2048];
    snprintf(path, sizeof path, "%s/%s/project.json", tmp, dir);
    char *js = power_test_slurp(path);
    cJSON *o = js ? cJSON_Parse(js) : NULL, *e;
    value[0] = '\0';
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "assumptions"))
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "key");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "value");
        if (cJSON_IsString(k) && cJSON_IsString(v) &&
            !strcmp(k->valuestring, key))
            snprintf(value, sizeof value, "%s", v->valuestring);
    }
    cJSON_Delete(o);
    free(js);
    return value;
}

/* One file per system: the power config is the system file's own "power"
 * object, never looked up by the system's name. A copy of hbm1.json that
 * keeps the name "hbm1" but has another array and another power block
 * runs with its own block; without a block, one line names the file. */
static void test_own_power(void)
{
    char args[4096], path[2048];
    snprintf(path, sizeof path, "%s/systems/hbm1.json", src);
    char *text = power_test_slurp(path);
    cJSON *s = text ? cJSON_Parse(text) : NULL;
    free(text);
    CHECK(s);
    if (!s)
        return;
    cJSON *arr = cJSON_GetObjectItem(s, "array");
    cJSON_SetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(arr, "rows"),
                                             "value"), 128);
    cJSON_SetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(arr, "cols"),
                                             "value"), 64);
    cJSON *pw = cJSON_GetObjectItem(s, "power");
    cJSON_SetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(pw,
                                                                 "node_nm"),
                                             "value"), 16);
    cJSON_SetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(pw,
                                                                 "thermal"),
                                             "ambient_c"), 20);
    char *own = cJSON_Print(s);
    char own_path[2048];
    snprintf(own_path, sizeof own_path, "%s/myhbm.json", tmp);
    FILE *f = fopen(own_path, "w");
    fputs(own, f);
    fclose(f);
    free(own);
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system '%s' "
             "--activity 0.5 --quiet --out '%s/own'", src, own_path, tmp);
    CHECK(run(args, "own.log") == 0);
    CHECK_MSG(!strcmp(assumed("own", "node_nm"), "16"), "'%s'",
              assumed("own", "node_nm"));
    CHECK_MSG(!strcmp(assumed("own", "thermal.ambient_c"), "20 C"), "'%s'",
              assumed("own", "thermal.ambient_c"));
    snprintf(path, sizeof path, "%s/own/project.json", tmp);
    char *js = power_test_slurp(path);
    cJSON *o = js ? cJSON_Parse(js) : NULL;
    const cJSON *sy = cJSON_GetObjectItemCaseSensitive(o, "system");
    CHECK(cJSON_IsString(sy) && !strcmp(sy->valuestring, own_path));
    /* 128 x 64 PEs, 2 MACs each (sa35 pairs), at 900 MHz: 29.49 TOPS */
    CHECK_MSG(fabs(num(o, "peak_tops") - 128 * 64 * 2 * 2 * 0.9e9 / 1e12) <
                  1e-9, "%g", num(o, "peak_tops"));
    cJSON_Delete(o);
    free(js);

    /* the same file without its power block */
    cJSON_DeleteItemFromObjectCaseSensitive(s, "power");
    char *bare = cJSON_Print(s);
    snprintf(own_path, sizeof own_path, "%s/nopower.json", tmp);
    f = fopen(own_path, "w");
    fputs(bare, f);
    fclose(f);
    free(bare);
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system '%s' "
             "--out '%s/nopower'", src, own_path, tmp);
    CHECK(run(args, "nopower.log") == 1);
    snprintf(path, sizeof path, "%s/nopower.log", tmp);
    char *log = power_test_slurp(path);
    CHECK_MSG(log && strstr(log, own_path) && strstr(log, "\"power\"") &&
                  strchr(log, '\n') == log + strlen(log) - 1,
              "%s", log ? log : "");
    free(log);
    CHECK(dir_empty_or_missing("nopower"));
    cJSON_Delete(s);
}

/* DIR/project.json, parsed (NULL if absent); cJSON_Delete it. */
static cJSON *project_json(const char *dir)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s/project.json", tmp, dir);
    char *js = power_test_slurp(path);
    cJSON *o = js ? cJSON_Parse(js) : NULL;
    free(js);
    return o;
}

static const cJSON *format_entry(const cJSON *o, const char *name)
{
    const cJSON *e, *arr = cJSON_GetObjectItemCaseSensitive(o, "by_format");
    cJSON_ArrayForEach(e, arr)
    {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "format");
        if (cJSON_IsString(f) && !strcmp(f->valuestring, name))
            return e;
    }
    return NULL;
}

/* tokens/s of the by_format entry for `format` in DIR/project.json, NAN if
 * absent or not ok. */
static double by_format_tps(const char *dir, const char *format)
{
    cJSON *o = project_json(dir);
    const cJSON *e = format_entry(o, format);
    double v = e && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "ok"))
                   ? num(e, "tokens_per_s")
                   : NAN;
    cJSON_Delete(o);
    return v;
}

/* The 4- and 8-bit columns beside 3.5 bits, on a system with off-chip
 * memory (hbm1: its exact rate scaled by 7 / (2 bits) for the wider
 * weights) and one without (tsp: nothing to scale; this once looped). On
 * hbm1 decode, where the weight bytes bind, 4 bits must be slower than
 * 3.5 bits, but by no more than the byte ratio 8/7. */
static void test_widths(void)
{
    char args[4096];
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system "
             "%s/systems/hbm1.json --out '%s/w-hbm1'", src, src, tmp);
    CHECK(run(args, "w-hbm1.log") == 0);
    double t35 = by_format_tps("w-hbm1", "sa35"),
           t4 = by_format_tps("w-hbm1", "int4");
    CHECK_MSG(t4 < t35 && t35 <= t4 * 8 / 7 * (1 + 1e-12),
              "hbm1: 3.5 bits %g tok/s, 4 bits %g", t35, t4);
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system "
             "%s/systems/tsp.json --out '%s/w-tsp'", src, src, tmp);
    CHECK(run(args, "w-tsp.log") == 0);
    CHECK(by_format_tps("w-tsp", "int4") > 0 &&
          by_format_tps("w-tsp", "int8") > 0);
}

/* The formats of issue 12 side by side on llama-2-7b (hidden 4096, FFN
 * 11008, 32 layers, vocab 32000): the weight bytes of the groups, the
 * scale row's energy and the SQNR on the stated matrix, each derived here
 * from the format's definition (docs/format.md). */
static void test_formats(void)
{
    char args[4096], path[2048];
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system "
             "%s/systems/hbm1.json --formats sa35,sa35-g2R,int4-g128 "
             "--out '%s/fmt'", src, src, tmp);
    CHECK(run(args, "fmt.log") == 0);
    cJSON *o = project_json("fmt");
    const cJSON *a = format_entry(o, "sa35"), *g = format_entry(o, "sa35-g640"),
                *i4 = format_entry(o, "int4-g128");
    CHECK(a && g && i4);
    if (!a || !g || !i4) {
        cJSON_Delete(o);
        return;
    }
    CHECK(num(a, "group") == 0 && num(g, "group") == 640 &&
          num(i4, "group") == 128);
    /* GEMMs (K, N, count): q k v o, gate up, down per layer; lm_head */
    static const struct { int64_t K, N, n; } gemm[] = {
        {4096, 4096, 4 * 32}, {4096, 11008, 2 * 32}, {11008, 4096, 32},
        {4096, 32000, 1}};
    double d_bytes = 0, terms = 0, params = 0;
    for (int k = 0; k < 4; k++) {
        /* a binary16 scale and zero per group of 640 in place of a float32
         * scale and zero per column */
        int64_t groups = (gemm[k].K + 639) / 640;
        d_bytes += (double)gemm[k].n * gemm[k].N * (4.0 * groups - 8.0);
        terms += (double)gemm[k].n * gemm[k].N * groups; /* M = 1 */
        params += (double)gemm[k].n * gemm[k].N * gemm[k].K;
    }
    CHECK_MSG(num(g, "weight_bytes") - num(a, "weight_bytes") == d_bytes,
              "%.0f - %.0f, want %.0f", num(g, "weight_bytes"),
              num(a, "weight_bytes"), d_bytes);
    CHECK(num(g, "bits_stored") == 8 * num(g, "weight_bytes") / params);
    /* int4, K even: half a byte a weight and 4 bytes per group of 128 */
    double i4_bytes = 0;
    for (int k = 0; k < 4; k++)
        i4_bytes += (double)gemm[k].n * gemm[k].N *
                    (gemm[k].K / 2.0 + 4.0 * ((gemm[k].K + 127) / 128));
    CHECK_MSG(num(i4, "weight_bytes") == i4_bytes, "%.0f, want %.0f",
              num(i4, "weight_bytes"), i4_bytes);
    /* two float32 multiplies and two adds per term, less the int32 add,
     * at 45 nm (Horowitz) scaled to the power config's node */
    sa35_power_cfg pc;
    sa35_energy_model em;
    sa35_err err;
    snprintf(path, sizeof path, "%s/systems/hbm1.json", src);
    CHECK(sa35_power_cfg_read(path, &pc, &err) == 0);
    CHECK(sa35_energy_model_default(pc.node_nm, pc.offchip, &em, &err) == 0);
    double want = terms * (2 * 3.7 + 2 * 0.9 - 0.1) * em.scale_from_45 * 1e-12;
    double got = num(g, "scale_row_j_per_step");
    CHECK_MSG(fabs(got - want) <= 1e-12 * want, "scale row %.9g J, want %.9g",
              got, want);
    CHECK(num(a, "scale_row_j_per_step") == 0);
    /* quality on gauss (K = 4096 x 256): finer grids, more SQNR; 3.5 +
     * 32 / 640 bits for the group format at K = 4096 (7 groups, the last
     * of 256) */
    const cJSON *qa = cJSON_GetObjectItemCaseSensitive(a, "quality"),
                *qg = cJSON_GetObjectItemCaseSensitive(g, "quality"),
                *qi = cJSON_GetObjectItemCaseSensitive(i4, "quality");
    CHECK(num(qa, "sqnr_db") < num(qg, "sqnr_db") &&
          num(qg, "sqnr_db") < num(qi, "sqnr_db"));
    CHECK(num(qg, "bits_per_weight") == 3.5 + 7 * 32.0 / 4096);
    const cJSON *qm = cJSON_GetObjectItemCaseSensitive(o, "quality_matrix");
    CHECK(num(qm, "K") == 4096 && num(qm, "N") == 256);
    /* the same matrix through `sa35 randn` and `sa35 stats`: the same
     * SQNR, to the two decimals stats prints */
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' randn --shape 4096,256 --seed "
             "1 --std 0.02 -o fq.npy >/dev/null && '%s' stats fq.npy "
             "--group 640 > fq.txt", tmp, bin, bin);
    CHECK(system(cmd) == 0);
    snprintf(path, sizeof path, "%s/fq.txt", tmp);
    char *st = power_test_slurp(path), line[64];
    snprintf(line, sizeof line, "| sa35-g640 | 3.5547 | ");
    const char *r = st ? strstr(st, line) : NULL;
    CHECK_MSG(r, "%s", st ? st : "");
    if (r) {
        double rmse = 0, sq = 0;
        CHECK(sscanf(r + strlen(line), "%lf | %lf", &rmse, &sq) == 2);
        CHECK_MSG(fabs(sq - num(qg, "sqnr_db")) <= 0.005, "stats %.2f, "
                  "project %.4f", sq, num(qg, "sqnr_db"));
    }
    free(st);
    cJSON_Delete(o);
    /* bad formats: one line, nothing written */
    static const char *const bad[][2] = {
        {"--formats sa35-g100", "multiple of 16"},
        {"--formats fp16", "unknown PE kind 'fp16'"},
        {"--formats sa35,sa35", "sa35 given twice"},
        {"--formats sa35 --bits 4", "not both"},
        {"--dist student-t:0", "--dist student-t:0: NU"},
        {"--formats sa35-g1280", "K-tile of 640 k-values"},
    };
    for (int k = 0; k < 6; k++) {
        snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system "
                 "%s/systems/hbm1.json %s --out '%s/badf%d'", src, src,
                 bad[k][0], tmp, k);
        char log[32];
        snprintf(log, sizeof log, "badf%d.log", k);
        CHECK(run(args, log) == 1);
        char name[16];
        snprintf(name, sizeof name, "badf%d", k);
        CHECK(dir_empty_or_missing(name));
        snprintf(path, sizeof path, "%s/%s", tmp, log);
        char *text = power_test_slurp(path);
        CHECK_MSG(text && strstr(text, bad[k][1]) && strchr(text, '\n') ==
                                                       text + strlen(text) - 1,
                  "%s: %s", bad[k][0], text ? text : "");
        free(text);
    }
}

/* DIR/NAME.json, the text given. */
static void write_in(const char *dir, const char *name, const char *text)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s/%s", tmp, dir, name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static double main_num(const char *dir, const char *key)
{
    cJSON *o = project_json(dir);
    double v = num(o, key);
    cJSON_Delete(o);
    return v;
}

/* Tables on disk (issue 14): a memory kind the built-ins lack, added by
 * the user's memory.json, runs with no recompilation and costs its bytes
 * at its pJ/bit; a node without a supply in the scaling table needs
 * --vdd; a misnamed table file is refused. */
static void test_tables_dir(void)
{
    char cmd[8192], args[4096], path[2048];
    /* the built-in memory table with one more row, and hbm1 using it */
    snprintf(cmd, sizeof cmd, "rm -rf '%s/tdir' && mkdir '%s/tdir' && sed 's/\"constants\": "
             "\\[/\"constants\": [{\"name\": \"lpddr5x_pj_per_bit\", \"value\": "
             "7.94, \"unit\": \"pJ\\/bit\", \"source\": \"test: twice "
             "hbm2\"},/' '%s/power/tables/memory.json' > '%s/tdir/memory.json' "
             "&& sed 's/\"offchip\": {\"value\": \"hbm2\"/\"offchip\": "
             "{\"value\": \"lpddr5x\"/' '%s/systems/hbm1.json' > "
             "'%s/lp.json'", tmp, tmp, src, tmp, src, tmp);
    CHECK(system(cmd) == 0);
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system '%s/lp.json' "
             "--formats sa35 --out '%s/lp0'", src, tmp, tmp);
    CHECK(run(args, "lp0.log") == 1); /* no such memory built in */
    snprintf(path, sizeof path, "%s/lp0.log", tmp);
    char *log = power_test_slurp(path);
    CHECK_MSG(log && strstr(log, "no off-chip memory 'lpddr5x'"), "%s",
              log ? log : "");
    free(log);
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system '%s/lp.json' "
             "--formats sa35 --tables '%s/tdir' --out '%s/lp1'", src, tmp,
             tmp, tmp);
    CHECK(run(args, "lp1.log") == 0);
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system "
             "%s/systems/hbm1.json --formats sa35 --out '%s/lp2'", src, src,
             tmp);
    CHECK(run(args, "lp2.log") == 0);
    /* the same run and bytes, the off-chip energy in the ratio of pJ/bit */
    double lp = main_num("lp1", "offchip_j_per_step"),
           hb = main_num("lp2", "offchip_j_per_step");
    CHECK_MSG(fabs(lp / hb - 7.94 / 3.97) < 1e-12, "%.17g / %.17g", lp, hb);
    CHECK(main_num("lp1", "tokens_per_s") == main_num("lp2", "tokens_per_s"));
    /* one chip, no throttling: the die's heat is the step's dynamic energy
     * less what the memory devices dissipate, which is still power */
    double dyn = main_num("lp2", "dynamic_j_per_step"),
           step = main_num("lp2", "step_s");
    CHECK(main_num("lp2", "chips") == 1 && main_num("lp2", "clock_fraction") == 1);
    CHECK_MSG(fabs(main_num("lp2", "hottest_chip_dynamic_w") -
                   (dyn - hb) / step) <= 1e-12 * dyn / step,
              "%.17g vs %.17g", main_num("lp2", "hottest_chip_dynamic_w"),
              (dyn - hb) / step);
    CHECK(fabs(main_num("lp2", "memory_power_w") - hb / step) <=
          1e-12 * hb / step);
    CHECK(main_num("lp2", "power_w") > main_num("lp2", "memory_power_w"));
    snprintf(path, sizeof path, "%s/lp1.log", tmp);
    log = power_test_slurp(path);
    snprintf(cmd, sizeof cmd, "tables: built-in horowitz45, built-in "
             "node_scaling, %s/tdir/memory.json, built-in osu018_cells", tmp);
    CHECK_MSG(log && strstr(log, cmd), "%s", log ? log : "");
    free(log);
    /* 65 nm is in the scaling fits but has no supply: named, then given */
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system "
             "%s/systems/hbm1.json --formats sa35 --node 65 --out '%s/n65'",
             src, src, tmp);
    CHECK(run(args, "n65.log") == 1);
    snprintf(path, sizeof path, "%s/n65.log", tmp);
    log = power_test_slurp(path);
    CHECK_MSG(log && strstr(log, "no operating voltage for 65 nm (constant "
                                 "'vdd_65')"), "%s", log ? log : "");
    free(log);
    CHECK(dir_empty_or_missing("n65"));
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system "
             "%s/systems/hbm1.json --formats sa35 --node 65 --vdd 1.1 --out "
             "'%s/n65v'", src, src, tmp);
    CHECK(run(args, "n65v.log") == 0);
    /* older, higher-voltage node: more energy per MAC than 7 nm */
    CHECK(main_num("n65v", "mac_j_per_step") >
          main_num("lp2", "mac_j_per_step"));
    /* a typo in the directory is not silently unused */
    write_in("tdir", "memmory.json", "{}");
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system '%s/lp.json' "
             "--formats sa35 --tables '%s/tdir' --out '%s/lp3'", src, tmp,
             tmp, tmp);
    CHECK(run(args, "lp3.log") == 1);
    snprintf(path, sizeof path, "%s/lp3.log", tmp);
    log = power_test_slurp(path);
    CHECK_MSG(log && strstr(log, "tdir/memmory.json: not a table sa35 reads"),
              "%s", log ? log : "");
    free(log);
    CHECK(dir_empty_or_missing("lp3"));
}

/* The power config is read with the same duplicate-key check as the rest
 * of the system file: a key twice names the file and the key. */
static void test_duplicate_keys(void)
{
    sa35_power_cfg c;
    sa35_err err;
    CHECK(sa35_power_cfg_load("{\"power\": {\"node_nm\": {\"value\": 7, "
                              "\"source\": \"s\"}, \"node_nm\": {\"value\": "
                              "5, \"source\": \"s\"}}}", "dup.json", &c,
                              &err) != 0);
    CHECK_MSG(strstr(err.msg, "dup.json: key \"power.node_nm\" appears "
                              "twice"), "%s", err.msg);
}

int main(void)
{
    bin = getenv("SA35_BIN");
    tmp = getenv("SA35_TMP");
    if (!bin || !tmp) {
        fprintf(stderr, "SA35_BIN and SA35_TMP must be set (ctest does)\n");
        return 1;
    }
    /* __FILE__ is SRC/tests/test_power_project.c (CMake passes absolute
     * paths), so the shipped models and systems are found without
     * installing anything. */
    snprintf(src, sizeof src, "%s", __FILE__);
    for (int cut = 0; cut < 2; cut++) {
        char *slash = strrchr(src, '/');
        if (slash)
            *slash = 0;
    }
    test_tpuv1();
    test_widths();
    test_formats();
    test_tables_dir();
    test_bad_input();
    test_duplicate_keys();
    test_own_power();
    return TEST_DONE();
}
