"""Signing in: guessing is throttled per user and address; a second factor for staff."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from operations.middleware import RENEWED

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def attempt(client, password, address="10.0.0.1", username="clerk", **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/", **extra},
        REMOTE_ADDR=address,
    )


def signed_in(client):
    return SESSION_KEY in client.session


def guess_five_times(client, address="10.0.0.1", username="clerk"):
    answers = [attempt(client, "falsch", address, username) for _ in range(5)]
    return answers


def test_the_fifth_wrong_password_locks_that_user_from_that_address(clerk, client):
    *first_four, fifth = guess_five_times(client)

    assert [answer.status_code for answer in first_four] == [200] * 4
    assert fifth.status_code == 429
    assert fifth["Retry-After"] == str(30 * 60)
    page = fifth.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in page
    assert "in 30 Minuten" in page
    assert "css/site.css" in page  # the site's design, base.html


def test_the_right_password_is_refused_from_the_locked_address(clerk, client):
    guess_five_times(client)

    answer = attempt(client, "pw")

    assert answer.status_code == 429
    assert not signed_in(client)


def test_the_same_user_signs_in_from_another_address(clerk, client):
    guess_five_times(client, address="10.0.0.1")
    elsewhere = Client()

    answer = attempt(elsewhere, "pw", address="10.0.0.2")

    assert answer.status_code == 302
    assert answer["Location"] == "/admin/"
    assert signed_in(elsewhere)


def test_another_user_signs_in_from_the_locked_address(clerk, hr_user, client):
    guess_five_times(client, username="clerk")

    answer = attempt(Client(), "pw", username="hr")

    assert answer.status_code == 302


def test_the_lock_ends_after_the_cool_off_time(clerk, client):
    guess_five_times(client)
    assert attempt(client, "pw").status_code == 429
    # Half an hour passes.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - datetime.timedelta(minutes=31)
    )

    assert attempt(client, "pw").status_code == 302


def test_behind_the_proxy_the_forwarded_address_counts(clerk, client, settings):
    settings.RATSREGISTER_CLIENT_IP_HEADER = "X-Real-IP"

    def via_proxy(client, password, client_address):
        return client.post(
            LOGIN,
            {"username": "clerk", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP=client_address,
        )

    for _ in range(5):
        via_proxy(client, "falsch", "203.0.113.7")
    locked = via_proxy(client, "pw", "203.0.113.7")
    other = via_proxy(Client(), "pw", "198.51.100.9")

    assert locked.status_code == 429
    assert other.status_code == 302


# Second factor


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return totp.token()


@pytest.fixture
def clerk_device(clerk):
    return TOTPDevice.objects.create(user=clerk, name="Telefon", confirmed=True)


def test_without_a_device_the_password_is_enough(clerk, client):
    assert attempt(client, "pw").status_code == 302


def test_the_login_page_asks_for_the_one_time_code(client):
    page = client.get(LOGIN).content.decode()

    assert 'name="otp_token"' in page
    assert "Einmalcode" in page


def test_a_user_with_a_device_must_give_its_code(clerk_device, client):
    answer = attempt(client, "pw")

    assert answer.status_code == 200
    assert "Einmalcode aus Ihrer Authenticator-App ein" in answer.content.decode()
    assert not signed_in(client)


def test_a_wrong_code_is_refused(clerk_device, client):
    wrong = str((int(current_code(clerk_device)) + 1) % 10**6).zfill(6)

    answer = attempt(client, "pw", otp_token=wrong)

    assert "Der Einmalcode stimmt nicht" in answer.content.decode()
    assert not signed_in(client)


def test_the_current_code_signs_in_verified(clerk_device, client, settings):
    settings.RATSREGISTER_REQUIRE_2FA = True

    answer = attempt(client, "pw", otp_token=current_code(clerk_device))

    assert answer.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_static_emergency_code_works_once(clerk, client):
    device = StaticDevice.objects.create(user=clerk, name="Notfall", confirmed=True)
    device.token_set.create(token="notfall1")

    assert attempt(client, "pw", otp_token="notfall1").status_code == 302
    assert attempt(Client(), "pw", otp_token="notfall1").status_code == 200


def test_when_required_staff_without_a_device_cannot_sign_in(clerk, client, settings):
    settings.RATSREGISTER_REQUIRE_2FA = True

    answer = attempt(client, "pw")

    assert answer.status_code == 200
    assert "zweiter Faktor vorgeschrieben" in answer.content.decode()
    assert not signed_in(client)


def test_when_required_a_session_without_second_factor_is_turned_away(
    clerk_client, settings
):
    assert clerk_client.get("/admin/").status_code == 200
    settings.RATSREGISTER_REQUIRE_2FA = True

    answer = clerk_client.get("/admin/")

    assert answer.status_code == 302
    assert answer["Location"].startswith(LOGIN)
    assert not signed_in(clerk_client)


def test_when_required_a_session_without_second_factor_ends_on_any_page(
    demo, hr_client, settings
):
    assert hr_client.get("/stellen/").context["is_hr"] is True
    settings.RATSREGISTER_REQUIRE_2FA = True

    answer = hr_client.get("/stellen/")

    assert answer.context["is_hr"] is False
    assert not signed_in(hr_client)


def test_when_required_a_session_with_second_factor_stays(
    demo, clerk_device, hr_user, client, settings
):
    settings.RATSREGISTER_REQUIRE_2FA = True
    attempt(client, "pw", otp_token=current_code(clerk_device))

    assert client.get("/drucksachen/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert signed_in(client)


# Sessions


def test_a_session_ends_after_eight_hours_without_a_request(clerk_client, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.RATSREGISTER_SESSION_RENEWAL == 60

    clerk_client.get("/drucksachen/")

    cookie = clerk_client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 8 * 60 * 60
    expiry = clerk_client.session.get_expiry_date()
    assert expiry - timezone.now() > datetime.timedelta(hours=7, minutes=59)


def stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_requests_within_a_minute_of_the_renewal_write_no_session(clerk_client):
    clerk_client.get("/drucksachen/")
    renewed = stored_expiry(clerk_client)

    for _ in range(3):
        answer = clerk_client.get("/drucksachen/")
        assert settings.SESSION_COOKIE_NAME not in answer.cookies
    assert stored_expiry(clerk_client) == renewed


def test_a_request_a_minute_after_the_renewal_renews_the_session(clerk_client):
    clerk_client.get("/drucksachen/")
    # As if a minute and a second had passed since.
    session = clerk_client.session
    session[RENEWED] -= 61
    session.save()
    earlier = timezone.now() - datetime.timedelta(seconds=61)
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=earlier + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )

    answer = clerk_client.get("/drucksachen/")

    assert answer.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60
    assert stored_expiry(clerk_client) - timezone.now() > datetime.timedelta(
        hours=7, minutes=59, seconds=30
    )
