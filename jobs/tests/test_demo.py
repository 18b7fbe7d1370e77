import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from jobs.bench_data import generate_vacancies
from jobs.models import Client, Consultant, Sector, Vacancy
from jobs.search import JobSearch

pytestmark = pytest.mark.django_db


def counts():
    return [model.objects.count() for model in (Vacancy, Client, Consultant, Sector)]


def test_demo_data_loads_the_seed_job_and_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
    seed = Vacancy.objects.get(external_reference="68688961")
    assert seed.is_live and seed.client.is_confidential
    assert Vacancy.objects.live().values("sector").distinct().count() >= 5
    assert set(Vacancy.objects.values_list("status", flat=True)) == {
        "open",
        "closed",
        "filled",
        "draft",
    }
    healthcare = Sector.objects.get(name="Healthcare")
    assert healthcare.lead_consultant.email == "kelly@samsmall.example"


def test_generated_vacancies_are_live_and_not_duplicated_on_a_rerun():
    call_command("seed_demo", "--vacancies", "50", stdout=StringIO())
    live, total = Vacancy.objects.live().count(), Vacancy.objects.count()
    call_command("seed_demo", "--vacancies", "50", stdout=StringIO())
    assert (Vacancy.objects.live().count(), Vacancy.objects.count()) == (live, total)
    generated = Vacancy.objects.filter(source="seed_demo")
    assert generated.count() == 55  # 50 live and a tenth as many ended
    assert generated.filter(status="open").count() == 50


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bulk_generation_outside_a_transaction_inserts_every_batch_once():
    """Outside a transaction, batches go in on connections of their own, two at a time."""
    generate_vacancies(45, ended=5, batch_size=10)
    generate_vacancies(45, ended=5, batch_size=10)
    generated = Vacancy.objects.filter(source="seed_demo")
    assert generated.count() == 50
    assert generated.filter(status="open").count() == 45
    assert sorted(generated.values_list("external_reference", flat=True)) == sorted(
        f"generated-{number}" for number in range(1, 51)
    )
    assert len(JobSearch.from_params({"q": "python"}).results()[:1]) == 1  # indexed for search


def test_demo_consultant_is_linked_to_the_staff_login_with_the_same_email():
    user = get_user_model().objects.create_user("kelly", "kelly@samsmall.example", "x")
    call_command("seed_demo", stdout=StringIO())
    assert Consultant.objects.get(email="kelly@samsmall.example").user == user


def django_check(**env):
    environment = {**os.environ, **env}
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key_or_hosts():
    no_key = django_check(DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="jobs.example")
    assert no_key.returncode != 0 and "Set SECRET_KEY" in no_key.stderr
    no_hosts = django_check(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="")
    assert no_hosts.returncode != 0 and "Set ALLOWED_HOSTS" in no_hosts.stderr
    ready = django_check(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="jobs.example")
    assert ready.returncode == 0, ready.stderr


def test_debug_is_off_unless_set():
    unset = {name: value for name, value in os.environ.items() if name != "DEBUG"}
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env={**unset, "SECRET_KEY": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr


class Deadlock(Exception):
    sqlstate = "40P01"


def test_a_batch_ended_as_a_deadlock_is_sent_again_and_other_errors_are_not(monkeypatch):
    from django.db import OperationalError

    from jobs import bench_data

    attempts = []

    def bulk_create(batch, ignore_conflicts):
        attempts.append(batch)
        if len(attempts) == 1:
            raise OperationalError("deadlock detected") from Deadlock()

    monkeypatch.setattr(Vacancy.objects, "bulk_create", bulk_create)
    monkeypatch.setattr(bench_data.connection, "close", lambda: None)
    bench_data.insert_batch(["batch"])
    assert attempts == [["batch"], ["batch"]]

    def broken(batch, ignore_conflicts):
        raise OperationalError("disk full")

    monkeypatch.setattr(Vacancy.objects, "bulk_create", broken)
    with pytest.raises(OperationalError, match="disk full"):
        bench_data.insert_batch(["batch"])
