"""The public council pages with the demo data: the facts shown, and who sees what."""

import re

import pytest
from django.contrib.auth.models import Permission

from council.models import Consultation, Department, PaperReference
from positions.models import PositionDecision
from tests.factories import (
    CommitteeFactory,
    ConsultationFactory,
    FundingLineFactory,
    PaperFactory,
    PositionDecisionFactory,
    ResolutionItemFactory,
)

pytestmark = pytest.mark.django_db


def text_of(html):
    """The visible text of an HTML fragment, whitespace collapsed."""
    html = re.sub(r"<[^>]+>", " ", html)
    return " ".join(html.replace("&nbsp;", " ").replace("\xa0", " ").split())


def element(html, element_id):
    """The HTML from the element with `element_id` up to the next element with an id."""
    start = html.index(f'id="{element_id}"')
    following = re.search(r' id="', html[start + 1 :])
    end = start + 1 + following.start() if following else len(html)
    return html[start:end]


@pytest.fixture
def viewer(django_user_model):
    user = django_user_model.objects.create_user("ratsmitglied", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="view_nonpublic_paper"))
    return user


def test_949_shows_its_header_facts(client, demo):
    response = client.get("/drucksachen/2019/949/")
    assert response.status_code == 200
    page = text_of(response.text)
    assert "GRDrs 949/2019" in page
    assert "Verlängerung des Integrationsmanagements" in page
    assert "Art der Vorlage Beschlussvorlage" in page
    assert "Datum 13.11.2019" in page
    assert "Referat Soziales und gesellschaftliche Integration (SI)" in page
    assert "Aktenzeichen (Gz) SI" in page
    assert "Dr. Alexandra Sußmann, Bürgermeisterin" in page
    assert "Stand beschlossen" in page
    assert "<title>GRDrs 949/2019" in response.text


def test_949_lists_the_co_signing_departments(client, demo):
    page = text_of(client.get("/drucksachen/2019/949/").text)
    assert "Referat Wirtschaft, Finanzen und Beteiligungen (WFB)" in page
    assert "Referat Allgemeine Verwaltung, Kultur und Recht (AKR)" in page


def test_949_shows_the_beratungsfolge_as_a_table(client, demo):
    html = client.get("/drucksachen/2019/949/").text
    table = text_of(element(html, "beratungsfolge"))
    assert (
        "25.11.2019 Sozial- und Gesundheitsausschuss Vorberatung öffentlich zugestimmt"
        in table
    )
    assert "04.12.2019 Verwaltungsausschuss Vorberatung öffentlich zugestimmt" in table
    assert "05.12.2019 Gemeinderat Beschlussfassung öffentlich zugestimmt" in table
    assert '<th scope="col">' in element(html, "beratungsfolge")


def test_949_shows_all_six_items_with_their_state(client, demo):
    html = client.get("/drucksachen/2019/949/").text
    for number in range(1, 7):
        item = text_of(element(html, f"ziffer-{number}"))
        assert "Beschluss: wie beantragt" in item
        assert "Umsetzung: offen" in item


def test_item_3_extends_the_authorisation_of_532_2017(client, demo):
    item = element(client.get("/drucksachen/2019/949/").text, "ziffer-3")
    assert 'href="/drucksachen/2017/532/"' in item
    text = text_of(item)
    assert "Verlängert die Ermächtigung aus GRDrs 532/2017" in text
    assert "Koordinierende Steuerungsfunktion" in text
    assert "50 % EG 10 TVöD, Jobcenter" in text
    assert "verlängert bis 31.12.2021; unbefristet ausschreibbar" in text


def test_item_5_links_to_692_2018(client, demo):
    item = element(client.get("/drucksachen/2019/949/").text, "ziffer-5")
    assert 'href="/drucksachen/2018/692/"' in item
    text = text_of(item)
    assert "Verlängert die Ermächtigung aus GRDrs 692/2018" in text
    assert "Erledigt Stellenplanantrag Nr. 9 (lfd. Nr. 3295" in text


def test_item_4_settles_stellenplanantrag_8(client, demo):
    item = text_of(element(client.get("/drucksachen/2019/949/").text, "ziffer-4"))
    assert (
        "Erledigt Stellenplanantrag Nr. 8 (lfd. Nr. 3290, Doppelhaushalt 2020/2021)"
        in item
    )


def test_949_sums_the_integrationsmanagement_per_year(client, demo):
    html = client.get("/drucksachen/2019/949/").text
    table = text_of(element(html, "finanzen-ziffer-6"))
    assert "Summe 2020 (Aufwand) 3.505.000,00 €" in table
    assert "Summe 2021 (Aufwand) 3.505.000,00 €" in table
    assert "Summe 2020 (Ertrag) 3.270.000,00 €" in table
    # The 2021 breakdown is shown but not added twice.
    assert "davon Finanzierung von 51,1 Stellen" in table
    assert "3.270.000,00 €" in table and "235.000,00 €" in table
    assert "THH 500 – Sozialamt" in table
    assert "5003140 – Soziale Einrichtungen" in table


def test_949_sums_all_its_funding_per_year(client, demo):
    html = client.get("/drucksachen/2019/949/").text
    totals = text_of(element(html, "finanzen-summen"))
    # 3.505.000 + 34.450 + 85.800 + 26.200 in each year.
    assert "2020 Aufwand 3.651.450,00 €" in totals
    assert "2021 Aufwand 3.651.450,00 €" in totals


def test_949_shows_each_position_history(client, demo):
    positions = text_of(element(client.get("/drucksachen/2019/949/").text, "stellen"))
    assert "geschaffen durch GRDrs 532/2017 bis 31.12.2019" in positions
    assert "verlängert durch GRDrs 949/2019 Ziff. 3 bis 31.12.2021" in positions
    assert "geschaffen durch GRDrs 692/2018 Ziff. 2 ab 01.11.2018 bis 31.12.2019" in (
        positions
    )


def test_949_shows_its_references_and_text_sections(client, demo):
    html = client.get("/drucksachen/2019/949/").text
    references = element(html, "bezuege")
    assert 'href="/drucksachen/2017/532/"' in references
    assert 'href="/drucksachen/2018/692/"' in references
    assert 'href="/drucksachen/2019/341/"' in references
    assert "zitiert GRDrs 341/2019" in text_of(references)
    page = text_of(html)
    for heading in ["Begründung", "Ausblick", "Finanzielle Auswirkungen"]:
        assert f"{heading}" in page


def test_532_2017_shows_that_949_2019_extended_it(client, demo):
    html = client.get("/drucksachen/2017/532/").text
    page = text_of(html)
    assert "verlängert durch GRDrs 949/2019" in page
    assert 'href="/drucksachen/2019/949/#ziffer-3"' in html
    assert "fortgesetzt durch GRDrs 949/2019" in text_of(element(html, "bezuege"))
    assert "28.09.2017 Gemeinderat Beschlussfassung öffentlich zugestimmt" in page


def test_692_2018_shows_that_949_2019_extended_it(client, demo):
    html = client.get("/drucksachen/2018/692/").text
    assert "verlängert durch GRDrs 949/2019 Ziff. 5 bis 31.12.2021" in text_of(html)
    assert 'href="/drucksachen/2019/949/#ziffer-5"' in html


def test_a_stub_paper_says_it_is_only_known_by_citation(client, demo):
    html = client.get("/drucksachen/2019/341/").text
    page = text_of(html)
    assert "nur bekannt, weil andere Drucksachen sie zitieren" in page
    assert "zitiert in GRDrs 949/2019" in page
    assert "Beratungsfolge" not in page
    assert "Art der Vorlage" not in page


def test_an_unknown_paper_answers_404(client, demo):
    assert client.get("/drucksachen/2019/948/").status_code == 404
    assert client.get("/drucksachen/2019/949/Ergänzung/").status_code == 404


def test_a_supplement_has_its_own_address(client, demo):
    PaperFactory(number=949, year=2019, suffix="Ergänzung", title="Nachtrag")
    response = client.get("/drucksachen/2019/949/Ergänzung/")
    assert response.status_code == 200
    assert "GRDrs 949/2019 Ergänzung" in text_of(response.text)


def test_a_non_public_paper_answers_404_to_anonymous_visitors(client):
    paper = PaperFactory(is_public=False)
    assert client.get(paper.get_absolute_url()).status_code == 404


def test_a_permitted_user_sees_a_non_public_paper_marked(client, viewer):
    paper = PaperFactory(is_public=False, title="Grundstücksgeschäft")
    client.force_login(viewer)
    response = client.get(paper.get_absolute_url())
    assert response.status_code == 200
    assert "nichtöffentlich" in response.text


def test_a_non_public_consultation_is_hidden_from_anonymous_visitors(client):
    paper = PaperFactory()
    ConsultationFactory(paper=paper, order=1, is_public=True, result_note="offen A")
    ConsultationFactory(paper=paper, order=2, is_public=False, result_note="geheim B")
    page = client.get(paper.get_absolute_url()).text
    assert "offen A" in page
    assert "geheim B" not in page


def test_a_reference_to_a_non_public_paper_is_hidden(client):
    public = PaperFactory()
    hidden = PaperFactory(is_public=False)

    PaperReference.objects.create(
        from_paper=hidden, to_paper=public, kind=PaperReference.Kind.CITES
    )
    page = client.get(public.get_absolute_url()).text
    assert hidden.reference not in page


def _paper_with_rows(rows):
    paper = PaperFactory()
    for order in range(1, rows + 1):
        ConsultationFactory(
            paper=paper, order=order, result=Consultation.Result.APPROVED
        )
        item = ResolutionItemFactory(paper=paper, number=order)
        PositionDecisionFactory(paper=paper, resolution_item=item)
        FundingLineFactory(paper=paper, resolution_item=item)
    return paper


# Every relation the page shows is one prefetch query (each through the visibility
# rule of its model), whatever the number of rows; positions and funding reach the
# paper with their own relations selected in the same query.
# +1: when what the page shows last changed, from the audit trail.
# +1: the funding totals per year, of the paper and of each item, in SQL.
# The items' decisions (with their positions' histories) and funding lines are
# the paper's own, not fetched again per item.
PAPER_QUERIES = 17
PAPER_949_QUERIES = 17


@pytest.mark.parametrize("rows", [1, 50])
def test_a_paper_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, rows
):
    paper = _paper_with_rows(rows)
    with django_assert_max_num_queries(PAPER_QUERIES):
        response = client.get(paper.get_absolute_url())
    assert response.status_code == 200


def test_949_runs_a_fixed_number_of_queries(client, demo, django_assert_num_queries):
    with django_assert_num_queries(PAPER_949_QUERIES):
        client.get("/drucksachen/2019/949/")


def test_the_paper_list_shows_newest_first_with_facts(client, demo):
    response = client.get("/drucksachen/")
    html = response.text
    assert html.index("/drucksachen/2019/949/") < html.index("/drucksachen/2017/532/")
    page = text_of(html)
    assert "949/2019 13.11.2019 Beschlussvorlage Pakt für Integration" in page
    assert "4 Drucksachen" in page


@pytest.mark.parametrize(
    ("params", "present", "absent"),
    [
        ({"year": "2017"}, "532/2017", "949/2019"),
        ({"committee": "jugendhilfeausschuss"}, "532/2017", "949/2019"),
        ({"state": "adopted"}, "949/2019", "341/2019"),
        ({"paper_type": "beschlussvorlage"}, "692/2018", "341/2019"),
    ],
)
def test_the_paper_list_filters(client, demo, params, present, absent):
    # The English names of before lead permanently to the German ones.
    moved = client.get("/drucksachen/", params)
    assert moved.status_code == 301
    german = {"year": "jahr", "committee": "gremium", "state": "stand"}
    german["paper_type"] = "art"
    (name,) = params
    assert f"{german[name]}={params[name]}" in moved["Location"]
    html = client.get(moved["Location"]).text
    page = text_of(html[html.index('<p class="result-count"') :])
    assert present in page
    assert absent not in page


def test_the_paper_list_filters_by_department(client, demo):

    si = Department.objects.get(short_name="SI")
    page = text_of(client.get("/drucksachen/", {"dienststelle": si.pk}).text)
    assert "3 Drucksachen" in page
    moved = client.get("/drucksachen/", {"department": si.pk})
    assert moved.status_code == 301
    assert moved["Location"] == f"/drucksachen/?dienststelle={si.pk}"


def test_filters_and_search_stay_in_the_pagination_links(client):
    for _ in range(25):
        PaperFactory(year=2021, title="Radweg")
    html = client.get("/drucksachen/", {"q": "Radweg", "jahr": "2021"}).text
    assert "Seite 1 von 2" in text_of(html)
    assert "q=Radweg&amp;jahr=2021&amp;seite=2" in html
    second = client.get("/drucksachen/", {"q": "Radweg", "jahr": "2021", "seite": 2})
    assert "Seite 2 von 2" in text_of(second.text)
    old = client.get("/drucksachen/", {"q": "Radweg", "year": "2021", "page": 2})
    assert old.status_code == 301
    assert old["Location"] == "/drucksachen/?q=Radweg&seite=2&jahr=2021"


def test_an_invalid_filter_value_is_named_on_the_page_in_german(client, demo):
    response = client.get("/drucksachen/", {"jahr": "²²²²", "stand": "adopted"})
    assert response.status_code == 200
    page = text_of(response.text)
    assert "Bitte eine gültige Auswahl treffen" in page
    # The valid filter still applies; the invalid one is left out.
    assert "949/2019" in page and "341/2019" not in page


def test_the_paper_list_hides_non_public_papers_from_anonymous_visitors(client):
    PaperFactory(is_public=False, title="Geheimsache")
    PaperFactory(title="Offene Sache")
    page = client.get("/drucksachen/").text
    assert "Offene Sache" in page
    assert "Geheimsache" not in page
    assert "1 Drucksache" in text_of(page)


@pytest.mark.parametrize("rows", [1, 50])
def test_the_paper_list_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        PaperFactory()
    with django_assert_max_num_queries(8):
        assert client.get("/drucksachen/", {"q": "Vorlage"}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/drucksachen/99999999999999999999/949/",
        "/drucksachen/2019/99999999999999999999/",
        "/drucksachen/0/0/",
        "/drucksachen/2019/949/%00/",
        "/drucksachen/2019/949/" + "x" * 300 + "/",
        "/drucksachen/2019/949/%E2%80%AE%F0%9F%92%A5/",
    ],
)
def test_odd_paper_addresses_answer_404_not_an_error(client, demo, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"seite": "x"},
        {"seite": "99999999999999999999"},
        {"department": "99999999999999999999"},
        {"committee": "\x00"},
        {"q": "\x00", "year": "\x00", "state": "\x00", "paper_type": "\x00"},
        {"dienststelle": "99999999999999999999"},
        {"gremium": "\x00"},
        {"q": "\x00", "jahr": "\x00", "stand": "\x00", "art": "\x00"},
        {"jahr": "²²²²", "umsetzung": "\x00", "ueberfaellig": "\x00"},
    ],
)
def test_odd_list_parameters_never_cause_a_server_error(client, demo, params):
    # Old parameter names answer with a redirect to the German ones (301).
    papers = client.get("/drucksachen/", params, follow=True)
    assert papers.status_code in (200, 404)
    assert all(status == 301 for _url, status in papers.redirect_chain)
    items = client.get("/beschlusskontrolle/", params, follow=True)
    assert items.status_code in (200, 404)
    assert all(status == 301 for _url, status in items.redirect_chain)


def test_a_step_resting_on_a_non_public_paper_is_left_out_of_a_history(client):
    public = PaperFactory()
    hidden = PaperFactory(is_public=False)
    decision = PositionDecisionFactory(paper=public)
    PositionDecisionFactory(
        position=decision.position,
        paper=hidden,
        action=PositionDecision.Action.MADE_PERMANENT,
        valid_until=None,
    )
    html = client.get(public.get_absolute_url()).text
    assert hidden.reference not in html
    assert "entfristet" not in html
    assert "nichtöffentlich" not in html


def test_a_permitted_user_sees_non_public_papers_marked_in_the_list(client, viewer):
    PaperFactory(is_public=False, title="Grundstücksgeschäft")
    client.force_login(viewer)
    html = client.get("/drucksachen/").text
    row = html[
        html.index("Grundstücksgeschäft") - 600 : html.index("Grundstücksgeschäft")
    ]
    assert "nichtöffentlich" in row


# Years, departments and committees for the filter form, the count, the page of
# papers with their state, when they last changed; the savepoints of
# ATOMIC_REQUESTS.
PAPER_LIST_QUERIES = 8


@pytest.mark.parametrize("rows", [1, 45])
def test_the_paper_list_runs_the_same_queries_at_any_volume(
    client, django_assert_num_queries, rows
):
    committee = CommitteeFactory(slug="gr")
    for _ in range(rows):
        ConsultationFactory(committee=committee, paper=PaperFactory(year=2020))
    with django_assert_num_queries(PAPER_LIST_QUERIES):
        assert client.get("/drucksachen/").status_code == 200
    # +1: the committee a filter names is looked up to check it.
    filtered = {"jahr": "2020", "gremium": "gr", "stand": "in_consultation"}
    with django_assert_num_queries(PAPER_LIST_QUERIES + 1):
        response = client.get("/drucksachen/", filtered)
    assert f"{rows} Drucksache" in text_of(response.text)
