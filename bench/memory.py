"""Memory over a long session: the monkey's resident memory, input by input, and a verdict.

The monkey of the tests (``tests/monkey.py``: random clicks, keys, wheel turns and
window resizes on every screen, a screen forced every 250 inputs) runs as a
program of its own for each seed, so what is measured is the game alone. Its
resident memory is sampled every ``--every`` inputs and printed as a curve.

Verdict: after the warm-up (the first fifth of the run, when every screen, font
size and cache is met for the first time) memory is flat when no later sample
exceeds the warm-up's highest by more than ``GROWTH_ALLOWED``, and the line fitted
through the later samples rises by less than ``SLOPE_ALLOWED`` per 10,000 inputs.
Peak is the process's high-water mark, which the tests keep under 300 MB.

A clipped label is reported here, not fatal (the tests fail on it): this bench
measures memory. A crash ends the seed's run, with its report.

    python bench/memory.py [--inputs 50000] [--seeds 20240611 777] [--every 1000]

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

ROOT = Path(__file__).resolve().parent.parent
MONKEY = ROOT / "tests" / "monkey.py"
WARM_UP = 0.2  # the share of the run that is warm-up
GROWTH_ALLOWED = 1.10  # later samples stay within 10 % of the warm-up's highest
SLOPE_ALLOWED = 5.0  # MB per 10,000 inputs, fitted after the warm-up


def run_seed(inputs: int, seed: int, every: int) -> tuple[dict | None, list[tuple[int, float]]]:
    """One monkey run; its report (None if it crashed) and the curve as it was printed."""
    curve: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "SDL_VIDEODRIVER": os.environ.get("SDL_VIDEODRIVER", "dummy"),
            "SDL_AUDIODRIVER": "dummy",
            "PYGAME_HIDE_SUPPORT_PROMPT": "1",
            "ENVOY_CONFIG_DIR": str(Path(folder) / "config"),
            "ENVOY_MODS_DIR": str(Path(folder) / "mods"),
        }
        command = [
            *(sys.executable, str(MONKEY), "--inputs", str(inputs), "--seed", str(seed)),
            *("--saves", str(Path(folder) / "saves"), "--sample-every", str(every)),
            *("--clipped-text", "warn"),
        ]
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env
        ) as child:
            err = []
            for line in child.stderr:
                err.append(line)
                if line.endswith(" MB\n") and " inputs: " in line:
                    done, mb = line.split(" inputs: ")
                    curve.append((int(done), float(mb.split()[0])))
                    print(f"  {int(done):>7,} inputs  {float(mb.split()[0]):6.0f} MB", flush=True)
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
    warm = [mb for done, mb in curve if done < inputs * WARM_UP]
    later = [(done, mb) for done, mb in curve if done >= inputs * WARM_UP]
    if not warm or len(later) < 2:
        return False, "too few samples for a verdict"
    ceiling = max(warm) * GROWTH_ALLOWED
    highest = max(mb for _, mb in later)
    mean_x = sum(x for x, _ in later) / len(later)
    mean_y = sum(y for _, y in later) / len(later)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in later) / sum(
        (x - mean_x) ** 2 for x, _ in later
    )
    per_10k = slope * 10_000
    flat = highest <= ceiling and per_10k < SLOPE_ALLOWED
    words = (
        f"warm-up highest {max(warm):.0f} MB, later highest {highest:.0f} MB "
        f"(allowed {ceiling:.0f}), trend {per_10k:+.1f} MB per 10,000 inputs "
        f"(allowed < {SLOPE_ALLOWED:.0f})"
    )
    return flat, words


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=50_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[20240611])
    parser.add_argument("--every", type=int, default=1000, help="inputs between samples")
    args = parser.parse_args()
    if not Path("/proc/self/status").exists():
        print("the memory curve needs Linux's /proc; no figures here")
        return 0
    failed = False
    for seed in args.seeds:
        print(f"seed {seed}: {args.inputs:,} random inputs, resident memory every {args.every:,}")
        report, curve = run_seed(args.inputs, seed, args.every)
        if report is None:
            failed = True
            continue
        flat, words = verdict(curve, args.inputs)
        failed |= not flat
        print(
            f"  {'FLAT' if flat else 'GROWING'}: {words}; peak {report['peak_mb']:.0f} MB; "
            f"{report['cpu_seconds']:.0f} s of CPU"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
