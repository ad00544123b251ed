"""Every URL the project serves, walked from the resolver: nothing is open by accident.

A new page is covered the moment its pattern is added. A page that must be public is named in
``PUBLIC_URL_NAMES`` below, on purpose and with a reason, or this file fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from accounts.access import RoleRequiredMixin
from accounts.roles import Role
from patients.models import Patient
from scheduling.ical import feed_token
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

# Pages anyone may open without signing in. Later issues add their names here explicitly
# (e.g. the patient-link pages); nothing else may be public.
PUBLIC_URL_NAMES: frozenset[str] = frozenset(
    {
        "login",
        "health",  # load balancers and the run script; says nothing about patients
        "favicon",  # the static icon, for browsers that ask for /favicon.ico
        "admin:login",  # sends the admin's sign-in to the main one (both steps, axes-guarded)
        # Password reset by e-mail (rate-limited; the same answer whether or not the address exists).
        "accounts:password_reset", "accounts:password_reset_done", "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        # Patients' reminder links (signed, expiring, single-use tokens; first name and time only)
        # and Twilio's inbound-SMS webhook (its request signature is checked instead of a login).
        "reminders:confirm", "reminders:cancel", "reminders:opt_out", "reminders:sms_inbound",
        # A patient's pre-visit questionnaire (signed token; works until the visit starts or it is
        # complete; shows a first name and the questions only).
        "questionnaire:answer",
        "scheduling:ical_feed",  # calendar apps cannot sign in: the signed token is the credential
    }
)
# Any signed-in user, whatever their role: leaving must always work, and everyone looks after
# their own password and second factor (django-otp-webauthn's ceremonies included).
ANY_SIGNED_IN_URL_NAMES: frozenset[str] = frozenset({
    "logout", "accounts:second_factor_verify", "accounts:second_factor_enrol", "accounts:recovery_codes",
    "accounts:second_factor_remove", "accounts:security", "accounts:password_change", "accounts:password_change_done",
    "otp_webauthn:credential-registration-begin", "otp_webauthn:credential-registration-complete",
    "otp_webauthn:credential-authentication-begin", "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
})

PHI_LAST_NAME = "Quillfeather"
MISSING_ID = 987_654_321


@dataclass(frozen=True)
class Route:
    name: str | None  # namespaced, e.g. "patients:detail"; None for unnamed admin patterns
    template: str  # the full pattern text, e.g. "patients/<int:pk>/"
    callback: Callable

    @property
    def is_admin(self) -> bool:
        return self.template.startswith("admin/")

    def __str__(self) -> str:
        return self.name or self.template


def _walk(patterns, namespace: str | None = None, prefix: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part) or None
            yield from _walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Route(name, prefix + str(entry.pattern), entry.callback)


ROUTES: list[Route] = list(_walk(get_resolver().url_patterns))

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _value_for(name: str, converter: str | None, patient: Patient, route_name: str | None = None) -> str:
    """A plausible value for a URL parameter; ids point at a real patient."""
    plausible = {
        "channel": "sms",
        "app_label": "patients",
        "url": "no-such-page/",
        "content_type_id": str(ContentType.objects.get_for_model(Patient).pk),
    }
    if name in plausible:
        return plausible[name]
    if name == "token" and route_name == "scheduling:ical_feed":
        return _sample_feed_token()
    if converter == "int" or name in {"pk", "id", "object_id"} or name.endswith("_id"):
        return str(patient.pk)
    return "sample"


def _sample_feed_token() -> str:
    """A valid calendar-feed token: the feed is public, so the walk must reach a real one."""
    return feed_token(UserFactory(role=Role.CLINICIAN))


def concrete_url(route: Route, patient: Patient) -> str:
    """Fill every parameter of the pattern and check the URL resolves back to the same view."""
    path = route.template.replace("^", "").replace("$", "")
    path = _REGEX_PARAM.sub(lambda m: _value_for(m["name"], None, patient, route.name), path)
    path = _ROUTE_PARAM.sub(lambda m: _value_for(m["name"], m["converter"], patient, route.name), path)
    url = "/" + path
    assert resolve(url).func == route.callback, f"{route}: built {url!r}, which resolves elsewhere"
    return url


@pytest.fixture
def patient() -> Patient:
    return PatientFactory(last_name=PHI_LAST_NAME)


def _is_login_redirect(route: Route, response) -> bool:
    # Django's admin sends its own site-level pages to its own sign-in form (login_url).
    login_pages = [reverse("login"), reverse("admin:login")] if route.is_admin else [reverse("login")]
    return response.status_code == 302 and any(response.url.startswith(f"{page}?next=") for page in login_pages)


def test_the_walk_finds_the_registry_and_the_admin():
    names = {route.name for route in ROUTES}
    assert {"home", "patients:list", "patients:detail", "audit:list", "admin:index"} <= names
    assert names >= PUBLIC_URL_NAMES | ANY_SIGNED_IN_URL_NAMES, "an allow-listed name no longer exists"


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_requests_to_every_non_public_url_are_sent_to_login(client, patient, method):
    failures = []
    for route in ROUTES:
        if route.name in PUBLIC_URL_NAMES:
            continue
        url = concrete_url(route, patient)
        response = getattr(client, method)(url)
        if not _is_login_redirect(route, response):
            failures.append(f"{method.upper()} {url} ({route}) -> {response.status_code}")
        elif PHI_LAST_NAME.encode() in response.content:
            failures.append(f"{method.upper()} {url} ({route}) shows a patient's name")
    assert not failures, "\n".join(failures)


def test_public_pages_open_without_signing_in(client, patient):
    for route in ROUTES:
        if route.name in PUBLIC_URL_NAMES:
            response = client.get(concrete_url(route, patient))
            # A made-up token answers the friendly page with 404 (links.py); the webhook is POST only;
            # the admin sign-in is ours (two steps).
            made_up_token = "token" in route.template and route.name not in (
                "scheduling:ical_feed", "accounts:password_reset_confirm")  # Django's reset page: 200
            expected = {"reminders:sms_inbound": 405, "admin:login": 302}.get(route.name, 404 if made_up_token else 200)
            assert response.status_code == expected, route
            assert PHI_LAST_NAME.encode() not in response.content


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_are_served_without_signing_in():
    # A fresh client builds a fresh middleware chain, so whitenoise sees the overridden settings.
    response = Client().get("/static/css/clinic.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


def test_every_staff_view_declares_its_roles():
    unguarded = []
    for route in ROUTES:
        if route.is_admin or route.name in PUBLIC_URL_NAMES | ANY_SIGNED_IN_URL_NAMES:
            continue  # the admin has its own rule: is_staff plus model permissions
        view_class = getattr(route.callback, "view_class", None)
        if view_class is not None:
            guarded = issubclass(view_class, RoleRequiredMixin) and bool(view_class.allowed_roles)
        else:
            guarded = bool(getattr(route.callback, "allowed_roles", ()))
        if not guarded:
            unguarded.append(str(route))
    assert not unguarded, f"staff views without RoleRequiredMixin/role_required: {unguarded}"


def test_a_user_with_no_role_is_refused_every_staff_page(no_role_client, patient):
    failures = []
    for route in ROUTES:
        if route.is_admin or route.name in PUBLIC_URL_NAMES | ANY_SIGNED_IN_URL_NAMES:
            continue
        for url in {concrete_url(route, patient), concrete_url(route, Patient(pk=MISSING_ID))}:
            # A POST-only view answers GET with 405 before it checks roles; one method must be 403.
            statuses = {no_role_client.get(url).status_code, no_role_client.post(url).status_code}
            if 403 not in statuses or not statuses <= {403, 405}:
                failures.append(f"{url} ({route}) -> {sorted(statuses)}")
    assert not failures, "\n".join(failures)
    assert Patient.objects.get(pk=patient.pk).is_archived is False  # and nothing was changed


def test_refusals_do_not_show_patient_information(no_role_client, patient):
    for route in ROUTES:
        if route.is_admin or route.name in PUBLIC_URL_NAMES | ANY_SIGNED_IN_URL_NAMES:
            continue
        response = no_role_client.post(concrete_url(route, patient))
        assert PHI_LAST_NAME.encode() not in response.content, route
