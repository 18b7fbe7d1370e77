from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from outbox.models import Message
from pipeline import invites, scheduling
from pipeline.models import Interview, RejectionReason, Stage, StageMove

from .factories import ClientContactFactory, InterviewFactory, ShortlistedEntryFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def next_week_at(hour, minute=0, days=8):
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, minute))


@pytest.fixture
def kelly_client(client, vacancy):
    kelly = vacancy.consultant.user
    kelly.groups.add(Group.objects.get(name="Consultant"))
    client.force_login(kelly)
    client.user = kelly
    return client


@pytest.fixture
def entry(vacancy):
    """Zoë, whose CV the client asked to see in interview."""
    return ShortlistedEntryFactory(
        vacancy=vacancy,
        stage=Stage.objects.get(role=Stage.Role.CV_SENT),
        candidate__name="Zoë Nguyễn",
        candidate__email="zoe@example.com",
        candidate__phone="07911 123456",
    )


@pytest.fixture
def priya(vacancy):
    return ClientContactFactory(
        client=vacancy.client, name="Priya Shah", email="priya@acme.example"
    )


def form_data(starts, **overrides):
    data = {
        "round": "first",
        "date": starts.date().isoformat(),
        "start": starts.strftime("%H:%M"),
        "minutes": "60",
        "time_zone": "Europe/London",
        "location": "1 Fleet Street, London",
        "interviewers": "Priya Shah, Head of Accounts",
        "candidate_notes": "Bring your portfolio.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def schedule_url(entry):
    return reverse("admin:pipeline_interview_schedule", args=[entry.pk])


def invitation(message):
    """The .ics of a queued email, parsed, with its MIME method parameter."""
    [attachment] = message.attachments
    return Calendar.from_ical(attachment["text"]), attachment["content_type"]


def strictly_valid(calendar, content_type, *, method):
    """What Outlook, Gmail and Apple Calendar need to offer Accept/Decline and to update it."""
    assert content_type == f"text/calendar; method={method}"
    assert calendar["METHOD"] == method and calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/London"
    assert {part.name for part in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    [event] = calendar.walk("VEVENT")
    for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "ORGANIZER", "SUMMARY"):
        assert required in event
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTEND"].params["TZID"] == "Europe/London"
    assert str(event["ORGANIZER"]) == "mailto:kelly@samsmall.example"
    assert event["ORGANIZER"].params["CN"] == "Kelly Small"
    text = calendar.to_ical().decode()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    return event


def test_scheduling_invites_the_candidate_the_contact_and_the_consultant(
    kelly_client, entry, priya, smtp_server
):
    starts = next_week_at(10)
    response = kelly_client.post(schedule_url(entry), form_data(starts, contacts=[priya.pk]))
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.starts_at == starts.replace(tzinfo=LONDON)
    assert interview.minutes == 60 and interview.sequence == 0
    entry.refresh_from_db()
    assert entry.stage.role == Stage.Role.INTERVIEW
    assert "1st interview scheduled" in StageMove.objects.filter(entry=entry).latest("pk").note

    messages = {message.recipient: message for message in Message.objects.all()}
    assert set(messages) == {"zoe@example.com", "priya@acme.example", "kelly@samsmall.example"}
    uids = set()
    for address, message in messages.items():
        calendar, content_type = invitation(message)
        event = strictly_valid(calendar, content_type, method="REQUEST")
        [attendee] = [event["ATTENDEE"]]
        assert str(attendee) == f"mailto:{address}" and attendee.params["RSVP"] == "TRUE"
        assert event.decoded("DTSTART") == interview.starts_at
        assert event["SEQUENCE"] == 0 and event["STATUS"] == "CONFIRMED"
        uids.add(str(event["UID"]))
    assert uids == {interview.uid}

    to_client = messages["priya@acme.example"]
    for text in (to_client.body_text, invitation(to_client)[0].to_ical().decode()):
        assert "zoe@example.com" not in text and "07911 123456" not in text
        assert "Bring your portfolio." not in text
    assert "Zoë Nguyễn" in to_client.body_text
    assert "Bring your portfolio." in messages["zoe@example.com"].body_text

    [email] = smtp_server.inbox.to("priya@acme.example")
    [attachment] = email.iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    Calendar.from_ical(attachment.get_content())


@pytest.mark.parametrize("day", [date(2027, 1, 14), date(2027, 7, 14), date(2027, 3, 28)])
def test_the_vtimezone_gives_the_tz_databases_offsets(day):
    """Its RRULEs, evaluated as a calendar would, agree with Europe/London around the year."""
    zone = invites.vtimezone("Europe/London", datetime.combine(day, time(10), tzinfo=LONDON))
    calendar = Calendar.from_ical(zone.to_ical())
    onsets = []
    for part in calendar.walk("VTIMEZONE")[0].subcomponents:
        rule = rrule.rrulestr(part["RRULE"].to_ical().decode(), dtstart=part.decoded("DTSTART"))
        before = part.decoded("TZOFFSETFROM")
        for onset in rule.between(datetime(day.year - 1, 1, 1), datetime(day.year + 1, 12, 31)):
            onsets.append((onset - before, part.decoded("TZOFFSETTO")))
    for hour in range(0, 24 * 400, 7):
        moment = datetime(day.year, 1, 1) + timedelta(hours=hour)
        offset = max((o for o in onsets if o[0] <= moment), key=lambda o: o[0])[1]
        expected = moment.replace(tzinfo=UTC).astimezone(LONDON).utcoffset()
        assert offset == expected, moment


def test_a_zone_without_summer_time_has_one_standard_part():
    zone = invites.vtimezone("Asia/Dubai", datetime(2027, 1, 1, tzinfo=ZoneInfo("Asia/Dubai")))
    [part] = zone.subcomponents
    assert part.name == "STANDARD" and part.decoded("TZOFFSETTO") == timedelta(hours=4)


def test_a_reschedule_sends_the_same_uid_one_sequence_higher(kelly_client, entry, priya):
    kelly_client.post(schedule_url(entry), form_data(next_week_at(10), contacts=[priya.pk]))
    interview = Interview.objects.get()
    Message.objects.all().delete()
    url = reverse("admin:pipeline_interview_reschedule", args=[interview.pk])
    assert kelly_client.get(url).status_code == 200
    response = kelly_client.post(url, form_data(next_week_at(14, 30), sequence="0"))
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.sequence == 1 and interview.starts_at.astimezone(LONDON).hour == 14
    by_address = {message.recipient: invitation(message) for message in Message.objects.all()}
    for calendar, _content_type in by_address.values():
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]) == interview.uid and event["SEQUENCE"] == 1
    # Priya was left off the new invitation: hers is cancelled.
    calendar, content_type = by_address["priya@acme.example"]
    event = strictly_valid(calendar, content_type, method="CANCEL")
    assert event["STATUS"] == "CANCELLED"
    assert by_address["zoe@example.com"][1] == "text/calendar; method=REQUEST"


def test_a_change_from_a_stale_page_is_refused(kelly_client, entry):
    kelly_client.post(schedule_url(entry), form_data(next_week_at(10)))
    interview = Interview.objects.get()
    scheduling.cancel(interview, seen_sequence=0, by=None)
    url = reverse("admin:pipeline_interview_reschedule", args=[interview.pk])
    response = kelly_client.post(url, form_data(next_week_at(11), sequence="0"))
    assert response.status_code == 302  # cancelled meanwhile: told, nothing changed
    interview.refresh_from_db()
    assert interview.starts_at.astimezone(LONDON).hour == 10
    other = InterviewFactory(entry=entry, starts_at=timezone.now() + timedelta(days=9))
    other.reschedule(location="Elsewhere")
    with pytest.raises(ValidationError, match="changed by someone else"):
        scheduling.reschedule(other, seen_sequence=0, by=None, contacts=[], location="X")


def test_a_cancellation_is_method_cancel_with_the_same_uid(kelly_client, entry, smtp_server):
    kelly_client.post(schedule_url(entry), form_data(next_week_at(10)))
    interview = Interview.objects.get()
    url = reverse("admin:pipeline_interview_cancel", args=[interview.pk])
    assert kelly_client.get(url).status_code == 200
    assert Interview.objects.get().is_scheduled  # the GET only asks
    response = kelly_client.post(url, {"sequence": "0"})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == "cancelled" and interview.sequence == 1
    cancellations = Message.objects.filter(subject__startswith="Interview cancelled")
    assert cancellations.count() == 2  # the candidate and the consultant
    for message in cancellations:
        event = strictly_valid(*invitation(message), method="CANCEL")
        assert str(event["UID"]) == interview.uid and event["SEQUENCE"] == 1
    [email] = [
        message
        for message in smtp_server.inbox.to("zoe@example.com")
        if message["Subject"].strip().startswith("Interview cancelled")
    ]
    assert email.get_body(("plain",)).get_content().count("cancelled") >= 1


def test_an_interview_in_the_past_is_refused(kelly_client, entry):
    yesterday = datetime.combine(timezone.localdate() - timedelta(days=1), time(10))
    response = kelly_client.post(schedule_url(entry), form_data(yesterday))
    assert response.status_code == 400
    assert "That time has passed" in response.content.decode()
    assert not Interview.objects.exists() and not Message.objects.exists()


def test_a_time_the_clocks_skip_is_refused(kelly_client, entry):
    spring_forward = datetime(2027, 3, 28, 1, 30)
    response = kelly_client.post(schedule_url(entry), form_data(spring_forward))
    assert response.status_code == 400
    assert "clocks go forward" in response.content.decode()


def test_overlapping_interviews_for_one_candidate_are_warned_then_allowed(
    kelly_client, entry, vacancy
):
    elsewhere = ShortlistedEntryFactory(candidate=entry.candidate)
    InterviewFactory(entry=elsewhere, starts_at=next_week_at(10, 30).replace(tzinfo=LONDON))
    response = kelly_client.post(schedule_url(entry), form_data(next_week_at(10)))
    assert response.status_code == 400
    content = response.content.decode()
    assert "already has an interview then" in content and elsewhere.vacancy.title in content
    assert Interview.objects.count() == 1
    response = kelly_client.post(schedule_url(entry), form_data(next_week_at(10), overlap_ok="on"))
    assert response.status_code == 302 and Interview.objects.count() == 2


def test_a_contact_without_an_email_address_cannot_be_invited(kelly_client, entry, vacancy):
    tom = ClientContactFactory(client=vacancy.client, name="Tom Reed", email="")
    response = kelly_client.post(
        schedule_url(entry), form_data(next_week_at(10), contacts=[tom.pk])
    )
    assert response.status_code == 400
    assert "Tom Reed has no email address" in response.content.decode()
    assert not Interview.objects.exists()


def test_a_place_or_a_video_link_is_needed(kelly_client, entry):
    response = kelly_client.post(schedule_url(entry), form_data(next_week_at(10), location=""))
    assert response.status_code == 400
    response = kelly_client.post(
        schedule_url(entry),
        form_data(next_week_at(10), location="", video_url="https://meet.example/abc"),
    )
    assert response.status_code == 302
    [message] = Message.objects.filter(recipient="zoe@example.com")
    [event] = invitation(message)[0].walk("VEVENT")
    assert event["LOCATION"] == "Video call" and str(event["URL"]) == "https://meet.example/abc"


def reminders(now=None):
    out = StringIO()
    call_command("send_interview_reminders", stdout=out)
    return out.getvalue()


def test_the_reminder_goes_once_the_day_before(entry, priya):
    soon = InterviewFactory(entry=entry, starts_at=timezone.now() + timedelta(hours=20))
    soon.contacts.add(priya)
    InterviewFactory(entry=entry, starts_at=timezone.now() + timedelta(days=3))
    assert "1 interview reminded" in reminders()
    sent = Message.objects.filter(purpose=scheduling.REMINDER_EMAIL)
    assert set(sent.values_list("recipient", flat=True)) == {
        "zoe@example.com",
        "priya@acme.example",
    }
    assert "0 interviews reminded" in reminders()
    assert sent.count() == 2


def test_no_reminder_for_a_cancelled_interview_or_one_moved_away(entry):
    cancelled = InterviewFactory(entry=entry, starts_at=timezone.now() + timedelta(hours=20))
    scheduling.cancel(cancelled, seen_sequence=0, by=None)
    moved = InterviewFactory(entry=entry, starts_at=timezone.now() + timedelta(hours=22))
    scheduling.reschedule(
        moved,
        seen_sequence=0,
        by=None,
        contacts=[],
        starts_at=timezone.now() + timedelta(days=5),
        ends_at=timezone.now() + timedelta(days=5, hours=1),
    )
    assert "0 interviews reminded" in reminders()


def test_an_interview_moved_after_its_reminder_is_reminded_again(entry):
    interview = InterviewFactory(entry=entry, starts_at=timezone.now() + timedelta(hours=20))
    reminders()
    scheduling.reschedule(
        interview,
        seen_sequence=0,
        by=None,
        contacts=[],
        starts_at=timezone.now() + timedelta(hours=23),
        ends_at=timezone.now() + timedelta(hours=24),
    )
    assert "1 interview reminded" in reminders()


def test_the_outcome_waits_for_the_interview_and_then_moves_the_pipeline(kelly_client, entry):
    interview = InterviewFactory(entry=entry, starts_at=timezone.now() + timedelta(days=1))
    url = reverse("admin:pipeline_interview_outcome", args=[interview.pk])
    response = kelly_client.post(url, {"outcome": "offer"})
    assert response.status_code == 400 and "once the interview has taken place" in (
        response.content.decode()
    )
    Interview.objects.update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    refused = kelly_client.post(url, {"outcome": "rejected"})
    assert refused.status_code == 400
    response = kelly_client.post(
        url,
        {
            "outcome": "offer",
            "candidate_feedback": "Loved the team.",
            "client_feedback": "Strong on strategy.",
        },
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    entry.refresh_from_db()
    assert (interview.status, interview.outcome) == ("held", "offer")
    assert interview.client_feedback == "Strong on strategy."
    assert entry.stage.role == Stage.Role.OFFER


def test_not_taken_further_rejects_with_the_reason(entry):
    interview = InterviewFactory(entry=entry, starts_at=timezone.now() - timedelta(hours=2))
    reason = RejectionReason.objects.get(name="Client chose another candidate")
    scheduling.record_outcome(interview, outcome="rejected", reason=reason, by=None)
    entry.refresh_from_db()
    assert entry.stage.role == Stage.Role.REJECTED and entry.rejection_reason == reason


def test_the_desk_shows_todays_and_this_weeks_interviews(kelly_client, entry, vacancy):
    now = timezone.localtime()
    today = InterviewFactory(entry=entry, starts_at=now + timedelta(minutes=30))
    later = InterviewFactory(
        entry=entry, starts_at=now + timedelta(days=6 - now.weekday(), hours=1)
    )
    next_week = InterviewFactory(entry=entry, starts_at=now + timedelta(days=8))
    cancelled = InterviewFactory(entry=entry, starts_at=now + timedelta(minutes=40))
    cancelled.cancel()
    desk = kelly_client.get(reverse("admin:index"))
    table = desk.context["interviews"]
    shown = [interview.pk for interview in table.rows]
    assert today.pk in shown and next_week.pk not in shown and cancelled.pk not in shown
    if timezone.localdate(later.starts_at) != timezone.localdate():
        assert later.pk in shown
    assert [interview.pk for interview in table.today][:1] == [today.pk] or (
        timezone.localdate(today.starts_at) != timezone.localdate()
    )
    assert "Zoë Nguyễn" in desk.content.decode()


def test_the_change_page_shows_the_date_and_time_as_browsers_read_them(kelly_client, entry):
    starts = next_week_at(9, 5)
    kelly_client.post(schedule_url(entry), form_data(starts))
    interview = Interview.objects.get()
    page = kelly_client.get(reverse("admin:pipeline_interview_reschedule", args=[interview.pk]))
    content = page.content.decode()
    assert f'value="{starts.date().isoformat()}"' in content and 'value="09:05"' in content
