"""Every email still to send under the old per-model delivery becomes a message in the outbox.

Before the outbox, enquiries (notified_at, confirmation_sent_at), personal-link emails
(LinkMessage.sent_at) and job-alert confirmations (a queued task) each kept their own
delivery state. Whatever was not yet sent, pending or given up on, is queued (or marked
failed) in the outbox here, so nothing is lost; the old fields go in the next migration.

The texts are written here, once, in plain words: a migration must do the same thing on
every database, whatever the templates become later. They carry every link the consultant
or candidate needs. `manage.py send_queued_email` (or the worker's next sweep) sends them.
"""

from email.utils import formataddr

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TASKS = (
    "candidates.tasks.deliver_enquiry",
    "candidates.tasks.deliver_link_message",
    "candidates.tasks.send_alert_confirmation",
)
KIND_LABELS = {
    "application": "Application with CV",
    "question": "Question about a job",
    "speculative": "Speculative CV",
    "general": "General enquiry",
    "employer": "Employer: vacancy or enquiry",
    "privacy": "Privacy: access or erasure request",
}


def one_line(text):
    return " ".join(str(text).split())


class Outbox:
    def __init__(self, apps):
        self.Message = apps.get_model("outbox", "Message")
        self.ContentType = apps.get_model("contenttypes", "ContentType")
        self.now = timezone.now()
        self.site = settings.SITE_URL.rstrip("/")
        self.max_attempts = getattr(settings, "OUTBOX_MAX_ATTEMPTS", 15)

    def about(self, model_name):
        content_type, _ = self.ContentType.objects.get_or_create(
            app_label="candidates", model=model_name
        )
        return content_type

    def add(self, *, purpose, about, to, subject, body, reply_to=(), attempts=0, error=""):
        failed = attempts >= self.max_attempts
        self.Message.objects.create(
            purpose=purpose,
            about_type=self.about(about._meta.model_name),
            about_id=about.pk,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            cc=[],
            reply_to=list(reply_to),
            recipient=to.strip().lower(),
            headers={},
            subject=one_line(subject)[:500],
            body_text=body,
            state="failed" if failed else "queued",
            attempts=attempts,
            next_attempt_at=None if failed else self.now,
            last_error=error,
            created_at=self.now,
        )


def enquiry_subject(enquiry):
    kind = KIND_LABELS.get(enquiry.kind, enquiry.kind)
    who = enquiry.company or enquiry.name
    if enquiry.vacancy_id:
        vacancy = enquiry.vacancy
        return f"[{vacancy.reference}] {vacancy.title}: {kind} from {who}"
    return f"{kind} from {who} (ENQ-{enquiry.pk:06d})"


def notification_body(outbox, enquiry):
    lines = [
        f"{KIND_LABELS.get(enquiry.kind, enquiry.kind)} (ENQ-{enquiry.pk:06d}).",
        "",
        "Open it in the back office:",
        f"{outbox.site}/{settings.ADMIN_URL}candidates/enquiry/{enquiry.pk}/change/",
    ]
    if enquiry.cv:
        lines += ["", f"CV: {enquiry.cv_original_name}", f"{outbox.site}/staff/enquiries/{enquiry.pk}/cv/"]
    lines += [
        "",
        f"Name:  {enquiry.name}",
        f"Email: {enquiry.email}",
        f"Phone: {enquiry.phone or 'not given'}",
        "",
        "Message:",
        enquiry.message or "(no message)",
    ]
    return "\n".join(lines) + "\n"


def confirmation_body(enquiry, agency):
    return (
        "Hello,\n\n"
        f"Thank you for your message. We have received it safely; its reference is "
        f"ENQ-{enquiry.pk:06d}. One of our consultants will read it and reply.\n\n"
        f"{agency['NAME']}\n{agency['EMAIL']} · {agency['PHONE']}\n"
    )


def carry_enquiries(apps, outbox):
    Enquiry = apps.get_model("candidates", "Enquiry")
    pending = Enquiry.objects.filter(notified_at__isnull=True) | Enquiry.objects.filter(
        confirmation_sent_at__isnull=True
    )
    for enquiry in pending.select_related("vacancy", "consultant").order_by("pk").iterator():
        attempts, error = enquiry.notify_attempts, enquiry.notify_last_error
        if enquiry.notified_at is None:
            outbox.add(
                purpose="enquiry.notification",
                about=enquiry,
                to=enquiry.notify_email,
                reply_to=[formataddr((one_line(enquiry.name), enquiry.email))],
                subject=enquiry_subject(enquiry),
                body=notification_body(outbox, enquiry),
                attempts=attempts,
                error=error,
            )
        if enquiry.confirmation_sent_at is None:
            consultant = enquiry.consultant
            outbox.add(
                purpose="enquiry.confirmation",
                about=enquiry,
                to=enquiry.email,
                reply_to=[consultant.email if consultant else settings.ENQUIRIES_EMAIL],
                subject=f"We have received your message (ENQ-{enquiry.pk:06d})",
                body=confirmation_body(enquiry, settings.AGENCY),
                attempts=attempts,
                error=error,
            )


def carry_link_messages(apps, outbox):
    LinkMessage = apps.get_model("candidates", "LinkMessage")
    EnquiryLink = apps.get_model("candidates", "EnquiryLink")
    for message in LinkMessage.objects.filter(sent_at__isnull=True).select_related("sender"):
        links = EnquiryLink.objects.filter(message=message).select_related("vacancy")
        lines = [message.note, ""] if message.note else []
        for link in links.order_by("pk"):
            lines += [link.vacancy.title, f"Read it and apply: {outbox.site}/j/{link.token}/", ""]
        lines += ["Reply to this email to reach me directly.", "", message.sender.name]
        outbox.add(
            purpose="links.message",
            about=message,
            to=message.email,
            reply_to=[message.sender.email],
            subject=f"Jobs for you from {message.sender.name}",
            body="\n".join(lines) + "\n",
            attempts=message.attempts,
            error=message.last_error,
        )


def carry_alert_confirmations(apps, outbox, alert_ids):
    JobAlert = apps.get_model("candidates", "JobAlert")
    agency = settings.AGENCY["NAME"]
    for alert in JobAlert.objects.filter(pk__in=alert_ids, confirmed_at__isnull=True):
        outbox.add(
            purpose="alert.confirmation",
            about=alert,
            to=alert.email,
            subject=f"Confirm your job alert from {agency}",
            body=(
                f"Please confirm your job alert.\n\nConfirm it here:\n"
                f"{outbox.site}/alerts/{alert.token}/confirm/\n\n"
                f"If it wasn't you, ignore this email: nothing more will be sent.\n\n{agency}\n"
            ),
        )


def carry_over(apps, schema_editor):
    outbox = Outbox(apps)
    carry_enquiries(apps, outbox)
    carry_link_messages(apps, outbox)
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    old_tasks = DBTaskResult.objects.filter(task_path__in=OLD_TASKS, status="READY")
    alert_ids = [
        task.args_kwargs["args"][0]
        for task in old_tasks.filter(task_path=OLD_TASKS[2])
        if task.args_kwargs.get("args")
    ]
    carry_alert_confirmations(apps, outbox, alert_ids)
    # Their work is in the outbox now; the functions they name are gone.
    old_tasks.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0011_name_search_trigrams"),
        ("outbox", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
