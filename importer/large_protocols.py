"""Large protocols for the protocol reader's running time: benchmark and linearity test.

Each shape takes a size `n` and makes a protocol that grows with it in one part:
the header's values, the subject, the earlier consultations, a result, the papers,
the discussion, one long line, runs of spaces, digits or dashes. Twice `n`, twice
the text.
"""

HEAD = (
    "Protokoll: Gemeinderat der Landeshauptstadt StuttgartNiederschrift Nr.\n"
    "TOP:\n56\n8\nVerhandlungDrucksache:\n83/2007\nGZ:\nRSO 0300\n"
    "Sitzungstermin: 22.03.2007\nSitzungsart: öffentlich\nVorsitz: OB Dr. Schuster\n"
    "Berichterstattung:-\nProtokollführung: Frau Huber-Erdtmann sp\n"
)
SUBJECT = "Betreff: Satzung zur Änderung der Hauptsatzung\n"
EARLIER = (
    "\nVorgang: Verwaltungsausschuss vom 21.03.2007, nicht öffentlich, Nr. 116\n\n"
    "Ergebnis: einmütige Zustimmung\n"
)
BODY = (
    "\n\nBeratungsunterlage ist die Vorlage des Referats Recht, Sicherheit und "
    "Ordnung vom 05.03.2007, GRDrs 83/2007, mit folgendem\n\nBeschlussantrag:\n\n"
    "1. Die Satzung wird beschlossen.\n\n"
)
DECISION = (
    "\nOB Dr. Schuster stellt fest:\n\n"
    "Der Gemeinderat beschließt bei 2 Nein-Stimmen mehrheitlich wie beantragt.\n"
)


def protocol(*, head=HEAD, subject=SUBJECT, earlier=EARLIER, body=BODY, end=DECISION):
    return head + subject + earlier + body + end


def short_lines(n):
    """A protocol header followed by n lines of one character."""
    return HEAD + "x\n" * n


def long_subject(n):
    """A subject of n lines, every other one ending in a hyphen."""
    lines = "".join("Gremien-\n" if k % 2 else "neubesetzung\n" for k in range(n))
    return protocol(subject="Betreff: " + lines)


def many_earlier(n):
    """n earlier consultations, each with its result."""
    steps = "".join(
        f"Ausschuss {k % 50} vom {k % 28 + 1:02d}.03.2007, öffentlich, Nr. {k}\n\n"
        f"Ergebnis: einmütige Zustimmung zu einer ergänzten Ziffer {k % 9 + 1}\n\n"
        for k in range(n)
    )
    return protocol(earlier="\nVorgang: " + steps)


def long_result(n):
    """One result printed over n lines without an empty line between them."""
    lines = "".join(
        f"Zustimmung zu Ziffer {k % 20 + 1} mit 3 Gegenstimmen und\n" for k in range(n)
    )
    earlier = (
        "\nVorgang: Verwaltungsausschuss vom 21.03.2007, öffentlich, Nr. 1\n\n"
        "Ergebnis: " + lines
    )
    return protocol(earlier=earlier)


def many_papers(n):
    """n paper numbers under "Drucksache:", some with a suffix below."""
    papers = "".join(
        f"{k % 99_999 + 1}/{2000 + k // 99_999 % 30}\n"
        + ("Neufassung\n" if k % 3 == 0 else "")
        for k in range(n)
    )
    return protocol(head=HEAD.replace("83/2007\n", papers))


def discussion(n):
    """n lines of discussion naming items, decisions and the chair's findings."""
    kinds = [
        "StR Müller meint, die Ziffer {k} müsse wie folgt lauten:",
        "{k}. Die Verwaltung wird beauftragt.",
        "Der Gemeinderat beschließt bei {k} Nein-Stimmen mehrheitlich wie beantragt.",
        "OB Dr. Schuster stellt fest:",
        "Die Verwaltung nimmt die Anregung {k} auf.",
        "",
        # Speakers who "halten" and "stellen" something without a finding, the
        # chair stating one, a decision in its own words, votes per item, pages.
        "StR Müller hält die Vorlage {k} für richtig und",
        "StRin Meier stellt die Frage {k}",
        "OB Kuhn stellt die einmütige Zustimmung des Gemeinderats fest.",
        "Der Gemeinderat fasst folgenden Beschluss:",
        "Der Gemeinderat stimmt Ziffer 1 einstimmig, Ziffer 2 bei {k} Gegenstimmen zu.",
        "Seite {k} von 90",
        "",
    ]
    lines = "".join(kinds[k % len(kinds)].format(k=k % 90 + 1) + "\n" for k in range(n))
    return protocol(body=BODY + lines)


def long_line(n):
    """The decision as one line of n words."""
    words = " ".join("Ziffer 3 geändert stimmt zu mit 2 Gegenstimmen" for _ in range(n))
    return protocol(end=f"\nOB Dr. Schuster stellt fest:\n\nDer Gemeinderat {words}.\n")


def space_run(n):
    """Runs of n spaces in the header's values, the subject and a consultation."""
    spaces = " " * n
    head = HEAD.replace("Sitzungstermin: ", f"Sitzungstermin:{spaces}")
    earlier = EARLIER.replace("Verwaltungsausschuss vom", f"Verwaltungs{spaces}vom")
    return protocol(
        head=head, subject=f"Betreff: A{spaces}-{spaces}B\n", earlier=earlier
    )


def digit_run(n):
    """Runs of n digits where numbers, dates and counts are read."""
    digits = "1" * n
    head = HEAD.replace("83/2007\n", f"{digits}/2007\n").replace("56\n", f"{digits}\n")
    end = f"\nOB Kuhn stellt fest:\n\nDer Gemeinderat beschließt bei {digits} Nein.\n"
    earlier = EARLIER.replace("Nr. 116", f"Nr. {digits}")
    return protocol(head=head, earlier=earlier, end=end)


def dash_run(n):
    """A subject of n dashes and words, as around "- Zurückstellung -"."""
    return protocol(subject="Betreff: " + "- Vertagung " * n + "-\n")


SHAPES = {
    "short_lines": short_lines,
    "long_subject": long_subject,
    "many_earlier": many_earlier,
    "long_result": long_result,
    "many_papers": many_papers,
    "discussion": discussion,
    "long_line": long_line,
    "space_run": space_run,
    "digit_run": digit_run,
    "dash_run": dash_run,
}


def size_for(shape, chars):
    """The `n` for which `shape` adds about `chars` characters to its base text."""
    make = SHAPES[shape]
    per_100 = len(make(100)) - len(make(0))
    return max(1, chars * 100 // max(per_100, 1))
