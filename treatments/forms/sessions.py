"""The session editor's forms: a header, a vials table and a sites table (Django formsets).

The editor is bound to the same POST data whether it is saved, previewed by the live-totals
endpoint, or re-shown with more rows; ``SessionEditor`` holds the three together.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.http import QueryDict

from clinic.bounds import date_within
from clinic.formats import clinic_date
from patients.models import Patient

from ..fields import ObjectChoiceField
from ..inputs import SessionInput, SiteInput, VialInput
from ..models import Guidance, InjectionSession, Muscle, Product, Side, VialLot

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# A session is recorded when it is given (a day's grace for a clock or a zone): never far ahead.
SESSION_DAYS_AHEAD = 1
# Rows added by the "Add rows" buttons when the page runs without its script.
ADD_ROWS = {"sites": 3, "vials": 1}


def _formset_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.template = "treatments/crispy/table_formset.html"
    return helper


class SessionHeaderForm(forms.Form):
    performed_at = forms.DateTimeField(label="Date and time", widget=LOCAL_DATETIME, validators=[
        date_within(days_ahead=SESSION_DAYS_AHEAD, too_late="A session cannot be dated after tomorrow.")])
    product = ObjectChoiceField(label_of=str)
    patient_weight_kg = forms.DecimalField(
        label="Weight (kg)", max_digits=5, decimal_places=1, min_value=Decimal("0.5"), max_value=Decimal("300"),
        required=False, help_text="Pediatric doses are limited per kg.",
    )
    adverse_events = forms.CharField(
        label="Adverse events since the last cycle", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Write 'none' if the patient reports none.",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, products: list[Product], pediatric: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].set_objects(products)
        if not pediatric:
            del self.fields["patient_weight_kg"]
        else:
            self.fields["patient_weight_kg"].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class VialForm(forms.Form):
    lot = ObjectChoiceField(
        label_of=lambda lot: f"{lot.lot_number} · {lot.vial_units} U · exp. {clinic_date(lot.expiry_date)}"
                             f" · {lot.quantity_on_hand} on hand",
        group_of=lambda lot: lot.product.brand_name,
        attrs_of=lambda lot: {"product": lot.product_id, "vial-units": lot.vial_units},
    )
    vials_opened = forms.IntegerField(min_value=1, max_value=50, initial=1, label="Vials")
    diluent_ml = forms.DecimalField(
        label="Diluent per vial (mL)", max_digits=5, decimal_places=2, min_value=Decimal("0.1"),
        max_value=Decimal("20"), required=False,
    )
    reconstituted_at = forms.DateTimeField(
        label="Reconstituted at", widget=LOCAL_DATETIME, required=False,
        help_text="Blank: at the session's time.", validators=[date_within(days_ahead=SESSION_DAYS_AHEAD)],
    )

    def __init__(self, *args: Any, lots: list[VialLot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lot"].set_objects(lots)
        _label_inputs(self)


class SiteForm(forms.Form):
    muscle = ObjectChoiceField(group_of=lambda m: m.get_region_display())
    side = forms.ChoiceField(choices=[("", "—"), *Side.choices])
    # Blank is allowed while drafting from a muscle-list template; the safety check makes a blank
    # dose a hard finding, so such a session cannot be signed.
    units = forms.DecimalField(max_digits=7, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("1000"),
                               required=False, widget=forms.NumberInput(attrs={"step": "0.01"}))
    points = forms.IntegerField(min_value=1, max_value=50, initial=1)
    guidance = forms.ChoiceField(choices=Guidance.choices, initial=Guidance.ANATOMICAL)

    def __init__(self, *args: Any, muscles: list[Muscle], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["muscle"].set_objects(muscles)
        _label_inputs(self)


def _label_inputs(form: forms.Form) -> None:
    """Table cells have no <label>: name each input for screen readers ('Units, row 3')."""
    row = (form.prefix or "").rsplit("-", 1)[-1]
    number = int(row) + 1 if row.isdigit() else None
    for name, field in form.fields.items():
        label = "Remove" if name == "DELETE" else (field.label or name.replace("_", " ").capitalize())
        field.widget.attrs["aria-label"] = f"{label}, row {number}" if number else label


VialFormSet = forms.formset_factory(VialForm, extra=0, can_delete=True, max_num=10, absolute_max=20)
SiteFormSet = forms.formset_factory(SiteForm, extra=0, can_delete=True, max_num=80, absolute_max=120)


def _kept(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The rows that are filled in and not ticked for removal."""
    return [f.cleaned_data for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class SessionEditor:
    """The header form and the two formsets of one session, bound or not."""

    def __init__(self, *, session: InjectionSession, patient: Patient, choices: dict[str, list],
                 data: QueryDict | None = None, extra_rows: dict[str, int] | None = None) -> None:
        self.session = session
        if data is not None and extra_rows:
            data = data.copy()
            for prefix, rows in extra_rows.items():
                total = data.get(f"{prefix}-TOTAL_FORMS") or "0"
                data[f"{prefix}-TOTAL_FORMS"] = str((int(total) if total.isdigit() else 0) + rows)
        self.header = SessionHeaderForm(
            data, prefix="session", products=choices["products"], pediatric=patient.age < 18,
            initial=None if data is not None else _header_initial(session, patient),
        )
        self.vials = VialFormSet(
            data, prefix="vials", form_kwargs={"lots": choices["lots"]},
            initial=None if data is not None else _vial_initial(session),
        )
        if data is None and not self.vials.initial:
            self.vials.extra = 1  # one blank row to pick the lot in; left blank, it is ignored
        self.sites = SiteFormSet(
            data, prefix="sites", form_kwargs={"muscles": choices["muscles"]},
            initial=None if data is not None else _site_initial(session),
        )
        for formset in (self.vials, self.sites):
            formset.helper = _formset_helper()

    def is_valid(self) -> bool:
        results = [self.header.is_valid(), self.vials.is_valid(), self.sites.is_valid()]
        if all(results):
            self._check_lots_match_product()
        return all(results) and not any(f.errors for f in self.vials)

    def session_input(self) -> SessionInput:
        """The valid form as the services take it (call after ``is_valid``)."""
        header = self.header.cleaned_data
        return SessionInput(
            performed_at=header["performed_at"], product=header["product"],
            patient_weight_kg=header.get("patient_weight_kg"), adverse_events=header["adverse_events"],
            notes=header["notes"], sites=[_site_input(row) for row in self.kept_sites()],
            vials=[_vial_input(row, header["performed_at"]) for row in self.kept_vials()],
        )

    def draft_input(self) -> tuple[SessionInput, list[str]]:
        """For the live totals while the form is half-filled: the rows that are valid so far, the
        saved header where the typed one is not valid yet, and a note for each row left out."""
        header = self.header.cleaned_data if self.header.is_valid() else {}
        problems = [f"{self.header.fields[name].label or name}: {' '.join(errors)}"
                    for name, errors in self.header.errors.items() if name in self.header.fields]
        performed_at = header.get("performed_at", self.session.performed_at)
        sites, vials = [], []
        for number, form in enumerate(self.sites.forms, start=1):
            valid = form.is_valid()
            if form.cleaned_data.get("DELETE"):
                continue
            if valid and form.cleaned_data:
                sites.append(_site_input(form.cleaned_data))
            elif form.errors:
                problems.append(f"Site row {number} is not counted until it is complete.")
        for number, form in enumerate(self.vials.forms, start=1):
            valid = form.is_valid()
            if form.cleaned_data.get("DELETE"):
                continue
            if valid and form.cleaned_data:
                vials.append(_vial_input(form.cleaned_data, performed_at))
            elif form.errors:
                problems.append(f"Vial row {number} is not counted until it is complete.")
        weight = header.get("patient_weight_kg", self.session.patient_weight_kg)
        return SessionInput(
            performed_at=performed_at, product=header.get("product", self.session.product), patient_weight_kg=weight,
            sites=sites, vials=vials,
        ), problems

    def _check_lots_match_product(self) -> None:
        product = self.header.cleaned_data["product"]
        seen: set[int] = set()
        for form in self.vials.forms:
            lot = form.cleaned_data.get("lot") if form.cleaned_data else None
            if lot is None or form.cleaned_data.get("DELETE"):
                continue
            if lot.product_id != product.pk:
                form.add_error("lot", f"Lot {lot.lot_number} is {lot.product.brand_name}; this session records "
                                      f"{product.brand_name}. Units are not interchangeable between products.")
            if lot.pk in seen:
                form.add_error("lot", "This lot is already listed: put all its vials on one row.")
            seen.add(lot.pk)

    @property
    def forms(self) -> list[forms.Form]:
        return [self.header, *self.vials.forms, *self.sites.forms]

    def kept_sites(self) -> list[dict[str, Any]]:
        return _kept(self.sites)

    def kept_vials(self) -> list[dict[str, Any]]:
        return _kept(self.vials)


def _site_input(row: dict[str, Any]) -> SiteInput:
    return SiteInput(muscle=row["muscle"], side=row["side"], units=row["units"], points=row["points"],
                     guidance=row["guidance"])


def _vial_input(row: dict[str, Any], performed_at: Any) -> VialInput:
    return VialInput(lot=row["lot"], vials_opened=row["vials_opened"], diluent_ml=row["diluent_ml"],
                     reconstituted_at=row["reconstituted_at"] or performed_at)


def _header_initial(session: InjectionSession, patient: Patient) -> dict[str, Any]:
    return {
        "performed_at": session.performed_at, "product": session.product_id,
        "patient_weight_kg": session.patient_weight_kg or getattr(patient, "weight_kg", None),
        "adverse_events": session.adverse_events, "notes": session.notes,
    }


def _vial_initial(session: InjectionSession) -> list[dict[str, Any]]:
    return [{"lot": v.lot_id, "vials_opened": v.vials_opened, "diluent_ml": v.diluent_ml,
             "reconstituted_at": v.reconstituted_at} for v in session.vials.all()]


def _site_initial(session: InjectionSession) -> list[dict[str, Any]]:
    return [{"muscle": s.muscle_id, "side": s.side, "units": s.units, "points": s.points, "guidance": s.guidance}
            for s in session.sites.all()]


class SignForm(forms.Form):
    """One required reason per warning the clinician proceeds past."""

    def __init__(self, *args: Any, warnings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.warnings = warnings
        for finding in warnings:
            self.fields[f"reason_{finding.code}"] = forms.CharField(
                label=f"Reason for proceeding: {finding.message}", min_length=5,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": "Write why you are proceeding despite this warning."},
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def overrides(self) -> dict[str, str]:
        return {f.code: self.cleaned_data[f"reason_{f.code}"] for f in self.warnings}


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum", widget=forms.Textarea(attrs={"rows": 3}), min_length=3,
        help_text="Corrections and additions are kept alongside the signed record; the original is not changed.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
