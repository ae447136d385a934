"""sim, model, project and sweep against the sa35 program's files."""

import json

import numpy as np
import pandas as pd
import pytest

import sa35


def stats_of(cli, tmp_path, *args):
    cli("sim", *args, "--stats", "s.json")
    return json.loads((tmp_path / "s.json").read_text())


@pytest.mark.parametrize("args,kw", [
    (["--gemm", "8,64,40", "--array", "8x8"], {"array": (8, 8)}),
    (["--gemm", "3,200,33", "--array", "16x8", "--pe", "int8",
      "--load-rows", "2", "--dram-bw", "16/3", "--dram-latency", "7"],
     {"array": "16x8", "pe": "int8", "load_rows": 2, "dram_bw": (16, 3),
      "dram_latency": 7}),
    (["--gemm", "4,96,20", "--array", "16x8", "--group", "32"],
     {"array": (16, 8), "group": 32}),
])
@pytest.mark.parametrize("engine", ["timing", "sim"])
def test_sim_equals_cli_stats(cli, tmp_path, args, kw, engine):
    ref = stats_of(cli, tmp_path, *args, "--engine", engine)
    M, K, N = (int(v) for v in args[1].split(","))
    st = sa35.sim(M, K, N, engine=engine, **kw)
    assert st == ref
    assert st["cycles"] > 0 and st["engine"] == engine
    if engine == "sim":  # the activity of the CLI's random data, counted
        assert st["activity"] == ref["activity"]


def test_sim_seed_changes_the_data_not_the_cycles(cli, tmp_path):
    ref = stats_of(cli, tmp_path, "--gemm", "8,64,40", "--array", "8x8",
                   "--engine", "sim", "--seed", "7")
    st = sa35.sim(8, 64, 40, array=(8, 8), engine="sim", seed=7)
    assert st == ref
    other = sa35.sim(8, 64, 40, array=(8, 8), engine="sim", seed=1)
    assert other["cycles"] == st["cycles"]
    assert other["activity"] != st["activity"]


def test_sim_errors():
    with pytest.raises(sa35.Error, match=r"K must be an integer in 1\.\.\d+, "
                                         r"got 0"):
        sa35.sim(8, 0, 8)
    with pytest.raises(sa35.Error, match="bad PE kind 'int2'"):
        sa35.sim(8, 64, 8, pe="int2")
    with pytest.raises(sa35.Error, match="engine must be sim or timing"):
        sa35.sim(8, 64, 8, engine="rtl")
    with pytest.raises(sa35.Error, match="latency needs a DRAM bandwidth"):
        sa35.sim(8, 64, 8, dram_latency=3)
    with pytest.raises(sa35.Error, match="multiple of 16"):
        sa35.sim(8, 64, 8, group=20)


@pytest.mark.parametrize("args,kw", [
    ([], {}),
    (["--phase", "prefill", "--seq", "128", "--batch", "2"],
     {"phase": "prefill", "seq": 128, "batch": 2}),
    (["--group", "128"], {"group": 128}),
])
def test_model_equals_cli_totals(cli, tmp_path, args, kw):
    cli("model", "llama-2-7b", "--system", "hbm1", "--out", "m", "--quiet",
        *args)
    totals, layers = sa35.model("llama-2-7b", "hbm1", **kw)
    assert totals == json.loads((tmp_path / "m/totals.json").read_text())
    ref = pd.read_csv(tmp_path / "m/layers.csv")
    pd.testing.assert_frame_equal(layers, ref)
    assert totals["cycles"] > 0 and len(layers) > 32
    assert totals["cycles"] >= layers["cycles"].max()


def test_model_keeps_its_files_in_out(tmp_path):
    totals, _ = sa35.model("llama-2-7b", system="hbm1", out=tmp_path / "o")
    assert json.loads((tmp_path / "o/totals.json").read_text()) == totals
    assert (tmp_path / "o/layers.json").exists()


def test_model_errors(tmp_path):
    with pytest.raises(sa35.Error, match="no model called 'llama-9'"):
        sa35.model("llama-9", "hbm1")
    with pytest.raises(sa35.Error, match="phase must be decode or prefill"):
        sa35.model("llama-2-7b", "hbm1", phase="train")
    with pytest.raises(sa35.Error, match=r"batch must be an integer in "
                                         r"1\.\.\d+, got 0"):
        sa35.model("llama-2-7b", "hbm1", batch=0)
    cfg = tmp_path / "bad.json"
    cfg.write_text('{"hidden_size": 64}')
    with pytest.raises(sa35.Error, match="bad.json"):
        sa35.model(str(cfg), "hbm1")


def without_clock(report):
    """The report less the wall-clock seconds the activity measurement
    took (the one figure that differs between two runs)."""
    for part in [report] + report["by_format"]:
        assert part["activity"].pop("seconds") >= 0
    return report


def test_project_equals_cli(cli, tmp_path):
    cli("project", "llama-2-7b", "--system", "hbm1", "--formats",
        "sa35,int4-g128", "--out", "p", "--quiet")
    report, table = sa35.project("llama-2-7b", "hbm1",
                                 formats=["sa35", "int4-g128"])
    ref = json.loads((tmp_path / "p/project.json").read_text())
    assert without_clock(report) == without_clock(ref)
    pd.testing.assert_frame_equal(table,
                                  pd.read_csv(tmp_path / "p/project.csv"))
    assert list(table["format"]) == ["sa35", "int4-g128"]
    assert (table["tokens_per_s"] > 0).all()


def test_project_errors():
    with pytest.raises(sa35.Error, match="int5"):
        sa35.project("llama-2-7b", "hbm1", formats="sa35,int5")
    with pytest.raises(sa35.Error, match="activity must be 'measured'"):
        sa35.project("llama-2-7b", "hbm1", activity=2)
    with pytest.raises(sa35.Error, match="no system called 'hbm9'"):
        sa35.project("llama-2-7b", "hbm9")


SPEC = {"model": "llama-2-7b", "system": "hbm1", "phase": "decode",
        "batch": 1, "seq": 256,
        "axes": [{"load_rows": [1, 4]}, {"format": ["sa35", "int4"]}]}


def test_sweep_equals_cli_csv(cli, tmp_path):
    (tmp_path / "spec.json").write_text(json.dumps(SPEC))
    cli("sweep", "spec.json", "-o", "s", "-j", "2", "--quiet")
    ref = pd.read_csv(tmp_path / "s/sweep.csv")
    for spec in (SPEC, tmp_path / "spec.json"):
        got = sa35.sweep(spec, jobs=2)
        pd.testing.assert_frame_equal(got, ref)
    assert len(ref) == 4 and ref["pareto"].sum() >= 1
    # a directory of its own, rerun: the points it holds are skipped
    out = tmp_path / "mine"
    first = sa35.sweep(SPEC, out=out, jobs=1)
    assert (out / "sweep.csv").read_bytes() == (
        tmp_path / "s/sweep.csv").read_bytes()
    pd.testing.assert_frame_equal(sa35.sweep(SPEC, out=out), first)


def test_sweep_errors(tmp_path):
    with pytest.raises(sa35.Error, match="no_such_key"):
        sa35.sweep(dict(SPEC, no_such_key=1))
    with pytest.raises(sa35.Error, match="missing.json"):
        sa35.sweep(tmp_path / "missing.json")


@pytest.mark.parametrize("call,message", [
    (lambda: sa35.sim(8, 64, 8, load_rows=2 ** 40), "load_rows must be"),
    (lambda: sa35.sim(8, 64, 8, dram_bw=(-1, 2)), "dram_bw's NUM must be"),
    (lambda: sa35.sim(8, 64, 8, seed=-1), "seed must be"),
    (lambda: sa35.model("llama-2-7b", "hbm1", seq=2 ** 64), "seq must be"),
    (lambda: sa35.project("llama-2-7b", "hbm1", node=-7), "node must be"),
    (lambda: sa35.sweep(SPEC, jobs=True), "jobs must be"),
])
def test_out_of_range_arguments_are_errors(call, message):
    # refused by the binding before a C argument could wrap or overflow
    with pytest.raises(sa35.Error, match=message):
        call()
