"""Two consultants with the same vacancy open in their browsers: the second save is told."""

import pytest

from jobs.models import Vacancy
from jobs.tests.factories import OpenVacancyFactory

from .conftest import AXE, DESKTOP, WCAG, log_in, screenshot, staff_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def consultants(staff_groups):
    for name in ("alice", "bob"):
        staff_user(name)


@pytest.fixture
def second_desktop(browser):
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    yield context.new_page()
    context.close()


def message_violations(page):
    """axe-core on the conflict message alone: the admin's own widgets are Django's affair."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run('.errorlist.nonfield', {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [f"{v['id']}: {v['help']}" for v in result["violations"]]


def test_the_second_consultant_to_save_sees_what_changed_and_can_save_over_it(
    desktop, second_desktop, live_server, consultants
):
    vacancy = OpenVacancyFactory(title="Account Manager", location="London")
    url = f"{live_server.url}/admin/jobs/vacancy/{vacancy.pk}/change/"
    alice, bob = desktop, second_desktop
    log_in(alice, live_server.url, "alice")
    log_in(bob, live_server.url, "bob")
    alice.goto(url)
    bob.goto(url)

    alice.fill("#id_title", "Account Director")
    alice.click("input[name=_save]")
    assert "was changed successfully" in alice.inner_text(".messagelist")
    bob.fill("#id_location", "Leeds")
    bob.click("input[name=_save]")

    told = bob.inner_text(".errorlist.nonfield")
    assert "was changed by someone else since you opened this page" in told
    assert "Title: was “Account Manager” when you opened the page, now “Account Director”" in told
    assert "(changed by Alice at " in told
    assert "Description" not in told  # the browser sent its lines back ending \r\n
    assert bob.input_value("#id_location") == "Leeds"
    assert message_violations(bob) == []
    screenshot(bob, "edit-conflict")

    bob.check("text=Replace these changes with what I typed")
    bob.click("input[name=_save]")
    assert "was changed successfully" in bob.inner_text(".messagelist")
    vacancy = Vacancy.objects.get(pk=vacancy.pk)
    assert (vacancy.title, vacancy.location) == ("Account Manager", "Leeds")
