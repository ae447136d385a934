#!/usr/bin/env python3
"""rtl_pe_table.py: power/tables/rtl_pe.json from the synthesis flow's reports.

    rtl_pe_table.py REPORT IDLE_REPORT CHECK_REPORT [-o OUT]

REPORT is rtl/synth/synth.sh's report.json at its default activity (0.1),
IDLE_REPORT the same flow at ACTIVITY=0 and CHECK_REPORT at ACTIVITY=0.5
(PE_ONLY=1 is enough for those two). Every number of the table comes from
them or from the liberty file they name; nothing is typed in here. The
table holds the constants all PE kinds share (node, voltage, clock,
activities) and, per PE kind of the report's "pe_kinds" (sa35, int4, int8),
the constants KIND.NAME that power/pe_rtl.c reads (docs/power.md, "Two
derivations of the PE"). `cmake --build BUILD --target rtl-pe-table` runs the
three flows and this script into the source tree.
"""
import argparse
import json
import re
import sys

FLOW = "cmake --build build --target rtl-synth (rtl/synth/synth.sh)"


def load(path):
    with open(path) as f:
        return json.load(f)


def liberty_voltage(lib):
    with open(lib) as f:
        for line in f:
            m = re.match(r"\s*nom_voltage\s*:\s*([0-9.]+)\s*;", line)
            if m:
                return float(m.group(1))
    sys.exit("rtl_pe_table.py: no nom_voltage in %s" % lib)


def liberty_node(lib):
    # the OSU libraries name their node: osu018 is 0.18 um, osu035 0.35 um
    m = re.search(r"osu0(\d\d)", lib)
    if not m:
        sys.exit("rtl_pe_table.py: cannot tell the node of %s" % lib)
    return int(m.group(1)) * 10


def g(v):
    """A number as the table writes it: integers bare, others as given."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return repr(v)


def const(name, value, unit, source):
    return ('    {"name": %s, "value": %s, "unit": %s,\n     "source": %s}'
            % (json.dumps(name), g(value), json.dumps(unit),
               json.dumps(source)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("report")
    ap.add_argument("idle")
    ap.add_argument("check")
    ap.add_argument("-o", "--out")
    args = ap.parse_args()
    rep, idle, chk = load(args.report), load(args.idle), load(args.check)
    lib = rep["library"]
    for r, what in ((idle, "idle"), (chk, "check")):
        if r["library"] != lib or r["clock_period_ns"] != rep["clock_period_ns"]:
            sys.exit("rtl_pe_table.py: the %s report is of another library "
                     "or clock" % what)
    if idle["activity"] != 0:
        sys.exit("rtl_pe_table.py: the idle report is at activity %s, not 0"
                 % idle["activity"])
    a1, a2 = rep["activity"], chk["activity"]
    period = rep["clock_period_ns"]
    kinds = rep["pe_kinds"]

    out = []
    out.append(const(
        "node_nm", liberty_node(lib), "nm",
        "the library of the RTL flow: %s (Debian qflow-tech-osu018), "
        "report.json key 'library'" % lib))
    out.append(const("vdd_v", liberty_voltage(lib), "V",
                     "%s: nom_voltage : %s" % (lib.rsplit("/", 1)[-1],
                                               g(liberty_voltage(lib)))))
    out.append(const(
        "clock_period_ns", period, "ns",
        "%s, report.json key clock_period_ns (synth.sh PERIOD default; "
        "OpenSTA create_clock -period %s)" % (FLOW.split(" (")[0], g(period))))
    out.append(const(
        "activity", a1, "toggles per net per cycle",
        "%s, report.json key activity (synth.sh ACTIVITY default; OpenSTA "
        "set_power_activity -global and -input %s)"
        % (FLOW.split(" (")[0], g(a1))))
    out.append(const("check_activity", a2, "toggles per net per cycle",
                     "linearity check: ACTIVITY=%s PE_ONLY=1 "
                     "rtl/synth/synth.sh OUTDIR" % g(a2)))
    for kind, e in kinds.items():
        ie, ce = idle["pe_kinds"][kind], chk["pe_kinds"][kind]
        for r in (ie, ce):
            if (r["cells"], r["flops"], r["area_um2"]) != \
                    (e["cells"], e["flops"], e["area_um2"]):
                sys.exit("rtl_pe_table.py: %s: the reports are of different "
                         "netlists" % kind)
        key = "pe_kinds.%s" % kind
        p, p0, p2 = e["power_mw"], ie["power_mw"], ce["power_mw"]
        pred = p0 + (p - p0) * a2 / a1
        what = ("the %s PE (rtl/sa35_pe.v, PeKind %d: %d-bit codes, %d "
                "k-value%s per PE row: %d MAC%s per busy cycle)"
                % (kind, e["pe_kind"], e["code_bits"], e["k_per_row"],
                   "s" if e["k_per_row"] > 1 else "", e["k_per_row"],
                   "s" if e["k_per_row"] > 1 else ""))
        out.append(const(
            kind + ".psum_bits", e["psum_bits"], "bits",
            "%s, report.json key %s.psum_bits: %s synthesized with PsumW = "
            "%d, the psum of a %d-row array (product bound %d)"
            % (FLOW, key, what, e["psum_bits"], e["rows"],
               e["product_bound"])))
        out.append(const(
            kind + ".flops", e["flops"], "count",
            "%s, report.json key %s.flops (%d activation + 1 swap + %d psum "
            "+ %d active + %d shadow weight bits)"
            % (FLOW.split(" (")[0], key, 8 * e["k_per_row"], e["psum_bits"],
               e["code_bits"], e["code_bits"])))
        out.append(const(
            kind + ".cells", e["cells"], "count",
            "%s, report.json key %s.cells (yosys stat -liberty)"
            % (FLOW.split(" (")[0], key)))
        out.append(const(
            kind + ".area_um2", e["area_um2"], "um^2",
            "%s, report.json key %s.area_um2 (yosys stat -liberty; "
            "informational)" % (FLOW.split(" (")[0], key)))
        out.append(const(
            kind + ".fmax_mhz", e["fmax_mhz"], "MHz",
            "%s, report.json key %s.fmax_mhz (OpenSTA: critical path %s ns; "
            "informational)" % (FLOW.split(" (")[0], key,
                                g(e["critical_path_ns"]))))
        out.append(const(
            kind + ".power_mw", p, "mW",
            "%s, report.json key %s.power_mw: OpenSTA report_power Total at "
            "clock_period_ns and activity above (%s mW sequential + %s "
            "combinational)" % (FLOW.split(" (")[0], key,
                                "%.6f" % e["power_sequential_mw"],
                                "%.6f" % e["power_combinational_mw"])))
        out.append(const(
            kind + ".power_idle_mw", p0, "mW",
            "the same PE at activity 0: ACTIVITY=0 PE_ONLY=1 "
            "rtl/synth/synth.sh OUTDIR, report.json key %s.power_mw (same "
            "netlist, %d cells). The part that does not follow data "
            "toggles: the clock pins of the %d flops, which OpenSTA toggles "
            "with the clock, and leakage (%.3f uW)"
            % (key, ie["cells"], ie["flops"], 1000 * ie["power_leakage_mw"])))
        out.append(const(
            kind + ".check_power_mw", p2, "mW",
            "ACTIVITY=%s PE_ONLY=1 rtl/synth/synth.sh OUTDIR, report.json "
            "key %s.power_mw; the rule E(a) above predicts %.6f from "
            "power_mw and power_idle_mw (%.1e relative)"
            % (g(a2), key, pred, abs(pred - p2) / p2)))

    names = ", ".join(kinds)
    text = ('{\n  "table": "rtl_pe",\n  "description": %s,\n'
            '  "constants": [\n%s\n  ]\n}\n'
            % (json.dumps(
                "OpenSTA power of the synthesized PE of each PE kind (%s: "
                "rtl/sa35_pe.v with PeKind set, PsumW = the psum of a "
                "320-row array of that kind) at OSU 0.18 um, written by "
                "rtl/synth/rtl_pe_table.py from the flow's report.json. "
                "Constants KIND.NAME are one kind's; the others are shared. "
                "Energy per busy cycle at toggle rate a: E(a) = (P0 + (P1 - "
                "P0) a / a1) T, then node-scaled with node_scaling from "
                "180 nm / 1.8 V (docs/power.md, 'Two derivations of the PE')."
                % names), ",\n".join(out)))
    json.loads(text)  # what we write is JSON
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
