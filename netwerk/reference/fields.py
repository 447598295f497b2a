"""Form fields for the reference data that every public form and filter asks for."""

from django import forms
from django.utils.translation import gettext_lazy as _

from netwerk.reference.geography import PostcodeArea, parse_postcode


class PostcodeField(forms.CharField):
    """A full or PC4 postcode that must exist in the reference data; cleans to its PostcodeArea."""

    def __init__(self, **kwargs):
        kwargs.update(required=False, max_length=10)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        digits, _letters = parse_postcode(value)
        area = PostcodeArea.objects.select_related("municipality").filter(pc4=digits).first()
        if area is None:
            raise forms.ValidationError(
                _("Postcode %(pc4)s kennen we niet. Controleer de cijfers."),
                code="unknown_postcode",
                params={"pc4": digits},
            )
        return area


def choice_error(label):
    return {"invalid_choice": _("Kies een bestaande %(label)s uit de lijst.") % {"label": label}}
