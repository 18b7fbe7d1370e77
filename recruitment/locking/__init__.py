"""Optimistic locking for the records staff edit: a save over someone else's changes is refused.

`models.VersionedModel` gives a model its `version`; `admin.VersionCheckedAdmin` and
`admin.VersionCheckedInline` make its admin pages check it. See README.md, "Two staff saving
the same record" under "Decisions worth knowing".
"""
