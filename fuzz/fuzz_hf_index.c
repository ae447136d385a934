/* fuzz_hf_index.c: the reader of Hugging Face's checkpoint index
 * (model.safetensors.index.json). Asserts on what it accepts: at least one
 * tensor, names unique, each mapped to a shard in range, every shard named
 * by some tensor and inside the index's directory (not empty, not
 * absolute, no ".." component); written back with sa35_hf_index_format
 * and read again: the same tensors in the same shards. */
#include "fuzz_util.h"
#include "sa35_io.h"

static int inside(const char *s)
{
    if (!*s || s[0] == '/')
        return 0;
    for (const char *p = s; (p = strstr(p, "..")) != NULL; p += 2)
        if ((p == s || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    char *text = fuzz_text(d, n);
    sa35_hf_index ix, back;
    sa35_err err;
    int rc = sa35_hf_index_parse(text, "dir/model.safetensors.index.json",
                                 &ix, &err);
    free(text);
    if (rc != 0)
        return 0;
    FUZZ_ASSERT(ix.ntensors > 0 && ix.nshards > 0 &&
                ix.nshards <= ix.ntensors && strcmp(ix.dir, "dir") == 0);
    int *used = calloc((size_t)ix.nshards, sizeof *used);
    FUZZ_ASSERT(used);
    for (int i = 0; i < ix.ntensors; i++) {
        FUZZ_ASSERT(ix.shard_of[i] >= 0 && ix.shard_of[i] < ix.nshards);
        used[ix.shard_of[i]] = 1;
        FUZZ_ASSERT(ix.tensors[i][0] != '\0');
    }
    for (int s = 0; s < ix.nshards; s++)
        FUZZ_ASSERT(used[s] && inside(ix.shards[s]));
    free(used);
    char *out = sa35_hf_index_format(ix.metadata, 1, (const char *const *)
                                     ix.tensors, ix.shard_of, ix.ntensors,
                                     (const char *const *)ix.shards, &err);
    FUZZ_ASSERT(out); /* the names are unique, so it formats */
    FUZZ_ASSERT(sa35_hf_index_parse(out, "back.json", &back, &err) == 0);
    FUZZ_ASSERT(back.ntensors == ix.ntensors && back.nshards == ix.nshards);
    for (int i = 0; i < ix.ntensors; i++)
        FUZZ_ASSERT(strcmp(back.tensors[i], ix.tensors[i]) == 0 &&
                    strcmp(back.shards[back.shard_of[i]],
                           ix.shards[ix.shard_of[i]]) == 0);
    free(out);
    sa35_hf_index_free(&back);
    sa35_hf_index_free(&ix);
    return 0;
}
