"""Check the pinned dependencies: known vulnerabilities, and pins behind their newest patch.

1. Every pin is looked up in the OSV advisory database (one POST to its querybatch API,
   OSV_API_URL to point elsewhere). A pin with a known vulnerability fails the audit.
2. Every pin is compared with the newest X.Y.* release on the package index (through pip):
   security fixes ship as patch releases.

A source that cannot be reached is a failure to check, never a clean result (pip-audit
reports "No known vulnerabilities" with exit code 0 when it reaches nothing). Exit codes:
0 all checked and clean, 1 vulnerable or lagging pins, 2 something could not be checked.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from packaging.version import InvalidVersion, Version

PIN = re.compile(r"^([A-Za-z0-9_.\[\],-]+)==([^\s;#]+)")
OSV_API_URL = "https://api.osv.dev/v1/querybatch"


class CouldNotCheck(Exception):
    pass


def pins(paths):
    for path in paths:
        for line in Path(path).read_text().splitlines():
            if match := PIN.match(line.strip()):
                yield re.sub(r"\[.*\]", "", match[1]), Version(match[2])


def vulnerabilities(pinned, url, timeout=30):
    """{name: [advisory ids]} for the pins that have any, from one OSV querybatch request."""
    queries = [
        {"package": {"name": name, "ecosystem": "PyPI"}, "version": str(version)}
        for name, version in pinned
    ]
    request = urllib.request.Request(
        url,
        data=json.dumps({"queries": queries}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - our URL
            results = json.load(response)["results"]
    except (OSError, urllib.error.URLError, ValueError, KeyError, TypeError) as error:
        raise CouldNotCheck(f"{url}: {error}") from error
    if not isinstance(results, list) or len(results) != len(queries):
        raise CouldNotCheck(f"{url}: {len(queries)} pins asked, an answer of another shape came")
    found = {}
    for (name, version), result in zip(pinned, results, strict=True):
        ids = [vuln["id"] for vuln in (result or {}).get("vulns", [])]
        if (result or {}).get("next_page_token"):
            ids.append("(and more)")
        if ids:
            found[f"{name}=={version}"] = ids
    return found


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


def audit_advisories(pinned, url):
    """Print what the advisory database says; 0 clean, 1 vulnerable, 2 not checked."""
    try:
        found = vulnerabilities(pinned, url)
    except CouldNotCheck as error:
        print(f"COULD NOT CHECK for known vulnerabilities: {error}")
        print("This is not a clean result: run `make audit` where the advisory source answers.")
        return 2
    for pin, ids in sorted(found.items()):
        print(f"{pin}: known vulnerabilities {', '.join(ids)}")
    print(f"{len(found)} of {len(pinned)} pin(s) have known vulnerabilities (OSV).")
    return 1 if found else 0


def audit_patches(pinned):
    """Print pins that lag their series; 0 none, 1 some lag, 2 some could not be checked."""
    lagging, unchecked = 0, []
    for name, version in pinned:
        versions = available(name)
        if not versions:
            unchecked.append(name)
            continue
        newest = newest_patch(version, versions)
        if newest > version:
            lagging += 1
            print(f"{name}: pinned {version}, newest in its series {newest}")
    print(f"{lagging} pin(s) lag their newest patch release.")
    if unchecked:
        print(f"COULD NOT CHECK the package index for: {', '.join(unchecked)}")
        return 2
    return 1 if lagging else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requirements", nargs="*", default=["requirements.txt"])
    parser.add_argument(
        "--advisories-only", action="store_true", help="skip the package index (pip)"
    )
    args = parser.parse_args(argv)
    pinned = sorted(set(pins(args.requirements)))
    results = [audit_advisories(pinned, os.environ.get("OSV_API_URL", OSV_API_URL))]
    if not args.advisories_only:
        results.append(audit_patches(pinned))
    return max(results)


if __name__ == "__main__":
    sys.exit(main())
