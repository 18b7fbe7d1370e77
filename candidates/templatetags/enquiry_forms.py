import uuid
from functools import cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import engines
from django.utils.safestring import mark_safe

from candidates.forms import EnquiryForm

register = template.Library()

# Stands in for the one-time submission id in the stored HTML of the blank form.
PLACEHOLDER_ID = str(uuid.UUID(int=0))


@register.inclusion_tag("candidates/includes/enquiry_form.html")
def enquiry_form(vacancy, form=None):
    """The application form on a job page; bound with errors after a failed post."""
    return {"vacancy": vacancy, "form": form, "blank_form": None if form else blank_form()}


def blank_form():
    """The empty form's HTML with a fresh submission id.

    Rendering fields through crispy costs more than all the rest of a job page, and the
    empty form is the same on every job but for its id: render it once per process. The
    HTML is the template engine's own (escaped) output; only a uuid4 goes into it.
    """
    html = blank_form_html().replace(PLACEHOLDER_ID, str(uuid.uuid4()))
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


@cache
def blank_form_html():
    form = EnquiryForm(initial={"submission_id": PLACEHOLDER_ID})
    crispy = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")
    return crispy.render({"form": form})


@receiver(setting_changed)
def forget_blank_form(**kwargs):
    """Labels and help texts read settings (upload limit, agency name): tests change them."""
    blank_form_html.cache_clear()
