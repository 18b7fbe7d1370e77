import json
import logging
import os
import re
import subprocess
import sys

import pytest
from csp.decorators import csp_exempt, csp_update
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobs.tests.factories import OpenVacancyFactory, SuperUserFactory
from recruitment.middleware import ContentSecurityPolicy

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture
def vacancy():
    return OpenVacancyFactory()


def public_urls(vacancy):
    return [
        reverse("jobs:home"),
        reverse("jobs:vacancy_list"),
        vacancy.get_absolute_url(),
        reverse("candidates:send_cv"),
        reverse("candidates:contact"),
        reverse("candidates:privacy"),
        reverse("candidates:privacy_request"),
    ]


def test_security_headers_on_public_pages_forms_and_the_admin(client, vacancy):
    urls = [*public_urls(vacancy), reverse("admin:login")]
    for url in urls:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"


def test_the_csp_header_is_the_policy_django_csp_builds_from_the_settings(client, vacancy):
    for url in public_urls(vacancy):
        assert client.get(url)["Content-Security-Policy"] == build_policy(), url


def test_a_report_only_policy_in_the_settings_is_sent_too(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    response = client.get(reverse("jobs:home"))
    directives = set(response["Content-Security-Policy-Report-Only"].split("; "))
    assert directives == {"default-src 'self'", "img-src 'self'"}  # django-csp's order varies
    assert response["Content-Security-Policy"] == build_policy()


def test_a_view_with_a_policy_of_its_own_gets_it_rather_than_the_sites():
    @csp_update({"img-src": ["https://maps.example"]})
    def view(request):
        return HttpResponse("map")

    @csp_exempt()
    def exempt(request):
        return HttpResponse("no policy")

    middleware = ContentSecurityPolicy(lambda request: views[request.path](request))
    views = {"/map/": view, "/exempt/": exempt}
    policy = middleware(RequestFactory().get("/map/"))["Content-Security-Policy"]
    assert "img-src 'self' data: https://maps.example" in policy
    assert "Content-Security-Policy" not in middleware(RequestFactory().get("/exempt/"))


def test_pages_have_no_inline_script_or_style(client, vacancy):
    for url in public_urls(vacancy):
        html = client.get(url).content.decode()
        assert "<script>" not in html and " style=" not in html and "<style" not in html, url


def production_check(**extra):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "x7#Qz!" * 6,
        "ALLOWED_HOSTS": "jobs.example",
        "SITE_URL": "https://jobs.example",
        **extra,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' setting, not production's
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = production_check()
    assert result.returncode == 0, result.stderr + result.stdout


def test_staff_login_locks_out_after_repeated_failures(client):
    get_user_model().objects.create_user("kelly", password=PASSWORD, is_staff=True)
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "kelly", "password": "wrong"})
    response = client.post(login, {"username": "kelly", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_outs_count_each_client_behind_the_proxy_not_the_proxy(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    get_user_model().objects.create_user("kelly", password=PASSWORD, is_staff=True)
    login = reverse("admin:login")

    def attempt(password, **headers):
        return client.post(login, {"username": "kelly", "password": password}, **headers)

    proxied = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("wrong", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxied)
    assert attempt(PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxied).status_code == 429
    assert attempt(PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxied).status_code == 302
    client.logout()

    # A direct client's own X-Forwarded-For names no one: it is locked out all the same.
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt("wrong", REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert (
        attempt(PASSWORD, REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code
        == 429
    )


def test_a_manager_can_unlock_a_login(client):
    from axes.models import AccessAttempt

    get_user_model().objects.create_user("kelly", password=PASSWORD, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "kelly", "password": "wrong"})
    AccessAttempt.objects.filter(username="kelly").delete()  # what the admin's delete does
    response = client.post(reverse("admin:login"), {"username": "kelly", "password": PASSWORD})
    assert response.status_code == 302


def test_two_factor_is_required_when_configured(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    user = get_user_model().objects.create_user(
        "kelly", password=PASSWORD, is_staff=True, is_superuser=True
    )
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login = reverse("admin:login")
    response = client.post(login, {"username": "kelly", "password": PASSWORD})
    assert response.status_code == 200  # no code: not logged in
    assert client.get(reverse("admin:index")).status_code == 302
    code = str(totp(device.bin_key)).zfill(6)
    response = client.post(
        login,
        {
            "username": "kelly",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": code,
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def errors_of(response):
    return re.findall(r'<p class="errornote">\s*(.*?)\s*</p>', response.content.decode(), re.S)


def test_a_failed_staff_login_never_tells_which_factor_was_wrong(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    user = get_user_model().objects.create_user("kelly", password=PASSWORD, is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login = reverse("admin:login")
    wrong_code = str((int(totp(device.bin_key)) + 1) % 1000000).zfill(6)
    answers = [
        client.post(login, {"username": "kelly", "password": password, "otp_token": code})
        for password, code in [
            ("wrong", ""),
            (PASSWORD, ""),
            ("wrong", wrong_code),
            (PASSWORD, wrong_code),
        ]
    ]
    assert {response.status_code for response in answers} == {200}
    assert len({tuple(errors_of(response)) for response in answers}) == 1
    assert "correct username, password and code" in errors_of(answers[0])[0]
    assert all("phone" not in response.content.decode() for response in answers)


def test_a_right_password_with_a_wrong_code_counts_towards_the_lock_out(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    user = get_user_model().objects.create_user("kelly", password=PASSWORD, is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "kelly", "password": PASSWORD, "otp_token": "000000"})
    code = str(totp(device.bin_key)).zfill(6)
    response = client.post(login, {"username": "kelly", "password": PASSWORD, "otp_token": code})
    assert response.status_code == 429


def test_staff_log_in_with_password_and_code_without_choosing_a_device(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    user = get_user_model().objects.create_user("kelly", password=PASSWORD, is_staff=True)
    TOTPDevice.objects.create(user=user, name="old phone", confirmed=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = str(totp(device.bin_key)).zfill(6)
    response = client.post(
        reverse("admin:login"), {"username": "kelly", "password": PASSWORD, "otp_token": code}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def verify(client, user):
    """What a login with the second factor leaves in the session (django-otp)."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device


def test_staff_pages_outside_the_admin_need_the_admins_verified_session(client, settings):
    from django.contrib.auth.models import Group

    from candidates.cvs import add_cv
    from candidates.models import Candidate
    from candidates.tests.factories import pdf_cv
    from jobs.tests.factories import DraftVacancyFactory

    settings.ADMIN_REQUIRE_2FA = True
    manager = get_user_model().objects.create_user("mo", password=PASSWORD, is_staff=True)
    manager.groups.add(Group.objects.get(name="Manager"))
    candidate = Candidate.objects.create(name="Zoë", email="zoe@example.com")
    add_cv(candidate, pdf_cv(), by=None, make_current=True)
    draft = DraftVacancyFactory(title="Hidden Draft")
    pages = {
        "cv": reverse("candidates:candidate_cv_download", args=[candidate.pk]),
        "preview": draft.get_absolute_url(),
        "export": reverse("admin:candidates_candidate_export", args=[candidate.pk]),
    }
    # Signed in with a password only, e.g. before their TOTP device was removed.
    client.force_login(manager)
    refused = {name: client.get(url).status_code for name, url in pages.items()}
    assert refused == {"cv": 403, "preview": 404, "export": 302}
    verify(client, manager)
    allowed = {name: client.get(url).status_code for name, url in pages.items()}
    assert allowed == {"cv": 200, "preview": 200, "export": 200}


def test_two_factor_is_optional_in_development(client, settings):
    settings.ADMIN_REQUIRE_2FA = False
    client.force_login(SuperUserFactory())
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_sessions_expire_after_inactivity(client):
    client.force_login(SuperUserFactory())
    client.get(reverse("admin:index"))
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 8 * 3600


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "javascript:x"])
def test_login_next_parameter_cannot_redirect_off_site(client, target):
    get_user_model().objects.create_user("kelly", password=PASSWORD, is_staff=True)
    response = client.post(
        reverse("admin:login") + f"?next={target}",
        {"username": "kelly", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert "evil" not in response.url and "javascript" not in response.url


MOVED_ADMIN = """
from django.urls import Resolver404, resolve, reverse
print(reverse("admin:index"))
try:
    resolve("/admin/")
    print("/admin/ still answers")
except Resolver404:
    print("/admin/ is gone")
"""


def test_admin_url_moves_the_admin_and_robots_txt_never_names_it(client, settings):
    moved = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", MOVED_ADMIN],
        cwd=settings.BASE_DIR,
        env={**os.environ, "ADMIN_URL": "/back-office-7f3a/"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert moved.stdout.split() == ["/back-office-7f3a/", "/admin/", "is", "gone"]
    settings.ADMIN_URL = "back-office-7f3a/"
    robots = client.get("/robots.txt").content.decode()
    assert "back-office" not in robots and "admin" not in robots


def test_public_forms_are_csrf_protected(vacancy):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    for url in (
        reverse("candidates:enquire", args=[vacancy.slug]),
        reverse("candidates:contact"),
        reverse("candidates:alert_subscribe"),
    ):
        assert strict.post(url, {"name": "x"}).status_code == 403, url


def test_log_output_carries_no_personal_data(client, vacancy, settings):
    handler = next(h for h in logging.getLogger().handlers if h.filters)
    records = []
    handler.emit = lambda record: records.append(handler.format(record))
    try:
        settings.FORM_RATE_LIMIT = 1000
        data = {
            "name": "Zoë",
            "email": "zoe.private@example.com",
            "phone": "07911 123456",
            "consent": "on",
            "submission_id": "not-a-uuid",
        }
        client.post(reverse("candidates:enquire", args=[vacancy.slug]), data)  # a 400
        logging.getLogger("candidates").warning("Oops for %s, %s", data["email"], data["phone"])
        logging.getLogger("axes").warning("Locked out %s and %s", "203.0.113.9", "2001:db8::7")
    finally:
        del handler.emit
    output = "\n".join(records)
    assert "Bad Request" in output and "[email], [phone]" in output
    assert "zoe.private@example.com" not in output and "07911 123456" not in output
    assert "Locked out [address] and [address]" in output


def test_staff_can_be_given_a_totp_device_from_the_command_line():
    from io import StringIO

    from django.core.management import call_command

    user = get_user_model().objects.create_user("kelly", password=PASSWORD, is_staff=True)
    out = StringIO()
    call_command("add_totp_device", "kelly", stdout=out)
    assert "otpauth://totp/" in out.getvalue()
    assert TOTPDevice.objects.get().user == user


def test_logs_are_json_lines_with_the_request_id(client):
    from recruitment.logging import AddRequestId, JsonFormatter, RedactPersonalData

    records = []
    handler = logging.Handler()
    handler.addFilter(AddRequestId())
    handler.addFilter(RedactPersonalData())
    handler.emit = records.append
    logging.getLogger("django.request").addHandler(handler)
    try:
        response = client.get("/no-such-page/", headers={"X-Request-ID": "abc-123"})
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    assert response["X-Request-ID"] == "abc-123"
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == "abc-123" and line["level"] == "WARNING"
    assert "Not Found: /no-such-page/" in line["message"]


def test_a_request_id_is_made_when_the_proxy_sends_none_or_a_bad_one(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert (
        client.get("/healthz", headers={"X-Request-ID": "bad id\r\n"})["X-Request-ID"] != "bad id"
    )
