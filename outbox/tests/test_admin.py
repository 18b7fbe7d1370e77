import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from jobs.tests.factories import StaffUserFactory
from outbox.models import Message

from .factories import FailedMessageFactory, QueuedMessageFactory, SentMessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant_client(client):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Consultant"))
    client.force_login(user)
    return client


def test_the_outbox_opens_on_what_is_not_sent_yet(consultant_client):
    FailedMessageFactory(subject="Stuck one")
    QueuedMessageFactory(subject="Waiting one")
    SentMessageFactory(subject="Done one")
    content = consultant_client.get(reverse("admin:outbox_message_changelist")).content.decode()
    assert "Stuck one" in content and "Waiting one" in content and "Done one" not in content
    assert "SMTPServerDisconnected" in content


def test_staff_send_a_failed_email_again(consultant_client, smtp_server):
    failed = FailedMessageFactory(to=["ana@example.com"])
    response = consultant_client.post(
        reverse("admin:outbox_message_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.last_error) == ("sent", "")
    assert len(smtp_server.inbox.to("ana@example.com")) == 1


def test_an_email_shows_its_error_and_text_and_cannot_be_edited(consultant_client):
    failed = FailedMessageFactory(body_text="Dear Ana, about the role…")
    url = reverse("admin:outbox_message_change", args=[failed.pk])
    content = consultant_client.get(url).content.decode()
    assert "Dear Ana, about the role…" in content and "SMTPServerDisconnected" in content
    consultant_client.post(url, {"subject": "Changed"})
    assert Message.objects.get().subject == failed.subject
    assert consultant_client.get(reverse("admin:outbox_message_add")).status_code == 403


def test_a_staff_member_without_the_permission_cannot_read_the_outbox(client):
    client.force_login(StaffUserFactory())
    assert client.get(reverse("admin:outbox_message_changelist")).status_code == 403
