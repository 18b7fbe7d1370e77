from django.core.management.base import BaseCommand

from candidates.privacy import anonymise, candidates_past_retention, retention_days


class Command(BaseCommand):
    help = (
        "Anonymise candidates whose retention period has ended (name, contact details, "
        "messages) and delete their CV files. Safe to run daily; --dry-run only reports."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        verb = "would anonymise" if dry_run else "anonymised"
        total = 0
        for kind, candidates in candidates_past_retention().items():
            ids = list(candidates.values_list("pk", flat=True))
            files = 0
            if not dry_run:
                for candidate in candidates.filter(pk__in=ids):
                    files += anonymise(candidate)
            total += len(ids)
            numbers = ", ".join(f"#{pk}" for pk in ids) or "none"
            self.stdout.write(
                f"{kind} (over {retention_days(kind)} days): {verb} {len(ids)} candidate(s) "
                f"[{numbers}]" + ("" if dry_run else f", {files} CV file(s) deleted")
            )
        self.stdout.write(f"{verb.capitalize()} {total} candidate(s) in all.")
