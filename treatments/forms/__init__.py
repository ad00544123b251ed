"""Forms for the treatments pages; import from ``treatments.forms``."""

from .inventory import DateRangeForm, LotReceiveForm
from .plans import PlanForm
from .sessions import AddendumForm, SessionEditor, SignForm

__all__ = ["AddendumForm", "DateRangeForm", "LotReceiveForm", "PlanForm", "SessionEditor", "SignForm"]
