"""The admin's pages go out without their templates' indentation
(config/admin_html.py), the text of a textarea untouched; and a large paper's
change page stays small: no add/change/delete/view links in inline rows, and
each funding line adds the same few kilobytes."""

import pytest

from config.admin_html import compact
from council.models import Paper
from tests.factories import FundingLineFactory, PaperFactory, ResolutionItemFactory

MAX_PAGE_BYTES = 200_000  # issue 12: no page over 200 KB of HTML


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
    assert b'id="add_id_funding_lines-0-position"' not in html
    assert b'id="change_id_items-0-responsible_department"' not in html
    # The paper's own fields keep theirs.
    assert b'id="add_id_department"' in html
    assert int(response["Content-Length"]) == len(html)


@pytest.mark.django_db
def test_each_funding_line_adds_the_same_few_kilobytes_to_its_papers_change_page(
    admin_client,
):
    # Not the square of the lines: each line's form once offered every line of
    # the paper as the total it splits (part_of), now chosen on the line's page.
    paper = PaperFactory()
    url = f"/admin/council/paper/{paper.pk}/change/"
    sizes = {}
    for count in (10, 20, 40):
        FundingLineFactory.create_batch(
            count - paper.funding_lines.count(), paper=paper, purpose="Sachkosten " * 15
        )
        sizes[count] = len(admin_client.get(url).content)
    per_line = (sizes[20] - sizes[10]) / 10
    assert (sizes[40] - sizes[20]) / 20 == pytest.approx(per_line, rel=0.02)
    assert per_line < 6_000, sizes


@pytest.mark.django_db
def test_the_change_page_of_949_2019_stays_under_200_kb(demo, admin_client):
    paper = Paper.objects.get(year=2019, number=949)
    response = admin_client.get(f"/admin/council/paper/{paper.pk}/change/")
    assert response.status_code == 200
    assert len(response.content) < MAX_PAGE_BYTES, len(response.content)
    # Each line links to its own page, where its budget codes are edited.
    assert (
        response.content.count(b'class="inlinechangelink"')
        >= paper.funding_lines.count()
    )


@pytest.mark.django_db
def test_the_admins_lists_are_sent_as_rendered(admin_client):
    # Their whitespace is a few per cent of the page; compacting cost more.
    PaperFactory.create_batch(3)
    html = admin_client.get("/admin/council/paper/").content
    assert b"\n  " in html
