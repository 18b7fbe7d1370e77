from dataclasses import dataclass

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from candidates import privacy
from candidates.models import Candidate, Enquiry
from jobs.models import ClientContact, Vacancy
from jobs.tests.factories import (
    ClientFactory,
    ConsultantFactory,
    DraftVacancyFactory,
    OpenVacancyFactory,
    SectorFactory,
    StaffUserFactory,
    SuperUserFactory,
)
from recruitment.locking.forms import OPENED

from .admin_pages import CONFLICT, admin_form, errors, ticked_overwrite

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(client):
    client.force_login(SuperUserFactory(username="alice"))
    return client


@pytest.fixture
def bob():
    client = Client()
    client.force_login(SuperUserFactory(username="bob"))
    return client


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def opened(client, obj):
    """The change page's form as `client` opened it, ready to post back."""
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return admin_form(response)


def save(client, obj, form, **changes):
    return client.post(change_url(obj), {**form, **changes})


def last_saved_at(obj):
    entry = LogEntry.objects.filter(object_id=str(obj.pk)).latest("action_time")
    return date_format(timezone.localtime(entry.action_time), "j M Y H:i")


@dataclass
class Case:
    make: object
    alice_changes: dict
    bob_changes: dict
    line: str  # what Bob is told, before "(changed by …)"
    kept: dict  # what Alice saved, still there afterwards


CASES = {
    "vacancy": Case(
        make=lambda: OpenVacancyFactory(title="Account Manager"),
        alice_changes={"title": "Account Director"},
        bob_changes={"location": "Leeds"},
        line="Title: was “Account Manager” when you opened the page, now “Account Director”",
        kept={"title": "Account Director", "location": "London"},
    ),
    "client": Case(
        make=lambda: ClientFactory(notes="Pays on time."),
        alice_changes={"notes": "Pays late."},
        bob_changes={"website": "https://example.com"},
        line="Notes: was “Pays on time.” when you opened the page, now “Pays late.”",
        kept={"notes": "Pays late.", "website": ""},
    ),
    "client contact": Case(
        make=lambda: ClientContact.objects.create(client=ClientFactory(), name="Jane Doe"),
        alice_changes={"job_title": "HR Director"},
        bob_changes={"phone": "020 7946 0000"},
        line="Job title: was empty when you opened the page, now “HR Director”",
        kept={"job_title": "HR Director", "phone": ""},
    ),
    "consultant": Case(
        make=lambda: ConsultantFactory(job_title="Consultant"),
        alice_changes={"job_title": "Director"},
        bob_changes={"phone": "020 7946 0999"},
        line="Job title: was “Consultant” when you opened the page, now “Director”",
        kept={"job_title": "Director", "phone": "020 7946 0123"},
    ),
    "sector": Case(
        make=lambda: SectorFactory(name="Finance", slug="finance"),
        alice_changes={"name": "Finance & Accounting"},
        bob_changes={"slug": "money"},
        line="Name: was “Finance” when you opened the page, now “Finance & Accounting”",
        kept={"name": "Finance & Accounting", "slug": "finance"},
    ),
    "candidate": Case(
        make=lambda: Candidate.objects.create(name="Zoë Candidate", email="zoe@example.com"),
        alice_changes={"phone": "07700 900123"},
        bob_changes={"location": "Leeds"},
        line="Phone: was empty when you opened the page, now “07700 900123”",
        kept={"phone": "07700 900123", "location": ""},
    ),
    "enquiry": Case(
        make=lambda: Enquiry.objects.create(
            kind="general", name="Sam Sender", email="sam@example.com", notify_email="in@x.test"
        ),
        alice_changes={"_move_to": "rejected"},
        bob_changes={"_move_to": "shortlisted"},
        line="Status: was “New” when you opened the page, now “Rejected”",
        kept={"status": "rejected"},
    ),
    "staff user": Case(
        make=lambda: StaffUserFactory(username="carol", first_name="Carol"),
        alice_changes={"first_name": "Caroline"},
        bob_changes={"last_name": "Smith"},
        line="First name: was “Carol” when you opened the page, now “Caroline”",
        kept={"first_name": "Caroline", "last_name": ""},
    ),
}


def fields_of(obj, names):
    obj = type(obj)._base_manager.get(pk=obj.pk)
    return {name: getattr(obj, name) for name in names}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_second_save_over_anothers_change_is_refused_and_told_what_changed(alice, bob, case):
    obj = case.make()
    alices_form, bobs_form = opened(alice, obj), opened(bob, obj)
    assert save(alice, obj, alices_form, **case.alice_changes).status_code == 302

    response = save(bob, obj, bobs_form, **case.bob_changes)

    assert response.status_code == 200
    told = errors(response)
    assert CONFLICT in told
    assert case.line in told
    assert fields_of(obj, case.kept) == case.kept


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_what_was_typed_is_kept_and_can_be_saved_over_the_change(alice, bob, case):
    obj = case.make()
    alices_form, bobs_form = opened(alice, obj), opened(bob, obj)
    save(alice, obj, alices_form, **case.alice_changes)
    refused = save(bob, obj, bobs_form, **case.bob_changes)
    shown_again = admin_form(refused)
    for name, value in case.bob_changes.items():
        if not name.startswith("_"):
            assert shown_again[name] == [value]

    response = save(bob, obj, ticked_overwrite(refused), **case.bob_changes)

    assert response.status_code == 302
    typed = {name: value for name, value in case.bob_changes.items() if not name.startswith("_")}
    assert fields_of(obj, typed) == typed
    if "_move_to" in case.bob_changes:
        assert fields_of(obj, ["status"]) == {"status": case.bob_changes["_move_to"]}


def test_the_message_says_who_changed_each_field_and_when(alice, bob):
    vacancy = OpenVacancyFactory(title="Account Manager", salary_max=50000)
    alices_form, bobs_form = opened(alice, vacancy), opened(bob, vacancy)
    save(alice, vacancy, alices_form, title="<b>Director</b>", salary_max="60000")

    response = save(bob, vacancy, bobs_form, location="Leeds")

    told = errors(response)
    by = f"(changed by alice at {last_saved_at(vacancy)})"
    assert (
        f"Title: was “Account Manager” when you opened the page, now “<b>Director</b>” {by}."
        in told
    )
    assert "now “&lt;b&gt;Director&lt;/b&gt;”" in response.content.decode()
    assert f"Salary max: was “50000.00” when you opened the page, now “60000.00” {by}." in told
    assert "Location" not in told  # unchanged by Alice: Bob's own edit is not listed


def test_nothing_shown_on_the_page_changed_so_the_save_goes_through(alice, bob):
    vacancy = OpenVacancyFactory(location="London")
    alices_form, bobs_form = opened(alice, vacancy), opened(bob, vacancy)
    # Saved unchanged, as a browser sends it: a new version, the same fields.
    description = alices_form["description"][0].replace("\n", "\r\n")
    save(alice, vacancy, alices_form, description=description)
    vacancy.refresh_from_db()
    assert vacancy.version == 2

    assert save(bob, vacancy, bobs_form, location="Leeds").status_code == 302
    assert fields_of(vacancy, ["location", "version"]) == {"location": "Leeds", "version": 3}


def test_a_change_after_saying_save_anyway_is_refused_again(alice, bob):
    vacancy = OpenVacancyFactory(title="Account Manager")
    alices_form, bobs_form = opened(alice, vacancy), opened(bob, vacancy)
    save(alice, vacancy, alices_form, title="Account Director")
    refused = save(bob, vacancy, bobs_form, location="Leeds")
    save(alice, vacancy, opened(alice, vacancy), title="Head of Accounts")

    told = errors(save(bob, vacancy, ticked_overwrite(refused)))

    assert "was changed by someone else since you last saw it, so nothing was saved" in told
    assert "Title: was “Account Director” when you last saw it, now “Head of Accounts”" in told
    assert fields_of(vacancy, ["title", "location"]) == {
        "title": "Head of Accounts",
        "location": "London",
    }


def test_a_form_opened_before_a_publish_is_told_the_status_changed(alice, bob):
    vacancy = DraftVacancyFactory()
    bobs_form = opened(bob, vacancy)
    response = alice.post(
        reverse("admin:jobs_vacancy_changelist"),
        {"action": "publish", "_selected_action": [vacancy.pk]},
    )
    assert response.status_code == 302

    told = errors(save(bob, vacancy, bobs_form, title="Renamed"))

    assert "Status: was “Draft” when you opened the page, now “Open”" in told
    assert fields_of(vacancy, ["status", "title"])["status"] == "open"


def test_save_and_publish_on_a_stale_page_neither_saves_nor_publishes(alice, bob):
    vacancy = DraftVacancyFactory(title="Account Manager")
    alices_form, bobs_form = opened(alice, vacancy), opened(bob, vacancy)
    save(alice, vacancy, alices_form, title="Account Director")

    response = save(bob, vacancy, bobs_form, location="Leeds", _publish="Save and publish")

    assert CONFLICT in errors(response)
    assert fields_of(vacancy, ["status", "location"]) == {"status": "draft", "location": "London"}


def test_save_and_duplicate_on_a_stale_page_makes_no_copy(alice, bob):
    vacancy = OpenVacancyFactory(title="Account Manager")
    alices_form, bobs_form = opened(alice, vacancy), opened(bob, vacancy)
    save(alice, vacancy, alices_form, title="Account Director")

    response = save(bob, vacancy, bobs_form, _duplicate="Save and duplicate as draft")

    assert CONFLICT in errors(response)
    assert Vacancy.objects.count() == 1


def test_verbs_and_actions_move_the_version_on_and_are_never_refused():
    vacancy = DraftVacancyFactory()
    stale = Vacancy.objects.get(pk=vacancy.pk)
    vacancy.publish()
    stale.close()  # a verb on an older copy still acts
    stale.refresh_from_db()
    assert (stale.status, stale.version) == ("closed", 3)

    enquiry = CASES["enquiry"].make()
    enquiry.move_to(Enquiry.Status.REVIEWING)
    enquiry.refresh_from_db()
    assert enquiry.version == 2


def test_a_staff_page_opened_before_anonymising_does_not_write_the_personal_data_back(alice):
    candidate = Candidate.objects.create(name="Zoë Candidate", email="zoe@example.com")
    form = opened(alice, candidate)
    privacy.anonymise(candidate)

    told = errors(save(alice, candidate, form, location="Leeds"))

    assert "Name: was “Zoë Candidate” when you opened the page, now “Anonymised”" in told
    assert fields_of(candidate, ["name", "location"]) == {"name": "Anonymised", "location": ""}


def test_logging_in_does_not_count_as_a_change_to_the_staff_record(alice):
    carol = StaffUserFactory(username="carol")
    form = opened(alice, carol)
    Client().force_login(carol)  # saves her last_login alone
    carol.refresh_from_db()
    assert (carol.last_login is not None, carol.version) == (True, 1)
    assert save(alice, carol, form, first_name="Carol").status_code == 302
    carol.refresh_from_db()
    assert (carol.first_name, carol.version) == ("Carol", 2)


def test_a_page_that_lost_its_version_is_not_saved(alice):
    vacancy = OpenVacancyFactory(location="London")
    form = opened(alice, vacancy)
    for token in ("", "forged"):
        response = save(alice, vacancy, {**form, OPENED: token}, location="Leeds")
        assert response.status_code == 200
        assert "no longer says which version of the record it showed" in errors(response)
    assert fields_of(vacancy, ["location"]) == {"location": "London"}


# Client contacts edited on the client's page


def contact_row(form, number):
    return {key: value for key, value in form.items() if key.startswith(f"contacts-{number}-")}


def test_a_contact_changed_on_the_client_page_is_not_overwritten_from_an_older_page(alice, bob):
    client = ClientFactory()
    contact = ClientContact.objects.create(client=client, name="Jane Doe", phone="020 1")
    alices_form, bobs_form = opened(alice, client), opened(bob, client)
    alices_changes = {"contacts-0-phone": "020 2", "contacts-1-name": "Ann Other"}
    assert save(alice, client, alices_form, **alices_changes).status_code == 302

    response = save(bob, client, bobs_form, notes="Met them today.")

    told = errors(response)
    assert "Client contact “Jane Doe (" in told
    assert "Phone: was “020 1” when you opened the page, now “020 2” (changed by alice" in told
    assert fields_of(contact, ["phone"]) == {"phone": "020 2"}
    assert fields_of(client, ["notes"]) == {"notes": ""}
    assert admin_form(response)["notes"] == ["Met them today."]

    assert save(bob, client, ticked_overwrite(response)).status_code == 302
    assert fields_of(contact, ["phone"]) == {"phone": "020 1"}
    assert fields_of(client, ["notes"]) == {"notes": "Met them today."}
    assert client.contacts.filter(name="Ann Other").exists()  # added meanwhile: kept


def test_a_contact_deleted_on_the_client_page_is_not_brought_back(alice, bob):
    client = ClientFactory()
    ClientContact.objects.create(client=client, name="Jane Doe", phone="020 1")
    alices_form, bobs_form = opened(alice, client), opened(bob, client)
    save(alice, client, alices_form, **{"contacts-0-DELETE": "on"})

    response = save(bob, client, bobs_form, **{"contacts-0-phone": "020 2"})

    assert response.status_code == 200
    assert "was deleted by alice at" in errors(response)
    assert not ClientContact.objects.exists()

    typed = admin_form(response)
    response = save(bob, client, typed, notes="Jane left.", **{"contacts-0-DELETE": "on"})
    assert response.status_code == 302
    assert not ClientContact.objects.exists()
    assert fields_of(client, ["notes"]) == {"notes": "Jane left."}
