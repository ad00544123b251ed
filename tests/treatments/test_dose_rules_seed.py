"""The label-maxima migration seeds its rules once, names the original document behind every rule,
and leaves alone what a manager has since edited."""

import importlib

import pytest
from django.apps import apps

from treatments.models import DoseRule

pytestmark = pytest.mark.django_db
seed_module = importlib.import_module("treatments.migrations.0005_dose_rules_label_maxima")


def test_every_rule_names_an_original_source_not_a_section_of_a_file_outside_the_repository():
    for rule in DoseRule.objects.all():
        assert rule.source and "\u00a7" not in rule.source, rule.code  # no section sign


def test_seeding_again_creates_nothing_and_keeps_a_managers_edits():
    rule = DoseRule.objects.get(code="dysport_adult_1500u_per_day")
    rule.limit_units, rule.is_active = 1400, False
    rule.save()
    edited = DoseRule.objects.get(code="botox_adult_cumulative_400u_84d")
    edited.source = "Our pharmacy committee, 2030"
    edited.save()
    count = DoseRule.objects.count()
    seed_module.seed(apps, None)
    assert DoseRule.objects.count() == count
    rule.refresh_from_db()
    edited.refresh_from_db()
    assert (rule.limit_units, rule.is_active, edited.source) == (1400, False, "Our pharmacy committee, 2030")


def test_no_seeded_source_is_longer_than_the_column():
    limit = DoseRule._meta.get_field("source").max_length
    sources = [row[-1] for row in seed_module.DOSE_RULES] + list(seed_module.SOURCES_0002.values())
    assert max(len(source) for source in sources) <= limit
