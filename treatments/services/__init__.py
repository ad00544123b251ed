"""Writes to clinical records. Every function is keyword-only, atomic and audited with the
patient set; views, forms, admin and tasks call these and hold no rules of their own."""

from ..inputs import SessionInput, SiteInput, VialInput
from .exceptions import OverrideReasonRequired, SessionLocked, SigningBlocked
from .lots import lot_receive
from .plans import plan_create, plan_next_due_refresh, plan_set_status, plan_update
from .sessions import session_addendum_add, session_discard, session_save, session_start
from .signing import session_sign

__all__ = [
    "OverrideReasonRequired", "SessionInput", "SessionLocked", "SigningBlocked", "SiteInput", "VialInput",
    "lot_receive", "plan_create", "plan_next_due_refresh", "plan_set_status", "plan_update", "session_addendum_add",
    "session_discard", "session_save", "session_sign", "session_start",
]
