import csv
import hashlib
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from candidates.models import CVDownload
from candidates.tests.factories import exe_renamed_pdf, give_cv, pdf_cv
from jobs.tests.factories import StaffUserFactory
from outbox.models import Message
from pipeline.models import (
    Agreement,
    ClientProfile,
    Introduction,
    ReviewLink,
    Shortlist,
    Stage,
    StageMove,
)

from .factories import ClientContactFactory

pytestmark = pytest.mark.django_db


def stored_copies():
    storage = storages["private"]
    try:
        _, months = storage.listdir("introductions")
        folders = ["introductions/" + year for year in storage.listdir("introductions")[0]]
    except FileNotFoundError:
        return []
    names = list(months)
    for folder in folders:
        for month in storage.listdir(folder)[0]:
            names += storage.listdir(f"{folder}/{month}")[1]
    return names


@pytest.fixture
def kelly_client(client, vacancy):
    """Kelly, the vacancy's consultant, a Consultant, signed in."""
    kelly = vacancy.consultant.user
    kelly.groups.add(Group.objects.get(name="Consultant"))
    client.force_login(kelly)
    client.user = kelly
    return client


def test_a_send_records_each_introduction_with_a_copy_of_the_exact_file(shortlist, send_cvs):
    shortlist_sent = send_cvs()
    zoe = Introduction.objects.get(candidate=shortlist.zoe.candidate)
    content = zoe.cv.open("rb").read()
    assert content == b"%PDF-1.4\n% Zoe's CV\n%%EOF\n"
    assert zoe.cv_sha256 == hashlib.sha256(content).hexdigest() and zoe.cv_size == len(content)
    assert zoe.cv.name != shortlist.zoe.candidate.current_cv.file.name
    assert (zoe.vacancy, zoe.client, zoe.contact) == (
        shortlist.vacancy,
        shortlist.vacancy.client,
        shortlist.priya,
    )
    assert (zoe.contact_email, zoe.cv_original_name) == ("priya@acme.example", "Zoë CV.pdf")
    assert zoe.headline == "Account Director, ten years in healthcare PR"
    assert "Here are the candidates" in shortlist_sent.note

    # A new CV later changes nothing the client was sent.
    candidate = shortlist.zoe.candidate
    give_cv(candidate, b"%PDF-1.4\n% rewritten\n%%EOF\n", "new.pdf")
    zoe.refresh_from_db()
    assert hashlib.sha256(zoe.cv.open("rb").read()).hexdigest() == zoe.cv_sha256


def test_a_send_moves_each_candidate_to_cv_sent_and_logs_it(shortlist, send_cvs, vacancy):
    send_cvs(by=vacancy.consultant.user)
    cv_sent = Stage.objects.get(role=Stage.Role.CV_SENT)
    for entry in (shortlist.zoe, shortlist.ana):
        entry.refresh_from_db()
        move = StageMove.objects.filter(entry=entry).latest("pk")
        assert entry.stage == cv_sent and move.to_stage == cv_sent
        assert move.note == "CV sent to Priya Shah at Acme Health Ltd."
        assert move.moved_by == vacancy.consultant.user


def test_each_contact_gets_their_own_email_and_review_link_and_no_cv_attached(
    shortlist, send_cvs, smtp_server, plain_body
):
    joe = ClientContactFactory(client=shortlist.vacancy.client, name="Joe Bloggs")
    send_cvs(contacts=[shortlist.priya, joe])
    [priya] = smtp_server.inbox.to("priya@acme.example")
    [to_joe] = smtp_server.inbox.to(joe.email)
    text = plain_body(priya)
    assert priya["Subject"] == "PR Healthcare Account Director: candidates for your review"
    assert priya["Reply-To"] == "Kelly Small <kelly@samsmall.example>"
    assert text.startswith("Dear Priya,") and "Dear Joe," in plain_body(to_joe)
    assert "Zoë Nguyễn: Account Director, ten years in healthcare PR" in text
    assert "rather than attached: they are confidential to you" in text
    links = {ReviewLink.objects.get(contact=contact).url for contact in (shortlist.priya, joe)}
    assert len(links) == 2
    assert ReviewLink.objects.get(contact=shortlist.priya).url in text
    assert list(priya.iter_attachments()) == []
    for candidate in (shortlist.zoe.candidate, shortlist.ana.candidate):
        assert candidate.email not in text and candidate.phone not in text
    assert Introduction.objects.count() == 4 and Message.objects.count() == 2


def test_sending_again_to_a_contact_keeps_their_one_link(shortlist, send_cvs):
    send_cvs(entries=[shortlist.zoe])
    send_cvs(entries=[shortlist.ana])
    link = ReviewLink.objects.get()
    assert set(link.introductions().values_list("candidate__name", flat=True)) == {
        "Zoë Nguyễn",
        "Ana Souza",
    }


def nothing_sent():
    return (
        not Shortlist.objects.exists()
        and not Introduction.objects.exists()
        and not Message.objects.exists()
        and not ReviewLink.objects.exists()
        and stored_copies() == []
    )


def test_without_their_agreement_nothing_is_sent(shortlist, send_cvs):
    Agreement.objects.filter(candidate=shortlist.ana.candidate).delete()
    with pytest.raises(ValidationError) as refused:
        send_cvs()
    assert refused.value.messages == [
        "Ana Souza has not agreed to be put forward to Acme Health Ltd: "
        "record their agreement first."
    ]
    assert nothing_sent()
    shortlist.zoe.refresh_from_db()
    assert shortlist.zoe.stage.role == Stage.Role.SHORTLISTED


def test_an_agreement_to_another_client_does_not_count(shortlist, send_cvs):
    agreement = Agreement.objects.get(candidate=shortlist.ana.candidate)
    agreement.client = ClientContactFactory().client
    agreement.save()
    with pytest.raises(ValidationError, match="Ana Souza has not agreed"):
        send_cvs()
    assert nothing_sent()


def test_a_contact_without_an_email_address_is_refused(shortlist, send_cvs):
    with pytest.raises(ValidationError) as refused:
        send_cvs(contacts=[shortlist.priya, shortlist.tom])
    assert refused.value.messages == [
        "Tom Reed has no email address: add one on Acme Health Ltd's page, then send."
    ]
    assert nothing_sent()


def test_a_cv_missing_from_storage_is_refused_and_nothing_is_half_sent(shortlist, send_cvs):
    storages["private"].delete(shortlist.ana.candidate.current_cv.file.name)
    with pytest.raises(ValidationError) as refused:
        send_cvs()
    assert refused.value.messages == [
        "Ana Souza's CV file is missing from storage: upload it again, then send."
    ]
    assert nothing_sent()


def test_a_cv_that_vanishes_mid_send_leaves_no_copy_behind(shortlist, send_cvs, monkeypatch):
    from pipeline import introductions

    real = introductions.problems
    monkeypatch.setattr(introductions, "problems", lambda *args: [])  # checked before it went
    storages["private"].delete(shortlist.ana.candidate.current_cv.file.name)
    with pytest.raises(ValidationError, match="could not be read or copied"):
        send_cvs()
    monkeypatch.setattr(introductions, "problems", real)
    assert nothing_sent()


def test_a_prepared_cv_goes_instead_of_their_own(shortlist, send_cvs):
    profile = shortlist.zoe.client_profile
    profile.cv_source = ClientProfile.CVSource.PREPARED
    profile.prepared_cv_original_name = "Zoë Nguyễn (Sam Small).pdf"
    profile.prepared_cv.save("prepared.pdf", ContentFile(b"%PDF-1.4\n% no phone\n%%EOF\n"))
    send_cvs(entries=[shortlist.zoe])
    introduction = Introduction.objects.get()
    assert introduction.cv.open("rb").read() == b"%PDF-1.4\n% no phone\n%%EOF\n"
    assert introduction.cv_original_name == "Zoë Nguyễn (Sam Small).pdf"


def test_the_send_page_refuses_without_an_agreement_and_says_why(kelly_client, shortlist, vacancy):
    Agreement.objects.filter(candidate=shortlist.ana.candidate).delete()
    url = reverse("admin:pipeline_board_send_cvs", args=[vacancy.pk])
    page = kelly_client.get(url)
    assert page.status_code == 200
    assert "Here are the candidates I would like you to consider" in page.content.decode()
    data = {
        "entries": [shortlist.zoe.pk, shortlist.ana.pk],
        "contacts": [shortlist.priya.pk],
        "subject": "CVs",
        "note": "Dear {{ contact_first_name }}, here they are.",
        "_send": "Send",
    }
    response = kelly_client.post(url, data)
    assert response.status_code == 400
    assert "Ana Souza has not agreed to be put forward to Acme Health Ltd" in (
        response.content.decode()
    )
    assert nothing_sent()

    recorded = kelly_client.post(
        reverse("admin:pipeline_board_agreement", args=[vacancy.pk, shortlist.ana.pk]),
        {f"a{shortlist.ana.pk}-how": "email", f"a{shortlist.ana.pk}-note": "Replied yes"},
    )
    assert recorded.status_code == 302
    agreement = Agreement.objects.get(candidate=shortlist.ana.candidate)
    assert (agreement.how, agreement.recorded_by) == ("email", kelly_client.user)

    asked = {name: value for name, value in data.items() if name != "_send"}
    preview = kelly_client.post(url, {**asked, "_preview": "Preview"})
    assert preview.status_code == 200 and "Dear Priya, here they are." in preview.content.decode()
    assert not Shortlist.objects.exists()
    sent = kelly_client.post(url, data)
    assert sent.status_code == 302 and sent.url.startswith(
        reverse("admin:pipeline_board", args=[vacancy.pk])
    )
    assert Introduction.objects.count() == 2


def test_only_staff_who_may_send_cvs_can(client, shortlist, vacancy):
    viewer = StaffUserFactory()
    client.force_login(viewer)
    url = reverse("admin:pipeline_board_send_cvs", args=[vacancy.pk])
    assert client.get(url).status_code == 403


def test_a_prepared_cv_is_checked_like_any_cv(kelly_client, shortlist):
    profile = shortlist.zoe.client_profile
    url = reverse("admin:pipeline_clientprofile_change", args=[profile.pk])
    page = kelly_client.get(url)
    fields = {
        "headline": "Account Director",
        "summary": "Strong.",
        "salary_expectation": "",
        "notice_period": "",
        "cv_source": "prepared",
        "opened_version": page.context["adminform"].form["opened_version"].value(),
    }
    refused = kelly_client.post(url, {**fields, "prepared_cv": exe_renamed_pdf()})
    assert refused.status_code == 200 and "is not a PDF document" in refused.content.decode()
    saved = kelly_client.post(url, {**fields, "prepared_cv": pdf_cv("Zoë for Acme.pdf")})
    assert saved.status_code == 302
    profile.refresh_from_db()
    assert profile.prepared_cv_original_name == "Zoë for Acme.pdf" and profile.prepared_cv


def test_the_introductions_list_answers_when_and_with_which_cv_as_csv(
    kelly_client, shortlist, send_cvs
):
    send_cvs()
    zoe = Introduction.objects.get(candidate=shortlist.zoe.candidate)
    url = reverse("admin:pipeline_introduction_export")
    response = kelly_client.get(url, {"candidate__id__exact": shortlist.zoe.candidate_id})
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Sent at", "Candidate", "Candidate number", "Client"]
    [row] = rows[1:]
    assert row[1] == "Zoë Nguyễn" and row[3] == "Acme Health Ltd" and row[4] == "Priya Shah"
    assert row[8:10] == ["Zoë CV.pdf", zoe.cv_sha256]

    listed = kelly_client.get(
        reverse("admin:pipeline_introduction_changelist"),
        {"client__id__exact": shortlist.vacancy.client_id},
    )
    assert listed.status_code == 200 and "Ana Souza" in listed.content.decode()


def test_csv_cells_that_look_like_formulas_are_kept_as_text(kelly_client, shortlist, send_cvs):
    candidate = shortlist.zoe.candidate
    candidate.name = "=HYPERLINK(1)"
    candidate.save()
    send_cvs(entries=[shortlist.zoe])
    response = kelly_client.get(reverse("admin:pipeline_introduction_export"))
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_staff_download_the_copy_sent_and_it_is_recorded(kelly_client, shortlist, send_cvs):
    send_cvs(entries=[shortlist.zoe])
    introduction = Introduction.objects.get()
    response = kelly_client.get(reverse("admin:pipeline_introduction_cv", args=[introduction.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n% Zoe's CV\n%%EOF\n"
    assert CVDownload.objects.get().candidate == shortlist.zoe.candidate


def test_the_client_page_shows_cvs_sent_and_response_times(kelly_client, shortlist, send_cvs):
    send_cvs()
    page = kelly_client.get(
        reverse("admin:pipeline_introduction_responses"), {"client": shortlist.vacancy.client_id}
    )
    content = page.content.decode()
    assert page.status_code == 200 and "PR Healthcare Account Director" in content
    assert re.search(r'class="count">2</td>\s*<td class="count">0</td>', content)


def test_a_candidates_and_a_pipeline_entrys_pages_link_to_their_cvs_sent(kelly_client, shortlist):
    entry = shortlist.zoe
    listed = f"?candidate__id__exact={entry.candidate_id}"
    for url in (
        reverse("admin:candidates_candidate_change", args=[entry.candidate_id]),
        reverse("admin:pipeline_pipelineentry_change", args=[entry.pk]),
    ):
        content = kelly_client.get(url).content.decode()
        assert listed in content
    assert reverse("admin:pipeline_interview_schedule", args=[entry.pk]) in content
