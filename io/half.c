/* half.c: bfloat16 -> float32 (IEEE binary16 is in cmodel/half.c, declared
 * in sa35_cmodel.h, one implementation for every part). */
#include <stdint.h>
#include <string.h>

#include "io_internal.h"

float sa35_bf16_to_f32(uint16_t h)
{
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}
