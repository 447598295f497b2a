"""Forms of the place pages: the availability update and 'Plek zoeken', explained in Dutch."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerk.places.finder import ADDICTION, BOTH, PSYCHIATRY
from netwerk.places.places import Availability, CareSetting, free_places_error
from netwerk.reference.expertise import ExpertiseTag
from netwerk.reference.fields import PostcodeField, choice_error


class AvailabilityUpdateForm(forms.Form):
    """One place's update; the page gives each place its own prefix (`plek-<id>`)."""

    beschikbaarheid = forms.ChoiceField(
        choices=Availability.choices,
        error_messages={
            "required": _("Kies beschikbaar, op aanvraag of vol."),
            "invalid_choice": _("Kies beschikbaar, op aanvraag of vol."),
        },
    )
    vrije_plekken = forms.IntegerField(
        label=_("Vrije plekken (niet verplicht)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        error_messages={
            "invalid": _("Vul een heel getal in, bijvoorbeeld 2."),
            "min_value": _("Het aantal vrije plekken kan niet negatief zijn."),
        },
    )
    toelichting = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        max_length=250,
        required=False,
        error_messages={"max_length": _("Houd de toelichting korter dan 250 tekens.")},
    )
    verwacht_op = forms.DateField(
        label=_("Verwacht beschikbaar op (niet verplicht)"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 2026-12-24.")},
    )

    def __init__(self, *args, capacity: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.capacity = capacity
        if capacity is not None:
            self.fields["vrije_plekken"].widget.attrs["max"] = capacity

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("beschikbaarheid")
        if status and "vrije_plekken" in cleaned:
            error = free_places_error(status, cleaned["vrije_plekken"], self.capacity)
            if error:
                self.add_error("vrije_plekken", error)
        return cleaned

    def clean_verwacht_op(self):
        expected_on = self.cleaned_data["verwacht_op"]
        if expected_on and expected_on < timezone.localdate():
            raise forms.ValidationError(_("Kies een datum vanaf vandaag."))
        return expected_on


SETTING_CHOICES = [("", _("Geen voorkeur")), *CareSetting.choices]
BACKGROUND_CHOICES = [
    (PSYCHIATRY, _("Psychiatrische aandoening")),
    (ADDICTION, _("Verslaving")),
    (BOTH, _("Beide")),
]


class PlaceFinderForm(forms.Form):
    zorgsetting = forms.ChoiceField(
        label=_("Waar zoekt u een plek?"),
        choices=SETTING_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Kies hospice, instelling, thuis of geen voorkeur.")},
    )
    achtergrond = forms.ChoiceField(
        label=_("Achtergrond van de patiënt"),
        choices=BACKGROUND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies psychiatrische aandoening, verslaving of beide."),
            "invalid_choice": _("Kies psychiatrische aandoening, verslaving of beide."),
        },
    )
    postcode = PostcodeField(
        label=_("Postcode (om op afstand te sorteren)"),
        widget=forms.TextInput(
            attrs={"inputmode": "text", "autocomplete": "postal-code", "placeholder": "3511 AB"}
        ),
    )
    expertise = forms.ModelChoiceField(
        ExpertiseTag.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        label=_("Expertise (niet verplicht)"),
        empty_label=_("Geen voorkeur"),
        error_messages=choice_error(_("expertise")),
    )
