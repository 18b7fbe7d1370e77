import re
import uuid
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from candidates.models import Enquiry
from jobs.models import Sector, Vacancy

from .factories import (
    ClientFactory,
    ConsultantFactory,
    DraftVacancyFactory,
    FilledVacancyFactory,
    OpenVacancyFactory,
    SectorFactory,
    StaffUserFactory,
    SuperUserFactory,
)

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:jobs_vacancy_changelist"


@pytest.fixture
def admin_client(client):
    client.force_login(SuperUserFactory())
    return client


def run_action(client, action, vacancies):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [vacancy.pk for vacancy in vacancies]},
        follow=True,
    )


def statuses(*vacancies):
    return [Vacancy.objects.get(pk=vacancy.pk).status for vacancy in vacancies]


def test_publish_action_opens_selected_drafts(admin_client):
    drafts = DraftVacancyFactory.create_batch(2)
    response = run_action(admin_client, "publish", drafts)
    assert statuses(*drafts) == ["open", "open"]
    assert "2 vacancies published." in response.content.decode()


def test_publish_action_warns_about_a_filled_vacancy_and_publishes_the_rest(admin_client):
    filled, draft = FilledVacancyFactory(), DraftVacancyFactory()
    response = run_action(admin_client, "publish", [filled, draft])
    assert statuses(filled, draft) == ["filled", "open"]
    assert "cannot be published again" in response.content.decode()


def test_close_and_mark_filled_actions(admin_client):
    to_close, to_fill = OpenVacancyFactory(), OpenVacancyFactory()
    run_action(admin_client, "close", [to_close])
    run_action(admin_client, "mark_filled", [to_fill])
    assert statuses(to_close, to_fill) == ["closed", "filled"]


def test_duplicate_action_makes_a_draft_copy(admin_client):
    original = OpenVacancyFactory(title="Account Director")
    response = run_action(admin_client, "duplicate", [original])
    copy = Vacancy.objects.exclude(pk=original.pk).get()
    assert (copy.title, copy.status) == ("Account Director", "draft")
    assert "Draft copy created" in response.content.decode()


def test_changelist_lists_open_vacancies_first_with_their_live_state(admin_client):
    draft = DraftVacancyFactory(title="A Draft")
    filled = FilledVacancyFactory(title="A Filled")
    open_vacancy = OpenVacancyFactory(title="An Open")
    response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [open_vacancy, draft, filled]


def test_changelist_filters_and_search(admin_client):
    live = OpenVacancyFactory(title="Staff Nurse", location="Leeds")
    DraftVacancyFactory(title="Account Director")
    url = reverse(CHANGELIST)
    assert list(admin_client.get(url, {"status": "live"}).context["cl"].result_list) == [live]
    assert list(admin_client.get(url, {"q": "leeds"}).context["cl"].result_list) == [live]
    by_ref = admin_client.get(url, {"q": live.reference}).context["cl"].result_list
    assert list(by_ref) == [live]


def test_changelist_query_count_does_not_grow_with_vacancies(
    admin_client, django_assert_max_num_queries
):
    OpenVacancyFactory.create_batch(30)
    with django_assert_max_num_queries(12):
        admin_client.get(reverse(CHANGELIST))


def new_vacancy_form(**overrides):
    return {
        "title": "Account Director",
        "slug": "account-director",
        "client": ClientFactory().pk,
        "consultant": ConsultantFactory().pk,
        "sector": SectorFactory().pk,
        "location": "London",
        "workplace": "hybrid",
        "contract_type": "permanent",
        "hours": "full_time",
        "positions": "1",
        "salary_period": "year",
        "salary_currency": "GBP",
        "salary_min": "50000",
        "salary_max": "60000",
        "description": "### The role\n\n- Lead accounts.",
        **overrides,
    }


def test_save_and_publish_button_on_a_new_vacancy(admin_client):
    response = admin_client.post(
        reverse("admin:jobs_vacancy_add"),
        new_vacancy_form(_publish="Save and publish"),
        follow=True,
    )
    vacancy = Vacancy.objects.get(slug="account-director")
    assert vacancy.is_live
    assert "saved and published" in response.content.decode()


def test_admin_form_rejects_a_minimum_salary_above_the_maximum(admin_client):
    response = admin_client.post(
        reverse("admin:jobs_vacancy_add"), new_vacancy_form(salary_min="70000")
    )
    assert response.status_code == 200
    assert "The minimum salary is above the maximum." in response.content.decode()
    assert not Vacancy.objects.exists()


def test_close_button_on_an_open_vacancy(admin_client):
    vacancy = OpenVacancyFactory()
    url = reverse("admin:jobs_vacancy_change", args=[vacancy.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"client": vacancy.client_id, "consultant": vacancy.consultant_id})
    data.update({"sector": vacancy.sector_id, "_close": "Save and close"})
    data["published_at_0"], data["published_at_1"] = (
        vacancy.published_at.strftime("%d/%m/%Y"),
        vacancy.published_at.strftime("%H:%M:%S"),
    )
    data.pop("published_at", None)
    data.pop("closes_on", None)
    response = admin_client.post(url, data, follow=True)
    assert "saved and closed" in response.content.decode(), response.context.get("errors")
    assert statuses(vacancy) == ["closed"]


def test_client_form_explains_what_is_public(admin_client):
    content = admin_client.get(reverse("admin:jobs_client_add")).content.decode()
    assert "Staff only: never shown on the site" in content
    assert "What candidates see" in content


def test_autocomplete_finds_clients_and_consultants(admin_client):
    ClientFactory(name="Brightwater Communications")
    ConsultantFactory(name="Kelly Small")
    for model, term, expected in (
        ("client", "bright", "Brightwater"),
        ("consultant", "kel", "Kelly"),
    ):
        response = admin_client.get(
            reverse("admin:autocomplete"),
            {"app_label": "jobs", "model_name": "vacancy", "field_name": model, "term": term},
        )
        assert response.status_code == 200
        assert expected in response.json()["results"][0]["text"]


def test_every_admin_page_answers(admin_client):
    vacancy = OpenVacancyFactory()
    urls = [
        reverse(f"admin:jobs_{model}_changelist")
        for model in ("vacancy", "client", "consultant", "sector", "clientcontact")
    ]
    urls += [reverse("admin:jobs_vacancy_change", args=[vacancy.pk])]
    urls += [reverse("admin:jobs_client_change", args=[vacancy.client_id])]
    for url in urls:
        assert admin_client.get(url).status_code == 200, url


def test_staff_groups_exist_with_permissions():
    consultant = Group.objects.get(name="Consultant")
    manager = Group.objects.get(name="Manager")
    assert consultant.permissions.filter(codename="change_vacancy").exists()
    assert not consultant.permissions.filter(codename="delete_vacancy").exists()
    assert manager.permissions.filter(codename="delete_vacancy").exists()


def test_consultant_in_group_can_manage_vacancies_but_not_delete(client):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Consultant"))
    client.force_login(user)
    vacancy = OpenVacancyFactory()
    assert client.get(reverse(CHANGELIST)).status_code == 200
    delete_url = reverse("admin:jobs_vacancy_delete", args=[vacancy.pk])
    assert client.get(delete_url).status_code == 403


def test_a_vacancy_links_to_its_enquiries(admin_client):
    vacancy, other = OpenVacancyFactory(), OpenVacancyFactory()
    for job, name in ((vacancy, "Ada"), (other, "Bob")):
        Enquiry.objects.create(
            submission_id=uuid.uuid4(),
            kind="question",
            vacancy=job,
            name=name,
            email=f"{name}@example.com",
            notify_email="consultant@example.com",
        )
    page = admin_client.get(reverse("admin:jobs_vacancy_change", args=[vacancy.pk])).content
    link = re.search(r'href="([^"]+)">See its enquiries', page.decode())[1].replace("&amp;", "&")
    listed = admin_client.get(link).context["cl"].result_list
    assert [enquiry.name for enquiry in listed] == ["Ada"]


def test_one_slug_for_a_title_whichever_way_the_job_arrives(admin_client, tmp_path):
    """The model, the admin (slug left blank), duplicate and the importer agree."""
    made = DraftVacancyFactory(title="Kierownik – Łódź")
    admin_client.post(
        reverse("admin:jobs_vacancy_add"), new_vacancy_form(title="Kierownik – Łódź", slug="")
    )
    copy = made.duplicate()
    advert = tmp_path / "advert.csv"
    advert.write_text(
        "Id,Title,FullDescription,LocationRaw,Company\n1,Kierownik – Łódź,Zarządzanie.,Łódź,Acme\n",
        encoding="utf-8",
    )
    call_command("import_jobs", str(advert), stdout=StringIO(), stderr=StringIO())
    imported = Vacancy.objects.get(external_reference="1")
    from_admin = Vacancy.objects.exclude(pk__in=[made.pk, copy.pk, imported.pk]).get()
    assert [made.slug, from_admin.slug, copy.slug, imported.slug] == [
        "kierownik-lodz",
        "kierownik-lodz-2",
        "kierownik-lodz-3",
        "kierownik-lodz-4",
    ]


def test_a_sector_left_without_a_slug_gets_one_from_its_name(admin_client):
    admin_client.post(
        reverse("admin:jobs_sector_add"), {"name": "Inżynieria & Ærospace", "slug": ""}
    )
    assert Sector.objects.get().slug == "inzynieria-aerospace"


PASTED_ADVERT = (
    "Our client, a PR agency, needs an Account Director. Client Liaison: Run the account. "
    "Brief the team. New Business: Lead pitches. If you want to find out more, please contact "
    "Kellysamsmall.co.uk or call **** **** This job was originally posted as "
    "www.totaljobs.com/JobSeeking/AD_job****"
)


def test_a_pasted_plain_text_advert_is_tidied_like_an_import(admin_client):
    response = admin_client.post(
        reverse("admin:jobs_vacancy_add"),
        new_vacancy_form(description=PASTED_ADVERT, _tidy="Save and tidy this advert"),
        follow=True,
    )
    vacancy = Vacancy.objects.get()
    assert response.redirect_chain[-1][0] == reverse("admin:jobs_vacancy_change", args=[vacancy.pk])
    assert "Advert tidied: 2 headings and 2 bullet points." in response.content.decode()
    assert "### Client Liaison\n\n- Run the account.\n- Brief the team." in vacancy.description
    assert "### New Business" in vacancy.description
    assert "originally posted" not in vacancy.description and vacancy.source == "totaljobs.com"
    public = admin_client.get(vacancy.get_absolute_url()).content.decode()
    assert "<h3>Client Liaison</h3>" in public and "Kellysamsmall" not in public


def test_an_advert_already_in_markdown_is_left_as_it_is(admin_client):
    response = admin_client.post(
        reverse("admin:jobs_vacancy_add"),
        new_vacancy_form(_tidy="Save and tidy this advert"),
        follow=True,
    )
    assert Vacancy.objects.get().description == "### The role\n\n- Lead accounts."
    assert "already has headings or bullet points" in response.content.decode()


def test_the_vacancy_form_links_clearly_to_a_preview_of_its_public_page(admin_client):
    draft = DraftVacancyFactory()
    content = admin_client.get(reverse("admin:jobs_vacancy_change", args=[draft.pk])).content
    content = content.decode()
    preview = f'<a href="{draft.get_absolute_url()}" target="_blank">Preview the public page</a>'
    assert content.count(preview) == 2  # at the top, and beside the advert
    assert '<button type="submit" name="_tidy"' in content
