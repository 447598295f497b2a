"""Two-factor sign-in for the admin at /beheer/: a password, then a code from an authenticator app.

Who must: administrators (superusers) and regional coordinators, whenever
settings.TWO_FACTOR_REQUIRED is on (it is in production). Organisation editors and professionals
sign in with their password only.

The flow. The admin login asks for user name and password as before. Then a user who must use
two-factor sign-in and has a confirmed TOTP device (django-otp) is asked for the 6-digit code;
one without a device is sent to the enrolment page, with a QR code and the key to type, and
confirms it with a first code. Until a code is accepted, every admin page sends such a user to
that step; only logging out stays open. Wrong codes are throttled by django-otp on the device
(exponential back-off: OTP_TOTP_THROTTLE_FACTOR seconds, doubled with every further failure), and
a code is accepted only once.

`AdminSite` is installed as `django.contrib.admin.site` by expertisekaart.apps.AdminConfig, so
everything registers into it as before.
"""

import math
import re
from base64 import b32encode
from functools import update_wrapper
from urllib.parse import urlencode

import django_otp
import qrcode
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from netwerk.directory.access import two_factor_pending


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def wait_message(seconds: int) -> str:
    if seconds > 90:
        minutes = math.ceil(seconds / 60)
        wait = ngettext(
            "Probeer het over %(count)d minuut opnieuw.",
            "Probeer het over %(count)d minuten opnieuw.",
            minutes,
        ) % {"count": minutes}
    else:
        wait = ngettext(
            "Probeer het over %(count)d seconde opnieuw.",
            "Probeer het over %(count)d seconden opnieuw.",
            seconds,
        ) % {"count": seconds}
    too_often = gettext("Er is te vaak een verkeerde code ingevuld.")
    return f"{too_often} {wait}"


class CodeForm(forms.Form):
    """One code from the authenticator app, checked against one device (throttled, used once)."""

    code = forms.CharField(
        label=_("Code van 6 cijfers"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, user, device: TOTPDevice, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = device

    def clean_code(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not (re.fullmatch(r"[0-9]+", code) and len(code) == self.device.digits):
            raise ValidationError(
                _("Vul de code van 6 cijfers in die de app nu toont."), code="format"
            )
        allowed, details = self.device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until", timezone.now())
            seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
            raise ValidationError(wait_message(seconds), code="throttled")
        verified = django_otp.verify_token(self.user, self.device.persistent_id, code)
        if verified is None:
            raise ValidationError(
                _(
                    "Deze code klopt niet. Vul de code in die de app nu toont, en controleer "
                    "of de tijd op uw telefoon goed staat."
                ),
                code="wrong",
            )
        self.device = verified
        return code


def qr_code_svg(text: str, label: str) -> str:
    """The QR code as an inline <svg> element: no image request, no inline style (CSP)."""
    image = qrcode.make(text, image_factory=SvgPathImage)
    svg = image.get_image()
    # Sized by the stylesheet instead, from the viewBox.
    del svg.attrib["width"], svg.attrib["height"]
    svg.set("role", "img")
    svg.set("aria-label", label)
    return mark_safe(image.to_string(encoding="unicode"))


def grouped_secret(device: TOTPDevice) -> str:
    """The key in base32, as authenticator apps ask for it, in groups of four for typing."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class AdminSite(admin.AdminSite):
    """The admin site, with the second step of sign-in for the roles that must take it."""

    def has_permission(self, request) -> bool:
        return self._is_active_staff(request) and not two_factor_pending(request.user)

    def _is_active_staff(self, request) -> bool:
        return super().has_permission(request)

    def _owes_code(self, request) -> bool:
        return self._is_active_staff(request) and two_factor_pending(request.user)

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if self._owes_code(request):
                # Signing out is the one admin view open to a user who still owes the code.
                if request.path == reverse("admin:logout", current_app=self.name):
                    return view(request, *args, **kwargs)
                return self._second_step(request, request.get_full_path())
            return checked(request, *args, **kwargs)

        return update_wrapper(never_cache(inner), view)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        # After the password (a redirect), or when opening the login page with it already given.
        if self._owes_code(request) and (request.method == "GET" or response.status_code == 302):
            signed_in = response.status_code == 302
            target = response.url if signed_in else request.GET.get(REDIRECT_FIELD_NAME, "")
            return self._second_step(request, target)
        return response

    def get_urls(self):
        return [
            path(
                "tweestapsverificatie/",
                self._step_view(self.two_factor_code),
                name="two_factor_code",
            ),
            path(
                "tweestapsverificatie/instellen/",
                self._step_view(self.two_factor_enrol),
                name="two_factor_enrol",
            ),
            *super().get_urls(),
        ]

    def _second_step(self, request, next_url: str) -> HttpResponseRedirect:
        name = "two_factor_code" if confirmed_device(request.user) else "two_factor_enrol"
        url = reverse(f"admin:{name}", current_app=self.name)
        if next_url:
            url += "?" + urlencode({REDIRECT_FIELD_NAME: next_url})
        return HttpResponseRedirect(url)

    def _next_url(self, request) -> str:
        target = request.GET.get(REDIRECT_FIELD_NAME, "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return reverse("admin:index", current_app=self.name)

    def _step_view(self, view):
        """Open to active staff signed in with a password who still owe their code."""

        def inner(request):
            if not self._is_active_staff(request):
                login_url = reverse("admin:login", current_app=self.name)
                return redirect_to_login(request.get_full_path(), login_url)
            if not two_factor_pending(request.user):
                return HttpResponseRedirect(self._next_url(request))
            request.current_app = self.name
            return view(request)

        return update_wrapper(csrf_protect(never_cache(inner)), view)

    def _verified(self, request, device: TOTPDevice) -> HttpResponseRedirect:
        django_otp.login(request, device)
        # A new session key for the raised rights, as at every login.
        request.session.cycle_key()
        return HttpResponseRedirect(self._next_url(request))

    def _step_page(self, request, template: str, context: dict) -> TemplateResponse:
        return TemplateResponse(request, template, {**self.each_context(request), **context})

    def two_factor_code(self, request):
        device = confirmed_device(request.user)
        if device is None:
            return self._second_step(request, request.GET.get(REDIRECT_FIELD_NAME, ""))
        form = CodeForm(
            request.user, device, data=request.POST if request.method == "POST" else None
        )
        if form.is_valid():
            return self._verified(request, form.device)
        return self._step_page(
            request,
            "admin/two_factor/code.html",
            {
                "title": _("Code uit uw authenticator-app"),
                "form": form,
                "issuer": settings.OTP_TOTP_ISSUER,
            },
        )

    def two_factor_enrol(self, request):
        user = request.user
        if confirmed_device(user):
            return self._second_step(request, request.GET.get(REDIRECT_FIELD_NAME, ""))
        # The same key on every visit until it is confirmed, so a scanned code stays valid.
        device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name=gettext("Authenticator-app"), confirmed=False
            )
        form = CodeForm(user, device, data=request.POST if request.method == "POST" else None)
        if form.is_valid():
            device = form.device
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
            messages.success(
                request,
                _(
                    "Tweestapsverificatie is ingesteld. Voortaan vraagt het beheer na uw "
                    "wachtwoord om een code uit de app."
                ),
            )
            return self._verified(request, device)
        return self._step_page(
            request,
            "admin/two_factor/enrol.html",
            {
                "title": _("Tweestapsverificatie instellen"),
                "form": form,
                "qr_code": qr_code_svg(
                    device.config_url, gettext("QR-code om in de authenticator-app te scannen")
                ),
                "secret": grouped_secret(device),
            },
        )
