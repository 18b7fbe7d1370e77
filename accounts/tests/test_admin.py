import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from jobs.tests.factories import StaffUserFactory, SuperUserFactory
from recruitment.tests.admin_pages import admin_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = StaffUserFactory(username="mo")
    user.groups.add(Group.objects.get(name="Manager"))
    client.force_login(user)
    return user


def change(client, user, **fields):
    """Post the user's change page as the client's browser would, with these fields typed."""
    url = reverse("admin:accounts_user_change", args=[user.pk])
    page = client.get(url)
    shown = admin_form(page) if page.status_code == 200 else {"username": user.username}
    return client.post(url, {**shown, **fields})


def test_a_manager_cannot_make_anyone_superuser_staff_or_grant_groups(client, manager):
    consultant = StaffUserFactory(is_staff=False)
    everything = {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [Group.objects.get(name="Manager").pk],
    }
    for user in (manager, consultant):
        assert change(client, user, first_name="Changed", **everything).status_code == 302
        user.refresh_from_db()
        assert user.first_name == "Changed"  # what a Manager may change is saved
        assert not user.is_superuser
    assert not consultant.is_staff and not consultant.groups.exists()
    assert list(manager.groups.values_list("name", flat=True)) == ["Manager"]


def test_a_manager_sets_staff_passwords_but_never_a_superusers(client, manager):
    boss = SuperUserFactory()
    boss.set_password("the-bosses-own-1")
    boss.save()
    assert change(client, boss, first_name="Hijacked").status_code == 403
    url = reverse("admin:auth_user_password_change", args=[boss.pk])
    response = client.post(url, {"password1": "taken-over-9!", "password2": "taken-over-9!"})
    assert response.status_code == 403
    boss.refresh_from_db()
    assert boss.first_name != "Hijacked" and boss.check_password("the-bosses-own-1")

    consultant = StaffUserFactory()
    url = reverse("admin:auth_user_password_change", args=[consultant.pk])
    response = client.post(url, {"password1": "fresh-start-2026", "password2": "fresh-start-2026"})
    assert response.status_code == 302
    consultant.refresh_from_db()
    assert consultant.check_password("fresh-start-2026")
