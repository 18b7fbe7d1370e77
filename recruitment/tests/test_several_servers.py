"""Two app servers and a worker on the scaled topology: PostgreSQL, Redis, S3 (moto), SMTP.

Runs in CI's PostgreSQL pass (the topology needs a database every process can reach); on the
embedded SQLite default it is skipped, saying so.
"""

import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from io import StringIO

import boto3
import pytest
from django.conf import global_settings
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from candidates.models import Enquiry
from candidates.services import submit_enquiry
from candidates.tests.smtp import free_port
from jobs.tests.factories import (
    ConsultantFactory,
    DraftVacancyFactory,
    OpenVacancyFactory,
    StaffUserFactory,
)
from outbox.models import Message
from recruitment.settings import redis_caches

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
REDIS = "redis://127.0.0.1:6379/14"
PASSWORD = "a-long-consultant-password"
BUCKET = "topology-cvs"


@pytest.fixture
def topology(s3_server, smtp_server, settings, tmp_path, database_tasks):
    if connection.vendor != "postgresql":
        pytest.skip("the several-servers test runs on PostgreSQL (CI's second pass)")
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-west-2",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    if BUCKET not in [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
    database = django_settings.DATABASES["default"]
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
        "REDIS_URL": REDIS,
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_server,
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "FORM_RATE_LIMIT": "3",
        "STATIC_ROOT": str(tmp_path / "static"),
        "ADMIN_REQUIRE_2FA": "0",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # This test process uses the same shared cache, as a third server would.
    settings.CACHES = redis_caches(REDIS)
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    # The servers check passwords with the real hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    subprocess.run(  # noqa: S603 - DEBUG is off: pages need the collected static files
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=django_settings.BASE_DIR,
        env=env,
        check=True,
    )
    servers = [AppServer(env) for _ in range(2)]
    yield env, servers
    for server in servers:
        server.stop()


class AppServer:
    def __init__(self, env):
        self.url = f"http://127.0.0.1:{free_port()}"
        self.process = subprocess.Popen(  # noqa: S603 - gunicorn from our own virtualenv
            [sys.executable, "-m", "gunicorn", "recruitment.wsgi", "-b", self.url[7:], "-w", "1"],
            cwd=django_settings.BASE_DIR,
            env=env,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("gunicorn did not start")

    def get(self, path, opener=None):
        opener = opener or urllib.request.build_opener()
        with opener.open(self.url + path, timeout=10) as response:
            return response.status, response.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)


def start_worker(env):
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def browser():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def post_enquiry_with_cv(server, vacancy):
    opener = browser()
    page = opener.open(server.url + vacancy.get_absolute_url(), timeout=10).read().decode()
    fields = {
        "csrfmiddlewaretoken": re.search(r'csrfmiddlewaretoken" value="([^"]+)', page)[1],
        "submission_id": re.search(r'submission_id" value="([^"]+)', page)[1],
        "name": "Zoë Nguyễn",
        "email": "zoe@example.com",
        "message": "Hello",
        "consent": "on",
    }
    boundary = secrets.token_hex(8)
    body = (
        "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
            for k, v in fields.items()
        ).encode()
        + (
            f'--{boundary}\r\nContent-Disposition: form-data; name="cv"; filename="cv.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4 topology\r\n"
            f"--{boundary}--\r\n"
        ).encode()
    )
    request = urllib.request.Request(
        server.url + vacancy.get_absolute_url() + "enquire/",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with opener.open(request, timeout=10) as response:
        return response.url


def post_contact(server):
    """Post the contact form (empty, so it is refused as invalid unless rate limited)."""
    opener = browser()
    page = opener.open(server.url + "/contact/", timeout=10).read().decode()
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)', page)[1]
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "name": "x"}).encode()
    try:
        return opener.open(server.url + "/contact/", data=form, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def staff_browser(server):
    """A consultant's browser, logged in through the admin of `server`."""
    user = StaffUserFactory(username="kelly")
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name="Consultant"))
    opener = browser()
    page = opener.open(server.url + "/admin/login/", timeout=10).read().decode()
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)', page)[1]
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "kelly", "password": PASSWORD}
    ).encode()
    opener.open(server.url + "/admin/login/", data=form, timeout=10).read()
    return opener


def test_two_app_servers_and_a_worker_share_everything(topology, smtp_server, staff_groups):
    env, (a, b) = topology
    consultant = ConsultantFactory(email="kelly@samsmall.example")

    # A vacancy published (here, as by a third server) shows on both at once, caches and all.
    draft = DraftVacancyFactory(title="Night Sister", consultant=consultant)
    for server in (a, b):
        assert b"Night Sister" not in server.get("/jobs/")[1]
    draft.publish()
    for server in (a, b):
        assert b"Night Sister" in server.get("/jobs/")[1]

    # An enquiry with a CV through A; its CV downloads through B; one notification is sent.
    assert "/thanks/" in post_enquiry_with_cv(a, draft)
    enquiry = Enquiry.objects.get()
    # Sessions are shared too: logged in on A, the consultant downloads the CV from B.
    status, cv = b.get(f"/staff/enquiries/{enquiry.pk}/cv/", opener=staff_browser(a))
    assert (status, cv[:8]) == (200, b"%PDF-1.4")
    worker = start_worker(env)
    try:
        assert wait_for(lambda: smtp_server.inbox.to("kelly@samsmall.example"))
        time.sleep(1)
    finally:
        worker.terminate()
        worker.wait(timeout=15)
    assert len(smtp_server.inbox.to("kelly@samsmall.example")) == 1

    # Rate limits count across servers: 3 posts an hour from one address, wherever they land.
    # The enquiry through A was the first; two more pass (as invalid forms), then A and B refuse.
    codes = [post_contact(server) for server in (b, a, a, b)]
    assert codes == [400, 400, 429, 429]


def test_a_worker_killed_mid_queue_loses_nothing_and_repeats_at_most_the_one_in_flight(
    topology, smtp_server
):
    env, _ = topology
    vacancy = OpenVacancyFactory(consultant=ConsultantFactory(email="kelly@samsmall.example"))
    for number in range(8):
        data = {
            "submission_id": f"00000000-0000-4000-8000-{number:012d}",
            "message": "Open?",
            "name": f"Candidate {number}",
            "email": f"c{number}@example.com",
        }
        submit_enquiry(kind="question", vacancy=vacancy, data=data)
    worker = start_worker(env)
    wait_for(lambda: len(smtp_server.inbox.messages) >= 2, seconds=10)
    worker.send_signal(signal.SIGKILL)  # no chance to tidy up
    worker.wait(timeout=10)

    # A restarted worker and the scheduled sweep finish the queue; claims held by the killed
    # worker expire after ten minutes, so the sweep is run as if they had.
    worker = start_worker(env)
    try:
        wait_for(lambda: not Message.objects.due().exists(), 10)
    finally:
        worker.terminate()
        worker.wait(timeout=15)
    Message.objects.queued().update(next_attempt_at=timezone.now())
    call_command("send_queued_email", stdout=StringIO())
    notifications = smtp_server.inbox.to("kelly@samsmall.example")
    subjects = {message["Subject"].strip() for message in notifications}
    assert len(subjects) == 8  # every enquiry
    # Killed mid-send, the message in flight can go again (the mail server had it, the
    # database had not heard): that one at most, with the same Message-ID, which mail
    # programs show once.
    assert len(notifications) - len(subjects) <= 1
    assert len({message["Message-ID"] for message in notifications}) == 8


class RedisServer:
    """A Redis of this test's own, on a free port, that the test can really stop."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(  # noqa: S603 - the machine's own redis-server
            [
                shutil.which("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis.from_url(self.url)
        assert wait_for(lambda: self.answers(client), seconds=10), "redis-server did not start"

    @staticmethod
    def answers(client):
        try:
            return client.ping()
        except OSError:
            return False
        except Exception:  # noqa: BLE001 - redis's ConnectionError while it starts
            return False

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def server_with_its_own_redis(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the several-servers test runs on PostgreSQL (CI's second pass)")
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is missing: apt-get install redis-server")
    redis_server = RedisServer()
    database = django_settings.DATABASES["default"]
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
        "REDIS_URL": redis_server.url,
        "PUBLIC_PAGE_CACHE_SECONDS": "300",
        "STATIC_ROOT": str(tmp_path / "static"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for name in ("S3_BUCKET", "EMAIL_HOST"):
        env.pop(name, None)
    subprocess.run(  # noqa: S603 - DEBUG is off: pages need the collected static files
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=django_settings.BASE_DIR,
        env=env,
        check=True,
    )
    server = AppServer(env)
    yield server, redis_server
    server.stop()
    redis_server.stop()


def test_a_server_whose_redis_stops_still_serves_every_public_page(server_with_its_own_redis):
    server, redis_server = server_with_its_own_redis
    vacancy = OpenVacancyFactory(title="Night Sister")
    pages = [
        "/",
        "/jobs/",
        "/jobs/?q=sister",
        "/jobs/feed/rss/",
        vacancy.get_absolute_url(),
        "/send-your-cv/",
        "/contact/",
    ]
    for path in pages:
        assert server.get(path)[0] == 200, path  # and cached in Redis
    assert json.loads(server.get("/readyz")[1])["cache"] == "ok"

    redis_server.stop()
    for path in pages:
        status, body = server.get(path)
        assert status == 200, path
    assert b"Night Sister" in server.get("/jobs/?q=sister")[1]
    status, body = server.get("/readyz")
    assert status == 200
    assert json.loads(body) == {
        "ready": True,
        "database": "ok",
        "cache": "degraded",
        "storage": "ok",
        "queue": "ok",
    }
