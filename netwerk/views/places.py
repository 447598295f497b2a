"""Place pages: 'Mijn plekken' for editors, the update link for teams, and 'Plek zoeken'."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from netwerk.neighbours.outside import postcode_answer
from netwerk.places.availability import place_availability_update
from netwerk.places.finder import shared_criteria
from netwerk.places.places import Place, places_ranked_for
from netwerk.places.update_links import UpdateLink
from netwerk.search.publishing import changes_published
from netwerk.search.usage import QuestionKind, count_question
from netwerk.views.embedding import embeddable
from netwerk.views.place_forms import AvailabilityUpdateForm, PlaceFinderForm

logger = logging.getLogger(__name__)


# --- Updating availability: 'Mijn plekken' and the update link share one form per place. ----------


def place_cards(places, bound_form=None, bound_place_id=None) -> list[tuple[Place, object]]:
    """Each place with its form: the posted one bound (with its errors), the others fresh."""
    cards = []
    for place in places:
        if place.pk == bound_place_id:
            form = bound_form
        else:
            form = AvailabilityUpdateForm(
                prefix=f"plek-{place.pk}",
                capacity=place.capacity,
                initial={
                    "beschikbaarheid": place.availability,
                    # A full place's 0 is not offered again: the next tap may be "beschikbaar".
                    "vrije_plekken": None if place.availability == "full" else place.free_places,
                    "toelichting": place.availability_note,
                    "verwacht_op": place.availability_expected_on,
                },
            )
        cards.append((place, form))
    return cards


def posted_place_id(request) -> int | None:
    try:
        return int(request.POST.get("plek", ""))
    except ValueError:
        return None


def availability_post(request, places, *, by=None, link=None):
    """Handle one place's update; returns (response or None, bound form, place id)."""
    place_id = posted_place_id(request)
    place = places.filter(pk=place_id).first() if place_id is not None else None
    if place is None:
        # Another organisation's place, or no place at all: nothing to update here.
        raise Http404
    form = AvailabilityUpdateForm(request.POST, prefix=f"plek-{place.pk}", capacity=place.capacity)
    if not form.is_valid():
        return None, form, place.pk
    change = place_availability_update(
        place=place,
        availability=form.cleaned_data["beschikbaarheid"],
        free_places=form.cleaned_data["vrije_plekken"],
        note=form.cleaned_data["toelichting"],
        expected_on=form.cleaned_data["verwacht_op"],
        by=by,
        link=link,
    )
    changes_published(organisation_ids=[place.organisation_id])
    messages.success(request, confirmation(place, change))
    return HttpResponseRedirect(f"{request.path}#plek-{place.pk}"), form, place.pk


def confirmation(place, change) -> str:
    text = _("Opgeslagen om %(time)s: %(place)s staat nu op “%(status)s”.") % {
        "time": date_format(timezone.localtime(change.changed_at), "H:i"),
        "place": place,
        "status": change.get_new_availability_display(),
    }
    if change.free_places is not None and change.new_availability != "full":
        text += " " + _("Vrije plekken: %(free)s van %(capacity)s.") % {
            "free": change.free_places,
            "capacity": place.capacity,
        }
    if change.note:
        text += " " + _("Toelichting: %(note)s.") % {"note": change.note}
    if change.expected_on:
        text += " " + _("Verwacht beschikbaar op %(date)s.") % {
            "date": date_format(change.expected_on, "j F Y")
        }
    return text


def editor_places(user):
    return (
        Place.objects.filter(organisation__editors=user)
        .select_related("organisation", "location__organisation")
        .order_by("organisation__name", "setting", "name", "pk")
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_places(request):
    places = editor_places(request.user)
    is_editor = request.user.edited_organisations.exists()
    bound_form = bound_place_id = None
    status = 200 if is_editor else 403
    if request.method == "POST" and is_editor:
        response, bound_form, bound_place_id = availability_post(request, places, by=request.user)
        if response is not None:
            return response
        status = 400
    response = render(
        request,
        "netwerk/my_places.html",
        {"cards": place_cards(places, bound_form, bound_place_id), "is_editor": is_editor},
        status=status,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def link_rate(group, request) -> str:
    return settings.PLACE_UPDATE_LINK_RATE


@ratelimit(key="ip", rate=link_rate, block=False)
@require_http_methods(["GET", "HEAD", "POST"])
def place_link(request, token):
    if getattr(request, "limited", False):
        logger.warning("Update link rate limit reached (%s)", request.method)
        response = render(request, "netwerk/place_link.html", {"limited": True}, status=429)
        patch_cache_control(response, private=True, no_store=True)
        return response
    link = UpdateLink.objects.for_token(token)
    if link is None:
        logger.warning("Unknown or revoked update link used (%s)", request.method)
        raise Http404
    if link.has_expired:
        logger.warning("Expired update link %d used (%s)", link.pk, request.method)
        context = {"organisation": link.organisation, "expired_on": link.expires_at}
        response = render(request, "netwerk/place_link.html", context, status=410)
        patch_cache_control(response, private=True, no_store=True)
        return response
    logger.info("Update link %d used (%s)", link.pk, request.method)
    places = (
        Place.objects.filter(organisation=link.organisation_id)
        .select_related("organisation", "location__organisation")
        .order_by("setting", "name", "pk")
    )
    bound_form = bound_place_id = None
    status = 200
    if request.method == "POST":
        response, bound_form, bound_place_id = availability_post(request, places, link=link)
        if response is not None:
            return response
        status = 400
    response = render(
        request,
        "netwerk/place_link.html",
        {
            "organisation": link.organisation,
            "cards": place_cards(places, bound_form, bound_place_id),
        },
        status=status,
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- 'Plek zoeken'. -------------------------------------------------------------------------------


PLACES_SHOWN = 25


@embeddable
@require_safe
def place_finder(request):
    form = PlaceFinderForm(request.GET or None)
    match_count, shown = 0, []
    criteria = {}
    if form.is_valid():
        criteria = form.cleaned_data
        # Nobody reads past the best few; a large network would otherwise print thousands.
        match_count, shown = places_ranked_for(
            setting=criteria.get("zorgsetting"),
            expertise=criteria.get("expertise"),
            background=criteria["achtergrond"],
            area=criteria.get("postcode"),
            limit=PLACES_SHOWN,
        )
        # One counter write (issue 15); nothing about the patient. The form cleaned the postcode
        # and the expertise to rows that exist, so their codes need no look-up.
        count_question(
            QuestionKind.PLACE_FINDER,
            municipality_code=criteria["postcode"].municipality.code
            if criteria.get("postcode")
            else "",
            tag_slug=criteria["expertise"].slug if criteria.get("expertise") else "",
        )
    shared = shared_criteria([result["match"] for result in shown])
    for result in shown:
        result["reasons"] = [c for c in result["match"].criteria if c not in shared]
    response = render(
        request,
        "netwerk/place_finder.html",
        {
            "form": form,
            "criteria": criteria,
            "matches": shown,
            "shared_reasons": shared,
            "match_count": match_count,
            "searched": form.is_bound and form.is_valid(),
            "map_points": finder_map_points(shown),
            "place_answer": postcode_answer(criteria.get("postcode"), request.user),
        },
    )
    # The answers describe a patient: no shared cache keeps them.
    patch_cache_control(response, private=True, no_store=True)
    return response


def finder_map_points(results) -> list[dict]:
    points = []
    for result in results:
        place, location = result["place"], result["place"].location
        if not location.has_coordinates:
            continue
        points.append(
            {
                "lat": location.latitude,
                "lon": location.longitude,
                "name": f"{place.organisation.name}: {place.name or place.get_setting_display()}",
                "kind": str(place.get_setting_display()),
                "marker": place.setting,
                "url": reverse("netwerk:organisation", kwargs={"slug": place.organisation.slug}),
            }
        )
    return points
