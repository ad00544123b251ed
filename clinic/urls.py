from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.middleware import second_factor_exempt
from accounts.views.sign_in import admin_sign_in, sign_in

from . import views

# The admin signs in through the same two steps, not its own password-only form.
admin.site.login = admin_sign_in

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
    path("admin/", admin.site.urls),
    path("favicon.ico", views.favicon, name="favicon"),  # browsers ask for it whatever <link rel=icon> says
]
