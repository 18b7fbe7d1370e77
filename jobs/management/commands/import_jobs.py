from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobs.importing import (
    ImportDefaults,
    RowError,
    import_adverts,
    read_csv,
    read_records,
)
from jobs.models import Consultant


class Command(BaseCommand):
    help = (
        "Import job adverts from `Key: value` record files or CSV files "
        "(Title, Company, FullDescription, LocationRaw, ContractType, ContractTime, Category, "
        "SalaryRaw, SourceName, Id). Re-importing updates adverts matched on Id or Webindex."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, save nothing."
        )
        parser.add_argument("--consultant", help="Email of the consultant who will own the jobs.")
        parser.add_argument("--sector", default="", help="Sector for adverts without a Category.")
        parser.add_argument("--location", default="", help="Location for adverts without one.")
        parser.add_argument("--publish", action="store_true", help="Publish new adverts at once.")

    def handle(self, *args, **options):
        defaults = ImportDefaults(
            consultant=self.consultant(options["consultant"]),
            sector=options["sector"],
            location=options["location"],
            publish=options["publish"],
        )
        failed = 0
        for path in options["files"]:
            failed += self.import_file(path, defaults, options["dry_run"])
        if failed:
            raise CommandError(f"{failed} row(s) could not be imported; the others were kept.")

    def consultant(self, email):
        consultants = Consultant.objects.filter(is_active=True)
        consultant = (
            consultants.filter(email__iexact=email).first() if email else consultants.first()
        )
        if consultant is None:
            raise CommandError(
                f"No active consultant with email {email!r}."
                if email
                else "No active consultant: create one in the admin or pass --consultant."
            )
        return consultant

    def import_file(self, path, defaults, dry_run):
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                lines = handle.read().splitlines(keepends=True)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot read it ({error}).") from error
        reader = read_csv if path.suffix.lower() == ".csv" else read_records
        try:
            result = import_adverts(reader(lines), defaults, dry_run=dry_run)
        except RowError as error:
            raise CommandError(f"{path}: {error}") from error
        for line, reason in result.errors:
            self.stderr.write(f"{path}:{line}: {reason}")
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{path}: {verb} {result.created} new, {result.updated} updated, "
            f"{len(result.errors)} rejected."
        )
        return len(result.errors)
