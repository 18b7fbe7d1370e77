"""make bench: throughput of the public pages against stock Django's.

Builds a throwaway database (SQLite, or PostgreSQL when DATABASE_URL is set), fills it with
seed_demo, serves it with gunicorn (DEBUG off, 2 sync workers) on a free loopback port, and
drives it with wrk (Debian's package) or, failing that, a small Python load generator.
The ceiling is a project made by `django-admin startproject` in a temporary folder (its
default settings and middleware, DEBUG off) whose one view returns as many bytes as the job
list, served by the same gunicorn settings, first and last: every page's rate is given as a
share of the mean of the two.
It prints figures; it never fails on timing. Query counts and sizes are asserted by tests.

Environment: BENCH_VACANCIES (10000), BENCH_SECONDS (8), BENCH_CONNECTIONS (32).
"""

import http.client
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from local_server import free_port, production_env, wait_for

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VACANCIES = int(os.environ.get("BENCH_VACANCIES", "10000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def throwaway_database(work):
    """Environment for a database that exists only for this run, and how to drop it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return {"SQLITE_PATH": str(work / "bench.sqlite3"), "DATABASE_URL": ""}, lambda: None
    import psycopg

    name = f"bench_{secrets.token_hex(4)}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return {"DATABASE_URL": url.rsplit("/", 1)[0] + "/" + name}, drop


def bench_env(work, database):
    return production_env(
        work / "static",
        **database,
        ROOT_URLCONF="bench_urls",
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(ROOT / "scripts"), os.environ.get("PYTHONPATH")])
        ),
        SHARED_CACHE_DIR=str(work / "shared-cache"),
        FORM_RATE_LIMIT="1000000",
        EMAIL_HOST="127.0.0.1",  # nothing listens there: the mail server is down
        EMAIL_PORT=str(free_port()),
        LOG_LEVEL="WARNING",
    )


class Server:
    """gunicorn as production runs it (gunicorn.conf.py, access log included), 2 workers.

    Its log goes to a file, as it would to a log collector, not to this terminal.
    """

    def __init__(self, env, app="recruitment.wsgi", folder=ROOT, ready="/robots.txt"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(env["STATIC_ROOT"]).parent / "gunicorn.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            [
                PYTHON,
                "-m",
                "gunicorn",
                app,
                "-c",
                str(ROOT / "gunicorn.conf.py"),
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                "2",
            ],
            cwd=folder,
            env=env,
            stdout=self.log,
            stderr=self.log,
        )
        wait_for(self.url + ready)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)
        self.log.close()


STOCK_URLS = """from django.http import HttpResponse
from django.urls import path


def page(request, size):
    return HttpResponse(b"x" * size)


urlpatterns = [path("<int:size>/", page)]
"""


def stock_django(env, size):
    """Stock Django's rate for a bare view of `size` bytes: the ceiling every page is put to.

    `django-admin startproject` as it comes (the same Django and Python as the site), with
    DEBUG off and one view returning the bytes, like the site's own bare view.
    """
    folder = Path(env["STATIC_ROOT"]).parent / "stock"
    if not folder.exists():
        folder.mkdir()
        subprocess.run(  # noqa: S603
            [PYTHON, "-m", "django", "startproject", "stock", str(folder)], cwd=ROOT, check=True
        )
        (folder / "stock" / "urls.py").write_text(STOCK_URLS)
        settings = folder / "stock" / "settings.py"
        settings.write_text(
            settings.read_text() + '\nDEBUG = False\nALLOWED_HOSTS = ["127.0.0.1"]\n'
        )
    # The site's folder too: gunicorn.conf.py names the site's access logger.
    stock_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "stock.settings",
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
    }
    server = Server(stock_env, app="stock.wsgi", folder=folder, ready=f"/{size}/")
    try:
        return load(f"{server.url}/{size}/")
    finally:
        server.stop()


def wrk(url, connections):
    output = subprocess.run(  # noqa: S603
        [
            shutil.which("wrk"),
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{SECONDS}s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(percent):
        value, unit = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]), latency(50), latency(99)


def python_load(url, connections):
    """A small closed-loop load generator, for machines without wrk."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    timings, stop = [], time.monotonic() + SECONDS

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection.request("GET", path)
            connection.getresponse().read()
            timings.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings.sort()
    return len(timings) / SECONDS, timings[len(timings) // 2], timings[int(len(timings) * 0.99)]


def load(url, connections=CONNECTIONS):
    warm_up(url)
    return (wrk if shutil.which("wrk") else python_load)(url, connections)


def warm_up(url, visits=20):
    """Some visits first, so that each worker has imported its code and filled its caches."""
    for _ in range(visits):
        urllib.request.urlopen(url).read()  # noqa: S310 - our own server on loopback


def queries_and_bytes(env, paths):
    """SQL queries and bytes of each page, uncached, measured in-process."""
    code = (
        "import json, sys\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "client = Client(HTTP_HOST='127.0.0.1')\n"
        "result = {}\n"
        "from django.core.cache import caches\n"
        "for path in sys.argv[1:]:\n"
        "    client.get(path)\n"
        "    caches['pages'].clear(); caches['shared'].clear()  # a first visit's queries\n"
        "    with CaptureQueriesContext(connection) as queries:\n"
        "        body = client.get(path).content\n"
        "    result[path] = [len(queries), len(body)]\n"
        "print(json.dumps(result))\n"
    )
    uncached = {**env, "PUBLIC_PAGE_CACHE_SECONDS": "0"}
    output = in_django(uncached, code, *paths, capture_output=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def in_django(env, code, *args, **run_options):
    """Run Python `code` in a Django process of its own (settings from `env`)."""
    return subprocess.run(  # noqa: S603
        [PYTHON, "-c", "import django; django.setup(); exec(open(0).read())", *args],
        input=code,
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "recruitment.settings"},
        text=True,
        check=True,
        **run_options,
    )


def multipart(boundary, fields, file_field, file_name, content):
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'
    )
    return "".join(parts).encode() + content + f"\r\n--{boundary}--\r\n".encode()


def enquiry_timings(url, job_path, count=20):
    """Time posting an enquiry with a 1 MB CV while the mail server is down."""
    cv = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
    timings = []
    for number in range(count):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        page = opener.open(url + job_path).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        boundary = secrets.token_hex(8)
        fields = {
            "csrfmiddlewaretoken": token,
            "name": f"Bench {number}",
            "consent": "on",
            "email": f"bench{number}@example.com",
            "message": "Benchmark",
            "submission_id": re.search(r'name="submission_id" value="([^"]+)"', page)[1],
        }
        body = multipart(boundary, fields, "cv", "cv.pdf", cv)
        request = urllib.request.Request(
            url + job_path + "enquire/",
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": url + job_path,
            },
        )
        started = time.perf_counter()
        with opener.open(request) as response:
            response.read()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main():
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database, drop = throwaway_database(work)
        env = bench_env(work, database)
        try:
            run(env)
        finally:
            drop()


def run(env):
    started = time.monotonic()
    manage(env, "migrate", "-v0")
    manage(env, "seed_demo", "--vacancies", str(VACANCIES))
    manage(env, "seed_candidates", str(VACANCIES // 2))
    manage(env, "collectstatic", "--noinput", "-v0")
    print(
        f"Database ready in {time.monotonic() - started:.0f}s "
        f"({VACANCIES} live vacancies, {VACANCIES // 2} candidates, {VACANCIES} enquiries)."
    )

    probe = Server({**env, "PUBLIC_PAGE_CACHE_SECONDS": "0"})
    listing = urllib.request.urlopen(probe.url + "/jobs/").read().decode()
    job = re.search(r'href="(/jobs/[^"/?]+/)"', listing.split("vacancy-card", 1)[1])[1]
    probe.stop()
    pages = {
        "home": "/",
        "job list": "/jobs/",
        "keyword search": "/jobs/?q=account+manager",
        "filtered search": "/jobs/?q=manager&workplace=hybrid&contract_type=permanent",
        "job page": job,
        "CV form": "/send-your-cv/",
    }
    measured = queries_and_bytes(env, list(pages.values()))
    ceiling_size = measured["/jobs/"][1]
    rows = [("stock Django (ceiling)", stock_django(env, ceiling_size), 0, ceiling_size)]
    for cached in (False, True):
        server = Server({**env, "PUBLIC_PAGE_CACHE_SECONDS": "300" if cached else "0"})
        try:
            if not cached:
                own = load(f"{server.url}/__bench__/ceiling/{ceiling_size}/")
                rows.append(("bare view (our overhead)", own, 0, ceiling_size))
            for name, path in pages.items():
                if cached and name == "CV form":
                    continue  # form pages are not cached
                figures = load(server.url + path)
                queries, size = measured[path]
                label = f"{name} (cached)" if cached else name
                rows.append((label, figures, 0 if cached else queries, size))
            if not cached:
                one_user = load(server.url + pages["keyword search"], connections=1)
                rows.append(
                    (
                        "keyword search, 1 user",
                        one_user,
                        measured[pages["keyword search"]][0],
                        measured[pages["keyword search"]][1],
                    )
                )
                enquiry_p50 = enquiry_timings(server.url, job)
        finally:
            server.stop()
    # The machine's speed drifts during a run: the ceiling is measured first and last, and
    # every page is put to the mean of the two.
    rows.append(("stock Django, again", stock_django(env, ceiling_size), 0, ceiling_size))
    print_table(rows, (rows[0][1][0] + rows[-1][1][0]) / 2)
    print(f"\nEnquiry with a 1 MB CV, mail server down: p50 {enquiry_p50:.0f} ms (20 posts).")
    print(
        f"Load: {'wrk' if shutil.which('wrk') else 'Python'}, {CONNECTIONS} connections, "
        f"{SECONDS}s a page; gunicorn, 2 sync workers, DEBUG off; "
        f"{'PostgreSQL' if env.get('DATABASE_URL') else 'SQLite'}."
    )


def print_table(rows, ceiling_rate):
    print(
        f"\n{'page':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'SQL':>6}{'bytes':>9}{'of stock':>9}"
    )
    for label, (rate, p50, p99), queries, size in rows:
        print(
            f"{label:<28}{rate:>9.0f}{p50:>9.1f}{p99:>9.1f}{queries:>6}{size:>9}"
            f"{rate / ceiling_rate:>9.0%}"
        )


if __name__ == "__main__":
    main()
