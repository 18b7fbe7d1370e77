import uuid

import pytest
from django.urls import reverse


def enquiry_form_data(**overrides):
    """What a candidate types into a job's enquiry form; a None value leaves a field out."""
    data = {
        "name": "Zoë Nguyễn",
        "email": "zoe@example.com",
        "phone": "07911 123456",
        "message": "I would like to hear more.",
        "consent": "on",
        "submission_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def form_data():
    return enquiry_form_data


@pytest.fixture
def enquire():
    """Post a job's enquiry form: enquire(client, vacancy, **fields)."""

    def post(client, vacancy, **overrides):
        url = reverse("candidates:enquire", args=[vacancy.slug])
        return client.post(url, enquiry_form_data(**overrides))

    return post


@pytest.fixture
def plain_body():
    """The text part of an email parsed by the test SMTP server."""
    return lambda message: message.get_body(("plain",)).get_content()
