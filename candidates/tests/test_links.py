import re
import urllib.request
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, Enquiry, EnquiryLink, LinkMessage
from jobs.tests.factories import (
    ClosedVacancyFactory,
    ConsultantFactory,
    OpenVacancyFactory,
    StaffUserFactory,
)
from outbox.models import Message

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://127\.0\.0\.1:8000(/j/[A-Za-z0-9_-]+/)")


@pytest.fixture
def consultant_client(client):
    """A consultant in the Consultant group, logged in, with a public profile."""
    user = StaffUserFactory(username="raj")
    user.groups.add(Group.objects.get(name="Consultant"))
    client.force_login(user)
    client.consultant = ConsultantFactory(name="Raj Patel", email="raj@samsmall.example", user=user)
    return client


@pytest.fixture
def vacancy():
    owner = ConsultantFactory(name="Kelly Small", email="kelly@samsmall.example")
    return OpenVacancyFactory(title="PR Healthcare Account Director", consultant=owner)


def send(client, **data):
    return client.post(reverse("admin:candidates_enquirylink_send"), {"_send": "Send", **data})


def body(message):
    return message.get_body(("plain",)).get_content()


def open_on(live_server, path, method="GET", agent="Mozilla/5.0"):
    request = urllib.request.Request(
        live_server.url + path, method=method, headers={"User-Agent": agent}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_recipients_get_different_personal_links_and_an_open_counts_once(
    consultant_client, vacancy, smtp_server, live_server
):
    response = send(
        consultant_client,
        vacancies=[vacancy.pk],
        emails="ana@example.com, ben@example.com",
        note="Thought of you for this.",
    )
    assert response.status_code == 302
    ana = smtp_server.inbox.to("ana@example.com")[0]
    ben = smtp_server.inbox.to("ben@example.com")[0]
    ana_path, ben_path = LINK.search(body(ana))[1], LINK.search(body(ben))[1]
    assert ana_path != ben_path
    assert ana["Reply-To"].strip() == "raj@samsmall.example"
    assert "Thought of you for this." in body(ana) and "PR Healthcare Account Director" in body(ana)
    link = EnquiryLink.objects.get(email="ana@example.com")
    assert len(link.token) >= 22  # 128 bits, URL-safe base64

    assert open_on(live_server, ana_path, method="HEAD")[0] == 200
    open_on(live_server, ana_path, agent="Mozilla/5.0 (compatible; Slackbot-LinkExpanding)")
    link.refresh_from_db()
    assert link.open_count == 0  # scanners and previews do not count

    status, page = open_on(live_server, ana_path)
    link.refresh_from_db()
    assert status == 200 and link.open_count == 1 and link.first_opened_at is not None
    assert 'value="ana@example.com"' in page  # the form is ready, email filled in
    assert f'value="{link.token}"' in page


def test_enquiry_through_a_link_is_attributed_and_the_sender_is_told(
    consultant_client, vacancy, smtp_server, enquire
):
    send(consultant_client, vacancies=[vacancy.pk], emails="ana@example.com")
    link = EnquiryLink.objects.get()
    enquire(consultant_client, vacancy, email="ana@example.com", link=link.token)
    enquiry = Enquiry.objects.get()
    assert (enquiry.link, enquiry.source, enquiry.consultant) == (link, "link", vacancy.consultant)
    [notification] = smtp_server.inbox.to("kelly@samsmall.example")
    assert "raj@samsmall.example" in notification["Cc"]
    assert "Raj Patel's personal link" in body(notification)
    report = consultant_client.get(
        reverse("admin:candidates_enquirylink_report"), {"by": "vacancy"}
    )
    row = report.context["rows"][0]
    assert (row["sent"], row["enquired"], row["conversion"]) == (1, 1, "100%")


def test_a_link_for_another_job_does_not_attribute(
    consultant_client, vacancy, smtp_server, enquire
):
    other = OpenVacancyFactory()
    send(consultant_client, vacancies=[other.pk], emails="ana@example.com")
    enquire(consultant_client, vacancy, link=EnquiryLink.objects.get().token)
    enquiry = Enquiry.objects.get()
    assert (enquiry.link, enquiry.source) == (None, "direct")


@pytest.mark.parametrize("how", ["expired", "revoked"])
def test_expired_or_revoked_link_shows_the_live_job_unattributed(client, vacancy, how):
    link = EnquiryLink.objects.create(
        vacancy=vacancy, sender=ConsultantFactory(), email="ana@example.com"
    )
    if how == "expired":
        EnquiryLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    else:
        link.revoke()
    response = client.get(link.personal_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "This personal link has expired" in content and vacancy.title in content
    assert f'value="{link.token}"' not in content
    assert EnquiryLink.objects.get().open_count == 0


def test_extending_a_link_makes_it_work_again(vacancy):
    link = EnquiryLink.objects.create(
        vacancy=vacancy, sender=ConsultantFactory(), email="ana@example.com"
    )
    link.revoke()
    link.extend()
    assert EnquiryLink.objects.get().is_valid
    assert link.expires_at > timezone.now() + timedelta(days=29)


def test_link_to_a_closed_job_shows_similar_jobs_and_the_same_consultant(client):
    sender = ConsultantFactory(name="Raj Patel", email="raj@samsmall.example")
    closed = ClosedVacancyFactory()
    similar = OpenVacancyFactory(title="Similar Role", sector=closed.sector)
    link = EnquiryLink.objects.create(vacancy=closed, sender=sender, email="ana@example.com")
    response = client.get(link.personal_url())
    content = response.content.decode()
    assert response.status_code == 200 and "no longer open" in content
    assert similar.title in content and "raj@samsmall.example" in content


@pytest.mark.parametrize("token", ["x", "AAAAAAAAAAAAAAAAAAAAAA", "%00abc", "a" * 65])
def test_tampered_or_random_tokens_get_a_friendly_not_found(client, token):
    response = client.get(f"/j/{token}/")
    assert response.status_code == 404


def test_repeated_guessing_is_rate_limited(client, settings):
    settings.LINK_GUESS_LIMIT = 3
    codes = [client.get(f"/j/guess{number}/").status_code for number in range(5)]
    assert codes == [404, 404, 404, 429, 429]


def test_one_refused_recipient_does_not_stop_the_others(consultant_client, vacancy, smtp_server):
    send(consultant_client, vacancies=[vacancy.pk], emails="ana@example.com nobody@reject.example")
    assert len(smtp_server.inbox.to("ana@example.com")) == 1
    refused = LinkMessage.objects.get(email="nobody@reject.example")
    delivered = LinkMessage.objects.get(email="ana@example.com")
    assert (delivered.state, refused.state) == ("sent", "failed")
    [email] = Message.objects.about(refused)
    assert email.attempts == 1 and "550 No such mailbox" in email.last_error


def test_send_jobs_to_a_candidate_in_one_email(consultant_client, smtp_server):
    candidate = Candidate.objects.create(name="Zoë", email="zoe@example.com")
    jobs = OpenVacancyFactory.create_batch(2)
    send(consultant_client, vacancies=[job.pk for job in jobs], candidates=[candidate.pk])
    [message] = smtp_server.inbox.to("zoe@example.com")
    assert len(LINK.findall(body(message))) == 2 and "Dear Zoë" in body(message)
    assert set(EnquiryLink.objects.values_list("candidate", flat=True)) == {candidate.pk}


def test_preview_shows_the_email_and_sends_nothing(consultant_client, vacancy):
    response = consultant_client.post(
        reverse("admin:candidates_enquirylink_send"),
        {"vacancies": [vacancy.pk], "emails": "ana@example.com", "_preview": "Preview"},
    )
    assert "A job for you: PR Healthcare Account Director" in response.content.decode()
    assert not EnquiryLink.objects.exists()


def test_send_form_explains_bad_input(consultant_client, vacancy):
    response = consultant_client.post(
        reverse("admin:candidates_enquirylink_send"),
        {"vacancies": [vacancy.pk], "emails": "ana@example.com, nope", "_send": "Send"},
    )
    assert "“nope” is not an email address." in response.content.decode()
    closed = ClosedVacancyFactory()
    response = send(consultant_client, vacancies=[closed.pk], emails="ana@example.com")
    assert response.status_code == 200 and not EnquiryLink.objects.exists()


def test_copy_a_link_instead_of_sending_it(consultant_client, vacancy):
    response = consultant_client.post(
        reverse("admin:candidates_enquirylink_copy"),
        {"vacancy": vacancy.pk, "email": "ana@example.com"},
    )
    link = EnquiryLink.objects.get()
    content = response.content.decode()
    assert link.channel == "copied" and link.sender == consultant_client.consultant
    assert link.url in content and "mailto:ana@example.com?subject=" in content


def test_a_job_published_after_the_server_started_can_be_sent_and_copied(consultant_client):
    # The forms are imported when the test run starts; this job is published afterwards.
    vacancy = OpenVacancyFactory(title="Just Published", published_at=timezone.now())
    response = send(consultant_client, vacancies=[vacancy.pk], emails="ana@example.com")
    assert response.status_code == 302
    copied = consultant_client.post(
        reverse("admin:candidates_enquirylink_copy"),
        {"vacancy": vacancy.pk, "email": "ben@example.com"},
    )
    assert "is not one of the available choices" not in copied.content.decode()
    assert EnquiryLink.objects.filter(vacancy=vacancy).count() == 2


def test_report_csv_keeps_formulas_as_text(consultant_client, vacancy):
    EnquiryLink.objects.create(
        vacancy=vacancy, sender=consultant_client.consultant, email="=cmd@example.com"
    )
    response = consultant_client.get(
        reverse("admin:candidates_enquirylink_report"), {"by": "candidate", "format": "csv"}
    )
    lines = response.content.decode().splitlines()
    assert lines[0] == "candidate,sent,opened,enquired,conversion"
    assert lines[1].startswith("'=cmd@example.com")


def test_admin_link_in_a_notification_asks_for_a_login_then_respects_permissions(
    client, vacancy, enquire
):
    enquire(client, vacancy)
    url = reverse("admin:candidates_enquiry_change", args=[Enquiry.objects.get().pk])
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response.url
    client.force_login(StaffUserFactory())  # staff, but without enquiry permissions
    assert client.get(url).status_code == 403


def test_send_and_copy_pages_open_from_a_vacancy(consultant_client, vacancy):
    change = consultant_client.get(reverse("admin:jobs_vacancy_change", args=[vacancy.pk]))
    assert "Send to candidates" in change.content.decode()
    for name in ("send", "copy"):
        page = consultant_client.get(
            reverse(f"admin:candidates_enquirylink_{name}"), {"vacancy": vacancy.pk}
        )
        assert page.status_code == 200
        assert vacancy.title in page.content.decode()  # the job is already chosen


def test_staff_without_a_consultant_profile_are_told_why_nothing_sends(client, vacancy):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Consultant"))
    client.force_login(user)
    response = send(client, vacancies=[vacancy.pk], emails="ana@example.com")
    assert "no consultant profile" in response.content.decode()
    assert not EnquiryLink.objects.exists()
