"""The save button on job cards and pages (candidates.space).

Everyone gets the same plain form, so pages cached for anonymous visitors hold nobody's
state; a signed-in candidate's pages are never page-cached, and show what they saved.
"""

from django import template

from candidates.space import saved_vacancy_ids

register = template.Library()


@register.inclusion_tag("candidates/includes/save_job.html", takes_context=True)
def save_job_button(context, vacancy, size="sm"):
    request = context.get("request")
    candidate = getattr(request, "candidate", None)
    saved = candidate is not None and vacancy.pk in saved_vacancy_ids(request)
    return {"vacancy": vacancy, "saved": saved, "size": size}
