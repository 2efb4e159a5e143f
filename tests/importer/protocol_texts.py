"""Protocols (Niederschriften) for the tests: the corpus's five and variants of them.

`protocol(...)` writes a protocol in the layout of the information system, with
every part replaceable, so that each test states only the layout it is about.
"""

from pathlib import Path

DATA = Path(__file__).parent / "data"
CORPUS_PROTOCOLS = sorted(DATA.glob("protocol_*.txt"))


def corpus(name):
    return (DATA / name).read_text(encoding="utf-8")


TEXT_0083 = corpus("protocol_0083_2007_gr.txt")
TEXT_0532 = corpus("protocol_0532_2017_gr.txt")
TEXT_0541 = corpus("protocol_0541_2005_gr.txt")
TEXT_0969 = corpus("protocol_0969_2010_va.txt")
TEXT_0986 = corpus("protocol_0986_2002_gr.txt")

EARLIER = """Vorgang: Verwaltungsausschuss vom 21.03.2007, nicht öffentlich, Nr. 116

Ergebnis: einmütige Zustimmung
"""
DECISION = """OB Dr. Schuster stellt fest:

Der Gemeinderat beschließt einstimmig wie beantragt.
"""


def protocol(
    *,
    first="Protokoll: Gemeinderat der Landeshauptstadt StuttgartNiederschrift Nr.",
    numbers="TOP:\n56\n8",
    kind="Verhandlung",
    papers="83/2007",
    gz="GZ:\nRSO 0300",
    date="22.03.2007",
    session="öffentlich",
    subject="Satzung zur Änderung der Hauptsatzung",
    earlier=EARLIER,
    basis="Beratungsunterlage ist die Vorlage des Referats Recht, Sicherheit und "
    "Ordnung vom 05.03.2007, GRDrs 83/2007, mit folgendem",
    items="Beschlussantrag:\n\n1. Die Satzung wird beschlossen.\n\n"
    "2. Die Gliederung wird verwendet.",
    discussion="StR Dr. Schlierer (REP) hält die Begründung für wenig stichhaltig.",
    decision=DECISION,
):
    parts = [
        first,
        numbers,
        f"{kind}Drucksache:\n{papers}".rstrip("\n"),
        gz,
        f"Sitzungstermin: {date}",
        f"Sitzungsart: {session}",
        "Vorsitz: OB Dr. Schuster",
        "Berichterstattung:-",
        "Protokollführung: Frau Huber-Erdtmann sp",
        f"Betreff: {subject}",
        "",
        earlier,
        "",
        basis,
        "",
        items,
        "",
        discussion,
        "",
        decision,
    ]
    return "\n".join(parts)
