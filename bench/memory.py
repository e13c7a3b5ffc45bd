"""Memory over a long session: the monkey's resident memory, input by input, and a verdict.

The monkey of the tests (``tests/monkey.py``: random clicks, keys, wheel turns and
window resizes on every screen, a screen forced every 250 inputs) runs as a
program of its own for each seed, so what is measured is the game alone. Its
resident memory is sampled every ``--every`` inputs, and each ``--window`` of
inputs is printed as its lowest and highest sample. A sample swings with the
screen and window of the moment (a 2560×1440 text page weighs more than a
1024×768 menu); what leaks raises the floor, the lowest sample of each window,
so the verdict reads the floors.

Verdict: after the warm-up (the first fifth of the run, when screens, font sizes
and caches are met for the first time) memory is flat when the median floor of
the second half is within ``GROWTH_ALLOWED`` of the first half's, and the line
fitted through the floors rises by less than ``SLOPE_ALLOWED`` per 10,000
inputs. (Before the fix the monkey grew by about 1,500 MB per 10,000 inputs.)
Peak is the process's high-water mark, which the tests keep under 300 MB.

A clipped label is reported here, not fatal (the tests fail on it): this bench
measures memory. A crash ends the seed's run, with its report.

    python bench/memory.py [--inputs 50000] [--seeds 20240611 777] [--every 100] [--window 1000]

Linux only for the curve (it reads /proc); the peak is measured elsewhere too.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
MONKEY = ROOT / "tests" / "monkey.py"
WARM_UP = 0.2  # the share of the run that is warm-up
GROWTH_ALLOWED = 1.10  # the second half's median within 10 % of the first half's
SLOPE_ALLOWED = 10.0  # MB per 10,000 inputs, fitted after the warm-up


def run_seed(
    inputs: int, seed: int, every: int, window: int
) -> tuple[dict | None, list[tuple[int, float]]]:
    """One monkey run: its report (None if it crashed), and the floor of each window
    (the lowest sample in it), as printed."""
    curve: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "SDL_VIDEODRIVER": os.environ.get("SDL_VIDEODRIVER", "dummy"),
            "SDL_AUDIODRIVER": "dummy",
            "PYGAME_HIDE_SUPPORT_PROMPT": "1",
            "ENVOY_CONFIG_DIR": str(Path(folder) / "config"),
            "ENVOY_MODS_DIR": str(Path(folder) / "mods"),
            "PYTHONPATH": str(ROOT),  # this checkout's game, not the one installed
        }
        command = [
            *(sys.executable, str(MONKEY), "--inputs", str(inputs), "--seed", str(seed)),
            *("--saves", str(Path(folder) / "saves"), "--sample-every", str(every)),
            *("--clipped-text", "warn"),
        ]
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env
        ) as child:
            err, samples = [], []
            for line in child.stderr:
                err.append(line)
                if line.endswith(" MB\n") and " inputs: " in line:
                    done, mb = line.split(" inputs: ")
                    samples.append(float(mb.split()[0]))
                    if (int(done) + every) % window == 0:  # the window's last sample
                        curve.append((int(done) + every - window, min(samples)))
                        low, high = min(samples), max(samples)
                        bar = "#" * round(low / 10) + "-" * round((high - low) / 10)
                        print(
                            f"  {curve[-1][0]:>7,} inputs  {low:4.0f} to {high:4.0f} MB  {bar}",
                            flush=True,
                        )
                        samples = []
            out = child.stdout.read()
            child.wait()
    problems = [line.rstrip() for line in err if "UserWarning" in line]
    for problem in dict.fromkeys(problems):
        print(f"  found: {problem.split('UserWarning: ', 1)[-1]}")
    if child.returncode != 0:
        tail = "".join(err).strip().splitlines()[-12:]
        print("  the run crashed:\n    " + "\n    ".join(tail))
        return None, curve
    return json.loads(out.splitlines()[-1]), curve


def verdict(curve: list[tuple[int, float]], inputs: int) -> tuple[bool, str]:
    """Flat or growing, and why, from the floors: medians and a fitted trend."""
    later = [(done, mb) for done, mb in curve if done >= inputs * WARM_UP]
    if len(later) < 4:
        return False, "too few samples after the warm-up for a verdict"
    half = len(later) // 2
    early, late = median(mb for _, mb in later[:half]), median(mb for _, mb in later[half:])
    mean_x = sum(x for x, _ in later) / len(later)
    mean_y = sum(y for _, y in later) / len(later)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in later) / sum(
        (x - mean_x) ** 2 for x, _ in later
    )
    per_10k = slope * 10_000
    flat = late <= early * GROWTH_ALLOWED and per_10k < SLOPE_ALLOWED
    words = (
        f"after the warm-up, median floor {early:.0f} MB then {late:.0f} MB "
        f"(allowed {early * GROWTH_ALLOWED:.0f}), trend {per_10k:+.1f} MB per 10,000 inputs "
        f"(allowed < {SLOPE_ALLOWED:.0f})"
    )
    return flat, words


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=50_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[20240611])
    parser.add_argument("--every", type=int, default=100, help="inputs between samples")
    parser.add_argument("--window", type=int, default=1000, help="inputs per line of the curve")
    args = parser.parse_args()
    if not Path("/proc/self/status").exists():
        print("the memory curve needs Linux's /proc; no figures here")
        return 0
    failed = False
    for seed in args.seeds:
        print(
            f"seed {seed}: {args.inputs:,} random inputs; resident memory sampled every "
            f"{args.every:,}, lowest and highest of each {args.window:,}"
        )
        report, curve = run_seed(args.inputs, seed, args.every, args.window)
        if report is None:
            failed = True
            continue
        flat, words = verdict(curve, args.inputs)
        failed |= not flat
        print(
            f"  {'FLAT' if flat else 'GROWING'}: {words}; peak {report['peak_mb']:.0f} MB; "
            f"{report['cpu_seconds']:.0f} s of CPU\n"
            f"  the peak was reached at input {report['peak_at'].lstrip('#')}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
