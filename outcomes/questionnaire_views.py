"""The patient's pre-visit questionnaire, opened from the link in their appointment reminder: no
login, nothing shown beyond a first name. GET only shows, because mail scanners and link previews
open links by themselves; POST saves a step's answers (Save and finish later) or submits it
(Next). The answers are saved before a step is checked, so an invalid one loses nothing."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from clinic.forms import add_service_errors

from .instruments import INSTRUMENTS
from .links import QuestionnaireLinkInvalid
from .questionnaire_forms import QuestionnaireStepForm
from .selectors import QuestionnairePage, questionnaire_from_token, questionnaire_open, questionnaire_page
from .services import StepOutcome, questionnaire_draft_save, questionnaire_step_submit

logger = logging.getLogger(__name__)


def _page(request: HttpRequest, page: QuestionnairePage, form: QuestionnaireStepForm | None = None) -> HttpResponse:
    if page.current is None:  # every step recorded: only a race with the last one gets here
        return _done(request, page)
    form = form or QuestionnaireStepForm(instrument=page.current, initial=page.draft, last=page.number == page.total)
    done = sum(step.done for step in page.steps)
    response = render(request, "outcomes/questionnaire/step.html", {"page": page, "form": form, "done": done})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _done(request: HttpRequest, page: QuestionnairePage) -> HttpResponse:
    return render(request, "outcomes/questionnaire/done.html", {"first_name": page.first_name})


def _invalid(request: HttpRequest, error: QuestionnaireLinkInvalid) -> HttpResponse:
    logger.info("outcomes: refused a questionnaire link: %s", error)
    # A page for a person, with a status for a program: 404 never ours, 410 no longer open.
    return render(request, "outcomes/questionnaire/invalid.html", status=410 if error.gone else 404)


def _after(request: HttpRequest, token: str, outcome: StepOutcome, invitation) -> HttpResponse:
    if outcome.completed:
        return _done(request, questionnaire_page(invitation))
    return redirect("questionnaire:answer", token=token)  # the next step, by GET: a reload re-posts nothing


def _post(request: HttpRequest, token: str) -> HttpResponse:
    invitation = questionnaire_from_token(token)
    code = request.POST.get("step", "")
    if code not in invitation.instruments_asked:
        return redirect("questionnaire:answer", token=token)
    submit = "save" not in request.POST
    page = questionnaire_page(invitation)
    form = QuestionnaireStepForm(request.POST, instrument=INSTRUMENTS[code], submit=submit,
                                 last=page.number == page.total)
    form.is_valid()
    repeated = questionnaire_draft_save(invitation_id=invitation.pk, instrument=code, answers=form.answers())
    if repeated is not None:  # this step was submitted already (double click, another tab)
        return _after(request, token, repeated, invitation)
    if form.errors:
        return _page(request, page, form)
    if not submit:
        messages.success(request, "Your answers are saved. Use the same link to finish before your visit.")
        return redirect("questionnaire:answer", token=token)
    try:
        outcome = questionnaire_step_submit(invitation_id=invitation.pk, instrument=code)
    except ValidationError as error:
        add_service_errors(form, error)
        return _page(request, page, form)
    return _after(request, token, outcome, invitation)


@login_not_required
@never_cache  # a shared phone's back button must not show someone's answers from the cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            return _post(request, token)
        return _page(request, questionnaire_page(questionnaire_open(token)))
    except QuestionnaireLinkInvalid as error:
        return _invalid(request, error)
