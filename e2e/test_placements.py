"""A consultant records a placement shared with a colleague; the job fills; the numbers show it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from jobs.models import Vacancy
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory
from placements.models import Placement
from placements.tests.factories import OfferEntryFactory, TermsFactory

from .conftest import DESKTOP, assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "a-long-staff-password"


def staff(username, group, consultant=None):
    user = get_user_model().objects.create_user(
        username, f"{username}@samsmall.example", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    if consultant is not None:
        consultant.user = user
        consultant.save()
    return user


def log_in(page, url, username):
    page.goto(f"{url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{url}/admin/")


@pytest.fixture
def manager_desktop(browser):
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_a_consultant_records_a_placement_the_job_fills_and_the_numbers_show_the_fee(
    desktop, manager_desktop, live_server, staff_groups
):
    alice = ConsultantFactory(name="Alice Adams")
    ConsultantFactory(name="Bob Brown")  # the colleague who shares the fee
    staff("alice", "Consultant", alice)
    staff("carol", "Manager")
    terms = TermsFactory(client__name="Acme Healthcare Ltd")
    vacancy = OpenVacancyFactory(title="Account Director", consultant=alice, client=terms.client)
    entry = OfferEntryFactory(vacancy=vacancy, candidate__name="Zoë Nguyễn")
    url = live_server.url
    page = desktop

    log_in(page, url, "alice")
    page.goto(f"{url}/admin/placements/placement/")
    page.click("text=Record a placement")
    assert "Zoë Nguyễn" in page.inner_text("#content")
    assert_accessible(page)
    page.get_by_role("link", name="Record the placement of Zoë Nguyễn").click()
    assert page.input_value("#id_fee_percent") == "20.00"  # from the client's terms
    assert page.input_value("#id_split-0-percent") == "100"
    page.fill("#id_salary", "45000")
    page.fill("#id_split-0-percent", "60")
    page.select_option("#id_split-1-consultant", label="Bob Brown")
    page.fill("#id_split-1-percent", "30")
    page.click("input[value='Record the placement']")
    # Shares that do not make 100 %: told, with everything typed kept.
    assert "The shares add up to 90 %" in page.inner_text(".errornote")
    assert page.input_value("#id_salary") == "45000"
    assert_accessible(page)
    screenshot(page, "placement-refused")
    page.fill("#id_split-1-percent", "40")
    page.click("input[value='Record the placement']")

    assert "recorded" in page.inner_text(".messagelist")
    figures = page.inner_text("#content")
    assert "£9,000.00 (20 % of £45,000.00)" in figures
    assert "Alice Adams: 60 %, £5,400.00" in figures and "Bob Brown: 40 %, £3,600.00" in figures
    assert_accessible(page)
    screenshot(page, "placement")
    assert Vacancy.objects.get(pk=vacancy.pk).status == Vacancy.Status.FILLED
    page.goto(f"{url}{vacancy.get_absolute_url()}")
    assert "This vacancy is filled" in page.inner_text("main")  # staff see it as a preview

    page.goto(f"{url}/admin/placements/placement/numbers/")
    assert "Your numbers: Alice Adams" in page.inner_text("h1")
    assert "£5,400.00" in page.inner_text("#content")  # her share
    assert_accessible(page)

    log_in(manager_desktop, url, "carol")
    manager_desktop.goto(f"{url}/admin/placements/placement/numbers/")
    numbers = manager_desktop.inner_text("#content")
    assert "£9,000.00" in numbers and "Bob Brown" in numbers
    assert manager_desktop.get_by_role("img", name="Net fees by consultant").count() == 1
    described = manager_desktop.text_content("#chart-consultants-desc")
    assert described == "Alice Adams: £5,400.00; Bob Brown: £3,600.00"
    assert_accessible(manager_desktop)
    screenshot(manager_desktop, "numbers")

    placement = Placement.objects.get()
    assert placement.entry == entry
    for path in (
        "/admin/placements/placement/invoices/",
        f"/admin/placements/placement/{placement.pk}/invoiced/",
        f"/admin/placements/termsofbusiness/{terms.pk}/change/",
    ):
        manager_desktop.goto(f"{url}{path}")
        assert_accessible(manager_desktop)
