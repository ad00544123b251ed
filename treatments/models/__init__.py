"""Clinical records: reference data (indications, products, protocols, dose rules), inventory,
treatment plans and injection sessions. Split by topic; import from ``treatments.models``."""

from .inventory import VialLot
from .plans import PlanSide, PlanStatus, TreatmentPlan
from .reference import (
    BodyRegion,
    Confidence,
    DiagnosisCode,
    DoseRule,
    DoseRuleKind,
    Indication,
    Muscle,
    Population,
    Product,
    ProductVialSize,
    ProtocolSite,
    ProtocolTemplate,
    RuleSeverity,
)
from .sessions import (
    Guidance,
    InjectionSession,
    InjectionSite,
    SafetyOverride,
    SessionAddendum,
    SessionStatus,
    SessionVial,
    Side,
)

__all__ = [
    "BodyRegion", "Confidence", "DiagnosisCode", "DoseRule", "DoseRuleKind", "Guidance", "Indication",
    "InjectionSession", "InjectionSite", "Muscle", "PlanSide", "PlanStatus", "Population", "Product",
    "ProductVialSize", "ProtocolSite", "ProtocolTemplate", "RuleSeverity", "SafetyOverride",
    "SessionAddendum", "SessionStatus", "SessionVial", "Side", "TreatmentPlan", "VialLot",
]
