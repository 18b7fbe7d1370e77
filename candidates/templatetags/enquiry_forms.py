import uuid

from django import template
from django.utils.functional import SimpleLazyObject

from candidates.forms import EnquiryForm
from candidates.space import applied_on, one_step_form

register = template.Library()


@register.inclusion_tag("candidates/includes/enquiry_form.html", takes_context=True)
def enquiry_form(context, vacancy, form=None):
    """The application form on a job page: the form given (bound with errors after a failed
    post, or filled in from a personal link), a signed-in candidate's filled in with their
    details and CV (candidates.space; such pages are never page-cached), or a blank one."""
    candidate = getattr(context.get("request"), "candidate", None)
    if not form and candidate is not None:
        form = one_step_form(candidate)
    return {
        "vacancy": vacancy,
        # A blank form's fields are drawn once a process: the form is made only then.
        "form": form or SimpleLazyObject(EnquiryForm),
        "blank": not form,
        "submission_id": None if form else uuid.uuid4(),
        "applied_on": applied_on(candidate, vacancy) if candidate else None,
    }
