"""How a paper's text is shown: search input echoed without control characters,
and the tables of a section ("Finanzielle Auswirkungen") as tables again."""

import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import gettext as _

from operations.text import printable

register = template.Library()

YEAR_LINE = re.compile(r"(?:19|20)\d{2}")
AMOUNT_LINE = re.compile(
    r"-?\d{1,3}(?:\.\d{3})*(?:,\d+)?\s*(?:TEUR|T€|EUR|€|Mio\.\s*EUR)", re.IGNORECASE
)


# Search input echoed on a page.
register.filter(printable)


def text_blocks(body):
    """The body as [("text", paragraph) | ("table", header, rows) | ("pre", text)].

    Text extracted from the printed paper puts each cell of a table on its own
    line: a run of year lines ("2020", "2021") is the header, then each row is a
    label line followed by one amount per year. Such a run becomes a table; a run
    that starts like one but does not read as rows keeps its printed lines
    (shown preformatted), never one value per paragraph.
    """
    lines = [line.rstrip() for line in normalize_newlines(body or "").split("\n")]
    blocks, paragraph, index = [], [], 0

    def flush():
        if paragraph:
            blocks.append(("text", "\n".join(paragraph)))
            paragraph.clear()

    while index < len(lines):
        header = _year_header(lines, index)
        if not header:
            if lines[index].strip():
                paragraph.append(lines[index])
            else:
                flush()
            index += 1
            continue
        flush()
        rows, end = _rows(lines, index + len(header), len(header))
        if rows:
            blocks.append(("table", header, rows))
        else:
            end = _end_of_layout(lines, index)
            blocks.append(("pre", "\n".join(lines[index:end]).strip("\n")))
        index = end
    flush()
    return blocks


def _year_header(lines, index):
    header = []
    while index + len(header) < len(lines) and YEAR_LINE.fullmatch(
        lines[index + len(header)].strip()
    ):
        header.append(lines[index + len(header)].strip())
    return header if len(header) >= 2 else []


def _rows(lines, index, width):
    rows = []
    while index < len(lines):
        while index < len(lines) and not lines[index].strip():
            index += 1
        label_at = index
        if label_at >= len(lines) or AMOUNT_LINE.fullmatch(lines[label_at].strip()):
            break
        values = [line.strip() for line in lines[label_at + 1 : label_at + 1 + width]]
        if len(values) < width or not all(AMOUNT_LINE.fullmatch(v) for v in values):
            break
        rows.append((lines[label_at].strip(), values))
        index = label_at + 1 + width
    return rows, index


def _is_prose(line):
    line = line.strip()
    return len(line) > 120 or (len(line.split()) >= 8 and line.endswith((".", ":")))


def _end_of_layout(lines, index):
    """Where a printed layout ends: at a blank line before a sentence (a new
    paragraph), or at the end."""
    end = index + 1
    while end < len(lines):
        if not lines[end - 1].strip() and _is_prose(lines[end]):
            break
        end += 1
    while end > index + 1 and not lines[end - 1].strip():
        end -= 1
    return end


@register.filter
def paper_text(body):
    """A section's body as HTML: paragraphs, tables and preformatted layouts."""
    parts = []
    for block in text_blocks(body):
        if block[0] == "text":
            lines = block[1].split("\n")
            parts.append(
                format_html(
                    "<p>{}</p>",
                    mark_safe(
                        "<br>".join(str(format_html("{}", line)) for line in lines)
                    ),
                )
            )
        elif block[0] == "table":
            _kind, header, rows = block
            head = format_html_join(
                "", '<th scope="col" class="num">{}</th>', ((year,) for year in header)
            )
            body_rows = format_html_join(
                "",
                '<tr><th scope="row">{}</th>{}</tr>',
                (
                    (
                        label,
                        format_html_join(
                            "", '<td class="num">{}</td>', ((v,) for v in values)
                        ),
                    )
                    for label, values in rows
                ),
            )
            parts.append(
                format_html(
                    '<div class="table-wrap" role="region" tabindex="0" '
                    'aria-label="{}">'
                    '<table class="text-table">'
                    "<thead><tr><td></td>{}</tr></thead><tbody>{}</tbody></table></div>",
                    _("Tabelle aus dem Text der Vorlage"),
                    head,
                    body_rows,
                )
            )
        else:
            parts.append(format_html('<pre class="printed">{}</pre>', block[1]))
    return mark_safe("\n".join(str(part) for part in parts))
