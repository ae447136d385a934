/* half.c: bfloat16 -> float32 (binary16 lives in cmodel/half.c, where the
 * group-scaled formats need it). */
#include <string.h>

#include "io_internal.h"

static float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

float sa35_bf16_to_f32(uint16_t h)
{
    return from_bits((uint32_t)h << 16);
}
