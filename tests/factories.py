"""factory_boy factories shared by the whole suite."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.roles import Role
from patients.models import Channel, ConsentMethod, Patient, Sex
from patients.services import mrn_generate
from treatments.services import plan_next_due_refresh


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@clinic.example")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(user: User, create: bool, extracted: Role | None, **kwargs) -> None:
        if create and extracted is not None:
            user.groups.add(Group.objects.get(name=extracted.value))


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    mrn = factory.LazyFunction(mrn_generate)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)
    sex = Sex.FEMALE
    phone = factory.Sequence(lambda n: f"+1312555{n % 10000:04d}")
    email = factory.LazyAttribute(lambda p: f"{p.first_name}.{p.last_name}@example.com".lower())

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # MRNs are random (patients.services.mrn_generate): with thousands of patients (the fuzz
        # command) one can clash with an MRN already issued, so draw again as patient_create does.
        for _ in range(5):
            try:
                with transaction.atomic():
                    return super()._create(model_class, *args, **kwargs)
            except IntegrityError:
                if not Patient.objects.filter(mrn=kwargs.get("mrn")).exists():
                    raise
                kwargs["mrn"] = mrn_generate()
        raise RuntimeError("Could not allocate a unique MRN")


def adult_born(years: int = 40) -> dt.date:
    today = dt.date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


# --- Scheduling. String model names keep this section free of imports. -------------


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "scheduling.Location"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Lakeside {n}")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "scheduling.Room"

    location = factory.SubFactory(LocationFactory)
    name = factory.Sequence(lambda n: f"Exam room {n}")


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "scheduling.AppointmentType"
        django_get_or_create = ("name",)

    name = "Follow-up"
    default_duration_minutes = 30
    is_injection = False


class WorkingHoursFactory(factory.django.DjangoModelFactory):
    """Monday 09:00–17:00 unless told otherwise (local wall-clock time)."""

    class Meta:
        model = "scheduling.WorkingHours"

    clinician = factory.SubFactory(UserFactory)
    location = factory.SubFactory(LocationFactory)
    weekday = 0
    starts_at = dt.time(9)
    ends_at = dt.time(17)


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A row as it would be after booking. Pass ``start_at``; bypasses the booking checks, so use
    it to set the scene, and ``scheduling.services.appointment_book`` to test booking."""

    class Meta:
        model = "scheduling.Appointment"

    patient = factory.SubFactory(PatientFactory)
    clinician = factory.SubFactory(UserFactory)
    room = factory.SubFactory(RoomFactory)
    appointment_type = factory.SubFactory(AppointmentTypeFactory)
    end_at = factory.LazyAttribute(
        lambda a: a.start_at + dt.timedelta(minutes=a.appointment_type.default_duration_minutes)
    )
    booked_by = factory.SelfAttribute("clinician")
    updated_by = factory.SelfAttribute("clinician")


# --- Treatments. Reference rows come from migration 0002; look them up by code. --------


def seeded(model: str, **lookup):
    """A reference row seeded by treatments' migration 0002, e.g. seeded("Product", code="botox")."""
    from django.apps import apps

    return apps.get_model("treatments", model).objects.get(**lookup)


class VialLotFactory(factory.django.DjangoModelFactory):
    """A Botox 100 U lot with 10 vials in stock, expiring in a year, unless told otherwise."""

    class Meta:
        model = "treatments.VialLot"

    product = factory.LazyFunction(lambda: seeded("Product", code="botox"))
    lot_number = factory.Sequence(lambda n: f"C{n:05d}")
    expiry_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=365))
    vial_units = 100
    quantity_received = 10
    quantity_on_hand = factory.SelfAttribute("quantity_received")
    received_on = factory.LazyFunction(dt.date.today)


class TreatmentPlanFactory(factory.django.DjangoModelFactory):
    """An adult chronic-migraine Botox plan on PREEMPT unless told otherwise."""

    class Meta:
        model = "treatments.TreatmentPlan"
        skip_postgeneration_save = True

    class Params:
        indication_code = "chronic_migraine"

    patient = factory.SubFactory(PatientFactory)
    indication = factory.LazyAttribute(lambda p: seeded("Indication", code=p.indication_code))
    diagnosis_code = factory.LazyAttribute(lambda p: p.indication.diagnosis_codes.filter(is_billable=True).first())
    product = factory.LazyFunction(lambda: seeded("Product", code="botox"))
    responsible_clinician = factory.SubFactory(UserFactory, role=Role.CLINICIAN)
    cycle_weeks = factory.LazyAttribute(lambda p: p.indication.default_cycle_weeks)
    minimum_interval_weeks = factory.LazyAttribute(lambda p: p.indication.minimum_interval_weeks)
    protocol_template = factory.LazyAttribute(
        lambda p: p.indication.protocol_templates.filter(product=p.product).first()
        or p.indication.protocol_templates.filter(product__isnull=True).first()
    )
    start_date = factory.LazyFunction(dt.date.today)

    @factory.post_generation
    def next_due(plan, create: bool, extracted, **kwargs) -> None:
        if create:
            plan_next_due_refresh(plan=plan)  # as plan_create does


class InjectionSessionFactory(factory.django.DjangoModelFactory):
    """A draft on its plan's product; use ``signed_session_make`` for history."""

    class Meta:
        model = "treatments.InjectionSession"

    plan = factory.SubFactory(TreatmentPlanFactory)
    patient = factory.SelfAttribute("plan.patient")
    performed_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))
    clinician = factory.SelfAttribute("plan.responsible_clinician")
    product = factory.SelfAttribute("plan.product")
    created_by = factory.SelfAttribute("clinician")


class InjectionSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "treatments.InjectionSite"

    session = factory.SubFactory(InjectionSessionFactory)
    muscle = factory.LazyFunction(lambda: seeded("Muscle", name="Frontalis"))
    side = "left"
    units = 5


class SessionVialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "treatments.SessionVial"

    session = factory.SubFactory(InjectionSessionFactory)
    lot = factory.SubFactory(VialLotFactory, product=factory.SelfAttribute("..session.product"))
    vials_opened = 1
    diluent_ml = 2
    reconstituted_at = factory.SelfAttribute("session.performed_at")


def signed_session_make(*, plan, performed_at: dt.datetime, units=155, muscle: str = "Temporalis",
                        product=None, **extra):
    """History without going through the services: a signed session of ``units`` in one site.
    For setting the scene only; the signing rules are tested through ``session_sign``."""
    session = InjectionSessionFactory(
        plan=plan, performed_at=performed_at, product=product or plan.product, status="signed",
        signed_at=performed_at, signed_by=plan.responsible_clinician, **extra,
    )
    InjectionSiteFactory(session=session, muscle=seeded("Muscle", name=muscle), units=units)
    plan_next_due_refresh(plan=plan)  # as session_sign does
    return session


# --- Scenes for the schedule and the reminders: their own reference rows -----------------------
# Looked up or made by code, so a scene needs no seeded row and two plans share one indication.


class IndicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "treatments.Indication"
        django_get_or_create = ("code",)

    code = "test_migraine"
    name = factory.LazyAttribute(lambda i: i.code.replace("_", " ").title())
    default_cycle_weeks = 12
    minimum_interval_weeks = 12


class DiagnosisCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "treatments.DiagnosisCode"
        django_get_or_create = ("indication", "code")

    indication = factory.SubFactory(IndicationFactory)
    code = "T00"
    description = "Test code"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "treatments.Product"
        django_get_or_create = ("code",)

    code = "test_toxin"
    brand_name = "Testox"
    generic_name = "test toxin"
    use_within_hours = 24


class ScenePlanFactory(TreatmentPlanFactory):
    """A plan on the test indication and product (see above), 12-week cycles, 10-week minimum."""

    indication = factory.SubFactory(IndicationFactory)
    diagnosis_code = factory.SubFactory(DiagnosisCodeFactory, indication=factory.SelfAttribute("..indication"))
    product = factory.SubFactory(ProductFactory)
    cycle_weeks = 12
    minimum_interval_weeks = 10
    protocol_template = None
    start_date = dt.date(2026, 1, 5)


def signed_history_make(*, plan, performed_at: dt.datetime, clinician):
    """A signed session with no sites: all a scene for recalls and reminders needs."""
    session = InjectionSessionFactory(plan=plan, performed_at=performed_at, clinician=clinician, status="signed",
                                      signed_at=performed_at, signed_by=clinician)
    plan_next_due_refresh(plan=plan)  # as session_sign does
    return session


class ContactConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "patients.ContactConsent"

    patient = factory.SubFactory(PatientFactory)
    channel = Channel.SMS
    given_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))
    given_method = ConsentMethod.WRITTEN
