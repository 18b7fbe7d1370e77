"""iCalendar (RFC 5545) invitations for interviews, built with `icalendar`.

One UID per interview in every copy; each reschedule or cancellation goes out one SEQUENCE
higher (a cancellation with METHOD:CANCEL), so calendars update the event they have rather
than add another. Each recipient gets their own copy naming only them as attendee: a client
never sees the candidate's address, nor the candidate the client's people.

The VTIMEZONE is written with yearly RRULEs, the form Outlook itself writes and reads; the
tz database's own transitions fix the rules, so the offsets match Europe/London (or any
other zone chosen) around the interview.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vText,
)

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
METHOD_REQUEST, METHOD_CANCEL = "REQUEST", "CANCEL"


def changes_of_offset(zone, year):
    """Each change of UTC offset in a year: (first instant in UTC, offset before, after)."""
    moment = datetime(year, 1, 1, tzinfo=UTC)
    before = moment.astimezone(zone).utcoffset()
    found = []
    while moment.year == year:
        later = moment + timedelta(days=1)
        offset = later.astimezone(zone).utcoffset()
        if offset != before:
            low, high = moment, later
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            found.append((high.replace(second=0, microsecond=0), before, offset))
            before = offset
        moment = later
    return found


def yearly_rule(local):
    """The RRULE for a change on this local day: its weekday, counted from the month's end
    when it is the month's last one (as daylight saving rules are written)."""
    last = (local + timedelta(days=7)).month != local.month
    ordinal = -1 if last else (local.day - 1) // 7 + 1
    return {
        "freq": "yearly",
        "bymonth": local.month,
        "byday": f"{ordinal}{WEEKDAYS[local.weekday()]}",
    }


def vtimezone(name, around):
    """A VTIMEZONE for the zone, with rules from the year before `around` onwards."""
    zone = ZoneInfo(name)
    component = Timezone()
    component.add("tzid", name)
    changes = changes_of_offset(zone, around.year - 1)
    if not changes:
        offset = datetime(around.year, 1, 1, tzinfo=UTC).astimezone(zone)
        part = TimezoneStandard()
        part.add("dtstart", datetime(1970, 1, 1))
        part.add("tzoffsetfrom", offset.utcoffset())
        part.add("tzoffsetto", offset.utcoffset())
        part.add("tzname", offset.tzname())
        component.add_component(part)
        return component
    for instant, before, after in changes:
        after_local = instant.astimezone(zone)
        part = TimezoneDaylight() if after_local.dst() else TimezoneStandard()
        wall = (instant + before).replace(tzinfo=None)  # local time, as clocks read before
        part.add("dtstart", wall)
        part.add("rrule", yearly_rule(wall))
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("tzname", after_local.tzname())
        component.add_component(part)
    return component


def address(email, name):
    person = vCalAddress(f"mailto:{email}")
    person.params["cn"] = vText(name)
    return person


def calendar(interview, *, method, attendee, organizer, summary, description):
    """The .ics text of one recipient's copy (attendee and organizer: (email, name))."""
    zone = ZoneInfo(interview.time_zone)
    cal = Calendar()
    cal.add("prodid", f"-//{settings.AGENCY['NAME']}//Interviews//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(vtimezone(interview.time_zone, interview.starts_at.astimezone(zone)))
    event = Event()
    event.add("uid", interview.uid)
    event.add("sequence", interview.sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", interview.starts_at.astimezone(zone))
    event.add("dtend", interview.ends_at.astimezone(zone))
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", interview.location or ("Video call" if interview.video_url else ""))
    if interview.video_url:
        event.add("url", interview.video_url)
    event.add("organizer", address(*organizer))
    guest = address(*attendee)
    guest.params.update({"role": "REQ-PARTICIPANT", "partstat": "NEEDS-ACTION", "rsvp": "TRUE"})
    event.add("attendee", guest)
    event.add("status", "CANCELLED" if method == METHOD_CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    return cal.to_ical().decode()


def content_type(method):
    return f"text/calendar; method={method}"
