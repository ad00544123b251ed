"""Every response carries the security headers: CSP in development too, HSTS in production."""

from __future__ import annotations

import json
import subprocess
import sys

from django.conf import settings
from django.test import Client
from django.urls import reverse

from .production import production_environ

# Run in a fresh interpreter because production settings are decided at import. An anonymous
# request for a staff page is redirected by the middleware before any template or database is
# touched, so this needs neither collected static files nor a migrated database.
_PRODUCTION_REQUEST = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/patients/", secure=SECURE, HTTP_HOST="clinic.example")
print(json.dumps({"status": response.status_code, "headers": dict(response.headers)}))
"""


def _production_response(*, secure: bool = True) -> dict:
    result = subprocess.run(  # noqa: S603 - our own fixed script
        [sys.executable, "-c", f"SECURE = {secure}\n{_PRODUCTION_REQUEST}"], cwd=settings.BASE_DIR,
        env=production_environ(),
        capture_output=True, text=True, timeout=60, check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_responses_carry_csp_hsts_nosniff_and_referrer_policy():
    response = _production_response()
    headers = {name.lower(): value for name, value in response["headers"].items()}
    assert response["status"] == 302
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["strict-transport-security"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"


def test_production_redirects_plain_http_to_https():
    response = _production_response(secure=False)
    assert response["status"] == 301
    assert response["headers"]["Location"] == "https://clinic.example/patients/"


def test_development_pages_carry_csp_and_the_other_security_headers(db):
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
