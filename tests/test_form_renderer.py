"""The form renderer writes Django's own widget templates in Python: the HTML must be the same,
byte for byte, for every widget of the site's forms and for text that needs escaping."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.http import QueryDict

from expertisekaart.form_renderer import FastWidgetRenderer
from netwerk.search.filters import OrganisationFilterSet
from netwerk.views.forms import WhoToCallForm
from netwerk.views.place_forms import AvailabilityUpdateForm, PlaceFinderForm

pytestmark = pytest.mark.django_db

TEMPLATES, PYTHON = DjangoTemplates(), FastWidgetRenderer()


def both_renderings(form: forms.Form):
    for field in form:
        attrs = field.build_widget_attrs({"id": field.auto_id})
        value = field.value()
        yield (
            field.name,
            field.field.widget.render(field.html_name, value, attrs, renderer=TEMPLATES),
            field.field.widget.render(field.html_name, value, attrs, renderer=PYTHON),
        )


class Awkward(forms.Form):
    """Text that must be escaped, groups, no label wrapping, booleans and empty values."""

    naam = forms.CharField(initial='"<script>&', widget=forms.TextInput(attrs={"data-x": "a'b"}))
    keuze = forms.ChoiceField(
        choices=[("", "—"), ("Groep <1>", [("a&b", "A & B"), ('"q"', "<i>q</i>")])]
    )
    vakjes = forms.MultipleChoiceField(
        choices=[("1", "Eén"), ("2", "Twee <b>")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "ek-list"}),
        initial=["2"],
    )
    knoppen = forms.ChoiceField(
        choices=[("x", "X")], widget=forms.RadioSelect(attrs={"id": ""}), required=False
    )
    aan = forms.BooleanField(initial=True, required=False)
    getal = forms.IntegerField(initial=0, widget=forms.NumberInput(attrs={"min": 0}))
    datum = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    verborgen = forms.CharField(widget=forms.HiddenInput, initial="", required=False)
    lang = forms.CharField(widget=forms.Textarea, required=False)  # left to the template


@pytest.mark.parametrize(
    "form",
    [
        lambda: (
            OrganisationFilterSet(
                QueryDict("q=hospice&soort=hospice&soort=ggz&expertise=verslaving&beschikbaar=on")
            ).form
        ),
        lambda: OrganisationFilterSet(QueryDict("afstand=-3&gemeente=XX")).form,
        lambda: WhoToCallForm(),
        lambda: WhoToCallForm({"postcode": "9999", "tijdstip": "morgen"}),
        lambda: PlaceFinderForm({"zorgsetting": "hospice"}),
        lambda: AvailabilityUpdateForm(prefix="plek-3"),
        lambda: Awkward(),
        lambda: Awkward({"keuze": "a&b", "vakjes": ["1", "2"], "aan": "on"}),
    ],
    ids=[
        "search",
        "search-errors",
        "who-to-call",
        "who-to-call-errors",
        "place-finder",
        "availability",
        "awkward",
        "awkward-bound",
    ],
)
def test_python_widgets_write_what_djangos_templates_write(form, demo):
    for name, from_templates, from_python in both_renderings(form()):
        assert from_python == from_templates, name


def test_the_site_renders_its_forms_with_it():
    assert isinstance(get_default_renderer(), FastWidgetRenderer)
    html = str(Awkward()["naam"])
    assert 'value="&quot;&lt;script&gt;&amp;"' in html
