/* cyc_internal.h: the cycle-accurate simulator's state, shared by its
 * files (controller, array, load engine, kernels). One struct, no globals:
 * every register of the machine lives here. */
#ifndef SA35_CYC_INTERNAL_H
#define SA35_CYC_INTERNAL_H

#include "mem_unit.h"
#include "sa35_sim.h"

/* Bits set in x. Not __builtin_popcount: without -mpopcnt (the build
 * targets any x86-64) gcc makes that a libgcc call, which was an eighth of
 * a 32x32 run's instructions; this SWAR form inlines to a dozen ops. */
static inline int cyc_popcount32(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    return (int)((x * 0x01010101u) >> 24);
}

/* One PE row's partial sums over columns [0, n): psum[c] = above[c] +
 * act[2c] * w[2c] + act[2c+1] * w[2c+1]; returns the bits flipped in the
 * psum registers, counted over the low `mask` bits (the register width).
 * Inline: the scalar rows and the AVX2 kernel's tail both use it. */
static inline uint64_t cyc_kernel_scalar(int32_t *psum, const int32_t *above,
                                         const int8_t *act, const int8_t *w,
                                         int n, uint32_t mask)
{
    uint64_t flips = 0;
    for (int c = 0; c < n; c++) {
        int32_t v = above[c] + act[2 * c] * w[2 * c] +
                    act[2 * c + 1] * w[2 * c + 1];
        flips += (uint64_t)cyc_popcount32(((uint32_t)v ^ (uint32_t)psum[c]) &
                                          mask);
        psum[c] = v;
    }
    return flips;
}

struct cyc;
struct cyc_span;
/* The PE rows R-1 .. 0 of cycle t (the bottom row also enters the
 * de-skew and counts its toggles), bottom first so each row reads the row
 * above's value of the previous cycle; only the columns of the live spans
 * sp[0..ns). Returns the bits flipped in the psum registers (over the
 * register width). One call a cycle, not a kernel call per row: at 32x32
 * a row is four 8-PE steps, so the per-call setup and the horizontal sum
 * of the flip count cost as much as the arithmetic. */
typedef uint64_t (*cyc_rows_fn)(struct cyc *s, int64_t t,
                                const struct cyc_span *sp, size_t ns);
uint64_t cyc_rows_scalar(struct cyc *s, int64_t t, const struct cyc_span *sp,
                         size_t ns);
uint64_t cyc_rows_avx2(struct cyc *s, int64_t t, const struct cyc_span *sp,
                       size_t ns);
/* The reference array (cyc_kernel_ref.c): every PE every cycle with its
 * own registers; cyc_ref_init allocates them (-1: out of memory). */
uint64_t cyc_rows_ref(struct cyc *s, int64_t t, const struct cyc_span *sp,
                      size_t ns);
int cyc_ref_init(struct cyc *s);

/* An issued mm, from issue until its last row reaches the accumulators. */
typedef struct cyc_stream {
    int64_t S;            /* cycle row 0 entered the left edge             */
    uint32_t m, krows, cols, acc, sram, stride;
    uint8_t flags;
    int banks;            /* accumulator banks written (bit mask)          */
    size_t wserial;       /* which swap's weights it multiplies by         */
    size_t load;          /* with .swap: the load it swaps in              */
} cyc_stream;

/* One load lane. The ldw it reads now: tile row r in cycle X + r; what it
 * read in cycle tau sits in slot tau mod C of its delay line (all C codes
 * of the row, the row index, the ldw's rows and serial) until column C-1
 * has taken it in cycle tau + C - 1. A later ldw starts reading at X + n
 * while the earlier one's rows still cross the columns. */
typedef struct cyc_lane {
    int64_t X;            /* issue of the ldw it reads, -1: none yet      */
    uint32_t n, cols, sram, serial;
    int gs;               /* an ldw.gs: its scale words follow the rows    */
    int64_t busy;         /* it reads SRAM until then (X + n, + 1 with gs) */
    int64_t end;          /* its last code lands by then (X + n + C - 1,   */
                          /* + 1 with gs: the last scale word)             */
    uint8_t *codes;       /* C x C: slot s holds the codes of one row      */
    int64_t *tau;         /* C: the cycle slot s was read, INT64_MIN: never */
    uint32_t *row, *nrows, *ser; /* C: the row, its ldw's rows and serial  */
    uint32_t *gsrow;      /* C: 1 if that ldw was an ldw.gs                */
} cyc_lane;

/* The scale row (docs/architecture.md, "The scale row"): per column a
 * shadow and an active scale word (s | z << 16), and the scale words of
 * the ldw.gs loads still crossing the columns: one read in cycle tau sits
 * in slot tau mod C until column C-1 takes it in tau + C - 1 (the ldw.gs
 * interlock puts their reads in distinct cycles). */
typedef struct cyc_scale {
    uint32_t *sh, *act;   /* C words each                                  */
    uint32_t *load;       /* C: the load that last wrote the shadow word   */
    uint32_t *ring;       /* C x C: slot s holds one ldw.gs's words        */
    int64_t *tau;         /* C: the cycle slot s was read, INT64_MIN: never */
    uint32_t *ser, *n;    /* C: its ldw's serial and rows                  */
    int64_t last;         /* the latest read, INT64_MIN: none              */
} cyc_scale;

/* A dma in the channel: it reads its source in cycle T; a dma.ld's bytes
 * (held in buf meanwhile) land in SRAM at the end of cycle end - 1. */
typedef struct cyc_dma {
    sa35_instr in;
    int64_t T, end;
    uint8_t *buf;
    int read;             /* its source has been read                      */
} cyc_dma;

typedef struct cyc_span {
    int64_t lo, hi;       /* entry cycles whose PEs update: [lo, hi]       */
} cyc_span;

typedef struct cyc {
    sa35_arch a;
    int32_t R, C;
    int64_t P;            /* activation delay line period, > R + C         */
    int64_t D;            /* de-skew ring, > C                             */
    sa35_mem mem;
    sa35_stats *st;
    uint32_t psum_mask;
    cyc_rows_fn rows;
    int ref;                     /* the reference array (SA35_KERNEL_REF): */
    int8_t *ref_act, *ref_skew;  /* its registers; every cycle steps      */
    uint32_t kpr;                /* k per PE row of the PE kind: 1 or 2    */
    uint32_t code_bits;          /* its code width (<= 8)                  */
    int8_t unpacked[256][2];     /* its unpack of every code, made once    */

    /* PE registers */
    uint8_t *code_act, *code_sh; /* R x C codes (the PE kind's code_bits)  */
    int8_t *w_act;               /* R x C x 2: the active weights unpacked */
                                 /* (w0, w1), w1 = 0 for one k a row      */
    int32_t *psum;               /* R x C                                  */
    int32_t *zero_row;           /* C zeros: the psum input of row 0       */
    int8_t *lane;   /* R x 2P x 2: row r's activation pairs, skew chain and */
                    /* array registers as one delay line, newest first,    */
                    /* written twice (at i and i + P) so any window of the */
                    /* array's C registers is contiguous                   */
    uint8_t *edge[2];            /* the pairs entered last cycle and this */
                                 /* one (swapped): 2R bytes, zero padded  */
                                 /* to 8 (toggles by 64-bit XOR)          */
    int edge_cur;                /* edge[edge_cur] entered last            */
    uint32_t flag_prev;          /* the swap flag entered last (all rows)  */
    int32_t *deskew;             /* D x C                                  */
    int32_t *rsum_ring;          /* P: row sums by entry cycle             */
    int32_t *acc, *rsum;         /* acc_rows x C, acc_rows                 */

    /* mms in flight, oldest first (a ring) */
    cyc_stream *q;
    size_t qcap, qhead, qcount;
    cyc_span *spans;             /* qcap: scratch of cyc_array_step        */
    const cyc_stream **waves;    /* qcap: swap waves in the array          */
    int bank_inflight[2];
    int64_t stream_free;         /* left edge free from here               */
    int64_t first_stream;        /* -1: none yet                           */

    /* load engine: L lanes (docs/architecture.md, "Load engine") */
    cyc_lane *lanes;             /* L                                      */
    uint8_t *lane_codes;         /* L x C x C: the lanes' delay lines,    */
    int64_t *lane_tau;           /* L x C      one block each (the lanes  */
    uint32_t *lane_meta;         /* 4 L x C    point into them)           */
    uint64_t ldw_count;          /* ldws issued: the next takes lane % L   */
    int64_t ld_end;              /* the last code of every ldw landed by   */
    uint32_t *pe_load;           /* R x C: the load that last wrote the PE */
    cyc_scale sc;                /* the scale row below the array          */
    /* swaps */
    int64_t last_swap;           /* start of the latest mm.swap, or        */
                                 /* INT64_MIN (the ldw.gs interlock)       */
    size_t swap_serial;          /* swaps issued                           */
    size_t swap_load;            /* the load the latest swap took          */
    uint32_t sh_rows, sh_cols, ac_rows, ac_cols;
    uint64_t *zw;                /* zero weight operands per swap          */
    size_t zwcap;

    /* output unit: one out reading rows, one waiting behind it */
    int run_valid, wait_valid;
    sa35_instr run, wait;
    sa35_scale_regs run_scl, wait_scl; /* latched at issue                 */
    int64_t run_start, wait_issue;
    int64_t out_end;             /* the running (or last) out finishes     */
    sa35_scale_regs scl;

    /* memory system (docs/architecture.md, "The memory system") */
    mem_unit mu;                 /* the channel and the SRAM scoreboard    */
    cyc_dma *dq;                 /* dmas not finished, in issue order      */
    size_t dq_n, dq_cap;
    int64_t dma_end;             /* every dma issued has ended by then     */
    /* controller */
    size_t pc;
    const char *hazard;          /* set when a timing rule was broken      */
} cyc;

/* The columns of span sp in PE row r at cycle t (d = t - r): the PEs
 * holding entry cycles [lo, hi] are columns [d - hi, d - lo] cut to the
 * array; 0 if none. */
static inline int cyc_span_cols(int64_t d, const struct cyc_span *sp,
                                int32_t C, int32_t *c0, int32_t *c1)
{
    int64_t lo = d - sp->hi, hi = d - sp->lo;
    if (lo < 0)
        lo = 0;
    if (hi > C - 1)
        hi = C - 1;
    if (lo > hi)
        return 0;
    *c0 = (int32_t)lo, *c1 = (int32_t)hi;
    return 1;
}

/* cyc_array.c: one cycle of the left edge, the PEs, the de-skew and the
 * accumulators. */
void cyc_array_step(cyc *s, int64_t t);
/* cyc_scale.c: the scale row. Allocate it (-1: out of memory); each
 * cycle, after the PE rows and before the accumulators, the swap waves
 * reaching it and the group terms of the mm.gs rows leaving the array
 * (cyc_scale_step); an ldw.gs's scale words read from SRAM in cycle
 * X + n (cyc_scale_read) and the shadow writes of cycle t, landing at its
 * end (cyc_scale_write). */
int cyc_scale_init(cyc *s);
void cyc_scale_free(cyc *s);
void cyc_scale_step(cyc *s, int64_t t);
void cyc_scale_read(cyc *s, const cyc_lane *ln, int64_t t);
void cyc_scale_write(cyc *s, int64_t t);

/* cyc_load.c: the load engine. Allocate the lanes (-1: out of memory),
 * start an ldw on its lane (the controller checked the lane is free), and
 * each cycle: the lanes' SRAM reads and their shadow writes of cycle t
 * (writes land at the end of the cycle, after the PEs read the shadow). */
int cyc_load_init(cyc *s);
void cyc_load_free(cyc *s);
/* 1 if ldw number s->ldw_count may issue in cycle t (its lane is free;
 * an ldw.gs also waits until t >= Sp + R + 1 - rows). */
int cyc_load_ready(const cyc *s, const sa35_instr *in, int64_t t);
void cyc_load_issue(cyc *s, const sa35_instr *in, int64_t t);
void cyc_load_step(cyc *s, int64_t t);

/* cyc_dma.c: the memory system. cyc_mem_ready: the scoreboard's waits for
 * an instruction about to issue (not the out: cyc_mem_out_ready, when the
 * output unit would start it); cyc_mem_issue / cyc_mem_out_start record
 * the accesses; cyc_dma_read (after issue) and cyc_dma_land (end of the
 * cycle) move the channel's bytes. */
int cyc_mem_ready(const cyc *s, const sa35_instr *in, int64_t t);
int cyc_mem_out_ready(const cyc *s, int64_t t);
int cyc_mem_issue(cyc *s, const sa35_instr *in, int64_t t, sa35_err *err);
int cyc_mem_out_start(cyc *s, int64_t t, sa35_err *err);
void cyc_dma_read(cyc *s, int64_t t);
void cyc_dma_land(cyc *s, int64_t t);
void cyc_dma_free(cyc *s);
/* The stream in flight at queue position i (0 = oldest). */
static inline cyc_stream *cyc_q(cyc *s, size_t i)
{
    return &s->q[(s->qhead + i) % s->qcap];
}

/* The bottom row's columns [c0, c1]: as the kernel, plus the de-skew (the
 * C-1-c registers of column c see the same flips as the PE's psum
 * register; added to *skew). Returns the psum flips. */
static inline uint64_t cyc_bottom_scalar(cyc *s, int64_t t, int32_t c0,
                                         int32_t c1, const int32_t *above,
                                         const int8_t *act, uint64_t *skew)
{
    const int32_t r = s->R - 1, C = s->C;
    int32_t *ps = s->psum + (size_t)r * (size_t)C;
    const int8_t *w = s->w_act + 2 * (size_t)r * (size_t)C;
    const uint32_t mask = s->psum_mask;
    const int64_t dm = s->D - 1;
    uint64_t fl = 0, fl_c = 0;
    for (int32_t c = c0; c <= c1; c++) {
        int32_t v = above[c] + act[2 * c] * w[2 * c] +
                    act[2 * c + 1] * w[2 * c + 1];
        uint64_t flips =
            (uint64_t)cyc_popcount32(((uint32_t)v ^ (uint32_t)ps[c]) & mask);
        ps[c] = v;
        fl += flips;
        fl_c += flips * (uint64_t)(C - 1 - c);
        int64_t tau = t - r - c;
        s->deskew[(size_t)(tau & dm) * (size_t)C + (size_t)c] = v;
    }
    *skew += fl_c;
    return fl;
}

#endif
