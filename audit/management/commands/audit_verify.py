from django.core.management.base import BaseCommand, CommandError

from audit.anchors import anchors_read
from audit.models import AuditEvent
from audit.verify import audit_verify


class Command(BaseCommand):
    help = ("Verify the audit trail (each entry's MAC and the keyed chain) and, with --anchors, that every "
            "anchored head is still in the chain; exits non-zero if any entry was altered or removed.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--anchors", metavar="FILE",
                            help="an anchor file written by beat (AUDIT_ANCHOR_FILE), or a copy of it")

    def handle(self, *args, **options):
        try:
            anchors = anchors_read(options["anchors"]) if options["anchors"] else []
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Cannot read the anchor file: {error}") from error
        problems = audit_verify(anchors=anchors)
        for problem in problems:
            place = f"#{problem.sequence}" if problem.sequence is not None else f"unsealed entry id {problem.entry_id}"
            self.stderr.write(f"{place}: {problem.problem}")
        if problems:
            raise CommandError(f"Audit chain broken in {len(problems)} place(s).")
        checked = f", {len(anchors)} anchor(s) hold" if options["anchors"] else ""
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact ({AuditEvent.objects.count()} entries{checked})."))
