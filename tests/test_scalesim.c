/* test_scalesim.c: SCALE-Sim's files and its v2 closed form, checked
 * against SCALE-Sim's own example inputs (configs/scale.cfg,
 * topologies/GEMM_mnk/test_mnk_input.csv, topologies/conv_nets/
 * alexnet_part.csv) and the golden reports of its test suite
 * (test/general/golden_trace*, scale-sim-v2). The USER-bandwidth goldens
 * include v2's memory stalls, so there the check is Total - Stall. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sa35_scalesim.h"
#include "test_util.h"

/* SCALE-Sim v2's configs/scale.cfg, as shipped (the sparsity and layout
 * keys are there to prove they are ignored). */
static const char scale_cfg[] =
    "[general]\nrun_name = scale_example_run_32x32_os\n\n"
    "[architecture_presets]\nArrayHeight:    32\nArrayWidth:     32\n"
    "IfmapSramSzkB:   64\nFilterSramSzkB:  64\nOfmapSramSzkB:   64\n"
    "IfmapOffset:    0\nFilterOffset:   10000000\nOfmapOffset:    20000000\n"
    "Bandwidth : 64\nDataflow : os\nOnChipMemoryBanks:   1\n"
    "OnChipMemoryBankPorts:   2\n\nIfmapCustomLayout: True\n"
    "FilterCustomLayout: False\nIfmapSRAMBankBandwidth: 64\n\n"
    "[sparsity]\nSparsitySupport : false\nSparseRep : ellpack_block\n\n"
    "[run_presets]\nInterfaceBandwidth: USER \n";
static const char gemm_csv[] = "Layer Name, M, N, K,\nTest 1, 256, 128, 256,";
static const char alexnet_part_csv[] =
    "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
    "Channels, Num Filter, Strides,\n"
    "Conv1,  224, 224,    11, 11,    3,      96,     4,";

static void pyfloat_cases(void)
{
    struct {
        double x;
        const char *want;
    } c[] = {{100.0, "100.0"}, {15.619577859553454, "15.619577859553454"},
             {33.0, "33.0"}, {0.31035864734643714, "0.31035864734643714"},
             {1e-05, "1e-05"}, {0.0001, "0.0001"}, {1e16, "1e+16"},
             {1234567890123456.0, "1234567890123456.0"}, {0.0, "0.0"},
             {-3277.0, "-3277.0"}, {2.5e-7, "2.5e-07"}, {0.5, "0.5"}};
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        char b[32];
        sa35_ss_pyfloat(c[i].x, b);
        CHECK_MSG(strcmp(b, c[i].want) == 0, "%.17g: got %s, want %s",
                  c[i].x, b, c[i].want);
    }
}

static void config_and_topology(void)
{
    sa35_ss_config c;
    sa35_err err;
    CHECK(sa35_ss_config_parse(scale_cfg, "scale.cfg", &c, &err) == 0);
    CHECK(strcmp(c.run_name, "scale_example_run_32x32_os") == 0);
    CHECK(c.rows == 32 && c.cols == 32 && c.ifmap_kb == 64);
    CHECK(c.filter_offset == 10000000 && c.ofmap_offset == 20000000);
    CHECK(c.dataflow == SA35_SS_OS && c.user_bandwidth && c.bandwidth == 64);

    sa35_ss_layer *l;
    int n;
    CHECK(sa35_ss_topo_parse(gemm_csv, "g.csv", 1, &l, &n, &err) == 0);
    CHECK(n == 1 && strcmp(l[0].name, "Test 1") == 0);
    int64_t px, f, w;
    CHECK(sa35_ss_layer_dims(&l[0], &px, &f, &w, &err) == 0);
    CHECK(px == 256 && f == 128 && w == 256); /* M, N, K */
    free(l);
    CHECK(sa35_ss_topo_parse(alexnet_part_csv, "a.csv", 0, &l, &n, &err) ==
          0);
    CHECK(sa35_ss_layer_dims(&l[0], &px, &f, &w, &err) == 0);
    CHECK(n == 1 && px == 55 * 55 && f == 96 && w == 11 * 11 * 3);
    free(l);
    /* a depth-wise row: one layer per channel */
    CHECK(sa35_ss_topo_parse("h,\nDP1, 8, 8, 3, 3, 4, 1, 1,\n", "d.csv", 0,
                             &l, &n, &err) == 0);
    CHECK(n == 4 && l[3].channels == 1 &&
          strcmp(l[3].name, "DP1Channel_3") == 0);
    free(l);
}

static void bad_inputs(void)
{
    sa35_ss_config c;
    sa35_ss_layer *l;
    int n;
    sa35_err err;
    CHECK(sa35_ss_config_parse("[general]\nrun_name = x\n[architecture_"
                               "presets]\nArrayHeight: 8\nArrayWidth: 8\n"
                               "IfmapSramSzkB: 1\nFilterSramSzkB: 1\n"
                               "OfmapSramSzkB: 1\nIfmapOffset: 0\n"
                               "FilterOffset: 0\nOfmapOffset: 0\n"
                               "Dataflow : xs\n[run_presets]\n"
                               "InterfaceBandwidth: CALC\n",
                               "b.cfg", &c, &err) == -1);
    CHECK_MSG(strstr(err.msg, "b.cfg:12: Dataflow"), "%s", err.msg);
    CHECK(sa35_ss_config_parse("[general]\nrun_name = x\n", "m.cfg", &c,
                               &err) == -1);
    CHECK_MSG(strstr(err.msg, "m.cfg: [architecture_presets] ArrayHeight: "
                              "missing"), "%s", err.msg);
    CHECK(sa35_ss_config_parse("ArrayHeight: 8\n", "s.cfg", &c, &err) == -1);
    CHECK_MSG(strstr(err.msg, "s.cfg:1:"), "%s", err.msg);
    CHECK(sa35_ss_topo_parse("h,\nL1, 4, 4, 4,\nL2, 4, x4, 4,\n", "t.csv", 1,
                             &l, &n, &err) == -1);
    CHECK_MSG(strstr(err.msg, "t.csv:3: N: expected a positive integer, got "
                              "'x4'"), "%s", err.msg);
    CHECK(sa35_ss_topo_parse("h,\nL1, 4, 4\n", "u.csv", 1, &l, &n, &err) ==
          -1);
    CHECK_MSG(strstr(err.msg, "u.csv:2:"), "%s", err.msg);
    CHECK(sa35_ss_topo_parse("h,\nC, 4, 4, 5, 5, 1, 1, 1,\n", "v.csv", 0, &l,
                             &n, &err) == -1);
    CHECK_MSG(strstr(err.msg, "v.csv:2: the filter"), "%s", err.msg);
}

static void layer_of(const char *csv, int gemm, sa35_ss_layer *out)
{
    sa35_ss_layer *l;
    int n;
    sa35_err err;
    CHECK(sa35_ss_topo_parse(csv, "t.csv", gemm, &l, &n, &err) == 0);
    *out = l[0];
    free(l);
}

/* test_mnk_input.csv on scale.cfg with each dataflow: v2's golden
 * COMPUTE_REPORT minus its stalls, its mapping and compute utilisation,
 * and its SRAM counts and start cycles (DETAILED_ACCESS_REPORT). */
static void gemm_goldens(void)
{
    sa35_ss_config c;
    sa35_err err;
    CHECK(sa35_ss_config_parse(scale_cfg, "scale.cfg", &c, &err) == 0);
    sa35_ss_layer l;
    layer_of(gemm_csv, 1, &l);
    struct {
        sa35_ss_dataflow df;
        int64_t total, stall; /* golden */
        double compute_util;
        int64_t counts[3];
        double starts[3];
    } g[] = {
        {SA35_SS_OS, 52447, 42272, 80.50314465408806,
         {262144, 262144, 34816}, {1.0, 1.0, 255.0}},
        {SA35_SS_WS, 52447, 41248, 67.19160104986877,
         {262144, 32768, 262144}, {33.0, 1.0, 63.0}},
        {SA35_SS_IS, 19984, 5777, 50.59288537549407,
         {65536, 262144, 262144}, {1.0, 33.0, 63.0}},
    };
    for (size_t i = 0; i < sizeof g / sizeof *g; i++) {
        c.dataflow = g[i].df;
        sa35_ss_result r;
        CHECK(sa35_ss_compat(&c, &l, SA35_SS_SUM_PY312, &r, &err) == 0);
        CHECK_MSG(r.total_cycles == g[i].total - g[i].stall,
                  "df %d: %lld cycles, golden %lld - %lld", (int)g[i].df,
                  (long long)r.total_cycles, (long long)g[i].total,
                  (long long)g[i].stall);
        CHECK(r.stall_cycles == 0);
        CHECK(r.mapping_eff == 100.0);
        CHECK_MSG(r.compute_util == g[i].compute_util, "df %d: %.17g",
                  (int)g[i].df, r.compute_util);
        for (int k = 0; k < 3; k++) {
            CHECK_MSG(r.sram_count[k] == g[i].counts[k], "df %d count %d: "
                      "%lld", (int)g[i].df, k, (long long)r.sram_count[k]);
            CHECK_MSG(r.sram_start[k] == g[i].starts[k], "df %d start %d: "
                      "%g", (int)g[i].df, k, r.sram_start[k]);
        }
    }
}

/* Layers as large as the topology reader takes (fields up to 2^31): every
 * count exact or the layer refused, never wrapped, and no layer spins in
 * the per-fold loop (issue 16). */
static void huge_layers(void)
{
    sa35_ss_config c;
    sa35_err err;
    sa35_ss_result r;
    sa35_ss_layer l;
    CHECK(sa35_ss_config_parse(scale_cfg, "scale.cfg", &c, &err) == 0);
    /* 2^20 x 2^20 x 2^20 on 32 x 32: 2^30 folds of 2^20 + 62 (os) or
     * 2^20 + 94 cycles, the array all but always busy */
    layer_of("h,\nL, 1048576, 1048576, 1048576,\n", 1, &l);
    for (int df = 0; df < 3; df++) {
        c.dataflow = (sa35_ss_dataflow)df;
        CHECK(sa35_ss_compat(&c, &l, SA35_SS_SUM_PY312, &r, &err) == 0);
        int64_t per = (1LL << 20) + (df == SA35_SS_OS ? 62 : 94);
        CHECK_MSG(r.total_cycles == (1LL << 30) * per - 1, "df %d: %lld", df,
                  (long long)r.total_cycles);
        double want = 0x1p60 * 100 / ((double)r.total_cycles * 1024);
        CHECK_MSG(r.overall_util > 99.99 && r.overall_util <= 100 &&
                      fabs(r.overall_util - want) < 1e-9,
                  "df %d: overall util %.17g", df, r.overall_util);
        CHECK_MSG(r.mapping_eff == 100.0, "df %d: %.17g", df, r.mapping_eff);
        /* T / v2's fold length (2R + 2C + T - 3 for ws and is) */
        double fold = (double)(1 << 20) + (df == SA35_SS_OS ? 62 : 125);
        CHECK_MSG(fabs(r.compute_util - 0x1p20 / fold * 100) < 1e-9,
                  "df %d: compute util %.17g", df, r.compute_util);
        CHECK(r.sram_count[0] > 0 && r.sram_count[1] > 0 &&
              r.sram_count[2] > 0);
    }
    /* 2^31 x 2^31 x 1 on a 1 x 1 array: 2^31 or 2^62 folds, answered at
     * once (alarm() in main fails a spin); os's OFMAP writes (2^62 + 2^63)
     * do not fit and are refused, naming the layer and the count */
    c.rows = c.cols = 1;
    layer_of("h,\nL, 2147483648, 2147483648, 1,\n", 1, &l);
    c.dataflow = SA35_SS_OS;
    CHECK(sa35_ss_compat(&c, &l, SA35_SS_SUM_PY312, &r, &err) == -1);
    CHECK_MSG(strstr(err.msg, "layer 'L': OFMAP writes exceed 2^63 on a "
                              "1x1 array"), "%s", err.msg);
    for (int df = 1; df < 3; df++) {
        c.dataflow = (sa35_ss_dataflow)df;
        CHECK_MSG(sa35_ss_compat(&c, &l, SA35_SS_SUM_PY312, &r, &err) == 0,
                  "%s", err.msg);
        CHECK(r.total_cycles == (1LL << 31) * ((1LL << 31) + 1) - 1);
        CHECK(r.mapping_eff == 100.0);
        CHECK(r.sram_count[0] == 1LL << 62 || r.sram_count[1] == 1LL << 62);
    }
    /* rows whose figures overflow 64 bits are refused by the reader */
    sa35_ss_layer *v;
    int n;
    CHECK(sa35_ss_topo_parse("h,\nC, 2147483648, 2147483648, 2147483648, "
                             "2147483648, 2147483648, 1, 1,\n", "w.csv", 0,
                             &v, &n, &err) == -1);
    CHECK_MSG(strstr(err.msg, "w.csv:2: layer 'C': the window (filter "
                              "height x width x channels) exceed 2^63"),
              "%s", err.msg);
    CHECK(sa35_ss_topo_parse("h,\nC, 2147483648, 2147483648, 1, 1, 4, 1, "
                             "1,\n", "i.csv", 0, &v, &n, &err) == -1);
    CHECK_MSG(strstr(err.msg, "i.csv:2: layer 'C': the IFMAP"), "%s",
              err.msg);
    CHECK(sa35_ss_topo_parse("h,\nL, 2147483648, 2147483648, 2147483648,"
                             "\n", "m.csv", 1, &v, &n, &err) == -1);
    CHECK_MSG(strstr(err.msg, "m.csv:2: layer 'L': the MACs"), "%s",
              err.msg);
}

/* A depth-wise row makes one layer per channel: 2^31 channels is refused
 * before a layer is made, the limit itself is taken. */
static void depthwise_limit(void)
{
    sa35_ss_layer *v;
    int n;
    sa35_err err;
    CHECK(sa35_ss_topo_parse("h,\nDP1, 8, 8, 3, 3, 2147483648, 1, 1,\n",
                             "dp.csv", 0, &v, &n, &err) == -1);
    CHECK_MSG(strstr(err.msg, "dp.csv:2: more than 65536 layers in all (a "
                              "depth-wise row makes one per channel; this "
                              "row makes 2147483648)"), "%s", err.msg);
    CHECK(sa35_ss_topo_parse("h,\nC1, 8, 8, 3, 3, 1, 1, 1,\n"
                             "DP1, 8, 8, 3, 3, 65536, 1, 1,\n",
                             "dp.csv", 0, &v, &n, &err) == -1);
    CHECK_MSG(strstr(err.msg, "dp.csv:3: more than 65536"), "%s", err.msg);
    CHECK(sa35_ss_topo_parse("h,\nDP1, 8, 8, 3, 3, 65536, 1, 1,\n",
                             "dp.csv", 0, &v, &n, &err) == 0);
    CHECK(n == SA35_SS_LAYERS_MAX &&
          strcmp(v[n - 1].name, "DP1Channel_65535") == 0);
    free(v);
}

/* run_name is one directory inside -p: a path is refused, naming the
 * file, the line and the key. */
static void run_name_confined(void)
{
    static const char *bad[] = {"../../x", "/tmp/x", "a/b", "..", "."};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[1024];
        snprintf(text, sizeof text, "[general]\nrun_name = %s\n%s", bad[i],
                 strstr(scale_cfg, "[architecture_presets]"));
        sa35_ss_config c;
        sa35_err err;
        CHECK(sa35_ss_config_parse(text, "c.cfg", &c, &err) == -1);
        CHECK_MSG(strstr(err.msg, "c.cfg:2: [general] run_name: must be one "
                                  "directory name") &&
                      strstr(err.msg, bad[i]),
                  "%s", err.msg);
    }
}

static void put(const char *tmp, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* The file's text, or NULL if there is none. */
static const char *slurp(const char *tmp, const char *name)
{
    static char buf[4096];
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* `sa35 scalesim ARGS` in tmp; the exit status. */
static int run(const char *bin, const char *tmp, const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' scalesim %s >out.txt "
             "2>err.txt", tmp, bin, args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* alexnet_part.csv, ws, CALC (golden_trace: no stalls): the whole compute
 * report line, byte for byte, and the SRAM columns of the others. */
static void alexnet_golden(const char *bin, const char *tmp)
{
    sa35_ss_config c;
    sa35_err err;
    CHECK(sa35_ss_config_parse(scale_cfg, "scale.cfg", &c, &err) == 0);
    c.dataflow = SA35_SS_WS;
    c.user_bandwidth = 0;
    sa35_ss_layer l;
    layer_of(alexnet_part_csv, 0, &l);
    sa35_ss_result r;
    /* this golden was made by a Python that adds floats left to right */
    CHECK(sa35_ss_compat(&c, &l, SA35_SS_SUM_PY311, &r, &err) == 0);
    CHECK(r.total_cycles == 112283 && r.stall_cycles == 0);
    CHECK(r.overall_util == 91.68309650614964);
    CHECK(r.mapping_eff == 94.53125);
    CHECK(r.compute_util == 90.78000992063485);
    CHECK(r.sram_bw[0] == 29.338590881967885);
    CHECK(r.sram_bw[1] == 0.31035864734643714);
    CHECK(r.sram_bw[2] == 31.035864734643713);
    CHECK(r.sram_count[0] == 3294225 && r.sram_count[1] == 34848 &&
          r.sram_count[2] == 3484800);
    CHECK(r.sram_start[0] == 33.0 && r.sram_start[1] == 1.0 &&
          r.sram_stop[1] == 109197.0 && r.sram_start[2] == 63.0 &&
          r.sram_stop[2] == 112283.0);

    /* the same through the command: SCALE-Sim's file, byte for byte */
    put(tmp, "scale.cfg",
        "[general]\nrun_name = alex\n[architecture_presets]\n"
        "ArrayHeight: 32\nArrayWidth: 32\nIfmapSramSzkB: 64\n"
        "FilterSramSzkB: 64\nOfmapSramSzkB: 64\nIfmapOffset: 0\n"
        "FilterOffset: 10000000\nOfmapOffset: 20000000\nDataflow : ws\n"
        "[run_presets]\nInterfaceBandwidth: CALC\n");
    put(tmp, "alex.csv", alexnet_part_csv);
    CHECK(run(bin, tmp, "-c scale.cfg -t alex.csv -p runs --compat "
                        "--python 3.11") == 0);
    const char *rep = slurp(tmp, "runs/alex/COMPUTE_REPORT.csv");
    CHECK_MSG(rep && strcmp(rep, "LayerID, Total Cycles, Stall Cycles, "
                                 "Overall Util %, Mapping Efficiency %, "
                                 "Compute Util %,\n0, 112283, 0, "
                                 "91.68309650614964, 94.53125, "
                                 "90.78000992063485,\n") == 0,
              "got: %s", rep ? rep : "(none)");
    /* and the sa35 array's own cycles for the same layer */
    CHECK(run(bin, tmp, "-c scale.cfg -t alex.csv -p native") == 0);
    /* a bad topology: one line, status 1, no reports */
    put(tmp, "bad.csv", "h,\nC1, 4, 4, 1, 1, 1, -2, 1,\n");
    CHECK(run(bin, tmp, "-c scale.cfg -t bad.csv -p badrun --compat") == 1);
    const char *e = slurp(tmp, "err.txt");
    CHECK_MSG(e && strstr(e, "bad.csv:2: filters: expected a positive "
                             "integer, got '-2'"), "%s", e ? e : "");
    CHECK(!slurp(tmp, "badrun/alex/COMPUTE_REPORT.csv"));
    /* a run_name out of -p: one line naming the file and key, status 1,
     * nothing written anywhere */
    put(tmp, "esc.cfg", "[general]\nrun_name = ../../esc\n[architecture_"
        "presets]\nArrayHeight: 32\nArrayWidth: 32\nIfmapSramSzkB: 64\n"
        "FilterSramSzkB: 64\nOfmapSramSzkB: 64\nIfmapOffset: 0\n"
        "FilterOffset: 10000000\nOfmapOffset: 20000000\nDataflow : ws\n"
        "[run_presets]\nInterfaceBandwidth: CALC\n");
    CHECK(run(bin, tmp, "-c esc.cfg -t alex.csv -p p1/p2 --compat") == 1);
    e = slurp(tmp, "err.txt");
    CHECK_MSG(e && strstr(e, "esc.cfg:2: [general] run_name") &&
                  strchr(e, '\n') == e + strlen(e) - 1,
              "%s", e ? e : "");
    CHECK(!slurp(tmp, "esc/COMPUTE_REPORT.csv") &&
          !slurp(tmp, "p1/p2/COMPUTE_REPORT.csv"));
    /* a layer too large for the counts: the topology file and the layer */
    put(tmp, "huge.csv", "h,M,N,K,\nL, 2147483648, 2147483648, 1,\n");
    put(tmp, "one.cfg", "[general]\nrun_name = one\n[architecture_presets]"
        "\nArrayHeight: 1\nArrayWidth: 1\nIfmapSramSzkB: 64\n"
        "FilterSramSzkB: 64\nOfmapSramSzkB: 64\nIfmapOffset: 0\n"
        "FilterOffset: 10000000\nOfmapOffset: 20000000\nDataflow : os\n"
        "[run_presets]\nInterfaceBandwidth: CALC\n");
    CHECK(run(bin, tmp, "-c one.cfg -t huge.csv -i gemm -p hg --compat") ==
          1);
    e = slurp(tmp, "err.txt");
    CHECK_MSG(e && strstr(e, "huge.csv: layer 'L': OFMAP writes exceed"),
              "%s", e ? e : "");
    CHECK(!slurp(tmp, "hg/one/COMPUTE_REPORT.csv"));
}

/* v2 divides the MACs by its last demand row's index, one less than the
 * rows: a 1 x 1 os array does a MAC in every row, so its overall util
 * passes 100 (found by fuzz_scalesim_config, whose property was wrong).
 * 2 x 2 x 2: 4 folds of T = 2 rows, total 7, util 800 / 7. */
static void one_pe_os(void)
{
    sa35_ss_config c;
    sa35_err err;
    sa35_ss_result r;
    sa35_ss_layer l;
    CHECK(sa35_ss_config_parse(scale_cfg, "scale.cfg", &c, &err) == 0);
    c.rows = c.cols = 1;
    c.dataflow = SA35_SS_OS;
    layer_of("h,\nL, 2, 2, 2,\n", 1, &l);
    CHECK(sa35_ss_compat(&c, &l, SA35_SS_SUM_PY312, &r, &err) == 0);
    CHECK_MSG(r.total_cycles == 7, "%lld", (long long)r.total_cycles);
    CHECK_MSG(r.overall_util == 800.0 / 7.0, "%.17g", r.overall_util);
    /* ws streams T + 1 rows a fold (2R + C + T - 2): under 100 again */
    c.dataflow = SA35_SS_WS;
    CHECK(sa35_ss_compat(&c, &l, SA35_SS_SUM_PY312, &r, &err) == 0);
    CHECK_MSG(r.total_cycles == 11, "%lld", (long long)r.total_cycles);
    CHECK_MSG(r.overall_util == 800.0 / 11.0, "%.17g", r.overall_util);
}

int main(void)
{
    const char *bin = getenv("SA35_BIN"), *tmp = getenv("SA35_TMP");
    pyfloat_cases();
    config_and_topology();
    bad_inputs();
    gemm_goldens();
    one_pe_os();
    alarm(120); /* a layer that makes the fold loop spin fails here */
    huge_layers();
    depthwise_limit();
    run_name_confined();
    alarm(0);
    if (bin && tmp)
        alexnet_golden(bin, tmp);
    return TEST_DONE();
}
