/* model_place.c: where every op of a run sits. One chip with (or without)
 * off-chip memory keeps its weights in SRAM only if they fit; SRAM-only
 * multi-chip systems pack the weights and the KV cache, in execution
 * order, into as few chips as the column tiles allow (docs/models.md,
 * "Placement"). */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

/* Append a piece; run->piece grows by doubling. */
static int add_piece(sa35_run *r, int64_t *cap, sa35_piece pc, sa35_err *err)
{
    if (r->npieces == *cap) {
        int64_t n = *cap ? 2 * *cap : 64;
        sa35_piece *q = realloc(r->piece, (size_t)n * sizeof *q);
        if (!q)
            return sa35_err_set(err, "out of memory for %lld GEMM pieces",
                                (long long)n);
        r->piece = q, *cap = n;
    }
    r->piece[r->npieces++] = pc;
    return 0;
}

/* One chip: weights stay in SRAM only if they and the KV cache fit in half
 * of it (the other half holds tiles and activations); otherwise they
 * stream every step. Every GEMM is one piece on chip 0. */
static int place_single(sa35_run *r, uint64_t kv_layer, model_placement *p,
                        sa35_err *err)
{
    const sa35_system *s = &r->sys;
    uint64_t half = s->sram_bytes / 2, kv = kv_layer * (uint64_t)r->model.layers;
    p->kv_cache_bytes = kv;
    p->usable_bytes = half;
    p->weights_resident = r->weight_bytes + kv <= half;
    p->kv_on_chip = p->weights_resident || kv <= half;
    if (!p->weights_resident && s->dram_bytes == 0)
        return sa35_err_set(err, "%s: %.3g GB of weights and KV cache do "
                                 "not fit in %.4g MiB (%.3g GB; half the "
                                 "SRAM) and the system has no off-chip "
                                 "memory",
                            s->name, (double)(r->weight_bytes + kv) / 1e9,
                            (double)half / 1048576.0, (double)half / 1e9);
    if (!p->weights_resident && r->weight_bytes + kv > s->dram_bytes)
        return sa35_err_set(err, "%s: %.3g GB of weights and KV cache do "
                                 "not fit in %.4g GiB (%.3g GB) of off-chip "
                                 "memory",
                            s->name, (double)(r->weight_bytes + kv) / 1e9,
                            (double)s->dram_bytes / 1073741824.0,
                            (double)s->dram_bytes / 1e9);
    int64_t cap = 0;
    for (int64_t i = 0; i < r->nres; i++) {
        sa35_op_result *x = &r->res[i];
        x->chip = x->last_chip = 0;
        x->first_piece = r->npieces;
        x->pieces = 0;
        if (x->op->unit != SA35_UNIT_ARRAY)
            continue;
        sa35_piece pc = {0, 0, x->op->N, 0, x->op->weight_bytes};
        if (add_piece(r, &cap, pc, err))
            return -1;
        x->pieces = 1;
    }
    p->chips = 1;
    return 0;
}

/* SRAM-only chips, filled in execution order up to `usable` bytes each:
 * - a GEMM's weight fills what is left of the current chip with as many
 *   whole column tiles (C columns; the op's last tile may be narrower) as
 *   fit, and continues on the next chip; so the count approaches
 *   ceil(bytes / usable), each chip wasting less than one column tile;
 * - a layer's KV cache (every micro-batch's) is not split: it goes with
 *   kv_store, on the current chip if it fits, else on the next; the
 *   attention ops after it run there;
 * - a vector op runs on the chip where the op before it ended. */
static int place_chips(sa35_run *r, uint64_t kv_layer, model_placement *p,
                       sa35_err *err)
{
    const sa35_system *s = &r->sys;
    uint64_t usable = s->sram_bytes - s->sram_bytes / 8, used = 0;
    int32_t chip = 0;
    int64_t cap = 0;
    p->weights_resident = p->kv_on_chip = 1;
    p->kv_cache_bytes = kv_layer * (uint64_t)r->model.layers;
    p->usable_bytes = usable;
    if (kv_layer > usable)
        return sa35_err_set(err, "%s: one layer's KV cache for %d "
                                 "micro-batch(es) (%.4g MB) does not fit "
                                 "in a chip's %.4g MB of usable SRAM; lower "
                                 "--batch, --seq or --microbatches",
                            s->name, r->microbatches, (double)kv_layer / 1e6,
                            (double)usable / 1e6);
    for (int64_t i = 0; i < r->nres; i++) {
        sa35_op_result *x = &r->res[i];
        const sa35_op *op = x->op;
        x->first_piece = r->npieces;
        x->pieces = 0;
        if (op->unit != SA35_UNIT_ARRAY) {
            if (x->layer >= 0 && strcmp(op->name, "kv_store") == 0) {
                if (used + kv_layer > usable)
                    chip++, used = 0;
                used += kv_layer;
            }
            x->chip = x->last_chip = chip;
            continue;
        }
        uint64_t tile = sa35_weight_bytes(s, op->K, s->cols);
        if (tile > usable)
            return sa35_err_set(err, "%s: one %lld x %d column tile of %s "
                                     "(%llu bytes) does not fit in a chip's "
                                     "%llu usable bytes",
                                s->name, (long long)op->K, s->cols, op->name,
                                (unsigned long long)tile,
                                (unsigned long long)usable);
        x->chip = -1;
        for (int64_t n0 = 0; n0 < op->N;) {
            int64_t rest = op->N - n0, w = rest;
            if (sa35_weight_bytes(s, op->K, rest) > usable - used)
                w = (int64_t)((usable - used) / tile) * s->cols;
            if (w == 0) { /* not one tile left here: the next chip */
                chip++, used = 0;
                continue;
            }
            sa35_piece pc = {chip, n0, w, 0, sa35_weight_bytes(s, op->K, w)};
            if (add_piece(r, &cap, pc, err))
                return -1;
            used += pc.weight_bytes;
            if (x->chip < 0)
                x->chip = chip;
            x->last_chip = chip;
            x->pieces++;
            n0 += w;
        }
    }
    p->chips = chip + 1;
    if (s->chips > 0 && p->chips > s->chips)
        return sa35_err_set(err, "%s: the model needs %d chips, the system "
                                 "has %d",
                            s->name, p->chips, s->chips);
    return 0;
}

int model_place(sa35_run *r, uint64_t kv_layer, model_placement *p,
                sa35_err *err)
{
    memset(p, 0, sizeof *p);
    return r->sys.chips == 1 ? place_single(r, kv_layer, p, err)
                             : place_chips(r, kv_layer, p, err);
}
