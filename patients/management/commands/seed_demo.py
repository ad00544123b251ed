"""Load the demo clinic: one staff user per role and ~50 fake patients. Safe to run again."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from faker import Faker

from accounts.models import User
from accounts.roles import Role
from accounts.services import roles_sync, staff_user_create
from patients.models import Channel, ConsentMethod, Language, Patient, ReminderPreference, Sex
from patients.services import consent_record, patient_create

DEMO_STAFF = (
    # username, password, role, display name
    ("frontdesk", "demo-frontdesk-2026", Role.FRONT_DESK, "Jordan Lee"),
    ("clinician", "demo-clinician-2026", Role.CLINICIAN, "Dr. Ana Rivera"),
    ("clinician2", "demo-clinician-2026", Role.CLINICIAN, "Dr. Samuel Okafor"),
    ("manager", "demo-manager-2026", Role.MANAGER, "Priya Shah"),
)


class Command(BaseCommand):
    help = "Create the demo clinic's staff and patients (idempotent; refuses in production)."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=50)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo loads fake data; it does not run with DJANGO_DEBUG=false.")
        roles_sync()
        staff = self._staff()
        created = self._patients(count=options["patients"], seed=options["seed"], actor=staff["frontdesk"])
        self.stdout.write(self.style.SUCCESS(
            f"Demo clinic ready: {len(staff)} staff, {Patient.objects.count()} patients ({created} new)."
        ))
        # Plans, stock and a year of signed sessions, through the treatments services.
        call_command("seed_demo_clinical", seed=options["seed"], stdout=self.stdout)
        call_command("seed_demo_schedule", seed=options["seed"], stdout=self.stdout)  # rooms, hours, a month
        call_command("seed_demo_outcomes", seed=options["seed"], stdout=self.stdout)  # a year of scores

    def _staff(self) -> dict[str, User]:
        users = {}
        for username, password, role, display_name in DEMO_STAFF:
            user = User.objects.filter(username=username).first()
            if user is None:
                first, _, last = display_name.removeprefix("Dr. ").partition(" ")
                user = staff_user_create(
                    username=username, password=password, role=role, display_name=display_name,
                    first_name=first, last_name=last, email=f"{username}@clinic.example",
                )
            users[username] = user
        return users

    @transaction.atomic
    def _patients(self, *, count: int, seed: int, actor: User) -> int:
        fake = Faker(["en_US"])
        fake.seed_instance(seed)
        rng = random.Random(seed)
        created = 0
        for index in range(count):
            sex = rng.choice([Sex.FEMALE, Sex.FEMALE, Sex.MALE])  # most toxin patients are women
            first = fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male()
            last = fake.last_name()
            born = fake.date_of_birth(minimum_age=18 if index % 10 else 6, maximum_age=85)
            phone = f"+1312555{index:04d}"  # demo patient #index is known by this number
            if Patient.objects.filter(phone=phone).exists():
                continue
            channel = rng.choice([ReminderPreference.EMAIL, ReminderPreference.SMS, ReminderPreference.SMS])
            pediatric = born > dt.date.today().replace(year=dt.date.today().year - 18)
            patient = patient_create(actor=actor, data={
                "first_name": first, "last_name": last, "date_of_birth": born, "sex": sex,
                "phone": phone, "email": f"{first}.{last}{index}@example.com".lower(),
                "preferred_channel": channel,
                "preferred_language": Language.SPANISH if index % 7 == 0 else Language.ENGLISH,
                "address_line1": fake.street_address(), "city": "Chicago", "state": "IL",
                "postal_code": fake.zipcode_in_state("IL"),
                "emergency_contact_name": fake.name(), "emergency_contact_relationship": "Spouse",
                "emergency_contact_phone": f"+1773555{index:04d}",
                "weight_kg": rng.randint(18, 45) if pediatric else None,
                "weight_measured_on": dt.date.today() if pediatric else None,
            })
            consent_record(actor=actor, patient=patient, channel=Channel.EMAIL, method=ConsentMethod.WRITTEN)
            if channel == ReminderPreference.SMS:
                consent_record(actor=actor, patient=patient, channel=Channel.SMS, method=ConsentMethod.WRITTEN)
            created += 1
        return created
