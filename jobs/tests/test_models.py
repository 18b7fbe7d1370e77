from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from jobs.models import Client, Sector, Vacancy
from jobs.slugs import make_slug

from .factories import (
    ClosedVacancyFactory,
    ConfidentialClientFactory,
    DraftVacancyFactory,
    ExpiredVacancyFactory,
    FilledVacancyFactory,
    OpenVacancyFactory,
    ScheduledVacancyFactory,
)

pytestmark = pytest.mark.django_db


def live_titles():
    return set(Vacancy.objects.live().values_list("title", flat=True))


def test_open_published_vacancy_is_live():
    vacancy = OpenVacancyFactory()
    assert live_titles() == {vacancy.title}
    assert vacancy.is_live


@pytest.mark.parametrize(
    "factory",
    [
        DraftVacancyFactory,
        ScheduledVacancyFactory,
        ExpiredVacancyFactory,
        ClosedVacancyFactory,
        FilledVacancyFactory,
    ],
)
def test_vacancy_that_is_not_open_and_published_is_not_live(factory):
    vacancy = factory()
    assert live_titles() == set()
    assert not vacancy.is_live


def test_vacancy_closing_today_is_still_live():
    vacancy = OpenVacancyFactory(closes_on=timezone.localdate())
    assert live_titles() == {vacancy.title}
    assert vacancy.is_live


def test_vacancy_published_a_moment_ago_is_live_and_one_a_moment_ahead_is_not():
    now = timezone.now()
    past = OpenVacancyFactory(published_at=now - timedelta(seconds=1))
    future = OpenVacancyFactory(published_at=now + timedelta(minutes=1))
    assert live_titles() == {past.title}
    assert future.is_scheduled and not future.has_ended


def test_expired_closed_and_filled_vacancies_have_ended_but_drafts_have_not():
    assert ExpiredVacancyFactory().has_ended
    assert ClosedVacancyFactory().has_ended
    assert FilledVacancyFactory().has_ended
    assert not DraftVacancyFactory().has_ended
    assert not ScheduledVacancyFactory().has_ended


def test_sector_live_counts_count_only_live_vacancies():
    live = OpenVacancyFactory()
    ClosedVacancyFactory(sector=live.sector)
    DraftVacancyFactory(sector=live.sector)
    empty = Sector.objects.create(name="Engineering", slug="engineering")
    sectors = {sector.name: sector.live_count for sector in Sector.objects.with_live_counts()}
    assert sectors == {live.sector.name: 1, empty.name: 0}
    assert list(Sector.objects.with_live_jobs()) == [live.sector]


def test_new_vacancy_gets_slug_from_title_and_reference_from_its_number():
    first = DraftVacancyFactory(title="PR Healthcare Account Director")
    second = DraftVacancyFactory(title="PR Healthcare Account Director")
    assert first.slug == "pr-healthcare-account-director"
    assert second.slug == "pr-healthcare-account-director-2"
    assert first.reference == f"SSR-{first.pk:05d}"
    assert Vacancy.objects.get(pk=first.pk).reference == first.reference


def test_publish_opens_a_draft_and_stamps_the_time():
    vacancy = DraftVacancyFactory()
    vacancy.publish()
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.OPEN
    assert vacancy.published_at <= timezone.now()
    assert vacancy.is_live


def test_publish_keeps_a_scheduled_date():
    when = timezone.now() + timedelta(days=3)
    vacancy = DraftVacancyFactory(published_at=when)
    vacancy.publish()
    assert vacancy.published_at == when
    assert vacancy.is_scheduled


def test_filled_vacancy_cannot_be_published_again():
    vacancy = FilledVacancyFactory()
    with pytest.raises(ValueError, match="filled"):
        vacancy.publish()
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.FILLED


def test_close_and_mark_filled_take_the_vacancy_off_the_site():
    closed, filled = OpenVacancyFactory(), OpenVacancyFactory()
    closed.close()
    filled.mark_filled()
    assert Vacancy.objects.get(pk=closed.pk).status == Vacancy.Status.CLOSED
    assert Vacancy.objects.get(pk=filled.pk).status == Vacancy.Status.FILLED
    assert live_titles() == set()


def test_duplicate_makes_an_unpublished_draft_with_its_own_slug_and_reference():
    original = OpenVacancyFactory(is_featured=True, external_reference="68688961")
    copy = original.duplicate()
    assert copy.pk != original.pk
    assert copy.status == Vacancy.Status.DRAFT
    assert copy.published_at is None and not copy.is_featured
    assert copy.slug != original.slug and copy.reference != original.reference
    assert copy.external_reference == ""
    assert (copy.title, copy.client, copy.description) == (
        original.title,
        original.client,
        original.description,
    )


def test_database_refuses_a_minimum_salary_above_the_maximum():
    with pytest.raises(IntegrityError):
        DraftVacancyFactory(salary_min=Decimal(60000), salary_max=Decimal(50000))


def test_database_refuses_an_unknown_status():
    with pytest.raises(IntegrityError):
        DraftVacancyFactory(status="archived")


def test_database_refuses_an_open_vacancy_without_a_publish_date():
    with pytest.raises(IntegrityError):
        OpenVacancyFactory(published_at=None)


def test_a_vacancy_has_one_position_unless_told_and_never_none():
    assert DraftVacancyFactory().positions == 1
    with pytest.raises(IntegrityError):
        DraftVacancyFactory(positions=0)


def test_database_refuses_two_vacancies_with_one_external_reference():
    DraftVacancyFactory(external_reference="68688961")
    DraftVacancyFactory(external_reference="")
    DraftVacancyFactory(external_reference="")
    with pytest.raises(IntegrityError):
        DraftVacancyFactory(external_reference="68688961")


def test_database_refuses_a_confidential_client_without_a_public_description():
    with pytest.raises(IntegrityError):
        Client.objects.create(name="Secret plc", is_confidential=True)


def test_confidential_client_is_shown_by_its_public_description_only():
    client = ConfidentialClientFactory()
    assert client.public_name == "a global healthcare communications agency"
    assert Client(name="Brightwater").public_name == "Brightwater"


def test_job_boards_and_search_engines_are_told_the_employer_unless_confidential():
    assert ConfidentialClientFactory().advertised_employer is None
    assert Client(name="Brightwater").advertised_employer == "Brightwater"


def test_a_job_list_loads_everything_the_public_sees_of_its_clients(django_assert_num_queries):
    OpenVacancyFactory(client=ConfidentialClientFactory())
    with django_assert_num_queries(1):
        (vacancy,) = Vacancy.objects.live().for_listing()
        assert (vacancy.client.public_name, vacancy.client.advertised_employer) == (
            "a global healthcare communications agency",
            None,
        )


def test_scheduled_vacancies_are_open_ones_published_in_the_future():
    scheduled = ScheduledVacancyFactory()
    OpenVacancyFactory()
    DraftVacancyFactory(published_at=timezone.now() + timedelta(days=1))
    assert list(Vacancy.objects.scheduled()) == [scheduled]
    assert not Vacancy.objects.scheduled(now=scheduled.published_at).exists()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"salary_min": 45000, "salary_max": 55000}, "£45,000 – £55,000 a year"),
        ({"salary_min": 450, "salary_max": 450, "salary_period": "day"}, "£450 a day"),
        (
            {"salary_min": Decimal("12.5"), "salary_max": None, "salary_period": "hour"},
            "From £12.50 an hour",
        ),
        ({"salary_min": None, "salary_max": 30000}, "Up to £30,000 a year"),
        (
            {
                "salary_min": None,
                "salary_max": None,
                "salary_text": "Excellent salary and benefits",
            },
            "Excellent salary and benefits",
        ),
        ({"salary_min": None, "salary_max": None}, "Salary not stated"),
        (
            {"salary_min": 40000, "salary_max": 50000, "salary_text": "plus bonus and car"},
            "£40,000 – £50,000 a year, plus bonus and car",
        ),
        (
            {
                "salary_min": 450,
                "salary_max": 450,
                "salary_period": "day",
                "salary_text": "Outside IR35",
            },
            "£450 a day, outside IR35",
        ),
        (
            {"salary_min": 60000, "salary_max": 60000, "salary_text": "OTE £90k"},
            "£60,000 a year, OTE £90k",
        ),
    ],
)
def test_salary_reads_as_a_uk_candidate_expects(fields, expected):
    assert Vacancy(**fields).salary_display == expected


def test_description_is_rendered_and_sanitised_when_saved():
    vacancy = DraftVacancyFactory(
        description="### Duties\n\n- Pitch\n\n<script>alert(1)</script>[x](javascript:alert(1))"
    )
    html = Vacancy.objects.get(pk=vacancy.pk).description_html
    assert "<h3>Duties</h3>" in html
    assert "<li>Pitch</li>" in html
    assert "<script" not in html
    assert "href" not in html  # no javascript: link, only its text


def test_editing_the_description_renders_it_again():
    vacancy = DraftVacancyFactory(description="Old text")
    vacancy.description = "### New heading"
    vacancy.save(update_fields=["description"])
    assert Vacancy.objects.get(pk=vacancy.pk).description_html == "<h3>New heading</h3>"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Kierownik – Łódź", "kierownik-lodz"),
        ("Søren & Ærø", "soren-aero"),
        ("Straße", "strasse"),
        ("Đorđe Þór", "dorde-thor"),
        ("Cœur Café", "coeur-cafe"),
        ("Медсестра", "medsestra"),
        ("£40k Nurse", "40k-nurse"),
    ],
)
def test_slugs_transliterate_letters_accents_alone_do_not_explain(text, slug):
    assert make_slug(text) == slug
