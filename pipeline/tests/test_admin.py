from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from jobs.tests.factories import ConsultantFactory, StaffUserFactory
from pipeline.models import FollowUp

from .factories import FollowUpFactory, OverdueFollowUpFactory

pytestmark = pytest.mark.django_db
FOLLOW_UPS = reverse("admin:pipeline_followup_changelist")


def staff(group, name):
    user = StaffUserFactory(username=name.split()[0].lower())
    user.groups.add(Group.objects.get(name=group))
    ConsultantFactory(name=name, user=user, email=f"{user.username}@samsmall.example")
    return user


@pytest.fixture
def raj(client):
    user = staff("Consultant", "Raj Patel")
    client.force_login(user)
    return user


@pytest.fixture
def manager(client):
    user = staff("Manager", "Maya Jones")
    client.force_login(user)
    return user


def listed(response):
    return [follow_up.description for follow_up in response.context["cl"].result_list]


# Follow-ups ------------------------------------------------------------------------------


def test_the_follow_up_list_opens_on_what_is_still_to_do_mine_first(client, raj):
    today = timezone.localdate()
    FollowUpFactory(description="Theirs, due first", due_on=today - timedelta(days=9))
    FollowUpFactory(owner=raj, description="Mine, later", due_on=today + timedelta(days=3))
    OverdueFollowUpFactory(owner=raj, description="Mine, overdue")
    FollowUpFactory(owner=raj, description="Mine, done", done_at=timezone.now())
    response = client.get(FOLLOW_UPS)
    assert listed(response) == ["Mine, overdue", "Mine, later", "Theirs, due first"]


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("today", ["Today"]),
        ("overdue", ["Overdue"]),
        ("done", ["Done"]),
        ("all", ["Overdue", "Today", "Later", "Done"]),
    ],
)
def test_follow_ups_filter_by_due_today_overdue_and_done(client, raj, due, expected):
    today = timezone.localdate()
    OverdueFollowUpFactory(owner=raj, description="Overdue")
    FollowUpFactory(owner=raj, description="Today")
    FollowUpFactory(owner=raj, description="Later", due_on=today + timedelta(days=5))
    FollowUpFactory(owner=raj, description="Done", due_on=today, done_at=timezone.now())
    assert listed(client.get(FOLLOW_UPS, {"due": due})) == expected


def test_mark_done_completes_the_selected_follow_ups_as_the_user(client, raj):
    chosen = [FollowUpFactory(owner=raj), OverdueFollowUpFactory(owner=raj)]
    left = FollowUpFactory(owner=raj)
    response = client.post(
        FOLLOW_UPS,
        {"action": "mark_done", "_selected_action": [f.pk for f in chosen]},
        follow=True,
    )
    assert "2 follow-up(s) marked done." in response.content.decode()
    assert set(FollowUp.objects.filter(done_by=raj)) == set(chosen)
    left.refresh_from_db()
    assert left.done_at is None


def test_a_follow_up_added_in_the_admin_is_mine_by_default_and_records_who_added_it(
    client, raj, manager
):
    page = client.get(reverse("admin:pipeline_followup_add"))
    assert page.context["adminform"].form["owner"].value() == manager.pk
    data = {
        "owner": raj.pk,
        "description": "Check Raj's shortlist",
        "due_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
    }
    assert client.post(reverse("admin:pipeline_followup_add"), data).status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.owner, follow_up.created_by) == (raj, manager)
