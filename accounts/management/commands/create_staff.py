from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.roles import Role
from accounts.services import roles_sync, staff_user_create


class Command(BaseCommand):
    help = "Create a staff user with a role: front-desk, clinician or manager."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.name.lower().replace("_", "-") for r in Role])
        parser.add_argument("--password", help="Prompted for when omitted.")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--display-name", default="")

    def handle(self, *args, **options):
        role = Role[options["role"].upper().replace("-", "_")]
        password = options["password"]
        if password is None:
            import getpass

            password = getpass.getpass("Password: ")
        # Validated against the would-be user, so the similarity validator sees the names too.
        candidate = User(
            username=options["username"], email=options["email"],
            first_name=options["first_name"], last_name=options["last_name"],
        )
        try:
            validate_password(password, user=candidate)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        roles_sync()
        try:
            user = staff_user_create(
                username=options["username"], password=password, role=role,
                email=options["email"], first_name=options["first_name"],
                last_name=options["last_name"], display_name=options["display_name"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({role.value})."))
