"""Demo outcome scores: for every plan with signed sessions, about a year of scores that respond
believably (most patients improve over the first cycles and plateau; about one in four responds
little, so the advisory NICE TA260 finding shows on some charts). Written through
``assessment_record``, so scoring, alerts and the audit trail are the real ones. Then pre-visit
questionnaires for the next few booked visits, one answered and one partly, through the
patient's own services.

Idempotent: a plan that already has scores is left alone. Called by ``seed_demo``; refuses to run
with DEBUG off.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from audit.services import configuration_save
from clinic.clock import local_date
from outcomes.links import questionnaire_url
from outcomes.models import Assessment, ResponseRule
from outcomes.selectors import QUESTIONNAIRE_VISIT_STATUSES
from outcomes.services import (
    assessment_record,
    questionnaire_draft_save,
    questionnaire_invitation_for_appointment,
    questionnaire_step_submit,
)
from scheduling.models import Appointment
from treatments.models import SessionStatus, TreatmentPlan

HEADACHE_DIARY_DAYS = 28  # a diary month: monthly headache days count per 28–30 days (ICHD-3)
VISIT_DAYS = 84  # disease scales and QoL at each 12-week visit
DEMO_RESPONSE_RULE = "nice_ta260_headache_days"  # seeded by outcomes 0002, off until a clinic turns it on


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _spread(total: int, count: int, maximum: int) -> list[int]:
    items = []
    for _ in range(count):
        items.append(min(maximum, total))
        total -= items[-1]
    return items


@dataclass(frozen=True)
class _Draw:
    """Draws for a patient ``p`` (0–1) of the way from their ``base`` burden to their best response."""

    base: dict[str, float]
    p: float
    rng: random.Random

    def eased(self, key: str, high: int, low: int = 0) -> int:
        return _clamp(self.base[key] * (1 - self.p) + self.rng.uniform(-1.5, 1.5), low, high)


def _midas(d: _Draw, plan: TreatmentPlan) -> dict[str, Any]:
    q = _spread(d.eased("midas", 270), 5, 90)
    return {**{f"q{n}": q[n - 1] for n in range(1, 6)}, "a": d.eased("headache", 30) * 3, "b": d.eased("pain", 10, 1)}


def _ashworth(d: _Draw, plan: TreatmentPlan) -> dict[str, Any]:
    side = plan.side if plan.side in ("left", "right") else "left"
    upper = "upper" in plan.indication.code
    muscles = ("Biceps brachii", "Flexor carpi radialis") if upper else ("Gastrocnemius", "Soleus")
    grades = ("0", "1", "1+", "2", "3", "4")
    return {f"{muscle} ({side})": grades[_clamp(d.base["ashworth"] - 2.5 * d.p + d.rng.uniform(-0.4, 0.4), 1, 5)]
            for muscle in muscles}


def _mood(code: str) -> Callable[[_Draw, TreatmentPlan], dict[str, Any]]:
    """PHQ-9's or GAD-7's items (PHQ-9's item 9 answered 0)."""
    def items(d: _Draw, plan: TreatmentPlan) -> dict[str, Any]:
        count = 9 if code == "phq9" else 7
        q = _spread(d.eased(code, count * 3), count, 3)
        answers = {f"item{n}": q[n - 1] for n in range(1, count + 1)}
        if code == "phq9":
            answers["item9"] = 0
        return answers

    return items


_GENERATORS: dict[str, Callable[[_Draw, TreatmentPlan], dict[str, Any]]] = {
    "headache_days": lambda d, plan: {"days": d.eased("headache", 30)},
    "midas": _midas,
    "hit6": lambda d, plan: {
        "total": _clamp(36 + (d.base["hit6"] - 36) * (1 - 0.6 * d.p) + d.rng.uniform(-1, 1), 36, 78)},
    "twstrs": lambda d, plan: {
        "severity": d.eased("severity", 35), "disability": d.eased("disability", 30), "pain": d.eased("pain20", 20)},
    "tsui": lambda d, plan: {"total": d.eased("tsui", 25)},
    "modified_ashworth": _ashworth,
    "jankovic": lambda d, plan: {"severity": d.eased("jankovic", 4), "frequency": d.eased("jankovic", 4)},
    "bdi": lambda d, plan: {f"item{n}": d.eased("bdi", 4) for n in range(1, 7)},
    "prism_diopters": lambda d, plan: {"deviation": d.eased("prism", 100)},
    "phq9": _mood("phq9"),
    "gad7": _mood("gad7"),
    "eq5d_vas": lambda d, plan: {
        "vas": _clamp(d.base["vas"] + (85 - d.base["vas"]) * d.p + d.rng.uniform(-4, 4), 0, 100)},
}


def _items(code: str, base: dict[str, float], p: float, rng: random.Random, plan: TreatmentPlan) -> dict[str, Any]:
    """One instrument's answers for a patient ``p`` (0–1) of the way to their best response."""
    if code not in _GENERATORS:
        raise CommandError(f"No demo generator for {code}.")
    return _GENERATORS[code](_Draw(base=base, p=p, rng=rng), plan)


def _baseline(rng: random.Random) -> dict[str, float]:
    """A patient's burden before treatment, per scale (drawn in a fixed order: the seed decides)."""
    return {
        "headache": rng.uniform(16, 24), "midas": rng.uniform(35, 80), "pain": rng.uniform(6, 8),
        "hit6": rng.uniform(62, 68), "severity": rng.uniform(18, 26), "disability": rng.uniform(12, 20),
        "pain20": rng.uniform(9, 15), "tsui": rng.uniform(10, 16), "ashworth": rng.choice([3, 4, 4]),
        "jankovic": rng.uniform(3, 4), "bdi": rng.uniform(2, 3), "prism": rng.uniform(18, 35),
        "phq9": rng.uniform(6, 14), "gad7": rng.uniform(5, 11), "vas": rng.uniform(40, 60),
    }


class Command(BaseCommand):
    help = "Give demo plans with signed sessions about a year of outcome scores (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo_outcomes loads fake data; it does not run with DJANGO_DEBUG=false.")
        self._advisory_rule_on()
        plans = TreatmentPlan.objects.select_related("indication", "patient", "responsible_clinician").order_by("pk")
        created = alerts = 0
        for plan in plans:
            if Assessment.objects.filter(plan=plan).exists():
                continue
            injected = sorted(local_date(at) for at in plan.sessions.filter(status=SessionStatus.SIGNED)
                              .values_list("performed_at", flat=True))
            if not injected:
                continue
            rng = random.Random(options["seed"] * 100_003 + plan.pk)
            demo_alert = alerts == 0 and plan.indication.code == "chronic_migraine"
            made, raised = self._plan(plan, injected, rng, alert=demo_alert)
            created, alerts = created + made, alerts + raised
        self.stdout.write(self.style.SUCCESS(f"Demo outcomes ready: {created} new scores, {alerts} PHQ-9 alert(s)."))
        invited, url = self._questionnaires(options["seed"])
        if invited:
            self.stdout.write(self.style.SUCCESS(
                f"{invited} pre-visit questionnaire(s) for upcoming visits (one answered, one partly); open one as "
                f"the patient would: {url}"))

    def _advisory_rule_on(self) -> None:
        """The demo clinic uses the advisory NICE TA260 rule (a fresh install starts with it off),
        turned on as a manager would, through the audited configuration save."""
        rule = ResponseRule.objects.filter(code=DEMO_RESPONSE_RULE, is_active=False).first()
        if rule is not None:
            rule.is_active = True
            configuration_save(actor=None, instance=rule)

    def _questionnaires(self, seed: int) -> tuple[int, str]:
        """Questionnaires for the next three booked visits on a plan, made as their reminder emails
        make them; the first answered in full and the second in part, through the patient's own
        services, so that charts show patient-reported scores and each status. The third is left
        for a demo to open (its link is printed)."""
        visits = (Appointment.objects.filter(plan__isnull=False, status__in=QUESTIONNAIRE_VISIT_STATUSES,
                                             start_at__gt=timezone.now())
                  .select_related("plan__indication", "patient").order_by("start_at")[:3])
        invitations = [i for i in (questionnaire_invitation_for_appointment(appointment=v) for v in visits) if i]
        for n, invitation in enumerate(invitations[:2]):
            if invitation.started_at:
                continue  # answered on an earlier run
            rng = random.Random(seed * 100_019 + invitation.pk)
            base = _baseline(rng)
            for code in invitation.instruments_asked if n == 0 else invitation.instruments_asked[:1]:
                items = _items(code, base, 0.5, rng, invitation.plan)
                questionnaire_draft_save(invitation_id=invitation.pk, instrument=code, answers=items)
                if n == 0:
                    questionnaire_step_submit(invitation_id=invitation.pk, instrument=code)
        return len(invitations), questionnaire_url(invitations[-1].pk) if invitations else ""

    @transaction.atomic
    def _plan(
        self, plan: TreatmentPlan, injected: list[dt.date], rng: random.Random, *, alert: bool
    ) -> tuple[int, int]:
        responder = rng.random() < 0.75
        # Fraction of the baseline burden gone per cycle, up to 3 cycles: a responder ends 45–65 %
        # better (PREEMPT-like), a non-responder under 25 % (below the NICE TA260 30 % line).
        step = rng.uniform(0.15, 0.22) if responder else rng.uniform(0.03, 0.08)
        base = _baseline(rng)
        today = timezone.localdate()

        def progress(day: dt.date) -> float:
            cycles = sum(1 for injection in injected if injection < day)
            return min(cycles, 3) * step

        def write(code: str, day: dt.date, items_for: Callable[[], dict[str, Any]]) -> None:
            assessment_record(actor=plan.responsible_clinician, patient=plan.patient, plan=plan, instrument=code,
                              items=items_for(), taken_on=day)

        start, count = injected[0] - dt.timedelta(days=7), 0
        diary = "headache_days" in plan.indication.outcome_scales
        day = start
        while day <= today:
            p = progress(day)
            if diary:
                write("headache_days", day, lambda p=p: _items("headache_days", base, p, rng, plan))
                count += 1
            if (day - start).days % VISIT_DAYS == 0:
                for code in plan.indication.outcome_scales:
                    if code != "headache_days":
                        write(code, day, lambda code=code, p=p: _items(code, base, p, rng, plan))
                        count += 1
            day += dt.timedelta(days=HEADACHE_DIARY_DAYS)
        raised = 0
        if alert:  # one demo patient answers item 9 above zero, so the worklist has something to show
            items = {**_items("phq9", base, progress(today), rng, plan), "item9": 1}
            write("phq9", today, lambda: items)
            count, raised = count + 1, 1
        return count, raised
