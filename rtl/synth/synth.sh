#!/usr/bin/env bash
# synth.sh OUTDIR: synthesize the PE and the 4x4 and 8x8 arrays (one load
# lane, LoadRows = 1, sa35 PEs) and the PE of every PE kind (at the psum
# width of a 320-row array of that kind) to the OSU
# 0.18 um standard cells (yosys: synth, dfflibmap, abc -liberty), time them
# and estimate their power with OpenSTA, and write OUTDIR/report.json with
# the 320 x 320 extrapolation (method: docs/rtl.md, "Synthesis").
#   LIB=...      the liberty file (default: Debian's qflow-tech-osu018)
#   PERIOD=10    clock period in ns for STA and power (100 MHz)
#   ACTIVITY=0.1 toggles per net per cycle for power (inputs and internal)
#   ARRAYS="4x4 8x8"  array sizes to synthesize
#   REUSE=1      keep the netlists and logs already in OUTDIR
#   SA35_RTL_GEN=BUILD/rtl  where configure wrote the PE kinds (required)
#   PE_ONLY=1    only the PEs: report.json without arrays and extrapolation
#                (the idle and linearity runs of rtl/synth/rtl_pe_table.py)
# It also maps what group scaling adds per column (docs/rtl.md, "Group
# scaling: what it costs"): the accumulator's adder of one column today
# (int32) and with group scaling (float32 too), and one scale unit
# (sa35_scale_row of one column), at the widths of a 320-row array, with
# the per-column extrapolation to 320 columns ("group_scaling").
set -euo pipefail
out=${1:?usage: synth.sh OUTDIR}
here=$(cd "$(dirname "$0")/.." && pwd)
LIB=${LIB:-/usr/share/qflow/tech/osu018/osu018_stdcells.lib}
PERIOD=${PERIOD:-10}
ACTIVITY=${ACTIVITY:-0.1}
ARRAYS=${ARRAYS:-4x4 8x8}
[ -r "$LIB" ] || { echo "synth.sh: no liberty file $LIB (apt-get install qflow-tech-osu018)" >&2; exit 1; }
for t in yosys sta; do
    command -v $t >/dev/null || { echo "synth.sh: $t not found (apt-get install yosys opensta)" >&2; exit 1; }
done
mkdir -p "$out"

# psum bits of an R-row array: 1 + ceil(log2(B R + 1)), B the PE kind's
# product bound (default 2048: sa35)
psumw() { awk -v r="$1" -v bound="${2:-2048}" 'BEGIN { n = bound * r + 1; b = 0; v = 1; while (v < n) { v *= 2; b++ } print b + 1 }'; }
# row-sum bits of an R-row sa35 array: 1 + ceil(log2(256 R + 1))
rsumw() { psumw "$1" 256; }

# The PE kinds (docs/architecture.md, "PE kinds"), as isa/isa_gen_pe.c
# writes them from the C table (isa/isa_pe.c) at configure time: name,
# PeKind, code bits, k per PE row, product bound k_per_row * 128 * w_max;
# and sa35_pe_kind.vh beside it, which the PE includes.
gen=${SA35_RTL_GEN:?synth.sh: set SA35_RTL_GEN to BUILD/rtl (cmake --build BUILD --target rtl-synth does)}
[ -r "$gen/sa35_pe_kinds.txt" ] && [ -r "$gen/sa35_pe_kind.vh" ] ||
    { echo "synth.sh: no sa35_pe_kinds.txt and sa35_pe_kind.vh in $gen (configure the build first)" >&2; exit 1; }
KINDS=$(cat "$gen/sa35_pe_kinds.txt")


# synth NAME TOP "chparam args" FILES... -> $out/NAME.{log,v}
synth() {
    local name=$1 top=$2 params=$3; shift 3
    [ -n "${REUSE:-}" ] && [ -s "$out/$name.sta.log" ] && return 0
    yosys -q -l "$out/$name.yosys.log" -p "
        read_verilog -I$here -I$gen $*
        chparam $params $top
        synth -top $top -flatten
        rename -top $top
        dfflibmap -liberty $LIB
        abc -liberty $LIB
        opt_clean
        stat -liberty $LIB
        write_verilog -noattr $out/$name.v" >/dev/null
    sta -no_init -exit /dev/stdin >"$out/$name.sta.log" 2>&1 <<TCL
read_liberty $LIB
read_verilog $out/$name.v
link_design $top
if {[llength [get_ports -quiet clk_i]]} {
    create_clock -name clk -period $PERIOD [get_ports clk_i]
} else {
    # combinational: a virtual clock times input to output
    create_clock -name clk -period $PERIOD
}
set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk_i]]
set_output_delay 0 -clock clk [all_outputs]
set_power_activity -global -activity $ACTIVITY
set_power_activity -input -activity $ACTIVITY
report_checks -path_delay max -digits 4
report_power -digits 9
TCL
}

# JSON fields of one design from its logs
fields() {
    local name=$1
    local cells area flops slack power startp endp
    cells=$(awk '/Number of cells:/ { n = $4 } END { print n }' "$out/$name.yosys.log")
    area=$(awk '/Chip area for module/ { a = $NF } END { print a }' "$out/$name.yosys.log")
    flops=$(awk '/^ +DFF(POS|NEG)X1|^ +DFFSR/ { n += $2 } END { print n + 0 }' "$out/$name.yosys.log")
    slack=$(awk '/slack \(/ { s = $1 } END { print s }' "$out/$name.sta.log")
    power=$(awk '$1 == "Total" && NF >= 5 { p = $5 } END { print p }' "$out/$name.sta.log")
    if [ -z "$slack" ] || [ -z "$power" ]; then
        echo "synth.sh: no timing or power for $name (see $out/$name.sta.log)" >&2
        exit 1
    fi
    startp=$(awk '/^Startpoint:/ { $1 = ""; sub(/^ /, ""); print; exit }' "$out/$name.sta.log")
    endp=$(awk '/^Endpoint:/ { $1 = ""; sub(/^ /, ""); print; exit }' "$out/$name.sta.log")
    awk -v c="$cells" -v a="$area" -v f="$flops" -v s="$slack" -v p="$power" \
        -v per="$PERIOD" -v sp="$startp" -v ep="$endp" 'BEGIN {
        gsub(/"/, "", sp); gsub(/"/, "", ep)
        crit = per - s
        printf "\"cells\": %d, \"flops\": %d, \"area_um2\": %.1f, ", c, f, a
        printf "\"critical_path_ns\": %.4f, \"fmax_mhz\": %.2f, ", crit, 1000 / crit
        printf "\"power_mw\": %.6f, ", p * 1000
        printf "\"critical_path\": {\"from\": \"%s\", \"to\": \"%s\"}", sp, ep }'
}

# The sequential and combinational parts and the leakage of a design's
# OpenSTA power (mW)
power_split() {
    awk '$1 == "Sequential" && NF >= 5 { s = $5 } $1 == "Combinational" && NF >= 5 { c = $5 }
         $1 == "Total" && NF >= 5 { l = $4 }
         END { printf "\"power_sequential_mw\": %.6f, \"power_combinational_mw\": %.6f, \"power_leakage_mw\": %.9f", s * 1000, c * 1000, l * 1000 }' "$out/$1.sta.log"
}

# The PE of a kind reads only that kind's unpack: the other modules are
# not elaborated, and reading them would renumber yosys's internal names,
# which moves abc's mapping (and OpenSTA's power in the 7th digit) for the
# same logic.
pe_files() { echo "$here/sa35_unpack_$1.v $here/sa35_pe.v"; }
rtl=$(pe_files sa35)
arr="$rtl $here/sa35_delay.v $here/sa35_array.v"
if [ -n "${PE_ONLY:-}" ]; then ARRAYS=""; fi
# The sa35 PE at the psum widths of the arrays measured and of 320 rows.
pe_widths=""
for size in $ARRAYS 320x320; do pe_widths="$pe_widths $(psumw "${size%x*}")"; done
pe_widths=$(printf '%s\n' $pe_widths | sort -n | uniq)
for w in $pe_widths; do
    echo "synth.sh: sa35_pe, PsumW = $w" >&2
    synth "pe_w$w" sa35_pe "-set PeKind 0 -set PsumW $w" $rtl
done
# Every kind's PE at the psum width of its 320-row array (sa35: the one
# above).
pe_kind_design() {
    local kind=$1 w=$2
    if [ "$kind" = sa35 ]; then echo "pe_w$w"; else echo "pe_${kind}_w$w"; fi
}
for k in $KINDS; do
    IFS=: read -r kind num _ _ bound <<<"$k"
    w=$(psumw 320 "$bound")
    d=$(pe_kind_design "$kind" "$w")
    [ "$kind" = sa35 ] && continue
    echo "synth.sh: sa35_pe, PeKind = $num ($kind), PsumW = $w" >&2
    synth "$d" sa35_pe "-set PeKind $num -set PsumW $w" $(pe_files "$kind")
done
for size in $ARRAYS; do
    echo "synth.sh: sa35_array $size" >&2
    synth "array_$size" sa35_array "-set Rows ${size%x*} -set Cols ${size#*x}" $arr
done

# Group scaling, per column at 320 rows (sa35): the accumulator adder
# without and with the float32 path, and one scale unit.
gs_w=$(psumw 320)
gs_rs=$(rsumw 320)
fp="$here/sa35_fp_add.v"
gsu="$here/sa35_scale_row.v $here/sa35_delay.v $here/sa35_gs_term.v $here/sa35_fp_mul.v $fp"
if [ -z "${PE_ONLY:-}" ]; then
    echo "synth.sh: group scaling: accumulator adders, scale unit" >&2
    synth gs_acc_int sa35_acc_add "-set PsumW $gs_w" $here/sa35_acc_add.v
    synth gs_acc_float sa35_acc_add "-set PsumW 32 -set GroupScale 1" $here/sa35_acc_add.v $fp
    synth gs_scale_unit sa35_scale_row "-set Cols 1 -set PsumW $gs_w -set RsumW $gs_rs" $gsu
fi

# group scaling: the three designs and their per-column extrapolation
# (docs/rtl.md): per column today A_int; with group scaling A_unit +
# A_float + (32 - w) (C - 1) / 2 + 1 flops (the de-skew 32 bits wide, the
# gs bit on the bottom edge), and the scale words' c-cycle delay lines
# with their valid bit, 33 (C - 1) / 2 flops a column on average, apart
# (modelled as the load lanes' code delays are; a chip skews the reads)
gs_json() {
    awk -v dff="$dff_area" -v w="$gs_w" -v cols=320 \
        -v ai="$(awk '/Chip area for module/ { a = $NF } END { print a }' "$out/gs_acc_int.yosys.log")" \
        -v af="$(awk '/Chip area for module/ { a = $NF } END { print a }' "$out/gs_acc_float.yosys.log")" \
        -v au="$(awk '/Chip area for module/ { a = $NF } END { print a }' "$out/gs_scale_unit.yosys.log")" \
        -v pi="$(awk '$1 == "Total" && NF >= 5 { p = $5 } END { print p * 1000 }' "$out/gs_acc_int.sta.log")" \
        -v pf="$(awk '$1 == "Total" && NF >= 5 { p = $5 } END { print p * 1000 }' "$out/gs_acc_float.sta.log")" \
        -v pu="$(awk '$1 == "Total" && NF >= 5 { p = $5 } END { print p * 1000 }' "$out/gs_scale_unit.sta.log")" \
        -v pseq="$(awk '$1 == "Sequential" && NF >= 5 { p = $5 } END { print p * 1000 }' "$out/gs_scale_unit.sta.log")" \
        'BEGIN {
        deskew = (32 - w) * (cols - 1) / 2 + 1
        words = 33 * (cols - 1) / 2
        today = ai; gs = au + af + deskew * dff
        printf "    \"per_column_%d\": {\"method\": \"extrapolation, linear per column: today the int32 accumulator adder (gs_acc_int); with group scaling the scale unit (gs_scale_unit) + the float32-capable adder (gs_acc_float) + ((32 - w) (C - 1) / 2 + 1) flops at the DFFPOSX1 area (the de-skew 32 bits wide instead of w = %d, on average over the columns; the gs bit on the bottom edge); the delay lines of the scale words and their valid bit (33 (C - 1) / 2 flops a column, as modelled) apart; power: the designs at the flow activity, and the added flops at the sequential power per flop of the scale unit (of its 64)\", ", cols, w
        printf "\"today_um2\": %.1f, \"group_scaled_um2\": %.1f, \"added_um2\": %.1f, \"deskew_flops\": %.1f, \"word_delay_flops\": %.1f, \"word_delay_um2\": %.1f, ", today, gs, gs - today, deskew, words, words * dff
        printf "\"today_mm2_all_columns\": %.3f, \"group_scaled_mm2_all_columns\": %.3f, \"added_mm2_all_columns\": %.3f, \"word_delay_mm2_all_columns\": %.3f, ", today * cols / 1e6, gs * cols / 1e6, (gs - today) * cols / 1e6, words * dff * cols / 1e6
        pflop = pseq / 64
        pg = pu + pf + deskew * pflop
        printf "\"power_per_flop_mw\": %.6f, \"power_today_mw\": %.4f, \"power_group_scaled_mw\": %.4f, \"power_today_mw_all_columns\": %.2f, \"power_group_scaled_mw_all_columns\": %.2f, \"power_word_delay_mw_all_columns\": %.2f}\n", pflop, pi, pg, pi * cols, pg * cols, words * pflop * cols
    }'
}

dff_area=$(awk '/cell \(DFFPOSX1\)/ { f = 1 } f && /area/ { gsub(/[^0-9.]/, "", $3); print $3; exit }' "$LIB")

{
    printf '{\n  "library": "%s",\n  "clock_period_ns": %s,\n  "activity": %s,\n' "$LIB" "$PERIOD" "$ACTIVITY"
    printf '  "power_conditions": "report_power at the clock period above, set_power_activity -global and -input %s",\n' "$ACTIVITY"
    printf '  "dff_area_um2": %s,\n  "pe": {\n' "$dff_area"
    first=1
    for w in $pe_widths; do
        [ $first = 1 ] || printf ',\n'
        first=0
        printf '    "psum_bits_%s": {%s}' "$w" "$(fields "pe_w$w")"
    done
    printf '\n  },\n  "pe_kinds": {\n'
    first=1
    for k in $KINDS; do
        IFS=: read -r kind num cw kpr bound <<<"$k"
        w=$(psumw 320 "$bound")
        d=$(pe_kind_design "$kind" "$w")
        [ $first = 1 ] || printf ',\n'
        first=0
        printf '    "%s": {"pe_kind": %s, "code_bits": %s, "k_per_row": %s, "product_bound": %s, "rows": 320, "psum_bits": %s, "design": "%s", %s, %s}' \
            "$kind" "$num" "$cw" "$kpr" "$bound" "$w" "$d" "$(fields "$d")" "$(power_split "$d")"
    done
    printf '\n  },\n  "arrays": {\n'
    first=1
    for size in $ARRAYS; do
        [ $first = 1 ] || printf ',\n'
        first=0
        printf '    "%s": {"psum_bits": %s, %s}' "$size" "$(psumw "${size%x*}")" "$(fields "array_$size")"
    done
    if [ -z "${PE_ONLY:-}" ]; then
        printf '\n  },\n  "group_scaling": {\n'
        printf '    "rows": 320, "psum_bits": %s, "rsum_bits": %s,\n' "$gs_w" "$gs_rs"
        printf '    "acc_int32": {%s},\n' "$(fields gs_acc_int)"
        printf '    "acc_float32": {%s},\n' "$(fields gs_acc_float)"
        printf '    "scale_unit": {%s},\n' "$(fields gs_scale_unit)"
        gs_json
    fi
    printf '\n  }\n}\n'
} >"$out/measured.json"

if [ -n "${PE_ONLY:-}" ]; then
    # no arrays: no extrapolation either
    cp "$out/measured.json" "$out/report.json"
    echo "synth.sh: wrote $out/report.json (PEs only)" >&2
    exit 0
fi

# The extrapolation (docs/rtl.md; the sa35 arrays): area = R C A_pe(w_R) + (17 R(R-1)/2 +
# w_R C(C-1)/2 + 7 C(C-1)/2 + (1 + b_R)(C-1)) A_dff (the last two: the one
# load lane's column delays, b_R row-index bits); power = area x the power density of the largest
# array measured. Each measured array is predicted the same way to show the
# method's error.
awk -v dff="$dff_area" -v sizes="$ARRAYS" -v big=320x320 '
function psumw(r,   n, b, v) { n = 2048 * r + 1; b = 0; v = 1; while (v < n) { v *= 2; b++ } return b + 1 }
function num(s, key,   i, t) { i = index(s, "\"" key "\": "); t = substr(s, i + length(key) + 4); return t + 0 }
function roww(r,   b, v) { b = 0; v = 1; while (v < r) { v *= 2; b++ } return b > 0 ? b : 1 }
function model(r, c,   w) { w = psumw(r); return r * c * pe_area[w] + (17 * r * (r - 1) / 2 + w * c * (c - 1) / 2 + 7 * c * (c - 1) / 2 + (1 + roww(r)) * (c - 1)) * dff }
{ lines = lines $0 "\n" }
/"psum_bits_[0-9]+"/ { match($0, /psum_bits_[0-9]+/); w = substr($0, RSTART + 10, RLENGTH - 10) + 0
                       pe_area[w] = num($0, "area_um2"); pe_power[w] = num($0, "power_mw") }
/^    "[0-9]+x[0-9]+"/ { split($1, q, "\""); s = q[2]; ar_area[s] = num($0, "area_um2"); ar_power[s] = num($0, "power_mw"); ar_fmax[s] = num($0, "fmax_mhz"); last = s }
END {
    sub(/\n  }\n}\n$/, "", lines)
    printf "%s\n  },\n  \"extrapolation\": {\n", lines
    printf "    \"method\": \"area(RxC) = R*C*A_pe(w_R) + (17*R*(R-1)/2 + w_R*C*(C-1)/2 + 7*C*(C-1)/2 + (1+b_R)*(C-1)) * A_dff: the PEs synthesized at the psum width w_R of R rows, plus the skew (17 bits per stage), de-skew (w_R bits per stage) and load-lane column delay (7-bit codes, valid and b_R-bit row index; one lane) registers at the DFFPOSX1 area; power(RxC) = area(RxC) * the power density (mW/um^2) of the %s array at the same clock and activity; Fmax: that of the PE at w_R and of the %s array, the smaller (the array is a grid of PEs with local wires only)\",\n", last, last
    n = split(sizes, S, " ")
    printf "    \"checks\": {"
    for (i = 1; i <= n; i++) {
        split(S[i], rc, "x")
        pa = model(rc[1], rc[2])
        printf "%s\"%s\": {\"area_model_um2\": %.1f, \"area_measured_um2\": %.1f, \"area_error_pct\": %.2f}", (i > 1 ? ", " : ""), S[i], pa, ar_area[S[i]], 100 * (pa - ar_area[S[i]]) / ar_area[S[i]]
    }
    printf "},\n"
    split(big, rc, "x")
    w = psumw(rc[1])
    a = model(rc[1], rc[2])
    dens = ar_power[last] / ar_area[last]
    fm = ar_fmax[last]
    printf "    \"%s\": {\"psum_bits\": %d, \"area_um2\": %.0f, \"area_mm2\": %.2f, \"power_mw\": %.1f, \"power_w\": %.3f, \"fmax_mhz_estimate\": %.1f}\n  }\n}\n", big, w, a, a / 1e6, a * dens, a * dens / 1000, fm
}' "$out/measured.json" >"$out/report.json"
echo "synth.sh: wrote $out/report.json" >&2
