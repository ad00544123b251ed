"""Sign-in security: second factor, passwords, and the managers' staff page."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import enrolment, passwords, sign_in, staff

app_name = "accounts"

urlpatterns = [
    path("two-factor/", sign_in.second_factor_verify, name="second_factor_verify"),
    path("two-factor/enrol/", enrolment.second_factor_enrol, name="second_factor_enrol"),
    path("two-factor/recovery-codes/", enrolment.recovery_codes, name="recovery_codes"),
    path("two-factor/remove/", enrolment.second_factor_remove, name="second_factor_remove"),
    path("security/", enrolment.security, name="security"),
    path("password/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", passwords.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("staff/", staff.StaffListView.as_view(), name="staff"),
    path("staff/<int:pk>/two-factor/reset/", staff.SecondFactorResetView.as_view(), name="second_factor_reset"),
]
