"""Demo treatment data: stock, ~30 plans across the indications and about a year of signed
sessions every ~12 weeks, all written through the services (so stock and the audit trail agree).

Idempotent: lots are received once (by lot number) and a patient who already has a plan is left
alone. Called by ``seed_demo``; refuses to run with DEBUG off. Doses stay inside the seeded dose
rules (docs/clinical-rules.md); a few sessions are early on purpose, so that the demo shows overridden
interval warnings.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record, changes_between, field_values
from patients.models import Language, Patient, ReminderPreference, Sex
from patients.services import patient_create
from treatments.inputs import SessionInput, SiteInput, VialInput
from treatments.models import DiagnosisCode, Indication, InjectionSession, Muscle, Product, VialLot
from treatments.services import (
    lot_receive,
    plan_create,
    session_addendum_add,
    session_save,
    session_sign,
    session_start,
)

D = Decimal
CYCLE_DAYS = 84  # 12 weeks: the seeded cycle and minimum interval of every indication used here


@dataclass(frozen=True)
class PlanSpec:
    indication: str
    icd10: str
    product: str = "botox"
    side: str = ""
    pediatric: bool = False


# 30 plans: mostly chronic migraine (PREEMPT), then cervical dystonia, spasticity (one pediatric),
# blepharospasm and one strabismus.
SPECS = (
    [PlanSpec("chronic_migraine", code) for code in ("G43.709", "G43.719", "G43.701", "G43.E09") * 4]
    + [PlanSpec("chronic_migraine", "G43.709"), PlanSpec("chronic_migraine", "G43.E19"),
       PlanSpec("chronic_migraine", "G43.711")]
    + [PlanSpec("cervical_dystonia", "G24.3"), PlanSpec("cervical_dystonia", "G24.3", product="dysport"),
       PlanSpec("cervical_dystonia", "G24.3"), PlanSpec("cervical_dystonia", "G24.3")]
    + [PlanSpec("upper_limb_spasticity_adult", "I69.351", side="right"),
       PlanSpec("upper_limb_spasticity_adult", "G81.12", side="left"),
       PlanSpec("lower_limb_spasticity_adult", "G82.22", side="bilateral"),
       PlanSpec("upper_limb_spasticity_pediatric", "G80.2", side="left", pediatric=True)]
    + [PlanSpec("blepharospasm", "G24.5"), PlanSpec("blepharospasm", "G24.5"), PlanSpec("strabismus", "")]
)

# (lot number, product, vial units, vials, months to expiry). The last is the one expired lot.
LOTS = [
    ("C5001A2", "botox", 200, 260, 20), ("C4877B1", "botox", 100, 160, 14),
    ("BD2231", "dysport", 500, 20, 16), ("XM7765", "xeomin", 100, 20, 30),
]
EXPIRED_LOT = ("C3120X9", "botox", 100, 6)

CD_DOSES = {  # cervical dystonia, right torticollis: individualized around the BOTOX pivotal-trial median 236 U
    "botox": {("Sternocleidomastoid", "left"): 40, ("Splenius capitis", "right"): 50,
              ("Trapezius", "right"): 40, ("Levator scapulae", "right"): 30,
              ("Semispinalis capitis", "right"): 40, ("Splenius capitis", "left"): 30},
    "dysport": {("Sternocleidomastoid", "left"): 100, ("Splenius capitis", "right"): 250, ("Trapezius", "right"): 150},
}
ULS_DOSES = {"Biceps brachii": 50, "Brachialis": 40, "Brachioradialis": 30, "Flexor carpi radialis": 40,
             "Flexor carpi ulnaris": 30, "Flexor digitorum superficialis": 40, "Flexor digitorum profundus": 30}
PEDIATRIC_ULS_DOSES = {"Biceps brachii": 30, "Brachialis": 20, "Flexor carpi radialis": 20, "Flexor carpi ulnaris": 15}
LLS_DOSES = {"Gastrocnemius, medial head": 50, "Gastrocnemius, lateral head": 40, "Soleus": 50,
             "Tibialis posterior": 40}
# Early sessions are on migraine plans only: two PREEMPT doses 11 weeks apart stay under Botox's
# 400 U in 84 days (BOTOX label), so the interval warning is the only finding to override.
EARLY_PLANS = (3, 9, 14)
EARLY_REASONS = [
    "Headache days back to baseline at 10 weeks; patient travelling at week 12. Discussed and agreed.",
    "Status migrainosus admission last week; treating one week early after discussion with the patient.",
    "Elective surgery scheduled at week 12; treating early by agreement with the surgeon.",
]


class Command(BaseCommand):
    help = "Demo plans, stock and a year of signed sessions (idempotent; refuses in production)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo_clinical loads fake data; it does not run with DJANGO_DEBUG=false.")
        self.rng = random.Random(options["seed"])
        self.today = timezone.localdate()
        self.clinicians = list(User.objects.filter(username__in=["clinician", "clinician2"]).order_by("username"))
        manager = User.objects.filter(username="manager").first()
        if not self.clinicians or manager is None:
            raise CommandError("Run seed_demo first: it creates the demo staff.")
        self.lots = self._lots(manager)
        patients = list(Patient.objects.filter(phone__startswith="+1312555").order_by("phone")[:50])
        children = [p for p in patients if p.age < 18 and p.weight_kg] or [self._child()]
        # Adult at every session of the history (up to about 16 months back), not just today: the
        # safety check judges a session by the patient's age on its day.
        history_starts = self.today - dt.timedelta(days=500)
        adults = [p for p in patients if p.age_on(history_starts) >= 18]
        created = 0
        for index, spec in enumerate(SPECS):
            pool = children if spec.pediatric else adults
            if not pool:
                continue
            patient = pool.pop(0)
            if patient.treatment_plans.exists():
                continue
            self._patient_history(index, patient, spec)
            created += 1
        self.stdout.write(self.style.SUCCESS(
            f"Treatment demo: {created} new plans; {InjectionSession.objects.count()} sessions in all."
        ))

    def _child(self) -> Patient:
        """A pediatric spasticity patient, with today's weight (doses per kg), when the registry
        has no child with a weight: registered through the patients service like any other."""
        phone = "+13125559001"
        existing = Patient.objects.filter(phone=phone).first()
        if existing is not None:
            return existing
        born = dt.date(self.today.year - 9, 3, 14)
        return patient_create(actor=User.objects.get(username="frontdesk"), data={
            "first_name": "Mateo", "last_name": "Alvarez", "date_of_birth": born, "sex": Sex.MALE,
            "phone": phone, "email": "mateo.alvarez.family@example.com",
            "preferred_channel": ReminderPreference.EMAIL, "preferred_language": Language.ENGLISH,
            "address_line1": "1200 W Harrison St", "city": "Chicago", "state": "IL", "postal_code": "60607",
            "emergency_contact_name": "Lucia Alvarez", "emergency_contact_relationship": "Mother",
            "emergency_contact_phone": "+17735559001", "weight_kg": D("27.5"), "weight_measured_on": self.today,
        })

    # --- Stock ---------------------------------------------------------------------------------

    def _lots(self, manager: User) -> dict[tuple[str, int], VialLot]:
        received_on = self.today - dt.timedelta(days=400)
        for number, product_code, units, vials, months in LOTS:
            if not VialLot.objects.filter(lot_number=number).exists():
                lot_receive(actor=manager, data={
                    "product": Product.objects.get(code=product_code), "lot_number": number,
                    "expiry_date": self.today + dt.timedelta(days=30 * months), "vial_units": units,
                    "quantity_received": vials, "location": "Clinic fridge 1", "received_on": received_on,
                })
        self._expired_lot(manager, received_on)
        return {(lot.product.code, lot.vial_units): lot
                for lot in VialLot.objects.select_related("product").filter(lot_number__in=[n for n, *_ in LOTS])}

    @transaction.atomic
    def _expired_lot(self, manager: User, received_on: dt.date) -> None:
        """One lot past its expiry, still on the shelf, so the demo shows it flagged. It was
        received while still in date; ``lot_receive`` (rightly) refuses an expired lot today, so
        the demo writes it directly, with the same audit entry the service would write."""
        number, product_code, units, vials = EXPIRED_LOT
        if VialLot.objects.filter(lot_number=number).exists():
            return
        lot = VialLot.objects.create(
            product=Product.objects.get(code=product_code), lot_number=number, vial_units=units,
            expiry_date=self.today - dt.timedelta(days=20), quantity_received=vials, quantity_on_hand=vials,
            location="Clinic fridge 2 (quarantine)", received_on=received_on,
        )
        fields = ("product", "lot_number", "expiry_date", "vial_units", "quantity_received", "location",
                  "received_on", "quantity_on_hand")
        audit_record(actor=manager, action="treatments.lot.received", target=lot,
                     changes=changes_between({}, field_values(lot, fields)))

    # --- Plans and sessions -------------------------------------------------------------------

    @transaction.atomic
    def _patient_history(self, index: int, patient: Patient, spec: PlanSpec) -> None:
        clinician = self.clinicians[index % len(self.clinicians)]
        indication = Indication.objects.get(code=spec.indication)
        code = (DiagnosisCode.objects.filter(indication=indication, code=spec.icd10).first()
                or indication.diagnosis_codes.filter(is_billable=True).first())
        # The last session 10–110 days ago: some plans overdue, some due soon, some not yet.
        last = self.today - dt.timedelta(days=10 + (index * 37) % 100)
        dates = [last]
        early_at = 2 if index in EARLY_PLANS else None  # three plans with one early (overridden) session
        while len(dates) < 5:
            gap = 77 if len(dates) == early_at else CYCLE_DAYS + self.rng.randint(0, 6)
            dates.insert(0, dates[0] - dt.timedelta(days=gap))
        plan = plan_create(actor=clinician, patient=patient, data={
            "indication": indication, "diagnosis_code": code, "product": Product.objects.get(code=spec.product),
            "side": spec.side, "responsible_clinician": clinician, "start_date": dates[0] - dt.timedelta(days=7),
        })
        for number, day in enumerate(dates):
            hour = 9 + (index + number) % 7
            performed_at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15 * (number % 4))))
            session = session_start(actor=clinician, plan=plan, performed_at=performed_at)
            data = self._session_input(spec, session, patient, performed_at)
            report = session_save(actor=clinician, session=session, data=data)
            reason = EARLY_REASONS[index % len(EARLY_REASONS)]  # only used if a warning is found
            session_sign(actor=clinician, session=session, overrides={code: reason for code in report.warning_codes})
            if index == 0 and number == len(dates) - 2:
                session_addendum_add(actor=clinician, session=session, text=(
                    "Patient called two days later: mild left brow ptosis, resolving. No action needed; "
                    "lower the left frontalis dose next cycle."))

    def _session_input(self, spec: PlanSpec, session: InjectionSession, patient: Patient,
                       performed_at: dt.datetime) -> SessionInput:
        sites = self._sites(spec, session)
        given = sum((s.units for s in sites), D(0))
        vials = self._vials(spec, given, performed_at)
        return SessionInput(
            performed_at=performed_at, product=session.product,
            patient_weight_kg=patient.weight_kg if spec.pediatric else None,
            adverse_events=self.rng.choice(["none", "none", "none", "mild neck ache for 3 days",
                                            "transient injection-site bruising"]),
            notes="", sites=sites, vials=vials,
        )

    def _sites(self, spec: PlanSpec, session: InjectionSession) -> list[SiteInput]:
        template = list(session.sites.select_related("muscle").order_by("order", "id"))
        if spec.indication == "chronic_migraine":
            # PREEMPT 155 U; sometimes follow-the-pain, +5 U at up to 4 posterior sites (≤175 U).
            extra = set(self.rng.sample(range(7, 31), self.rng.choice([0, 0, 2, 4])))
            return [SiteInput(s.muscle, s.side, s.units + (5 if i in extra else 0), s.points, s.guidance)
                    for i, s in enumerate(template)]
        if spec.indication == "blepharospasm":
            units = self.rng.choice([D("1.25"), D("2.5"), D("2.5")])
            return [SiteInput(s.muscle, s.side, units, 1, "anatomical") for s in template]
        if spec.indication == "strabismus":
            muscle = Muscle.objects.get(name="Medial rectus")
            return [SiteInput(muscle, "left", self.rng.choice([D("1.25"), D("2.5")]), 1, "emg")]
        if spec.indication == "cervical_dystonia":
            doses = CD_DOSES[spec.product]
            return [SiteInput(s.muscle, s.side, self._vary(doses[(s.muscle.name, s.side)], cap=50 if
                              spec.product == "botox" else None), 1, "emg")
                    for s in template if (s.muscle.name, s.side) in doses]
        doses = {"upper_limb_spasticity_adult": ULS_DOSES, "lower_limb_spasticity_adult": LLS_DOSES,
                 "upper_limb_spasticity_pediatric": PEDIATRIC_ULS_DOSES}[spec.indication]
        # BOTOX spasticity label wording: no more than 50 U per site.
        return [SiteInput(s.muscle, s.side, self._vary(doses[s.muscle.name], cap=50), 1, "estim")
                for s in template if s.muscle.name in doses]

    def _vary(self, units: int, *, cap: int | None) -> Decimal:
        varied = units + self.rng.choice([-10, -5, 0, 0, 5, 10])
        return D(min(varied, cap) if cap else varied)

    def _vials(self, spec: PlanSpec, given: Decimal, performed_at: dt.datetime) -> list[VialInput]:
        reconstituted = performed_at - dt.timedelta(minutes=30)
        if spec.product == "dysport":
            lot = self.lots[("dysport", 500)]
            return [VialInput(lot, math.ceil(given / 500), D("2.5"), reconstituted)]  # 20 U / 0.1 mL
        if spec.indication in ("blepharospasm", "strabismus"):
            return [VialInput(self.lots[("botox", 100)], 1, D("4"), reconstituted)]  # 2.5 U / 0.1 mL
        if spec.indication == "chronic_migraine" and self.rng.random() < 0.3:
            return [VialInput(self.lots[("botox", 100)], 2, D("2"), reconstituted)]  # 5 U / 0.1 mL
        return [VialInput(self.lots[("botox", 200)], math.ceil(given / 200), D("4"), reconstituted)]
