"""Emails consultants send candidates from a template, through the outbox."""

from outbox import delivery


def send_template(template, *, candidate, consultant, entry=None, subject=None, body=None):
    """Queue a templated email to a candidate (the consultant may have edited the text).

    The outbox keeps it, about the pipeline entry when there is one, so it shows on the
    candidate's timeline.
    """
    vacancy = entry.vacancy if entry else None
    filled_subject, filled_body = template.render(
        candidate=candidate, vacancy=vacancy, consultant=consultant
    )
    return delivery.queue(
        purpose=f"candidate.{template.purpose}",
        about=entry or candidate,
        to=[delivery.address(candidate.email, candidate.name)],
        reply_to=[delivery.address(consultant.email, consultant.name)],
        subject=subject or filled_subject,
        body=body or filled_body,
    )
