"""Migration operations this project's apps share."""

from django.db import migrations


def postgresql_only(forward, backward):
    """Raw SQL statements run on PostgreSQL only: storage settings, extension indexes."""

    def run(statements):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement)

        return operation

    return migrations.RunPython(run(forward), run(backward))
