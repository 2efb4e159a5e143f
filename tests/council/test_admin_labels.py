"""The controls in the rows of the paper's tabular inlines carry their column's
name (issue 15): Django names a column only in its head."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from council.models import Attachment, Paper

pytestmark = pytest.mark.django_db

TABULAR = ("consultations", "references_made", "attachments")


class Controls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"input", "select", "textarea"} and attrs.get("type") != "hidden":
            self.found.append(attrs)


def test_every_control_of_a_tabular_row_has_its_column_name(demo, clerk_client):
    paper = Paper.objects.get(number=949, year=2019)
    Attachment.objects.create(paper=paper, number=1, title="Plan")
    # A step without a meeting: its empty select2 box is named from the select.
    step = paper.consultations.order_by("order").first()
    step.meeting = None
    step.save()

    page = clerk_client.get(reverse("admin:council_paper_change", args=[paper.pk]))
    controls = Controls()
    controls.feed(page.text)
    rows = re.compile(rf"^({'|'.join(TABULAR)})-(\d+|__prefix__)-")
    in_rows = [c for c in controls.found if rows.match(c.get("name", ""))]
    unnamed = [c["name"] for c in in_rows if not c.get("aria-label")]
    assert unnamed == []
    names = {c["name"]: c["aria-label"] for c in in_rows}
    assert names["consultations-0-committee"] == "Gremium"
    assert names["consultations-0-meeting"] == "Sitzung"
    assert names["consultations-1-meeting"] == "Sitzung"
    assert names["consultations-0-role"] == "Sitzungsart"
    assert names["consultations-0-DELETE"] == "Löschen"
    assert names["attachments-0-title"] == "Titel"
    assert names["references_made-__prefix__-to_paper"] == "Auf Drucksache"
