"""Reading an admin change form as a browser would send it back."""

import re
from html import unescape

from django.urls import reverse

FIELD = re.compile(r"<(input|textarea|select)\b([^>]*)>", re.S)
SELECTED = re.compile(r'<option[^>]*value="([^"]*)"[^>]*selected')


def _attrs(text):
    return {
        name: unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', text)
    }


def form_data(html):
    """The fields of the change form as a browser posts them unchanged."""
    data = {}
    form = html
    for match in FIELD.finditer(form):
        tag, attrs = match.group(1), _attrs(match.group(2))
        name = attrs.get("name")
        if not name or name.startswith("csrf"):
            continue
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                continue
            if kind == "checkbox":
                if "checked" in match.group(2):
                    data[name] = attrs.get("value", "on")
                continue
            data[name] = attrs.get("value", "")
        elif tag == "textarea":
            end = form.index("</textarea>", match.end())
            data[name] = unescape(form[match.end() : end]).lstrip("\n")
        else:
            end = form.index("</select>", match.end())
            options = form[match.end() : end]
            chosen = [unescape(v) for v in SELECTED.findall(options)]
            if "multiple" in match.group(2):
                data[name] = chosen
            elif chosen:
                data[name] = chosen[0]
    return data


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def history_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])
