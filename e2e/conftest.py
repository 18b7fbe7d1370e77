"""Browser tests: Playwright driving Debian's Chromium against a live server the tests start."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from recruitment.tests.worker import run_task_worker as run_worker  # noqa: F401 - for the tests

# Playwright's sync API runs an event loop in this thread; the ORM calls we make between
# browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

E2E = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = E2E / "node_modules" / "axe-core" / "axe.min.js"
VNU = E2E / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = E2E / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def missing(what, how):
    """In CI a missing tool fails the run; on a laptop the browser tests skip, saying why."""
    message = f"{what} is missing: {how}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.nodeid.startswith("e2e/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def production_like(database_tasks, staff_groups):
    """As in production: emails wait in the queue for the worker (run_worker below), and what
    the data migrations make (staff groups, the pipeline's stages) is there."""


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        missing("Chromium", "apt-get install chromium (or set CHROMIUM=/path/to/it)")
    if not AXE.exists() or not VNU.exists():
        missing("axe-core and vnu-jar", "run `make e2e-tools` (npm ci in e2e/)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# bypass_csp lets the tests inject axe-core; test_pages_run_under_the_csp checks the CSP itself.
@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    yield context.new_page()
    context.close()


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in result["violations"]
    ]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: " + "; ".join(violations)


def assert_no_horizontal_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def html_errors(pages, tmp_path):
    """The Nu HTML checker's errors for {name: html}, run offline with the machine's Java."""
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *sorted(str(path) for path in tmp_path.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages]


STAFF_PASSWORD = "a-long-staff-password"


@pytest.fixture
def site(live_server, settings):
    """The live server, with emailed links pointing at it and no form rate limit in the way."""
    settings.SITE_URL = live_server.url
    settings.FORM_RATE_LIMIT = 1000
    return live_server


def staff_user(username, group="Consultant"):
    """A staff login in a staff group, with STAFF_PASSWORD."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username,
        f"{username}@samsmall.example",
        STAFF_PASSWORD,
        is_staff=True,
        first_name=username.title(),
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def raj(staff_groups):
    """Raj Patel, a consultant who can log in (his Consultant profile is raj.consultant)."""
    from jobs.tests.factories import ConsultantFactory

    user = staff_user("raj")
    ConsultantFactory(name="Raj Patel", email="raj@samsmall.example", user=user)
    return user


def log_in(page, site_url, username="raj"):
    page.goto(f"{site_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site_url}/admin/")
