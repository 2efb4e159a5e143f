"""No input breaks a page: generated values for every query parameter of every
public page, OParl list, page of the HR register and admin changelist.

Each request carries a value for every parameter of its page at once, mostly
hostile (values.py), about one in four valid. Where the parameters are read one
after the other and the first bad one ends the request (OParl, the admin), one
request in three sends a single hostile value and valid ones for the rest, so
that the later parameters are reached too. A page gets EFFORT.values_per_parameter
requests (300 on PostgreSQL, see conftest.py): every parameter gets that many
values, and the test checks it counted them. Asserted for each answer: no status of
500 or above (the test client raises a view's exception), no HTML fragment that
was sent comes back unescaped; OParl answers JSON with CORS, errors included.
A request whose query string passes 4,000 bytes (one value of 1,000 to 5,000
characters, most of them beyond ASCII, does) gets the 414 of
config/input_guard.py, as gunicorn in front of the site refuses it.
"""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from council.models import Committee, Department, Paper, ResolutionItem
from positions.models import CalendarToken, PayScheme, Position

from .conftest import EFFORT, PROFILE
from .values import HOSTILE, encoded, query_string, reflected, value

pytestmark = pytest.mark.django_db

DATES = ["2019-12-05", "2020-01-01", "2021-12-31"]
MOMENTS = ["2019-01-01T00:00:00+01:00", "2030-01-01T00:00:00Z", "2019-12-05"]
OPARL_LISTS = [
    "body-list",
    "organization-list",
    "person-list",
    "meeting-list",
    "paper-list",
    "agenda-item-list",
    "consultation-list",
    "file-list",
    "legislative-term-list",
    "membership-list",
]


@dataclass
class Page:
    """A page and its parameters, each with some valid values."""

    name: str
    user: str  # "anonymous", "hr" or "admin"
    path: str  # may hold {name} for a parameter in the path
    params: dict = field(default_factory=dict)
    api: bool = False
    # The parameters are read one after the other and the first bad one ends the
    # request (OParl, the admin): one in three requests then sends one hostile
    # value and valid ones for the rest, so that the later ones are reached.
    ordered: bool = False


def public_pages():
    departments = [str(pk) for pk in Department.objects.values_list("pk", flat=True)]
    committees = list(Committee.objects.values_list("slug", flat=True))
    papers = {
        "q": ["Integration", "949/2019", "GRDrs 532/2017"],
        "jahr": ["2019", "2017"],
        "art": [choice for choice, _label in Paper.Type.choices],
        "dienststelle": departments,
        "gremium": committees,
        "stand": [choice for choice, _label in Paper.State.choices],
        "seite": ["1", "2"],
    }
    return [
        Page("Drucksachen", "anonymous", "/drucksachen/", papers),
        # A search is followed and read as a feed with the list's own parameters.
        Page("Suche abonnieren", "anonymous", "/abo/neu/suche/", papers),
        Page("Feed einer Suche", "anonymous", "/abo/feed/suche/", papers),
        Page(
            "Drucksache, Zusatz im Pfad",
            "anonymous",
            "/drucksachen/2019/949/{suffix}/",
            {"suffix": ["Ergänzung", "1. Ergänzung"]},
        ),
        Page(
            "Beschlusskontrolle",
            "anonymous",
            "/beschlusskontrolle/",
            {
                "umsetzung": [
                    choice for choice, _label in ResolutionItem.Implementation.choices
                ],
                "dienststelle": departments,
                "ueberfaellig": ["on", "1"],
                "seite": ["1", "2"],
            },
        ),
        Page(
            "Sitzungskalender",
            "anonymous",
            "/gremien/kalender.ics",
            {"gremium": committees},
        ),
        Page("Finanzen", "anonymous", "/finanzen/", {"jahr": ["2020", "2021"]}),
        Page(
            "Stellen, öffentlich",
            "anonymous",
            "/stellen/",
            {
                "dienststelle": departments,
                "art": [choice for choice, _label in Position.Kind.choices],
                "ablauf_in_monaten": ["0", "12", "600"],
                "seite": ["1", "2"],
            },
        ),
    ]


def hr_pages(token):
    departments = [str(pk) for pk in Department.objects.values_list("pk", flat=True)]
    grades = sorted(set(Position.objects.values_list("pay_grade", flat=True)))
    register = {
        "dienststelle": departments,
        "art": [choice for choice, _label in Position.Kind.choices],
        "ablauf_in_monaten": ["0", "12", "600"],
        "stand_am": DATES,
        "ablauf_ab": DATES,
        "ablauf_bis": DATES,
        "tarif": [choice for choice, _label in PayScheme.choices],
        "entgeltgruppe": grades,
        "befristung": ["active", "expired", "unlimited"],
    }
    return [
        Page("Stellen, Personalamt", "hr", "/stellen/", {**register, "seite": ["1"]}),
        Page("Export CSV", "hr", "/stellen/export.csv", register),
        Page("Export XLSX", "hr", "/stellen/export.xlsx", register),
        Page(
            "Kalender-Abo, Schlüssel im Pfad",
            "anonymous",
            "/stellen/kalender/{token}.ics",
            {"token": [token]},
        ),
        Page(
            "Kalender-Abo einer Dienststelle, Schlüssel im Pfad",
            "anonymous",
            "/stellen/kalender/{token}/dienststelle-1.ics",
            {"token": [token]},
        ),
    ]


def oparl_page(name):
    body = {} if name == "body-list" else {"ags": "08111000"}
    return Page(
        f"OParl {name}",
        "anonymous",
        reverse(f"oparl:{name}", kwargs=body),
        {
            "seite": ["1", "2"],
            "limit": ["1", "5", "100"],
            "created_since": MOMENTS,
            "created_until": MOMENTS,
            "modified_since": MOMENTS,
            "modified_until": MOMENTS,
            "omit_internal": ["true", "false", "1"],
        },
        api=True,
        ordered=True,
    )


def admin_page(client, model):
    """The changelist's parameters, with the values its own filters offer."""
    meta = model._meta
    path = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    changelist = client.get(path).context["cl"]
    model_admin = changelist.model_admin
    params = {
        "q": ["Integration", "949/2019", "admin"],
        "o": ["1", "-1", "2.-1"],
        "p": ["1", "2"],
    }
    for spec in changelist.filter_specs:
        for name in spec.expected_parameters():
            params.setdefault(name, [])
        for choice in spec.choices(changelist):
            for name, text in parse_qsl(choice["query_string"].lstrip("?")):
                if name in params and text not in params[name]:
                    params[name].append(text)
    # A field named in list_filter is also a lookup of its own (?pay_grade=…),
    # valid where its filter's exact lookup is.
    for entry in model_admin.list_filter:
        if isinstance(entry, str | tuple | list):
            name = entry if isinstance(entry, str) else entry[0]
            params.setdefault(
                name,
                params.get(f"{name}__exact") or params.get(f"{name}__id__exact") or [],
            )
    if model_admin.date_hierarchy:
        drill_down = {"year": ["2019", "2020"], "month": ["1", "12"], "day": ["5"]}
        for part, valid in drill_down.items():
            params[f"{model_admin.date_hierarchy}__{part}"] = valid
    # A parameter without a value of its own to offer: the empty one.
    params = {name: valid or [""] for name, valid in params.items()}
    return Page(f"Admin {meta.label}", "admin", path, params, ordered=True)


@pytest.fixture
def clients(demo, hr_user, admin_user):
    hr, superuser = Client(), Client()
    hr.force_login(hr_user)
    superuser.force_login(admin_user)
    return {"anonymous": Client(), "hr": hr, "admin": superuser}


def request(client, page, values):
    """GET the page with these values; the path's own parameters go in the path."""
    in_path = {
        name: encoded(text)
        for name, text in values.items()
        if f"{{{name}}}" in page.path
    }
    query = {name: text for name, text in values.items() if name not in in_path}
    url = page.path.format(**in_path) if in_path else page.path
    if query:
        url = f"{url}?{query_string(query)}"
    response = client.get(url)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert response.status_code < 500, (url, response.status_code)
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html"):
        assert not reflected(values, body), (url, reflected(values, body))
    if page.api:
        assert content_type.startswith("application/json"), (url, content_type)
        assert response["Access-Control-Allow-Origin"] == "*", url
    return response


def fuzz(client, page):
    """Send EFFORT.values_per_parameter requests; how many values each got."""
    sent = Counter()
    mixed = st.fixed_dictionaries(
        {name: value(valid) for name, valid in page.params.items()}
    )
    # One dictionary strategy per parameter that gets the hostile value, built
    # once rather than for every request inside flatmap's function.
    hostile_in = {
        hostile: st.fixed_dictionaries(
            {
                name: HOSTILE if name == hostile else st.sampled_from(valid)
                for name, valid in page.params.items()
            }
        )
        for hostile in page.params
    }
    one_hostile = st.sampled_from(sorted(page.params)).flatmap(hostile_in.__getitem__)
    each = (
        st.integers(0, 2).flatmap(lambda k: one_hostile if k == 0 else mixed)
        if page.ordered
        else mixed
    )
    requests = st.lists(each, min_size=EFFORT.batch, max_size=EFFORT.batch)

    @settings(settings.get_profile(f"fuzz-{PROFILE}"))
    @given(requests)
    def run(batch):
        for values in batch:
            request(client, page, values)
            sent.update(values.keys())

    run()
    for name in page.params:
        assert sent[name] >= EFFORT.values_per_parameter, (page.name, name)
    return sent


# The names of the pages above (their parameters' values need the database).
PUBLIC = [
    "Drucksachen",
    "Suche abonnieren",
    "Feed einer Suche",
    "Drucksache, Zusatz im Pfad",
    "Beschlusskontrolle",
    "Sitzungskalender",
    "Finanzen",
    "Stellen, öffentlich",
]
HR = [
    "Stellen, Personalamt",
    "Export CSV",
    "Export XLSX",
    "Kalender-Abo, Schlüssel im Pfad",
    "Kalender-Abo einer Dienststelle, Schlüssel im Pfad",
]


@pytest.mark.parametrize("name", PUBLIC)
def test_no_value_of_a_public_pages_parameters_breaks_it(clients, name):
    page = next(page for page in public_pages() if page.name == name)
    fuzz(clients[page.user], page)


@pytest.mark.parametrize("name", HR)
def test_no_value_of_the_hr_registers_parameters_breaks_it(clients, hr_user, name):
    token = CalendarToken.objects.issue(hr_user).secret
    page = next(page for page in hr_pages(token) if page.name == name)
    fuzz(clients[page.user], page)


@pytest.mark.parametrize("name", OPARL_LISTS)
def test_no_value_of_an_oparl_lists_parameters_breaks_it(clients, name):
    fuzz(clients["anonymous"], oparl_page(name))


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda model: model._meta.label
)
def test_no_value_of_an_admin_changelists_parameters_breaks_it(clients, model):
    page = admin_page(clients["admin"], model)
    fuzz(clients["admin"], page)
