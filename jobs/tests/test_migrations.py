"""Data migrations of the jobs app leave every advert as it is saved now."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets=None):
    """Migrate to the targets (every app's latest when None); the apps as they were then."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_adverts_shown_with_masked_contact_details_are_rendered_without_them():
    old = migrate([("jobs", "0012_vacancy_description_max_length")])
    consultant = old.get_model("jobs", "Consultant").objects.create(
        name="Kelly", email="kelly@samsmall.example"
    )
    client = old.get_model("jobs", "Client").objects.create(name="Acme")
    Vacancy = old.get_model("jobs", "Vacancy")
    fields = {"client": client, "consultant": consultant, "location": "Leeds"}
    masked = Vacancy.objects.create(
        slug="masked",
        reference="SSR-00001",
        description="Lead the team. Call Kellysamsmall.co.uk or \\*\\*\\*\\* \\*\\*\\*\\*",
        description_html="<p>Lead the team. Call Kellysamsmall.co.uk or **** ****</p>",
        **fields,
    )
    plain = Vacancy.objects.create(
        slug="plain",
        reference="SSR-00002",
        description="Care.",
        description_html="<p>kept</p>",
        **fields,
    )
    new = migrate()
    Vacancy = new.get_model("jobs", "Vacancy")
    assert Vacancy.objects.get(pk=masked.pk).description_html == "<p>Lead the team.</p>"
    assert Vacancy.objects.get(pk=plain.pk).description_html == "<p>kept</p>"  # not touched
