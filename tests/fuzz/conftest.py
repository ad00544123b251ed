"""The fuzz tests' scene: three staff, a location and a lot, with a Twilio key to sign webhook posts."""

from __future__ import annotations

import pytest

from .scene import Scene

TWILIO_TEST_TOKEN = "fuzz-test-token"


@pytest.fixture
def scene(db, settings) -> Scene:
    settings.TWILIO_AUTH_TOKEN = TWILIO_TEST_TOKEN
    return Scene.build()
