"""Admin pages as a browser sees them: what their forms post, and the errors they show."""

import html
import re
from html.parser import HTMLParser

CONFLICT = "was changed by someone else since you opened this page, so nothing was saved"


class FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.values = {}
        self.select = None
        self.option = None
        self.textarea = None

    def add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.add(name, attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self.select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.option = attrs.get("value")
            if self.option is not None:
                self.add(self.select, self.option)
        elif tag == "textarea" and name:
            self.textarea = name
            self.add(name, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            text = self.values[self.textarea][-1] + data
            # As browsers do, one newline straight after <textarea> is not part of the value.
            self.values[self.textarea][-1] = text.removeprefix("\n") if text == data else text


def form_values(page, form_id):
    """{name: [values]} of the form with this id, as its Save button would post it."""
    reader = FormReader(form_id)
    reader.feed(page)
    return reader.values


def admin_form(response):
    """The values of an admin change page's form, as its Save button would post them."""
    opts = response.context["opts"]
    return form_values(response.content.decode(), f"{opts.model_name}_form")


def errors(response):
    """The page's error messages, as text."""
    messages = [str(error) for error in response.context["errors"] or []]
    for inline in response.context.get("inline_admin_formsets", []):
        messages += inline.formset.non_form_errors()
        messages += [error for form in inline.formset.forms for error in form.non_field_errors()]
    return html.unescape(" ".join(messages))


def ticked_overwrite(response):
    """The refused form again, with each "replace these changes" box ticked."""
    boxes = re.findall(
        r'name="([\w-]*overwrite_version)" value="([^"]+)"', response.content.decode()
    )
    assert boxes
    return {**admin_form(response), **{name: [value] for name, value in boxes}}
