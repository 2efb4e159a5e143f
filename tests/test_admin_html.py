"""The admin's pages go out without their templates' indentation
(config/admin_html.py), the text of a textarea untouched; and a large paper's
change page stays small: no add/change/delete/view links in inline rows."""

import pytest

from config.admin_html import compact
from tests.factories import FundingLineFactory, PaperFactory, ResolutionItemFactory


def test_indentation_and_blank_lines_become_one_line_break():
    html = b"<div>\n    <p>Text</p>\n\n      <span>a</span> <b>b</b>\n</div>"
    assert compact(html) == b"<div>\n<p>Text</p>\n<span>a</span> <b>b</b>\n</div>"


def test_textarea_pre_and_script_keep_their_whitespace():
    html = (
        b"<form>\n    <textarea name=t>\nErster Absatz\n\n    eingerueckt</textarea>"
        b"\n    <pre>  a\n\n  b</pre>\n  <script>\n  var x = `\n  y`;\n</script>\n"
        b"  </form>"
    )
    assert compact(html) == (
        b"<form>\n<textarea name=t>\nErster Absatz\n\n    eingerueckt</textarea>"
        b"\n<pre>  a\n\n  b</pre>\n<script>\n  var x = `\n  y`;\n</script>\n</form>"
    )


def test_attribute_values_keep_their_line_breaks_and_indentation():
    # The import's preview carries the pasted text forward in a hidden field.
    html = (
        b'<form>\n    <input type="hidden" name="text" value="Betreff\n\n'
        b'    1. Ziffer\n      eingerueckt">\n  </form>'
    )
    assert compact(html) == (
        b'<form>\n<input type="hidden" name="text" value="Betreff\n\n'
        b'    1. Ziffer\n      eingerueckt">\n</form>'
    )


def test_an_unclosed_textarea_keeps_the_rest():
    html = b"<p>\n  x</p>\n  <textarea>\n  a\n  b"
    assert compact(html) == b"<p>\nx</p>\n<textarea>\n  a\n  b"


@pytest.mark.django_db
def test_a_papers_change_page_is_compact_and_submits_its_texts_unchanged(
    admin_client,
):
    paper = PaperFactory()
    ResolutionItemFactory(paper=paper, number=1, text="Erstens.\n\n    Zweitens.")
    FundingLineFactory.create_batch(3, paper=paper)
    response = admin_client.get(f"/admin/council/paper/{paper.pk}/change/")
    assert response.status_code == 200
    html = response.content
    assert b"\n  " not in html.split(b"<textarea")[0]
    assert b"Erstens.\n\n    Zweitens.</textarea>" in html
    # Inline rows choose their related rows without links beside them.
    assert b'id="add_id_funding_lines-0-budget_unit"' not in html
    assert b'id="change_id_items-0-responsible_department"' not in html
    # The paper's own fields keep theirs.
    assert b'id="add_id_department"' in html
    assert int(response["Content-Length"]) == len(html)
