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

int main(void)
{
    bin = getenv("SA35_BIN");
    tmp = getenv("SA35_TMP");
    if (!bin || !tmp) {
        fprintf(stderr, "SA35_BIN and SA35_TMP must be set (ctest does)\n");
        return 1;
    }
    test_weight_rank();
    test_npy_for_safetensors();
    return TEST_DONE();
}
