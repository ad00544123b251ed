"""Every page names an SVG icon, and /favicon.ico (asked for by browsers regardless) is that icon."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse


def test_favicon_ico_is_the_svg_without_signing_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content == Path(finders.find("favicon.svg")).read_bytes()


@pytest.mark.django_db
def test_pages_link_the_icon(front_desk_client):
    page = front_desk_client.get(reverse("patients:list")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
