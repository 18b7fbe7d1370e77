"""What a staff form remembers of the record it showed, and what it says when that changed.

The page carries a signed copy of the record as it was shown (`opened_version`, a hidden
field). On saving, the form compares it with the record now: if the version moved on and a
field the form shows differs, nothing is saved and the form is shown again, with what the
person typed, the changes field by field (and who made them, where the admin's log says),
and a box to tick to save over them. Otherwise the save is told to expect the version just
read, so a change that lands between this check and the write is still refused.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, time

from django import forms
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst

OPENED = "opened_version"
OVERWRITE = "overwrite_version"
SALT = "recruitment.locking.seen"

LOST = (
    "This page no longer says which version of the record it showed, so it cannot be saved "
    "safely. Copy what you typed, reload the page and make your changes again."
)


def watched_fields(model):
    """The fields a staff form may show: editable ones, less the version and the unversioned."""
    return [
        field
        for field in model._meta.get_fields()
        if field.concrete
        and field.editable
        and not field.primary_key
        and field.name != "version"
        and field.name not in model.unversioned_fields
    ]


def plain_value(instance, field):
    """The field's value as JSON can carry it, the same whether read now or at opening."""
    if field.many_to_many:
        if instance.pk is None:
            return []
        return sorted(str(pk) for pk in getattr(instance, field.name).values_list("pk", flat=True))
    value = field.value_from_object(instance)
    if isinstance(value, str):
        # Browsers send a textarea's lines ending \r\n; imports and code write \n.
        return value.replace("\r\n", "\n")
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, datetime | time):
        # Forms show whole seconds: saving one drops what a verb's timezone.now() had more.
        return value.replace(microsecond=0).isoformat()
    return field.value_to_string(instance)


@dataclass(frozen=True)
class Seen:
    """A record as someone saw it: when they opened its page, or in a conflict message."""

    pk: str
    version: int
    at: datetime
    name: str
    values: dict
    on_opening: bool


def seen_token(instance, on_opening=True):
    return signing.dumps(
        {
            "pk": str(instance.pk),
            "version": instance.version,
            "at": timezone.now().isoformat(),
            "name": str(instance)[:200],
            "values": {
                field.name: plain_value(instance, field) for field in watched_fields(type(instance))
            },
            "on_opening": on_opening,
        },
        salt=SALT,
        compress=True,
    )


def read_seen(token):
    if not token:
        return None
    try:
        data = signing.loads(token, salt=SALT)
        seen = Seen(
            pk=str(data["pk"]),
            version=int(data["version"]),
            at=parse_datetime(data["at"]),
            name=str(data["name"]),
            values=dict(data["values"]),
            on_opening=bool(data["on_opening"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return seen if seen.at is not None else None


class SeenField(forms.CharField):
    """The signed copy of the record as shown: bookkeeping, never an edit of its own."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data):
        return False


class VersionCheckedForm:
    """Mixed into a ModelForm of a VersionedModel by `version_checked()`."""

    parent_model = None  # an inline's parent: its log entries also tell who changed the row

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is not None:
            self.initial[OPENED] = seen_token(self.instance)

    def clean(self):
        cleaned_data = super().clean()
        self.check_version()
        return cleaned_data

    def check_version(self):
        instance = self.instance
        opened = read_seen(self.data.get(self.add_prefix(OPENED)))
        if opened is None:
            if instance.pk is not None:
                raise ValidationError(LOST, code="version_lost")
            return  # a new record
        if instance.pk is None:
            # It had a row when the page was opened; an inline form finds none now.
            raise ValidationError(deleted_message(self, opened), code="deleted")
        if opened.pk != str(instance.pk):
            raise ValidationError(LOST, code="version_lost")
        seen = read_seen(self.data.get(self.add_prefix(OVERWRITE)))
        base = seen if seen is not None and seen.pk == opened.pk else opened
        if instance.version != base.version:
            changes = [
                field
                for field in watched_fields(type(instance))
                if field.name in base.values
                and base.values[field.name] != plain_value(instance, field)
            ]
            if changes:
                raise ValidationError(conflict_message(self, base, changes), code="conflict")
        instance.expect_version(instance.version)
        if base is seen:
            # Saying "save mine over theirs" once is enough, even if another error in the
            # form shows it again: it now stands for the record as they last saw it.
            self.data = self.data.copy()
            self.data[self.add_prefix(OPENED)] = self.data[self.add_prefix(OVERWRITE)]


def version_checked(form_class, parent_model=None):
    """`form_class`, checking the record's version before it saves."""
    if issubclass(form_class, VersionCheckedForm):
        return form_class
    attrs = {OPENED: SeenField(), "parent_model": parent_model}
    return type(form_class.__name__, (VersionCheckedForm, form_class), attrs)


def conflict_message(form, base, changes):
    instance = form.instance
    edits = edits_since(instance, base, form.parent_model)
    when = "when you opened the page" if base.on_opening else "when you last saw it"
    lines = [
        format_html(
            "{}: was {} {}, now {}{}.",
            capfirst(field.verbose_name),
            shown(field, base.values[field.name]),
            when,
            shown(field, plain_value(instance, field)),
            changed_by(edits, capfirst(field.verbose_name)),
        )
        for field in changes
    ]
    return format_html(
        "<p>{} {} was changed by someone else since you {}, so nothing was saved. "
        "What you typed is still below.</p><ul>{}</ul>"
        '<p><label><input type="checkbox" name="{}" value="{}"> '
        "Replace these changes with what I typed</label> (tick, then save again)</p>",
        capfirst(instance._meta.verbose_name),
        f"“{instance}”",
        "opened this page" if base.on_opening else "last saw it",
        format_html_join("", "<li>{}</li>", ((line,) for line in lines)),
        form.add_prefix(OVERWRITE),
        seen_token(instance, on_opening=False),
    )


def deleted_message(form, opened):
    edits = edits_since(form.instance, opened, form.parent_model)
    deletions = [edit for edit in edits if edit.deleted]
    by = f" by {deletions[-1].by} at {deletions[-1].when}" if deletions else ""
    return format_html(
        "{} “{}” was deleted{} since you opened this page. Tick its delete box to save the "
        "rest, or add it again as a new row.",
        capfirst(form.instance._meta.verbose_name),
        opened.name,
        by,
    )


def shown(field, value):
    if value is None or value == "" or value == []:
        return "empty"
    if field.many_to_many:
        related = field.related_model._base_manager.filter(pk__in=value)
        text = ", ".join(str(obj) for obj in related)
    elif field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        text = str(related) if related is not None else f"#{value}, since deleted"
    elif field.flatchoices:
        text = str(dict(field.flatchoices).get(value, value))
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    else:
        try:
            text = formatted(field.to_python(value))
        except ValidationError:
            text = str(value)
    return f"“{Truncator(text).chars(80)}”"


def formatted(value):
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j M Y H:i")
    if isinstance(value, date):
        return date_format(value, "j M Y")
    return str(value)


@dataclass(frozen=True)
class Edit:
    """A save or deletion of the record, as the admin's log tells it."""

    by: str
    when: str
    fields: frozenset
    deleted: bool = False


def edits_since(instance, seen, parent_model=None):
    """The admin's log entries about this record since it was seen, oldest first.

    Rows edited inline are logged on their parent, by name: "changed client contact “…”".
    """
    model = type(instance)
    own_type = ContentType.objects.get_for_model(model)
    where = Q(content_type=own_type, object_id=seen.pk)
    parent_pk = parent_of(instance, parent_model)
    if parent_pk is not None:
        where |= Q(
            content_type=ContentType.objects.get_for_model(parent_model), object_id=str(parent_pk)
        )
    names = {seen.name, str(instance)} if instance.pk is not None else {seen.name}
    edits = []
    entries = LogEntry.objects.filter(where, action_time__gte=seen.at).select_related("user")
    for entry in entries.order_by("action_time", "pk"):
        by = entry.user.get_full_name() or entry.user.get_username()
        when = formatted(entry.action_time)
        own = entry.content_type_id == own_type.pk
        if own and entry.action_flag == DELETION:
            edits.append(Edit(by, when, frozenset(), deleted=True))
            continue
        for action, detail in logged_changes(entry):
            if own:
                about_it = "name" not in detail
            else:
                about_it = (
                    detail.get("name") == str(model._meta.verbose_name)
                    and detail.get("object") in names
                )
            if about_it and action in ("changed", "deleted"):
                fields = frozenset(detail.get("fields", []))
                edits.append(Edit(by, when, fields, deleted=action == "deleted"))
    return edits


def logged_changes(entry):
    try:
        items = json.loads(entry.change_message or "[]")
    except ValueError:
        return []  # a plain-text message names no fields
    if not isinstance(items, list):
        return []
    return [
        (action, detail)
        for item in items
        if isinstance(item, dict)
        for action, detail in item.items()
        if isinstance(detail, dict)
    ]


def changed_by(edits, label):
    for edit in reversed(edits):
        if label in edit.fields:
            return f" (changed by {edit.by} at {edit.when})"
    return ""


def parent_of(instance, parent_model):
    if parent_model is None:
        return None
    for field in instance._meta.concrete_fields:
        if field.many_to_one and field.related_model is parent_model:
            return getattr(instance, field.attname)
    return None
