"""The council's papers and their way through the committees.

This app is the core of the domain and imports none of the others: positions and
funding reach a paper through their own foreign keys.
"""

import re

from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.history import AuditedHistory, HistoricalQuerySet, newest_of, newest_version
from operations import formats

from .addresses import address
from .visibility import FULL_RECORD, NONPUBLIC_PERMISSION, audience, can_see_nonpublic

__all__ = ["FULL_RECORD", "NONPUBLIC_PERMISSION", "can_see_nonpublic"]


class TimeStampedModel(models.Model):
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)
    modified = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        abstract = True


class Department(TimeStampedModel):
    """An office of the city administration: Referat, Amt, Jobcenter …"""

    class Kind(models.TextChoices):
        REFERAT = "referat", _("Referat")
        AMT = "amt", _("Amt")
        JOBCENTER = "jobcenter", _("Jobcenter")
        EIGENBETRIEB = "eigenbetrieb", _("Eigenbetrieb")
        OTHER = "other", _("Sonstige Stelle")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(
        _("Kurzbezeichnung"),
        max_length=20,
        blank=True,
        help_text=_("Wie in Aktenzeichen und Vorlagen, z. B. „SI“, „AKR“, „WFB“."),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnete Stelle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("Dienststelle")
        verbose_name_plural = _("Dienststellen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["short_name"],
                condition=~Q(short_name=""),
                name="department_unique_short_name",
                violation_error_message=_(
                    "Diese Kurzbezeichnung gehört schon zu einer anderen Dienststelle."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class CommitteeQuerySet(models.QuerySet):
    def last_changed(self, user):
        """When what `user` sees of these committees' steps (and their papers)
        last changed; None if unknown."""

        def subqueries():
            steps = Consultation.objects.visible_to(user).filter(
                committee=OuterRef(OuterRef("pk"))
            )
            return {
                "changed_steps": newest_version(
                    Consultation, user, committee=OuterRef("pk")
                ),
                "changed_papers": newest_version(
                    Paper, user, id__in=steps.values("paper")
                ),
            }

        return newest_of(self, audience(user), subqueries)


class Committee(TimeStampedModel):
    """A body that deliberates on papers: the Gemeinderat or one of its committees."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Gemeinderat")
        COMMITTEE = "committee", _("Ausschuss")
        ADVISORY = "advisory", _("Beirat")
        DISTRICT = "district", _("Bezirksbeirat")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzbezeichnung"), max_length=20, blank=True)
    slug = models.SlugField(
        _("Adresskürzel"),
        unique=True,
        help_text=_("Teil der Adresse der Gremienseite, z. B. „gemeinderat“."),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("council:committee-detail", slug=self.slug)


TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def person_key(name):
    """A name reduced to what tells people apart: "DR. ALEXANDRA SUSSMANN" is
    "Dr. Alexandra Sußmann"."""
    folded = name.translate(TRANSLITERATION).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People a user may know of: those who signed a paper the user may see."""
        if can_see_nonpublic(user):
            return self
        return self.filter(
            Exists(Paper.objects.visible_to(user).filter(signer=OuterRef("pk")))
        )

    def for_name(self, name):
        """The person of that name (spelled in any case, ß or ss), made if new."""
        key = person_key(name)
        for person in self.all():
            if person_key(person.name) == key:
                return person
        return self.create(name=" ".join(name.split()))


class Person(TimeStampedModel):
    """Someone the register names: who signed a paper (later: who spoke or voted)."""

    name = models.CharField(
        _("Name"),
        max_length=200,
        help_text=_(
            "Mit Titel, wie er zuletzt richtig geschrieben wurde. Eine Korrektur hier "
            "gilt für alle Drucksachen dieser Person."
        ),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Meetings a user may see: public ones, or all with the permission."""
        return self if can_see_nonpublic(user) else self.filter(is_public=True)


class Meeting(TimeStampedModel):
    """One sitting of a committee."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("Gremium"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    date = models.DateField(_("Datum"))
    start_time = models.TimeField(_("Beginn"), null=True, blank=True)
    location = models.CharField(_("Ort"), max_length=200, blank=True)
    is_public = models.BooleanField(_("öffentlich"), default=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-date", "start_time"]
        indexes = [models.Index(fields=["committee", "date"])]

    def __str__(self):
        return f"{self.committee} – {formats.date(self.date)}"

    def get_absolute_url(self):
        return address("council:meeting-detail", pk=self.pk)


# "GRDrs", "GRDrs.", "Drs.", "Drucksache" before a paper's number, all optional.
REFERENCE_PREFIX = r"\s*(?:(?:GR)?Drs\.?|Drucksache)?\s*"


def full_year(text):
    """A printed year: "2019" as it is, "19" within the last hundred years."""
    year = int(text)
    if len(text) > 2:
        return year
    this_year = timezone.localdate().year
    year += this_year // 100 * 100
    return year if year <= this_year + 1 else year - 100


class StateNotAnnotated(RuntimeError):
    """Paper.state read from a paper fetched without PaperQuerySet.with_state()."""


def _changes_in_list(user):
    """The newest versions of a paper and its steps that `user` may see, by
    name, correlated with the paper (audit.history.newest_of)."""
    here = OuterRef("pk")
    return {
        "changed_paper": newest_version(Paper, user, id=here),
        "changed_steps": newest_version(Consultation, user, paper=here),
    }


def _changes_of_parts(user):
    """Likewise for the rest of a paper's page: items, sections, attachments,
    funding lines, position decisions and references either way."""
    here = OuterRef("pk")
    related = [ResolutionItem, PaperSection, Attachment]
    # Reached by name: funding and positions build on council.
    related += [
        Paper.funding_lines.rel.related_model,
        Paper.position_decisions.rel.related_model,
    ]
    changes = {
        f"changed_{model._meta.model_name}": newest_version(model, user, paper=here)
        for model in related
    }
    for side in ("from_paper", "to_paper"):
        changes[f"changed_{side}"] = newest_version(
            PaperReference, user, **{side: here}
        )
    return changes


class YearsQuerySet(models.QuerySet):
    """A queryset of rows with a `year` whose distinct years a filter offers."""

    def years(self):
        """The distinct years of these rows, newest first.

        A recursive query that asks the index for the next lower year, about 20
        steps for 20 years, instead of reading every row for DISTINCT.
        """
        sql, params = self.order_by().values("year").query.sql_with_params()
        query = (
            "WITH RECURSIVE found(year) AS ("
            f"SELECT (SELECT max(p.year) FROM ({sql}) p) "
            "UNION ALL "
            f"SELECT (SELECT max(p.year) FROM ({sql}) p WHERE p.year < found.year) "
            "FROM found WHERE found.year IS NOT NULL"
            ") SELECT year FROM found WHERE year IS NOT NULL"
        )
        with connections[self.db].cursor() as cursor:
            cursor.execute(query, [*params, *params])
            return [row[0] for row in cursor.fetchall()]


class PaperQuerySet(YearsQuerySet):
    def public(self):
        return self.filter(is_public=True)

    def visible_to(self, user):
        """The one place that decides which papers a user may see."""
        return self if can_see_nonpublic(user) else self.public()

    def last_changed(self, user):
        """When what `user` sees of these papers on their own pages last changed:
        the papers, their steps, items, sections, attachments, references,
        funding lines and position decisions. None if unknown."""
        return newest_of(
            self,
            (audience(user), "page"),
            lambda: {**_changes_in_list(user), **_changes_of_parts(user)},
        )

    def last_changed_in_list(self, user):
        """When what a list of these papers shows `user` last changed: the
        papers and their steps. None if unknown."""
        return newest_of(self, (audience(user), "list"), lambda: _changes_in_list(user))

    def find_reference(self, reference):
        """The paper with the reference "949/2019" ("… Ergänzung", in any case),
        or None."""
        number, year, suffix = Paper.split_reference(reference)
        if number is None:
            return None
        return self.filter(number=number, year=year, suffix__iexact=suffix).first()

    def with_number(self, number):
        """The papers numbered `number` in any year, newest first."""
        return self.filter(number=number).order_by("-year", "suffix")

    def adopted(self, user):
        """Papers whose Beschlussfassung approved them, as far as `user` can tell."""
        return self.filter(
            Exists(
                Consultation.objects.visible_to(user).filter(
                    paper=OuterRef("pk"),
                    role=Consultation.Role.DECISION,
                    result__in=Consultation.Result.approving(),
                )
            )
        )

    def with_state(self, user):
        """Annotate `state` (a Paper.State) from the consultations `user` may see
        (see paper_state)."""
        return self.annotate(state=paper_state(user))


def paper_state(user, paper="pk"):
    """The state (a Paper.State) of the paper in the outer query's field `paper`,
    from the consultations `user` may see (docs/visibility.md).

    A paper whose visible steps settle nothing while a non-public step settles
    it, or whose steps are all non-public, is "nichtöffentlich beraten": the
    public learns that, never the hidden result.
    """
    if can_see_nonpublic(user):
        return PaperState(F(paper))
    # The outer query's own paper's flag: a join back to the paper for every
    # step doubled the cost of a state filter (issue 12).
    return PaperState(
        F(paper), F("is_public" if paper == "pk" else f"{paper}__is_public")
    )


class PaperState(models.Expression):
    """paper_state() as one correlated scalar subquery that reads the paper's
    steps once through the index on their paper.

    Not one EXISTS per rule: PostgreSQL hashed those over all consultations of
    the database before a list's LIMIT (issue 12); a scalar subquery is never
    hashed, so a page of 20 papers reads the steps of 20. Written as SQL once per
    audience rather than built as a queryset of filtered Counts in a Case: Django
    took 5 to 10 ms to build, resolve and compile that queryset for each query
    that read or filtered a state, a fifth of a paper list's time. The rules are
    pinned against their Python statement by tests/council/test_state_property.py.

    Sources: the paper's id, and for a reader without the permission for
    non-public facts also the paper's own is_public.
    """

    output_field = models.CharField()

    def __init__(self, paper, paper_is_public=None):
        super().__init__()
        self.sources = [paper] if paper_is_public is None else [paper, paper_is_public]

    def get_source_expressions(self):
        return self.sources

    def set_source_expressions(self, exprs):
        self.sources = list(exprs)

    def get_group_by_cols(self):
        # As for a correlated Subquery: the outer columns it reads.
        return [col for source in self.sources for col in source.get_group_by_cols()]

    def as_sql(self, compiler, connection):
        public_only = len(self.sources) == 2
        paper_sql, paper_params = compiler.compile(self.sources[0])
        seen, seen_params = "1 = 1", []
        if public_only:
            # A step is seen where it and its paper are public.
            public_sql, seen_params = compiler.compile(self.sources[1])
            seen = f"{STEP}.{connection.ops.quote_name('is_public')} AND {public_sql}"
        template = _STATE_SQL.get((public_only, connection.vendor))
        if template is None:
            template = _state_sql(public_only, connection.ops.quote_name)
            _STATE_SQL[public_only, connection.vendor] = template
        # Every {seen} comes before the one {paper}, in the WHERE at the end.
        params = [*seen_params] * template.count("{seen}") + [*paper_params]
        return template.format(seen=seen, paper=paper_sql), params


# The step's alias inside PaperState's subquery; no alias Django makes.
STEP = "paper_state_step"
# _state_sql() by (public_only, database vendor).
_STATE_SQL = {}


def _state_sql(public_only, quote):
    """PaperState's SQL with {seen} (the condition that a step is seen) and
    {paper} (the outer paper's id) left to fill in."""
    C = Consultation

    def column(name):
        return f"{STEP}.{quote(C._meta.get_field(name).column)}"

    def one_of(name, *values):
        # TextChoices values, all letters and underscores: safe as literals.
        literals = ", ".join(f"'{value}'" for value in values)
        return f"{column(name)} IN ({literals})"

    def any_step(condition):
        return f"(COUNT(CASE WHEN {condition} THEN 1 END) > 0)"

    seen = "{seen}"
    withdrawn = one_of("result", C.Result.WITHDRAWN)
    decision = one_of("role", C.Role.DECISION)
    approving = one_of("result", *C.Result.approving())
    rejected = one_of("result", C.Result.REJECTED)
    pending = one_of("result", *C.Result.pending())
    rules = [
        (any_step(f"{seen} AND {withdrawn}"), Paper.State.WITHDRAWN),
        (any_step(f"{seen} AND {decision} AND {approving}"), Paper.State.ADOPTED),
        (any_step(f"{seen} AND {decision} AND {rejected}"), Paper.State.REJECTED),
    ]
    if public_only:
        # Only where a hidden step settles the paper (or is all there is): a
        # closed Vorberatung before a public decision leaves it "in Beratung".
        closed = f"NOT {column('is_public')}"
        settles = f"{withdrawn} OR ({decision} AND ({approving} OR {rejected}))"
        only_closed = f"{any_step(closed)} AND NOT {any_step(seen)}"
        rules.append(
            (
                f"{any_step(f'{closed} AND ({settles})')} OR ({only_closed})",
                Paper.State.NONPUBLIC,
            )
        )
    rules.append((f"NOT {any_step(seen)}", Paper.State.NONE))
    # A paper for information only is done once no step is pending.
    no_decision = f"NOT {any_step(f'{seen} AND {decision}')}"
    none_pending = f"NOT {any_step(f'{seen} AND {pending}')}"
    rules.append((f"{no_decision} AND {none_pending}", Paper.State.NOTED))
    whens = " ".join(f"WHEN {rule} THEN '{state}'" for rule, state in rules)
    # Aggregates without GROUP BY: one row even for a paper without steps.
    return (
        f"(SELECT CASE {whens} ELSE '{Paper.State.IN_CONSULTATION}' END "
        f"FROM {quote(C._meta.db_table)} {STEP} "
        f"WHERE {column('paper')} = {{paper}})"
    )


class HistoricalPaperQuerySet(HistoricalQuerySet):
    def visible_to(self, user):
        """Versions a user may see: public ones of papers the user may see."""
        if can_see_nonpublic(user):
            return self
        return self.filter(is_public=True, id__in=Paper.objects.public().values("pk"))


def public_then(paper_field):
    """The condition on a version that the paper in `paper_field` is public now
    and was public when the version was recorded.

    What a paper was at a moment is its newest version up to then; before its
    first version (the history began later), its present flag counts.
    """
    then = (
        Paper.audit_trail.filter(
            id=OuterRef(f"{paper_field}_id"),
            history_date__lte=OuterRef("history_date"),
        )
        .order_by("-history_date", "-history_id")
        .values("is_public")[:1]
    )
    return Q(**{f"{paper_field}_id__in": Paper.objects.public().values("pk")}) & Q(
        Coalesce(Subquery(then), Value(True))
    )


class HistoricalPaperPartQuerySet(HistoricalQuerySet):
    def visible_to(self, user):
        """Versions of a row that is as public as its paper: those recorded while
        the paper was public, of a paper the user may see."""
        if can_see_nonpublic(user):
            return self
        return self.filter(public_then("paper"))


class HistoricalFlaggedPartQuerySet(HistoricalQuerySet):
    def visible_to(self, user):
        """Versions of a row with its own flag (a step, an attachment): public
        ones, recorded while the paper was public."""
        if can_see_nonpublic(user):
            return self
        return self.filter(public_then("paper"), is_public=True)


class HistoricalPaperReferenceQuerySet(HistoricalQuerySet):
    def visible_to(self, user):
        """Versions of a reference recorded while both papers were public."""
        if can_see_nonpublic(user):
            return self
        return self.filter(public_then("from_paper"), public_then("to_paper"))


class Paper(TimeStampedModel):
    """A Gemeinderatsdrucksache (GRDrs), identified by number/year and a suffix."""

    class Type(models.TextChoices):
        DECISION = "beschlussvorlage", _("Beschlussvorlage")
        INFORMATION = "mitteilungsvorlage", _("Mitteilungsvorlage")
        MOTION = "antrag", _("Antrag")
        INQUIRY = "anfrage", _("Anfrage")
        STATEMENT = "stellungnahme", _("Stellungnahme")
        # The council information system's own type for the administration's
        # answer to a motion or inquiry (also on budget answer pages).
        ANSWER = "beantwortung", _("Beantwortung / Stellungnahme")
        REPORT = "bericht", _("Bericht")

    class State(models.TextChoices):
        NONE = "none", _("ohne Beratungsfolge")
        IN_CONSULTATION = "in_consultation", _("in Beratung")
        ADOPTED = "adopted", _("beschlossen")
        REJECTED = "rejected", _("abgelehnt")
        NOTED = "noted", _("zur Kenntnis genommen")
        WITHDRAWN = "withdrawn", _("zurückgezogen")
        NONPUBLIC = "nonpublic", _("nichtöffentlich beraten")

        @property
        def decides_items(self):
            """Whether the paper was decided (or withdrawn) as a whole, so that
            each item's own outcome says what became of it."""
            return self in {
                Paper.State.ADOPTED,
                Paper.State.REJECTED,
                Paper.State.WITHDRAWN,
            }

    number = models.PositiveIntegerField(_("Nummer"))
    year = models.PositiveSmallIntegerField(_("Jahr"))
    suffix = models.CharField(
        _("Zusatz"),
        max_length=40,
        blank=True,
        help_text=_("Nur bei Ergänzungen und Neufassungen, z. B. „Ergänzung“."),
    )
    paper_type = models.CharField(
        _("Art der Vorlage"), max_length=30, choices=Type.choices, blank=True
    )
    paper_type_note = models.CharField(
        _("Zusatz zur Art"),
        max_length=100,
        blank=True,
        help_text=_("Wie gedruckt, z. B. „zum Haushaltsplan 2020/2021“."),
    )
    title = models.TextField(_("Betreff"), blank=True)
    date = models.DateField(_("Datum"), null=True, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("federführende Dienststelle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="papers",
    )
    file_reference = models.CharField(_("Aktenzeichen (Gz)"), max_length=50, blank=True)
    signed_by_name = models.CharField(
        _("unterzeichnet von"), max_length=200, blank=True
    )
    signed_by_office = models.CharField(
        _("Amtsbezeichnung"),
        max_length=200,
        blank=True,
        help_text=_("z. B. „Bürgermeisterin“."),
    )
    signer = models.ForeignKey(
        Person,
        verbose_name=_("unterzeichnende Person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_papers",
        help_text=_(
            "Wird beim Speichern aus dem Namen gefunden oder angelegt. Nur ändern, "
            "wenn eine andere Person unterzeichnet hat; einen Schreibfehler im Namen "
            "bei der Person korrigieren."
        ),
    )
    co_departments = models.ManyToManyField(
        Department,
        verbose_name=_("mitverantwortliche Dienststellen"),
        blank=True,
        related_name="co_led_papers",
        help_text=_(
            "Bei einer gemeinsamen Vorlage die weiteren Dienststellen neben der "
            "federführenden."
        ),
    )
    co_signing_departments = models.ManyToManyField(
        Department,
        verbose_name=_("mitzeichnende Stellen"),
        blank=True,
        related_name="co_signed_papers",
        help_text=_("„Beteiligte Stellen … haben die Vorlage mitgezeichnet“."),
    )
    is_public = models.BooleanField(
        _("öffentlich"),
        default=True,
        help_text=_("Nichtöffentliche Drucksachen sehen nur berechtigte Personen."),
    )
    is_stub = models.BooleanField(
        _("nur als Zitat bekannt"),
        default=False,
        help_text=_(
            "Für Drucksachen, die bisher nur zitiert werden. Datum, Art und "
            "Dienststelle dürfen dann fehlen."
        ),
    )
    # Title, items and sections as German full text (weights A, B, C). Database
    # triggers keep it current on PostgreSQL (migration 0003); SQLite leaves it
    # empty and searches by substring instead (council/search.py).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PaperQuerySet.as_manager()
    audit_trail = AuditedHistory(
        excluded_fields=["search_vector"],
        m2m_fields=[co_departments, co_signing_departments],
        historical_queryset=HistoricalPaperQuerySet,
    )

    class Meta:
        verbose_name = _("Drucksache")
        verbose_name_plural = _("Drucksachen")
        ordering = ["-year", "-number", "suffix"]
        permissions = [
            ("view_nonpublic_paper", _("Kann nichtöffentliche Drucksachen sehen")),
        ]
        # The orders and filters the lists offer, so that a page of 20 reads 20
        # rows of an index instead of sorting 100,000 papers (issue 12).
        indexes = [
            models.Index(
                fields=["-year", "-number", "suffix"], name="paper_newest_first"
            ),
            # OParl's list of public papers by key: a deep page counts off index
            # entries, not heap rows (199 -> 11 ms for page 300 at 36,000).
            models.Index(
                fields=["id"], condition=Q(is_public=True), name="paper_public_by_id"
            ),
            # The public's list, and its count read from the index alone.
            models.Index(
                fields=["-year", "-number", "suffix"],
                condition=Q(is_public=True),
                name="paper_public_newest_first",
            ),
            models.Index(
                fields=["paper_type", "-year", "-number"],
                name="paper_type_newest_first",
            ),
            models.Index(
                fields=["department", "-year", "-number"],
                name="paper_department_newest",
            ),
            # The same for the public's list, which otherwise ANDs the bitmap of
            # every public paper into a filter by type or department.
            models.Index(
                fields=["paper_type", "-year", "-number"],
                condition=Q(is_public=True),
                name="paper_public_type_newest",
            ),
            models.Index(
                fields=["department", "-year", "-number"],
                condition=Q(is_public=True),
                name="paper_public_department_newest",
            ),
            # The start page's latest papers.
            models.Index(
                fields=["-date", "-year", "-number"],
                condition=Q(is_stub=False),
                name="paper_latest_by_date",
            ),
            # The Atom feed's newest entries (council/feeds.py).
            models.Index(
                fields=["-created", "-id"],
                condition=Q(is_stub=False),
                name="paper_newest_entered",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "year", "suffix"],
                name="paper_unique_reference",
                violation_error_message=_(
                    "Eine Drucksache mit dieser Nummer, diesem Jahr und diesem Zusatz "
                    "gibt es schon."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(year__gte=1900) & Q(year__lte=2999),
                name="paper_plausible_number_and_year",
                violation_error_message=_(
                    "Nummer ab 1 und vierstelliges Jahr angeben, z. B. 949 und 2019."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_stub=True)
                | (
                    ~Q(title="")
                    & ~Q(paper_type="")
                    & Q(date__isnull=False)
                    & Q(department__isnull=False)
                ),
                name="paper_complete_unless_stub",
                violation_error_message=_(
                    "Eine vollständig erfasste Drucksache braucht Betreff, Art, Datum "
                    "und federführende Dienststelle. Fehlen sie, als „nur als Zitat "
                    "bekannt“ markieren."
                ),
            ),
        ]

    def __str__(self):
        return self.cite(self.number, self.year, self.suffix)

    def save(self, *args, **kwargs):
        # The printed name stays as printed; the person is who it names, so that
        # a corrected spelling keeps the person (and its OParl id).
        if self.signed_by_name.strip() and self.signer_id is None:
            self.signer = Person.objects.for_name(self.signed_by_name)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "signer"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.suffix:
            return address(
                "council:paper-detail",
                year=self.year,
                number=self.number,
                suffix=self.suffix,
            )
        return address("council:paper-detail", year=self.year, number=self.number)

    # Django's get_FOO_display() translates every choice of the field on each call
    # (it hashes their lazy labels): 360 translations for a list of 20 papers.
    def get_paper_type_display(self):
        return choice_label(self.Type, self.paper_type)

    def departments_involved(self):
        """(further departments in charge, co-signing departments): one query for
        both, where the page shows them side by side."""
        through = {
            "co_led": Paper.co_departments.through,
            "co_signed": Paper.co_signing_departments.through,
        }
        # Two index probes per department, not a join of both link tables with
        # DISTINCT (48 ms at 100,000 papers, issue 12).
        rows = (
            Department.objects.annotate(
                **{
                    flag: Exists(
                        model.objects.filter(paper=self, department=OuterRef("pk"))
                    )
                    for flag, model in through.items()
                }
            )
            .filter(Q(co_led=True) | Q(co_signed=True))
            .order_by("name")
        )
        rows = list(rows)
        return (
            [d for d in rows if d.co_led],
            [d for d in rows if d.co_signed],
        )

    def sign(self, name):
        """Set the printed signer. A name of someone else than the linked person
        (not merely another spelling of either) links that person on save."""
        name = name or ""
        key = person_key(name)
        if self.signer_id and key not in (
            person_key(self.signer.name),
            person_key(self.signed_by_name),
        ):
            self.signer = None
        if not key:
            self.signer = None
        self.signed_by_name = name

    @property
    def reference(self):
        return self.reference_of(self.number, self.year, self.suffix)

    @staticmethod
    def reference_of(number, year, suffix):
        """ "949/2019", or "949/2019 Ergänzung" with a suffix."""
        base = f"{number}/{year}"
        return f"{base} {suffix}" if suffix else base

    @classmethod
    def cite(cls, number, year, suffix):
        """ "GRDrs 949/2019": how a paper is named everywhere, from the parts of
        its key (for rows read as values, positions.selectors)."""
        return f"GRDrs {cls.reference_of(number, year, suffix)}"

    @staticmethod
    def split_reference(reference):
        """Split "GRDrs 949/2019 Ergänzung" into (949, 2019, "Ergänzung"); also
        "Drs. 949/2019" and "949/19" (a two-digit year in the last hundred)."""
        match = re.fullmatch(
            REFERENCE_PREFIX + r"(\d{1,5})\s*/\s*(\d{4}|\d{2})\s*(.*?)\s*",
            reference or "",
            flags=re.IGNORECASE,
        )
        if not match:
            return None, None, ""
        return int(match[1]), full_year(match[2]), match[3]

    @staticmethod
    def split_number(text):
        """The number of "949", "GRDrs 949" or "Drs. 949" (any year), else None."""
        match = re.fullmatch(
            REFERENCE_PREFIX + r"(\d{1,5})\s*", text or "", flags=re.IGNORECASE
        )
        return int(match[1]) if match else None

    @property
    def state(self):
        """The state annotated by PaperQuerySet.with_state(user), for that user.

        The state depends on who looks (a closed step may settle a paper for one
        reader and not for another), so a paper fetched without the annotation has
        none: reading it raises StateNotAnnotated instead of a query per paper.
        """
        annotated = self.__dict__.get("state")
        if annotated is None:
            raise StateNotAnnotated(
                f"{self}: the state of a paper is read from a queryset with "
                "with_state(user); this paper was fetched without it."
            )
        return Paper.State(annotated)

    @state.setter
    def state(self, value):
        # Set by the with_state() annotation.
        self.__dict__["state"] = value


class PaperPartQuerySet(models.QuerySet):
    """Rows that belong to one paper and are as public as that paper."""

    def visible_to(self, user):
        return self if can_see_nonpublic(user) else self.filter(paper__is_public=True)


class PaperSection(models.Model):
    """One text section of a paper as written: Begründung, Ausblick, Finanzielle …"""

    paper = models.ForeignKey(
        Paper,
        verbose_name=_("Drucksache"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"))
    heading = models.CharField(_("Überschrift"), max_length=200)
    body = models.TextField(_("Text"))

    objects = PaperPartQuerySet.as_manager()
    audit_trail = AuditedHistory(historical_queryset=HistoricalPaperPartQuerySet)

    class Meta:
        verbose_name = _("Textabschnitt")
        verbose_name_plural = _("Textabschnitte")
        ordering = ["paper", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "order"],
                name="section_unique_order_per_paper",
                violation_error_message=_(
                    "Diese Reihenfolge ist in der Drucksache schon vergeben."
                ),
            ),
        ]

    def __str__(self):
        return self.heading


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An attachment has its own flag on top of its paper's visibility."""
        if can_see_nonpublic(user):
            return self
        return self.filter(is_public=True, paper__is_public=True)


class Attachment(models.Model):
    """An Anlage of a paper."""

    paper = models.ForeignKey(
        Paper,
        verbose_name=_("Drucksache"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    number = models.PositiveSmallIntegerField(_("Anlage Nr."))
    title = models.CharField(_("Titel"), max_length=300)
    file = models.FileField(_("Datei"), upload_to="anlagen/%Y/", blank=True)
    is_public = models.BooleanField(_("öffentlich"), default=True)

    objects = AttachmentQuerySet.as_manager()
    audit_trail = AuditedHistory(historical_queryset=HistoricalFlaggedPartQuerySet)

    class Meta:
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")
        ordering = ["paper", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "number"],
                name="attachment_unique_number_per_paper",
                violation_error_message=_(
                    "Diese Anlagennummer ist in der Drucksache schon vergeben."
                ),
            ),
        ]

    def __str__(self):
        return f"Anlage {self.number}: {self.title}"

    def get_absolute_url(self):
        return address("council:attachment", pk=self.pk)


class PaperReferenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A reference is seen only by those who may see both papers."""
        if can_see_nonpublic(user):
            return self
        return self.filter(from_paper__is_public=True, to_paper__is_public=True)


class PaperReference(models.Model):
    """One paper citing, extending, settling or supplementing another."""

    class Kind(models.TextChoices):
        CITES = "cites", _("zitiert")
        EXTENDS = "extends", _("setzt Beschluss fort")
        SETTLES = "settles", _("erledigt")
        SUPPLEMENTS = "supplements", _("ergänzt / ersetzt")

    # What the other side reads: "verlängert durch GRDrs 949/2019".
    INVERSE_LABELS = {
        Kind.CITES: _("zitiert in"),
        Kind.EXTENDS: _("fortgesetzt durch"),
        Kind.SETTLES: _("erledigt durch"),
        Kind.SUPPLEMENTS: _("ergänzt / ersetzt durch"),
    }

    from_paper = models.ForeignKey(
        Paper,
        verbose_name=_("von Drucksache"),
        on_delete=models.CASCADE,
        related_name="references_made",
    )
    to_paper = models.ForeignKey(
        Paper,
        verbose_name=_("auf Drucksache"),
        on_delete=models.PROTECT,
        related_name="references_received",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)

    objects = PaperReferenceQuerySet.as_manager()
    audit_trail = AuditedHistory(historical_queryset=HistoricalPaperReferenceQuerySet)

    class Meta:
        verbose_name = _("Bezug auf Drucksache")
        verbose_name_plural = _("Bezüge auf Drucksachen")
        constraints = [
            models.UniqueConstraint(
                fields=["from_paper", "to_paper", "kind"],
                name="reference_unique_per_kind",
                violation_error_message=_("Dieser Bezug ist schon erfasst."),
            ),
            models.CheckConstraint(
                condition=~Q(from_paper=models.F("to_paper")),
                name="reference_not_to_itself",
                violation_error_message=_(
                    "Eine Drucksache kann sich nicht auf sich selbst beziehen."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.from_paper} {self.get_kind_display()} {self.to_paper}"

    def get_kind_display(self):
        return choice_label(self.Kind, self.kind)

    @property
    def inverse_label(self):
        return self.INVERSE_LABELS[self.kind]


def choice_label(choices, value):
    """The label of `value` in the TextChoices `choices`, or the value itself if
    it is none of them (as get_FOO_display() answers)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Consultations a user may see: public ones of papers the user may see."""
        if can_see_nonpublic(user):
            return self
        return self.filter(is_public=True, paper__is_public=True)

    def with_meetings(self, user):
        """Each step's committee and meeting; a meeting `user` may not see (a
        non-public sitting) comes as None, so neither its place nor its time
        show."""
        return self.select_related("committee").prefetch_related(
            models.Prefetch("meeting", queryset=Meeting.objects.visible_to(user))
        )


class Consultation(TimeStampedModel):
    """One step of a paper's Beratungsfolge."""

    class Role(models.TextChoices):
        INTRODUCTION = "introduction", _("Einbringung")
        PRELIMINARY = "preliminary", _("Vorberatung")
        DELIBERATION = "deliberation", _("Beratung")
        DECISION = "decision", _("Beschlussfassung")
        INFORMATION = "information", _("Kenntnisnahme")

    class Result(models.TextChoices):
        OPEN = "open", _("offen")
        APPROVED = "approved", _("zugestimmt")
        APPROVED_AMENDED = "approved_amended", _("geändert zugestimmt")
        REJECTED = "rejected", _("abgelehnt")
        POSTPONED = "postponed", _("vertagt")
        REFERRED = "referred", _("verwiesen")
        WITHDRAWN = "withdrawn", _("zurückgezogen")
        NOTED = "noted", _("zur Kenntnis genommen")

        @classmethod
        def approving(cls):
            return [cls.APPROVED, cls.APPROVED_AMENDED]

        @classmethod
        def pending(cls):
            return [cls.OPEN, cls.POSTPONED, cls.REFERRED]

    paper = models.ForeignKey(
        Paper,
        verbose_name=_("Drucksache"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    order = models.PositiveSmallIntegerField(
        _("Reihenfolge"), help_text=_("Position in der Beratungsfolge, ab 1.")
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("Gremium"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("Sitzung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    date = models.DateField(
        _("Sitzungstermin"),
        null=True,
        blank=True,
        help_text=_("Wie in der Vorlage gedruckt; leer lassen, wenn noch offen."),
    )
    role = models.CharField(_("Sitzungsart"), max_length=20, choices=Role.choices)
    is_public = models.BooleanField(_("öffentlich"), default=True)
    result = models.CharField(
        _("Ergebnis"), max_length=20, choices=Result.choices, default=Result.OPEN
    )
    result_note = models.TextField(
        _("Anmerkung zum Ergebnis"),
        blank=True,
        help_text=_("z. B. „einmütige Zustimmung“ oder das Stimmenverhältnis."),
    )
    votes_yes = models.PositiveSmallIntegerField(
        _("Ja-Stimmen"),
        null=True,
        blank=True,
        help_text=_("Nur wenn die Niederschrift Zahlen nennt; sonst leer lassen."),
    )
    votes_no = models.PositiveSmallIntegerField(
        _("Nein-Stimmen"), null=True, blank=True
    )
    votes_abstain = models.PositiveSmallIntegerField(
        _("Enthaltungen"), null=True, blank=True
    )
    vote_note = models.CharField(
        _("Abstimmung"),
        max_length=60,
        blank=True,
        help_text=_("Wie gedruckt: „einmütig“, „einstimmig“, „mehrheitlich“."),
    )
    minutes_number = models.CharField(
        _("Niederschrift Nr."),
        max_length=20,
        blank=True,
        help_text=_("Wie gedruckt, z. B. „184/E“."),
    )
    agenda_number = models.CharField(
        _("TOP"), max_length=20, blank=True, help_text=_("Tagesordnungspunkt.")
    )

    objects = ConsultationQuerySet.as_manager()
    audit_trail = AuditedHistory(
        historical_queryset=HistoricalFlaggedPartQuerySet,
        # A committee's feed reads its newest versions (follow.events): after a
        # bulk load, all 300,000 steps' versions lie in its window (issue 12).
        indexes=[
            models.Index(
                fields=["committee", "history_date", "history_id"],
                name="step_version_committee_newest",
            )
        ],
    )

    class Meta:
        verbose_name = _("Beratung")
        verbose_name_plural = _("Beratungsfolge")
        ordering = ["paper", "order"]
        # A committee's page and the start page's dates (issue 12).
        indexes = [
            models.Index(fields=["committee", "date"], name="step_committee_date"),
            models.Index(fields=["date"], name="step_date"),
            # The start page's next and latest steps: ten rows by date and order,
            # not every step of the latest day sorted.
            models.Index(fields=["date", "order"], name="step_next_by_date_order"),
            models.Index(fields=["-date", "order"], name="step_latest_by_date_order"),
            # Whether a paper was adopted (decisions in force, the
            # Beschlusskontrolle): a probe into the approving steps only.
            models.Index(
                fields=["paper"],
                condition=Q(
                    role="decision", result__in=["approved", "approved_amended"]
                ),
                name="step_approving_decision",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "order"],
                name="consultation_unique_order_per_paper",
                violation_error_message=_(
                    "Diese Reihenfolge ist in der Beratungsfolge schon vergeben."
                ),
            ),
            models.CheckConstraint(
                condition=Q(order__gte=1),
                name="consultation_order_from_one",
                violation_error_message=_("Die Reihenfolge beginnt bei 1."),
            ),
        ]

    def __str__(self):
        return f"{self.committee} – {self.get_role_display()}"

    # Django's own get_FOO_display() translates every choice of the field on each
    # call (it hashes their lazy labels); agendas call these once per row.
    def get_role_display(self):
        return choice_label(self.Role, self.role)

    def get_result_display(self):
        return choice_label(self.Result, self.result)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.meeting_id and self.committee_id:
            if self.meeting.committee_id != self.committee_id:
                raise ValidationError(
                    {"meeting": _("Die Sitzung gehört zu einem anderen Gremium.")}
                )
            if self.date is None:
                self.date = self.meeting.date
            elif self.date != self.meeting.date:
                raise ValidationError(
                    {"date": _("Der Termin weicht vom Datum der Sitzung ab.")}
                )


class ResolutionItem(TimeStampedModel):
    """A numbered Beschlussantrag item (Ziffer) and how its implementation goes."""

    class Outcome(models.TextChoices):
        AS_PROPOSED = "as_proposed", _("wie beantragt")
        AMENDED = "amended", _("geändert beschlossen")
        REJECTED = "rejected", _("abgelehnt")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

        @classmethod
        def void(cls):
            return [cls.REJECTED, cls.WITHDRAWN]

    class Implementation(models.TextChoices):
        OPEN = "open", _("offen")
        IN_PROGRESS = "in_progress", _("in Umsetzung")
        DONE = "done", _("umgesetzt")
        DROPPED = "dropped", _("entfallen")

    paper = models.ForeignKey(
        Paper,
        verbose_name=_("Drucksache"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    number = models.PositiveSmallIntegerField(_("Ziffer"))
    text = models.TextField(_("Text"))
    outcome = models.CharField(
        _("Beschluss zu dieser Ziffer"),
        max_length=20,
        choices=Outcome.choices,
        default=Outcome.AS_PROPOSED,
        help_text=_(
            "Nur ändern, wenn diese Ziffer anders beschlossen wurde als die Vorlage."
        ),
    )
    responsible_department = models.ForeignKey(
        Department,
        verbose_name=_("umsetzende Stelle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_items",
    )
    due_date = models.DateField(_("umzusetzen bis"), null=True, blank=True)
    implementation = models.CharField(
        _("Umsetzung"),
        max_length=20,
        choices=Implementation.choices,
        default=Implementation.OPEN,
    )
    # Where the deciding body voted item by item ("Ziffer 1 einstimmig, Ziffer 2
    # bei 3 Gegenstimmen"); the consultation holds the vote on the whole paper.
    votes_yes = models.PositiveSmallIntegerField(
        _("Ja-Stimmen"),
        null=True,
        blank=True,
        help_text=_("Nur wenn über diese Ziffer einzeln abgestimmt wurde."),
    )
    votes_no = models.PositiveSmallIntegerField(
        _("Nein-Stimmen"), null=True, blank=True
    )
    votes_abstain = models.PositiveSmallIntegerField(
        _("Enthaltungen"), null=True, blank=True
    )
    vote_note = models.CharField(
        _("Abstimmung"),
        max_length=60,
        blank=True,
        help_text=_("Wie gedruckt: „einmütig“, „einstimmig“, „mehrheitlich“."),
    )

    objects = PaperPartQuerySet.as_manager()
    audit_trail = AuditedHistory(historical_queryset=HistoricalPaperPartQuerySet)

    class Meta:
        verbose_name = _("Beschlussantrag-Ziffer")
        verbose_name_plural = _("Beschlussantrag-Ziffern")
        ordering = ["paper", "number"]
        # The start page's overdue items: the open ones by due date (issue 12).
        indexes = [
            models.Index(
                fields=["due_date"],
                condition=Q(implementation__in=["open", "in_progress"]),
                name="item_open_by_due_date",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "number"],
                name="item_unique_number_per_paper",
                violation_error_message=_(
                    "Diese Ziffer gibt es in der Drucksache schon."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="item_number_from_one",
                violation_error_message=_("Ziffern beginnen bei 1."),
            ),
        ]

    def __str__(self):
        return self.label(str(self.paper), self.number)

    def get_absolute_url(self):
        return f"{self.paper.get_absolute_url()}#ziffer-{self.number}"

    def get_outcome_display(self):
        return choice_label(self.Outcome, self.outcome)

    def get_implementation_display(self):
        return choice_label(self.Implementation, self.implementation)

    @staticmethod
    def label(paper_citation, number):
        """ "GRDrs 949/2019, Ziff. 5": how an item is cited everywhere, from its
        paper's citation (str(paper) or Paper.cite) and its number."""
        return f"{paper_citation}, Ziff. {number}"
