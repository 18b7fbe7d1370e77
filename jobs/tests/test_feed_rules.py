"""RSS and Atom as the W3C feed validator reads them.

The validator itself (feedvalidator) is not installable here, so its documented rules are
asserted on the parsed XML: RSS 2.0 guids, Atom's required entry elements (RFC 4287) and
the self link of a filtered feed.
"""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from .factories import OpenVacancyFactory, SectorFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
# RFC 4151: tag:authority,date:specific (the authority a DNS name or an email address).
TAG_URI = re.compile(r"^tag:[a-z0-9.-]+(@[a-z0-9.-]+)?,\d{4}(-\d\d(-\d\d)?)?:\S+$", re.I)


def is_full_url(text):
    parts = urlsplit(text or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def feed(client, name, params=None):
    response = client.get(reverse(f"jobs:{name}"), params or {})
    assert response.status_code == 200
    return response.content, ET.fromstring(response.content)


def test_every_rss_guid_is_a_permalink_url_or_says_it_is_not_one(client):
    OpenVacancyFactory.create_batch(2)
    _, rss = feed(client, "feed_rss")
    guids = rss.findall("channel/item/guid")
    assert len(guids) == 2
    for guid in guids:
        if guid.get("isPermaLink", "true") == "true":
            assert is_full_url(guid.text), guid.text
    assert len({guid.text for guid in guids}) == 2


def test_rss_guid_is_the_job_pages_address(client, settings):
    vacancy = OpenVacancyFactory()
    _, rss = feed(client, "feed_rss")
    assert rss.findtext("channel/item/guid") == settings.SITE_URL + vacancy.get_absolute_url()


def test_every_atom_entry_has_an_id_updated_and_an_author(client):
    OpenVacancyFactory.create_batch(2)
    _, atom = feed(client, "feed_atom")
    entries = atom.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        entry_id = entry.findtext(f"{ATOM}id")
        assert is_full_url(entry_id) or TAG_URI.match(entry_id), entry_id
        assert RFC3339.match(entry.findtext(f"{ATOM}updated") or ""), entry
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Sam Small Recruitment"
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    assert len({entry.findtext(f"{ATOM}id") for entry in entries}) == 2
    assert RFC3339.match(atom.findtext(f"{ATOM}updated"))
    assert is_full_url(atom.findtext(f"{ATOM}id"))


def test_an_atom_entry_is_updated_when_its_advert_changes(client):
    vacancy = OpenVacancyFactory()
    vacancy.summary = "A new summary."
    vacancy.save()
    _, atom = feed(client, "feed_atom")
    updated = atom.findtext(f"{ATOM}entry/{ATOM}updated")
    published = atom.findtext(f"{ATOM}entry/{ATOM}published")
    assert updated > published


@pytest.mark.parametrize(("name", "self_link"), [("feed_rss", "atom:link"), ("feed_atom", "")])
def test_a_filtered_feeds_self_link_is_the_filtered_address(client, settings, name, self_link):
    sector = SectorFactory(name="Healthcare")
    OpenVacancyFactory(sector=sector, title="Nurse & Midwife")
    params = {"q": 'nurse & "midwife"', "sector": sector.slug, "utm_source": "x<y"}
    raw, root = feed(client, name, params)
    link = root.find(
        "channel/{http://www.w3.org/2005/Atom}link[@rel='self']"
        if self_link
        else f"{ATOM}link[@rel='self']"
    )
    expected = (
        f"{settings.SITE_URL}{reverse(f'jobs:{name}')}?q=nurse+%26+%22midwife%22&sector=healthcare"
    )
    assert link.get("href") == expected
    # Escaped in the XML: the query's "&" is an entity, never a bare ampersand.
    assert b'?q=nurse+%26+%22midwife%22&amp;sector=healthcare"' in raw
    assert b"utm_source" not in raw


def test_an_unfiltered_feeds_self_link_has_no_query(client, settings):
    _, rss = feed(client, "feed_rss", {"utm_campaign": "spring"})
    link = rss.find("channel/{http://www.w3.org/2005/Atom}link[@rel='self']")
    assert link.get("href") == f"{settings.SITE_URL}{reverse('jobs:feed_rss')}"


@pytest.mark.parametrize("name", ["feed_rss", "feed_atom"])
def test_characters_xml_cannot_carry_are_dropped_not_a_broken_feed(client, name):
    OpenVacancyFactory(title="Nurse\x0cManager", summary="Shifts\x0b and nights")
    _, root = feed(client, name)
    assert "NurseManager" in ET.tostring(root, encoding="unicode")
