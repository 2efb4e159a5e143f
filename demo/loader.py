"""The demo data of DESIGN.md: GRDrs 949/2019 and the papers it rests on.

Every fact comes from the texts in `demo/corpus/`. Loading is idempotent: each row
is found by its natural key and updated, so a second run changes nothing.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from council.models import (
    Committee,
    Consultation,
    Department,
    Meeting,
    Paper,
    PaperReference,
    PaperSection,
    ResolutionItem,
)
from funding.models import AccountGroup, BudgetUnit, CostCentre, FundingLine, Product
from positions.models import PayScheme, Position, PositionDecision, PositionPlanRequest

from . import corpus

Role = Consultation.Role
Result = Consultation.Result
Action = PositionDecision.Action
Line = FundingLine

GRDRS_949 = "grdrs_0949_2019.txt"
DOUBLE_BUDGET = "Doppelhaushalt 2020/2021"
END_2019 = datetime.date(2019, 12, 31)
END_2021 = datetime.date(2021, 12, 31)

TITLE_532 = (
    "Pakt für Integration - Umsetzung bei der Landeshauptstadt Stuttgart und "
    "ergänzende Maßnahmen in den Jahren 2018/2019"
)
TITLE_692 = (
    "Pakt für Integration - Erfüllung neuer, zusätzlicher Aufgaben aus gesetzlicher "
    "Vorschrift bei der Abteilung Sozialplanung, Sozialberichterstattung und "
    "Förderung des Sozialamts"
)
TITLE_341 = (
    "Fortsetzen von Maßnahmen aus dem Pakt für Integration des Landes "
    "Baden-Württemberg und ergänzender Maßnahmen der Landeshauptstadt Stuttgart zur "
    "Förderung der Integration von Flüchtlingen"
)
TITLE_949 = (
    "Pakt für Integration - Verlängerung des Integrationsmanagements in den Jahren "
    "2020 und 2021"
)


def date(text):
    return datetime.datetime.strptime(text, "%d.%m.%Y").date()


@transaction.atomic
def load_demo():
    departments = _departments()
    committees = _committees()
    papers = _papers(departments, committees)
    positions = _positions(departments, papers)
    _funding(departments, papers, positions)
    _plan_requests(departments, papers, positions)


def _departments():
    def department(name, short_name, kind, parent=None):
        obj, _ = Department.objects.update_or_create(
            name=name,
            defaults={"short_name": short_name, "kind": kind, "parent": parent},
        )
        return obj

    Kind = Department.Kind
    si = department(
        "Referat Soziales und gesellschaftliche Integration", "SI", Kind.REFERAT
    )
    return {
        "SI": si,
        "WFB": department(
            "Referat Wirtschaft, Finanzen und Beteiligungen", "WFB", Kind.REFERAT
        ),
        "AKR": department(
            "Referat Allgemeine Verwaltung, Kultur und Recht", "AKR", Kind.REFERAT
        ),
        "Sozialamt": department("Sozialamt", "", Kind.AMT, parent=si),
        "Jobcenter": department("Jobcenter", "", Kind.JOBCENTER, parent=si),
    }


def _committees():
    def committee(name, slug, kind=Committee.Kind.COMMITTEE):
        obj, _ = Committee.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
        return obj

    return {
        "GR": committee("Gemeinderat", "gemeinderat", Committee.Kind.COUNCIL),
        "VA": committee("Verwaltungsausschuss", "verwaltungsausschuss"),
        "SGA": committee(
            "Sozial- und Gesundheitsausschuss", "sozial-und-gesundheitsausschuss"
        ),
        "JHA": committee("Jugendhilfeausschuss", "jugendhilfeausschuss"),
        "IA": committee("Internationaler Ausschuss", "internationaler-ausschuss"),
    }


def _paper(number, year, **fields):
    co_signers = fields.pop("co_signing_departments", [])
    paper, _ = Paper.objects.update_or_create(
        number=number, year=year, suffix="", defaults=fields
    )
    paper.co_signing_departments.set(co_signers)
    return paper


def _consultations(paper, steps):
    """steps: (committee, role, date, result, note); all public, in printed order."""
    for order, (committee, role, day, result, note) in enumerate(steps, start=1):
        meeting, _ = Meeting.objects.get_or_create(
            committee=committee, date=date(day), defaults={"is_public": True}
        )
        Consultation.objects.update_or_create(
            paper=paper,
            order=order,
            defaults={
                "committee": committee,
                "meeting": meeting,
                "date": meeting.date,
                "role": role,
                "is_public": True,
                "result": result,
                "result_note": note,
            },
        )


def _items(paper, texts):
    return {
        number: ResolutionItem.objects.update_or_create(
            paper=paper, number=number, defaults={"text": text}
        )[0]
        for number, text in enumerate(texts, start=1)
    }


def _sections(paper, sections):
    for order, (heading, body) in enumerate(sections, start=1):
        PaperSection.objects.update_or_create(
            paper=paper, order=order, defaults={"heading": heading, "body": body}
        )


def _refer(from_paper, to_paper, kind):
    PaperReference.objects.get_or_create(
        from_paper=from_paper, to_paper=to_paper, kind=kind
    )


def _papers(departments, committees):
    si = departments["SI"]
    c = committees
    decision = Paper.Type.DECISION

    p532 = _paper(
        532,
        2017,
        paper_type=decision,
        title=TITLE_532,
        date=date("06.09.2017"),
        department=si,
        file_reference="SI",
    )
    # Results as recorded in the Gemeinderat's protocol of 28.09.2017.
    _consultations(
        p532,
        [
            (
                c["JHA"],
                Role.DELIBERATION,
                "18.09.2017",
                Result.APPROVED,
                "einmütige Zustimmung",
            ),
            (
                c["SGA"],
                Role.DELIBERATION,
                "25.09.2017",
                Result.APPROVED_AMENDED,
                "einmütige Zustimmung zu einer ergänzten Beschlussantragsziffer 5, "
                "mehrheitliche Zustimmung zu einer veränderten "
                "Beschlussantragsziffer 12, Verweisung der Themen kw-Vermerke bei "
                "den Beschlussantragsziffern 8 und 13 in den Verwaltungsausschuss",
            ),
            (
                c["VA"],
                Role.DELIBERATION,
                "27.09.2017",
                Result.APPROVED_AMENDED,
                "mehrheitliche Zustimmung zum modifizierten Beschlussantrag",
            ),
            (c["GR"], Role.DECISION, "28.09.2017", Result.APPROVED, ""),
        ],
    )
    # Only the items the shortened text gives in full.
    items_532 = corpus.items("grdrs_0532_2017.txt", "Beschlußantrag:", "5. Es gelten")
    _items(p532, items_532)

    p692 = _paper(
        692,
        2018,
        paper_type=decision,
        title=TITLE_692,
        date=date("14.11.2018"),
        department=si,
        file_reference="SI",
    )
    _consultations(
        p692,
        [
            (c["SGA"], Role.PRELIMINARY, "19.11.2018", Result.APPROVED, ""),
            (c["VA"], Role.PRELIMINARY, "21.11.2018", Result.APPROVED, ""),
            (c["GR"], Role.DECISION, "22.11.2018", Result.APPROVED, ""),
        ],
    )
    items_692 = _items(
        p692,
        corpus.items(
            "grdrs_0692_2018.txt", "Beschlußantrag:", "Kurzfassung der Begründung:"
        ),
    )
    _refer(p692, p532, PaperReference.Kind.CITES)

    p341, _ = Paper.objects.update_or_create(
        number=341,
        year=2019,
        suffix="",
        defaults={"title": TITLE_341, "is_stub": True},
    )

    p949 = _paper(
        949,
        2019,
        paper_type=decision,
        title=TITLE_949,
        date=date("13.11.2019"),
        department=si,
        file_reference="SI",
        signed_by_name="Dr. Alexandra Sußmann",
        signed_by_office="Bürgermeisterin",
        co_signing_departments=[departments["WFB"], departments["AKR"]],
    )
    _consultations(
        p949,
        [
            (c["SGA"], Role.PRELIMINARY, "25.11.2019", Result.APPROVED, ""),
            (c["VA"], Role.PRELIMINARY, "04.12.2019", Result.APPROVED, ""),
            (c["GR"], Role.DECISION, "05.12.2019", Result.APPROVED, ""),
        ],
    )
    items_949 = _items(p949, corpus.items(GRDRS_949, "Beschlußantrag:", "Begründung:"))
    _sections(
        p949,
        [
            ("Begründung", corpus.between(GRDRS_949, "Begründung:", "Ausblick")),
            (
                "Ausblick",
                corpus.between(GRDRS_949, "Ausblick", "Finanzielle Auswirkungen"),
            ),
            (
                "Finanzielle Auswirkungen",
                corpus.between(
                    GRDRS_949, "Finanzielle Auswirkungen", "Beteiligte Stellen"
                ),
            ),
            (
                "Beteiligte Stellen",
                corpus.between(GRDRS_949, "Beteiligte Stellen", "Vorliegende Anträge"),
            ),
        ],
    )
    _refer(p949, p532, PaperReference.Kind.EXTENDS)
    _refer(p949, p692, PaperReference.Kind.EXTENDS)
    _refer(p949, p341, PaperReference.Kind.CITES)

    return {
        "532/2017": p532,
        "692/2018": p692,
        "341/2019": p341,
        "949/2019": p949,
        "items_692": items_692,
        "items_949": items_949,
    }


def _position(department, function, share, grade, decisions):
    position, _ = Position.objects.update_or_create(
        department=department,
        function=function,
        defaults={
            "share_percent": Decimal(share),
            "pay_scheme": PayScheme.TVOED,
            "pay_grade": grade,
            "kind": Position.Kind.AUTHORISATION,
        },
    )
    for paper, action, fields in decisions:
        PositionDecision.objects.update_or_create(
            position=position, paper=paper, action=action, defaults=fields
        )
    return position


def _extension_949(item):
    return {
        "resolution_item": item,
        "extends_until": END_2019,
        "valid_from": END_2019 + datetime.timedelta(days=1),
        "valid_until": END_2021,
        "may_advertise_unlimited": True,
    }


def _positions(departments, papers):
    p532, p692, p949 = papers["532/2017"], papers["692/2018"], papers["949/2019"]
    items_949, items_692 = papers["items_949"], papers["items_692"]
    created_532 = {"valid_until": END_2019}
    return {
        "coordination": _position(
            departments["Jobcenter"],
            "Koordinierende Steuerungsfunktion der Zusammenarbeit von "
            "Integrationsmanagern und Persönlichen Ansprechpartnern",
            "50",
            "EG 10",
            [
                (p532, Action.CREATED, created_532),
                (p949, Action.EXTENDED, _extension_949(items_949[3])),
            ],
        ),
        "planning": _position(
            departments["Sozialamt"],
            "Planungs- und koordinierende Steuerungsfunktion zur Integration von "
            "Flüchtlingen",
            "100",
            "EG 13",
            [
                (p532, Action.CREATED, created_532),
                (p949, Action.EXTENDED, _extension_949(items_949[4])),
            ],
        ),
        "assistance": _position(
            departments["Sozialamt"],
            "Verwaltungs- und Assistenzaufgaben",
            "50",
            "EG 8",
            # Ziff. 2 grants it from 01.11.2018, Ziff. 3 limits it to 31.12.2019.
            [
                (
                    p692,
                    Action.CREATED,
                    {
                        "resolution_item": items_692[2],
                        "valid_from": date("01.11.2018"),
                        "valid_until": END_2019,
                        "may_advertise_unlimited": True,
                    },
                ),
                (p949, Action.EXTENDED, _extension_949(items_949[5])),
            ],
        ),
    }


def _code(model, number, name, **fields):
    return model.objects.update_or_create(
        number=number, defaults={"name": name, **fields}
    )[0]


def _line(paper, purpose, year, direction=Line.Direction.EXPENSE, **fields):
    return FundingLine.objects.update_or_create(
        paper=paper,
        purpose=purpose,
        year=year,
        direction=direction,
        defaults=fields,
    )[0]


def _funding(departments, papers, positions):
    p949, items = papers["949/2019"], papers["items_949"]
    thh500 = _code(BudgetUnit, "500", "Sozialamt", department=departments["Sozialamt"])
    thh290 = _code(BudgetUnit, "290", "Jobcenter", department=departments["Jobcenter"])
    codes = {
        "budget_unit": thh500,
        "cost_centre": _code(
            CostCentre, "5003140", "Soziale Einrichtungen", budget_unit=thh500
        ),
        "product": _code(Product, "1.31.40.01.10.00-500", "Flüchtlingsunterkünfte"),
        "account_group": _code(
            AccountGroup, "43100", "Zuweisungen und Zuschüsse für laufende Zwecke"
        ),
    }
    not_budgeted = Line.BudgetStatus.NOT_BUDGETED

    for year in (2020, 2021):
        for item, unit, key, purpose, amount in [
            (
                3,
                thh290,
                "coordination",
                "Koordinierende Steuerungsfunktion der Zusammenarbeit von "
                "Integrationsmanagerinnen und -manager und Persönliche/r "
                "Ansprechpartnerinnen und -partner, 50 % in EG 10 TVöD",
                "34450",
            ),
            (4, thh500, "planning", "Sozialplanung, 100 % in EG 13 TVöD", "85800"),
            (
                5,
                thh500,
                "assistance",
                "Verwaltungs- und Assistenzstelle, 50 % in EG 8 TVöD",
                "26200",
            ),
        ]:
            _line(
                p949,
                purpose,
                year,
                resolution_item=items[item],
                budget_unit=unit,
                amount=Decimal(amount),
                source=Line.Source.CITY,
                budget_status=not_budgeted,
                position=positions[key],
            )

    purpose = (
        "Zuschüsse Integrationsmanagement, einschließlich städtischer "
        "Sachkostenförderung für das Integrationsmanagement der Träger der "
        "Wohlfahrtspflege Stuttgart"
    )
    total = {}
    for year in (2020, 2021):
        total[year] = _line(
            p949,
            purpose,
            year,
            resolution_item=items[6],
            amount=Decimal("3505000"),
            source=Line.Source.CITY,
            budget_status=Line.BudgetStatus.BUDGETED,
            **codes,
        )
    # How the 2021 sum splits, as the Begründung says; the parts do not add twice.
    _line(
        p949,
        "Finanzierung von 51,1 Stellen im Integrationsmanagement bei den Trägern "
        "der Wohlfahrtspflege aus städtischen Mitteln",
        2021,
        resolution_item=items[6],
        amount=Decimal("3270000"),
        funded_posts=Decimal("51.1"),
        source=Line.Source.CITY,
        budget_status=Line.BudgetStatus.BUDGETED,
        part_of=total[2021],
        **codes,
    )
    _line(
        p949,
        "Städtischer Zuschuss für die Sachkosten",
        2021,
        resolution_item=items[6],
        amount=Decimal("235000"),
        source=Line.Source.CITY,
        budget_status=Line.BudgetStatus.BUDGETED,
        part_of=total[2021],
        **codes,
    )
    _line(
        p949,
        "Zu erwartende Landeserstattung für das Integrationsmanagement",
        2020,
        Line.Direction.REVENUE,
        resolution_item=items[6],
        amount=Decimal("3270000"),
        funded_posts=Decimal("51.1"),
        source=Line.Source.STATE,
        budget_status=not_budgeted,
        budget_unit=thh500,
    )


def _plan_requests(departments, papers, positions):
    items = papers["items_949"]
    for number, list_number, key, item in [
        (8, 3290, "planning", 4),
        (9, 3295, "assistance", 5),
    ]:
        PositionPlanRequest.objects.update_or_create(
            department=departments["Sozialamt"],
            budget=DOUBLE_BUDGET,
            request_number=number,
            defaults={
                "list_number": list_number,
                "position": positions[key],
                "settled_by": items[item],
            },
        )
