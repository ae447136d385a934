/* sa35_isa.h: the accelerator's instruction set (docs/isa.md), the
 * architecture parameters every engine shares, the binary and text forms of
 * a program, the validator, and the functional semantics (what each
 * instruction does to architectural state, without timing).
 *
 * The cycle-accurate simulator, the timing model (sim/) and the RTL (rtl/)
 * all run the same binary programs; the compiler (compiler/) writes them.
 * Timing rules are in docs/architecture.md. */
#ifndef SA35_ISA_H
#define SA35_ISA_H

#include <stddef.h>
#include <stdint.h>

#include "sa35_cmodel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ PE kinds
 * What a processing element stores and multiplies (docs/architecture.md,
 * "PE kinds"): every engine, the compiler and the RTL read these numbers;
 * nothing else about a PE kind is written anywhere (docs/extending.md).
 *
 * PE(r, c) holds one code of `code_bits` bits in its shadow and active
 * registers: the code of PE row r in column c's little-endian bit stream of
 * the weight format (cmodel), which covers k = k_per_row r ..
 * k_per_row (r + 1) - 1. It takes k_per_row int8 activations a_i from the
 * left and latches psum_in + sum_i a_i w_i, w = unpack(code). */
/* The kinds, X(ENUM, name) each, in the order of their numbers (the RTL's
 * PeKind parameter uses the same: BUILD/rtl/sa35_pe_kind.vh, which
 * isa/isa_gen_pe.c writes from the table in isa/isa_pe.c). */
#define SA35_PE_KINDS(X)                                                      \
    X(SA35, sa35) /* 4-bit e + 3-bit c (x2 step): 7 bits, 2 k per row */      \
    X(INT4, int4) /* two signed 4-bit weights: 8 bits, 2 k per row */         \
    X(INT8, int8) /* one signed int8 weight: 8 bits, 1 k per row (TPU v1) */

typedef enum sa35_pe_kind {
#define SA35_PE_ENUM(e, name) SA35_PE_##e,
    SA35_PE_KINDS(SA35_PE_ENUM)
#undef SA35_PE_ENUM
    SA35_PE_COUNT
} sa35_pe_kind;

typedef struct sa35_pe_desc {
    const char *name;   /* "sa35", "int4", "int8": --pe and system files    */
    sa35_format fmt;    /* the weight format whose codes it holds          */
    uint32_t code_bits; /* bits of one PE's weight code (shadow, active)   */
    uint32_t k_per_row; /* weights per PE: k-values per PE row, 1 or 2     */
    uint32_t act_bits;  /* bits of one activation (int8)                   */
    uint32_t w_max;     /* |w| <= w_max for every code (the product bound) */
    uint32_t w_bits[2]; /* stored bits of each weight: the multipliers'    */
                        /* widths (4 and 3 for sa35; 0: no second weight)  */
    /* the weights of a code: w[0] (k = k_per_row r), w[1] (the next k, 0
     * when k_per_row is 1) */
    void (*unpack)(uint32_t code, int8_t w[2]);
    const char *what;   /* one line for --help and the docs                */
} sa35_pe_desc;

const sa35_pe_desc *sa35_pe_info(sa35_pe_kind kind); /* NULL if unknown   */
/* "sa35", "int4", "int8" -> kind; -1 if unknown. */
int sa35_pe_from_name(const char *name, sa35_pe_kind *kind);
/* The PE kind that multiplies weights of format fmt; -1 if none does. */
int sa35_pe_of_format(sa35_format fmt, sa35_pe_kind *kind);
/* The kinds' names, "sa35|int4|int8", for usage lines and errors. */
const char *sa35_pe_names(void);
/* Stored bits per weight: code_bits / k_per_row (3.5, 4, 8). */
double sa35_pe_bits(const sa35_pe_desc *pe);
/* The kind whose weights take `bits` bits each (3.5 -> sa35, 4 -> int4,
 * 8 -> int8); -1 if none. */
int sa35_pe_of_bits(double bits, sa35_pe_kind *kind);

/* -------------------------------------------------------------- the array */
typedef struct sa35_arch {
    sa35_pe_kind pe;    /* what every PE stores and multiplies (0: sa35)   */
    int32_t rows;       /* R: PE rows; one row holds k_per_row k-values    */
    int32_t cols;       /* C: PE columns; one column per output            */
    double clock_hz;    /* f, for converting cycles to seconds             */
    int32_t load_rows;  /* L: load lanes (ldws in flight, rows read a cycle)*/
    int32_t acc_rows;   /* accumulator memory depth (rows of C int32), even:*/
                        /* two banks of acc_rows/2 rows (double buffering) */
    uint64_t sram_bytes;/* on-chip SRAM capacity (byte-addressed)          */
    uint64_t dram_bytes;/* off-chip memory size (byte-addressed)           */
    /* the memory system (docs/architecture.md): off-chip bytes per cycle
     * = dram_bw_num / dram_bw_den, a ratio of integers so that transfer
     * cycles are exact; dram_bw_num = 0 is the ideal memory (a dma takes
     * one cycle, no latency) */
    uint32_t dram_bw_num, dram_bw_den;
    int32_t dram_latency; /* cycles from a transfer's last byte to its end */
} sa35_arch;

#define SA35_ARCH_MAX_DIM 65535 /* R, C and M fields are 16 bits wide       */

/* 320 x 320, 900 MHz, L = 1, 4096 accumulator rows, 1 GiB SRAM (the memory
 * system with real capacities is a later issue), 2^48 bytes off-chip. */
void sa35_arch_default(sa35_arch *a);
/* Parse "RxC" (e.g. "320x320") into a->rows, a->cols: 1..65535 each. */
int sa35_arch_parse_array(const char *text, sa35_arch *a, sa35_err *err);
/* Range checks of every field. */
int sa35_arch_check(const sa35_arch *a, sa35_err *err);
/* The descriptor of a's PE kind (never NULL for a checked arch). */
static inline const sa35_pe_desc *sa35_arch_pe(const sa35_arch *a)
{
    return sa35_pe_info(a->pe);
}
/* |sum_i a_i w_i| of one PE: k_per_row * 128 * w_max (2048 for sa35 and
 * int4, 16384 for int8), activations of -128 included. */
uint32_t sa35_pe_product_bound(const sa35_pe_desc *pe);
/* Width of a PE's partial-sum register: enough for R rows of products,
 * two's complement: 1 + ceil(log2(bound R + 1)) (21 at R = 320 for sa35). */
int32_t sa35_arch_psum_bits(const sa35_arch *a);

/* ----------------------------------------------------------- instructions */
/* The opcodes, their flags and the fields of each are one table,
 * sa35_isa.def (docs/isa.md, "Binary form"): everything below that names
 * an opcode or a flag is generated from it. */
typedef enum sa35_opcode {
#define SA35_ISA_OP(ID, code, mnemonic, what) SA35_OP_##ID = code,
#include "sa35_isa.def"
} sa35_opcode;

/* Each opcode's row in the table (0, 1, ...): the bit of the `ops` masks
 * of sa35_isa.def's fields. */
enum sa35_opcode_index {
#define SA35_ISA_OP(ID, code, mnemonic, what) SA35_OPI_##ID,
#include "sa35_isa.def"
    SA35_OPI_COUNT
};
#define SA35_ISA_IN(ID) (UINT64_C(1) << SA35_OPI_##ID)

/* The flag masks: SA35_MM_FIRST, SA35_MM_LAST, SA35_MM_SWAP, SA35_MM_GS
 * (mm), SA35_LDW_GS (ldw), SA35_OUT_SCALE, SA35_OUT_FP (out). */
enum sa35_flag {
#define SA35_ISA_FLAG(OP, NAME, bit, text) SA35_##OP##_##NAME = 1u << (bit),
#include "sa35_isa.def"
};

/* One decoded instruction. Fields unused by an opcode are 0. */
typedef struct sa35_instr {
    uint8_t op;
    uint8_t flags;
    uint64_t dram;   /* dma: off-chip byte address (48 bits)               */
    uint32_t sram;   /* dma, ldw, mm (activations), out (destination)      */
    uint32_t bytes;  /* dma: length                                         */
    uint32_t stride; /* mm: bytes between activation rows; out: between    */
                     /* output rows                                         */
    uint32_t rows;   /* ldw: tile rows (k_per_row k each); out: acc rows   */
    uint32_t cols;   /* ldw: tile columns; out: columns                    */
                     /* (mm streams as many k and columns as the tile in   */
                     /* the active registers has: its ldw's rows, cols)    */
    uint32_t m;      /* mm: activation rows streamed                       */
    uint32_t acc;    /* mm, out: first accumulator row                     */
    uint32_t sa, s, z; /* scl: SRAM addresses of sa[m], s[n], z[n]        */
} sa35_instr;

#define SA35_INSTR_BYTES 16
#define SA35_PROG_MAGIC "SA35"
#define SA35_PROG_VERSION 1u

/* A program: instructions in order. */
typedef struct sa35_program {
    sa35_instr *ins;
    size_t count, cap;
} sa35_program;

void sa35_program_free(sa35_program *p);
/* Room for n instructions in one allocation (a caller that knows the
 * length: no doubling, no copy). */
int sa35_program_reserve(sa35_program *p, size_t n, sa35_err *err);
/* Append one instruction (grows the array). */
int sa35_program_push(sa35_program *p, const sa35_instr *in, sa35_err *err);

const char *sa35_opcode_name(int op); /* "mm", ...; NULL if unknown        */

/* The table's checks on one instruction (sa35_isa.def), run by encode,
 * the text parser and the validator: a known opcode, only its flags, every
 * field it does not have 0, every field it has within its width. */
int sa35_instr_check(const sa35_instr *in, sa35_err *err);

/* Binary form (docs/isa.md): 16-byte header, then 16 bytes per
 * instruction. Encoding never fails for a field that fits its width;
 * decoding rejects an unknown opcode or nonzero reserved bits. */
int sa35_instr_encode(const sa35_instr *in, uint8_t out[SA35_INSTR_BYTES],
                      sa35_err *err);
int sa35_instr_decode(const uint8_t b[SA35_INSTR_BYTES], sa35_instr *in,
                      sa35_err *err);
/* Whole programs to and from memory (malloc'd), and from files. A file is
 * written from the encoded buffer by io's atomic writer (sa35_write_file,
 * as `sa35 asm` does): isa/ holds no writer of its own, since a plain
 * fopen leaves a truncated program under the final name on a full disk. */
int sa35_program_encode(const sa35_program *p, uint8_t **buf, size_t *len,
                        sa35_err *err);
int sa35_program_decode(const uint8_t *buf, size_t len, sa35_program *p,
                        sa35_err *err);
/* Either form: binary if the file starts with "SA35", else text. */
int sa35_program_read(const char *path, sa35_program *p, sa35_err *err);

/* Text form: one instruction a line, `op[.flag...] key=value ...`, '#'
 * starts a comment. Parse errors name the line. */
int sa35_program_parse(const char *text, sa35_program *p, sa35_err *err);
/* One instruction as text (no newline); returns the snprintf length. */
int sa35_instr_format(const sa35_instr *in, char *buf, size_t size);
/* The whole program as text (malloc'd, NUL-terminated). */
char *sa35_program_format(const sa35_program *p);

/* Reject a program this architecture cannot run: the message starts with
 * "instruction I (op): " and says why. Static checks only (fields, ranges,
 * the weight double-buffer protocol, accumulator row states). */
int sa35_program_validate(const sa35_program *p, const sa35_arch *a,
                          sa35_err *err);

/* The accumulator bank of row `row`: 0 or 1. */
static inline int sa35_acc_bank(const sa35_arch *a, uint32_t row)
{
    return row >= (uint32_t)a->acc_rows / 2u;
}

/* Bytes of one tile row in SRAM: `cols` codes of the PE's code_bits,
 * packed LSB first. */
static inline uint32_t sa35_tile_rowbytes(const sa35_arch *a, uint32_t cols)
{
    return (sa35_arch_pe(a)->code_bits * cols + 7u) / 8u;
}
/* Bytes an ldw reads: its `rows` tile rows, and with ldw.gs the tile's
 * 4 cols bytes of scale words after them (docs/isa.md). */
static inline uint64_t sa35_ldw_bytes(const sa35_arch *a,
                                      const sa35_instr *in)
{
    return (uint64_t)in->rows * sa35_tile_rowbytes(a, in->cols) +
           ((in->flags & SA35_LDW_GS) ? 4ull * in->cols : 0);
}
/* Bytes of one activation row an mm streams into `krows` PE rows. */
static inline uint32_t sa35_mm_rowbytes(const sa35_arch *a, uint32_t krows)
{
    return sa35_arch_pe(a)->k_per_row * krows;
}

/* ------------------------------------------------ functional semantics
 * The one place where what an instruction does to memory is written down.
 * The cycle-accurate simulator calls these for dma, scl and out, and the
 * functional executor below runs whole programs with them (an executable
 * specification, used by tests to check the simulators). */
typedef struct sa35_mem {
    uint8_t *dram;       /* dram_bytes, or NULL when only timing is wanted */
    uint64_t dram_bytes;
    uint8_t *sram;
    uint64_t sram_bytes;
} sa35_mem;

/* Scale addresses set by scl. */
typedef struct sa35_scale_regs {
    uint32_t sa, s, z;
    int set;
} sa35_scale_regs;

/* dma.ld / dma.st: copy bytes (the validator checked the ranges). */
void sa35_exec_dma(const sa35_instr *in, sa35_mem *mem);
/* One row of out: accumulator row `accrow` (C int32) and its row sum to the
 * SRAM row (out.scale: Y = sa[m] (s[n] acc + z[n] rsum), fp32 one operation
 * at a time as sa35_gemm_output; out.fp.scale: Y = sa[m] acc of the float32
 * accumulators; else the raw words). i is the row index within the out
 * instruction. */
void sa35_exec_out_row(const sa35_instr *in, const sa35_scale_regs *sr,
                       uint32_t i, const int32_t *accrow, int32_t rsum,
                       sa35_mem *mem);
/* The code of tile row r, column c of an ldw's SRAM tile. */
static inline uint32_t sa35_exec_ldw_code(const sa35_arch *a,
                                          const sa35_instr *in,
                                          const sa35_mem *mem, uint32_t r,
                                          uint32_t c)
{
    const uint8_t *row = mem->sram + in->sram +
                         (uint64_t)r * sa35_tile_rowbytes(a, in->cols);
    const uint32_t w = sa35_arch_pe(a)->code_bits;
    return sa35_stream_bits(row, w * c, w);
}
/* Scale word c of an ldw.gs's tile (s | z << 16, binary16 each, read
 * little-endian after the tile rows); 0 for c >= cols. */
static inline uint32_t sa35_exec_ldw_scale(const sa35_arch *a,
                                           const sa35_instr *in,
                                           const sa35_mem *mem, uint32_t c)
{
    if (c >= in->cols)
        return 0;
    const uint8_t *p = mem->sram + in->sram +
                       (uint64_t)in->rows * sa35_tile_rowbytes(a, in->cols) +
                       4ull * c;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}
/* What a partial sum of an mm leaves the array as: with .gs the group
 * term t = fl(fl(s psum) + fl(z rsum)) of the column's active scale word
 * (its float32 bits, sa35_group_term), else psum itself. */
int32_t sa35_exec_mm_term(uint8_t mm_flags, uint32_t scale_word,
                          int32_t psum, int32_t rsum);
/* An accumulator word after an mm adds v (sa35_exec_mm_term) to it: v with
 * .first; else acc + v in int32, or with .gs fl(acc + v) in float32 (both
 * words the float's bits). */
static inline int32_t sa35_exec_acc(uint8_t mm_flags, int32_t acc,
                                    int32_t v)
{
    /* inline: the simulator calls it for every accumulator word */
    if (mm_flags & SA35_MM_FIRST)
        return v;
    if (mm_flags & SA35_MM_GS)
        return sa35_acc_word(sa35_acc_float(acc) + sa35_acc_float(v));
    return acc + v; /* K < 2^21: no overflow (format.md) */
}
/* Activation k-value j (0 .. k_per_row krows - 1) of streamed row i. */
static inline int8_t sa35_exec_mm_act(const sa35_instr *in,
                                      const sa35_mem *mem, uint32_t i,
                                      uint32_t j)
{
    return (int8_t)mem->sram[in->sram + (uint64_t)i * in->stride + j];
}

/* The functional executor: whole instructions, no timing. acc is
 * acc_rows x C int32 (float32 bits in rows an mm.gs wrote), rsum acc_rows
 * int32. */
typedef struct sa35_func {
    sa35_arch arch;
    sa35_mem mem;
    uint8_t *shadow, *active; /* R x C codes                               */
    uint32_t *sc_shadow, *sc_active; /* the scale row: C words s | z << 16 */
    int32_t *acc, *rsum;
    sa35_scale_regs scl;
} sa35_func;

int sa35_func_init(sa35_func *f, const sa35_arch *a, sa35_mem mem,
                   sa35_err *err);
void sa35_func_free(sa35_func *f);
/* Run a validated program. */
void sa35_func_run(sa35_func *f, const sa35_program *p);

#ifdef __cplusplus
}
#endif
#endif /* SA35_ISA_H */
