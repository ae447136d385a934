#!/usr/bin/env bash
# check.sh REPORT.json: the synthesis numbers are sane: every cell count,
# area, Fmax and power is positive, and area and power grow from the PE to
# the 4x4 to the 8x8 array and to the 320 x 320 extrapolation.
set -euo pipefail
report=${1:?usage: check.sh REPORT.json}
awk '
function num(s, key,   i) { i = index(s, "\"" key "\": "); if (!i) return -1; return substr(s, i + length(key) + 4) + 0 }
/^    "(psum_bits_16|4x4|8x8|320x320)": / {
    n++; name[n] = $1
    area[n] = num($0, "area_um2"); power[n] = num($0, "power_mw")
    if (area[n] <= 0 || power[n] <= 0) { print "check.sh: " $1 " has no area or power"; bad = 1 }
    if ($0 ~ /"cells"/ && (num($0, "cells") <= 0 || num($0, "fmax_mhz") <= 0)) { print "check.sh: " $1 " has no cells or Fmax"; bad = 1 }
}
END {
    if (n != 4) { print "check.sh: expected the PE (16-bit psum), 4x4, 8x8 and 320x320; found " n; exit 1 }
    for (i = 2; i <= n; i++)
        if (area[i] <= area[i - 1] || power[i] <= power[i - 1]) {
            print "check.sh: " name[i] " is not larger than " name[i - 1]; bad = 1
        }
    if (bad) exit 1
    print "check.sh: synthesis report is sane"
}' "$report"
