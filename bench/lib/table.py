#!/usr/bin/env python3
"""Prints the benchmark table: median of runs per endpoint, next to its budget and the static ceiling.

Input: a directory with one JSON file per wrk run, named <case>.<run>.json (written by bench/lib/report.lua),
and a cases file with lines "<case>\t<label>\t<budget_p99_ms or ->".
Output: a Markdown table on stdout; exit 1 if any budget is missed or any run had errors (--strict).
"""
import argparse
import json
import statistics
import sys
from pathlib import Path


def load_runs(results_dir: Path, case: str):
    runs = []
    for p in sorted(results_dir.glob(f"{case}.*.json")):
        runs.append(json.loads(p.read_text()))
    return runs


def fmt_ms(us: float) -> str:
    return f"{us / 1000:.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("results_dir", type=Path)
    ap.add_argument("cases", type=Path)
    ap.add_argument("--ceiling", default="static", help="case whose req/s is the ceiling")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a budget is missed or a run had errors")
    args = ap.parse_args()

    cases = []
    for line in args.cases.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, label, budget = line.split("\t")
            cases.append((name, label, None if budget == "-" else float(budget)))

    medians = {}
    for name, _, _ in cases:
        runs = load_runs(args.results_dir, name)
        if not runs:
            continue
        errors = sum(sum(r["errors"].values()) for r in runs)
        medians[name] = {
            "runs": len(runs),
            "rps": statistics.median(r["rps"] for r in runs),
            "p50": statistics.median(r["latency_us"]["p50"] for r in runs),
            "p99": statistics.median(r["latency_us"]["p99"] for r in runs),
            "p999": statistics.median(r["latency_us"]["p999"] for r in runs),
            "errors": errors,
            "requests": sum(r["requests"] for r in runs),
        }

    ceiling = medians.get(args.ceiling, {}).get("rps")
    rows = [
        "| endpoint | runs | req/s (median) | vs ceiling | p50 ms | p99 ms | p99.9 ms | budget | verdict | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---:|",
    ]
    bad = False
    for name, label, budget in cases:
        m = medians.get(name)
        if not m:
            rows.append(f"| {label} | 0 | – | – | – | – | – | – | not run | – |")
            bad = True
            continue
        ratio = f"{m['rps'] / ceiling:.0%}" if ceiling else "–"
        if budget is None:
            budget_s, verdict = "ceiling", "–"
        else:
            budget_s = f"p99 ≤ {budget:g} ms"
            ok = m["p99"] / 1000 <= budget
            verdict = "ok" if ok else "**over budget**"
            bad |= not ok
        if m["errors"]:
            verdict = f"**{m['errors']} errors** of {m['requests']:,} requests"
            bad = True
        rows.append(
            f"| {label} | {m['runs']} | {m['rps']:,.0f} | {ratio} | {fmt_ms(m['p50'])} | {fmt_ms(m['p99'])} "
            f"| {fmt_ms(m['p999'])} | {budget_s} | {verdict} | {m['errors']} |"
        )
    print("\n".join(rows))
    return 1 if (bad and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
