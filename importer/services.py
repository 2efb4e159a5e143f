"""Turn a parsed draft into rows: the one write of the importer, in one transaction.

`import_plan(draft)` only reads: it tells the preview what exists already, what
would be created and what an update would change. `paper_import(draft=…)` writes.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q, prefetch_related_objects
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.concurrency import changes_since, lock, record_parts, version
from audit.history import acting_as, bulk_create, one_version
from council.models import (
    FULL_RECORD,
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
from operations import formats
from positions.models import PayScheme, Position, PositionDecision

from .reading.departments import near, normal_form, referat_short
from .reading.paper_draft import Draft, PositionDecisionDraft

NEW_POSITION = "new"
# A new department or committee although a similar one exists (the clerk's choice).
NEW = NEW_POSITION

logger = logging.getLogger(__name__)


class PaperImportError(Exception):
    """The draft cannot be saved; the messages are for the clerk."""

    def __init__(self, messages):
        if isinstance(messages, str):
            messages = [messages]
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


class PaperChanged(PaperImportError):
    """The paper was saved after the preview the clerk confirms was made."""


# What an update from a text overwrites of a paper besides its own fields: the
# version its preview showed covers these, and a confirm compares it.
UPDATED_RELATIONS = (
    "items",
    "consultations",
    "sections",
    "references_made",
    "funding_lines",
    "position_decisions",
)


def paper_version(paper):
    """The version of `paper` as an update from a text would overwrite it."""
    return version(paper, record_parts(paper, UPDATED_RELATIONS))


class PaperExists(PaperImportError):
    """The reference is taken by a fully entered paper and no update was asked for."""


def _fold(text):
    return " ".join((text or "").split()).casefold().replace("ß", "ss")


# ---------------------------------------------------------------------------
# Looking things up (read only)
# ---------------------------------------------------------------------------


# Within one import (or one batch of imports, see import_batch), each department,
# committee, budget code, meeting and position is looked up once.
_MEMO = contextvars.ContextVar("importer_memo", default=None)


@contextlib.contextmanager
def import_batch():
    """Share the look-ups of many `paper_import` calls: a batch pays them once.

    A failing import empties the shared memo, since the rows it created are
    rolled back with it.
    """
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        # Whom the versions are recorded for is looked up once, too.
        with acting_as():
            yield
    finally:
        _MEMO.reset(token)


def _memoized(key, lookup):
    memo = _MEMO.get()
    if memo is None:
        return lookup()
    if key not in memo:
        memo[key] = lookup()
    return memo[key]


def _all_departments():
    return _memoized(("departments",), lambda: list(Department.objects.all()))


def find_department(name, short_name=None):
    """The department named so, also in another spelling (normal_form: "/" for
    ",", "(AKR)" after it, "ß"), else the one with this short name."""
    if not name and not short_name:
        return None

    if _MEMO.get() is not None:
        # Departments are few: within one import, read them all once.
        everything = _all_departments()
        wanted = (name or "").strip().casefold()
        found = next((x for x in everything if x.name.casefold() == wanted), None)
        if found is None and name:
            form = normal_form(name)
            found = next((x for x in everything if normal_form(x.name) == form), None)
        short_name = short_name or referat_short(name)
        if found is None and short_name:
            found = next((x for x in everything if x.short_name == short_name), None)
        return found
    if name:
        found = Department.objects.filter(name__iexact=name.strip()).first()
        if found:
            return found
        form = normal_form(name)
        found = next(
            (x for x in Department.objects.all() if normal_form(x.name) == form), None
        )
        if found:
            return found
    short_name = short_name or referat_short(name)
    if short_name:
        return Department.objects.filter(short_name=short_name).first()
    return None


def near_departments(name):
    """Departments probably meant by `name` though not spelled alike (the preview
    offers them instead of creating a second one)."""
    return near(name, _all_departments())[:5]


def near_matches(draft):
    """[(printed name, existing near one)] for the departments and committees of
    `draft` that importing it would create although a similar one exists."""
    token = _MEMO.set({}) if _MEMO.get() is None else None
    try:
        found = []
        names = [draft.department, *(d.name for d in draft.co_departments)]
        names += [d.name for d in draft.co_signing_departments]
        for name in dict.fromkeys(n for n in names if n):
            if find_department(name) is None and (candidates := near_departments(name)):
                found.append((name, candidates[0].name))
        for name in dict.fromkeys(c.committee for c in draft.consultations):
            if find_committee(name) is None and (candidates := near_committees(name)):
                found.append((name, candidates[0].name))
        return found
    finally:
        if token is not None:
            _MEMO.reset(token)


def _all_committees():
    return _memoized(("committees",), lambda: list(Committee.objects.all()))


def find_committee(name):
    """The committee named so, also in another spelling ("Verwaltungsausschuß")."""
    wanted = normal_form(name)
    return next((c for c in _all_committees() if normal_form(c.name) == wanted), None)


def near_committees(name):
    return near(name, _all_committees())[:5]


def find_paper(number, year, suffix):
    memo = _MEMO.get()
    key = ("paper", number, year, suffix or "")
    if memo is not None and key in memo:
        return memo[key]
    return Paper.objects.filter(number=number, year=year, suffix=suffix or "").first()


def position_candidates(decision: PositionDecisionDraft):
    """(best match or None, other positions of the department with that grade)."""
    department = find_department(decision.department)
    if department is None or not decision.pay_grade:
        return None, []
    candidates = _memoized(
        ("positions", department.pk, decision.pay_grade),
        lambda: list(
            Position.objects.filter(department=department, pay_grade=decision.pay_grade)
        ),
    )
    match = next(
        (p for p in candidates if _fold(p.function) == _fold(decision.function)),
        None,
    )
    return match, candidates


@dataclass
class PositionPlan:
    index: int
    decision: PositionDecisionDraft
    match: Position | None
    candidates: list[Position]

    @property
    def importable(self):
        d = self.decision
        return bool(d.function and d.department and d.pay_grade and d.share_percent)


@dataclass
class ImportPlan:
    draft: Draft
    existing: Paper | None = None
    cited: list = field(default_factory=list)  # (CitedPaper, Paper or None)
    positions: list[PositionPlan] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    new_committees: list[str] = field(default_factory=list)
    # New names that are probably existing ones: {printed name: [candidates]}.
    near_departments: dict = field(default_factory=dict)
    near_committees: dict = field(default_factory=dict)
    # Names found in another spelling: [(printed, existing name)].
    respelled: list = field(default_factory=list)
    diff: list = field(default_factory=list)  # (label, old, new)
    # Why the clerk may not import this text at all (a paper they may not see).
    refused: str = ""
    # The existing paper's version this preview shows (audit.concurrency).
    version: str = ""

    @property
    def conflict(self):
        """An existing, fully entered paper: only an explicit update may touch it."""
        return self.existing is not None and not self.existing.is_stub


def import_plan(draft: Draft, user=FULL_RECORD) -> ImportPlan:
    """What importing `draft` would do, as far as `user` (the clerk) may see."""
    token = _MEMO.set({})
    try:
        return _import_plan(draft, user)
    finally:
        _MEMO.reset(token)


def hidden_paper_message(reference):
    return _(
        "GRDrs %(ref)s ist als nichtöffentliche Drucksache erfasst. Nur wer "
        "nichtöffentliche Drucksachen sehen darf, kann sie aus einem Text übernehmen "
        "oder aktualisieren."
    ) % {"ref": reference}


def _import_plan(draft, user):
    plan = ImportPlan(draft)
    if draft.number is not None:
        plan.existing = find_paper(draft.number, draft.year, draft.suffix)
    if plan.existing is not None and not _visible(Paper, plan.existing, user):
        # Neither its fields (the diff) nor its positions may be shown.
        return ImportPlan(draft, refused=hidden_paper_message(draft.reference))
    if plan.existing is not None:
        # Read once for the diff and the version the preview shows.
        prefetch_related_objects(
            [plan.existing], "co_signing_departments", "co_departments"
        )
    plan.cited = [
        (cited, find_paper(cited.number, cited.year, cited.suffix))
        for cited in draft.referenced_papers
    ]
    for index, decision in enumerate(draft.position_decisions):
        match, candidates = position_candidates(decision)
        plan.positions.append(PositionPlan(index, decision, match, candidates))
    _offer_only_visible_positions(plan.positions, user)
    names = [(draft.department, draft.department_short)]
    names += [(d.name, d.short_name) for d in draft.co_signing_departments]
    names += [(d.department, None) for d in draft.position_decisions]
    names += [(d.name, d.short_name) for d in draft.co_departments]
    for name, short in names:
        if not name or name in plan.new_departments:
            continue
        found = find_department(name, short)
        if found is None:
            plan.new_departments.append(name)
            candidates = near_departments(name)
            if candidates:
                plan.near_departments[name] = candidates
        elif found.name != name and (name, found.name) not in plan.respelled:
            plan.respelled.append((name, found.name))
    for step in draft.consultations:
        if step.committee in plan.new_committees:
            continue
        found = find_committee(step.committee)
        if found is None:
            plan.new_committees.append(step.committee)
            candidates = near_committees(step.committee)
            if candidates:
                plan.near_committees[step.committee] = candidates
        elif found.name != step.committee and (
            (step.committee, found.name) not in plan.respelled
        ):
            plan.respelled.append((step.committee, found.name))
    if plan.conflict:
        plan.diff = paper_diff(draft=draft, paper=plan.existing)
    if plan.existing is not None:
        plan.version = paper_version(plan.existing)
    return plan


def _date(value):
    return formats.date(value) or "—"


def _consultation_text(committee, role, public, date):
    mark = _("öffentlich") if public else _("nichtöffentlich")
    return f"{committee} – {role} – {mark} – {_date(date)}"


def paper_diff(*, draft: Draft, paper: Paper):
    """What an update would change on `paper`: [(label, old, new)]."""
    changes = []

    def compare(label, old, new):
        if (old or "") != (new or ""):
            changes.append((label, old or "—", new or "—"))

    compare(_("Betreff"), paper.title, draft.title)
    compare(
        _("Art der Vorlage"),
        paper.get_paper_type_display() if paper.paper_type else "",
        Paper.Type(draft.paper_type_key).label if draft.paper_type_key else "",
    )
    compare(_("Zusatz zur Art"), paper.paper_type_note, draft.paper_type_note)
    compare(_("Datum"), _date(paper.date), _date(draft.date))
    compare(
        _("federführende Dienststelle"),
        paper.department.name if paper.department else "",
        draft.department,
    )
    compare(_("Aktenzeichen (Gz)"), paper.file_reference, draft.file_reference)
    compare(_("unterzeichnet von"), paper.signed_by_name, draft.signed_by_name)
    compare(_("Amtsbezeichnung"), paper.signed_by_office, draft.signed_by_office)
    compare(
        _("öffentlich"),
        _("ja") if paper.is_public else _("nein"),
        _("ja") if draft.is_public else _("nein"),
    )
    compare(
        _("mitverantwortliche Dienststellen"),
        ", ".join(sorted(d.name for d in paper.co_departments.all())),
        ", ".join(sorted(d.name for d in draft.co_departments)),
    )
    compare(
        _("mitzeichnende Stellen"),
        ", ".join(sorted(d.name for d in paper.co_signing_departments.all())),
        ", ".join(sorted(d.name for d in draft.co_signing_departments)),
    )
    old_steps = [
        _consultation_text(c.committee.name, c.get_role_display(), c.is_public, c.date)
        for c in paper.consultations.select_related("committee")
    ]
    new_steps = [
        _consultation_text(
            c.committee,
            Consultation.Role(c.role_key).label if c.role_key else c.role,
            c.public,
            c.date,
        )
        for c in draft.consultations
    ]
    for k in range(max(len(old_steps), len(new_steps))):
        compare(
            _("Beratungsfolge %(n)s") % {"n": k + 1},
            old_steps[k] if k < len(old_steps) else "",
            new_steps[k] if k < len(new_steps) else "",
        )
    old_items = {i.number: i.text for i in paper.items.all()}
    new_items = {i.number: i.text for i in draft.items}
    for number in sorted(set(old_items) | set(new_items)):
        compare(
            _("Ziffer %(n)s") % {"n": number},
            old_items.get(number, ""),
            new_items.get(number, ""),
        )
    old_sections = {s.heading: s.body for s in paper.sections.all()}
    for section in draft.sections:
        compare(
            _("Abschnitt „%(h)s“") % {"h": section.heading},
            old_sections.get(section.heading, ""),
            section.body,
        )
    known = {
        (r.to_paper.number, r.to_paper.year, r.to_paper.suffix)
        for r in paper.references_made.select_related("to_paper")
    }
    for cited in draft.referenced_papers:
        if (cited.number, cited.year, cited.suffix) not in known:
            changes.append((_("Bezug"), "—", f"GRDrs {cited.reference}"))
    existing_lines = set(paper.funding_lines.values_list("year", "direction", "amount"))
    for line in draft.funding_lines:
        if (line.year, line.direction, line.amount) not in existing_lines:
            changes.append(
                (_("Finanzposition"), "—", f"{line.purpose} {line.year}: {line.amount}")
            )
    return changes


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _department_kind(name):
    lowered = name.lower()
    if lowered.startswith("referat"):
        return Department.Kind.REFERAT
    if "jobcenter" in lowered:
        return Department.Kind.JOBCENTER
    if "eigenbetrieb" in lowered:
        return Department.Kind.EIGENBETRIEB
    if lowered.endswith("amt") or " amt" in lowered:
        return Department.Kind.AMT
    return Department.Kind.OTHER


def _get_department(name, short_name=None):
    chosen = _chosen(("department", name))
    if chosen is not None:
        return chosen
    found = find_department(name, short_name)
    if found:
        return found
    taken = short_name and Department.objects.filter(short_name=short_name).exists()
    department = Department.objects.create(
        name=name.strip()[:200],
        short_name="" if taken or not short_name else short_name,
        kind=_department_kind(name),
    )
    memo = _MEMO.get()
    if memo is not None and ("departments",) in memo:
        memo[("departments",)].append(department)
    return department


def _get_committee(name):
    chosen = _chosen(("committee", name))
    if chosen is not None:
        return chosen
    found = find_committee(name)
    if found:
        return found
    lowered = _fold(name)
    if lowered == "gemeinderat":
        kind = Committee.Kind.COUNCIL
    elif lowered.startswith("bezirksbeirat"):
        kind = Committee.Kind.DISTRICT
    elif "beirat" in lowered:
        kind = Committee.Kind.ADVISORY
    else:
        kind = Committee.Kind.COMMITTEE
    base = slugify(name.replace("ß", "ss"))[:40] or "gremium"
    slug, n = base, 1
    while Committee.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    committee = Committee.objects.create(name=name[:200], slug=slug, kind=kind)
    memo = _MEMO.get()
    if memo is not None and ("committees",) in memo:
        memo[("committees",)].append(committee)
    return committee


def _prefetch_papers(keys):
    """Put the papers with these (number, year, suffix) keys into the memo at once."""
    memo = _MEMO.get()
    if memo is None:
        return
    keys = {
        (number, year, suffix or "")
        for number, year, suffix in keys
        if number is not None and ("paper", number, year, suffix or "") not in memo
    }
    if not keys:
        return
    query = Q()
    for number, year, suffix in keys:
        query |= Q(number=number, year=year, suffix=suffix)
    found = {(p.number, p.year, p.suffix): p for p in Paper.objects.filter(query)}
    for key in keys:
        memo[("paper", *key)] = found.get(key)


def _get_stub(number, year, suffix, title=None):
    memo = _MEMO.get()
    paper = find_paper(number, year, suffix)
    if paper is None:
        paper = Paper.objects.create(
            number=number,
            year=year,
            suffix=suffix or "",
            title=(title or "")[:10000],
            is_stub=True,
        )
        if memo is not None:
            memo[("paper", number, year, suffix or "")] = paper
        return paper
    if paper.is_stub and title and not paper.title:
        paper.title = title
        paper.save(update_fields=["title", "modified"])
    return paper


def _codes(model, drafts, extra=lambda number: {}):
    """{number: row} for these budget codes: one query per kind, rows created once."""
    memo = _MEMO.get()
    wanted = {d.number: d for d in drafts if d is not None}
    missing = [n for n in wanted if ("code", model, n) not in memo]
    if missing:
        for row in model.objects.filter(number__in=missing):
            memo[("code", model, row.number)] = row
    result = {}
    for number, code in wanted.items():
        key = ("code", model, number)
        if memo.get(key) is None:
            memo[key] = model.objects.create(
                number=number, name=(code.name or number)[:200], **extra(number)
            )
        result[number] = memo[key]
    return result


def _visible(model, obj, user):
    return model.objects.visible_to(user).filter(pk=obj.pk).exists()


def _offer_only_visible_positions(plans, user):
    """A clerk is offered only positions they may see (one query)."""
    offered = {p.pk for plan in plans for p in [plan.match, *plan.candidates] if p}
    if not offered:
        return
    visible = set(
        Position.objects.visible_to(user)
        .filter(pk__in=offered)
        .values_list("pk", flat=True)
    )
    for plan in plans:
        if plan.match is not None and plan.match.pk not in visible:
            plan.match = None
        plan.candidates = [p for p in plan.candidates if p.pk in visible]


def paper_import(
    *,
    draft: Draft,
    update=False,
    position_choices=None,
    user=FULL_RECORD,
    previewed_version=None,
    department_choices=None,
    committee_choices=None,
):
    """Save `draft` with everything it names, or nothing; returns the paper.

    department_choices and committee_choices map a printed name to the pk of an
    existing department or committee the clerk chose for it (ImportPlan's near
    matches) or to NEW for a new one.

    position_choices maps the index of a detected position decision to the pk of
    an existing Position or to NEW_POSITION; missing indices take the match the
    preview showed (same department, function and grade), else a new position.
    Inside `import_batch()`, look-ups are shared with the other papers of the batch.
    With `previewed_version` (ImportPlan.version of the preview the clerk
    confirms), a paper saved since that preview is refused (PaperChanged).
    Every row written gets its version in the audit trail, "Import aus Text".

    A unique key that a concurrent import took first (two clerks confirming the
    same paper) ends in a German message, not in the database's text.
    """
    try:
        with acting_as(reason=_("Import aus Text")):
            return _paper_import(
                draft=draft,
                update=update,
                position_choices=position_choices,
                user=user,
                previewed_version=previewed_version,
                choices=(department_choices or {}, committee_choices or {}),
            )
    except IntegrityError as exc:
        # Raised out of _paper_import's atomic block: its savepoint is rolled
        # back, so the transaction around it can still ask who was first.
        logger.info("Import of GRDrs %s collided: %s", draft.reference, exc)
        raise _collision(draft) from exc


@transaction.atomic
def _paper_import(
    *, draft, update, position_choices, user, previewed_version, choices=({}, {})
):
    if draft.errors:
        raise PaperImportError([e.message for e in draft.errors])
    token = _MEMO.set({}) if _MEMO.get() is None else None
    try:
        _remember_choices(*choices)
        # The paper itself, the papers it cites, the papers that granted its
        # position decisions and its base paper: one query.
        _prefetch_papers(
            [(draft.number, draft.year, draft.suffix)]
            + [(c.number, c.year, c.suffix) for c in draft.referenced_papers]
            + [
                Paper.split_reference(d.granted_by)
                for d in draft.position_decisions
                if d.granted_by
            ]
            + ([(draft.number, draft.year, "")] if draft.suffix else [])
        )
        existing = find_paper(draft.number, draft.year, draft.suffix)
        if existing is not None and not _visible(Paper, existing, user):
            raise PaperImportError(hidden_paper_message(draft.reference))
        if existing is not None and not existing.is_stub and not update:
            raise PaperExists(
                _(
                    "GRDrs %(ref)s ist schon erfasst. Bitte die Änderungen prüfen und "
                    "„Vorhandene Drucksache aktualisieren“ wählen; ein Duplikat wird "
                    "nicht angelegt."
                )
                % {"ref": draft.reference}
            )
        if existing is not None and previewed_version is not None:
            _check_previewed_version(draft, existing, previewed_version, user)
        return _write(draft, existing, position_choices or {})
    except IntegrityError:
        _forget()
        raise
    except ValidationError as exc:
        _forget()
        raise PaperImportError(exc.messages) from exc
    except DatabaseError as exc:
        # The database's own text is English and technical: logged, not shown.
        logger.exception("Import of GRDrs %s failed", draft.reference)
        _forget()
        raise PaperImportError(
            _(
                "Die Drucksache konnte wegen eines Datenbankfehlers nicht "
                "gespeichert werden; es wurde nichts übernommen. Bitte erneut "
                "versuchen oder die Verwaltung des Ratsregisters verständigen."
            )
        ) from exc
    except BaseException:
        _forget()
        raise
    finally:
        if token is not None:
            _MEMO.reset(token)


def _check_previewed_version(draft, paper, previewed_version, user):
    """Refuse the update if `paper` changed since its preview was made; the rows
    stay locked until the import's transaction ends."""
    lock(
        paper,
        [
            (model, {"paper": paper})
            for model in (ResolutionItem, Consultation, PaperSection)
        ],
    )
    paper.refresh_from_db()
    found = changes_since(paper, previewed_version, UPDATED_RELATIONS, user)
    if found is None:
        return
    changes, newest = found
    if newest is not None and newest.history_user is not None:
        who = _(" (zuletzt von %(user)s am %(date)s)") % {
            "user": newest.history_user.get_full_name()
            or newest.history_user.get_username(),
            "date": formats.date_time(newest.history_date),
        }
    else:
        who = ""
    lines = []
    for change in changes:
        what = " – ".join(filter(None, [change.row, change.field]))
        now = change.theirs
        if change.field:
            now = _("jetzt „%(value)s“") % {"value": change.theirs}
        lines.append(f"{what}: {now}")
    raise PaperChanged(
        [
            _(
                "GRDrs %(ref)s wurde geändert, nachdem die Vorschau erstellt "
                "wurde%(who)s; aus diesem Import wurde nichts übernommen. Unten steht "
                "die Vorschau mit dem jetzigen Stand; bitte prüfen und erneut "
                "bestätigen."
            )
            % {"ref": draft.reference, "who": who},
            *lines,
        ]
    )


def _collision(draft):
    """The German message for a unique key taken by a concurrent import."""
    _forget()
    if Paper.objects.filter(
        number=draft.number, year=draft.year, suffix=draft.suffix or "", is_stub=False
    ).exists():
        return PaperExists(
            _(
                "GRDrs %(ref)s wurde soeben von jemand anderem gespeichert, während "
                "diese Vorschau offen war; aus diesem Import wurde nichts übernommen. "
                "Bitte den Text erneut einlesen und die Änderungen prüfen."
            )
            % {"ref": draft.reference}
        )
    return PaperImportError(
        _(
            "Gleichzeitig hat jemand anderes Daten gespeichert, die dieser Import "
            "anlegen wollte (etwa eine Dienststelle oder eine zitierte Drucksache); "
            "es wurde nichts übernommen. Bitte erneut bestätigen."
        )
    )


def _remember_choices(department_choices, committee_choices):
    """The clerk's choices among near matches, for _get_department/_get_committee."""
    memo = _MEMO.get()
    for kind, model, chosen in (
        ("department", Department, department_choices),
        ("committee", Committee, committee_choices),
    ):
        wanted = {name: pk for name, pk in chosen.items() if pk and pk != NEW_POSITION}
        rows = (
            model.objects.in_bulk([int(pk) for pk in wanted.values()]) if wanted else {}
        )
        for name, pk in chosen.items():
            # NEW: a new row even though a similar one exists (None: no choice).
            memo[(kind, name)] = rows.get(int(pk)) if pk in wanted.values() else NEW
    return memo


def _chosen(key):
    """The row the clerk chose for this name; None where nothing was chosen or a
    new row was asked for."""
    memo = _MEMO.get()
    chosen = memo.get(key) if memo is not None else None
    return chosen if chosen not in (None, NEW) else None


def _forget():
    # What this import created is rolled back: the batch must not remember it.
    memo = _MEMO.get()
    if memo is not None:
        memo.clear()


def _write(draft, existing, position_choices):
    # A new paper (or a stub being filled in) has no rows of its own yet, so its
    # rows go in with bulk inserts; an update matches rows by their natural keys.
    fresh = existing is None or existing.is_stub
    memo = _MEMO.get()
    department = _get_department(draft.department, draft.department_short)
    paper = existing or Paper(number=draft.number, year=draft.year)
    paper.suffix = draft.suffix or ""
    paper.paper_type = draft.paper_type_key or ""
    paper.paper_type_note = draft.paper_type_note or ""
    paper.title = draft.title or ""
    paper.date = draft.date
    paper.department = department
    paper.file_reference = draft.file_reference or ""
    paper.sign(draft.signed_by_name)
    paper.signed_by_office = draft.signed_by_office or ""
    paper.is_public = draft.is_public
    paper.is_stub = False
    # Field lengths and choices; the constraints are the database's to enforce.
    paper.clean_fields(exclude=["department"])
    co_signers = [
        _get_department(d.name, d.short_name) for d in draft.co_signing_departments
    ]
    co_leads = [_get_department(d.name, d.short_name) for d in draft.co_departments]
    co_leads = [d for d in co_leads if d.pk != department.pk]
    if existing is None:
        # A new paper's relations it leaves empty need no read for its version.
        paper._history_m2m_empty = {
            name
            for name, rows in (
                ("co_signing_departments", co_signers),
                ("co_departments", co_leads),
            )
            if not rows
        }
    # The paper, its co-signers and further departments in charge: one version.
    with one_version(paper):
        paper.save()
        if not fresh:
            paper.co_signing_departments.set(co_signers)
            paper.co_departments.set(co_leads)
        else:
            if co_signers:
                paper.co_signing_departments.add(*co_signers)
            if co_leads:
                paper.co_departments.add(*co_leads)
    paper.__dict__.pop("_history_m2m_empty", None)
    memo[("paper", paper.number, paper.year, paper.suffix)] = paper

    steps = []
    # Meetings of a date are read once per batch; new ones join the memo.
    meetings = memo.setdefault(("meetings",), {})
    seen_dates = memo.setdefault(("meeting dates",), set())
    dated = {step.date for step in draft.consultations if step.date} - seen_dates
    if dated:
        for meeting in Meeting.objects.filter(date__in=dated):
            meetings.setdefault((meeting.committee_id, meeting.date), meeting)
        seen_dates |= dated
    for order, step in enumerate(draft.consultations, start=1):
        if step.role_key is None:
            raise PaperImportError(
                _("Sitzungsart „%(role)s“ ist unbekannt.") % {"role": step.role}
            )
        committee = _get_committee(step.committee)
        meeting = None
        if step.date:
            meeting = meetings.get((committee.pk, step.date))
            if meeting is None:
                meeting = meetings[(committee.pk, step.date)] = Meeting.objects.create(
                    committee=committee, date=step.date, is_public=bool(step.public)
                )
        fields = {
            "committee": committee,
            "meeting": meeting,
            "date": step.date,
            "role": step.role_key,
            "is_public": bool(step.public),
        }
        if fresh:
            steps.append(Consultation(paper=paper, order=order, **fields))
        else:
            Consultation.objects.update_or_create(
                paper=paper, order=order, defaults=fields
            )
    if fresh:
        bulk_create(Consultation, steps)
    else:
        paper.consultations.filter(order__gt=len(draft.consultations)).delete()

    if fresh:
        created = bulk_create(
            ResolutionItem,
            (
                ResolutionItem(paper=paper, number=item.number, text=item.text)
                for item in draft.items
            ),
        )
        items = {item.number: item for item in created}
        if not all(item.pk for item in created):
            items = {item.number: item for item in paper.items.all()}
    else:
        items = {}
        for item in draft.items:
            items[item.number], _created = ResolutionItem.objects.update_or_create(
                paper=paper, number=item.number, defaults={"text": item.text}
            )
        # Items the new text no longer has go, unless a decision rests on them.
        paper.items.exclude(number__in=list(items)).filter(
            position_decisions__isnull=True
        ).delete()
        paper.sections.all().delete()
    bulk_create(
        PaperSection,
        (
            PaperSection(paper=paper, order=order, heading=s.heading[:200], body=s.body)
            for order, s in enumerate(draft.sections, start=1)
        ),
    )

    granting = {d.granted_by for d in draft.position_decisions if d.granted_by}
    references = []
    for cited in draft.referenced_papers:
        target = _get_stub(cited.number, cited.year, cited.suffix, cited.title)
        if target.pk == paper.pk:
            continue
        kind = cited.kind
        if cited.reference in granting:
            kind = PaperReference.Kind.EXTENDS
        references.append(PaperReference(from_paper=paper, to_paper=target, kind=kind))
    if draft.suffix:
        base = _get_stub(draft.number, draft.year, "")
        references.append(
            PaperReference(
                from_paper=paper, to_paper=base, kind=PaperReference.Kind.SUPPLEMENTS
            )
        )
    known = set(
        paper.references_made.values_list("to_paper_id", "kind") if not fresh else []
    )
    new_references, seen = [], set(known)
    for reference in references:
        key = (reference.to_paper_id, reference.kind)
        if key not in seen:
            seen.add(key)
            new_references.append(reference)
    bulk_create(PaperReference, new_references)

    positions = _positions(
        draft, paper, items, position_choices, paper_had_rows=existing is not None
    )
    _funding(draft, paper, items, positions, paper_had_rows=existing is not None)
    return paper


def _positions(draft, paper, items, position_choices, *, paper_had_rows):
    """{index of the decision: Position} for the decisions that could be saved."""
    result = {}
    new_decisions = []
    chosen = [
        c for c in position_choices.values() if c and c != NEW_POSITION and str(c)
    ]
    picked = (
        {
            str(p.pk): p
            for p in Position.objects.with_expiry(FULL_RECORD).filter(pk__in=chosen)
        }
        if chosen
        else {}
    )
    _prefetch_positions(draft.position_decisions)
    for index, decision in enumerate(draft.position_decisions):
        if not (
            decision.function
            and decision.department
            and decision.pay_grade
            and decision.share_percent
        ):
            continue
        choice = position_choices.get(index)
        position = None
        if choice and choice != NEW_POSITION:
            position = picked.get(str(choice))
        elif choice is None:
            position, _candidates = position_candidates(decision)
        if position is None:
            position = _new_position(decision, paper, new_decisions)
        result[index] = position
        if decision.action == PositionDecision.Action.CREATED:
            fields = {
                "valid_from": decision.valid_from,
                "valid_until": decision.new_until,
                "extends_until": None,
            }
        elif decision.action == PositionDecision.Action.EXTENDED:
            old = decision.old_until or position.current_expiry
            if old is None or decision.new_until is None:
                continue
            fields = {
                "extends_until": old,
                "valid_from": old + datetime.timedelta(days=1),
                "valid_until": decision.new_until,
            }
        else:
            fields = {"valid_until": None, "extends_until": None}
        fields["resolution_item"] = items.get(decision.item)
        fields["may_advertise_unlimited"] = decision.may_advertise_unlimited
        found = (
            PositionDecision.objects.filter(
                position=position, paper=paper, action=decision.action
            ).first()
            if paper_had_rows
            else None
        )
        if found is None:
            new_decisions.append(
                PositionDecision(
                    position=position, paper=paper, action=decision.action, **fields
                )
            )
        else:
            for name, value in fields.items():
                setattr(found, name, value)
            found.save()
    bulk_create(PositionDecision, new_decisions)
    return result


def _prefetch_positions(decisions):
    """The positions of every (department, grade) these decisions name: one query."""
    memo = _MEMO.get()
    keys = set()
    for decision in decisions:
        department = find_department(decision.department)
        if department is not None and decision.pay_grade:
            key = ("positions", department.pk, decision.pay_grade)
            if key not in memo:
                keys.add(key)
    if not keys:
        return
    query = Q()
    for _key, department_id, grade in keys:
        query |= Q(department_id=department_id, pay_grade=grade)
    for key in keys:
        memo[key] = []
    # The record as a whole: an extension continues the expiry in force.
    for position in Position.objects.with_expiry(FULL_RECORD).filter(query):
        memo[("positions", position.department_id, position.pay_grade)].append(position)


def _new_position(decision, paper, new_decisions):
    # Without a scheme, or with one no PayScheme names ("TV-V"): TVöD.
    scheme = (
        PayScheme(decision.pay_scheme)
        if decision.pay_scheme in PayScheme.values
        else PayScheme.TVOED
    )
    department = _get_department(decision.department)
    position = Position.objects.create(
        function=decision.function,
        department=department,
        share_percent=decision.share_percent,
        pay_scheme=scheme,
        pay_grade=decision.pay_grade[:20],
        kind=Position.Kind.AUTHORISATION,
    )
    known = _MEMO.get().get(("positions", department.pk, decision.pay_grade))
    if known is not None:
        known.append(position)
    # The paper that granted the authorisation is where the position comes from.
    if decision.granted_by and decision.old_until:
        number, year, suffix = Paper.split_reference(decision.granted_by)
        origin = _get_stub(number, year, suffix)
        if origin.pk != paper.pk:
            new_decisions.append(
                PositionDecision(
                    position=position,
                    paper=origin,
                    action=PositionDecision.Action.CREATED,
                    valid_until=decision.old_until,
                )
            )
    return position


def _funding(draft, paper, items, positions, *, paper_had_rows):
    # Lines this paper has already, by their natural key (year, direction, amount).
    existing = (
        {
            (line.year, line.direction, line.amount): line
            for line in paper.funding_lines.all()
        }
        if paper_had_rows
        else {}
    )
    lines = draft.funding_lines
    units = _codes(BudgetUnit, [line.budget_unit for line in lines])
    unit_of = {
        line.cost_centre.number: units[line.budget_unit.number]
        for line in lines
        if line.cost_centre and line.budget_unit
    }
    centres = _codes(
        CostCentre,
        [line.cost_centre for line in lines if line.budget_unit],
        extra=lambda number: {"budget_unit": unit_of[number]},
    )
    products = _codes(Product, [line.product for line in lines])
    groups = _codes(AccountGroup, [line.account_group for line in lines])

    def number(code):
        return code.number if code else None

    saved = {}  # index in the draft → FundingLine (new or existing)
    # Totals first, then the parts that point at them.
    for parts in (False, True):
        batch = []
        for index, line in enumerate(lines):
            if (line.part_of is not None) != parts:
                continue
            key = (line.year, line.direction, line.amount)
            # Re-importing never adds a second line for the same money.
            if key in existing:
                saved[index] = existing[key]
                continue
            unit = units.get(number(line.budget_unit))
            row = FundingLine(
                paper=paper,
                resolution_item=items.get(line.item),
                purpose=line.purpose,
                year=line.year,
                amount=line.amount,
                direction=line.direction,
                source=line.source,
                budget_status=line.budget_status,
                budget_unit=unit,
                cost_centre=centres.get(number(line.cost_centre)) if unit else None,
                product=products.get(number(line.product)),
                account_group=groups.get(number(line.account_group)),
                position=positions.get(line.position_decision),
                funded_posts=line.funded_posts,
                part_of=saved.get(line.part_of) if parts else None,
            )
            existing[key] = saved[index] = row
            batch.append(row)
        bulk_create(FundingLine, batch)
