"""Forms of the public pages; every parameter is validated and explained in Dutch."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from netwerk.consultation.lines import ConsultationLine, is_plannable, plannable_period_text
from netwerk.consultation.who_to_call import TOPICS
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.fields import PostcodeField, choice_error
from netwerk.reference.geography import Municipality, Region


class MunicipalityChoiceField(forms.ModelChoiceField):
    """Says "(deels)" after the municipalities in `partly` (ids): only part of them is covered."""

    partly: set[int] = set()

    def label_from_instance(self, municipality) -> str:
        if municipality.pk in self.partly:
            return _("%(name)s (deels)") % {"name": municipality.name}
        return municipality.name


class WhoToCallForm(forms.Form):
    postcode = PostcodeField(
        label=_("Postcode van de patiënt"),
        widget=forms.TextInput(
            attrs={"inputmode": "text", "autocomplete": "postal-code", "placeholder": "3511 AB"}
        ),
    )
    gemeente = MunicipalityChoiceField(
        Municipality.objects.none(),
        to_field_name="code",
        required=False,
        label=_("of gemeente"),
        empty_label=_("Alle gemeenten"),
        error_messages=choice_error(_("gemeente")),
    )
    regio = forms.ModelChoiceField(
        Region.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("of regio"),
        empty_label=_("Alle regio's"),
        error_messages=choice_error(_("regio")),
    )
    expertise = forms.ModelChoiceField(
        ExpertiseTag.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Expertise"),
        empty_label=_("Alle expertise"),
        error_messages=choice_error(_("expertise")),
    )
    onderwerp = forms.ChoiceField(
        choices=[("", _("Alle onderwerpen")), *TOPICS.items()],
        required=False,
        label=_("Onderwerp"),
        error_messages={"invalid_choice": _("Kies een onderwerp uit de lijst.")},
    )
    tijdstip = forms.DateTimeField(
        required=False,
        label=_("Bereikbaar op (leeg: nu)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Vul een datum en tijd in, bijvoorbeeld 2026-12-24T22:00.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The network's municipalities by the region rule, and those a line serves by name.
        covered = Municipality.objects.covered_by(Region.objects.all())
        lines_by_name = ConsultationLine.municipalities.through.objects.values("municipality")
        served = Municipality.objects.filter(Q(pk__in=list(covered)) | Q(pk__in=lines_by_name))
        field = self.fields["gemeente"]
        field.queryset = served if covered or served.exists() else Municipality.objects.all()
        field.partly = {pk for pk, partly in covered.items() if partly}

    def clean_tijdstip(self):
        moment = self.cleaned_data["tijdstip"]
        if moment is not None and not is_plannable(moment):
            raise forms.ValidationError(
                _("Kies een tijdstip tussen %(first)s en %(last)s."),
                code="not_plannable",
                params=plannable_period_text(),
            )
        return moment
