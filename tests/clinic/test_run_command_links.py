"""The run command is development mode and points patients' links at the port it serves:
`PORT=8101 make run` sends links to :8101 (scripts/run.sh takes its environment from
scripts/dev_env.sh, which this runs as run.sh does before starting anything)."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

_SHOW = ("import django; django.setup(); from django.conf import settings; "
         "from reminders.links import LinkPurpose, link_url; "
         "print(settings.DEBUG, link_url(LinkPurpose.CONFIRM, 'a' * 13))")


def _dev_run(**environ: str) -> str:
    base = {name: value for name, value in os.environ.items()
            if name not in {"DJANGO_DEBUG", "REMINDERS_PUBLIC_BASE_URL", "PORT", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        ["bash", "-c", f'source scripts/dev_env.sh && exec "{sys.executable}" -c "{_SHOW}"'],  # noqa: S607
        cwd=settings.BASE_DIR, env={**base, "DJANGO_SETTINGS_MODULE": "clinic.settings", **environ},
        capture_output=True, text=True, timeout=60, check=True,
    )
    return result.stdout.strip()


def test_links_point_at_the_port_the_run_command_serves():
    assert _dev_run(PORT="8101") == "True http://127.0.0.1:8101/p/c/aaaaaaaaaaaaa/"


def test_the_default_port_is_8000_and_an_explicit_base_url_wins():
    assert _dev_run() == "True http://127.0.0.1:8000/p/c/aaaaaaaaaaaaa/"
    assert _dev_run(PORT="8101", REMINDERS_PUBLIC_BASE_URL="https://tunnel.example") == (
        "True https://tunnel.example/p/c/aaaaaaaaaaaaa/")


def test_run_sh_takes_its_environment_from_dev_env_before_starting_anything():
    script = (settings.BASE_DIR / "scripts" / "run.sh").read_text()
    assert script.index("source scripts/dev_env.sh") < script.index("python manage.py migrate")
