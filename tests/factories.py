import datetime
from decimal import Decimal

import factory

from council.models import (
    Committee,
    Consultation,
    Department,
    Paper,
    ResolutionItem,
)
from funding.models import FundingLine
from positions.models import Position, PositionDecision


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Amt {n}")
    kind = Department.Kind.AMT


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Ausschuss {n}")
    slug = factory.Sequence(lambda n: f"ausschuss-{n}")
    kind = Committee.Kind.COMMITTEE


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper

    number = factory.Sequence(lambda n: 100 + n)
    year = 2020
    paper_type = Paper.Type.DECISION
    title = factory.Sequence(lambda n: f"Vorlage {n}")
    # Later papers get later dates, as in a real register.
    date = factory.Sequence(lambda n: datetime.date(2018, 1, 1) + datetime.timedelta(n))
    department = factory.SubFactory(DepartmentFactory)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    paper = factory.SubFactory(PaperFactory)
    order = factory.Sequence(lambda n: n + 1)
    committee = factory.SubFactory(CommitteeFactory)
    role = Consultation.Role.DECISION
    date = datetime.date(2020, 3, 20)


class ResolutionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResolutionItem

    paper = factory.SubFactory(PaperFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Dem Vorhaben wird zugestimmt."


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    function = factory.Sequence(lambda n: f"Sachbearbeitung {n}")
    department = factory.SubFactory(DepartmentFactory)
    share_percent = Decimal("100")
    pay_grade = "EG 9"


class PositionDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PositionDecision

    position = factory.SubFactory(PositionFactory)
    paper = factory.SubFactory(PaperFactory)
    action = PositionDecision.Action.CREATED
    valid_until = datetime.date(2021, 12, 31)


class FundingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingLine

    paper = factory.SubFactory(PaperFactory)
    purpose = "Sachkosten"
    year = 2021
    amount = Decimal("1000.00")
    budget_status = FundingLine.BudgetStatus.BUDGETED


def adopted_paper(**fields):
    """A paper whose Beschlussfassung approved it."""
    paper = PaperFactory(**fields)
    ConsultationFactory(paper=paper, order=1, result=Consultation.Result.APPROVED)
    return paper
