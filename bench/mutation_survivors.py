"""Summarise one mutmut 3 run (bench/mutation.sh): counts, and each survivor's diff, classified.

Run inside the run's scratch directory: ``python bench/mutation_survivors.py``. Writes survivors.diff
and prints one line per module plus one per survivor. A survivor whose diff changes only the text of a
string (an error message: "XX...XX", lower/upper case, None for the text) is marked "text"; every other
survivor is marked "CODE" and needs a reason in bench/results/mutation.txt or a test that kills it.
"""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

STRING = re.compile(r"""(?:[rbfu]{0,2})("([^"\\]|\\.)*"|'([^'\\]|\\.)*')""")


def _shape(line: str) -> str:
    return STRING.sub("S", line[1:]).replace("None", "S").strip()


def main() -> None:
    results = Path("results.txt").read_text().splitlines()
    status = dict(line.strip().rsplit(": ", 1) for line in results if ": " in line)
    counts = Counter(status.values())
    survivors = [name for name, state in status.items() if state not in ("killed",)]
    out, lines = [], []
    for name in survivors:
        diff = subprocess.run([sys.executable, "-m", "mutmut", "show", name], capture_output=True, text=True).stdout
        changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        minus = [_shape(line) for line in changed if line.startswith("-")]
        plus = [_shape(line) for line in changed if line.startswith("+")]
        kind = "text" if minus == plus else "CODE"
        out.append(f"## {name} [{status[name]}, {kind}]\n" + "\n".join(changed) + "\n")
        first = next((line for line in changed if line.startswith("+")), "").strip()
        lines.append(f"  {kind:4} {status[name]:9} {name.split('.')[-1]}: {first[:110]}")
    Path("survivors.diff").write_text("\n".join(out))
    total = sum(counts.values())
    code = sum(1 for line in lines if line.startswith("  CODE"))
    meaningful = total - (len(lines) - code)
    killed = counts.get("killed", 0)
    score = 100 * killed / meaningful if meaningful else 100.0
    print(f"mutants={total} killed={killed} survived={counts.get('survived', 0)} timeout={counts.get('timeout', 0)} "
          f"other={total - killed - counts.get('survived', 0) - counts.get('timeout', 0)} "
          f"text-only survivors={len(lines) - code} score (text-only left out)={score:.1f}%")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
