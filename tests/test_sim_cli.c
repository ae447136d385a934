/* test_sim_cli.c: the accelerator engines through the command line:
 * `sa35 gemm --engine sim` gives the golden Y byte for byte, `--engine
 * timing` the same statistics and no values, `--engine rtl` (when the RTL
 * is built) the same Y and the same TIMING counters as `--engine sim`;
 * `sa35 sim --gemm` runs a shape on every PE kind; group-scaled weights
 * (quantize --group, sim --group) the same way, and a group the array
 * cannot run is refused naming its K tile; bad input exits 1. */
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

static int run(const char *fmt, const char *bin)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, fmt, bin, bin, bin);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Whether the file holds the text. */
static int file_has(const char *path, const char *text)
{
    FILE *f = fopen(path, "r");
    char buf[4096] = "";
    if (f) {
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
    }
    return strstr(buf, text) != NULL;
}

/* The number after "key": in a JSON file, or -1. */
static double json_number(const char *path, const char *key)
{
    FILE *f = fopen(path, "r");
    char text[8192] = "";
    if (f) {
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(text, pat);
    return p ? strtod(p + strlen(pat), NULL) : -1.0;
}

int main(void)
{
    const char *bin = getenv("SA35_BIN");
    if (!bin) {
        fprintf(stderr, "SA35_BIN not set: run under CTest\n");
        return 1;
    }
    CHECK(run("%s randn --shape 77,21 -o w.npy >/dev/null && %s quantize "
              "w.npy -o wq.safetensors >/dev/null && %s randn --shape 4,77 "
              "--seed 3 -o x.npy >/dev/null",
              bin) == 0);
    CHECK(run("%s gemm wq.safetensors x.npy -o y0.npy >/dev/null", bin) ==
          0);
    CHECK(run("%s gemm wq.safetensors x.npy -o y1.npy --engine sim --array "
              "6x4 --stats s1.json >/dev/null",
              bin) == 0);
    /* the timing model computes no values: statistics only, and an -o or
     * --acc with it is refused (no file written) */
    CHECK(run("%s gemm wq.safetensors x.npy --engine timing --array 6x4 "
              "--stats s2.json >/dev/null",
              bin) == 0);
    remove("y2.npy"), remove("s2b.json"); /* from an earlier run */
    CHECK(run("%s gemm wq.safetensors x.npy -o y2.npy --engine timing "
              "--stats s2b.json 2>/dev/null",
              bin) == 1);
    CHECK(run("%s gemm wq.safetensors x.npy --engine timing 2>/dev/null",
              bin) == 1);
    CHECK(access("y2.npy", F_OK) != 0 && access("s2b.json", F_OK) != 0);
    CHECK(system("cmp -s y0.npy y1.npy") == 0);
    static const char *keys[] = {"cycles", "macs", "utilization",
                                 "stall_cycles", "weight_load_cycles",
                                 "sram_read_bytes", "dram_read_bytes"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        double a = json_number("s1.json", keys[i]);
        CHECK_MSG(a >= 0 && a == json_number("s2.json", keys[i]), "%s",
                  keys[i]);
    }
    /* 4 x 77 x 21 on 6 x 4: one MAC per (m, k, n), 4*78*21 MACs
     * (the odd K pads one pair) */
    CHECK(json_number("s1.json", "macs") == 4.0 * 78 * 21);
    CHECK(json_number("s1.json", "toggles_psum") > 0);
    CHECK(json_number("s2.json", "toggles_psum") == -1);

    /* the RTL engine, on its 4x4 model: the same bytes, and its --stats
     * (counted from the RTL's ports) agree with the simulator's; skipped
     * when the program was built without the RTL (-DSA35_RTL=OFF) */
    remove("r1.json");
    int rtl = run("%s gemm wq.safetensors x.npy -o y4.npy --engine rtl "
                  "--array 4x4 --stats r1.json >/dev/null 2>rtl.err",
                  bin);
    if (rtl == 1 && file_has("rtl.err", "not built")) {
        fprintf(stderr, "test_sim_cli: the RTL is not built: the rtl "
                        "engine's checks skipped\n");
    } else {
        CHECK(rtl == 0);
        CHECK(run("%s gemm wq.safetensors x.npy -o y5.npy --engine sim "
                  "--array 4x4 --stats r2.json >/dev/null",
                  bin) == 0);
        CHECK(system("cmp -s y0.npy y4.npy") == 0);
        static const char *rkeys[] = {"cycles", "macs", "sram_read_bytes"};
        for (size_t i = 0; i < sizeof rkeys / sizeof rkeys[0]; i++) {
            double a = json_number("r1.json", rkeys[i]);
            CHECK_MSG(a > 0 && a == json_number("r2.json", rkeys[i]), "rtl %s",
                      rkeys[i]);
        }
        CHECK(file_has("r1.json", "\"engine\":\t\"rtl\"") ||
              file_has("r1.json", "\"engine\": \"rtl\"") ||
              file_has("r1.json", "\"engine\":\"rtl\""));
        /* `sa35 sim --engine rtl` on every PE kind's 4x4 model (the
         * default models; a kind without one is skipped, said so): its
         * accumulators checked against the golden model by the command
         * (exit 0), its cycles and MACs those of the simulator */
        static const char *kinds[] = {"sa35", "int4", "int8"};
        for (int k = 0; k < 3; k++) {
            char cmd[512];
            remove("rk.json"), remove("sk.json");
            snprintf(cmd, sizeof cmd, "%s sim --gemm 3,70,9 --array 4x4 "
                     "--pe %s --engine rtl --dram-bw 5/2 --dram-latency 7 "
                     "--stats rk.json >/dev/null 2>rk.err",
                     bin, kinds[k]);
            int rc = system(cmd);
            if (rc != 0 && file_has("rk.err", "RTL model")) {
                fprintf(stderr, "test_sim_cli: no 4x4 %s RTL model built: "
                                "skipped\n", kinds[k]);
                continue;
            }
            CHECK_MSG(rc == 0, "%s", cmd);
            snprintf(cmd, sizeof cmd, "%s sim --gemm 3,70,9 --array 4x4 "
                     "--pe %s --engine sim --dram-bw 5/2 --dram-latency 7 "
                     "--stats sk.json >/dev/null",
                     bin, kinds[k]);
            CHECK_MSG(system(cmd) == 0, "%s", cmd);
            CHECK(json_number("rk.json", "cycles") > 0 &&
                  json_number("rk.json", "cycles") ==
                      json_number("sk.json", "cycles") &&
                  json_number("rk.json", "macs") ==
                      json_number("sk.json", "macs"));
        }
    }

    CHECK(run("%s sim --gemm 3,50,9 --array 4x4 --engine sim --stats "
              "s3.json >/dev/null",
              bin) == 0);
    CHECK(run("%s sim --gemm 3,50,9 --array 4x4 --stats s4.json >/dev/null",
              bin) == 0);
    CHECK(json_number("s3.json", "cycles") > 0 &&
          json_number("s3.json", "cycles") == json_number("s4.json",
                                                          "cycles"));
    /* through an off-chip memory of 3/2 bytes a cycle and 20 cycles of
     * latency: both engines, the same cycles (the simulator checks its
     * accumulators against the golden model), more than the ideal memory's */
    CHECK(run("%s sim --gemm 3,50,9 --array 4x4 --engine sim --dram-bw 3/2 "
              "--dram-latency 20 --stats s5.json >/dev/null",
              bin) == 0);
    CHECK(run("%s sim --gemm 3,50,9 --array 4x4 --dram-bw 3/2 "
              "--dram-latency 20 --stats s6.json >/dev/null",
              bin) == 0);
    CHECK(json_number("s5.json", "cycles") ==
              json_number("s6.json", "cycles") &&
          json_number("s5.json", "cycles") > json_number("s4.json", "cycles"));
    /* every PE kind: the simulator checks its accumulators against the
     * golden model (exit 0), both engines count the same cycles, and an
     * int8 PE takes twice the K tiles of a pair PE (1 k a row, not 2) */
    static const char *kinds[] = {"sa35", "int4", "int8"};
    double cyc[3][2];
    for (int k = 0; k < 3; k++)
        for (int e = 0; e < 2; e++) {
            char cmd[512];
            snprintf(cmd, sizeof cmd, "%s sim --gemm 2,130,9 --array 4x4 "
                     "--pe %s --engine %s --stats pe%d%d.json >/dev/null",
                     bin, kinds[k], e ? "timing" : "sim", k, e);
            CHECK_MSG(system(cmd) == 0, "%s", cmd);
            char path[32];
            snprintf(path, sizeof path, "pe%d%d.json", k, e);
            cyc[k][e] = json_number(path, "cycles");
        }
    for (int k = 0; k < 3; k++)
        CHECK(cyc[k][0] > 0 && cyc[k][0] == cyc[k][1]);
    CHECK(cyc[0][0] == cyc[1][0] && cyc[2][0] > cyc[0][0]);
    /* group scaling: quantize --group 640 (the 320 x 320 array's K tile)
     * and the engines: sim's Y and float32 accumulators are the golden
     * model's byte for byte (and the cpu kernels'), timing counts the
     * simulator's cycles; K = 1400 is two full groups and a partial one */
    CHECK(run("%s randn --shape 1400,40 --seed 5 -o wg.npy >/dev/null && %s "
              "quantize wg.npy -o wgq.safetensors --format sa35 --group 640 "
              ">/dev/null && %s randn --shape 3,1400 --seed 6 -o xg.npy "
              ">/dev/null",
              bin) == 0);
    CHECK(run("%s gemm wgq.safetensors xg.npy -o yg0.npy --acc ag0.npy "
              ">/dev/null && %s gemm wgq.safetensors xg.npy -o yg1.npy --acc "
              "ag1.npy --engine sim --array 320x320 --stats sg1.json "
              ">/dev/null && %s gemm wgq.safetensors xg.npy --engine timing "
              "--array 320x320 --stats sg2.json >/dev/null",
              bin) == 0);
    CHECK(run("%s gemm wgq.safetensors xg.npy -o yg3.npy --acc ag3.npy "
              "--engine cpu >/dev/null",
              bin) == 0);
    CHECK(system("cmp -s yg0.npy yg1.npy && cmp -s ag0.npy ag1.npy && cmp -s "
                 "yg0.npy yg3.npy && cmp -s ag0.npy ag3.npy") == 0);
    /* float32 accumulators (the header's dtype) */
    CHECK(system("grep -aq \"'descr': '<f4'\" ag0.npy") == 0);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        double a = json_number("sg1.json", keys[i]);
        CHECK_MSG(a > 0 && a == json_number("sg2.json", keys[i]),
                  "group %s", keys[i]);
    }
    /* 3 tiles of 320, 320 and 60 rows, each ldw.gs 4 x 40 bytes of scale
     * words more; its lane a cycle more (n + C: 640 + 640 + 380) */
    CHECK(json_number("sg1.json", "weight_load_cycles") == 1660);
    /* a group the array cannot run: the engine says so, naming the tile,
     * exit 1, no output */
    CHECK(run("%s quantize wg.npy -o wgq2.safetensors --group 1280 "
              ">/dev/null",
              bin) == 0);
    remove("yg4.npy");
    CHECK(run("%s gemm wgq2.safetensors xg.npy -o yg4.npy --engine sim "
              "--array 320x320 2>gerr.txt",
              bin) == 1);
    CHECK(access("yg4.npy", F_OK) != 0);
    CHECK(file_has("gerr.txt", "group size 1280 does not fit the 320x320 "
                               "array's K-tile of 640 k-values (2 per PE "
                               "row x 320 rows): G must be at most 640 and "
                               "a multiple of 2"));
    CHECK(run("%s gemm wgq2.safetensors xg.npy --engine timing --array "
              "8x8 --stats sg5.json 2>gerr2.txt",
              bin) == 1);
    CHECK(access("sg5.json", F_OK) != 0 &&
          file_has("gerr2.txt", "the 8x8 array's K-tile of 16 k-values"));
    /* `sa35 sim --group`: G = 2R and G < 2R on every PE kind, the sim
     * checked against the golden model (exit 0), the timing model's
     * cycles; a short group costs cycles (the ldw.gs wait) */
    double gcyc[3][2][2];
    for (int k = 0; k < 3; k++)
        for (int g = 0; g < 2; g++)
            for (int e = 0; e < 2; e++) {
                char cmd[512], path[32];
                snprintf(path, sizeof path, "g%d%d%d.json", k, g, e);
                snprintf(cmd, sizeof cmd, "%s sim --gemm 3,200,9 --array "
                         "16x4 --pe %s --group %d --engine %s --stats %s "
                         ">/dev/null",
                         bin, kinds[k], g ? 16 : k == 2 ? 16 : 32,
                         e ? "timing" : "sim", path);
                CHECK_MSG(system(cmd) == 0, "%s", cmd);
                gcyc[k][g][e] = json_number(path, "cycles");
            }
    for (int k = 0; k < 3; k++)
        for (int g = 0; g < 2; g++)
            CHECK(gcyc[k][g][0] > 0 && gcyc[k][g][0] == gcyc[k][g][1]);
    CHECK(gcyc[0][1][0] > gcyc[0][0][0]); /* 8 rows of 16: waits */
    CHECK(run("%s sim --gemm 3,200,9 --array 16x4 --group 48 2>/dev/null",
              bin) == 1);
    CHECK(run("%s sim --gemm 3,200,9 --group 40 2>/dev/null", bin) == 1);
    CHECK(run("%s quantize wg.npy -o wgq3.safetensors --group 0 "
              "2>/dev/null",
              bin) == 1);
    CHECK(run("%s sim --gemm 3,50,9 --pe int2 2>/dev/null", bin) == 1);
    CHECK(run("%s sim --gemm 3,50,9 --dram-bw 3/0 2>/dev/null", bin) == 1);
    CHECK(run("%s sim --gemm 3,50,9 --dram-bw -4 2>/dev/null", bin) == 1);
    CHECK(run("%s sim --gemm 3,50,9 --dram-latency 9 2>/dev/null", bin) == 1);
    CHECK(run("%s sim --gemm 3,50 2>/dev/null", bin) == 1);
    CHECK(run("%s sim --gemm 3,50,9 --array 4x 2>/dev/null", bin) == 1);
    CHECK(run("%s sim --gemm 3,50,9 --engine rtl 2>/dev/null", bin) == 1);
    CHECK(run("%s gemm wq.safetensors x.npy -o y3.npy --engine sim --array "
              "0x4 2>/dev/null",
              bin) == 1);
    return TEST_DONE();
}
