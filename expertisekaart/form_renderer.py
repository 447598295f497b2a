"""Django's form renderer, with its most used widget templates written in Python.

A choice widget renders one template per option: the 26 checkboxes of the search's filters
cost more than the rest of the page, and a select of 342 municipalities more than that. The
functions below write exactly what Django's own templates in django/forms/widgets/ write
(tests/test_form_renderer.py compares both for every widget of the site's forms); any other
template, and any template a project overrides, is rendered as usual.
"""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString

WIDGETS = "django/forms/widgets/"


def esc(value) -> str:
    """What `{{ value }}` writes (Django's conditional_escape without its lazy-string wrapper,
    which costs more than the escaping)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def attrs_html(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {esc(name)}")
        else:
            parts.append(f' {esc(name)}="{esc(str(value))}"')
    return "".join(parts)


def input_html(widget: dict) -> str:
    value = widget["value"]
    value_html = "" if value is None else f' value="{esc(str(value))}"'
    attrs = attrs_html(widget["attrs"])
    return f'<input type="{esc(widget["type"])}" name="{esc(widget["name"])}"{value_html}{attrs}>'


# An included template keeps the newline at the end of its file; only the outer one is stripped.


def input_option_html(option: dict) -> str:
    if not option.get("wrap_label"):
        return input_html(option) + "\n\n"
    option_id = option["attrs"].get("id")
    label_for = f' for="{esc(option_id)}"' if option_id else ""
    return f"<label{label_for}>{input_html(option)}\n {esc(option['label'])}</label>\n"


def checkbox_or_radio_option_html(option: dict) -> str:
    return input_option_html(option) + "\n"


def select_option_html(option: dict) -> str:
    attrs = attrs_html(option["attrs"])
    return f'<option value="{esc(str(option["value"]))}"{attrs}>{esc(option["label"])}</option>\n'


def option_html(option: dict) -> str:
    return OPTION_TEMPLATES[option["template_name"]](option)


def select_html(widget: dict) -> str:
    parts = [f'<select name="{esc(widget["name"])}"', attrs_html(widget["attrs"]), ">"]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{esc(group_name)}">')
        parts.extend(f"\n  {option_html(option)}" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def multiple_input_html(widget: dict) -> str:
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{esc(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{esc(attrs["class"])}"')
    parts.append(">")
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{esc(group_name)}</label>")
        parts.extend(f"<div>\n    {option_html(option)}</div>" for option in options)
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


OPTION_TEMPLATES = {
    WIDGETS + "select_option.html": select_option_html,
    WIDGETS + "input_option.html": input_option_html,
    WIDGETS + "checkbox_option.html": checkbox_or_radio_option_html,
    WIDGETS + "radio_option.html": checkbox_or_radio_option_html,
}

INPUTS = ["text", "number", "email", "url", "password", "hidden", "checkbox", "date", "datetime"]

PYTHON_TEMPLATES = {
    **{f"{WIDGETS}{name}.html": input_html for name in [*INPUTS, "input"]},
    WIDGETS + "select.html": select_html,
    WIDGETS + "checkbox_select.html": multiple_input_html,
    WIDGETS + "radio.html": multiple_input_html,
    WIDGETS + "multiple_input.html": multiple_input_html,
}


class FastWidgetRenderer(DjangoTemplates):
    """The templates above in Python, unless a project template overrides one of them."""

    def render(self, template_name, context, request=None):
        write = PYTHON_TEMPLATES.get(template_name)
        if write is None or not self.all_known(template_name, context["widget"]):
            return super().render(template_name, context, request)
        return SafeString(write(context["widget"]).strip())

    def all_known(self, template_name, widget: dict) -> bool:
        """The widget's template and its options' are Django's own, written above."""
        names = {template_name}
        for _group, options, _index in widget.get("optgroups", ()):
            names.update(option["template_name"] for option in options)
        return all(
            (name in PYTHON_TEMPLATES or name in OPTION_TEMPLATES) and not self.overridden(name)
            for name in names
        )

    def overridden(self, template_name) -> bool:
        known = self.__dict__.setdefault("_overridden", {})
        if template_name not in known:
            origin = self.get_template(template_name).template.origin.name
            known[template_name] = "/django/forms/templates/" not in origin.replace("\\", "/")
        return known[template_name]
