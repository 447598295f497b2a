from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from netwerk.consultation.who_to_call import (
    MAX_CACHE_SECONDS,
    TOPICS,
    answer_of,
    ids_of_lines_serving,
    lines_to_call,
    lines_to_consider,
    seconds_until_next_change,
)
from netwerk.neighbours.outside import numbers_for, postcode_answer
from netwerk.search.usage import QuestionKind, count_question
from netwerk.views.embedding import embeddable
from netwerk.views.forms import WhoToCallForm


@embeddable
@require_safe
def who_to_call(request):
    form = WhoToCallForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    moment = criteria.get("tijdstip") or timezone.now()
    area = criteria.get("postcode") or criteria.get("gemeente") or criteria.get("regio")
    serving = ids_of_lines_serving(area)
    entries, hidden = lines_to_call(
        lines_to_consider(serving),
        serving=serving,
        expertise_id=criteria["expertise"].pk if criteria.get("expertise") else None,
        moment=moment,
        show_professional=request.user.is_authenticated,
        topic=criteria.get("onderwerp") or None,
    )
    place_answer = postcode_answer(criteria.get("postcode"), request.user)
    if place_answer and place_answer.outside:
        always_numbers = place_answer.outside.numbers
    else:
        municipality = criteria.get("gemeente") or (
            criteria["postcode"].municipality if criteria.get("postcode") else None
        )
        always_numbers = numbers_for(request.user, municipality)
    if not form.is_bound or form.is_valid():  # one counter write (issue 15)
        # The form cleaned these to rows that exist, so their codes need no look-up.
        postcode = criteria.get("postcode")
        named = postcode.municipality if postcode else criteria.get("gemeente")
        count_question(
            QuestionKind.WHO_TO_CALL,
            municipality_code=named.code if named else "",
            tag_slug=criteria["expertise"].slug if criteria.get("expertise") else "",
        )
    response = render(
        request,
        "netwerk/who_to_call.html",
        {
            "form": form,
            "entries": entries,
            "answer": answer_of(entries),
            "topics": topic_links(request, criteria.get("onderwerp")),
            "hidden_count": hidden,
            "area": area,
            "moment": moment,
            "is_now": not criteria.get("tijdstip"),
            "place_answer": place_answer,
            "neighbours": place_answer.outside if place_answer else None,
            "always_numbers": always_numbers,
        },
    )
    # A page about "now" may not outlive the first line that opens or closes.
    fixed_moment = bool(criteria.get("tijdstip"))
    max_age = MAX_CACHE_SECONDS if fixed_moment else seconds_until_next_change(entries, moment)
    patch_cache_control(response, private=True, max_age=max_age)
    patch_vary_headers(response, ["Cookie"])
    return response


def topic_links(request, current: str | None) -> list[dict]:
    """The quick choices as links that keep the rest of the question (area, moment, embedding);
    a quick choice replaces the expertise chosen, and "Alle" clears it."""
    kept = request.GET.copy()
    for name in ("onderwerp", "expertise"):
        kept.pop(name, None)
    links = [{"label": _("Alle"), "query": kept.urlencode(), "current": not current}]
    for value, label in TOPICS.items():
        params = kept.copy()
        params["onderwerp"] = value
        links.append({"label": label, "query": params.urlencode(), "current": value == current})
    return links
