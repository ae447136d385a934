/* test_pe_kinds.c: the PE descriptors (isa/isa_pe.c) against what the rest
 * of sa35 assumes of them: names round-trip, every code unpacks within the
 * bound, the product bound gives the psum width, and a PE row's code is the
 * W-bit field at bit W r of the format's own code stream, so the compiler
 * can copy codes from a quantized weight into tiles without knowing the
 * kind. A kind added to the table is checked by all of these. */
#include <string.h>

#include "sim_test_util.h"

static void names_and_bounds(void)
{
    const char *names = sa35_pe_names();
    for (int k = 0; k < SA35_PE_COUNT; k++) {
        const sa35_pe_desc *pe = sa35_pe_info((sa35_pe_kind)k);
        CHECK(pe && pe->name && pe->what && pe->unpack);
        sa35_pe_kind back;
        CHECK(sa35_pe_from_name(pe->name, &back) == 0 && (int)back == k);
        CHECK(sa35_pe_of_format(pe->fmt, &back) == 0 && (int)back == k);
        CHECK(sa35_pe_of_bits(sa35_pe_bits(pe), &back) == 0 && (int)back == k);
        CHECK(strstr(names, pe->name) != NULL);
        CHECK(pe->k_per_row == 1 || pe->k_per_row == 2);
        CHECK(pe->code_bits >= 1 && pe->code_bits <= 8);
        CHECK((pe->k_per_row == 2) == (pe->w_bits[1] > 0));
        /* every code: weights within w_max, one reaches it, the second 0
         * with one k a row; the bound is k_per_row x 128 x w_max */
        uint32_t most = 0;
        for (uint32_t code = 0; code < (1u << pe->code_bits); code++) {
            int8_t w[2];
            pe->unpack(code, w);
            for (uint32_t i = 0; i < 2; i++) {
                uint32_t m = (uint32_t)(w[i] < 0 ? -w[i] : w[i]);
                CHECK_MSG(m <= pe->w_max, "%s code %u: |w%u| = %u", pe->name,
                          code, i, m);
                most = m > most ? m : most;
                CHECK(i < pe->k_per_row || w[i] == 0);
                /* the weight fits its stored width, two's complement
                 * (or twice it, even: sa35's 2c is 3 bits, shifted) */
                CHECK(i >= pe->k_per_row ||
                      m <= (1u << (pe->w_bits[i] - 1)) ||
                      (m <= (2u << (pe->w_bits[i] - 1)) && (w[i] & 1) == 0));
            }
        }
        CHECK(most == pe->w_max);
        CHECK(sa35_pe_product_bound(pe) == pe->k_per_row * 128 * pe->w_max);
        /* psum width: 1 + ceil(log2(bound R + 1)) */
        sa35_arch a;
        sa35_arch_default(&a);
        a.pe = (sa35_pe_kind)k;
        for (int32_t R = 1; R <= 512; R = R * 3 + 1) {
            a.rows = R;
            int32_t bits = sa35_arch_psum_bits(&a);
            uint64_t need = (uint64_t)sa35_pe_product_bound(pe) * (uint64_t)R;
            CHECK((need >> (bits - 1)) == 0 && (need >> (bits - 2)) != 0);
        }
    }
    sa35_pe_kind k;
    CHECK(sa35_pe_from_name("int3", &k) != 0 && sa35_pe_of_bits(3, &k) != 0);
    CHECK(sa35_pe_of_format(SA35_FMT_INT3, &k) != 0);
}

/* Quantized weights of the kind's format: weight k of column n is
 * unpack(the W-bit field at W (k / k_per_row))[k % k_per_row]. */
static void code_is_the_format_field(void)
{
    uint64_t rng = 11;
    for (int k = 0; k < SA35_PE_COUNT; k++) {
        const sa35_pe_desc *pe = sa35_pe_info((sa35_pe_kind)k);
        for (int64_t K = 1; K <= 41; K += 4) {
            const int64_t N = 3;
            float w[41 * 3];
            for (int64_t i = 0; i < K * N; i++)
                w[i] = (float)test_rand_range(&rng, -1000, 1000) / 997.0f;
            sa35_fview v = {w, K, N, N, 1};
            sa35_qweights q;
            sa35_err err;
            CHECK_MSG(sa35_quantize(&v, pe->fmt, &q, &err) == 0, "%s",
                      err.msg);
            for (int64_t n = 0; n < N; n++) {
                const uint8_t *col = q.qweight + (size_t)n * q.colbytes;
                for (int32_t kk = 0; kk < q.K; kk++) {
                    uint32_t g = (uint32_t)kk / pe->k_per_row;
                    int8_t ws[2];
                    pe->unpack(sa35_stream_bits(col, pe->code_bits * g,
                                                pe->code_bits),
                               ws);
                    CHECK_MSG(ws[(uint32_t)kk % pe->k_per_row] ==
                                  sa35_qweights_code(&q, kk, (int32_t)n),
                              "%s K=%lld k=%d", pe->name, (long long)K, kk);
                }
            }
            sa35_qweights_free(&q);
        }
    }
}

int main(void)
{
    names_and_bounds();
    code_is_the_format_field();
    return TEST_DONE();
}
