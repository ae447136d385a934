#!/usr/bin/env bash
# check.sh REPORT.json: the synthesis numbers are sane: every cell count,
# area, Fmax and power is positive, and area and power grow from the PE to
# the 4x4 to the 8x8 array and to the 320 x 320 extrapolation; and there is
# one PE per PE kind of the C table (SA35_RTL_GEN/sa35_pe_kinds.txt, written
# at configure time from isa/isa_pe.c), each at the psum width of its
# 320-row array, 1 + ceil(log2(B 320 + 1)), with the flops its registers
# need (8 k_per_row activation bits + swap + psum + active and shadow code);
# and the group-scaling designs: the float32 accumulator adder larger than
# the int32 one, the scale unit with its 64 flops (shadow and active pairs)
# and a per-column extrapolation that adds area.
set -euo pipefail
report=${1:?usage: check.sh REPORT.json}
gen=${SA35_RTL_GEN:?check.sh: set SA35_RTL_GEN to BUILD/rtl (cmake --build BUILD --target rtl-synth does)}
kinds=$(tr ' ' '\n' <"$gen/sa35_pe_kinds.txt" | cut -d: -f1 | tr '\n' ' ')
awk -v want="$kinds" '
function num(s, key,   i) { i = index(s, "\"" key "\": "); if (!i) return -1; return substr(s, i + length(key) + 4) + 0 }
function psumw(r, bound,   n, b, v) { n = bound * r + 1; b = 0; v = 1; while (v < n) { v *= 2; b++ } return b + 1 }
/^    "(psum_bits_16|4x4|8x8|320x320)": / {
    n++; name[n] = $1
    area[n] = num($0, "area_um2"); power[n] = num($0, "power_mw")
    if (area[n] <= 0 || power[n] <= 0) { print "check.sh: " $1 " has no area or power"; bad = 1 }
    if ($0 ~ /"cells"/ && (num($0, "cells") <= 0 || num($0, "fmax_mhz") <= 0)) { print "check.sh: " $1 " has no cells or Fmax"; bad = 1 }
}
/^    "[a-z0-9_]+": \{"pe_kind"/ {
    kinds++; seen[$1] = 1
    if (num($0, "cells") <= 0 || num($0, "area_um2") <= 0 || num($0, "power_mw") <= 0 || num($0, "fmax_mhz") <= 0) {
        print "check.sh: PE kind " $1 " has no cells, area, power or Fmax"; bad = 1
    }
    w = psumw(num($0, "rows"), num($0, "product_bound"))
    if (num($0, "psum_bits") != w) { print "check.sh: PE kind " $1 " psum_bits " num($0, "psum_bits") ", want " w; bad = 1 }
    f = 8 * num($0, "k_per_row") + 1 + w + 2 * num($0, "code_bits")
    if (num($0, "flops") != f) { print "check.sh: PE kind " $1 " has " num($0, "flops") " flops, its registers are " f " bits"; bad = 1 }
    if (num($0, "power_sequential_mw") <= 0 || num($0, "power_combinational_mw") <= 0) { print "check.sh: PE kind " $1 " has no power split"; bad = 1 }
}
/^    "(acc_int32|acc_float32|scale_unit)": / {
    gsn++; split($1, q, "\""); gs_area[q[2]] = num($0, "area_um2")
    if (num($0, "cells") <= 0 || num($0, "area_um2") <= 0 || num($0, "power_mw") <= 0 || num($0, "fmax_mhz") <= 0) { print "check.sh: " $1 " has no cells, area, power or Fmax"; bad = 1 }
    if (q[2] == "scale_unit" && num($0, "flops") != 64) { print "check.sh: the scale unit has " num($0, "flops") " flops, its pairs are 64 bits"; bad = 1 }
}
/^    "per_column_[0-9]+": / { gs_added = num($0, "added_um2") }
END {
    if (gsn != 3 || gs_area["acc_float32"] <= gs_area["acc_int32"] || gs_added <= gs_area["scale_unit"]) {
        print "check.sh: the group-scaling designs are missing or not as expected"; bad = 1
    }
    if (n != 4) { print "check.sh: expected the PE (16-bit psum), 4x4, 8x8 and 320x320; found " n; exit 1 }
    nw = split(want, wk, " ")
    for (i = 1; i <= nw; i++)
        if (!seen["\"" wk[i] "\":"]) { print "check.sh: no PE of kind " wk[i] " (the kinds: " want ")"; exit 1 }
    if (kinds != nw) { print "check.sh: expected one PE per kind (" want "); found " kinds + 0; exit 1 }
    for (i = 2; i <= n; i++)
        if (area[i] <= area[i - 1] || power[i] <= power[i - 1]) {
            print "check.sh: " name[i] " is not larger than " name[i - 1]; bad = 1
        }
    if (bad) exit 1
    print "check.sh: synthesis report is sane (" nw " PE kinds)"
}' "$report"
