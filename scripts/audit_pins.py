"""Report pinned dependencies that lag the newest patch release of their own series.

Security fixes ship as patch releases; pip-audit cannot reach its vulnerability
sources from our machines, and then reports "No known vulnerabilities" with exit
code 0 (a false pass), so we check that each pin is the newest X.Y.* release
instead. Asks the package index through pip; exits 1 if any pin lags.
"""

import re
import subprocess
import sys
from pathlib import Path

from packaging.version import InvalidVersion, Version

PIN = re.compile(r"^([A-Za-z0-9_.\[\],-]+)==([^\s;#]+)")


def pins(paths):
    for path in paths:
        for line in Path(path).read_text().splitlines():
            if match := PIN.match(line.strip()):
                yield re.sub(r"\[.*\]", "", match[1]), Version(match[2])


def available(name):
    result = subprocess.run(  # noqa: S603 - pip, with a package name from our own files
        [sys.executable, "-m", "pip", "index", "versions", name],
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"Available versions: (.*)", result.stdout)
    versions = []
    for text in match[1].split(", ") if match else []:
        try:
            versions.append(Version(text))
        except InvalidVersion:
            continue
    return versions


def newest_patch(pinned, versions):
    series = [v for v in versions if v.release[:2] == pinned.release[:2] and not v.is_prerelease]
    return max(series, default=pinned)


def main(paths):
    lagging = 0
    for name, pinned in sorted(set(pins(paths))):
        newest = newest_patch(pinned, available(name))
        if newest > pinned:
            lagging += 1
            print(f"{name}: pinned {pinned}, newest in its series {newest}")
    print(f"{lagging} pin(s) lag their newest patch release.")
    return 1 if lagging else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["requirements.txt", "requirements-dev.txt"]))
