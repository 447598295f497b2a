"""The agenda: the list with its filters, an event's page with registration, cancellation
through the link in the e-mail, and the iCalendar feeds."""

from datetime import date

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from netwerk.network.calendar_feed import calendar_for
from netwerk.network.events import Event, EventKind
from netwerk.network.registrations import (
    RegistrationRefused,
    places_left,
    registration_cancel,
    registration_create,
    registration_for_token,
    registration_open,
)
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.fields import choice_error
from netwerk.reference.geography import Region

PAGE_SIZE = 20
PAST_SHOWN = 10


class MonthField(forms.CharField):
    """A month as `2026-11` (what `<input type=month>` sends); cleans to its first day."""

    default_error_messages = {
        "invalid": gettext_lazy("Kies een maand, bijvoorbeeld 2026-11."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            if len(value) > 7:
                raise ValueError
            year, month = (int(part) for part in value.split("-"))
            if not 2000 <= year <= 2100:
                raise ValueError
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class AgendaFilterForm(forms.Form):
    soort = forms.ChoiceField(
        choices=[("", gettext_lazy("Alle soorten")), *EventKind.choices],
        required=False,
        label=gettext_lazy("Soort"),
        error_messages=choice_error(gettext_lazy("soort")),
    )
    expertise = forms.ModelChoiceField(
        ExpertiseTag.objects.all(),
        to_field_name="slug",
        required=False,
        label=gettext_lazy("Expertise"),
        empty_label=gettext_lazy("Alle expertise"),
        error_messages=choice_error(gettext_lazy("expertise")),
    )
    maand = MonthField(
        required=False,
        label=gettext_lazy("Maand"),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )
    regio = forms.ModelChoiceField(
        Region.objects.all(),
        to_field_name="slug",
        required=False,
        label=gettext_lazy("Regio"),
        empty_label=gettext_lazy("Alle regio's"),
        error_messages=choice_error(gettext_lazy("regio")),
    )

    def filter(self, events):
        """The events that match the valid filters (an invalid one is reported, not applied)."""
        data = self.cleaned_data if self.is_bound else {}
        if data.get("soort"):
            events = events.filter(kind=data["soort"])
        if data.get("expertise"):
            events = events.filter(expertise=data["expertise"])
        if data.get("maand"):
            events = events.in_month(data["maand"].year, data["maand"].month)
        if data.get("regio"):
            events = events.in_region(data["regio"])
        return events


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Naam"),
        max_length=200,
        error_messages={
            "required": gettext_lazy("Vul uw naam in."),
            "max_length": gettext_lazy("Gebruik hoogstens %(limit_value)d tekens."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mailadres"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Vul uw e-mailadres in; de bevestiging gaat daarheen."),
            "invalid": gettext_lazy("Vul een geldig e-mailadres in."),
            "max_length": gettext_lazy("Gebruik hoogstens %(limit_value)d tekens."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation_name = forms.CharField(
        label=gettext_lazy("Organisatie (niet verplicht)"),
        max_length=200,
        required=False,
        error_messages={"max_length": gettext_lazy("Gebruik hoogstens %(limit_value)d tekens.")},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    # The honeypot, as on "meld een fout": hidden from people, filled in by robots.
    website = forms.CharField(
        required=False, max_length=200, label=gettext_lazy("Laat dit veld leeg")
    )


def visible_events(request):
    return Event.objects.visible_to(request.user).select_related(
        "organiser", "location__organisation"
    )


@require_safe
def agenda(request):
    form = AgendaFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    now = timezone.now()
    events = form.filter(visible_events(request)).prefetch_related("expertise")
    page = Paginator(events.upcoming(now), PAGE_SIZE).get_page(request.GET.get("pagina"))
    upcoming = list(page.object_list)
    past = list(events.past(now)[:PAST_SHOWN])
    status = 400 if form.errors else 200
    question = request.GET.copy()
    return render(
        request,
        "netwerk/agenda.html",
        {
            "form": form,
            "page": page,
            "events": upcoming,
            "past_events": past,
            "question": question,
            "map_points": event_points(upcoming),
            "feeds": feed_links(),
        },
        status=status,
    )


def event_points(events) -> list[dict]:
    """Markers for the events that have a place on the map."""
    return [
        {
            "lat": point[0],
            "lon": point[1],
            "name": event.title,
            "kind": str(event.get_kind_display()),
            "city": timezone.localtime(event.starts_at).strftime("%d-%m-%Y"),
            "url": event.get_absolute_url(),
        }
        for event in events
        if (point := event.point) is not None
    ]


def site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def registration_rate(group, request) -> str:
    return settings.EVENT_REGISTRATION_RATE


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=registration_rate, method="POST", block=False)
def event_detail(request, slug):
    event = get_object_or_404(visible_events(request).prefetch_related("expertise"), slug=slug)
    status = 200
    form = None
    may_register = registration_open(event)
    if may_register:
        form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        if form is None:
            return render_event(request, event, None, status=409)
        if getattr(request, "limited", False):
            return render_event(request, event, form, status=429, limited=True)
        if form.is_valid():
            if form.cleaned_data["website"]:
                messages.success(request, _("Dank u wel. U krijgt een bevestiging per e-mail."))
                return redirect(event)
            try:
                registration = registration_create(
                    event=event,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    organisation_name=form.cleaned_data["organisation_name"],
                    site_url=site_url(request),
                )
            except RegistrationRefused as refusal:
                form.add_error("email", str(refusal))
            else:
                if registration.is_waiting:
                    text = _(
                        "De bijeenkomst is vol: u staat op de wachtlijst. We mailen u zodra er "
                        "een plaats vrijkomt."
                    )
                else:
                    text = _("U bent aangemeld. U krijgt een bevestiging per e-mail.")
                messages.success(request, text)
                return redirect(event)
        status = 400
    return render_event(request, event, form, status=status)


def render_event(request, event, form, *, status=200, limited=False):
    now = timezone.now()
    return render(
        request,
        "netwerk/event_detail.html",
        {
            "event": event,
            "form": form,
            "limited": limited,
            "is_past": event.is_past(now),
            "places_left": places_left(event) if event.has_builtin_registration else None,
            "map_points": event_points([event]),
            "retention_days": settings.EVENT_REGISTRATION_RETENTION_DAYS,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def cancel(request, token):
    """Cancellation through the link in the e-mail: the page asks to confirm (mail scanners
    open links), the confirmation cancels."""
    registration = registration_for_token(token)
    if registration is None:
        return render(request, "netwerk/registration_cancel.html", {"invalid": True}, status=404)
    event = registration.event
    if request.method == "POST":
        registration_cancel(registration=registration, site_url=site_url(request))
        messages.success(
            request,
            _("U bent afgemeld voor %(title)s.") % {"title": event.title},
        )
        if event.is_published and event.organiser.is_published:
            return redirect(event)
        return redirect("netwerk:agenda")
    return render(
        request,
        "netwerk/registration_cancel.html",
        {"registration": registration, "event": event},
    )


@require_safe
def agenda_feed(request, kind=None):
    """The public agenda as iCalendar, whole or of one kind (`/agenda/scholing.ics`)."""
    events = Event.objects.for_feed()
    name = settings.NETWORK_SHORT_NAME + " – " + _("agenda")
    if kind is not None:
        if kind not in EventKind.values:
            raise Http404
        events = events.filter(kind=kind)
        name += f" ({EventKind(kind).label})"
    response = HttpResponse(
        calendar_for(events, name=name, site_url=site_url(request)),
        content_type="text/calendar; charset=utf-8",
    )
    filename = f"agenda-{kind}.ics" if kind else "agenda.ics"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def event_feed(request, slug):
    """One event as iCalendar ("zet in mijn agenda"), with the same UID as in the feed."""
    event = get_object_or_404(visible_events(request), slug=slug)
    response = HttpResponse(
        calendar_for([event], name=event.title, site_url=site_url(request)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def feed_links() -> list[tuple[str, str]]:
    return [
        (str(label), reverse("netwerk:agenda_feed_kind", args=[kind]))
        for kind, label in EventKind.choices
    ]
