/* test_cli_hardening.c: what an adversarial user tried through the sa35
 * program (issue 16): misleading messages, outputs onto inputs, writes that
 * fail or are interrupted. Each case: status 1, one line naming the file and
 * what is wrong, no output file, no temporary left. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_test_util.h"
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

int main(void)
{
    if (cli_test_init())
        return 1;
    test_weight_rank();
    test_npy_for_safetensors();
    test_asm_same_file();
    test_asm_full_disk();
    return TEST_DONE();
}
