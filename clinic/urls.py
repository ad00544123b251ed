from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
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
