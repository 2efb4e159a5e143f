"""Large texts for the parser's running time: the benchmark and the linearity test.

Each shape takes a size `n` and makes a text that grows with it in one part of a
Vorlage: the paste of issue 10 (`GRDrs 5008/2021` and 490,000 short lines), a long
title, many items, a long Beratungsfolge, a long funding table, a long signature,
long lines, long runs of digits or spaces. Twice `n`, twice the text.
"""

from demo.corpus import text as corpus_text

TEXT_949 = corpus_text("grdrs_0949_2019.txt")
HEAD_949, _, REST_949 = TEXT_949.partition("Beschlußantrag:\n")
HEADER_949 = TEXT_949.split("\n\n\n\nPakt für Integration")[0]
TAIL_949 = (
    "\n\nBeteiligte Stellen\n\n---\n\nDr. A. B.\nBürgermeisterin\n\nAnlagen\n\n---\n"
)


def short_lines(n):
    """The paste of issue 10: a number, then n lines of one character."""
    return "GRDrs 5008/2021\n" + "x\n" * n


def padded_vorlage(n):
    """949/2019 with n short lines of text added to its Begründung."""
    lines = "".join(f"Zeile {k % 97} der Begründung.\n" for k in range(n))
    return TEXT_949.replace("Begründung:\n", "Begründung:\n" + lines, 1)


def long_title(n):
    """A title of n lines, every other one ending in a hyphen."""
    title = "".join("Integrations-\n" if k % 2 else "management\n" for k in range(n))
    return f"{HEADER_949}\n\n{title}\nBeschlußvorlage\n\nBeschlußantrag:\n1. Ja.\n"


def many_items(n):
    """A Beschlussantrag of n numbered items, each creating a position."""
    items = "".join(
        f"{k}. Das Sozialamt wird ermächtigt, Personal für Beratung {k} mit einem "
        "Beschäftigungsumfang von 50 % in EG 9a TVöD einzustellen.\n"
        for k in range(1, n + 1)
    )
    return f"{HEAD_949}Beschlußantrag:\n\n{items}{TAIL_949}"


def many_extensions(n):
    """One item extending n authorisations, each naming a function."""
    item = " ".join(
        "Die mit GRDrs 532/2017 beschlossene Ermächtigung bis 31.12.2019 für die "
        f"Aufgabe {k}, 50 % in EG 10 TVöD beim Jobcenter, wird bis 31.12.2021 "
        "verlängert."
        for k in range(n)
    )
    return f"{HEAD_949}Beschlußantrag:\n\n1. {item}\n{TAIL_949}"


def many_citations(n):
    """n papers cited in the Begründung, some of them twice."""
    cites = "".join(f"Siehe GRDrs {k % 5000 + 1}/2019.\n" for k in range(n))
    return TEXT_949.replace("Begründung:\n", "Begründung:\n" + cites, 1)


def long_consultation(n):
    """A Beratungsfolge whose committee name runs over n lines."""
    names = "Ausschuss für\n" + "Weitere Worte und\n" * n
    head = HEAD_949.split("Sozial- und Gesundheitsausschuss\n")[0]
    return (
        f"{head}{names}Vorberatung\nöffentlich\n25.11.2019\n\n"
        f"Beschlußantrag:\n{REST_949}"
    )


def funding_table(n):
    """A table of the Finanzielle Auswirkungen with n bullet rows and amounts."""
    rows = "".join(f"· Zweck {k}\n    weiter {k}\n" for k in range(n))
    amounts = "1.000 EUR\n" * (2 * n)
    table = (
        "\nIm Teilhaushalt 500 - Sozialamt sind folgende Beträge veranschlagt:\n\n"
        f"2020\n2021\n{rows}{amounts}\n"
    )
    return TEXT_949.replace(
        "Finanzielle Auswirkungen\n", "Finanzielle Auswirkungen\n" + table, 1
    )


def funding_prose(n):
    """n refunds and n split totals on one line of the Finanzielle Auswirkungen."""
    prose = " ".join(
        f"die zu erwartende Landeserstattung für das Jahr 2020 in Höhe von {k} EUR, "
        f"zuzüglich Sachkosten in Höhe von {k} EUR, Personal in Höhe von {k} EUR, "
        f"insgesamt {2 * k} EUR"
        for k in range(1, n + 1)
    )
    return TEXT_949.replace(
        "Finanzielle Auswirkungen\n", f"Finanzielle Auswirkungen\n{prose}\n", 1
    )


def many_co_signers(n):
    """n co-signing Referate, by short name."""
    names = ", ".join(["AKR", "WFB", "SOS", "T"] * (n // 4 + 1))
    return TEXT_949.replace(
        "Wirtschaft, Finanzen und Beteiligungen und Allgemeine Verwaltung, Kultur "
        "und Recht",
        names,
        1,
    )


def long_signature(n):
    """n lines without a blank line before Anlagen."""
    return TEXT_949.replace(
        "Dr. Alexandra Sußmann\n", "Dr. Alexandra Sußmann\n" + "i. A.\n" * n, 1
    )


def long_line(n):
    """One line of n words in the Begründung: für, %, GRDrs, amounts, no full stop."""
    words = " ".join(
        ("für", "die", "50", "%", "GRDrs", "in", "Höhe", "von", "3.270", "TEUR")[k % 10]
        for k in range(n)
    )
    return TEXT_949.replace("Begründung:\n", f"Begründung:\n{words}\n", 1)


def digit_run(n):
    """A run of n digits in the Finanzielle Auswirkungen."""
    return TEXT_949.replace(
        "Finanzielle Auswirkungen\n",
        "Finanzielle Auswirkungen\nim Jahr 2020 die Erstattung " + "1" * n + "\n",
        1,
    )


def space_run(n):
    """A line of the Beratungsfolge with n spaces inside it."""
    return TEXT_949.replace(
        "Sozial- und Gesundheitsausschuss\n",
        "Sozial-" + " " * n + "ausschuss\n",
        1,
    )


SHAPES = {
    "short_lines": short_lines,
    "padded_vorlage": padded_vorlage,
    "long_title": long_title,
    "many_items": many_items,
    "many_extensions": many_extensions,
    "many_citations": many_citations,
    "long_consultation": long_consultation,
    "funding_table": funding_table,
    "funding_prose": funding_prose,
    "many_co_signers": many_co_signers,
    "long_signature": long_signature,
    "long_line": long_line,
    "digit_run": digit_run,
    "space_run": space_run,
}


def size_for(shape, chars):
    """The `n` for which `shape` adds about `chars` characters to its base text."""
    make = SHAPES[shape]
    per_100 = len(make(100)) - len(make(0))
    return max(1, chars * 100 // max(per_100, 1))


def sized(shape, chars):
    """The text of `shape` with about `chars` characters."""
    make = SHAPES[shape]
    return make(size_for(shape, chars - len(make(0))))
