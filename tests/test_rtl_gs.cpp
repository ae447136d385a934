/* test_rtl_gs.cpp: group scaling on the RTL (docs/format.md, "Group
 * scaling"; docs/architecture.md, "The scale row"; docs/rtl.md), on every
 * model built into the rtl engine, without the compiler: the test writes
 * its own programs.
 *
 *   GEMMs   a group-scaled GEMM of M x K x N with the group G the K-tile
 *           (G = k_per_row R, and smaller G: tiles of G / k_per_row rows,
 *           the scale row's wait rule between them; K not a multiple of G,
 *           N not a multiple of C, tiles of fewer columns), written as one
 *           ldw.gs + mm.gs.swap per (column tile, group) and an out.fp per
 *           column tile, run on the RTL; the float32 accumulator words it
 *           writes must equal the golden model's (sa35_gemm_acc) bit for
 *           bit, and its weight_load_cycles must be n + C per ldw.gs.
 *           Scales and zeros are binary16 values of every kind: typical
 *           ones, subnormals, zeros of both signs, the largest, and z rsum
 *           cancelling s psum. G need not be a multiple of 16 here (the
 *           format's rule, not the datapath's: the 4 x 4 arrays have tiles
 *           of 8 k-values); the golden model computes any G the same way.
 *   scaled  out.fp.scale, Y = fl(sa acc), against the golden output stage
 *           (sa35_gemm_output).
 *   plain   the same programs without .gs (plain ldw, mm and out, int32
 *           accumulators against the golden per-column model; out.scale).
 *   sim     each of these programs also on the cycle-accurate simulator:
 *           the same SRAM, cycles and TIMING counters.
 *   compiled  group-scaled GEMMs through the compiler (sa35_rtl_gemm, G
 *           the K-tile and smaller, ragged shapes) against the golden
 *           model and the simulator's GEMM (sa35_sim_gemm_group:
 *           accumulators and every TIMING counter); a G deeper than the
 *           K-tile refused with the compiler's message.
 *   timing  hand-derived cycle counts of the ldw.gs rules on 4 x 4 (the
 *           lane busy for the scale words, t >= Sp + R + 1 - n), next to
 *           the plain program's count on the cycle-accurate simulator.
 */
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "rtl_internal.h"
#include "sa35_sim.h"
#include "test_util.h"

static int runs;
static uint64_t rng = 1235;
static uint64_t rnd() { return test_rand_u64(&rng); }
static uint32_t pick(uint32_t lo, uint32_t hi)
{
    return (uint32_t)test_rand_range(&rng, lo, hi);
}

/* A binary16 scale or zero: mostly of a quantizer's size, sometimes a
 * subnormal, a zero of either sign, the largest, or any finite value. */
static float random_half(bool positive)
{
    uint16_t h;
    switch (pick(0, 9)) {
    case 0: h = (uint16_t)pick(1, 0x3FF); break;          /* subnormal  */
    case 1: h = 0; break;
    case 2: h = 0x8000; break;
    case 3: h = 0x7BFF; break;                            /* 65504      */
    case 4:
        do
            h = (uint16_t)rnd();
        while (((h >> 10) & 0x1F) == 0x1F);
        break;
    default: /* 2^-12 .. 2^-1 */
        h = (uint16_t)(pick(3, 14) << 10 | pick(0, 0x3FF));
        break;
    }
    if (positive)
        h &= 0x7FFF;
    else if (rnd() & 1)
        h ^= 0x8000;
    return sa35_f16_to_f32(h);
}

/* K x N weights of the PE kind's format in groups of G (any G: the format
 * allows multiples of 16 only, but the golden model's arithmetic is the
 * same for every G). */
static void make_weights(const sa35_pe_desc *pe, int64_t K, int64_t N,
                         int64_t G, sa35_qweights *q)
{
    sa35_err err;
    if (sa35_qweights_alloc(q, pe->fmt, K, N, &err))
        abort();
    q->group = (int32_t)G;
    q->ngroups = (int32_t)((K + G - 1) / G);
    free(q->scale);
    free(q->zero);
    q->scale = (float *)calloc((size_t)(N * q->ngroups), sizeof(float));
    q->zero = (float *)calloc((size_t)(N * q->ngroups), sizeof(float));
    const uint32_t W = pe->code_bits, kpr = pe->k_per_row;
    for (int64_t n = 0; n < N; n++) {
        for (int64_t g = 0; (int64_t)kpr * g < K; g++) {
            uint32_t code;
            int8_t w[2];
            do { /* weights past K are 0, as the formats pad */
                code = pick(0, (1u << W) - 1);
                w[0] = w[1] = 0;
                pe->unpack(code, w);
            } while (kpr == 2 && 2 * g + 1 >= K && w[1] != 0);
            sa35_stream_store(q->qweight + (size_t)n * q->colbytes,
                              W * (uint32_t)g, W, code);
        }
        for (int32_t g = 0; g < q->ngroups; g++) {
            size_t i = (size_t)n * (size_t)q->ngroups + (size_t)g;
            q->scale[i] = random_half(true);
            /* INT8 is symmetric: no zero */
            q->zero[i] = pe->fmt == SA35_FMT_INT8 ? 0.0f : random_half(false);
        }
    }
}

/* The SRAM image and program of a group-scaled GEMM: activations at 0
 * (M rows of KT G bytes, zero past K), then per column tile nt and group
 * kt the weight tile (n rows of ceil(W cols / 8) bytes, then its 4 cols
 * bytes of scale words s | z << 16), then the output (M rows of 4 N
 * bytes); each column tile's out follows its last mm, in the other
 * accumulator bank than the next tile's. Plain tiles (gs false) have no
 * scale words and int32 rows. */
struct gemm_image {
    std::vector<uint8_t> sram;
    sa35_program prog;
    uint32_t out;     /* where the output rows are */
    uint64_t ldw_cycles; /* weight_load_cycles: n + C per ldw.gs */
};

/* The first TIMING counter where the RTL's statistics differ from the
 * simulator's, as ", name sim X rtl Y" in buf ("" when none does). */
static const char *timing_diff(const sa35_stats *rtl, const sa35_stats *sim,
                               char *buf, size_t n)
{
    const sa35_stat_desc *d = sa35_stats_diff(rtl, sim, SA35_STAT_TIMING);
    buf[0] = 0;
    if (d)
        snprintf(buf, n, ", %s sim %llu rtl %llu", d->name,
                 (unsigned long long)sa35_stat_value(sim, d),
                 (unsigned long long)sa35_stat_value(rtl, d));
    return buf;
}

static void push(sa35_program *p, const sa35_instr *in)
{
    sa35_err err;
    if (sa35_program_push(p, in, &err))
        abort();
}

static void gs_image(const sa35_arch *a, const int8_t *A, int64_t M,
                     const sa35_qweights *q, bool gs, const float *sa,
                     gemm_image *im)
{
    const sa35_pe_desc *pe = sa35_arch_pe(a);
    const uint32_t W = pe->code_bits, kpr = pe->k_per_row;
    const int64_t K = q->K, N = q->N, C = a->cols;
    const int64_t G = gs ? q->group : kpr * a->rows;
    const int64_t KT = (K + G - 1) / G, NT = (N + C - 1) / C;
    const uint32_t stride = (uint32_t)(KT * G);
    im->sram.assign((size_t)(M * stride), 0);
    for (int64_t m = 0; m < M; m++)
        memcpy(&im->sram[(size_t)(m * stride)], A + m * K, (size_t)K);
    memset(&im->prog, 0, sizeof im->prog);
    im->ldw_cycles = 0;
    const uint32_t half = (uint32_t)a->acc_rows / 2;
    im->out = (uint32_t)im->sram.size();
    im->sram.resize(im->out + (size_t)(M * 4 * N), 0);
    /* with sa: the scale arrays sa[M], s[N], z[N] (s, z: the per-column
     * scales of a plain GEMM; out.fp.scale does not read them) */
    const uint32_t scl = (uint32_t)im->sram.size();
    if (sa) {
        im->sram.resize(scl + 4 * (size_t)(M + 2 * N), 0);
        memcpy(&im->sram[scl], sa, 4 * (size_t)M);
        for (int64_t n = 0; n < N; n++) {
            memcpy(&im->sram[scl + 4 * (size_t)(M + n)],
                   &q->scale[(size_t)n * (size_t)q->ngroups], 4);
            memcpy(&im->sram[scl + 4 * (size_t)(M + N + n)],
                   &q->zero[(size_t)n * (size_t)q->ngroups], 4);
        }
    }
    for (int64_t nt = 0; nt < NT; nt++) {
        const uint32_t cols = (uint32_t)(N - nt * C < C ? N - nt * C : C);
        const uint32_t rowbytes = (W * cols + 7) / 8;
        for (int64_t kt = 0; kt < KT; kt++) {
            const int64_t k0 = kt * G, kn = K - k0 < G ? K - k0 : G;
            const uint32_t rows = (uint32_t)((kn + kpr - 1) / kpr);
            const uint32_t at = (uint32_t)im->sram.size();
            im->sram.resize(at + rows * rowbytes + (gs ? 4 * cols : 0), 0);
            for (uint32_t r = 0; r < rows; r++)
                for (uint32_t c = 0; c < cols; c++) {
                    const uint8_t *col =
                        q->qweight + (size_t)(nt * C + c) * q->colbytes;
                    uint32_t code = sa35_stream_bits(
                        col, W * (uint32_t)(k0 / kpr + r), W);
                    sa35_stream_store(&im->sram[at + r * rowbytes], W * c, W,
                                      code);
                }
            for (uint32_t c = 0; gs && c < cols; c++) {
                uint32_t n = (uint32_t)(nt * C + c), g = (uint32_t)kt;
                uint32_t word =
                    sa35_f32_to_f16(sa35_qweights_scale(q, g, n)) |
                    (uint32_t)sa35_f32_to_f16(sa35_qweights_zero(q, g, n))
                        << 16;
                memcpy(&im->sram[at + rows * rowbytes + 4 * c], &word, 4);
            }
            sa35_instr in;
            memset(&in, 0, sizeof in);
            in.op = SA35_OP_LDW;
            in.flags = gs ? SA35_LDW_GS : 0;
            in.sram = at, in.rows = rows, in.cols = cols;
            push(&im->prog, &in);
            im->ldw_cycles += rows + (uint64_t)C - (gs ? 0 : 1);
            memset(&in, 0, sizeof in);
            in.op = SA35_OP_MM;
            in.flags = (uint8_t)(SA35_MM_SWAP | (kt == 0 ? SA35_MM_FIRST : 0) |
                                 (kt == KT - 1 ? SA35_MM_LAST : 0) |
                                 (gs ? SA35_MM_GS : 0));
            in.sram = (uint32_t)k0, in.stride = stride;
            in.m = (uint32_t)M, in.acc = (uint32_t)(nt % 2) * half;
            push(&im->prog, &in);
        }
        sa35_instr in;
        memset(&in, 0, sizeof in);
        if (sa) {
            in.op = SA35_OP_SCL;
            in.sa = scl;
            in.s = scl + 4 * (uint32_t)(M + nt * C);
            in.z = scl + 4 * (uint32_t)(M + N + nt * C);
            push(&im->prog, &in);
            memset(&in, 0, sizeof in);
        }
        in.op = SA35_OP_OUT;
        in.flags = (uint8_t)((gs ? SA35_OUT_FP : 0) |
                             (sa ? SA35_OUT_SCALE : 0));
        in.sram = im->out + (uint32_t)(4 * nt * C);
        in.stride = (uint32_t)(4 * N);
        in.rows = (uint32_t)M, in.cols = cols;
        in.acc = (uint32_t)(nt % 2) * half;
        push(&im->prog, &in);
    }
}

/* Run it on the RTL; the accumulator words against the golden model, or
 * with `scaled` the float32 outputs (out.scale, out.fp.scale) against its
 * output stage (sa35_gemm_output). */
static void gs_gemm(const sa35_arch *a0, int64_t M, int64_t K, int64_t N,
                    int64_t G, bool gs = true, bool scaled = false)
{
    const sa35_pe_desc *pe = sa35_arch_pe(a0);
    sa35_arch a = *a0;
    sa35_qweights q;
    make_weights(pe, K, N, G, &q);
    std::vector<int8_t> A((size_t)(M * K));
    for (auto &v : A)
        v = (int8_t)pick(0, 255);
    if (pick(0, 3) == 0) /* the corner: -128 everywhere */
        for (auto &v : A)
            v = -128;
    std::vector<int32_t> want((size_t)(M * N)), rsum((size_t)M);
    if (!gs) { /* per column: group 0's scale and zero (float32 values) */
        for (int64_t n = 0; n < N; n++) {
            q.scale[n] = q.scale[(size_t)n * (size_t)q.ngroups];
            q.zero[n] = q.zero[(size_t)n * (size_t)q.ngroups];
        }
        q.group = 0, q.ngroups = 1;
    }
    sa35_gemm_acc(A.data(), M, &q, want.data(), rsum.data());
    std::vector<float> sa((size_t)M), Y((size_t)(M * N));
    for (auto &v : sa)
        v = std::ldexp((float)pick(1, 1 << 20), -(int)pick(20, 30));
    if (scaled) { /* compare the outputs' bits instead */
        sa35_gemm_output(M, &q, sa.data(), rsum.data(), want.data(),
                         Y.data());
        memcpy(want.data(), Y.data(), 4 * (size_t)(M * N));
    }
    gemm_image im;
    gs_image(&a, A.data(), M, &q, gs, scaled ? sa.data() : NULL, &im);
    a.sram_bytes = (uint32_t)im.sram.size();
    a.dram_bytes = 64;
    std::vector<uint8_t> dram(64);
    /* the same program on the cycle-accurate simulator */
    std::vector<uint8_t> ssram = im.sram, sdram = dram;
    sa35_mem smem = {sdram.data(), sdram.size(), ssram.data(), ssram.size()};
    sa35_stats sst;
    sa35_err serr;
    int src = sa35_sim_run(&a, &im.prog, smem, NULL, &sst, &serr);
    sa35_mem mem = {dram.data(), dram.size(), im.sram.data(), im.sram.size()};
    sa35_stats st;
    sa35_err err;
    runs++;
    int rc = sa35_rtl_run(&a, &im.prog, mem, NULL, &st, &err);
    char diff[160] = "";
    if (!rc && !src)
        timing_diff(&st, &sst, diff, sizeof diff);
    if (!rc && !src && !diff[0] && ssram != im.sram)
        snprintf(diff, sizeof diff, ", SRAM differs from the sim's");
    if (src)
        snprintf(diff, sizeof diff, ", sim: %.120s", serr.msg);
    int bad = 0;
    for (int64_t i = 0; !rc && i < M * N && !bad; i++) {
        int32_t got;
        memcpy(&got, &im.sram[im.out + 4 * (size_t)i], 4);
        if (got != want[(size_t)i]) {
            bad = 1;
            if (test_failures < 10)
                fprintf(stderr, "  first difference: m %lld n %lld: rtl "
                                "0x%08x (%a), golden 0x%08x (%a)\n",
                        (long long)(i / N), (long long)(i % N),
                        (unsigned)got, (double)sa35_acc_float(got),
                        (unsigned)want[(size_t)i],
                        (double)sa35_acc_float(want[(size_t)i]));
        }
    }
    if ((rc || bad || st.weight_load_cycles != im.ldw_cycles || diff[0]) &&
        test_failures++ < 10)
        fprintf(stderr, "%dx%d L=%d %s: %s%s GEMM M=%lld K=%lld N=%lld "
                        "G=%lld (%zu instructions): %s, weight_load_cycles "
                        "%llu (want %llu)%s\n",
                a.rows, a.cols, a.load_rows, pe->name,
                gs ? "group-scaled" : "plain", scaled ? ", scaled," : "",
                (long long)M, (long long)K,
                (long long)N, (long long)G, im.prog.count,
                rc ? err.msg : bad ? "accumulators differ" : "ok",
                (unsigned long long)st.weight_load_cycles,
                (unsigned long long)im.ldw_cycles, diff);
    sa35_program_free(&im.prog);
    sa35_qweights_free(&q);
}

/* A group-scaled GEMM through the compiler (sa35_rtl_gemm, groups of G):
 * the accumulators against the golden model, the counters against the
 * simulator's GEMM (sa35_sim_gemm_group); a G the array cannot run is
 * refused by both. */
static void compiled_gemm(const sa35_arch *a, int64_t M, int64_t K,
                          int64_t N, int64_t G)
{
    const sa35_pe_desc *pe = sa35_arch_pe(a);
    sa35_qweights q;
    make_weights(pe, K, N, G, &q);
    std::vector<int8_t> A((size_t)(M * K));
    for (auto &v : A)
        v = pick(0, 5) ? (int8_t)pick(0, 255) : (int8_t)-128;
    std::vector<int32_t> want((size_t)(M * N)), got((size_t)(M * N)),
        simacc((size_t)(M * N));
    sa35_gemm_acc(A.data(), M, &q, want.data(), NULL);
    sa35_stats rt, st;
    sa35_err err, serr;
    runs++;
    sa35_err fit;
    const bool fits = sa35_gemm_group_fits(a, K, G, &fit) == 0;
    int rc = sa35_rtl_gemm(a, A.data(), M, &q, got.data(), NULL, &rt, &err);
    int src = sa35_sim_gemm_group(a, sa35_engine_find("sim"), M, K, N, G,
                                  A.data(), &q, simacc.data(), NULL, &st,
                                  &serr);
    char diff[160] = "";
    const char *why = "";
    if (!fits) {
        if (!rc || !src || !strstr(err.msg, fit.msg))
            why = "a G the array cannot run was not refused as the compiler "
                  "refuses it";
    } else if (rc || src) {
        why = rc ? err.msg : serr.msg;
    } else if (want != got) {
        why = "accumulators differ from the golden model";
    } else if (simacc != got) {
        why = "accumulators differ from the simulator's";
    } else if (timing_diff(&rt, &st, diff, sizeof diff)[0]) {
        why = "counters differ";
    }
    if (why[0] && test_failures++ < 10)
        fprintf(stderr, "%dx%d L=%d %s: compiled GEMM M=%lld K=%lld N=%lld "
                        "G=%lld: %s%s\n",
                a->rows, a->cols, a->load_rows, pe->name, (long long)M,
                (long long)K, (long long)N, (long long)G, why, diff);
    sa35_qweights_free(&q);
}

/* ---------------------------------------------------------------- timing */
static uint64_t cycles_of(const sa35_arch *a, const char *text, bool rtl)
{
    sa35_program p;
    sa35_err err;
    if (sa35_program_parse(text, &p, &err)) {
        fprintf(stderr, "parse: %s\n", err.msg);
        test_failures++;
        return 0;
    }
    std::vector<uint8_t> sram(a->sram_bytes), dram(a->dram_bytes);
    for (auto &b : sram)
        b = (uint8_t)rnd();
    /* scale words: small binary16 s and z */
    for (uint32_t off = 512; off < 1024; off += 4) {
        uint32_t w = 0x2C00u | 0xAC00u << 16;
        memcpy(&sram[off], &w, 4);
    }
    sa35_mem mem = {dram.data(), dram.size(), sram.data(), sram.size()};
    sa35_stats st;
    int rc = rtl ? sa35_rtl_run(a, &p, mem, NULL, &st, &err)
                 : sa35_sim_run(a, &p, mem, NULL, &st, &err);
    sa35_program_free(&p);
    if (rc) {
        fprintf(stderr, "%s: %s\n", rtl ? "rtl" : "sim", err.msg);
        test_failures++;
        return 0;
    }
    return st.cycles;
}

/* On 4 x 4: (ldw, mm.swap) twice, the second ldw of n rows. Plain: the
 * second ldw issues when its lane is free, X0 + n. With .gs the lane
 * reads the scale words one cycle more (free at X0 + n + 1) and the
 * second ldw.gs waits for t >= S0 + R + 1 - n; the second mm.swap follows
 * it, and the out waits for the mm's end S1 + M + R + C - 1, its row
 * leaving one cycle later. */
static void timing_case(const sa35_arch *a, uint32_t n, uint64_t want_plain,
                        uint64_t want_gs)
{
    char plain[1024], gs[1024];
    const char *fmt = "ldw%s sram=512 rows=%u cols=4\n"
                      "mm%s.first.swap sram=0 stride=8 m=1 acc=0\n"
                      "ldw%s sram=768 rows=%u cols=4\n"
                      "mm%s.last.swap sram=64 stride=8 m=1 acc=0\n"
                      "out%s sram=1024 stride=16 rows=1 cols=4 acc=0\n";
    snprintf(plain, sizeof plain, fmt, "", n, "", "", n, "", "");
    snprintf(gs, sizeof gs, fmt, ".gs", n, ".gs", ".gs", n, ".gs", ".fp");
    uint64_t sim = cycles_of(a, plain, false), rtl = cycles_of(a, plain, true);
    uint64_t rtl_gs = cycles_of(a, gs, true);
    runs += 3;
    if (sim != want_plain || rtl != want_plain || rtl_gs != want_gs) {
        fprintf(stderr, "timing n=%u on 4x4: plain sim %llu rtl %llu (want "
                        "%llu), gs rtl %llu (want %llu)\n",
                n, (unsigned long long)sim, (unsigned long long)rtl,
                (unsigned long long)want_plain, (unsigned long long)rtl_gs,
                (unsigned long long)want_gs);
        test_failures++;
    }
}

/* false when the 4x4 model is not built (the cases are skipped) */
static bool timing_cases()
{
    sa35_arch a;
    sa35_arch_default(&a);
    a.rows = a.cols = 4, a.load_rows = 1, a.acc_rows = 4;
    a.sram_bytes = 2048, a.dram_bytes = 64;
    bool built = false;
    for (const sa35_rtl_model *m = sa35_rtl_models; m->rows; m++)
        built |= m->rows == 4 && m->cols == 4 && m->load_rows == 1 &&
                 m->pe == SA35_PE_SA35;
    if (!built) {
        fprintf(stderr, "test_rtl_gs: no 4x4 model, timing skipped\n");
        return false;
    }
    /* n = 2: plain X0 = 0, S0 = 1, X1 = 2, S1 = 3, mm end 3 + 1 + 7 = 11,
     * out row in cycle 11: 12 cycles. gs: X1 = max(X0 + n + 1 = 3, S0 + R
     * + 1 - n = 4) = 4, S1 = 5, end 13, 14 cycles. */
    timing_case(&a, 2, 12, 14);
    /* n = 4: plain X1 = 4 (lane), S1 = 5, end 13: 14 cycles. gs: X1 =
     * max(X0 + 5, S0 + 1) = 5, S1 = 6: 15 cycles. */
    timing_case(&a, 4, 14, 15);
    /* n = 1: plain X1 = 2 (in order after the mm at 1), S1 = 3: 12. gs:
     * X1 = max(2, 1 + 5 - 1 = 5) = 5, S1 = 6: 15. */
    timing_case(&a, 1, 12, 15);
    return true;
}

int main()
{
    for (const sa35_rtl_model *m = sa35_rtl_models; m->rows; m++) {
        sa35_arch a;
        sa35_rtl_model_arch(m, &a);
        const int64_t R = m->rows, C = m->cols;
        const int64_t kpr = sa35_arch_pe(&a)->k_per_row, T = kpr * R;
        a.acc_rows = 256;
        /* the group the K-tile, and smaller ones (tiles of fewer rows) */
        std::vector<int64_t> groups = {T};
        for (int64_t r = R / 2; r >= 1; r /= 2)
            groups.push_back(kpr * r);
        if (R > 2)
            groups.push_back(kpr * (R - 1));
        for (int64_t G : groups) {
            gs_gemm(&a, 1, G, C, G);                   /* one tile     */
            gs_gemm(&a, 3, 3 * G, C, G);               /* three groups */
            gs_gemm(&a, 5, 2 * G + 3, C + 1, G);       /* ragged K, N  */
            gs_gemm(&a, R + C + 2, 2 * G, C - 1 > 0 ? C - 1 : 1, G);
            for (int i = 0; i < 3; i++)
                gs_gemm(&a, pick(1, 12), pick(1, 4 * (uint32_t)G),
                        pick(1, 2 * (uint32_t)C), G);
        }
        /* through the compiler, with the simulator's counters; a group
         * deeper than the K-tile is refused */
        for (int64_t G : groups) {
            compiled_gemm(&a, 1, G, C, G);
            compiled_gemm(&a, 5, 3 * G + 1, 2 * C + 1, G);
            compiled_gemm(&a, R + 3, 2 * G, C, G);
            compiled_gemm(&a, pick(1, 9), pick(1, 4 * (uint32_t)G),
                          pick(1, 3 * (uint32_t)C), G);
        }
        compiled_gemm(&a, 2, 3 * T, C, T + kpr);
        /* the float32 outputs, out.fp.scale: Y = sa a */
        gs_gemm(&a, 3, 2 * T + 1, C + 1, T, true, true);
        gs_gemm(&a, 4, 3 * T, 2 * C, groups.back(), true, true);
        /* plain tiles through the same writer (int32 accumulators, and
         * out.scale) */
        gs_gemm(&a, 4, 2 * T + 1, C + 1, T, false);
        gs_gemm(&a, 4, 2 * T + 1, C + 1, T, false, true);
    }
    bool timed = timing_cases();
    fprintf(stderr, "test_rtl_gs: %d runs on %s, %d failure(s)\n", runs,
            sa35_rtl_sizes(), test_failures);
    /* skipped cases show in CTest as a skip (77), never as a pass */
    return test_failures ? 1 : timed ? 0 : 77;
}
