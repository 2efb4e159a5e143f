"""Django's form renderer, with its most frequent templates written in Python.

A paper's change page renders about a thousand small form templates: an input,
a select with a template per option, a label, and for every field an error list
that is empty (Django renders its template to find that out). At 100,000 papers
that was most of the page's time (issue 12). This renderer writes those
templates' HTML itself, byte for byte as Django's own files write it, and renders
every other template through Django's engine as before (a select whose options
have a template of their own included): `tests/test_form_renderer.py` compares
both, widget by widget and on whole admin and public pages. DjangoTemplates reads
Django's own form templates before any app's, so no app of ours could have
replaced them.

Each writer does what the template does: `{{ x }}` is Django's own
render_value_in_context (localised, escaped unless safe), `|stringformat:'s'`
is Django's filter, safe in, safe out; the renderer strips the result as
BaseRenderer.render does.
"""

import html
from types import SimpleNamespace

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

# What {{ }} reads of a template's context: none of the settings overridden.
_CONTEXT = SimpleNamespace(autoescape=True, use_l10n=None, use_tz=None)

WIDGETS = "django/forms/widgets/"
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
        "search",
        "tel",
        "color",
    )
}
SELECT_OPTION = f"{WIDGETS}select_option.html"


def _text(value):
    """{{ value }}"""
    # Most values are plain strings, which Django neither localises nor formats:
    # its escape() is html.escape(), without the calls around it (a tenth of a
    # large paper's change page).
    if type(value) is str:
        return html.escape(value)
    return render_value_in_context(value, _CONTEXT)


def _string(value):
    """{{ value|stringformat:'s' }}"""
    if type(value) is str:
        return html.escape(value)
    formatted = stringformat(value, "s")
    return _text(mark_safe(formatted) if isinstance(value, SafeData) else formatted)


def _attrs(attrs):
    """django/forms/widgets/attrs.html and django/forms/attrs.html."""
    return "".join(
        f" {_text(name)}" + ("" if value is True else f'="{_string(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget):
    value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget):
    value = _text(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _select(widget):
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_string(option["value"])}"'
                f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _errors(context):
    """django/forms/errors/list/ul.html (and default.html, which includes it)."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    at = f' id="{_text(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_text(error)}</li>" for error in errors)
    return f'<ul class="{_text(context["error_class"])}"{at}>{items}</ul>'


def _label(context):
    """django/forms/label.html"""
    if not context["use_tag"]:
        return _text(context["label"])
    tag = _text(context["tag"])
    attrs = _attrs(context["attrs"] or {})
    return f"<{tag}{attrs}>{_text(context['label'])}</{tag}>"


def _widget(write):
    return lambda context: write(context["widget"])


WRITERS = {
    **dict.fromkeys(INPUTS, _widget(_input)),
    f"{WIDGETS}textarea.html": _widget(_textarea),
    f"{WIDGETS}select.html": _widget(_select),
    "django/forms/errors/list/ul.html": _errors,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/label.html": _label,
}


class FormRenderer(DjangoTemplates):
    """DjangoTemplates, with the templates of WRITERS written directly."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        if write is None or not self._writable(template_name, context):
            return super().render(template_name, context, request)
        return mark_safe(write(context).strip())  # noqa: S308 (escaped above)

    @staticmethod
    def _writable(template_name, context):
        # A select whose options come from another template goes to the engine.
        if template_name != f"{WIDGETS}select.html":
            return True
        return all(
            option["template_name"] == SELECT_OPTION
            for _name, options, _index in context["widget"]["optgroups"]
            for option in options
        )
