"""The real task worker, run over everything queued, as `manage.py db_worker` does."""

from io import StringIO

from django.core.management import call_command


def run_task_worker():
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--interval",
        "0",
        stdout=StringIO(),
        stderr=StringIO(),
    )
