"""What a clerk had to correct by hand (issue 14, part 2): near names, what the
import creates, unknown types and missing fields, non-public and joint papers."""

import re
from pathlib import Path

import pytest

from council.models import Committee, Department, Paper, PaperReference
from importer.reading.paper import read_paper
from importer.services import NEW, import_plan, paper_import

from .test_views import URL, preview

DATA = Path(__file__).parent / "data"
CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "paper_import.css"


def data(name):
    return (DATA / name).read_text(encoding="utf-8")


AKR = "Referat Allgemeine Verwaltung, Kultur und Recht"


def confirm_with(client, text, **choices):
    form = preview(client, text=text).context["confirm_form"]
    return client.post(
        URL,
        {
            "confirm": "1",
            "text": text,
            "signature": form["signature"].value(),
            "version": form["version"].value() or "",
        }
        | choices,
    )


@pytest.mark.django_db
def test_a_department_spelled_with_a_slash_is_the_existing_one_not_a_second():
    existing = Department.objects.create(name=f"{AKR} (AKR)", short_name="AKR")
    Committee.objects.create(name="Verwaltungsausschuss", slug="va")
    draft = read_paper(data("grdrs_0301_2008_number_below.txt"))
    plan = import_plan(draft)
    assert plan.new_departments == []
    assert ("Referat Allgemeine Verwaltung/Kultur und Recht", existing.name) in (
        plan.respelled
    )
    assert ("Verwaltungsausschuß", "Verwaltungsausschuss") in plan.respelled
    paper = paper_import(draft=draft)
    assert paper.department == existing
    assert Department.objects.count() == 1
    assert Committee.objects.filter(name__startswith="Verwaltungsaus").count() == 1


@pytest.mark.django_db
def test_a_near_department_is_offered_and_the_clerks_choice_is_saved(clerk_client):
    near = Department.objects.create(name="Referat Städtebau, Wohnen und Umwelt")
    text = data("grdrs_0150_2004_nichtoeffentlich.txt").replace(
        "Referat Technik", "Referat Städtebau, Wohnen u. Umwelt"
    )
    response = preview(clerk_client, text=text)
    page = response.content.decode()
    assert response.context["plan"].near_departments == {
        "Referat Städtebau, Wohnen u. Umwelt": [near]
    }
    assert 'id="zu-entscheiden"' in page
    assert f'<option value="{near.pk}" selected>' in page
    saved = confirm_with(clerk_client, text, department_0=str(near.pk))
    assert saved.status_code == 302
    assert Paper.objects.get(number=150, year=2004).department == near
    assert Department.objects.filter(name__contains="Städtebau").count() == 1


@pytest.mark.django_db
def test_a_new_department_despite_a_near_one_only_when_the_clerk_says_so(clerk_client):
    Department.objects.create(name="Referat Städtebau, Wohnen und Umwelt")
    text = data("grdrs_0150_2004_nichtoeffentlich.txt").replace(
        "Referat Technik", "Referat Städtebau, Wohnen u. Umwelt"
    )
    assert confirm_with(clerk_client, text, department_0=NEW).status_code == 302
    assert Department.objects.filter(name__contains="Städtebau").count() == 2


@pytest.mark.django_db
def test_a_near_committee_is_offered_and_chosen(clerk_client):
    committee = Committee.objects.create(
        name="Ausschuss für Umwelt und Technik", slug="ut"
    )
    text = data("grdrs_0150_2004_nichtoeffentlich.txt").replace(
        "Ausschuss für Umwelt und Technik", "Ausschuß für Umwelt u. Technik"
    )
    response = preview(clerk_client, text=text)
    assert response.context["plan"].near_committees == {
        "Ausschuß für Umwelt u. Technik": [committee]
    }
    assert "ähnliches Gremium vorhanden" in response.content.decode()
    assert (
        confirm_with(clerk_client, text, committee_0=str(committee.pk)).status_code
        == 302
    )
    paper = Paper.objects.get(number=150, year=2004)
    assert paper.consultations.first().committee == committee
    assert Committee.objects.filter(name__contains="Technik").count() == 1


def _contrast(foreground, background):
    def luminance(hex_colour):
        channels = [int(hex_colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]
        linear = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in channels
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_what_the_import_creates_is_marked_with_strong_contrast():
    rule = re.search(r"\.import-created\s*\{([^}]*)\}", CSS.read_text())[1]
    colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", rule)[1]
    background = re.search(r"background:\s*(#[0-9a-fA-F]{6})", rule)[1]
    assert _contrast(colour, background) >= 7  # WCAG AAA


@pytest.mark.django_db
def test_new_departments_committees_and_stubs_carry_the_strong_class(clerk_client):
    page = preview(
        clerk_client, text=data("grdrs_0301_2008_number_below.txt")
    ).content.decode()
    assert re.search(r'class="import-created" id="neue-dienststellen"', page)
    assert page.count('class="import-created">neues Gremium: wird angelegt') == 2
    assert 'class="import-created">neu: wird als Zitat angelegt' in page


@pytest.mark.django_db
def test_an_unknown_paper_type_is_chosen_in_the_preview_and_then_saved(clerk_client):
    text = data("grdrs_0812_2023_haushalt_lesung.txt").replace(
        "Beantwortung / Stellungnahme", "Ergänzungsliste zum Haushaltsantrag"
    )
    page = preview(clerk_client, text=text).content.decode()
    assert "Ergänzungsliste zum Haushaltsantrag" in page
    assert 'name="paper_type"' in page
    # Without a choice the page refuses and says what is missing; nothing saved.
    refused = confirm_with(clerk_client, text)
    assert refused.status_code == 200 and not Paper.objects.exists()
    assert "zwingend erforderlich" in refused.content.decode()
    saved = confirm_with(clerk_client, text, paper_type=Paper.Type.ANSWER)
    assert saved.status_code == 302
    paper = Paper.objects.get(number=812, year=2023)
    assert paper.paper_type == Paper.Type.ANSWER


@pytest.mark.django_db
def test_a_missing_date_and_type_become_fields_and_the_page_saves_after_them(
    clerk_client,
):
    text = (
        data("grdrs_0301_2008_number_below.txt")
        .replace("04/22/2008\n", "")
        .replace("Beschlußvorlage\n", "")
    )
    draft = read_paper(text)
    assert draft.errors  # no date, no type: not saved as read
    page = preview(clerk_client, text=text).content.decode()
    assert 'name="paper_date"' in page and 'name="paper_type"' in page
    assert 'name="confirm"' in page
    saved = confirm_with(
        clerk_client, text, paper_date="22.04.2008", paper_type=Paper.Type.DECISION
    )
    assert saved.status_code == 302
    paper = Paper.objects.get(number=301, year=2008)
    assert (paper.date.isoformat(), paper.paper_type) == (
        "2008-04-22",
        "beschlussvorlage",
    )


@pytest.mark.django_db
def test_a_paper_marked_non_public_is_saved_non_public(clerk_client):
    text = data("grdrs_0150_2004_nichtoeffentlich.txt")
    page = preview(clerk_client, text=text).content.decode()
    assert "im Kopf als nichtöffentlich gekennzeichnet" in page
    assert confirm_with(clerk_client, text).status_code == 302
    assert not Paper.objects.get(number=150, year=2004).is_public


@pytest.mark.django_db
def test_a_joint_paper_keeps_both_departments():
    paper = paper_import(draft=read_paper(data("grdrs_0620_2013_gemeinsam.txt")))
    assert paper.department.name == "Referat Soziales, Jugend und Gesundheit"
    assert [d.name for d in paper.co_departments.all()] == [
        "Referat Kultur, Bildung und Sport"
    ]
    assert paper.co_departments.get().short_name == "KBS"
    version = paper.audit_trail.order_by("-history_date", "-history_id").first()
    assert [d.department.name for d in version.co_departments.all()] == [
        "Referat Kultur, Bildung und Sport"
    ]


@pytest.mark.django_db
def test_an_ergaenzung_is_saved_as_supplementing_its_base_not_citing_it():
    paper = paper_import(draft=read_paper(data("grdrs_0412_2020_1_ergaenzung.txt")))
    kinds = {
        r.to_paper.reference: r.kind
        for r in paper.references_made.select_related("to_paper")
    }
    assert kinds["412/2020"] == PaperReference.Kind.SUPPLEMENTS
    assert kinds["1023/2017"] == PaperReference.Kind.EXTENDS


@pytest.mark.django_db
def test_a_joint_paper_shows_both_departments_on_its_page_and_in_oparl(client):
    paper = paper_import(draft=read_paper(data("grdrs_0620_2013_gemeinsam.txt")))
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "mitverantwortlich" in page
    assert "Referat Kultur, Bildung und Sport" in page
    assert "Referat Wirtschaft, Finanzen und Beteiligungen" in page  # co-signer
    listing = client.get("/oparl/v1/body/08111000/paper?limit=5").json()["data"]
    entry = next(p for p in listing if p["reference"].startswith("620/2013"))
    departments = [client.get(url).json()["name"] for url in entry["underDirectionOf"]]
    assert departments == [
        "Referat Soziales, Jugend und Gesundheit",
        "Referat Kultur, Bildung und Sport",
    ]
    alone = client.get(entry["id"]).json()
    assert alone["underDirectionOf"] == entry["underDirectionOf"]


@pytest.mark.django_db
def test_an_undecided_papers_items_show_no_decision_yet(client):
    paper = paper_import(draft=read_paper(data("grdrs_0620_2013_gemeinsam.txt")))
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "noch offen – die Beschlussfassung steht aus" in page
    assert "wie beantragt" not in page
    # Once the council decided, the items' outcome is shown.
    step = paper.consultations.get(committee__name="Gemeinderat")
    step.result = step.Result.APPROVED
    step.save()
    decided = client.get(paper.get_absolute_url()).content.decode()
    assert "wie beantragt" in decided
    assert "noch offen – die Beschlussfassung steht aus" not in decided


@pytest.mark.django_db
def test_the_paper_admin_edits_the_further_departments_in_charge(admin_client):
    from django.urls import reverse

    paper = paper_import(draft=read_paper(data("grdrs_0620_2013_gemeinsam.txt")))
    page = admin_client.get(
        reverse("admin:council_paper_change", args=[paper.pk])
    ).content.decode()
    assert 'name="co_departments"' in page


@pytest.mark.django_db
def test_the_command_says_when_it_creates_a_name_near_an_existing_one(tmp_path):
    import json
    from io import StringIO

    from django.core.management import call_command

    Department.objects.create(name="Referat Städtebau, Wohnen und Umwelt")
    path = tmp_path / "grdrs_0150_2004.txt"
    path.write_text(
        data("grdrs_0150_2004_nichtoeffentlich.txt").replace(
            "Referat Technik", "Referat Städtebau, Wohnen u. Umwelt"
        ),
        encoding="utf-8",
    )
    out = StringIO()
    call_command(
        "import_vorlagen",
        str(path),
        "--dry-run",
        "--format",
        "json",
        stdout=out,
        stderr=StringIO(),
    )
    [result] = json.loads(out.getvalue())
    assert any(
        "ähnelt dem vorhandenen „Referat Städtebau, Wohnen und Umwelt“" in w["message"]
        for w in result["warnings"]
    )


@pytest.mark.django_db
def test_steps_without_a_printed_public_mark_are_saved_closed_and_shown_so(
    clerk_client,
):
    text = data("grdrs_0301_2008_number_below.txt").replace(
        "öffentlich\nöffentlich\n", ""
    )
    page = preview(clerk_client, text=text).content.decode()
    assert "nicht angegeben: wird als nichtöffentlich gespeichert" in page
    paper = paper_import(draft=read_paper(text))
    assert [c.is_public for c in paper.consultations.all()] == [False, False]
