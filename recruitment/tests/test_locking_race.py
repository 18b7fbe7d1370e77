"""Two saves at the same moment, each on its own connection: one writes, one is refused."""

import contextlib
import threading

import pytest
from django.db import connection
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from jobs.models import Vacancy
from jobs.tests.factories import OpenVacancyFactory, SuperUserFactory
from recruitment.locking.models import EditConflict

from .admin_pages import CONFLICT, admin_form, errors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(*jobs):
    def run(job):
        try:
            job()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)


@pytest.mark.parametrize("round", range(5))
def test_of_two_saves_at_once_one_writes_and_the_other_is_refused(round):
    vacancy = OpenVacancyFactory(title="Account Manager")
    both_read = threading.Barrier(2)
    outcome = {}

    def rename(title):
        def job():
            copy = Vacancy.objects.get(pk=vacancy.pk)
            copy.title = title
            copy.expect_version(copy.version)
            both_read.wait(timeout=10)
            try:
                copy.save()
                outcome[title] = "saved"
            except EditConflict:
                outcome[title] = "refused"

        return job

    run_together(rename("Account Director"), rename("Head of Accounts"))

    assert sorted(outcome.values()) == ["refused", "saved"]
    [winner] = [title for title, result in outcome.items() if result == "saved"]
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.version) == (winner, 2)


def test_two_staff_saving_the_same_vacancy_at_once_get_one_save_and_one_refusal():
    vacancy = OpenVacancyFactory(title="Account Manager", location="London")
    url = reverse("admin:jobs_vacancy_change", args=[vacancy.pk])
    staff = {}
    for name in ("alice", "bob"):
        staff[name] = Client()
        staff[name].force_login(SuperUserFactory(username=name))
    forms = {name: admin_form(client.get(url)) for name, client in staff.items()}
    changes = {"alice": {"title": "Account Director"}, "bob": {"location": "Leeds"}}
    responses = {}

    # Each waits, once its form has been checked, for the other to be checked too: on
    # PostgreSQL both then write at once, and the UPDATE … WHERE version decides. SQLite
    # lets one writer in at a time, so there the wait times out and the second is checked
    # after the first has written.
    both_checked = threading.Barrier(2)

    def wait_for_the_other(sender, instance, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_checked.wait(timeout=2)

    def save(name):
        def job():
            responses[name] = staff[name].post(url, {**forms[name], **changes[name]})

        return job

    pre_save.connect(wait_for_the_other, sender=Vacancy)
    try:
        run_together(save("alice"), save("bob"))
    finally:
        pre_save.disconnect(wait_for_the_other, sender=Vacancy)

    assert sorted(response.status_code for response in responses.values()) == [200, 302]
    [saved] = [name for name, response in responses.items() if response.status_code == 302]
    [refused] = [name for name, response in responses.items() if response.status_code == 200]
    assert CONFLICT in errors(responses[refused])
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.location) == {
        "alice": ("Account Director", "London"),
        "bob": ("Account Manager", "Leeds"),
    }[saved]
    assert vacancy.version == 2
    if connection.vendor == "postgresql":
        assert not both_checked.broken  # both were checked before either wrote
