"""Reads of treatment plans, sessions and lots, with the joins that keep query counts flat."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import attrgetter

from django.db.models import DateField, F, Func, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from clinic.clock import clinic_zone, local_date, local_instant

from .dosing import ZERO, format_units, units_label
from .models import (
    InjectionSession,
    InjectionSite,
    Product,
    SafetyOverride,
    SessionAddendum,
    SessionStatus,
    SessionVial,
    TreatmentPlan,
    VialLot,
)


class AddDays(Func):
    """``date + n days`` as a date on both databases. Django's duration arithmetic turns a date
    plus a duration into a timestamp string on SQLite, so this says it in each dialect."""

    arity = 2
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="date(%(expressions)s || ' days')",
                           arg_joiner=", '+' || ", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra_context)


# --- Plans -------------------------------------------------------------------------------------

def plans_with_next_due(queryset: QuerySet[TreatmentPlan] | None = None) -> QuerySet[TreatmentPlan]:
    """Annotate ``last_signed_at``, ``last_signed_on`` (clinic-local date) and ``next_due``:
    the last signed session's clinic date plus ``cycle_weeks``, or ``start_date`` when nothing
    has been signed yet. It is an annotation, so callers may filter on it (``next_due__lte``)."""
    queryset = TreatmentPlan.objects.all() if queryset is None else queryset
    last_signed = (
        InjectionSession.objects.filter(plan=OuterRef("pk"), status=SessionStatus.SIGNED)
        .order_by("-performed_at").values("performed_at")[:1]
    )
    return queryset.annotate(
        last_signed_at=Subquery(last_signed),
        last_signed_on=TruncDate("last_signed_at", tzinfo=clinic_zone()),
    ).annotate(
        next_due=Coalesce(
            AddDays(F("last_signed_on"), F("cycle_weeks") * 7),
            F("start_date"),
            output_field=DateField(),
        ),
    )


def plan_list(*, patient=None) -> QuerySet[TreatmentPlan]:
    """Plans with everything a list shows, and ``next_due``."""
    plans = TreatmentPlan.objects.select_related(
        "patient", "indication", "diagnosis_code", "product", "responsible_clinician", "protocol_template"
    )
    if patient is not None:
        plans = plans.filter(patient=patient)
    return plans_with_next_due(plans)


# --- Sessions ----------------------------------------------------------------------------------

def session_queryset() -> QuerySet[InjectionSession]:
    """Sessions with their sites, vials, overrides and addenda loaded in a fixed number of queries,
    and ``total_units`` annotated (units given; never converted between products)."""
    total = InjectionSite.objects.filter(session=OuterRef("pk")).values("session").annotate(
        total=Sum("units")).values("total")
    return (
        InjectionSession.objects.select_related(
            "plan__indication", "plan__diagnosis_code", "plan__product", "patient", "product", "clinician",
            "signed_by",
        )
        .annotate(total_units=Coalesce(Subquery(total), ZERO))
        .prefetch_related(
            Prefetch("sites", queryset=InjectionSite.objects.select_related("muscle")),
            Prefetch("vials", queryset=SessionVial.objects.select_related("lot__product")),
            Prefetch("overrides", queryset=SafetyOverride.objects.select_related("overridden_by")),
            Prefetch("addenda", queryset=SessionAddendum.objects.select_related("author")),
        )
    )


def session_detail(*, pk: int) -> InjectionSession:
    """One session with everything its page, its safety check and its bill read."""
    return session_queryset().get(pk=pk)


@dataclass(frozen=True)
class TimelineEntry:
    session: InjectionSession
    date: dt.date
    product: Product
    total_units: Decimal
    total_label: str  # "155 U Botox": every dose shown carries its product's name
    sites_summary: str
    signed_by: object | None
    overrides: list
    lots: list[VialLot]


@dataclass(frozen=True)
class PatientChart:
    patient: object
    plans: list[TreatmentPlan]
    timeline: list[TimelineEntry]


def sites_summary(sites) -> str:
    """'Frontalis L 10 U, R 10 U; Procerus 5 U': per muscle, per side, in template order."""
    per_muscle: dict[str, dict[str, Decimal]] = {}
    for site in sites:
        sides = per_muscle.setdefault(site.muscle.name, {})
        sides[site.side] = sides.get(site.side, ZERO) + (site.units or ZERO)
    parts = []
    for muscle, sides in per_muscle.items():
        doses = ", ".join(
            f"{'' if side == 'midline' else side[0].upper() + ' '}{format_units(units)} U"
            for side, units in sides.items()
        )
        parts.append(f"{muscle} {doses}")
    return "; ".join(parts)


def patient_chart(patient) -> PatientChart:
    """Plans with their next due date and the timeline of sessions, newest first. The number of
    queries does not grow with the patient's history (the chart page asserts it)."""
    plans = list(plan_list(patient=patient))
    sessions = session_queryset().filter(patient=patient).order_by("-performed_at")
    timeline = [
        TimelineEntry(
            session=session,
            date=local_date(session.performed_at),
            product=session.product,
            total_units=session.total_units,
            total_label=units_label(session.total_units, session.product),
            sites_summary=sites_summary(session.sites.all()),
            signed_by=session.signed_by,
            overrides=list(session.overrides.all()),
            lots=[vial.lot for vial in session.vials.all()],
        )
        for session in sessions
    ]
    return PatientChart(patient=patient, plans=plans, timeline=timeline)


# --- Doses across plans (used by the safety check) -----------------------------------------------

@dataclass(frozen=True)
class SignedDose:
    session_id: int
    day: dt.date
    product_id: int
    indication_id: int
    units: Decimal


def signed_doses_between(
    *, patient_id: int, first_day: dt.date, last_day: dt.date, exclude_session_id: int | None = None
) -> list[SignedDose]:
    """Every signed session of the patient, across all plans, on clinic days first_day..last_day
    inclusive, with its units given. One query."""
    rows = (
        InjectionSession.objects.filter(
            patient_id=patient_id, status=SessionStatus.SIGNED,
            performed_at__gte=local_instant(first_day, dt.time.min),
            performed_at__lt=local_instant(last_day + dt.timedelta(days=1), dt.time.min),
        )
        .exclude(pk=exclude_session_id)
        .annotate(units=Coalesce(Sum("sites__units"), ZERO))
        .values_list("pk", "performed_at", "product_id", "plan__indication_id", "units")
    )
    return [SignedDose(pk, local_date(at), product, indication, units) for pk, at, product, indication, units in rows]


def last_signed_session_at(*, plan: TreatmentPlan, before: dt.datetime,
                           exclude_session_id: int | None = None) -> dt.datetime | None:
    """When the plan's most recent signed session before ``before`` took place."""
    return (
        InjectionSession.objects.filter(plan=plan, status=SessionStatus.SIGNED, performed_at__lt=before)
        .exclude(pk=exclude_session_id).order_by("-performed_at").values_list("performed_at", flat=True).first()
    )


def plan_earliest_retreatment_date(plan: TreatmentPlan, *, before: dt.datetime | None = None) -> dt.date | None:
    """The first clinic-local date on which a new injection for ``plan`` keeps its minimum
    interval: the clinic date of the last signed session (before ``before``, default now) plus
    ``minimum_interval_weeks``; ``None`` before any session. Booking uses it; the safety check's
    "retreatment_too_soon" warning applies the same rule to a session's own date."""
    last = last_signed_session_at(plan=plan, before=before or timezone.now())
    if last is None:
        return None
    return local_date(last) + dt.timedelta(weeks=plan.minimum_interval_weeks)


# --- Lots --------------------------------------------------------------------------------------

def lots_usable(*, product: Product, on: dt.date | None = None) -> QuerySet[VialLot]:
    """Lots of ``product`` in stock and not expired on ``on`` (a lot is usable on its expiry date)."""
    on = on or timezone.localdate()
    return VialLot.objects.select_related("product").filter(
        product=product, quantity_on_hand__gt=0, expiry_date__gte=on
    ).order_by("expiry_date", "lot_number")


@dataclass(frozen=True)
class LotRecipient:
    patient: object
    session: InjectionSession
    date: dt.date
    vials_opened: int


def lot_recipients(lot: VialLot) -> list[LotRecipient]:
    """Every patient who received vials from ``lot`` (for a manufacturer recall), oldest first.
    Drafts are included: vials recorded on a draft were opened, and may have been injected."""
    return list(lot_recipients_stream(lot))


def lot_recipients_stream(lot: VialLot, *, chunk_size: int = 1000) -> Iterator[LotRecipient]:
    """``lot_recipients`` one chunk at a time, for a download of any length: one query."""
    vials = (
        SessionVial.objects.filter(lot=lot)
        .select_related("session__patient", "session__product")
        .order_by("session__performed_at", "pk")
    )
    for vial in vials.iterator(chunk_size=chunk_size):
        yield LotRecipient(
            patient=vial.session.patient, session=vial.session, date=local_date(vial.session.performed_at),
            vials_opened=vial.vials_opened,
        )


# --- Billing export ----------------------------------------------------------------------------

@dataclass(frozen=True)
class SessionParts:
    """A session with its injection sites (muscle loaded) and vials (lot loaded)."""

    session: InjectionSession
    sites: list[InjectionSite]
    vials: list[SessionVial]


PHONE_FIELDS = ("patient__phone", "patient__emergency_contact_phone")


def billing_sessions(*, since: dt.date, until: dt.date, product: Product | None = None) -> QuerySet[InjectionSession]:
    """Signed sessions performed on clinic days ``since`` to ``until`` inclusive (the
    performed_at index bounds the range), optionally of one product."""
    sessions = InjectionSession.objects.filter(
        status=SessionStatus.SIGNED,
        performed_at__gte=local_instant(since, dt.time.min),
        performed_at__lt=local_instant(until + dt.timedelta(days=1), dt.time.min),
    )
    return sessions.filter(product=product) if product is not None else sessions


def sessions_with_parts(sessions: QuerySet[InjectionSession], *, chunk_size: int = 1000) -> Iterator[SessionParts]:
    """``sessions`` oldest first, each with its sites and vials: three queries read in step, each
    in the same (performed_at, session) order and streamed in chunks, so an export of any length
    costs three queries and holds one chunk at a time (``prefetch_related`` with ``iterator``
    would cost a round of prefetch queries per chunk)."""
    order = ("session__performed_at", "session_id", "pk")
    chosen = sessions.values("pk")
    rows = (
        InjectionSession.objects.filter(pk__in=chosen)
        .select_related("plan__indication", "plan__diagnosis_code", "patient", "product")
        .defer(*PHONE_FIELDS)  # the export shows the MRN only; parsing phone numbers is costly
        .order_by("performed_at", "pk").iterator(chunk_size=chunk_size)
    )
    sites = _by_session(InjectionSite.objects.filter(session__in=chosen).select_related("muscle")
                        .order_by(*order[:2], "order", "pk").iterator(chunk_size=chunk_size))
    vials = _by_session(SessionVial.objects.filter(session__in=chosen).select_related("lot")
                        .order_by(*order).iterator(chunk_size=chunk_size))
    next_sites, next_vials = next(sites, None), next(vials, None)
    for session in rows:
        session_sites: list[InjectionSite] = []
        session_vials: list[SessionVial] = []
        if next_sites is not None and next_sites[0] == session.pk:
            session_sites, next_sites = next_sites[1], next(sites, None)
        if next_vials is not None and next_vials[0] == session.pk:
            session_vials, next_vials = next_vials[1], next(vials, None)
        yield SessionParts(session, session_sites, session_vials)


def _by_session(rows: Iterator) -> Iterator[tuple[int, list]]:
    for session_id, group in groupby(rows, key=attrgetter("session_id")):
        yield session_id, list(group)
