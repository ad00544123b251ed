"""Public pages for patients' links and Twilio's inbound-SMS webhook: no login, no PHI beyond a
first name and an appointment time. GET only shows; the action needs a POST, because mail
scanners and link previews open links by themselves and must not cancel anyone's visit."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from twilio.request_validator import RequestValidator

from .links import LinkInvalid, LinkPurpose, LinkUsed
from .patient_actions import link_act, link_view, sms_reply_handle

logger = logging.getLogger(__name__)

TITLES = {
    LinkPurpose.CONFIRM: "Confirm your appointment",
    LinkPurpose.CANCEL: "Cancel your appointment",
    LinkPurpose.OPT_OUT: "Stop reminders",
}


def _invalid(request: HttpRequest, purpose: LinkPurpose, error: LinkInvalid) -> HttpResponse:
    """The friendly page, with a status a program can read: 404 for a link that never was ours
    (tampered, unknown, another purpose's), 410 for one that was and is no more (expired, used,
    its appointment moved or past). A used confirm link says the visit is confirmed."""
    logger.info("reminders: refused a %s link: %s", purpose, error)
    already_confirmed = isinstance(error, LinkUsed) and purpose == LinkPurpose.CONFIRM
    return render(request, "reminders/link_invalid.html", {"already_confirmed": already_confirmed},
                  status=410 if error.gone else 404)


def _link_page(request: HttpRequest, token: str, purpose: LinkPurpose) -> HttpResponse:
    try:
        if request.method == "POST":
            result = link_act(purpose, token)
            return render(request, "reminders/link_done.html", {
                "outcome": result.outcome, "questionnaire_url": result.questionnaire_url, "purpose": purpose})
        view = link_view(purpose, token)
    except LinkInvalid as error:
        return _invalid(request, purpose, error)
    return render(request, "reminders/link_action.html", {"view": view, "purpose": purpose, "title": TITLES[purpose]})


@login_not_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _link_page(request, token, LinkPurpose.CONFIRM)


@login_not_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    return _link_page(request, token, LinkPurpose.CANCEL)


@login_not_required
@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    return _link_page(request, token, LinkPurpose.OPT_OUT)


@login_not_required
@csrf_exempt  # Twilio cannot send our CSRF token; its request signature is checked instead
@require_POST
def sms_inbound(request: HttpRequest) -> HttpResponse:
    """Twilio's webhook for replies. The signature covers our public URL and the form fields.

    Without an auth token every request is refused: Twilio's validator would accept a signature
    made with the same empty key, so anyone could opt a patient out or confirm their visit."""
    if not getattr(settings, "TWILIO_AUTH_TOKEN", "").strip():
        logger.warning("reminders: refused an inbound SMS: TWILIO_AUTH_TOKEN is not set, so no signature is trusted")
        return HttpResponseForbidden("inbound SMS is not configured")
    url = settings.REMINDERS_PUBLIC_BASE_URL.rstrip("/") + request.get_full_path()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST.dict(), signature):
        logger.warning("reminders: refused an inbound SMS: its X-Twilio-Signature does not match")
        return HttpResponseForbidden("bad signature")
    sms_reply_handle(from_number=request.POST.get("From", ""), body=request.POST.get("Body", ""))
    # An empty TwiML answer: any reply goes through our outbox (recorded, at most one).
    return HttpResponse('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', content_type="text/xml")
