"""council.widgets.Select writes what Django's Select renders through its
templates, byte for byte."""

import pytest
from django import forms

from council.models import Committee
from council.widgets import Select
from tests.factories import CommitteeFactory

CASES = {
    "plain, one chosen": ([("", "alle"), ("a", "A <b>"), (2019, "2019")], "a", None),
    "groups and attributes": (
        [("", "alle"), ("Gruppe <1>", [("1", "eins"), ("2", 'zwei "&"')]), ("3", "d")],
        "2",
        {"id": "id_y", "required": True, "disabled": False, "data-x": None},
    ),
    "no choices": ([], None, {"aria-describedby": "hilfe"}),
    "several values": ([("x", "x"), ("y", "y")], ["x", "y"], {"class": "c"}),
}


@pytest.mark.parametrize("case", CASES)
def test_select_writes_what_djangos_templates_write(case):
    choices, value, attrs = CASES[case]
    assert Select(choices=choices).render("f", value, attrs) == forms.Select(
        choices=choices
    ).render("f", value, attrs)


@pytest.mark.django_db
def test_a_model_choice_field_is_written_the_same():
    CommitteeFactory.create_batch(3)
    chosen = Committee.objects.first()
    ours = forms.ModelChoiceField(Committee.objects.all(), widget=Select)
    djangos = forms.ModelChoiceField(Committee.objects.all())
    assert ours.widget.render("gremium", chosen.pk, {"id": "id_g"}) == (
        djangos.widget.render("gremium", chosen.pk, {"id": "id_g"})
    )
