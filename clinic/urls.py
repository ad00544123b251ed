from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.middleware import second_factor_exempt
from accounts.views.sign_in import sign_in

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    # Sign-in: password, then the second factor (accounts/urls.py); sign-out is allowed before it.
    path("accounts/login/", sign_in, name="login"),
    path("accounts/logout/", second_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("accounts/passkeys/", include("accounts.passkey_urls")),
    path("patients/", include("patients.urls")),
    path("treatments/", include("treatments.urls")),
    path("schedule/", include("scheduling.urls")),
    path("audit/", include("audit.urls")),
    path("reminders/", include("reminders.staff_urls")),  # the staff outbox
    path("outcomes/", include("outcomes.urls")),
    path("p/q/", include("outcomes.questionnaire_urls")),  # patients' pre-visit questionnaires: public, signed
    path("p/", include("reminders.urls")),  # patients' links and the SMS webhook: public, short for SMS
    # The admin signs in through the same two steps, not its own password-only form.
    path("admin/login/", login_not_required(RedirectView.as_view(pattern_name="login", query_string=True))),
    path("admin/", admin.site.urls),
]
