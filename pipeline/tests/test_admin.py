from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from candidates.tests.factories import CandidateFactory
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory, StaffUserFactory
from pipeline.models import EmailTemplate, FollowUp

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


# Email templates -------------------------------------------------------------------------


def template_data(**changes):
    return {
        "name": "Interview invite",
        "purpose": "free",
        "subject": "{{ vacancy_title }}: an interview",
        "body": "Dear {{ candidate_first_name }},\n\nYours, {{ consultant_name }}",
        "is_active": "on",
        "_preview": "Preview",
        **changes,
    }


def test_a_new_template_previews_with_sample_values_and_is_not_saved(client, manager):
    response = client.post(reverse("admin:pipeline_emailtemplate_add"), template_data())
    assert response.status_code == 200
    assert response.context["preview"] == {
        "subject": "Senior Account Manager: an interview",
        "body": "Dear Zoë,\n\nYours, Maya Jones",
    }
    page = response.content.decode()
    assert "Senior Account Manager: an interview" in page
    assert 'value="Interview invite"' in page  # the form, as typed, to go on editing
    assert not EmailTemplate.objects.filter(name="Interview invite").exists()
    data = template_data()
    del data["_preview"]  # Save: the preview changed nothing about saving
    assert client.post(reverse("admin:pipeline_emailtemplate_add"), data).status_code == 302
    assert EmailTemplate.objects.filter(name="Interview invite").exists()


def test_an_edited_template_previews_for_a_chosen_candidate_and_job_before_saving(client, manager):
    template = EmailTemplate.objects.get(purpose="rejection")
    CandidateFactory(name="Ade Okafor", email="ade@example.com")
    vacancy = OpenVacancyFactory(title="Head of Digital")
    url = reverse("admin:pipeline_emailtemplate_change", args=[template.pk])
    data = template_data(
        name=template.name,
        purpose=template.purpose,
        **{"preview-candidate": "ADE@example.com", "preview-vacancy": vacancy.reference},
    )
    response = client.post(url, data)
    assert response.context["preview"]["subject"] == "Head of Digital: an interview"
    assert response.context["preview"]["body"].startswith("Dear Ade,")
    template.refresh_from_db()
    assert template.subject == "Your application for {{ vacancy_title }}"  # unchanged


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("candidate", "nobody@example.com", "No candidate has that email address."),
        ("candidate", "not an address", "Enter a valid email address."),
        ("vacancy", "SSR-99999", "No job has that reference."),
    ],
)
def test_a_preview_for_someone_unknown_says_so(client, manager, field, typed, message):
    response = client.post(
        reverse("admin:pipeline_emailtemplate_add"), template_data(**{f"preview-{field}": typed})
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert f'value="{typed}"' in response.content.decode()


def test_a_preview_with_an_unknown_placeholder_is_refused_with_the_ones_that_exist(client, manager):
    data = template_data(body="Dear {{ first_name }}, your salary: {{ candidate_salary }}")
    response = client.post(reverse("admin:pipeline_emailtemplate_add"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Unknown placeholder(s): {{ candidate_salary }}, {{ first_name }}." in page
    assert "You can use: {{ candidate_first_name }}, {{ candidate_name }}" in page
    assert "Placeholders you can use" in page and response.context["preview"] is None
    assert not EmailTemplate.objects.filter(name="Interview invite").exists()


def test_consultants_read_a_template_with_its_placeholders_but_cannot_preview_changes(client, raj):
    template = EmailTemplate.objects.get(purpose="rejection")
    url = reverse("admin:pipeline_emailtemplate_change", args=[template.pk])
    page = client.get(url).content.decode()
    assert "Placeholders you can use" in page and "the candidate&#x27;s first name" in page
    assert 'name="_preview"' not in page
    assert client.post(url, template_data()).status_code == 403
