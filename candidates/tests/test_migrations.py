"""The move to the outbox loses no email that was still to be sent."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# Every app whose tables the test writes, as it was just before the outbox.
BEFORE = [
    ("accounts", "0001_initial"),
    ("jobs", "0010_slugs_made_on_save"),
    ("candidates", "0011_name_search_trigrams"),
    ("outbox", "0002_staff_permissions"),
    ("django_tasks_database", "0021_conditional_partial_index_ordering"),
]


def migrate(targets=None):
    """Migrate to the targets (every app's latest when None); the apps as they were then."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pending_and_failed_emails_of_the_old_delivery_arrive_in_the_outbox(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 15
    old = migrate(BEFORE)
    sector = old.get_model("jobs", "Sector").objects.create(name="Health", slug="health")
    user = old.get_model("accounts", "User").objects.create(username="kelly")
    consultant = old.get_model("jobs", "Consultant").objects.create(
        user=user, name="Kelly", email="kelly@samsmall.example"
    )
    client = old.get_model("jobs", "Client").objects.create(name="Acme")
    vacancy = old.get_model("jobs", "Vacancy").objects.create(
        title="Nurse",
        slug="nurse",
        reference="SSR-00001",
        client=client,
        consultant=consultant,
        sector=sector,
        location="Leeds",
        description="Care.",
    )
    Enquiry = old.get_model("candidates", "Enquiry")
    now = timezone.now()

    def enquiry(**fields):
        return Enquiry.objects.create(
            kind="question",
            vacancy=vacancy,
            consultant=consultant,
            name="Zoë",
            email="zoe@example.com",
            notify_email="kelly@samsmall.example",
            **fields,
        )

    pending = enquiry(notify_attempts=3, notify_last_error="Connection refused")
    given_up = enquiry(notify_attempts=15, notify_last_error="550 No such mailbox")
    done = enquiry(notified_at=now, confirmation_sent_at=now)
    LinkMessage = old.get_model("candidates", "LinkMessage")
    message = LinkMessage.objects.create(sender=consultant, email="ana@example.com", note="Hi")
    old.get_model("candidates", "EnquiryLink").objects.create(
        vacancy=vacancy,
        sender=consultant,
        email="ana@example.com",
        message=message,
        token="tok-en",
        expires_at=now,
    )
    alert = old.get_model("candidates", "JobAlert").objects.create(email="al@example.com")
    old.get_model("django_tasks_database", "DBTaskResult").objects.create(
        task_path="candidates.tasks.send_alert_confirmation",
        args_kwargs={"args": [alert.pk], "kwargs": {}},
        status="READY",
        backend_name="default",
        run_after=now,
        queue_name="default",
        priority=0,
        exception_class_path="",
        traceback="",
    )

    new = migrate()  # as `manage.py migrate` does after an upgrade
    Message = new.get_model("outbox", "Message")
    emails = {
        (email.about_id, email.purpose): email
        for email in Message.objects.filter(purpose__startswith="enquiry.")
    }
    assert set(emails) == {
        (pending.pk, "enquiry.notification"),
        (pending.pk, "enquiry.confirmation"),
        (given_up.pk, "enquiry.notification"),
        (given_up.pk, "enquiry.confirmation"),
    }
    notification = emails[(pending.pk, "enquiry.notification")]
    assert (notification.state, notification.attempts) == ("queued", 3)
    assert notification.to == ["kelly@samsmall.example"]
    assert f"/candidates/enquiry/{pending.pk}/change/" in notification.body_text
    assert emails[(given_up.pk, "enquiry.notification")].state == "failed"
    assert done.pk not in {about_id for about_id, _ in emails}
    link_email = Message.objects.get(purpose="links.message")
    assert "/j/tok-en/" in link_email.body_text and link_email.to == ["ana@example.com"]
    confirm = Message.objects.get(purpose="alert.confirmation")
    assert f"/alerts/{alert.token}/confirm/" in confirm.body_text
    DBTaskResult = new.get_model("django_tasks_database", "DBTaskResult")
    assert not DBTaskResult.objects.filter(task_path__startswith="candidates.tasks.").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cvs_held_before_versions_become_versions_with_the_records_cv_current():
    old = migrate([("candidates", "0014_enquiry_about_closed_job")])
    Candidate = old.get_model("candidates", "Candidate")
    Enquiry = old.get_model("candidates", "Enquiry")
    zoe = Candidate.objects.create(
        name="Zoë", email="zoe@example.com", cv="cvs/b.pdf", cv_original_name="Second.pdf"
    )
    ana = Candidate.objects.create(
        name="Ana", email="ana@example.com", cv="cvs/own.pdf", cv_original_name="Own.pdf"
    )
    for name, original in (("cvs/a.pdf", "First.pdf"), ("cvs/b.pdf", "Second.pdf")):
        Enquiry.objects.create(
            kind="speculative",
            candidate=zoe,
            name="Zoë",
            email="zoe@example.com",
            notify_email="inbox@example.com",
            cv=name,
            cv_original_name=original,
        )

    new = migrate()
    CandidateCV = new.get_model("candidates", "CandidateCV")
    versions = {
        (v.candidate_id, v.file.name, v.original_name, v.is_current, v.enquiry_id is not None)
        for v in CandidateCV.objects.all()
    }
    assert versions == {
        (zoe.pk, "cvs/a.pdf", "First.pdf", False, True),
        (zoe.pk, "cvs/b.pdf", "Second.pdf", True, True),  # the record's, and an enquiry's
        (ana.pk, "cvs/own.pdf", "Own.pdf", True, False),
    }
    assert set(CandidateCV.objects.values_list("text_status", flat=True)) == {"pending"}
