/* test_sim_cli.c: the accelerator engines through the command line:
 * `sa35 gemm --engine sim` gives the golden Y byte for byte, `--engine
 * timing` the same statistics and no values, `--engine rtl` (when the RTL
 * is built) the same Y and the same TIMING counters as `--engine sim`;
 * `sa35 sim --gemm` runs a shape on every PE kind; bad input exits 1. */
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
