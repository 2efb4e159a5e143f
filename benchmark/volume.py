"""Realistic volumes of a large German city council over ten years, for measuring.

`generate_volume(scale=1.0)` fills an empty database through the real models: about
60 departments, 40 committees, 4,000 meetings, 12,000 papers (5 % non-public, some
Ergänzungen, some only cited), 36,000 consultations, 50,000 resolution items, 1,500
positions with chains of one to five decisions and 20,000 funding lines.
`manage.py generate_data --papers 100000` is the same generator at scale 8.33 (papers,
consultations, items, positions and lines grow with the scale; departments and
committees stay those of one city; meetings grow with its square root, so agendas get
longer). Everything comes from one `random.Random(seed)`, so the same seed and day give
the same data.

Texts: subjects follow a Zipf distribution (a few frequent, a long tail of rare ones),
and the sections are real sentences of the council corpora (corpus_sentences.txt, from
../shared/corpus and demo/corpus) with the paper's subject put in, mixed with the
administrative sentences below. So a word such as COMMON_WORD ("Integrationsmanagement")
is in a few per cent of the papers, RARE_WORD in about one in a thousand, while the
language of every paper ("Landeshauptstadt", "Gemeinderat") is everywhere, as in real
papers.

Rows are written with bulk_create in batches inside one transaction: all or nothing.
On PostgreSQL, what database triggers would do row by row is done once per table at
the end of that transaction (see `_Bypass`): the result is the same, only faster.
"""

import bisect
import datetime
import random
import time
from decimal import Decimal
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from audit.history import acting_as, current_reason, system_user
from council.derived import SEARCH_TRIGGERS
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
from oparl import triggers as oparl_triggers
from oparl.models import Stamp
from positions.models import PayScheme, Position, PositionDecision

BATCH_SIZE = 1000
COPY_BATCH_SIZE = 10000
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
    # An upper bound: the chains (CHAIN_WEIGHTS) give about 2.4 per position.
    "decisions": (3900, 27),
    "funding_lines": (20000, 100),
}
NONPUBLIC_SHARE = 0.05
SUFFIX_SHARE = 0.03
STUB_SHARE = 0.02


# One city has so many departments and committees, however many papers it writes.
FIXED_ABOVE_ONE = {"departments", "committees"}
PAPERS_AT_SCALE_ONE = VOLUMES["papers"][0]


def volumes(scale):
    """The number of rows of each kind at `scale`."""
    counts = {}
    for key, (count, least) in VOLUMES.items():
        factor = scale
        if scale > 1 and key in FIXED_ABOVE_ONE:
            factor = 1
        elif scale > 1 and key == "meetings":
            factor = scale**0.5
        counts[key] = max(least, round(count * factor))
    return counts


def scale_for_papers(papers):
    """The scale at which the generator writes `papers` papers."""
    return papers / PAPERS_AT_SCALE_ONE


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
# Subjects in order of frequency: the n-th is chosen with weight 1/n (Zipf), as words
# are in real texts. COMMON_WORD is 4th (about 4.5 % of the papers), RARE_WORD last
# (about 0.15 %).
SUBJECTS = [
    "Stellenplan",
    "Schulsozialarbeit",
    "Kindertagesstätten",
    "Integrationsmanagement",
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
    "Schulentwicklungsplan",
    "Kita-Ausbauprogramm",
    "Breitbandausbau",
    "Parkraummanagement",
    "Carsharing-Stellplätze",
    "Hochwasserschutz",
    "Starkregenvorsorge",
    "Fernwärmenetz",
    "Stadtreinigung",
    "Wertstoffhöfe",
    "Friedhofsgebühren",
    "Hundesteuer",
    "Grundsteuerreform",
    "Gewerbeflächenentwicklung",
    "Innenstadtkonzept",
    "Marktwesen",
    "Weihnachtsmarkt",
    "Tourismusförderung",
    "Städtepartnerschaften",
    "Stadtarchiv",
    "Musikschule",
    "Volkshochschule",
    "Theaterförderung",
    "Museumsentwicklung",
    "Jugendgemeinderat",
    "Seniorenbegegnungsstätten",
    "Pflegeheime",
    "Gesundheitsförderung",
    "Hitzeaktionsplan",
    "Frauenhäuser",
    "Gewaltschutz",
    "Kinderschutz",
    "Schulwegsicherheit",
    "Verkehrsberuhigung",
    "Fußverkehrskonzept",
    "Barrierefreiheit",
    "Aufzugsanlagen",
    "Stadtbahnhaltestellen",
    "Busbeschleunigung",
    "Nachtbusnetz",
    "Seilbahnstudie",
    "Gemeinschaftsschulen",
    "Schulmensen",
    "Schulturnhallen",
    "Sportvereinsförderung",
    "Kunstrasenplätze",
    "Hallenbäder",
    "Freibäder",
    "Eisstadion",
    "Grünflächenpflege",
    "Stadtbäume",
    "Urban Gardening",
    "Artenschutzkonzept",
    "Streuobstwiesen",
    "Weinbau",
    "Energieberatung",
    "Solaroffensive",
    "Wärmeplanung",
    "Ladeinfrastruktur",
    "Dienstfahrzeuge",
    "Beschaffungsrichtlinie",
    "Vergabeordnung",
    "Informationssicherheit",
    "Open Data",
    "Bürgerbeteiligung",
    "Bürgerhaushalt",
    "Wahlhelferentschädigung",
    "Katastrophenschutzplan",
    "Rettungswachen",
    "Feuerwehrbedarfsplan",
    "Ordnungsdienst",
    "Videoüberwachung",
    "Obdachlosenunterkünfte",
    "Drogenkonsumraum",
    "Tafelläden",
    "Migrationsberatung",
    "Sprachmittlerpool",
    "Antidiskriminierungsstelle",
    "Gleichstellungsplan",
    "Wohnraumförderung",
    "Mietspiegel",
    "Zweckentfremdungsverbot",
    "Erhaltungssatzung",
    "Sanierungsgebiet Neckarvorstadt",
    "Stadterneuerung Hallschlag",
    "Rahmenplan Talaue",
    "Bebauungsplan Pragstraße",
    "Bebauungsplan Böblinger Straße",
    "Bebauungsplan Wagenhallen",
    "Bebauungsplan Schoch-Areal",
    "Bebauungsplan Eiermann-Campus",
    "Bebauungsplan Bürgerhospital",
    "Bebauungsplan Rosensteinviertel",
    "Leuzebad",
]
COMMON_WORD = "Integrationsmanagement"
COMMON_WORD_TYPO = "Integrationsmanagment"
RARE_WORD = "Leuzebad"
SUBJECT_WEIGHTS = [1 / rank for rank in range(1, len(SUBJECTS) + 1)]
SENTENCES_FILE = Path(__file__).with_name("corpus_sentences.txt")


def corpus_sentences():
    """The real sentences of the corpora, `{subject}` where the paper's subject goes."""
    return [
        line.strip()
        for line in SENTENCES_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
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
# Decisions per position (created, then extended or made permanent): 2.4 on average.
CHAIN_LENGTHS = [1, 2, 3, 4, 5]
CHAIN_WEIGHTS = [30, 25, 20, 15, 10]


# Called with the number of rows of every batch written (the progress bar).
_written = None


def _bulk(model, objs):
    """Insert `objs` in batches and give them their keys (PostgreSQL: by COPY)."""
    objs = list(objs)
    insert = _copy if connection.vendor == "postgresql" else _bulk_create
    for start in range(0, len(objs), COPY_BATCH_SIZE):
        batch = objs[start : start + COPY_BATCH_SIZE]
        insert(model, batch)
        if _written:
            _written(len(batch))
    return objs


def _bulk_create(model, batch):
    model.objects.bulk_create(batch, batch_size=BATCH_SIZE)


# Fields whose Python value is what the database stores: read as they are.
PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def _value_of(field, db):
    """A function giving `field`'s database value of an object, as a save does."""
    plain = isinstance(field, PLAIN_FIELDS) or (
        type(field) is models.DateField and not field.auto_now_add
    )
    if plain and not getattr(field, "auto_now", False):
        attname = field.attname
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), db)


def _copy(model, batch):
    """bulk_create by COPY: the keys drawn from the table's sequence first, then
    every column's value prepared as Django saves it (auto_now and the like by
    pre_save, the database form by get_db_prep_save). Several times faster than
    INSERT with parameters, which most of the generation time went to."""
    meta = model._meta
    fields = meta.concrete_fields
    # The connection itself, not the proxy `connection`, whose every attribute is
    # looked up per thread (a quarter of the generation time, once per value).
    db = connections[DEFAULT_DB_ALIAS]
    qn = db.ops.quote_name
    with db.cursor() as cursor:
        if any(obj.pk is None for obj in batch):
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                "FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(batch)],
            )
            for obj, (key,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = key
        values = [_value_of(field, db) for field in fields]
        columns = ", ".join(qn(field.column) for field in fields)
        with cursor.cursor.copy(
            f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            for obj in batch:
                copy.write_row([value(obj) for value in values])
    for obj in batch:
        obj._state.adding = False
        obj._state.db = db.alias


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
        self.corpus = corpus_sentences()
        self.progress = None

    # -- text ------------------------------------------------------------------------

    def fill(self, template, subject=None):
        rng = self.rng
        year = rng.randint(self.first_year, self.today.year + 2)
        return template.format(
            subject=subject or self.subject(),
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

    def subject(self):
        return self.rng.choices(SUBJECTS, SUBJECT_WEIGHTS)[0]

    def title(self, year):
        rng = self.rng
        subject = self.subject()
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
                # Real sentences of council papers and the administrative ones
                # above, about half each.
                body = " ".join(
                    self.fill(
                        rng.choice(self.corpus if rng.random() < 0.5 else SENTENCES),
                        paper.subject,
                    )
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
        self.adopted_days = [day for day, _ in self.adopted]

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
        days = self.adopted_days
        start = bisect.bisect_left(days, day + datetime.timedelta(days=60))
        if start >= len(self.adopted):
            return None
        end = bisect.bisect_left(days, day + datetime.timedelta(days=900))
        return self.adopted[self.rng.randrange(start, max(end, start + 1))]

    def positions(self):
        rng = self.rng
        Action = PositionDecision.Action
        wanted = self.counts["positions"]
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

        for index, (position, (decided, paper)) in enumerate(
            zip(positions, chains, strict=True)
        ):
            # A chain of one to five decisions: created, extended, at the end now and
            # then made permanent. One decision alone is often an unlimited position.
            length = rng.choices(CHAIN_LENGTHS, CHAIN_WEIGHTS)[0]
            # Never more than counts["decisions"], one left for each later position.
            later_positions = wanted - index - 1
            length = max(
                1,
                min(
                    length, self.counts["decisions"] - len(decisions) - later_positions
                ),
            )
            valid_from = decided + datetime.timedelta(days=rng.randint(0, 90))
            limited = length > 1 or rng.random() < 0.5
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
            for step in range(2, length + 1):
                later = self.adopted_after(decided)
                if later is None:
                    break
                decided, paper = later
                if step == length and rng.random() < 0.2:
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
                    break
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
                until = new_until
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

    def expected_rows(self):
        """About how many rows the steps write (for the progress bar)."""
        c = self.counts
        return round(
            c["papers"] * 3.2  # papers, their sections, co-signers and references
            + c["consultations"]
            + c["items"]
            + c["positions"]
            + c["decisions"]
            + c["funding_lines"]
            + c["meetings"]
        )

    def run(self, progress=None, written=None):
        global _written
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
        _written = written
        try:
            with transaction.atomic(), acting_as(reason=HISTORY_REASON):
                bypass = _Bypass(connection)
                bypass.disable()
                for label, step in [*steps, *bypass.finish_steps()]:
                    started = time.perf_counter()
                    step()
                    if progress:
                        progress(label, time.perf_counter() - started)
        finally:
            _written = None


HISTORY_REASON = "Erzeugte Testdaten"
# Triggers whose work is done once per table at the end instead of row by row:
# the OParl stamps (oparl/triggers.py) on every table, and the search vector that
# each statement on items and sections rebuilds for their papers (council.derived).
# Every other trigger (one added later) still fires.
BYPASSED_TRIGGERS = ("oparl_stamp", "oparl_stamp_update")
SEARCH_PART_TRIGGERS = {
    (table, name) for table, name in SEARCH_TRIGGERS if table != "council_paper"
}


class _Bypass:
    """Bulk loading with the row triggers' work done in bulk, in the same transaction.

    On PostgreSQL the stamping and search triggers run a handful of statements for
    every inserted row or batch (a batch of items rebuilds the search vectors of its
    papers, a paper stamps its consultations' meetings ...). The generator switches
    them off with ALTER TABLE ... DISABLE TRIGGER inside its transaction
    (transactional DDL: other connections never see them off, they wait for the
    table lock; a failure rolls the switch back with the rows), writes the rows,
    switches them on again and then does their work once per table, before the
    commit:

    - search vectors: every paper's title is "updated" to itself, which fires the
      paper's own search trigger (BEFORE UPDATE OF title) and rebuilds its vector
      from its items and sections, with whatever function that trigger uses;
    - OParl stamps: oparl.triggers.backfill() stamps every object there is, published
      if the public sees it, `modified` the clock time at that moment: what the
      triggers would have written had all rows been written at that moment;
    - audit trail: one version per row ('+', the account `system`, the reason
      HISTORY_REASON with the command), as the importer's bulk_create with history
      writes, but as one INSERT ... SELECT per table.

    On SQLite (the tests' second database, small data) the triggers stay on; only the
    versions are written in bulk.
    """

    def __init__(self, connection):
        self.connection = connection
        self.disabled = []

    def disable(self):
        if self.connection.vendor != "postgresql":
            return
        wanted = {
            (model._meta.db_table, name)
            for model in GENERATED_MODELS
            for name in BYPASSED_TRIGGERS
        }
        wanted |= SEARCH_PART_TRIGGERS
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            )
            self.disabled = sorted(wanted & set(cursor.fetchall()))
            # Checks still pending from before (in an outer transaction) first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for tbl, name in self.disabled:
                cursor.execute(f'ALTER TABLE "{tbl}" DISABLE TRIGGER "{name}"')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def enable(self):
        with self.connection.cursor() as cursor:
            # A table with foreign key checks still pending (Django's constraints are
            # deferred to the commit) cannot be altered: check them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for tbl, name in self.disabled:
                cursor.execute(f'ALTER TABLE "{tbl}" ENABLE TRIGGER "{name}"')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def finish_steps(self):
        # Planner statistics of the new rows first (ANALYZE inside the transaction
        # counts its own rows): with those of empty tables, the search trigger's
        # subqueries scan all items once per paper (172 s instead of 11 at 12,000).
        steps = [("Statistik", analyze)]
        names = {name for _, name in self.disabled}
        if names:
            steps.append(("Trigger wieder an", self.enable))
        if names & {name for _table, name in SEARCH_PART_TRIGGERS}:
            steps.append(("Suchindex", rebuild_search_vectors))
        if names & set(BYPASSED_TRIGGERS):
            steps.append(("OParl-Zeitstempel", stamp_everything))
        steps.append(("Änderungshistorie", record_versions))
        return steps


def rebuild_search_vectors():
    """Let each paper's own search trigger rebuild its vector (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Paper._meta.db_table} SET title = title")


def stamp_everything():
    oparl_triggers.backfill(connection)


AUDITED_MODELS = [
    Paper,
    PaperSection,
    PaperReference,
    Consultation,
    ResolutionItem,
    Position,
    PositionDecision,
    FundingLine,
]


def record_versions():
    """One version ('+') of every generated row of an audited model, in SQL."""
    user, reason = system_user(), current_reason() or HISTORY_REASON
    now = timezone.now()
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in AUDITED_MODELS:
            records = model._audited_history
            history = model.audit_trail.model
            versions = qn(history._meta.db_table)
            columns = ", ".join(
                qn(f.column)
                for f in history._meta.concrete_fields
                if not f.name.startswith("history_")
            )
            cursor.execute(
                f"INSERT INTO {versions} ({columns}, history_date, history_type, "
                "history_user_id, history_change_reason) "
                f"SELECT {columns}, %s, '+', %s, %s FROM {qn(model._meta.db_table)} "
                "ORDER BY id",
                [now, user.pk, reason],
            )
            for field, m2m in records.m2m_models.items():
                through = qn(field.remote_field.through._meta.db_table)
                source, target = field.m2m_column_name(), field.m2m_reverse_name()
                cursor.execute(
                    f"INSERT INTO {qn(m2m._meta.db_table)} "
                    f"(id, {qn(source)}, {qn(target)}, history_id) "
                    f"SELECT t.id, t.{qn(source)}, t.{qn(target)}, h.history_id "
                    f"FROM {through} t JOIN {versions} h ON h.id = t.{qn(source)} "
                    "ORDER BY t.id"
                )


def generate_volume(*, scale=1.0, seed=2019, today=None, progress=None, written=None):
    """Fill the database with a council's ten years at `scale`; returns row counts.

    `progress(label, seconds)` is called after each step, e.g. to print it;
    `written(rows)` after every batch of rows (a progress bar).
    """
    generator = _Generator(scale, seed, today or timezone.localdate())
    generator.run(progress, written)
    analyze()
    return volume_counts()


def expected_rows(scale):
    """About how many rows generate_volume(scale) writes."""
    return _Generator(scale, 0, timezone.localdate()).expected_rows()


def analyze():
    """Fresh planner statistics for the generated tables, as a live database has.

    Right after a bulk load the statistics are empty (autovacuum comes later), and
    the planner would measure plans no production database uses. Outside a
    transaction (the command, not a test) PostgreSQL also vacuums, as autovacuum
    does soon after a load: until then no page is marked all-visible, and every
    index-only scan reads the table as well (a server with autovacuum off, like
    this development machine's, would otherwise never get there).
    """
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        return
    tables = [model._meta.db_table for model in GENERATED_MODELS]
    # The versions and stamps too: pages read the newest version of a committee's
    # steps; without statistics that took minutes at 100,000 papers.
    for model in AUDITED_MODELS:
        tables.append(model.audit_trail.model._meta.db_table)
        tables += [
            m2m._meta.db_table for m2m in model._audited_history.m2m_models.values()
        ]
    tables.append(Stamp._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


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
    measurement, nor their versions in the audit trail.
    """
    with transaction.atomic():
        for model in AUDITED_MODELS:
            history = model.audit_trail.model
            for m2m in model._audited_history.m2m_models.values():
                m2m.objects.all()._raw_delete(m2m.objects.db)
            history.objects.all()._raw_delete(history.objects.db)
        for model in GENERATED_MODELS:
            model.objects.all()._raw_delete(model.objects.db)
        Stamp.objects.all()._raw_delete(Stamp.objects.db)
