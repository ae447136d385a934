/* model_pipeline.c: micro-batches in flight over the chips. Each chip is
 * a pipeline stage; a micro-batch's step visits every op in order (the
 * latency L), and a chip (or its links) serves one micro-batch at a time.
 * With K micro-batches circulating (decode: a micro-batch's next token
 * needs its previous one, so it re-enters chip 0 only after leaving the
 * last chip), the deterministic cyclic pipeline settles at one step per
 * micro-batch every max(L, K x beat) cycles, beat = the busiest resource's
 * time per micro-batch: the loop through all stages holds K micro-batches
 * (L / K per emitted step), each resource one (beat). docs/models.md,
 * "Pipelining", has the derivation and the assumptions. */
#include "model_internal.h"

int64_t sa35_pipeline_cycles(int64_t latency, int64_t beat, int64_t k)
{
    int64_t full = k * beat;
    return full > latency ? full : latency;
}

void model_pipeline_totals(sa35_run *r, const int64_t *busy,
                           const int64_t *link)
{
    for (int32_t c = 0; c < r->chips; c++) {
        if (busy[c] > r->max_stage_cycles)
            r->max_stage_cycles = busy[c];
        if (link[c] > r->max_link_cycles)
            r->max_link_cycles = link[c];
    }
    r->beat_cycles = r->max_stage_cycles > r->max_link_cycles
                         ? r->max_stage_cycles
                         : r->max_link_cycles;
    r->period_cycles = sa35_pipeline_cycles(r->cycles, r->beat_cycles,
                                            r->microbatches);
    const sa35_workload *w = &r->work;
    double clock = r->sys.clock_hz;
    double tokens = w->phase == SA35_DECODE ? 1.0 : (double)w->seq;
    double period_s = (double)r->period_cycles / clock;
    r->time_s = (double)r->cycles / clock;
    /* a user waits a whole period between its tokens: its own pass (L)
     * plus the bubbles while other micro-batches hold the busiest stage */
    r->time_per_token_s = period_s / tokens;
    r->tokens_per_s_per_user = tokens / period_s;
    r->tokens_per_s =
        (double)r->microbatches * (double)w->batch * tokens / period_s;
}
