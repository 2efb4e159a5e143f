"""Signing in: throttled per user and address, with an optional second factor."""

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user


def client_ip_address(request):
    """The address a login attempt came from, as the proxy in front saw it.

    Behind nginx every request comes from the proxy's address, so the lockout of
    one user and address would lock that user out for everyone: the proxy passes
    the client's address in a header (RATSREGISTER_CLIENT_IP_HEADER), which is
    trusted only when configured, because a client reaching gunicorn directly
    could set it to anything.
    """
    header = settings.RATSREGISTER_CLIENT_IP_HEADER
    if header:
        key = "HTTP_" + header.upper().replace("-", "_")
        forwarded = request.META.get(key, "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a locked-out user and address before the password is checked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        # Without a request (the test client's login(), a shell) there is no
        # address to count attempts for, and no one guessing over the network.
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """429 in the site's design, saying for how long the sign-in is blocked."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


class AdminLoginForm(AdminAuthenticationForm):
    """Username and password, and the one-time code when the user has a device."""

    otp_token = forms.CharField(
        label=_("Einmalcode"),
        required=False,
        max_length=16,
        help_text=_(
            "Nur wenn für Ihr Konto ein zweiter Faktor eingerichtet ist: "
            "der sechsstellige Code aus Ihrer Authenticator-App."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "token_required": _(
            "Für Ihr Konto ist ein zweiter Faktor eingerichtet: bitte geben Sie "
            "den Einmalcode aus Ihrer Authenticator-App ein."
        ),
        "invalid_token": _(
            "Der Einmalcode stimmt nicht oder ist abgelaufen. Nach mehreren "
            "falschen Codes warten Sie bitte einen Moment."
        ),
        "device_required": _(
            "Für die Verwaltung ist ein zweiter Faktor vorgeschrieben, für Ihr "
            "Konto ist aber keiner eingerichtet. Bitte wenden Sie sich an die "
            "Administration."
        ),
    }

    def clean(self):
        cleaned_data = super().clean()
        self.clean_second_factor(self.get_user())
        return cleaned_data

    def clean_second_factor(self, user):
        if user is None:
            return
        token = self.cleaned_data.get("otp_token", "").replace(" ", "")
        # Locks the devices, so that one code cannot be used twice at once.
        with transaction.atomic():
            devices = list(devices_for_user(user, for_verify=True))
            if not devices:
                if settings.RATSREGISTER_REQUIRE_2FA:
                    raise self._error("device_required")
                return
            if not token:
                raise self._error("token_required")
            for device in devices:
                allowed, _details = device.verify_is_allowed()
                if allowed and device.verify_token(token):
                    # django-otp keeps this device in the session on login.
                    user.otp_device = device
                    return
        raise self._error("invalid_token")

    def _error(self, code):
        return forms.ValidationError(self.error_messages[code], code=code)
