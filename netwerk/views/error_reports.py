"""'Meld een fout': a visitor tells the coordinators what is wrong on an organisation's page.

No third-party service guards it: a honeypot field that people do not see, a rate limit per
address, and limits on the size of what is sent.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from netwerk.coordination.error_reports import error_report_submit
from netwerk.directory.organisations import Organisation
from netwerk.views.embedding import embeddable


class ErrorReportForm(forms.Form):
    message = forms.CharField(
        label=_("Wat klopt er niet?"),
        max_length=settings.ERROR_REPORT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Beschrijf wat er niet klopt."),
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens (nu %(show_value)d)."),
        },
    )
    email = forms.EmailField(
        label=_("Uw e-mailadres (niet verplicht)"),
        required=False,
        max_length=254,
        help_text=_("Alleen om u iets te vragen over uw melding; we bewaren het bij de melding."),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, of laat het leeg.")},
    )
    # The honeypot: hidden from people (and from assistive technology); robots fill it in.
    website = forms.CharField(required=False, max_length=200, label=_("Laat dit veld leeg"))


def report_rate(group, request) -> str:
    return settings.ERROR_REPORT_RATE


@embeddable
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=report_rate, method="POST", block=False)
def error_report(request, slug):
    organisation = get_object_or_404(Organisation.objects.published(), slug=slug)
    status = 200
    if request.method == "POST":
        form = ErrorReportForm(request.POST)
        if getattr(request, "limited", False):
            return render(
                request,
                "netwerk/error_report.html",
                {"organisation": organisation, "form": form, "limited": True},
                status=429,
            )
        if form.is_valid():
            if not form.cleaned_data["website"]:
                error_report_submit(
                    organisation=organisation,
                    message=form.cleaned_data["message"],
                    email=form.cleaned_data["email"],
                    site_url=request.build_absolute_uri("/").rstrip("/"),
                )
            # A robot that filled the honeypot hears the same answer as a person.
            messages.success(
                request,
                _("Dank u wel. Uw melding is doorgestuurd naar de coördinatoren van het netwerk."),
            )
            return redirect(organisation)
        status = 400
    else:
        form = ErrorReportForm()
    return render(
        request,
        "netwerk/error_report.html",
        {"organisation": organisation, "form": form},
        status=status,
    )
