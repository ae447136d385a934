/* sweep_keys.c: the keys a sweep spec may set, each with its type and,
 * for a system field, where it sits in the system file. One table, so the
 * parser, the point's system and the CSV's columns cannot disagree. */
#include <string.h>

#include "sweep_internal.h"

static const sweep_keydef keys[SA35_SK_COUNT] = {
    [SA35_SK_MODEL] = {"model", SWT_STR, NULL, NULL},
    [SA35_SK_SYSTEM] = {"system", SWT_STR, NULL, NULL},
    [SA35_SK_PHASE] = {"phase", SWT_STR, NULL, NULL},
    [SA35_SK_BATCH] = {"batch", SWT_INT, NULL, NULL},
    [SA35_SK_SEQ] = {"seq", SWT_INT, NULL, NULL},
    [SA35_SK_FORMAT] = {"format", SWT_STR, NULL, NULL},
    [SA35_SK_NODE] = {"node_nm", SWT_INT, NULL, NULL},
    [SA35_SK_PE] = {"pe", SWT_STR, "array", "pe"},
    [SA35_SK_ROWS] = {"rows", SWT_INT, "array", "rows"},
    [SA35_SK_COLS] = {"cols", SWT_INT, "array", "cols"},
    [SA35_SK_LOAD_ROWS] = {"load_rows", SWT_INT, "array", "load_rows"},
    [SA35_SK_ACC_ROWS] = {"acc_rows", SWT_INT, "array", "acc_rows"},
    [SA35_SK_CLOCK] = {"clock_hz", SWT_NUM, "array", "clock_hz"},
    [SA35_SK_SRAM] = {"sram_bytes", SWT_INT, "sram", "bytes"},
    [SA35_SK_OFFCHIP] = {"offchip_bytes", SWT_INT, "offchip", "bytes"},
    [SA35_SK_OFFCHIP_BW] = {"offchip_bytes_per_s", SWT_NUM, "offchip",
                            "bytes_per_s"},
    [SA35_SK_CHIPS] = {"system_chips", SWT_INT, "chips", "count"},
    [SA35_SK_KV_BITS] = {"kv_bits", SWT_INT, "kv_cache", "bits"},
};

const sweep_keydef *sweep_keydef_of(sa35_sweep_key k) { return &keys[k]; }
const char *sa35_sweep_key_name(sa35_sweep_key k) { return keys[k].name; }

int sweep_key_find(const char *name)
{
    for (int k = 0; k < SA35_SK_COUNT; k++)
        if (!strcmp(keys[k].name, name))
            return k;
    return -1;
}
