"""A paper's text as a small PDF: its mainFile in OParl.

Harvesters (meine-stadt-transparent among them) download a paper's files and
extract their text; some take an HTML answer for an error page, so the text comes
as PDF. The file is built from the stored text alone and byte for byte the same
each time (no dates, no compression), so its size and checksum hold until the
paper's `modified` moves.
"""

import textwrap

from operations import formats

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
LEADING = 13
# Helvetica at 10 pt averages about 5 pt a character.
WIDTH = 92
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LEADING


def paper_lines(paper):
    """(bold?, text) lines of the paper: reference, subject, items, sections."""
    lines = [(True, f"GRDrs {paper.reference}")]
    kind = paper.paper_type and str(paper.get_paper_type_display())
    if paper.paper_type_note:
        kind = f"{kind} {paper.paper_type_note}".strip()
    facts = [kind or "", formats.date(paper.date)]
    if any(facts):
        lines.append((False, ", ".join(f for f in facts if f)))
    lines.append((False, ""))
    if paper.title:
        lines.append((True, "Betreff"))
        lines += [(False, line) for line in wrap(paper.title)]
        lines.append((False, ""))
    items = list(paper.items.all())
    if items:
        lines.append((True, "Beschlussantrag"))
        for item in items:
            lines += [(False, line) for line in wrap(f"{item.number}. {item.text}")]
        lines.append((False, ""))
    for section in paper.sections.all():
        lines.append((True, section.heading))
        for paragraph in section.body.splitlines():
            lines += [(False, line) for line in wrap(paragraph)] or [(False, "")]
        lines.append((False, ""))
    return lines


def wrap(text):
    return textwrap.wrap(text, WIDTH, break_long_words=True) or [""]


def pdf_string(text):
    data = text.encode("cp1252", errors="replace")
    data = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + data + b")"


def page_stream(lines):
    out = [
        b"BT",
        f"{LEADING} TL".encode(),
        f"{MARGIN} {PAGE_HEIGHT - MARGIN} Td".encode(),
    ]
    for bold, text in lines:
        font = b"/F2 11 Tf" if bold else b"/F1 10 Tf"
        out += [font, pdf_string(text) + b" Tj", b"T*"]
    out.append(b"ET")
    return b"\n".join(out)


def paper_pdf(paper):
    """The PDF bytes of `paper`'s text (items and sections prefetched)."""
    lines = paper_lines(paper)
    pages = [
        lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)
    ]
    font = "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        None,  # the page tree, once the pages are numbered
        font.format("Helvetica").encode(),
        font.format("Helvetica-Bold").encode(),
    ]
    kids = []
    for page in pages:
        stream = page_stream(page)
        objects.append(
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
        )
        content = len(objects)
        objects.append(
            (
                "<< /Type /Page /Parent 2 0 R "
                f"/MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
                "/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
                f"/Contents {content} 0 R >>"
            ).encode()
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = (
        f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
