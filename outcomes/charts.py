"""Server-side SVG geometry for a scale's trend: no JavaScript, no chart library, no CDN.

The template draws what this computes (templates/outcomes/_trend_chart.html); every figure drawn
is also in the table beside it, so the chart is never the only way to read a score.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format

from clinic.formats import clinic_date

from .instruments import Instrument

WIDTH, HEIGHT = 640, 220
# Margins for the axis labels; the right one holds half of the last month's label ("Sep 2026"),
# which is centred on its tick at the plot's edge.
LEFT, RIGHT, TOP, BOTTOM = 44, 32, 14, 30
MARKER_LABEL_PX = 80  # about "175 U Botox" at the markers' 10 px font


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str
    patient_reported: bool = False  # drawn hollow: the patient answered it, no clinician rated it


@dataclass(frozen=True)
class Marker:
    x: float
    label: str

    @property
    def label_left(self) -> bool:
        """Near the right edge the label is written leftwards of its line, so it is not cut off."""
        return self.x > WIDTH - RIGHT - MARKER_LABEL_PX


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class TrendSvg:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    polyline: str
    dots: list[Dot]
    injections: list[Marker]
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def _nice_top(value: Decimal, ceiling: Decimal) -> Decimal:
    """The y-axis top: the scale's maximum, or less when every score is far below it (MIDAS's 270)."""
    for step in (Decimal(5), Decimal(10), Decimal(25), Decimal(50), Decimal(100)):
        top = ((value * Decimal("1.2")) / step).to_integral_value(rounding="ROUND_CEILING") * step
        if top <= step * 10:
            return min(max(top, step), ceiling)
    return ceiling


def _months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    month, months = first.replace(day=1), []
    while month <= last:
        if month >= first:
            months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    stride = max(1, len(months) // 6)  # at most ~6 labels so they never overlap
    return months[::stride]


def _y_ticks(instrument: Instrument, bottom: Decimal, top: Decimal) -> list[tuple[Decimal, str]]:
    """A graded scale's axis names each grade at its rank (0, 1, 1+, 2, 3, 4); others get five
    evenly spaced numbers."""
    if instrument.grades:
        return [(Decimal(rank), grade) for rank, grade in enumerate(instrument.grades)]
    values = [bottom + (top - bottom) * n / 4 for n in range(5)]
    return [(value, f"{value.normalize():f}") for value in values]


def trend_svg(
    instrument: Instrument, points: list[tuple[dt.date, Decimal]], injections: list[tuple[dt.date, str]],
    patient_reported: list[bool] | None = None, labels: list[str] | None = None,
) -> TrendSvg:
    """Coordinates for scores (``points``) over time, with injections as vertical markers;
    ``patient_reported`` says, point by point, which the patient reported themselves, and ``labels``
    how each score reads (a graded scale's grades); by default the number plotted."""
    dates = [day for day, _ in points] + [day for day, _ in injections]
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)
    bottom = instrument.minimum_total
    top = _nice_top(max((value for _, value in points), default=bottom + 1) - bottom, instrument.maximum_total - bottom)
    top = instrument.maximum_total if instrument.grades else bottom + max(top, Decimal(1))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return round(LEFT + plot_w * (day - first).days / span, 1)

    def y(value: Decimal) -> float:
        return round(TOP + plot_h * float((top - value) / (top - bottom)), 1)

    by_patient = patient_reported or [False] * len(points)
    texts = labels or [instrument.rank_label(value) for _, value in points]
    dots = [Dot(x(day), y(value), f"{clinic_date(day)}: {_dot_text(instrument, value, text)}"
                f"{' (patient-reported)' if mine else ''}", mine)
            for (day, value), mine, text in zip(points, by_patient, texts, strict=True)]
    y_ticks = [Tick(y(value), label) for value, label in _y_ticks(instrument, bottom, top)]
    return TrendSvg(
        width=WIDTH, height=HEIGHT, plot_left=LEFT, plot_right=WIDTH - RIGHT, plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM, polyline=" ".join(f"{dot.x},{dot.y}" for dot in dots), dots=dots,
        injections=[Marker(x(day), label) for day, label in injections], y_ticks=y_ticks,
        x_ticks=[Tick(x(month), date_format(month, "YEAR_MONTH_FORMAT")) for month in _months_between(first, last)],
    )


def _dot_text(instrument: Instrument, value: Decimal, text: str) -> str:
    """A graded scale's point is placed by its mean rank: the tooltip gives the grades, then the rank
    it is drawn at, labelled as a rank."""
    if not instrument.grades:
        return text
    return f"{text} (drawn at mean rank {value.normalize():f})"
