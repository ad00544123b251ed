"""Personas and clients for every test: front desk, clinician, manager, and a user with no role."""

from __future__ import annotations

import uuid
from importlib import import_module

import pytest
from django.test import Client

from accounts.roles import Role
from treatments.models import Indication

from .factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_cache_keys(settings) -> None:
    """Each test counts rate limits from zero in the cache the settings give (Redis when CACHE_URL
    names it): a key prefix of its own, because clearing would empty a Redis database that other
    test runs share. Changing CACHES makes Django open the caches anew."""
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"} for alias, config in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request) -> None:
    """Put back the reference data that migrations seed (products, indications, muscles, dose and response rules)
    for tests on a transactional database: each such test ends by emptying every table, so the
    next one would find none of what a deployed site has. Role groups come back by themselves
    (the flush re-runs post_migrate, which syncs them). The seed is idempotent."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    if not Indication.objects.exists():
        import_module("treatments.migrations.0002_reference_data").seed(apps, None)
        import_module("treatments.migrations.0005_dose_rules_label_maxima").seed(apps, None)
        import_module("outcomes.migrations.0002_response_rules").seed(apps, None)  # NICE TA260, advisory
        import_module("outcomes.migrations.0005_advisory_rules_start_inactive").deactivate_unedited(apps, None)


@pytest.fixture
def front_desk_user(db):
    return UserFactory(username="frontdesk", role=Role.FRONT_DESK)


@pytest.fixture
def clinician_user(db):
    return UserFactory(username="clinician", role=Role.CLINICIAN)


@pytest.fixture
def manager_user(db):
    return UserFactory(username="manager", role=Role.MANAGER)


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="nobody")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def front_desk_client(front_desk_user) -> Client:
    return _client_for(front_desk_user)


@pytest.fixture
def clinician_client(clinician_user) -> Client:
    return _client_for(clinician_user)


@pytest.fixture
def manager_client(manager_user) -> Client:
    return _client_for(manager_user)


@pytest.fixture
def no_role_client(no_role_user) -> Client:
    return _client_for(no_role_user)


# Real-broker Celery fixtures (celery_app, celery_worker) for every app's tests.
pytest_plugins = ("tests.celery.fixtures",)
