"""Every save of a versioned record adds one to its version, in the UPDATE that writes it.

A save told which version it expects (`expect_version`, called by the admin's forms once they
have compared the record with what the page showed) writes only if the row is still at that
version: `UPDATE … SET …, version = N + 1 WHERE id = … AND version = N`. The check and the
write are one statement, so of two saves at once one writes and the other raises EditConflict,
on SQLite and PostgreSQL alike. Every other save (model verbs, imports, the public forms) is
never refused, and still moves the version on so that pages opened before it notice.
"""

from django.db import models


class EditConflict(Exception):
    """The record changed, or was deleted, after a form checked it and before it was written."""

    def __init__(self, instance):
        super().__init__(f"{instance._meta.label} {instance.pk} changed since it was checked")
        self.instance = instance


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up at every save: tells a staff form whether the record changed "
        "while it was open.",
    )

    # Fields whose changes neither move the version on their own nor count as an edit that
    # a staff form must be told about (e.g. a login's last_login).
    unversioned_fields = ()

    class Meta:
        abstract = True

    def expect_version(self, version):
        """Make the next save write only if the row is still at `version` (else EditConflict)."""
        self._expected_version = version

    # Django's hook for the UPDATE that save() makes; django-concurrency wraps the same one.
    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update, *args):
        expected = self.__dict__.pop("_expected_version", None)
        if expected is None and update_fields and update_fields <= set(self.unversioned_fields):
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        field = self._meta.get_field("version")
        values = [value for value in values if value[0] is not field]
        if expected is None:
            # Not known in memory afterwards: forms read the version afresh when they open.
            values.append((field, None, models.F("version") + 1))
        else:
            base_qs = base_qs.filter(version=expected)
            values.append((field, None, expected + 1))
        updated = super()._do_update(
            base_qs, using, pk_val, values, update_fields, forced_update, *args
        )
        if expected is not None:
            if not updated:
                raise EditConflict(self)
            self.version = expected + 1
        return updated
