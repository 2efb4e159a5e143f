# Written by hand (makemigrations would also take other uncommitted model changes):
# the vote counts of an item voted on by itself, as migration 0007 gave consultations.

from django.db import migrations, models


def _fields():
    return [
        (
            "votes_yes",
            models.PositiveSmallIntegerField(
                blank=True,
                help_text="Nur wenn über diese Ziffer einzeln abgestimmt wurde.",
                null=True,
                verbose_name="Ja-Stimmen",
            ),
        ),
        (
            "votes_no",
            models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="Nein-Stimmen"
            ),
        ),
        (
            "votes_abstain",
            models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="Enthaltungen"
            ),
        ),
        (
            "vote_note",
            models.CharField(
                blank=True,
                help_text="Wie gedruckt: „einmütig“, „einstimmig“, „mehrheitlich“.",
                max_length=60,
                verbose_name="Abstimmung",
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0009_paper_type_beantwortung_and_co_departments"),
    ]

    operations = [
        migrations.AddField(model_name=model, name=name, field=field)
        for model in ("resolutionitem", "historicalresolutionitem")
        for name, field in _fields()
    ]
