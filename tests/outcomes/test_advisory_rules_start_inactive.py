"""A fresh install shows no advisory response rule (a UK appraisal means nothing to a US clinic)
until the clinic turns one on; the demo clinic turns NICE TA260 on, audited."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command

from audit.models import AuditEvent
from audit.services import configuration_save
from outcomes.models import ResponseRule

pytestmark = pytest.mark.django_db
NICE = "nice_ta260_headache_days"
MIGRATION = import_module("outcomes.migrations.0005_advisory_rules_start_inactive")


def test_a_fresh_install_has_the_nice_rule_switched_off():
    rule = ResponseRule.objects.get(code=NICE)  # seeded by the migrations of the test database
    assert rule.is_active is False


def test_a_rule_a_manager_has_edited_is_left_as_they_set_it(manager_user):
    rule = ResponseRule.objects.get(code=NICE)
    rule.is_active = True
    configuration_save(actor=manager_user, instance=rule)
    MIGRATION.deactivate_unedited(apps, None)
    assert ResponseRule.objects.get(code=NICE).is_active is True


def test_an_unedited_rule_is_switched_off():
    ResponseRule.objects.filter(code=NICE).update(is_active=True)  # as 0002 left it, no audit entry
    MIGRATION.deactivate_unedited(apps, None)
    assert ResponseRule.objects.get(code=NICE).is_active is False


def test_the_demo_clinic_turns_the_nice_rule_on(settings):
    settings.DEBUG = True
    call_command("seed_demo_outcomes", seed=1)
    assert ResponseRule.objects.get(code=NICE).is_active is True
    assert AuditEvent.objects.filter(action="outcomes.responserule.updated").count() == 1
