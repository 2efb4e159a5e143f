"""Realistic volumes of a large German city council over ten years, for measuring.

`generate_volume(scale=1.0)` fills an empty database through the real models: about
60 departments, 40 committees, 4,000 meetings, 12,000 papers (5 % non-public, some
Ergänzungen, some only cited), 36,000 consultations, 50,000 resolution items, 1,500
positions with 4,000 decisions and 20,000 funding lines. Everything comes from one
`random.Random(seed)`, so the same seed and day give the same data. Rows are written
with bulk_create in batches inside one transaction: all or nothing.
"""

import bisect
import datetime
import random
import time
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from council.models import (
    Committee,
    Consultation,
    Department,
    Meeting,
    Paper,
    PaperReference,
    PaperSection,
    Person,
    ResolutionItem,
)
from funding.models import AccountGroup, BudgetUnit, CostCentre, FundingLine, Product
from oparl.models import Stamp
from positions.models import PayScheme, Position, PositionDecision

BATCH_SIZE = 1000
YEARS = 10

# Rows at scale 1.0; (count, least count at a tiny scale).
VOLUMES = {
    "departments": (60, 6),
    "committees": (40, 8),
    "meetings": (4000, 40),
    "papers": (12000, 60),
    "consultations": (36000, 180),
    "items": (50000, 250),
    "positions": (1500, 10),
    "decisions": (4000, 27),
    "funding_lines": (20000, 100),
}
NONPUBLIC_SHARE = 0.05
SUFFIX_SHARE = 0.03
STUB_SHARE = 0.02


def volumes(scale):
    """The number of rows of each kind at `scale`."""
    return {
        key: max(least, round(count * scale)) for key, (count, least) in VOLUMES.items()
    }


# -- German vocabulary ---------------------------------------------------------------

REFERATE = [
    ("Referat Allgemeine Verwaltung, Kultur und Recht", "AKR"),
    ("Referat Soziales und gesellschaftliche Integration", "SI"),
    ("Referat Jugend und Bildung", "JB"),
    ("Referat Wirtschaft, Finanzen und Beteiligungen", "WFB"),
    ("Referat Städtebau, Wohnen und Umwelt", "SWU"),
    ("Referat Sicherheit, Ordnung und Sport", "SOS"),
    ("Referat Strategische Planung und Nachhaltige Mobilität", "SPM"),
    ("Referat Klimaschutz, Mobilität und Wohnen", "KMW"),
]
TOPICS = [
    "Integrationspolitik",
    "Sozialplanung",
    "Schulverwaltung",
    "Kindertagesbetreuung",
    "Jugendhilfe",
    "Gesundheitsvorsorge",
    "Stadtplanung",
    "Vermessung",
    "Baurechtsverfahren",
    "Hochbau",
    "Tiefbau",
    "Umweltschutz",
    "Stadtentwässerung",
    "Abfallwirtschaft",
    "Garten, Friedhof und Forst",
    "Sportförderung",
    "Kulturförderung",
    "Bibliothekswesen",
    "Feuerwehr und Katastrophenschutz",
    "öffentliche Ordnung",
    "Bürgerservice",
    "Personalverwaltung",
    "Organisation",
    "Informationstechnik",
    "Kämmerei",
    "Stadtkasse",
    "Steuern",
    "Liegenschaften",
    "Wohnungswesen",
    "Wirtschaftsförderung",
    "Statistik und Wahlen",
    "Rechnungsprüfung",
    "Recht und Datenschutz",
    "Gleichstellung",
    "Chancengleichheit",
    "Seniorenarbeit",
    "Eingliederungshilfe",
    "Flüchtlingsunterbringung",
    "Mobilität",
    "Verkehrsplanung",
    "Denkmalschutz",
    "Archivwesen",
    "Veterinärwesen",
    "Energiewirtschaft",
    "Klimaschutz",
    "Digitalisierung",
    "Stadtmarketing",
    "Bezirksverwaltung",
    "Ausländerbehörde",
    "Standesamt",
    "Krankenhausplanung",
    "Sozialhilfe",
    "Wohngeld",
    "Bäderbetrieb",
    "Musikschule",
    "Volkshochschule",
    "Stadtmessung",
    "Grünflächen",
    "Straßenbau",
    "Brückenbau",
]
OTHER_DEPARTMENTS = [
    ("Jobcenter", "JC", Department.Kind.JOBCENTER),
    ("Eigenbetrieb Leben und Wohnen", "ELW", Department.Kind.EIGENBETRIEB),
    ("Eigenbetrieb Abfallwirtschaft", "AWS", Department.Kind.EIGENBETRIEB),
    ("Eigenbetrieb Bäderbetriebe", "BB", Department.Kind.EIGENBETRIEB),
]
COMMITTEES = [
    ("Gemeinderat", "GR", Committee.Kind.COUNCIL),
    ("Verwaltungsausschuss", "VA", Committee.Kind.COMMITTEE),
    ("Sozial- und Gesundheitsausschuss", "SGA", Committee.Kind.COMMITTEE),
    ("Ausschuss für Stadtentwicklung und Technik", "STA", Committee.Kind.COMMITTEE),
    ("Jugendhilfeausschuss", "JHA", Committee.Kind.COMMITTEE),
    ("Schulbeirat", "SchB", Committee.Kind.ADVISORY),
    ("Internationaler Ausschuss", "IA", Committee.Kind.COMMITTEE),
    ("Ausschuss für Wirtschaft und Wohnen", "WoA", Committee.Kind.COMMITTEE),
    ("Ausschuss für Klima und Umwelt", "KlA", Committee.Kind.COMMITTEE),
    ("Kultur- und Medienausschuss", "KuMA", Committee.Kind.COMMITTEE),
    ("Betriebsausschuss Leben und Wohnen", "BA ELW", Committee.Kind.COMMITTEE),
    ("Betriebsausschuss Abfallwirtschaft", "BA AWS", Committee.Kind.COMMITTEE),
    ("Ältestenrat", "ÄR", Committee.Kind.COMMITTEE),
    ("Sportausschuss", "SpA", Committee.Kind.COMMITTEE),
    ("Integrationsbeirat", "IB", Committee.Kind.ADVISORY),
    ("Beirat für Menschen mit Behinderung", "BMB", Committee.Kind.ADVISORY),
    ("Seniorenbeirat", "SB", Committee.Kind.ADVISORY),
]
DISTRICTS = [
    "Mitte",
    "Nord",
    "Ost",
    "Süd",
    "West",
    "Bad Cannstatt",
    "Birkach",
    "Botnang",
    "Degerloch",
    "Feuerbach",
    "Hedelfingen",
    "Möhringen",
    "Mühlhausen",
    "Münster",
    "Obertürkheim",
    "Plieningen",
    "Sillenbuch",
    "Stammheim",
    "Untertürkheim",
    "Vaihingen",
    "Wangen",
    "Weilimdorf",
    "Zuffenhausen",
    "Riedenberg",
    "Heumaden",
]
SUBJECTS = [
    "Integrationsmanagement",
    "Schulsozialarbeit",
    "Kindertagesstätten",
    "Flüchtlingsunterkünfte",
    "Wohnungslosenhilfe",
    "Stadtbahnverlängerung",
    "Radverkehrsförderung",
    "Sanierung der Grundschule",
    "Neubau der Feuerwache",
    "Quartiersmanagement",
    "Sprachförderung",
    "Ganztagesbetreuung",
    "Schuldnerberatung",
    "Suchtprävention",
    "Klimaanpassung",
    "Photovoltaikanlagen",
    "Digitalisierung der Verwaltung",
    "Bürgerbüros",
    "Sportstätten",
    "Bäderkonzept",
    "Pflegestützpunkte",
    "Jugendhäuser",
    "Mobile Jugendarbeit",
    "Stadtteilbibliotheken",
    "Lärmaktionsplan",
    "Luftreinhalteplan",
    "Baumpflanzungen",
    "Spielplätze",
    "Wohnungsbauprogramm",
    "Sozialticket",
    "Familienzentren",
    "Inklusionsassistenz",
    "Pakt für Integration",
    "Ehrenamtsförderung",
    "Kulturförderung",
    "Bezirksrathäuser",
]
VERBS = [
    "Verlängerung",
    "Fortsetzung",
    "Einrichtung",
    "Ausbau",
    "Umsetzung",
    "Weiterentwicklung",
    "Finanzierung",
    "Neuordnung",
    "Bericht über",
    "Sachstand",
    "Evaluation",
    "Förderung",
]
QUALIFIERS = [
    "in den Jahren {y} und {y1}",
    "im Doppelhaushalt {y}/{y1}",
    "bei der Landeshauptstadt Stuttgart",
    "im Stadtbezirk {district}",
    "nach dem Beschluss von {y}",
    "- Zwischenbericht {y}",
    "und Schaffung von Stellen",
    "- Vergabe der Leistungen",
]
SECTION_HEADINGS = [
    "Begründung",
    "Finanzielle Auswirkungen",
    "Beteiligte Stellen",
    "Ausblick",
    "Vorliegende Anträge/Anfragen",
]
SENTENCES = [
    "Die Verwaltung schlägt vor, {subject} {qualifier} fortzuführen.",
    "Mit dem Beschluss werden die notwendigen Mittel im Teilhaushalt bereitgestellt.",
    "Die bisherigen Erfahrungen zeigen einen steigenden Bedarf in allen Stadtbezirken.",
    "Das Land Baden-Württemberg beteiligt sich an den Kosten mit einer Zuwendung.",
    "Die Stellen sind befristet und werden nach Ablauf erneut bewertet.",
    "Der Gemeinderat wird jährlich über den Stand der Umsetzung unterrichtet.",
    "Die Maßnahme ist mit dem Gesamtpersonalrat abgestimmt.",
    "Die Folgekosten sind im Haushaltsplanentwurf noch nicht veranschlagt.",
    "Für {subject} werden zusätzliche Räume angemietet.",
    "Die Bezirksbeiräte wurden im Vorfeld angehört.",
]
ITEM_TEXTS = [
    "Vom Bericht der Verwaltung über {subject} wird Kenntnis genommen.",
    "Der {subject} {qualifier} wird zugestimmt.",
    "Die Verwaltung wird beauftragt, {subject} bis {year} umzusetzen.",
    "Für {subject} werden im Jahr {year} Mittel in Höhe von {amount} EUR "
    "bereitgestellt.",
    "Im Stellenplan {year} werden {share} Stellen für {subject} geschaffen.",
    "Die Ermächtigungen für {subject} werden bis {year} verlängert.",
    "Die Deckung erfolgt aus dem Teilhaushalt {unit}.",
    "Der Gemeinderat wird im Jahr {year} erneut über {subject} unterrichtet.",
]
FUNCTIONS = [
    "Sachbearbeitung Integrationsmanagement",
    "Sozialarbeit im Integrationsmanagement",
    "Sachbearbeitung Wohngeld",
    "Schulsozialarbeit",
    "Projektleitung Digitalisierung",
    "Sachbearbeitung Haushalt",
    "Ingenieurin/Ingenieur Hochbau",
    "Erzieherin/Erzieher",
    "Sachbearbeitung Bürgerservice",
    "Koordination Quartiersmanagement",
    "Verwaltungsfachkraft",
    "Leitung Stadtteilbibliothek",
    "Sozialplanung",
    "Klimaschutzmanagement",
]
PAY_GRADES = {
    PayScheme.TVOED: ["EG 6", "EG 8", "EG 9a", "EG 9b", "EG 10", "EG 11", "EG 12"],
    PayScheme.CIVIL_SERVANT: ["A 9", "A 10", "A 11", "A 12", "A 13", "A 14"],
}
SIGNERS = [
    ("Dr. Alexandra Sußmann", "Bürgermeisterin"),
    ("Dr. Frank Nopper", "Oberbürgermeister"),
    ("Thomas Fuhrmann", "Bürgermeister"),
    ("Isabel Fezer", "Bürgermeisterin"),
    ("Peter Pätzold", "Bürgermeister"),
    ("Dr. Clemens Maier", "Bürgermeister"),
    ("Fabian Mayer", "Erster Bürgermeister"),
]
SUFFIXES = ["Ergänzung", "Neufassung", "2. Ergänzung"]
LOCATIONS = [
    "Rathaus, Großer Sitzungssaal",
    "Rathaus, Mittlerer Sitzungssaal",
    "Rathaus, Kleiner Sitzungssaal",
    "Bezirksrathaus",
]
PURPOSES = [
    "Personalkosten",
    "Sachkosten",
    "Zuwendung des Landes",
    "Mieten und Nebenkosten",
    "Investitionszuschuss",
    "Fortbildung und Supervision",
    "Honorare",
]

# Beratungsfolge of a Beschlussvorlage: the steps before the last one.
PRELIMINARY_ROLES = [Consultation.Role.PRELIMINARY, Consultation.Role.DELIBERATION]
PAPER_TYPES = [
    (Paper.Type.DECISION, 55),
    (Paper.Type.INFORMATION, 20),
    (Paper.Type.MOTION, 12),
    (Paper.Type.INQUIRY, 6),
    (Paper.Type.STATEMENT, 4),
    (Paper.Type.REPORT, 3),
]
DECIDED = (Paper.Type.DECISION, Paper.Type.MOTION)


def _bulk(model, objs):
    return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)


def _spread(rng, total, parts, low, high):
    """`parts` random counts in [low, high] that add up to `total` (if it fits)."""
    counts = [rng.randint(low, high) for _ in range(parts)]
    difference = total - sum(counts)
    step = 1 if difference > 0 else -1
    indexes = list(range(parts))
    while difference and indexes:
        index = rng.choice(indexes)
        if low <= counts[index] + step <= high:
            counts[index] += step
            difference -= step
        else:
            indexes.remove(index)
    return counts


class _Generator:
    def __init__(self, scale, seed, today):
        self.rng = random.Random(seed)
        self.today = today
        self.first_year = today.year - YEARS + 1
        self.counts = volumes(scale)

    # -- text ------------------------------------------------------------------------

    def fill(self, template, subject=None):
        rng = self.rng
        year = rng.randint(self.first_year, self.today.year + 2)
        return template.format(
            subject=subject or rng.choice(SUBJECTS),
            qualifier=rng.choice(QUALIFIERS).format(
                y=year, y1=year + 1, district=rng.choice(DISTRICTS)
            ),
            y=year,
            y1=year + 1,
            year=year,
            district=rng.choice(DISTRICTS),
            amount=f"{rng.randint(10, 5000) * 1000:,}".replace(",", "."),
            share=rng.choice(["1,0", "2,5", "4,0", "0,5", "10,0"]),
            unit=rng.choice(["500", "510", "400", "200", "660"]),
        )

    def title(self, year):
        rng = self.rng
        subject = rng.choice(SUBJECTS)
        qualifier = rng.choice(QUALIFIERS).format(
            y=year, y1=year + 1, district=rng.choice(DISTRICTS)
        )
        return f"{subject} - {rng.choice(VERBS)} {qualifier}", subject

    def day(self, year):
        start = datetime.date(year, 1, 7)
        day = start + datetime.timedelta(days=self.rng.randint(0, 350))
        # Councils meet on working days.
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        return day

    # -- the steps -------------------------------------------------------------------

    def departments(self):
        rng, wanted = self.rng, self.counts["departments"]
        referate = [
            Department(name=name, short_name=short, kind=Department.Kind.REFERAT)
            for name, short in REFERATE[: max(1, wanted // 8)]
        ]
        _bulk(Department, referate)
        others = [
            Department(name=name, short_name=short, kind=kind)
            for name, short, kind in OTHER_DEPARTMENTS[: max(1, wanted // 15)]
        ]
        offices = []
        for index in range(wanted - len(referate) - len(others)):
            topic = TOPICS[index % len(TOPICS)]
            round_ = index // len(TOPICS)
            name = f"Amt für {topic}" + (f" {round_ + 1}" if round_ else "")
            offices.append(
                Department(
                    name=name,
                    short_name=str(10 + index),
                    kind=Department.Kind.AMT,
                    parent=rng.choice(referate),
                )
            )
        self.department_list = referate + _bulk(Department, others + offices)

    def committees(self):
        wanted = self.counts["committees"]
        rows = list(COMMITTEES[: max(1, wanted * 2 // 5)])
        for district in DISTRICTS:
            if len(rows) >= wanted:
                break
            rows.append((f"Bezirksbeirat {district}", "", Committee.Kind.DISTRICT))
        index = 1
        while len(rows) < wanted:
            rows.append((f"Beirat {index}", "", Committee.Kind.ADVISORY))
            index += 1
        committees = [
            Committee(name=name, short_name=short, slug=slugify(name), kind=kind)
            for name, short, kind in rows
        ]
        self.committee_list = _bulk(Committee, committees)
        self.council = self.committee_list[0]
        self.main_committees = [
            c for c in self.committee_list if c.kind == Committee.Kind.COMMITTEE
        ] or [self.council]

    def meetings(self):
        rng = self.rng
        # The council and its committees meet far more often than a Bezirksbeirat.
        weights = [
            6
            if c.kind == Committee.Kind.COUNCIL
            else 3
            if c.kind == Committee.Kind.COMMITTEE
            else 1
            for c in self.committee_list
        ]
        end = self.today + datetime.timedelta(days=120)
        start = datetime.date(self.first_year, 1, 7)
        span = (end - start).days
        meetings = []
        for committee in rng.choices(
            self.committee_list, weights, k=self.counts["meetings"]
        ):
            day = start + datetime.timedelta(days=rng.randint(0, span))
            while day.weekday() >= 5:
                day -= datetime.timedelta(days=1)
            meetings.append(
                Meeting(
                    committee=committee,
                    date=day,
                    start_time=datetime.time(rng.choice([9, 14, 16, 17]), 0),
                    location=rng.choice(LOCATIONS),
                    is_public=rng.random() > 0.1,
                )
            )
        meetings = _bulk(Meeting, meetings)
        self.meeting_days = {}
        for meeting in sorted(meetings, key=lambda m: m.date):
            days, rows = self.meeting_days.setdefault(meeting.committee_id, ([], []))
            days.append(meeting.date)
            rows.append(meeting)

    def papers(self):
        rng, total = self.rng, self.counts["papers"]
        suffixed = round(total * SUFFIX_SHARE)
        stubs = round(total * STUB_SHARE)
        base = total - suffixed
        per_year = _spread(rng, base, YEARS, base // YEARS - 1, base // YEARS + 1)
        types, type_weights = zip(*PAPER_TYPES, strict=True)
        papers = []
        for offset, count in enumerate(per_year):
            year = self.first_year + offset
            for number in range(1, count + 1):
                title, subject = self.title(year)
                department = rng.choice(self.department_list)
                signer, office = rng.choice(SIGNERS)
                paper = Paper(
                    number=number,
                    year=year,
                    paper_type=rng.choices(types, type_weights)[0],
                    title=title,
                    date=min(self.day(year), self.today),
                    department=department,
                    file_reference=(
                        f"{department.short_name} {rng.randint(100, 9999)}-"
                        f"{rng.randint(0, 99):02d}.00"
                    ),
                    signed_by_name=signer,
                    signed_by_office=office,
                )
                paper.subject = subject
                papers.append(paper)
        for paper in rng.sample(papers, stubs):
            # Known only from a citation: no date, type, department or signer.
            paper.is_stub = True
            paper.paper_type = ""
            paper.date = None
            paper.department = None
            paper.file_reference = paper.signed_by_name = paper.signed_by_office = ""
            paper.title = paper.title if rng.random() < 0.5 else ""
        complete = [p for p in papers if not p.is_stub]
        supplements = []
        for original in rng.sample(complete, suffixed):
            supplement = Paper(
                number=original.number,
                year=original.year,
                suffix=rng.choice(SUFFIXES),
                paper_type=original.paper_type,
                title=original.title,
                date=min(original.date + datetime.timedelta(days=14), self.today),
                department=original.department,
                file_reference=original.file_reference,
                signed_by_name=original.signed_by_name,
                signed_by_office=original.signed_by_office,
            )
            supplement.subject = original.subject
            supplement.original = original
            supplements.append(supplement)
        papers += supplements
        # The suffix choice may repeat on one original; keep references unique.
        seen = set()
        for paper in supplements:
            again = 3
            while (paper.number, paper.year, paper.suffix) in seen:
                paper.suffix = f"{again}. Ergänzung"
                again += 1
            seen.add((paper.number, paper.year, paper.suffix))
        for paper in rng.sample(papers, round(total * NONPUBLIC_SHARE)):
            paper.is_public = False
        # Signers as persons, as Paper.save() finds them (bulk_create skips it).
        people = {}
        for paper in papers:
            if paper.signed_by_name:
                if paper.signed_by_name not in people:
                    people[paper.signed_by_name] = Person.objects.for_name(
                        paper.signed_by_name
                    )
                paper.signer = people[paper.signed_by_name]
        subjects = [(p.subject, getattr(p, "original", None)) for p in papers]
        self.paper_list = _bulk(Paper, papers)
        for paper, (subject, original) in zip(self.paper_list, subjects, strict=True):
            paper.subject, paper.original = subject, original

        co_signing = Paper.co_signing_departments.through
        links = []
        for paper in self.paper_list:
            if not paper.is_stub and rng.random() < 0.3:
                for department in rng.sample(self.department_list, rng.randint(1, 3)):
                    if department.pk != paper.department_id:
                        links.append(
                            co_signing(paper_id=paper.pk, department_id=department.pk)
                        )
        _bulk(co_signing, links)

        references = [
            PaperReference(
                from_paper=paper,
                to_paper=paper.original,
                kind=PaperReference.Kind.SUPPLEMENTS,
            )
            for paper in supplements
        ]
        for paper in rng.sample(complete, len(complete) // 5):
            cited = rng.choice(self.paper_list)
            if cited.pk != paper.pk and (cited.year, cited.number) < (
                paper.year,
                paper.number,
            ):
                kind = rng.choice(
                    [PaperReference.Kind.CITES, PaperReference.Kind.EXTENDS]
                )
                references.append(
                    PaperReference(from_paper=paper, to_paper=cited, kind=kind)
                )
        unique = {(r.from_paper.pk, r.to_paper.pk, r.kind): r for r in references}
        _bulk(PaperReference, list(unique.values()))

    def sections(self):
        rng = self.rng
        sections = []
        for paper in self.paper_list:
            if paper.is_stub:
                continue
            for order, heading in enumerate(
                SECTION_HEADINGS[: rng.randint(1, 3)], start=1
            ):
                body = " ".join(
                    self.fill(rng.choice(SENTENCES), paper.subject)
                    for _ in range(rng.randint(2, 5))
                )
                sections.append(
                    PaperSection(paper=paper, order=order, heading=heading, body=body)
                )
        _bulk(PaperSection, sections)

    def meeting_after(self, committee, day):
        """The first meeting of `committee` on or after `day`, or None."""
        days, meetings = self.meeting_days.get(committee.pk, ([], []))
        index = bisect.bisect_left(days, day)
        return meetings[index] if index < len(meetings) else None

    def consultations(self):
        rng = self.rng
        papers = [p for p in self.paper_list if not p.is_stub]
        steps = _spread(rng, self.counts["consultations"], len(papers), 1, 6)
        Result = Consultation.Result
        consultations = []
        self.adopted = []
        for paper, count in zip(papers, steps, strict=True):
            decides = paper.paper_type in DECIDED
            committees = rng.sample(
                self.committee_list[1:] or self.committee_list,
                min(count - 1, len(self.committee_list) - 1),
            )
            committees.append(
                self.council if decides else rng.choice(self.main_committees)
            )
            day = paper.date
            final_result = None
            for order, committee in enumerate(committees, start=1):
                is_last = order == len(committees)
                meeting = self.meeting_after(
                    committee, day + datetime.timedelta(days=rng.randint(3, 30))
                )
                if is_last:
                    role = (
                        Consultation.Role.DECISION
                        if decides
                        else Consultation.Role.INFORMATION
                    )
                else:
                    role = rng.choice(PRELIMINARY_ROLES)
                if meeting is None or meeting.date > self.today:
                    result = Result.OPEN
                elif role == Consultation.Role.INFORMATION:
                    result = Result.NOTED
                else:
                    result = rng.choices(
                        [
                            Result.APPROVED,
                            Result.APPROVED_AMENDED,
                            Result.REJECTED,
                            Result.POSTPONED,
                            Result.WITHDRAWN,
                        ],
                        [80, 8, 5, 4, 3],
                    )[0]
                consultations.append(
                    Consultation(
                        paper=paper,
                        order=order,
                        committee=committee,
                        meeting=meeting,
                        date=meeting.date if meeting else None,
                        role=role,
                        is_public=rng.random() > 0.08,
                        result=result,
                        result_note=(
                            "einmütige Zustimmung"
                            if result == Result.APPROVED and rng.random() < 0.3
                            else ""
                        ),
                    )
                )
                if meeting is not None:
                    day = meeting.date
                if is_last:
                    final_result = result
            if decides and final_result in Result.approving():
                self.adopted.append((day, paper))
        _bulk(Consultation, consultations)
        self.adopted.sort(key=lambda pair: (pair[0], pair[1].pk))

    def items(self):
        rng = self.rng
        papers = [p for p in self.paper_list if not p.is_stub]
        counts = _spread(rng, self.counts["items"], len(papers), 1, 9)
        Outcome = ResolutionItem.Outcome
        Implementation = ResolutionItem.Implementation
        items = []
        for paper, count in zip(papers, counts, strict=True):
            for number in range(1, count + 1):
                due = (
                    paper.date + datetime.timedelta(days=rng.randint(90, 1100))
                    if rng.random() < 0.6
                    else None
                )
                implementation = rng.choices(list(Implementation), [30, 30, 35, 5])[0]
                items.append(
                    ResolutionItem(
                        paper=paper,
                        number=number,
                        text=self.fill(rng.choice(ITEM_TEXTS), paper.subject),
                        outcome=rng.choices(list(Outcome), [90, 6, 3, 1])[0],
                        responsible_department=(
                            paper.department
                            if rng.random() < 0.7
                            else rng.choice(self.department_list)
                        ),
                        due_date=due,
                        implementation=implementation,
                    )
                )
        self.item_list = _bulk(ResolutionItem, items)
        self.items_by_paper = {}
        for item in self.item_list:
            self.items_by_paper.setdefault(item.paper_id, []).append(item)

    def adopted_after(self, day):
        """An adopted decision paper decided some months after `day`, or None."""
        days = [d for d, _ in self.adopted]
        start = bisect.bisect_left(days, day + datetime.timedelta(days=60))
        if start >= len(self.adopted):
            return None
        end = bisect.bisect_left(days, day + datetime.timedelta(days=900))
        return self.adopted[self.rng.randrange(start, max(end, start + 1))]

    def positions(self):
        rng = self.rng
        Action = PositionDecision.Action
        wanted = self.counts["positions"]
        budget = self.counts["decisions"] - wanted
        # Positions start in the first seven years so that they can be extended.
        cutoff = datetime.date(self.first_year + 7, 1, 1)
        early = [pair for pair in self.adopted if pair[0] < cutoff] or self.adopted
        positions, chains = [], []
        for _ in range(wanted):
            decided, paper = rng.choice(early)
            scheme = rng.choices([PayScheme.TVOED, PayScheme.CIVIL_SERVANT], [85, 15])[
                0
            ]
            positions.append(
                Position(
                    function=rng.choice(FUNCTIONS),
                    department=paper.department,
                    share_percent=Decimal(rng.choice([100, 100, 100, 50, 75, 80])),
                    pay_scheme=scheme,
                    pay_grade=rng.choice(PAY_GRADES[scheme]),
                    kind=rng.choice(list(Position.Kind)),
                )
            )
            chains.append((decided, paper))
        positions = _bulk(Position, positions)

        decisions = []

        def item_of(paper):
            items = self.items_by_paper.get(paper.pk, [])
            return rng.choice(items) if items and rng.random() < 0.7 else None

        ends = {}
        for position, (decided, paper) in zip(positions, chains, strict=True):
            valid_from = decided + datetime.timedelta(days=rng.randint(0, 90))
            limited = rng.random() < 0.85
            until = (
                valid_from + datetime.timedelta(days=365 * rng.randint(1, 3) - 1)
                if limited
                else None
            )
            decisions.append(
                PositionDecision(
                    position=position,
                    paper=paper,
                    resolution_item=item_of(paper),
                    action=Action.CREATED,
                    valid_from=valid_from if rng.random() < 0.8 else None,
                    valid_until=until,
                )
            )
            if until:
                ends[position.pk] = (position, decided, until)
        # Extensions and, now and then, the step to unlimited, on later papers.
        while budget > 0 and ends:
            key = rng.choice(list(ends))
            position, decided, until = ends[key]
            later = self.adopted_after(decided)
            if later is None:
                del ends[key]
                continue
            decided_then, paper = later
            if rng.random() < 0.2:
                decisions.append(
                    PositionDecision(
                        position=position,
                        paper=paper,
                        resolution_item=item_of(paper),
                        action=Action.MADE_PERMANENT,
                        valid_from=until + datetime.timedelta(days=1),
                        may_advertise_unlimited=True,
                    )
                )
                del ends[key]
            else:
                new_until = until + datetime.timedelta(days=365 * rng.randint(1, 3))
                decisions.append(
                    PositionDecision(
                        position=position,
                        paper=paper,
                        resolution_item=item_of(paper),
                        action=Action.EXTENDED,
                        valid_from=until + datetime.timedelta(days=1),
                        valid_until=new_until,
                        extends_until=until,
                    )
                )
                ends[key] = (position, decided_then, new_until)
            budget -= 1
        self.position_list = positions
        self.decision_list = _bulk(PositionDecision, decisions)

    def budget_codes(self):
        rng = self.rng
        units = [
            BudgetUnit(
                number=str(100 + 10 * index),
                name=f"Teilhaushalt {department.name}"[:200],
                department=department,
            )
            for index, department in enumerate(self.department_list)
        ]
        self.unit_list = _bulk(BudgetUnit, units)
        self.unit_of = {u.department_id: u for u in self.unit_list}
        centres = []
        for unit in self.unit_list:
            for index in range(rng.randint(1, 4)):
                centres.append(
                    CostCentre(
                        number=f"{unit.number}{index:04d}",
                        name=f"Amtsbereich {index + 1} – {unit.name[13:]}"[:200],
                        budget_unit=unit,
                    )
                )
        self.centre_list = _bulk(CostCentre, centres)
        self.centres_of = {}
        for centre in self.centre_list:
            self.centres_of.setdefault(centre.budget_unit_id, []).append(centre)
        self.product_list = _bulk(
            Product,
            [
                Product(
                    number=f"1.{10 + index // 10}.{index % 10}0.01.10.00",
                    name=subject,
                )
                for index, subject in enumerate(SUBJECTS)
            ],
        )
        self.group_list = _bulk(
            AccountGroup,
            [
                AccountGroup(number="40000", name="Personalaufwendungen"),
                AccountGroup(number="42000", name="Sach- und Dienstleistungen"),
                AccountGroup(
                    number="43100",
                    name="Zuweisungen und Zuschüsse für laufende Zwecke",
                ),
                AccountGroup(number="31400", name="Zuweisungen vom Land"),
                AccountGroup(number="78100", name="Auszahlungen für Baumaßnahmen"),
            ],
        )

    def funding(self):
        rng = self.rng
        total = self.counts["funding_lines"]
        positions_of = {}
        for decision in self.decision_list:
            positions_of.setdefault(decision.paper_id, []).append(decision.position)
        candidates = [
            p for p in self.paper_list if not p.is_stub and p.paper_type in DECIDED
        ] or [p for p in self.paper_list if not p.is_stub]
        parts_wanted = total // 10
        lines = []
        while len(lines) < total - parts_wanted:
            paper = rng.choice(candidates)
            unit = self.unit_of.get(paper.department_id) or rng.choice(self.unit_list)
            funded = positions_of.get(paper.pk)
            items = self.items_by_paper.get(paper.pk, [])
            for year in range(paper.year, paper.year + rng.randint(1, 4)):
                revenue = rng.random() < 0.15
                position = rng.choice(funded) if funded and rng.random() < 0.6 else None
                lines.append(
                    FundingLine(
                        paper=paper,
                        resolution_item=(
                            rng.choice(items) if items and rng.random() < 0.5 else None
                        ),
                        purpose=(
                            f"{rng.choice(PURPOSES)} {paper.subject}"
                            if position is None
                            else f"Personalkosten {position.function}"
                        ),
                        budget_unit=unit,
                        cost_centre=rng.choice(self.centres_of[unit.pk]),
                        product=rng.choice(self.product_list),
                        account_group=rng.choice(self.group_list),
                        year=year,
                        amount=Decimal(rng.randint(5, 50000) * 100),
                        direction=(
                            FundingLine.Direction.REVENUE
                            if revenue
                            else FundingLine.Direction.EXPENSE
                        ),
                        source=(
                            rng.choice(
                                [FundingLine.Source.STATE, FundingLine.Source.FEDERAL]
                            )
                            if revenue
                            else FundingLine.Source.CITY
                        ),
                        budget_status=rng.choice(list(FundingLine.BudgetStatus)),
                        position=position,
                        funded_posts=(
                            Decimal(rng.randint(5, 100)) / 10 if position else None
                        ),
                    )
                )
        lines = _bulk(FundingLine, lines[: total - parts_wanted])
        parts = []
        for whole in rng.sample(lines, min(parts_wanted, len(lines))):
            parts.append(
                FundingLine(
                    paper_id=whole.paper_id,
                    purpose=f"davon {rng.choice(PURPOSES)}",
                    budget_unit_id=whole.budget_unit_id,
                    year=whole.year,
                    amount=(whole.amount * Decimal("0.4")).quantize(Decimal("0.01")),
                    direction=whole.direction,
                    source=whole.source,
                    budget_status=whole.budget_status,
                    part_of=whole,
                )
            )
        _bulk(FundingLine, parts)

    def run(self, progress=None):
        steps = [
            ("Dienststellen", self.departments),
            ("Gremien", self.committees),
            ("Sitzungen", self.meetings),
            ("Drucksachen", self.papers),
            ("Textabschnitte", self.sections),
            ("Beratungen", self.consultations),
            ("Beschlussantrag-Ziffern", self.items),
            ("Stellen", self.positions),
            ("Haushaltsstellen", self.budget_codes),
            ("Finanzpositionen", self.funding),
        ]
        with transaction.atomic():
            for label, step in steps:
                started = time.perf_counter()
                step()
                if progress:
                    progress(label, time.perf_counter() - started)


def generate_volume(*, scale=1.0, seed=2019, today=None, progress=None):
    """Fill the database with a council's ten years at `scale`; returns row counts.

    `progress(label, seconds)` is called after each step, e.g. to print it.
    """
    generator = _Generator(scale, seed, today or timezone.localdate())
    generator.run(progress)
    analyze()
    return volume_counts()


def analyze():
    """Fresh planner statistics for the generated tables, as a live database has.

    Right after a bulk load the statistics are empty (autovacuum comes later), and
    the planner would measure plans no production database uses.
    """
    with connection.cursor() as cursor:
        for model in GENERATED_MODELS:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# What the generator writes, in an order in which each can be deleted.
GENERATED_MODELS = [
    FundingLine,
    AccountGroup,
    Product,
    CostCentre,
    BudgetUnit,
    PositionDecision,
    Position,
    PaperReference,
    Consultation,
    Paper.co_signing_departments.through,
    # Before its items and sections: their search triggers then find no paper to
    # update. Foreign keys are checked at commit, when all of these are gone.
    Paper,
    Person,
    ResolutionItem,
    PaperSection,
    Meeting,
    Committee,
    Department,
]


def volume_counts():
    """Rows of each generated model, by model label."""
    return {
        model._meta.label: model.objects.count() for model in reversed(GENERATED_MODELS)
    }


def delete_volume():
    """Remove every row of the generated models.

    Only for a database that held none of them before the generator ran (the
    benchmark command checks). Raw deletes, and the OParl stamps the database
    triggers wrote go too: no stubs for data that never existed outside the
    measurement.
    """
    with transaction.atomic():
        for model in GENERATED_MODELS:
            model.objects.all()._raw_delete(model.objects.db)
        Stamp.objects.all()._raw_delete(Stamp.objects.db)
