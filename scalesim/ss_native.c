/* ss_native.c: a SCALE-Sim layer on the sa35 array, timed by a GEMM
 * engine (the same one `sa35 model` uses). The array is weight-stationary
 * whatever the config's Dataflow says: M = ofmap pixels stream through,
 * K = window x N = filters stay; each PE holds two k (int8 x 3.5-bit), so
 * a fold covers 2R k-values and a PE does two MACs a cycle. */
#include <string.h>

#include "ss_internal.h"

void sa35_ss_system(const sa35_ss_config *c, sa35_system *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "scalesim:%.40s", c->run_name);
    s->rows = (int32_t)c->rows, s->cols = (int32_t)c->cols;
    s->clock_hz = 1e9; /* cycles only; SCALE-Sim has no clock */
    s->load_rows = 1;  /* as the TPU and SCALE-Sim's ws fold load */
    s->acc_rows = 4096;
    s->pe = SA35_PE_SA35;
    s->sram_bytes = (uint64_t)(c->ifmap_kb + c->filter_kb + c->ofmap_kb) *
                    1024u;
    s->sram_banks = 1;
    s->sram_bytes_per_cycle = 1e12; /* SCALE-Sim's SRAM never limits */
    s->dram_bytes = 1ull << 48;
    /* USER: the config's words (bytes) per cycle; CALC: SCALE-Sim's own
     * 10 words per cycle for the read buffers */
    s->dram_bytes_per_cycle = c->user_bandwidth ? (double)c->bandwidth : 10.0;
    s->dram_latency_cycles = 0;
    s->vec_int8_per_cycle = s->vec_fp16_per_cycle = 1;
    s->chips = 1;
    s->kv_bits = 8;
}

int sa35_ss_native(const sa35_ss_config *c, const sa35_ss_layer *l,
                   const sa35_gemm_engine *eng, sa35_ss_result *r,
                   sa35_err *err)
{
    memset(r, 0, sizeof *r);
    sa35_system s;
    sa35_ss_system(c, &s);
    int64_t M, N, K;
    if (sa35_ss_layer_dims(l, &M, &N, &K, err))
        return -1;
    sa35_gemm_time t;
    if (eng->fn(eng->ctx, &s, M, K, N, SA35_GEMM_IO_DRAM, &t, err))
        return sa35_err_prefix(err, l->name);
    /* weights stream in at the config's bandwidth, double-buffered; the
     * compiler re-fetches them per M block of acc_rows / 2 rows */
    int64_t kt = 2 * c->rows;
    uint64_t stream = sa35_weight_bytes(&s, K, N) *
                      (uint64_t)ss_ceil_div(M, s.acc_rows / 2);
    uint64_t first = sa35_weight_bytes(&s, K < kt ? K : kt,
                                       N < c->cols ? N : c->cols);
    sa35_mem_time m;
    sa35_memsys(&s, t.cycles, stream, first, t.sram_bytes, &m);
    r->total_cycles = m.cycles;
    r->stall_cycles = t.stall_cycles + m.stall_cycles;
    double macs = (double)M * (double)N * (double)K;
    double peak = 2.0 * (double)c->rows * (double)c->cols;
    r->overall_util = macs * 100 / ((double)t.cycles * peak);
    r->compute_util = macs * 100 /
                      ((double)(r->total_cycles - r->stall_cycles) * peak);
    int64_t kf = ss_ceil_div(K, kt);
    int64_t nf = ss_ceil_div(N, c->cols);
    int64_t RC = c->rows * c->cols;
    if ((double)nf * (double)kf > (double)SS_FOLDS_SUMMED) {
        /* closed form: the tiles' k rows add up to sum ceil(k / 2) over
         * the K tiles, their columns to N */
        int64_t last = K - (kf - 1) * kt;
        double krows = (double)(kf - 1) * (double)c->rows +
                       (double)ss_ceil_div(last, 2);
        r->mapping_eff = krows * (double)N /
                         ((double)RC * (double)nf * (double)kf) * 100;
    } else {
        double sum = 0;
        for (int64_t n = 0; n < nf; n++)
            for (int64_t k = 0; k < kf; k++) {
                int64_t kr = ss_ceil_div(K - k * kt < kt ? K - k * kt : kt,
                                         2);
                int64_t nt = N - n * c->cols < c->cols ? N - n * c->cols
                                                       : c->cols;
                sum += (double)(kr * nt) / (double)RC;
            }
        r->mapping_eff = sum / (double)(nf * kf) * 100;
    }
    /* every column tile re-reads A; K x N and M x N fit (the MACs do) */
    if (sa35_mul_i64(M * K, nf, &r->sram_count[0]))
        return sa35_err_set(err, "layer '%s': the IFMAP reads (M x K x "
                                 "column tiles) exceed 2^63",
                            l->name);
    r->sram_count[1] = K * N;
    r->sram_count[2] = M * N;
    for (int i = 0; i < 3; i++)
        r->sram_start[i] = 0, r->sram_stop[i] = (double)r->total_cycles;
    ss_dram_estimate(l, M, N, K, r);
    return 0;
}
