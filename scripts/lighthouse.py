"""Run Lighthouse (mobile) on the main pages of a production-like server and print the scores.

`python scripts/lighthouse.py "sign in" "my applications"` runs only the pages named.

Serves the demo database with gunicorn, DEBUG off and collected static files, on a free
loopback port; drives Debian's Chromium through the pinned npm lighthouse in e2e/.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from local_server import free_port, production_env, wait_for

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "e2e" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-quic"
)


def first_job_path(base):
    html = urllib.request.urlopen(base + "/jobs/", timeout=5).read().decode()  # noqa: S310
    start = html.index('href="/jobs/', html.index("job-card")) + len('href="')
    return html[start : html.index('"', start)]


# A demo candidate (made if need be) signed in to their space: prints the cookie's key.
SIGN_IN = """
from datetime import timedelta
from django.utils import timezone
from candidates.models import Candidate, SpaceSession
from candidates.models.space import new_secret
candidate, _ = Candidate.objects.get_or_create(
    email="lighthouse@example.com", defaults={"name": "Zoë Nguyễn"}
)
key, key_hash = new_secret()
SpaceSession.objects.create(
    candidate=candidate, key_hash=key_hash, expires_at=timezone.now() + timedelta(hours=1)
)
print(key)
"""


def signed_in_cookie(python, env):
    """A cookie for the candidate's pages, or None if one could not be made."""
    result = subprocess.run(  # noqa: S603
        [python, "manage.py", "shell", "-c", SIGN_IN],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    key = result.stdout.strip().splitlines()[-1:] if result.returncode == 0 else []
    return f"candidate={key[0]}" if key else None


def scores(url, work, cookie=None):
    report = work / "report.json"
    headers = [f"--extra-headers={json.dumps({'Cookie': cookie})}"] if cookie else []
    subprocess.run(  # noqa: S603 - node with the pinned lighthouse
        [
            shutil.which("node") or "node",
            str(LIGHTHOUSE),
            url,
            f"--chrome-path={CHROMIUM}",
            f"--chrome-flags={CHROME_FLAGS} --user-data-dir={work / 'profile'}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            *headers,
        ],
        check=True,
    )
    result = json.loads(report.read_text())
    if result.get("runtimeError"):
        print(result["runtimeError"], file=sys.stderr)
    categories = result["categories"]
    for name in CATEGORIES:
        failed = [
            ref["id"]
            for ref in categories[name]["auditRefs"]
            if ref["weight"] and (result["audits"][ref["id"]]["score"] or 0) < 0.9
        ]
        if failed:
            print(f"  {url}: {name} loses on {', '.join(failed)}", file=sys.stderr)
    return [
        "error" if categories[name]["score"] is None else round(categories[name]["score"] * 100)
        for name in CATEGORIES
    ]


def main():
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = production_env(work / "static")
        subprocess.run(  # noqa: S603
            [python, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603
            [python, "-m", "gunicorn", "recruitment.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_for(base + "/")
            job = first_job_path(base)
            pages = {
                "home": "/",
                "job list": "/jobs/",
                "job": job,
                "CV form": "/send-your-cv/",
                "team": "/team/",
                "sector": "/sectors/healthcare/",
                "employers": "/employers/",
                "sign in": "/me/sign-in/",
            }
            cookie = signed_in_cookie(python, env)
            signed_in = {
                "my applications": "/me/",
                "my details": "/me/details/",
                "saved jobs": "/me/saved/",
                "my data": "/me/data/",
                "job, signed in": job,
            }
            print(f"{'page':<16}" + "".join(f"{name:>16}" for name in CATEGORIES))
            chosen = set(sys.argv[1:])  # page names to run, e.g. "sign in"; all by default
            for name, path in pages.items():
                if chosen and name not in chosen:
                    continue
                row = scores(base + path, work)
                print(f"{name:<16}" + "".join(f"{score:>16}" for score in row), flush=True)
            for name, path in signed_in.items() if cookie else ():
                if chosen and name not in chosen:
                    continue
                row = scores(base + path, work, cookie)
                print(f"{name:<16}" + "".join(f"{score:>16}" for score in row), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
