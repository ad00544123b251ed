"""The treatment plan form: an indication narrows the diagnosis codes and protocol templates."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model

from accounts.roles import Role
from clinic.bounds import PLANNING_HORIZON_DAYS, date_within

from ..fields import ObjectChoiceField
from ..models import DiagnosisCode, Indication, PlanSide, Product, ProtocolTemplate, TreatmentPlan

PLAN_FIELDS = (
    "indication", "diagnosis_code", "side", "product", "responsible_clinician", "cycle_weeks",
    "minimum_interval_weeks", "protocol_template", "start_date", "notes",
)


def _clinicians():
    return (get_user_model().objects.filter(groups__name__in=[Role.CLINICIAN.value, Role.MANAGER.value],
                                            is_active=True).distinct().order_by("display_name", "username"))


class PlanForm(forms.Form):
    """Creates or edits a plan. Cycle and minimum interval default from the indication when left
    blank (the page's script also fills them as soon as the indication is picked)."""

    indication = ObjectChoiceField(
        attrs_of=lambda i: {"cycle-weeks": i.default_cycle_weeks, "minimum-interval": i.minimum_interval_weeks},
    )
    diagnosis_code = ObjectChoiceField(
        label="ICD-10-CM code", label_of=lambda c: f"{c.code} · {c.description}",
        group_of=lambda c: c.indication.name, attrs_of=lambda c: {"indication": c.indication_id},
        help_text="Only the codes listed for the indication are accepted.",
    )
    side = forms.ChoiceField(choices=PlanSide.choices, required=False)
    product = ObjectChoiceField(label_of=str)
    responsible_clinician = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    cycle_weeks = forms.IntegerField(
        min_value=1, max_value=104, required=False, label="Cycle (weeks)",
        help_text="Blank: the indication's default.",
    )
    minimum_interval_weeks = forms.IntegerField(
        min_value=1, max_value=104, required=False, label="Minimum interval (weeks)",
        help_text="Re-treating sooner raises a warning. Blank: the indication's default.",
    )
    protocol_template = ObjectChoiceField(
        required=False, group_of=lambda t: t.indication.name, attrs_of=lambda t: {"indication": t.indication_id},
        empty_label="The indication's default template",
        help_text="Pre-fills each session's sites; the clinician edits them per session.",
    )
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 validators=[date_within(days_ahead=PLANNING_HORIZON_DAYS)])
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, plan: TreatmentPlan | None = None, **kwargs: Any) -> None:
        if plan is not None:
            kwargs.setdefault("initial", {name: getattr(plan, name) for name in PLAN_FIELDS})
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["protocol_template"].empty_label = "No template: enter sites by hand"
        self.fields["indication"].set_objects(Indication.objects.filter(is_active=True))
        self.fields["diagnosis_code"].set_objects(
            DiagnosisCode.objects.filter(indication__is_active=True).select_related("indication")
            .order_by("indication__sort_order", "indication__name", "code")
        )
        self.fields["product"].set_objects(Product.objects.filter(is_active=True))
        self.fields["protocol_template"].set_objects(
            ProtocolTemplate.objects.filter(is_active=True).select_related("indication")
            .order_by("indication__sort_order", "indication__name", "name")
        )
        self.fields["responsible_clinician"].queryset = _clinicians()
        self.helper = FormHelper()
        self.helper.attrs = {"data-plan-form": ""}
        self.helper.layout = Layout(
            Fieldset("Diagnosis", Row(Column("indication"), Column("diagnosis_code")), Row(Column("side"), Column())),
            Fieldset("Treatment", Row(Column("product"), Column("protocol_template")),
                     Row(Column("responsible_clinician"), Column("start_date")),
                     Row(Column("cycle_weeks"), Column("minimum_interval_weeks"))),
            "notes",
            Submit("save", "Save plan"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        indication: Indication | None = cleaned.get("indication")
        if indication is None:
            return cleaned
        code = cleaned.get("diagnosis_code")
        if code is not None and code.indication_id != indication.pk:
            self.add_error("diagnosis_code", f"{code.code} is not a code for {indication.name}; pick one of its codes.")
        template = cleaned.get("protocol_template")
        if template is not None and template.indication_id != indication.pk:
            self.add_error("protocol_template", f"“{template.name}” is a template for another indication.")
        if cleaned.get("cycle_weeks") is None:
            cleaned["cycle_weeks"] = indication.default_cycle_weeks
        if cleaned.get("minimum_interval_weeks") is None:
            cleaned["minimum_interval_weeks"] = indication.minimum_interval_weeks
        cleaned["side"] = cleaned.get("side") or PlanSide.NOT_APPLICABLE
        if cleaned.get("protocol_template") is None and self.initial.get("protocol_template") is None:
            # Left blank on a new plan: the service picks the indication's template for the product.
            cleaned.pop("protocol_template", None)
        return cleaned
