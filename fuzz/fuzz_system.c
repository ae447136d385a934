/* fuzz_system.c: the system file reader (systems/NAME.json) and the power
 * config read from the same file (its "power" object, `sa35 project`).
 * Asserts: an accepted system has a sane array (sizes in range, load rows
 * in 1..rows, even accumulator rows), and the weight bytes of a small GEMM
 * on it are positive. */
#include "fuzz_util.h"
#include "sa35_model.h"
#include "sa35_project.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    char *text = fuzz_text(d, n);
    sa35_system s;
    sa35_err err;
    if (sa35_system_parse(text, "system.json", &s, &err) == 0) {
        FUZZ_ASSERT(s.rows >= 1 && s.rows <= 65535 && s.cols >= 1 &&
                    s.cols <= 65535);
        FUZZ_ASSERT(s.load_rows >= 1 && s.load_rows <= s.rows);
        FUZZ_ASSERT(s.acc_rows >= 2 && s.acc_rows % 2 == 0);
        FUZZ_ASSERT(sa35_weight_bytes(&s, 64, 64) > 0);
    }
    sa35_power_cfg c;
    sa35_power_cfg_load(text, "system.json", &c, &err);
    free(text);
    return 0;
}
