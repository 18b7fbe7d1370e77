from django import template

from candidates.forms import EnquiryForm

register = template.Library()


@register.inclusion_tag("candidates/includes/enquiry_form.html")
def enquiry_form(vacancy, form=None):
    """The application form on a job page; bound with errors after a failed post."""
    return {"vacancy": vacancy, "form": form or EnquiryForm()}
