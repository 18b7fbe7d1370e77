"""What every email says about itself, read from a real SMTP server: the agency's name in
From, a Message-ID on the site's domain, Auto-Submitted on machine answers, list headers on
digests, a branded HTML version beside the text, and attachment names any program can read."""

import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from django.core.management import call_command

from candidates.tests.factories import ConfirmedJobAlertFactory
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory
from outbox import delivery
from outbox.mime import ascii_filename

from .factories import pdf_cv

pytestmark = pytest.mark.django_db
MESSAGE_ID = re.compile(r"^<[^@<>\s]+@([^@<>\s]+)>$")


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://jobs.samsmall.example"
    settings.ALLOWED_HOSTS = ["jobs.samsmall.example", "testserver"]
    return settings


@pytest.fixture
def vacancy():
    consultant = ConsultantFactory(name="Kelly Small", email="kelly@samsmall.example")
    return OpenVacancyFactory(title="Staff Nurse", consultant=consultant)


def sent_to(smtp_server, address):
    [message] = smtp_server.inbox.to(address)
    return message


def raw_header(part, name):
    [value] = [value for key, value in part.raw_items() if key.lower() == name.lower()]
    return " ".join(value.split())


class Markup(HTMLParser):
    """Every tag and attribute of an HTML part, to find what a mail program would fetch."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_from_carries_the_agencys_name_and_can_be_set(
    client, vacancy, smtp_server, enquire, settings
):
    enquire(client, vacancy, email="zoe@example.com")
    sender = sent_to(smtp_server, "zoe@example.com")["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == (
        "Sam Small Recruitment",
        "jobs@samsmall.example",
    )
    settings.EMAIL_FROM_NAME = "Sam Small Jobs"
    delivery.queue(purpose="test", to=["ann@example.com"], subject="Hi", body="Hello.")
    assert sent_to(smtp_server, "ann@example.com")["From"].addresses[0].display_name == (
        "Sam Small Jobs"
    )


def test_a_from_address_with_its_own_name_keeps_it(smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "Careers Desk <careers@samsmall.example>"
    delivery.queue(purpose="test", to=["ann@example.com"], subject="Hi", body="Hello.")
    assert str(sent_to(smtp_server, "ann@example.com")["From"]) == (
        "Careers Desk <careers@samsmall.example>"
    )


def test_message_id_is_on_the_sites_domain_and_survives_a_retry(site, smtp_server):
    smtp_server.stop()
    message = delivery.queue(purpose="test", to=["ann@example.com"], subject="Hi", body="Hi.")
    message.refresh_from_db()
    assert message.state == "queued" and message.attempts == 1  # the server was down
    smtp_server.start()
    message.next_attempt_at = message.created_at
    message.save(update_fields=["next_attempt_at"])
    delivery.send(message.pk)
    received = sent_to(smtp_server, "ann@example.com")
    assert MESSAGE_ID.match(received["Message-ID"])[1] == "jobs.samsmall.example"
    assert received["Message-ID"] == message.headers["Message-ID"]


def test_a_confirmation_is_marked_as_an_automatic_reply(client, vacancy, smtp_server, enquire):
    enquire(client, vacancy, email="zoe@example.com")
    confirmation = sent_to(smtp_server, "zoe@example.com")
    assert confirmation["Auto-Submitted"] == "auto-replied"
    assert sent_to(smtp_server, "kelly@samsmall.example")["Auto-Submitted"] == "auto-generated"


def test_an_alert_confirmation_is_an_automatic_reply_too(client, smtp_server):
    client.post("/alerts/", {"email": "zoe@example.com", "frequency": "daily", "search": "q=nurse"})
    assert sent_to(smtp_server, "zoe@example.com")["Auto-Submitted"] == "auto-replied"


def test_a_digest_is_list_mail_with_one_click_unsubscribe(site, smtp_server):
    alert = ConfirmedJobAlertFactory(email="zoe@example.com", search={"q": "nurse"})
    OpenVacancyFactory(title="Night Nurse")
    call_command("send_job_alerts")
    digest = sent_to(smtp_server, "zoe@example.com")
    assert digest["List-Id"] == (
        '"Sam Small Recruitment job alerts" <job-alerts.jobs.samsmall.example>'
    )
    unsubscribe = f"https://jobs.samsmall.example/alerts/{alert.token}/unsubscribe/"
    assert digest["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest["List-Help"].strip() == f"<https://jobs.samsmall.example{alert.manage_url()}>"
    assert digest["Auto-Submitted"] == "auto-generated"
    assert digest["Precedence"] == "bulk"


def test_every_email_has_a_branded_html_version_that_fetches_nothing(
    client, vacancy, smtp_server, enquire
):
    enquire(client, vacancy, email="zoe@example.com", name="Zoë <b>Bold</b> & Co")
    for address in ("zoe@example.com", "kelly@samsmall.example"):
        message = sent_to(smtp_server, address)
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert html.startswith("<!DOCTYPE html>")
        assert "Sam Small Recruitment" in html and "#0b4f6c" in html  # the brand colour
        markup = Markup()
        markup.feed(html)
        tags = {tag for tag, _ in markup.tags}
        assert not tags & {"link", "style", "script", "img", "iframe", "object"}
        assert "url(" not in html and "@import" not in html
        assert all(
            attrs.get("href", "https:").startswith(("https:", "http:", "mailto:"))
            for _, attrs in markup.tags
        )
        # Everything the text says is in the HTML, escaped.
        first_line = text.strip().splitlines()[0]
        assert first_line.replace("&", "&amp;").replace("'", "&#x27;") in html
    notification = sent_to(smtp_server, "kelly@samsmall.example")
    html = notification.get_body(("html",)).get_content()
    assert "Zoë &lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html and "<b>Bold" not in html
    assert re.search(r'<a href="http://127\.0\.0\.1:8000/admin/candidates/enquiry/\d+/', html)


def test_an_attachments_non_ascii_name_has_an_ascii_fallback(client, vacancy, smtp_server, enquire):
    enquire(client, vacancy, cv=pdf_cv(name="Zoë Nguyễn – CV.pdf"))
    [attachment] = sent_to(smtp_server, "kelly@samsmall.example").iter_attachments()
    disposition = raw_header(attachment, "Content-Disposition")
    fallback, encoded = re.fullmatch(
        r'attachment; filename="([ -~]+)"; filename\*=utf-8\'\'(\S+)', disposition
    ).groups()
    assert fallback == "Zoe Nguyen - CV.pdf"
    assert unquote(encoded) == "Zoë Nguyễn – CV.pdf"
    assert attachment.get_content().startswith(b"%PDF")


def test_an_ascii_name_is_sent_as_it_is(client, vacancy, smtp_server, enquire):
    enquire(client, vacancy, cv=pdf_cv(name="cv.pdf"))
    [attachment] = sent_to(smtp_server, "kelly@samsmall.example").iter_attachments()
    assert raw_header(attachment, "Content-Disposition") == 'attachment; filename="cv.pdf"'


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("简历.pdf", "JianLi.pdf"),
        ('Bad "quoted"\\name.docx', "Bad quoted name.docx"),
        ("✓.pdf", "v.pdf"),
        ('""?.pdf', "attachment.pdf"),
        ("CV", "CV"),
        ("Łódź\r\nBcc: x.pdf", "Lodz Bcc x.pdf"),
    ],
)
def test_ascii_fallback_names_are_plain_and_safe(name, fallback):
    assert ascii_filename(name) == fallback


def test_a_message_queued_without_a_message_id_still_gets_one_on_the_sites_domain(
    site, smtp_server
):
    message = delivery.queue(purpose="test", to=["ann@example.com"], subject="Hi", body="Hi.")
    smtp_server.inbox.messages.clear()
    message.headers = {}  # as queued before Message-IDs were stored
    message.state, message.sent_at = "queued", None
    message.next_attempt_at = message.created_at
    message.save()
    delivery.send(message.pk)
    received = sent_to(smtp_server, "ann@example.com")
    assert MESSAGE_ID.match(received["Message-ID"])[1] == "jobs.samsmall.example"
