"""One site address for every process: `make run` (run for real, with a stand-in for Python
that records what each command was given) and the deploy check."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

# Records its arguments and SITE_URL. The server waits (briefly) for the worker's record:
# when the server's command ends, `make run` stops the worker, perhaps before it wrote.
FAKE_PYTHON = """#!{python}
import json, os, sys, time
record = os.environ["FAKE_PYTHON_RECORD"]
if "runserver" in sys.argv:
    for _ in range(100):
        if os.path.exists(record) and "db_worker" in open(record).read():
            break
        time.sleep(0.05)
with open(record, "a") as out:
    out.write(json.dumps({{"args": sys.argv[1:], "site_url": os.environ.get("SITE_URL")}}) + "\\n")
"""


def make_run(tmp_path, *args, **env):
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    fake = tmp_path / "python"
    fake.write_text(FAKE_PYTHON.format(python=sys.executable))
    fake.chmod(0o755)
    record = tmp_path / f"record-{len(list(tmp_path.glob('record-*')))}.jsonl"
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "MAKEFLAGS")}
    environment.update(env, FAKE_PYTHON_RECORD=str(record))
    # -o install: the virtualenv is taken as it is, never rebuilt by the test.
    result = subprocess.run(  # noqa: S603 - make, on our own Makefile
        ["make", "--no-print-directory", "-o", "install", "run", f"PY={fake}", *args],  # noqa: S607
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    commands = [json.loads(line) for line in record.read_text().splitlines()]
    return {" ".join(command["args"][:2]): command["site_url"] for command in commands}


def test_every_process_of_make_run_gets_one_site_url(tmp_path):
    site_urls = make_run(tmp_path, "PORT=8080")
    assert site_urls["manage.py db_worker"] == "http://127.0.0.1:8080"
    assert site_urls["manage.py runserver"] == "http://127.0.0.1:8080"
    assert set(site_urls.values()) == {"http://127.0.0.1:8080"}  # the demo data's commands too

    site_urls = make_run(tmp_path, "PORT=8080", SITE_URL="https://jobs.example")
    assert "manage.py db_worker" in site_urls and "manage.py runserver" in site_urls
    assert set(site_urls.values()) == {"https://jobs.example"}


def test_the_deploy_check_warns_when_emails_would_link_elsewhere(settings):
    from recruitment.checks import site_url_is_this_site

    settings.ALLOWED_HOSTS = ["jobs.example"]
    settings.SITE_URL = "http://127.0.0.1:8000"  # the default, when SITE_URL is not set
    [warning] = site_url_is_this_site(None)
    assert warning.id == "recruitment.W001"
    settings.SITE_URL = "https://jobs.example"
    assert site_url_is_this_site(None) == []
