"""The knowledge library: documents and links, searchable, filtered by expertise and target
group; documents for professionals only for those signed in."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from netwerk.network.events import TargetGroup
from netwerk.network.knowledge import KnowledgeItem, knowledge_search
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.fields import choice_error

PAGE_SIZE = 25


class KnowledgeFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label=_("Zoek in de kennisbank"),
        error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    expertise = forms.ModelChoiceField(
        ExpertiseTag.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Expertise"),
        empty_label=_("Alle expertise"),
        error_messages=choice_error(_("expertise")),
    )
    doelgroep = forms.ChoiceField(
        choices=[("", _("Alle doelgroepen")), *TargetGroup.choices],
        required=False,
        label=_("Doelgroep"),
        error_messages=choice_error(_("doelgroep")),
    )


def visible_knowledge(user):
    return (
        KnowledgeItem.objects.visible_to(user)
        .select_related("organisation")
        .prefetch_related("expertise")
    )


@require_safe
def library(request):
    form = KnowledgeFilterForm(request.GET or None)
    data = {}
    if form.is_bound:
        form.is_valid()  # an invalid filter is reported and left out; the valid ones apply
        data = form.cleaned_data
    items = visible_knowledge(request.user)
    if data.get("expertise"):
        items = items.filter(expertise=data["expertise"])
    if data.get("doelgroep"):
        items = items.filter(target_group__in=[data["doelgroep"], TargetGroup.BOTH])
    found = knowledge_search(items, data.get("q") or "")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "netwerk/knowledge.html",
        {"form": form, "page": page, "items": page.object_list, "question": request.GET.copy()},
        status=400 if form.errors else 200,
    )
