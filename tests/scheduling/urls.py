"""The project's URLs plus the schedule's, until clinic/urls.py includes ``scheduling.urls``
(a one-line change outside this app); then delete this file and the ``urls`` marks."""

from django.urls import include, path

from clinic.urls import urlpatterns as clinic_urlpatterns

urlpatterns = [*clinic_urlpatterns, path("schedule/", include("scheduling.urls"))]
