"""Every kind of email the site sends scores under 2 with SpamAssassin's local rules.

SpamAssassin (Debian package `spamassassin`) reads each message exactly as the SMTP server
received it, with network tests off (-L). CI installs it and fails without it; on a laptop
without it these tests skip, saying why.
"""

import os
import re
import shutil
import subprocess
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from candidates.tests.factories import CandidateFactory, ConfirmedJobAlertFactory, pdf_cv
from jobs.tests.factories import OpenVacancyFactory
from pipeline import emails, privacy
from pipeline.models import EmailTemplate, Stage

from .factories import ShortlistedEntryFactory, SourcedEntryFactory

pytestmark = pytest.mark.django_db
HIGHEST_SCORE = 2.0
SCORE = re.compile(r"^X-Spam-Status: \w+, score=(-?[\d.]+)", re.MULTILINE)


@pytest.fixture
def spamassassin(tmp_path):
    """score(message) -> SpamAssassin's score for the message's bytes."""
    program = shutil.which("spamassassin")
    if not program:
        message = "SpamAssassin is missing: apt-get install spamassassin"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    def score(message):
        report = subprocess.run(  # noqa: S603 - a fixed program with fixed arguments
            [program, "-L", "-t", "--prefspath", str(tmp_path / "prefs")],
            input=message.as_bytes(),
            capture_output=True,
            check=True,
            timeout=60,
        )
        output = report.stdout.decode("utf-8", "replace")
        return float(SCORE.search(output)[1])

    return score


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://jobs.samsmall.example"
    settings.ALLOWED_HOSTS = ["jobs.samsmall.example", "testserver"]


def assert_all_score_low(smtp_server, spamassassin, expected):
    messages = [message for _, message in smtp_server.inbox.messages]
    assert len(messages) == expected
    scores = [(message["Subject"], spamassassin(message)) for message in messages]
    assert all(score < HIGHEST_SCORE for _, score in scores), scores


def test_enquiry_and_alert_emails_score_low(
    site, client, vacancy, smtp_server, enquire, spamassassin
):
    enquire(client, vacancy, email="zoe@example.com", cv=pdf_cv("Zoë CV.pdf"))  # two emails
    client.post("/alerts/", {"email": "ann@example.com", "frequency": "daily", "search": "q=nurse"})
    ConfirmedJobAlertFactory(email="amy@example.com", search={"q": "nurse"})
    OpenVacancyFactory(title="Night Nurse")
    call_command("send_job_alerts")
    assert_all_score_low(smtp_server, spamassassin, expected=4)


def test_a_personal_link_email_scores_low(site, vacancy, smtp_server, spamassassin):
    from candidates.links import send_links

    send_links(
        sender=vacancy.consultant,
        vacancies=[vacancy],
        recipients=[
            ("zoe@example.com", CandidateFactory(name="Zoë Nguyễn", email="zoe@example.com"))
        ],
        note="I thought of you for this one.",
    )
    assert_all_score_low(smtp_server, spamassassin, expected=1)


def test_templated_emails_to_candidates_score_low(site, vacancy, smtp_server, spamassassin):
    entry = ShortlistedEntryFactory(
        vacancy=vacancy, candidate__name="Zoë Nguyễn", candidate__email="zoe@example.com"
    )
    for purpose in ("reviewing", "put_forward", "rejection"):
        template = EmailTemplate.objects.for_purpose(purpose).first()
        emails.send_template(
            template, candidate=entry.candidate, consultant=vacancy.consultant, entry=entry
        )
    assert_all_score_low(smtp_server, spamassassin, expected=3)


def test_a_privacy_notice_scores_low(site, smtp_server, spamassassin):
    entry = SourcedEntryFactory(candidate__name="Zoë Nguyễn", candidate__email="zoe@example.com")
    privacy.send_privacy_notice(entry.candidate, vacancy=entry.vacancy, source="referral")
    assert_all_score_low(smtp_server, spamassassin, expected=1)


def test_cvs_to_a_client_and_its_interview_invitations_score_low(
    site, client, shortlist, send_cvs, smtp_server, spamassassin
):
    send_cvs()  # one email to Priya, with both CVs
    kelly = shortlist.vacancy.consultant.user
    kelly.groups.add(Group.objects.get(name="Consultant"))
    client.force_login(kelly)
    starts = datetime.combine(timezone.localdate() + timedelta(days=8), time(10))
    entry = shortlist.zoe
    entry.stage = Stage.objects.get(role=Stage.Role.CV_SENT)
    entry.save()
    response = client.post(
        reverse("admin:pipeline_interview_schedule", args=[entry.pk]),
        {
            "round": "first",
            "date": starts.date().isoformat(),
            "start": "10:00",
            "minutes": "60",
            "time_zone": "Europe/London",
            "location": "1 Fleet Street, London",
            "interviewers": "Priya Shah, Head of Accounts",
            "candidate_notes": "Bring your portfolio.",
            "contacts": [shortlist.priya.pk],
        },
    )
    assert response.status_code == 302
    # The CVs to Priya, then the invitations to Zoë, Priya and Kelly.
    assert_all_score_low(smtp_server, spamassassin, expected=4)


def test_the_scores_are_read_from_spamassassin_itself(spamassassin):
    """The fixture really scores: an obvious spam scores far above the limit."""
    from email.message import EmailMessage

    spam = EmailMessage()
    spam["From"] = "winner@lottery.example"
    spam["To"] = "zoe@example.com"
    spam["Subject"] = "YOU HAVE WON $1,000,000 CLICK NOW!!!"
    spam.set_content(
        "Dear friend, CONGRATULATIONS! You have won ONE MILLION DOLLARS in our lottery. "
        "Send your bank account details and a processing fee by Western Union to claim your "
        "prize. Viagra, cheap meds, act now, 100% free, no risk, limited time offer!!! "
        "Click here http://bit.ly/win-now to remove yourself from this list."
    )
    assert spamassassin(spam) > HIGHEST_SCORE
