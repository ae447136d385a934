/* test_cli_hardening.c: what an adversarial user tried through the sa35
 * program (issue 16): misleading messages, outputs onto inputs, writes that
 * fail or are interrupted. Each case: status 1, one line naming the file and
 * what is wrong, no output file, no temporary left. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_test_util.h"
#include "sa35_isa.h"
#include "test_util.h"

/* A 3-D .npy weight is reported with its rank (it used to say 0-D: the
 * array was freed before the message). */
static void test_weight_rank(void)
{
    float v[2 * 3 * 4] = {0};
    write_f32("w3.npy", 3, (int64_t[]){2, 3, 4}, v);
    EXPECT_FAIL("quantize w3.npy -o q3.safetensors", "q3.safetensors",
                "w3.npy: weight must be 2-D (K x N), got 3-D");
    EXPECT_FAIL("stats w3.npy", "none", "w3.npy", "got 3-D");
}

/* A .npy given where a safetensors file goes is named as such. */
static void test_npy_for_safetensors(void)
{
    float v[4] = {1, 2, 3, 4};
    write_f32("w2.npy", 2, (int64_t[]){2, 2}, v);
    EXPECT_FAIL("dequant w2.npy -o d.npy", "d.npy",
                "w2.npy: is a .npy file, not safetensors");
}

static const char prog[] =
    "dma.ld dram=0x1000 sram=0x0 bytes=64\n"
    "dma.ld dram=0x0 sram=0x100 bytes=21\n"
    "ldw sram=0x100 rows=3 cols=8\n"
    "mm.first.last.swap sram=0x0 stride=8 m=4 acc=0\n"
    "scl sa=0x200 s=0x210 z=0x230\n"
    "out.scale sram=0x300 stride=32 rows=4 cols=8 acc=0\n"
    "sync\n"
    "dma.st dram=0x2000 sram=0x300 bytes=128\n";

/* `asm` and `disasm` refuse an output that is their input (the same path,
 * another spelling of it, a link to it) and leave the input as it was. */
static void test_asm_same_file(void)
{
    write_bytes("p.s", prog, strlen(prog));
    CHECK(run("asm p.s -o p.bin") == 0);
    const char *same[] = {"asm p.s -o p.s", "asm p.s -o ./p.s",
                          "asm ./p.s -o p.s", "asm p.s -o link.s",
                          "disasm p.bin -o p.bin"};
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "ln -sf p.s '%s'", path_of("link.s"));
    CHECK(system(cmd) == 0);
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        EXPECT_FAIL(same[i], "none", "the output is the input",
                    "(the same file)");
        CHECK(strcmp(slurp("p.s"), prog) == 0);
    }
    CHECK(strncmp(slurp("p.bin"), "SA35", 4) == 0);
    remove(path_of("link.s"));
}

/* A full disk (a 100-byte file size limit; the binary is 144 bytes): no
 * file at all under the output name, and the reason in the message. */
static void test_asm_full_disk(void)
{
    write_bytes("p.s", prog, strlen(prog));
    remove(path_of("full.bin"));
    CHECK(run_fsize("asm p.s -o full.bin", 100) == 1);
    const char *e = slurp("err.txt");
    CHECK_MSG(strstr(e, "full.bin: cannot write: File too large") &&
                  strchr(e, '\n') == e + strlen(e) - 1,
              "%s", e);
    CHECK(!exists("full.bin") && temp_files_left() == 0);
    CHECK(run_fsize("disasm p.s -o full.s", 100) == 1);
    CHECK_MSG(strstr(slurp("err.txt"), "full.s: cannot write: File too "
                                       "large"), "%s", slurp("err.txt"));
    CHECK(!exists("full.s") && temp_files_left() == 0);
}

/* The whole file, or NULL; *n its size. */
static unsigned char *file_bytes(const char *name, size_t *n)
{
    FILE *f = fopen(path_of(name), "rb");
    unsigned char *b = f ? malloc(1 << 16) : NULL;
    *n = b ? fread(b, 1, 1 << 16, f) : 0;
    if (f)
        fclose(f);
    return b;
}

/* A command whose output is one of its inputs fails and leaves that input
 * byte for byte as it was. */
static void expect_input_kept(const char *args, const char *input,
                              const char *want)
{
    size_t n0, n1;
    unsigned char *before = file_bytes(input, &n0);
    EXPECT_FAIL(args, "none", want);
    unsigned char *after = file_bytes(input, &n1);
    CHECK_MSG(before && after && n0 == n1 && memcmp(before, after, n0) == 0,
              "%s changed %s", args, input);
    free(before);
    free(after);
}

/* quantize -o onto its input, gemm's -o, --acc or --stats onto W or X,
 * dequant -o onto WQ (each used to overwrite the input and exit 0), and
 * two of gemm's outputs on one file (the second replaced the first). */
static void test_output_is_input(void)
{
    float v[32 * 16];
    for (int i = 0; i < 32 * 16; i++)
        v[i] = (float)((i * 37) % 23) - 11.0f;
    write_f32("wi.npy", 2, (int64_t[]){32, 16}, v);
    write_f32("xi.npy", 2, (int64_t[]){2, 32}, v);
    CHECK(run("quantize wi.npy -o wqi.safetensors") == 0);
    const char *same = "the output is the input";
    expect_input_kept("quantize wi.npy -o wi.npy", "wi.npy", same);
    expect_input_kept("quantize ./wi.npy -o wi.npy", "wi.npy", same);
    expect_input_kept("gemm wqi.safetensors xi.npy -o xi.npy", "xi.npy",
                      same);
    expect_input_kept("gemm wqi.safetensors xi.npy -o y.npy --acc "
                      "wqi.safetensors",
                      "wqi.safetensors", same);
    expect_input_kept("gemm wqi.safetensors xi.npy -o y.npy -s xi.npy",
                      "xi.npy", same);
    expect_input_kept("dequant wqi.safetensors -o wqi.safetensors",
                      "wqi.safetensors", same);
    EXPECT_FAIL("gemm wqi.safetensors xi.npy -o y.npy --acc ./y.npy", "y.npy",
                "./y.npy: given as two outputs");
    expect_input_kept("gemm wqi.safetensors xi.npy -o y.npy --engine rtl "
                      "--array 4x4 --trace xi.npy",
                      "xi.npy", same);
    /* and the outputs that are not inputs are still written */
    CHECK(run("gemm wqi.safetensors xi.npy -o y.npy --acc acc.npy") == 0);
    CHECK(exists("y.npy") && exists("acc.npy"));
}

/* Integer options through the strict parser: text strtol took (spaces,
 * '+', trailing text) or wrapped (2^32 + 1 became --load-rows 1) is
 * refused, naming the option and the text. */
static void test_strict_integers(void)
{
    static const struct {
        const char *args, *want;
    } bad[] = {
        {"sim --gemm 8,8,8 --load-rows 4294967297",
         "--load-rows must be an integer in 1..65535, got '4294967297'"},
        {"sim --gemm 8,8,8 --array ' 4x+4'", "bad --array ' 4x+4'"},
        {"sim --gemm 8,8,8 --array '4x4 '", "bad --array '4x4 '"},
        {"sim --gemm '8,+8,8'", "bad --gemm '8,+8,8'"},
        {"sim --gemm ' 8,8,8'", "bad --gemm ' 8,8,8'"},
        {"sim --gemm 9223372036854775808,8,8",
         "bad --gemm '9223372036854775808,8,8'"},
        {"sim --gemm 8,8,8,", "bad --gemm '8,8,8,'"},
        {"sim --gemm 8,8,8 --dram-latency ' 3'", "--dram-latency must be"},
        {"sim --gemm 8,8,8 --dram-bw 5/+2", "bad --dram-bw '5/+2'"},
        {"sim --gemm 8,8,8 --seed 18446744073709551616",
         "--seed must be an integer in 0..2^64-1"},
        {"sim --gemm 8,8,8 --group 16x", "--group must be a positive integer, "
                                         "got '16x'"},
        {"quantize wi.npy -o q.safetensors --group +16",
         "--group must be a positive integer, got '+16'"},
        {"gemm wqi.safetensors xi.npy -o y.npy --engine cpu --threads ' 2'",
         "--threads must be an integer in 1..4096, got ' 2'"},
        {"gemm wqi.safetensors xi.npy -o y.npy --engine sim --array 4x+4",
         "bad --array '4x+4'"},
        {"sim --gemm 8,8,8 --max-memory 8X", "--max-memory must be a byte "
                                             "count"},
        {"sim --gemm 8,8,8 --max-memory 8388608T", "got '8388608T'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        EXPECT_FAIL(bad[i].args, "none", bad[i].want);
}

/* A GEMM whose plan passes the off-chip address space is refused with its
 * figure (2^40 x 64 x 64: 2^46 + 8960 + 2^48 bytes, derived in
 * test_sim_equal), and one past 63 bits without wrapping (2^62 rows used
 * to wrap M x K and fail allocating 2^27 instructions). */
static void test_sim_huge_m(void)
{
    EXPECT_FAIL("sim --gemm 1099511627776,64,64", "none",
                "needs 351843720897280 bytes off-chip");
    EXPECT_FAIL("sim --gemm 4611686018427387904,64,64", "none",
                "needs more than 2^63 bytes off-chip");
    EXPECT_FAIL("sim --gemm 64,64,9223372036854775807", "none",
                "needs more than 2^63 bytes off-chip");
}

/* The plan's memory against --max-memory, before anything is allocated.
 * M = 2^36, K = N = 64 on 320x320: M blocks of 4096 / 2 rows, 2^25 of
 * them, one column tile and one K tile, so T = 2^25 tiles and 3T + 2^25 +
 * 2 x 2^25 = 6 x 2^25 instructions (a dma.ld, ldw and mm a tile; a dma.ld
 * a block; an out and dma.st an output tile). 8,8,8: 6 instructions. */
static void test_memory_budget(void)
{
    char want[256];
    const unsigned long long n = 6ull << 25, b = n * sizeof(sa35_instr);
    snprintf(want, sizeof want, "needs %llu bytes (program %llu: %llu "
                                "instructions; memory images 0; data 0), "
                                "more than the budget of 8589934592 bytes",
             b, b, n);
    EXPECT_FAIL("sim --gemm 68719476736,64,64 --max-memory 8G", "s.json",
                "GEMM 68719476736x64x64 on the timing engine", want,
                "--max-memory");
    const size_t small = 6 * sizeof(sa35_instr);
    char args[128];
    snprintf(args, sizeof args, "sim --gemm 8,8,8 --max-memory %zu -s s.json",
             small - 1);
    snprintf(want, sizeof want, "needs %zu bytes (program %zu: 6 "
                                "instructions", small, small);
    EXPECT_FAIL(args, "s.json", want);
    snprintf(args, sizeof args, "sim --gemm 8,8,8 --max-memory %zu", small);
    CHECK(run(args) == 0);
    /* an engine with data adds its memory images and the random data:
     * A 8 x 8, float weights 8 x 8 x 4 and codes of at most 8 x 8, a scale
     * and zero per column 8 x 8, acc and golden 2 x 8 x 8 x 4 */
    snprintf(want, sizeof want, "; data %d)", 64 + 256 + 64 + 64 + 512);
    EXPECT_FAIL("sim --gemm 8,8,8 --engine sim --max-memory 1K", "none",
                "on the sim engine needs", want);
    /* gemm weighs the engine's program and images the same way */
    EXPECT_FAIL("gemm wqi.safetensors xi.npy -s s.json --engine timing "
                "--max-memory 100",
                "s.json", "GEMM 2x32x16 on the timing engine needs");
    CHECK(run("gemm wqi.safetensors xi.npy -s s.json --engine timing "
              "--max-memory 1M") == 0);
}

/* A cycle-accurate run the timing model predicts at more than 1e11
 * PE-cycles asks for --force, with the timing model's own figure. */
static void test_force(void)
{
    CHECK(run("sim --gemm 8192,8192,8192 -s big.json") == 0);
    const char *c = strstr(slurp("big.json"), "\"cycles\":");
    unsigned long long cycles = 0;
    CHECK(c && sscanf(c + 9, " %llu", &cycles) == 1 && cycles > 0);
    char want[128];
    snprintf(want, sizeof want, "would simulate %.3g PE-cycles (the timing "
                                "model's %llu cycles x 320x320 PEs",
             (double)cycles * 320 * 320, cycles);
    CHECK((double)cycles * 320 * 320 > 1e11);
    EXPECT_FAIL("sim --gemm 8192,8192,8192 --engine sim -s s.json", "s.json",
                want, "more than 1e+11", "--force runs it anyway");
    CHECK(run("sim --gemm 64,64,64 --engine sim --force") == 0);
    CHECK(run("gemm wqi.safetensors xi.npy -o y.npy --engine sim --force") ==
          0);
}

/* An engine that cannot run a PE kind says which engine and which kind
 * (no RTL model of a 3x5 array is built, whatever SA35_RTL says; it used
 * to name only the array, or only that the RTL is not built). */
static void test_pe_kind_engine(void)
{
    EXPECT_FAIL("sim --gemm 8,8,8 --pe int8 --engine rtl --array 3x5", "none",
                "the rtl engine", "3x5 array of int8 PEs");
    CHECK(run("quantize wi.npy --format int8 -o w8.safetensors") == 0);
    EXPECT_FAIL("gemm w8.safetensors xi.npy -o y8.npy --engine rtl --array "
                "3x5",
                "y8.npy", "the rtl engine", "3x5 array of int8 PEs");
}

int main(void)
{
    if (cli_test_init())
        return 1;
    test_weight_rank();
    test_npy_for_safetensors();
    test_asm_same_file();
    test_asm_full_disk();
    test_output_is_input();
    test_strict_integers();
    test_sim_huge_m();
    test_memory_budget();
    test_force();
    test_pe_kind_engine();
    return TEST_DONE();
}
