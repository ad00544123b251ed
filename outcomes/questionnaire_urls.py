"""The patient's questionnaire link: public (the signed token is the credential), short path."""

from django.urls import path

from accounts.limits import questionnaire_limit

from . import questionnaire_views

app_name = "questionnaire"

urlpatterns = [
    path("<str:token>/", questionnaire_limit(questionnaire_views.answer), name="answer"),
]
