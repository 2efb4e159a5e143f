"""Form widgets of the public lists' filters."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class Select(forms.Select):
    """Django's Select, its HTML written directly, byte for byte as Django's
    templates write it (tests/council/test_widgets.py): Django renders two
    templates for each option, 263 for the paper list's five filters, a third
    of that page's rendering (issue 12)."""

    def render(self, name, value, attrs=None, renderer=None):
        del renderer  # no templates to render with
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        _attrs(option),
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (each part escaped above)


def _attrs(widget):
    """As django/forms/widgets/attrs.html writes them: False leaves an attribute
    out, True writes its name alone."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in widget["attrs"].items()
            if value is not False
        ),
    )
