"""Password reset by e-mail, sent through a real (local) SMTP server: the same answer whether or
not the address is a staff member's, a link that works once and expires, and an audit entry."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent

from .conftest import assert_sent_to, password_step

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-velvet-93"


def _ask(address: str):
    return Client().post(reverse("accounts:password_reset"), {"email": address}, follow=True)


def _link(message) -> str:
    text = next(part for part in message.walk() if part.get_content_type() == "text/plain").get_payload(decode=True)
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", text.decode()).group(1)


def _choose(client: Client, link: str):
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"], "the link was refused"
    set_url = form_page.redirect_chain[-1][0]
    return client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_the_answer_is_the_same_whether_or_not_the_address_exists(smtp_inbox, front_desk_user):
    known, unknown = _ask(front_desk_user.email), _ask("nobody@elsewhere.example")
    for response in (known, unknown):
        assert response.redirect_chain[-1][0] == reverse("accounts:password_reset_done")
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", known.content.decode()) == strip.sub("", unknown.content.decode())
    assert [m["To"] for m in smtp_inbox.messages] == [front_desk_user.email]


def test_the_link_sets_a_new_password_once_and_is_audited(smtp_inbox, front_desk_user):
    _ask(front_desk_user.email)
    (message,) = smtp_inbox.messages
    assert message["Subject"] == f"{settings.CLINIC_NAME}: reset your password"
    link = _link(message)
    client = Client()
    assert_sent_to(_choose(client, link), "accounts:password_reset_complete")
    assert password_step(Client(), "frontdesk", NEW_PASSWORD).status_code == 302
    assert password_step(Client(), "frontdesk").status_code == 200  # the old one no longer works
    assert AuditEvent.objects.filter(action="accounts.password.reset", actor=front_desk_user).exists()

    again = Client().get(link, follow=True)
    assert not again.context["validlink"]
    assert "no longer works" in again.content.decode()


def test_the_link_expires(smtp_inbox, front_desk_user):
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as traveller:
        _ask(front_desk_user.email)
        link = _link(smtp_inbox.messages[0])
        traveller.shift(dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1))
        response = Client().get(link, follow=True)
    assert not response.context["validlink"]
    assert password_step(Client(), "frontdesk").status_code == 302  # unchanged
