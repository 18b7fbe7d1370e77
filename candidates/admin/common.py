from django.urls import reverse
from django.utils.html import format_html


def cv_link(url_name, owner):
    if not owner.cv:
        return "—"
    url = reverse(url_name, args=[owner.pk])
    return format_html('<a href="{}">Download {}</a>', url, owner.cv_original_name or "CV")
