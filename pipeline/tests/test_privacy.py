import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from candidates.cvs import add_cv
from candidates.models import Candidate, Erasure
from candidates.tests.factories import CandidateFactory, pdf_cv
from outbox.models import Message
from pipeline import privacy
from pipeline.models import PipelineEntry, PrivacyNotice, Suppression
from pipeline.services import add_to_pipeline

from .factories import SourcedEntryFactory

pytestmark = pytest.mark.django_db


def test_objecting_erases_them_and_keeps_only_a_keyed_hash_of_their_address(
    client, django_capture_on_commit_callbacks
):
    candidate = Candidate.objects.create(name="Zoë Nguyễn", email="zoe@example.com")
    cv = add_cv(candidate, pdf_cv(), by=None, make_current=True).file
    entry = SourcedEntryFactory(candidate=candidate)
    notice = privacy.send_privacy_notice(candidate, vacancy=entry.vacancy, source="referral")
    assert Message.objects.about(notice).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(notice.get_absolute_url())

    assert response.status_code == 302 and response.url == notice.get_absolute_url()
    assert not Candidate.objects.exists() and not PipelineEntry.objects.exists()
    assert not Message.objects.exists()  # the notice to them went with them
    assert not cv.storage.exists(cv.name)
    assert Erasure.objects.get().candidate_number == candidate.pk
    suppression = Suppression.objects.get()
    assert suppression.reason == "objected"
    assert suppression.email_hash == privacy.email_hash("Zoe@Example.com ")
    notice.refresh_from_db()
    assert notice.objected_at is not None and notice.candidate is None
    after = client.get(notice.get_absolute_url())
    assert "We have deleted your details" in after.content.decode()
    assert client.post(notice.get_absolute_url()).status_code == 302  # a second time: no harm


def test_nobody_adds_someone_who_objected_but_they_may_still_apply_themselves(
    client, enquire, objected
):
    objected()
    vacancy = SourcedEntryFactory().vacancy
    typed_back = Candidate.objects.create(name="Zoë", email="ZOE@example.com")
    with pytest.raises(ValidationError, match="must not be added or contacted again"):
        add_to_pipeline(vacancy=vacancy, candidate=typed_back, source="referral")
    assert not PipelineEntry.objects.filter(candidate=typed_back).exists()
    typed_back.delete()

    enquire(client, vacancy, email="zoe@example.com")
    assert PipelineEntry.objects.get(candidate__email="zoe@example.com").source == "application"


def test_the_object_page_asks_first_and_a_get_changes_nothing(client):
    candidate = CandidateFactory(consent_at=None)
    notice = PrivacyNotice.objects.create(candidate=candidate)
    response = client.get(notice.get_absolute_url())
    assert response.status_code == 200
    assert "Delete my details and do not contact me" in response.content.decode()
    assert candidate.name not in response.content.decode()
    assert Candidate.objects.filter(pk=candidate.pk).exists()
    assert client.get("/privacy/object/not-a-token/").status_code == 404


def test_the_suppression_hash_is_keyed_so_the_address_cannot_be_looked_up_without_the_key(
    settings,
):
    settings.SUPPRESSION_KEY = "one key"
    first = privacy.email_hash("zoe@example.com")
    settings.SUPPRESSION_KEY = "another key"
    assert privacy.email_hash("zoe@example.com") != first
    assert len(first) == 64 and "zoe" not in first


def test_personal_links_are_not_sent_to_someone_who_objected(
    consultant_client, vacancy, client, objected
):
    objected()
    response = consultant_client.post(
        reverse("admin:candidates_enquirylink_send"),
        {"_send": "Send", "vacancies": [vacancy.pk], "emails": "ana@example.com zoe@example.com"},
    )
    assert "zoe@example.com objected to our holding their details" in response.content.decode()
    assert not Message.objects.exists()


def test_the_candidate_admin_refuses_an_address_that_objected(admin_client, client, objected):
    objected()
    response = admin_client.post(
        reverse("admin:candidates_candidate_add"),
        {"name": "Zoë", "email": "zoe@example.com", "last_activity_at_0": "2026-12-01"},
    )
    assert "objected to our holding their details" in response.content.decode()
    assert not Candidate.objects.exists()


def test_managers_find_a_suppressed_address_by_typing_it(admin_client, client, objected):
    objected()
    url = reverse("admin:pipeline_suppression_changelist")
    found = admin_client.get(url, {"q": "Zoe@example.com"})
    missing = admin_client.get(url, {"q": "ana@example.com"})
    assert found.context["cl"].result_count == 1
    assert missing.context["cl"].result_count == 0
    assert "zoe@example.com" not in found.content.decode().lower().replace(
        'value="zoe@example.com"', ""
    )


def test_a_notice_outlives_a_candidate_erased_by_staff(client):
    candidate = CandidateFactory(consent_at=None)
    notice = PrivacyNotice.objects.create(candidate=candidate, sent_at=timezone.now())
    candidate.delete()
    response = client.post(notice.get_absolute_url())
    assert response.status_code == 302
    assert not Suppression.objects.exists()  # we no longer know their address
