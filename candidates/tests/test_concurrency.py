import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request
import uuid

import pytest

from candidates.models import Candidate, Enquiry
from jobs.tests.factories import OpenVacancyFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def post_enquiry(base_url, vacancy, number, results):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(base_url + vacancy.get_absolute_url(), timeout=30).read().decode()
    data = {
        "csrfmiddlewaretoken": CSRF_FIELD.search(page)[1],
        "name": f"Candidate {number}",
        "email": f"candidate{number}@example.com",
        "message": "Is this role still open?",
        "consent": "on",
        "submission_id": str(uuid.uuid4()),
    }
    request = urllib.request.Request(
        base_url + f"/jobs/{vacancy.slug}/enquire/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Referer": base_url + vacancy.get_absolute_url()},
    )
    with opener.open(request, timeout=30) as response:
        results[number] = (response.status, response.url)


def test_twenty_enquiries_at_once_are_all_saved(live_server, settings):
    settings.FORM_RATE_LIMIT = 1000
    vacancy = OpenVacancyFactory()
    results = {}
    threads = [
        threading.Thread(target=post_enquiry, args=(live_server.url, vacancy, n, results))
        for n in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(status == 200 and "/thanks/" in url for status, url in results.values())
    assert len(results) == 20
    assert Enquiry.objects.filter(vacancy=vacancy).count() == 20
    assert Candidate.objects.count() == 20
