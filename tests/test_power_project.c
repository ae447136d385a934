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
    char cmd[4096];
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
    char cmd[2048];
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

/* tokens/s of the by_bits entry for `bits` in DIR/project.json, NAN if
 * absent or not ok. */
static double by_bits_tps(const char *dir, double bits)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s/project.json", tmp, dir);
    char *js = power_test_slurp(path);
    cJSON *o = js ? cJSON_Parse(js) : NULL;
    double v = NAN;
    const cJSON *e, *arr = cJSON_GetObjectItemCaseSensitive(o, "by_bits");
    cJSON_ArrayForEach(e, arr)
    {
        if (num(e, "bits") == bits &&
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "ok")))
            v = num(e, "tokens_per_s");
    }
    cJSON_Delete(o);
    free(js);
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
    double t35 = by_bits_tps("w-hbm1", 3.5), t4 = by_bits_tps("w-hbm1", 4);
    CHECK_MSG(t4 < t35 && t35 <= t4 * 8 / 7 * (1 + 1e-12),
              "hbm1: 3.5 bits %g tok/s, 4 bits %g", t35, t4);
    snprintf(args, sizeof args, "%s/models/llama-2-7b.json --system "
             "%s/systems/tsp.json --out '%s/w-tsp'", src, src, tmp);
    CHECK(run(args, "w-tsp.log") == 0);
    CHECK(by_bits_tps("w-tsp", 4) > 0 && by_bits_tps("w-tsp", 8) > 0);
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
    test_bad_input();
    test_duplicate_keys();
    test_own_power();
    return TEST_DONE();
}
