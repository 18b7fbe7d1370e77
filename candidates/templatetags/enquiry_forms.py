from django import template

from candidates.forms import EnquiryForm

register = template.Library()


@register.inclusion_tag("candidates/includes/enquiry_form.html")
def enquiry_form(vacancy, form=None):
    """The application form on a job page: the form given (bound with errors after a failed
    post, or filled in from a personal link), or a blank one."""
    return {"vacancy": vacancy, "form": form or EnquiryForm(), "blank": not form}
