/* test_api.c: the bindings' facade (api/, sa35_api.h) against the library
 * calls it stands for: gemm on every engine gives the golden pipeline's Y
 * and accumulators bit for bit, the timing engine the simulator's cycles;
 * sim gives sa35_sim_gemm_group's counters; a quantized weight saved and
 * loaded is the same weight; model writes the run's totals; project and
 * sweep write their reports; bad arguments are errors naming them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "sa35_api.h"
#include "sa35_io.h"
#include "sa35_model.h"
#include "sa35_sim.h"
#include "test_util.h"

static const char *tmp;

/* A number of a JSON text (NaN if absent). */
static double json_num(const char *text, const char *key)
{
    cJSON *js = cJSON_Parse(text);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(js, key);
    double d = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    cJSON_Delete(js);
    return d;
}

static int has_file(const char *dir, const char *name)
{
    char p[4096];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0 && st.st_size > 0;
}

static void test_gemm(sa35_format fmt, int64_t G)
{
    enum { M = 3, K = 100, N = 21 };
    float *w = malloc(sizeof(float) * K * N), X[M * K], Y[M * N], ref[M * N];
    int32_t acc[M * N], gold[M * N], rsum[M];
    float sa[M];
    int8_t A[M * K];
    uint64_t s = 42 + (uint64_t)fmt;
    for (int i = 0; i < K * N; i++)
        w[i] = test_rand_normal(&s);
    for (int i = 0; i < M * K; i++)
        X[i] = test_rand_normal(&s);
    sa35_fview v = {w, K, N, N, 1};
    sa35_qweights q = {0};
    sa35_err err;
    CHECK(sa35_quantize_group(&v, fmt, G, &q, &err) == 0);
    /* the golden pipeline, step by step */
    CHECK(sa35_quantize_activations(X, M, K, A, sa, &err) == 0);
    sa35_gemm_acc(A, M, &q, gold, NULL);
    sa35_row_sums(A, M, K, rsum);
    sa35_gemm_output(M, &q, sa, rsum, gold, ref);
    const char *engines[] = {"golden", "cpu", "sim"};
    double cycles = 0;
    for (int e = 0; e < 3; e++) {
        char *stats = NULL;
        memset(Y, 0xff, sizeof Y);
        memset(acc, 0xff, sizeof acc);
        int rc = sa35_api_gemm(X, M, &q, engines[e],
                               e == 2 ? "16x8" : NULL, 0, Y, acc, &stats,
                               &err);
        CHECK_MSG(rc == 0, "%s: %s", engines[e], err.msg);
        CHECK_MSG(!memcmp(Y, ref, sizeof Y), "%s: Y", engines[e]);
        CHECK_MSG(!memcmp(acc, gold, sizeof acc), "%s: acc", engines[e]);
        CHECK(stats && strstr(stats, engines[e]));
        if (e == 2 && stats)
            cycles = json_num(stats, "cycles");
        sa35_api_free(stats);
    }
    /* Y without acc (the facade's own accumulators) */
    CHECK(sa35_api_gemm(X, M, &q, "cpu", NULL, 1, Y, NULL, NULL, &err) == 0);
    CHECK(!memcmp(Y, ref, sizeof Y));
    /* the timing model: no values, the simulator's cycles */
    char *stats = NULL;
    CHECK(sa35_api_gemm(X, M, &q, "timing", "16x8", 0, NULL, NULL, &stats,
                        &err) == 0);
    CHECK(stats && cycles > 0 && json_num(stats, "cycles") == cycles);
    sa35_api_free(stats);
    CHECK(sa35_api_gemm(X, M, &q, "timing", NULL, 0, Y, NULL, &stats,
                        &err) == -1 &&
          strstr(err.msg, "timing engine computes no values"));
    CHECK(sa35_api_gemm(X, M, &q, "gpu", NULL, 0, Y, NULL, NULL, &err) ==
              -1 &&
          strstr(err.msg, "unknown engine 'gpu'"));
    CHECK(sa35_api_gemm(X, M, &q, "golden", "8x8", 0, Y, NULL, NULL,
                        &err) == -1 &&
          strstr(err.msg, "takes no array"));
    X[4] = NAN;
    CHECK(sa35_api_gemm(X, M, &q, "golden", NULL, 0, Y, NULL, NULL, &err) ==
              -1 &&
          !strncmp(err.msg, "X: ", 3));

    /* saved and loaded: the same weight */
    char path[4096];
    snprintf(path, sizeof path, "%s/api-%d.safetensors", tmp, (int)fmt);
    sa35_qweights r = {0};
    CHECK(sa35_api_qfile_save(path, "weight", &q, &err) == 0);
    CHECK_MSG(sa35_api_qfile_load(path, NULL, &r, &err) == 0, "%s", err.msg);
    CHECK(r.fmt == q.fmt && r.K == K && r.N == N && r.group == q.group);
    CHECK(r.qweight && !memcmp(r.qweight, q.qweight, q.colbytes * N));
    CHECK(r.scale && !memcmp(r.scale, q.scale,
                             sizeof(float) * N * (size_t)q.ngroups));
    sa35_qweights_free(&r);
    CHECK(sa35_api_qfile_load(path, "other", &r, &err) == -1 &&
          strstr(err.msg, "other"));
    sa35_qweights_free(&q);
    free(w);
}

static void test_sim(void)
{
    sa35_err err;
    sa35_api_array arr = {"8x8", "int8", 2, 16, 3, 5};
    char *stats = NULL;
    CHECK_MSG(sa35_api_sim(4, 64, 24, 0, &arr, "timing", NULL, NULL, NULL,
                           &stats, &err) == 0,
              "%s", err.msg);
    /* the same GEMM through the library directly */
    sa35_arch a;
    sa35_arch_default(&a);
    a.rows = a.cols = 8;
    a.pe = SA35_PE_INT8;
    a.load_rows = 2;
    a.dram_bw_num = 16, a.dram_bw_den = 3, a.dram_latency = 5;
    sa35_stats st;
    CHECK(sa35_sim_gemm_group(&a, sa35_engine_find("timing"), 4, 64, 24, 0,
                              NULL, NULL, NULL, NULL, &st, &err) == 0);
    CHECK(stats && st.cycles > 0 &&
          json_num(stats, "cycles") == (double)st.cycles &&
          json_num(stats, "stall_cycles") == (double)st.stall_cycles &&
          json_num(stats, "dram_read_bytes") == (double)st.dram_read_bytes);
    sa35_api_free(stats);
    /* the sim engine needs data of the PE kind's format */
    CHECK(sa35_api_sim(4, 64, 24, 0, &arr, "sim", NULL, NULL, NULL, &stats,
                       &err) == -1 &&
          strstr(err.msg, "give A, q and acc"));
    sa35_api_array bad = {"8x8", "int2", 0, 0, 0, 0};
    CHECK(sa35_api_sim(4, 64, 24, 0, &bad, "timing", NULL, NULL, NULL,
                       &stats, &err) == -1 &&
          strstr(err.msg, "int2"));
    CHECK(sa35_api_pe_format("int4", &err) == SA35_FMT_INT4);
    CHECK(sa35_api_pe_format("int3", &err) == -1 && strstr(err.msg, "int3"));
}

static void test_runs(void)
{
    sa35_err err;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/api-model", tmp);
    sa35_api_work w = {"decode", 1, 512, 0};
    CHECK_MSG(sa35_api_model("llama-2-7b", "hbm1", &w, 0, NULL, dir, &err) ==
                  0,
              "%s", err.msg);
    char *totals = NULL;
    {
        char p[4200];
        snprintf(p, sizeof p, "%s/totals.json", dir);
        totals = sa35_read_text(p, &err);
    }
    /* the run itself, through the library */
    char mp[4096], sp[4096];
    sa35_llm m;
    sa35_system s;
    sa35_run run;
    sa35_workload wl = {SA35_DECODE, 1, 512, 1};
    CHECK(sa35_find_model("llama-2-7b", mp, sizeof mp, &err) == 0 &&
          sa35_llm_read(mp, &m, &err) == 0 &&
          sa35_find_system("hbm1", sp, sizeof sp, &err) == 0 &&
          sa35_system_read(sp, &s, &err) == 0 &&
          sa35_model_run(&m, &s, &wl, sa35_gemm_engine_timing(), &run,
                         &err) == 0);
    CHECK(totals && run.cycles > 0 &&
          json_num(totals, "cycles") == (double)run.cycles);
    sa35_run_free(&run);
    free(totals);
    CHECK(has_file(dir, "layers.csv") && has_file(dir, "layers.json"));
    w.phase = "train";
    CHECK(sa35_api_model("llama-2-7b", "hbm1", &w, 0, NULL, dir, &err) ==
              -1 &&
          strstr(err.msg, "'train'"));
    CHECK(sa35_api_model("llama-9", "hbm1", NULL, 0, NULL, dir, &err) ==
              -1 &&
          strstr(err.msg, "llama-9"));

    snprintf(dir, sizeof dir, "%s/api-project", tmp);
    sa35_api_project_opts o = {"sa35,int4", NULL, 0, 0, -1, 0, NULL};
    CHECK_MSG(sa35_api_project("llama-2-7b", "hbm1", NULL, &o, dir, &err) ==
                  0,
              "%s", err.msg);
    CHECK(has_file(dir, "project.json") && has_file(dir, "project.csv") &&
          has_file(dir, "roofline.svg"));
    o.formats = "sa35,,int4";
    CHECK(sa35_api_project("llama-2-7b", "hbm1", NULL, &o, dir, &err) ==
              -1 &&
          strstr(err.msg, "formats"));
    o.formats = "sa35,sa35";
    CHECK(sa35_api_project("llama-2-7b", "hbm1", NULL, &o, dir, &err) ==
              -1 &&
          strstr(err.msg, "given twice"));

    snprintf(dir, sizeof dir, "%s/api-sweep", tmp);
    const char *spec = "{\"model\": \"llama-2-7b\", \"system\": \"hbm1\", "
                       "\"seq\": 256, \"axes\": [{\"load_rows\": [1, 2]}]}";
    CHECK_MSG(sa35_api_sweep(spec, "spec", dir, 1, &err) == 0, "%s",
              err.msg);
    CHECK(has_file(dir, "sweep.csv") && has_file(dir, "spec.json"));
    CHECK(sa35_api_sweep("{\"axes\": 3}", "bad-spec", dir, 1, &err) == -1 &&
          strstr(err.msg, "bad-spec"));
}

int main(void)
{
    tmp = getenv("SA35_TMP");
    if (!tmp)
        tmp = ".";
    test_gemm(SA35_FMT_SA35, 0);
    test_gemm(SA35_FMT_INT4, 32);
    test_gemm(SA35_FMT_INT8, 0);
    test_sim();
    test_runs();
    CHECK(sa35_api_struct_size("sa35_qweights") == sizeof(sa35_qweights));
    CHECK(sa35_api_struct_size("sa35_api_work") == sizeof(sa35_api_work));
    CHECK(sa35_api_struct_size("sa35_run") == 0);
    CHECK(sa35_api_struct_size(NULL) == 0);
    return TEST_DONE();
}
