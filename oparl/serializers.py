"""OParl 1.1 objects as dicts, built from what queries.py fetched.

Optional properties without a value are left out, as the specification asks.
Data OParl has no place for goes under the vendor prefix "ratsregister:":
structured data as embedded objects with their own `id` and a `type` of ours
(docs/oparl.md, and a JSON schema at each type URI), so that harvesters take them
like any embedded object; references between papers as lists of URLs.
Enumerations there are given as stable codes, not labels.
"""

import datetime
import hashlib
import mimetypes
import os
import zoneinfo

from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from council.models import Committee, PaperReference
from operations import formats

from . import conf
from .textfile import paper_pdf

SCHEMA = "https://schema.oparl.org/1.1/"
PREFIX = "ratsregister:"
# A meeting whose time is not known starts at midnight in the council's zone.
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

CLASSIFICATION = {
    Committee.Kind.COUNCIL: "Parlament",
    Committee.Kind.COMMITTEE: "Ausschuss",
    Committee.Kind.ADVISORY: "Beirat",
    Committee.Kind.DISTRICT: "Bezirksbeirat",
}

# Plain properties for the references between papers: lists of paper URLs.
REFERENCE_PROPERTIES = {
    PaperReference.Kind.CITES: ("cites", "citedBy"),
    PaperReference.Kind.EXTENDS: ("extends", "extendedBy"),
    PaperReference.Kind.SETTLES: ("settles", "settledBy"),
    PaperReference.Kind.SUPPLEMENTS: ("supplements", "supplementedBy"),
}


def absolute_url(request, path):
    """An absolute URL on OPARL_BASE_URL if set, else on the host asked."""
    base = conf.get("OPARL_BASE_URL")
    if base:
        return base.rstrip("/") + path
    return request.build_absolute_uri(path)


def datetime_text(value):
    """yyyy-mm-ddThh:mm:ss[.ffffff]±hh:mm in the local time zone, at full precision:
    the list filters compare exactly what is printed."""
    return timezone.localtime(value).isoformat()


def date_text(value):
    return value.isoformat() if value else None


def decimal_text(value):
    return None if value is None else f"{value:f}"


def compact(data, keep=()):
    """Leave out properties without a value (but keep the ones named in `keep`)."""
    return {
        key: value
        for key, value in data.items()
        if key in keep or value not in (None, "", [], {})
    }


def vendor(**fields):
    return {PREFIX + key: value for key, value in fields.items()}


def votes(row):
    """The vote counts of a consultation or an item, where recorded (0 is a
    count: nobody voted against)."""
    return {
        "votesYes": row.votes_yes,
        "votesNo": row.votes_no,
        "votesAbstain": row.votes_abstain,
        "voteNote": row.vote_note,
    }


def stamps(obj, prefix="oparl"):
    return {
        "created": datetime_text(getattr(obj, f"{prefix}_created")),
        "modified": datetime_text(getattr(obj, f"{prefix}_modified")),
    }


def meeting_start(meeting):
    """The start as a moment; the date alone is midnight in Europe/Berlin."""
    start = datetime.datetime.combine(
        meeting.date, meeting.start_time or datetime.time(0, 0), tzinfo=BERLIN
    )
    return datetime_text(start)


class Serializer:
    """Turns model instances into OParl objects with absolute URLs."""

    # Stands in for a key while an object URL is reversed once per request.
    PLACEHOLDER = 987654321987654321

    def __init__(self, request):
        self.request = request
        self.ags = conf.get("OPARL_BODY_AGS")
        self._url_parts = {}
        self._pdfs = {}

    # URLs ---------------------------------------------------------------

    def url(self, url_name, **kwargs):
        name = url_name
        if list(kwargs) != ["pk"]:
            return self.absolute(reverse(f"oparl:{name}", kwargs=kwargs))
        # A page embeds thousands of object URLs; reversing each costs more than
        # building the whole answer, so each pattern is reversed once.
        parts = self._url_parts.get(name)
        if parts is None:
            path = reverse(f"oparl:{name}", kwargs={"pk": self.PLACEHOLDER})
            parts = self._url_parts[name] = self.absolute(path).split(
                str(self.PLACEHOLDER)
            )
        return str(kwargs["pk"]).join(parts)

    def absolute(self, path):
        return absolute_url(self.request, path)

    def web(self, obj):
        return self.absolute(obj.get_absolute_url())

    def body_url(self):
        return self.url("body", ags=self.ags)

    def body_list_url(self, name):
        return self.url(name, ags=self.ags)

    def vendor_type(self, name):
        return self.url("vendor-schema", name=name)

    # System and body ----------------------------------------------------

    def system(self, created, modified):
        return compact(
            {
                "id": self.url("system"),
                "type": SCHEMA + "System",
                "oparlVersion": SCHEMA,
                "body": self.url("body-list"),
                "name": conf.get("OPARL_SYSTEM_NAME"),
                "contactEmail": conf.get("OPARL_CONTACT_EMAIL"),
                "contactName": conf.get("OPARL_CONTACT_NAME"),
                "license": conf.get("OPARL_LICENSE"),
                "website": self.absolute("/"),
                "created": datetime_text(created),
                "modified": datetime_text(modified),
                "web": self.absolute("/"),
            }
        )

    def body(self, created, modified):
        return compact(
            {
                "id": self.body_url(),
                "type": SCHEMA + "Body",
                "system": self.url("system"),
                "name": conf.get("OPARL_BODY_NAME"),
                "shortName": conf.get("OPARL_BODY_SHORT_NAME"),
                "website": conf.get("OPARL_BODY_WEBSITE"),
                "license": conf.get("OPARL_LICENSE"),
                "ags": self.ags,
                "contactEmail": conf.get("OPARL_CONTACT_EMAIL"),
                "contactName": conf.get("OPARL_CONTACT_NAME"),
                "organization": self.body_list_url("organization-list"),
                "person": self.body_list_url("person-list"),
                "meeting": self.body_list_url("meeting-list"),
                "paper": self.body_list_url("paper-list"),
                "agendaItem": self.body_list_url("agenda-item-list"),
                "consultation": self.body_list_url("consultation-list"),
                "file": self.body_list_url("file-list"),
                "locationList": self.body_list_url("location-list"),
                "legislativeTermList": self.body_list_url("legislative-term-list"),
                "membership": self.body_list_url("membership-list"),
                # The register does not model legislative terms (yet).
                "legislativeTerm": [],
                "created": datetime_text(created),
                "modified": datetime_text(modified),
                "web": self.absolute("/"),
            },
            keep={"legislativeTerm"},
        )

    # Deleted objects ----------------------------------------------------

    def deleted(self, stamp, url, type_uri, **required):
        """The stub of a gone object; `required` for what its schema demands."""
        return {
            "id": url,
            "type": type_uri,
            **required,
            "created": datetime_text(stamp.created),
            "modified": datetime_text(stamp.modified),
            "deleted": True,
        }

    # Organizations ------------------------------------------------------

    def committee(self, committee):
        return compact(
            {
                "id": self.url("committee", pk=committee.pk),
                "type": SCHEMA + "Organization",
                "body": self.body_url(),
                "name": committee.name,
                "shortName": committee.short_name,
                "organizationType": "Gremium",
                "classification": CLASSIFICATION.get(committee.kind),
                **stamps(committee),
                "web": self.web(committee),
            }
        )

    def department(self, department):
        return compact(
            {
                "id": self.url("department", pk=department.pk),
                "type": SCHEMA + "Organization",
                "body": self.body_url(),
                "name": department.name,
                "shortName": department.short_name,
                "organizationType": "Verwaltungsbereich",
                "classification": str(department.get_kind_display()),
                "subOrganizationOf": department.parent_id
                and self.url("department", pk=department.parent_id),
                **stamps(department),
            }
        )

    # Persons ------------------------------------------------------------

    def person(self, person):
        return compact(
            {
                "id": self.url("person", pk=person.pk),
                "type": SCHEMA + "Person",
                "body": self.body_url(),
                "name": person.name,
                **stamps(person),
            }
        )

    # Meetings, places and agenda items ---------------------------------

    def meeting(self, meeting):
        return compact(
            {
                "id": self.url("meeting", pk=meeting.pk),
                "type": SCHEMA + "Meeting",
                "name": f"{meeting.committee.name}, {formats.date(meeting.date)}",
                "start": meeting_start(meeting),
                "location": meeting.location and self.location(meeting, embedded=True),
                "organization": [self.url("committee", pk=meeting.committee_id)],
                "agendaItem": [
                    self.agenda_item(item, embedded=True)
                    for item in meeting.consultations.all()
                ],
                **stamps(meeting),
                # The site has no page of its own for a meeting.
                **vendor(date=date_text(meeting.date), public=meeting.is_public),
            }
        )

    def location(self, meeting, embedded=False):
        """The place of a meeting (the register keeps it as text), keyed by it."""
        prefix = "location" if embedded else "oparl"
        return compact(
            {
                "id": self.url("location", pk=meeting.pk),
                "type": SCHEMA + "Location",
                "description": meeting.location,
                "meetings": None if embedded else [self.url("meeting", pk=meeting.pk)],
                **stamps(meeting, prefix),
            }
        )

    def agenda_item(self, consultation, embedded=False):
        paper = consultation.paper
        return compact(
            {
                "id": self.url("agenda-item", pk=consultation.pk),
                "type": SCHEMA + "AgendaItem",
                "meeting": None
                if embedded
                else self.url("meeting", pk=consultation.meeting_id),
                # The TOP as the protocol prints it, else the running number.
                "number": consultation.agenda_number
                or str(consultation.agenda_order + 1),
                "order": consultation.agenda_order,
                "name": f"GRDrs {paper.reference}"
                + (f": {paper.title}" if paper.title else ""),
                "public": consultation.is_public,
                "consultation": self.url("consultation", pk=consultation.pk),
                "result": str(consultation.get_result_display()),
                "resolutionText": consultation.result_note,
                **stamps(consultation),
                "web": self.web(paper),
                **vendor(
                    paper=self.url("paper", pk=paper.pk),
                    minutesNumber=consultation.minutes_number,
                    **votes(consultation),
                ),
            },
            keep={"order"},
        )

    # Papers and consultations ------------------------------------------

    def consultation(self, consultation, paper=None):
        """A consultation; embedded in `paper` when given, else with its paper URL."""
        # A meeting the public may not see is not named (with_meetings gives None).
        has_meeting = consultation.meeting is not None
        return compact(
            {
                "id": self.url("consultation", pk=consultation.pk),
                "type": SCHEMA + "Consultation",
                "paper": None if paper else self.url("paper", pk=consultation.paper_id),
                "meeting": self.url("meeting", pk=consultation.meeting_id)
                if has_meeting
                else None,
                "agendaItem": self.url("agenda-item", pk=consultation.pk)
                if has_meeting
                else None,
                "organization": [self.url("committee", pk=consultation.committee_id)],
                "authoritative": consultation.role == consultation.Role.DECISION,
                "role": str(consultation.get_role_display()),
                **stamps(consultation),
                "web": self.web(paper or consultation.paper),
                **vendor(
                    order=consultation.order,
                    date=date_text(consultation.date),
                    result=consultation.result,
                    resultNote=consultation.result_note,
                    minutesNumber=consultation.minutes_number,
                    agendaNumber=consultation.agenda_number,
                    **votes(consultation),
                ),
            },
            keep={"authoritative"},
        )

    def paper(self, paper):
        web = self.web(paper)
        related, superordinated, subordinated = [], [], []
        references = {
            name: [] for pair in REFERENCE_PROPERTIES.values() for name in pair
        }
        # "ergänzt / ersetzt" makes the supplement subordinate to what it supplements.
        for ref in paper.references_made.all():
            url = self.url("paper", pk=ref.to_paper_id)
            (superordinated if ref.kind == ref.Kind.SUPPLEMENTS else related).append(
                url
            )
            references[REFERENCE_PROPERTIES[ref.kind][0]].append(url)
        for ref in paper.references_received.all():
            url = self.url("paper", pk=ref.from_paper_id)
            (subordinated if ref.kind == ref.Kind.SUPPLEMENTS else related).append(url)
            references[REFERENCE_PROPERTIES[ref.kind][1]].append(url)
        return compact(
            {
                "id": self.url("paper", pk=paper.pk),
                "type": SCHEMA + "Paper",
                "body": self.body_url(),
                "name": paper.title,
                "reference": paper.reference,
                "date": date_text(paper.date),
                "paperType": paper.paper_type and str(paper.get_paper_type_display()),
                "relatedPaper": list(dict.fromkeys(related)),
                "superordinatedPaper": list(dict.fromkeys(superordinated)),
                "subordinatedPaper": list(dict.fromkeys(subordinated)),
                "mainFile": self.main_file(paper, embedded=True),
                "auxiliaryFile": [
                    self.file(attachment, paper=paper)
                    for attachment in paper.attachments.all()
                ],
                # A signer of a public paper is public (Person.visible_to).
                "originatorPerson": paper.signer_id
                and [self.url("person", pk=paper.signer_id)],
                # The lead department first, then the others of a joint paper.
                "underDirectionOf": paper.department_id
                and [
                    self.url("department", pk=pk)
                    for pk in [paper.department_id, *co_departments_of(paper)]
                ],
                "consultation": [
                    self.consultation(consultation, paper=paper)
                    for consultation in paper.consultations.all()
                ],
                **stamps(paper),
                "web": web,
                **vendor(
                    state=paper.state.value,
                    paperTypeNote=paper.paper_type_note,
                    fileReference=paper.file_reference,
                    signerName=paper.signed_by_name,
                    signerOffice=paper.signed_by_office,
                    isStub=paper.is_stub or None,
                    coSigningDepartments=[
                        self.url("department", pk=d.pk)
                        for d in paper.co_signing_departments.all()
                    ],
                    **{
                        name: list(dict.fromkeys(urls))
                        for name, urls in references.items()
                    },
                    sections=[
                        self.section(section, embedded=True)
                        for section in paper.sections.all()
                    ],
                    resolutionItems=[
                        self.resolution_item(item, paper_web=web, embedded=True)
                        for item in paper.items.all()
                    ],
                    positionDecisions=[
                        self.position_decision(decision, embedded=True)
                        for decision in paper.position_decisions.all()
                    ],
                    fundingLines=[
                        self.funding_line(line, embedded=True)
                        for line in paper.funding_lines.all()
                    ],
                ),
            }
        )

    # Our own embedded objects ------------------------------------------

    def owner(self, obj, embedded):
        return {} if embedded else vendor(paper=self.url("paper", pk=obj.paper_id))

    def section(self, section, embedded=False):
        return compact(
            {
                "id": self.url("paper-section", pk=section.pk),
                "type": self.vendor_type("PaperSection"),
                **self.owner(section, embedded),
                **vendor(order=section.order, heading=section.heading),
                PREFIX + "text": section.body,
                **stamps(section),
            }
        )

    def resolution_item(self, item, paper_web=None, embedded=False):
        paper_web = paper_web or self.web(item.paper)
        return compact(
            {
                "id": self.url("resolution-item", pk=item.pk),
                "type": self.vendor_type("ResolutionItem"),
                **self.owner(item, embedded),
                **vendor(
                    number=item.number,
                    text=item.text,
                    outcome=item.outcome,
                    implementation=item.implementation,
                    responsibleDepartment=item.responsible_department_id
                    and self.url("department", pk=item.responsible_department_id),
                    dueDate=date_text(item.due_date),
                    **votes(item),
                ),
                **stamps(item),
                "web": f"{paper_web}#ziffer-{item.number}",
            }
        )

    def position_decision(self, decision, embedded=False):
        position = decision.position
        return compact(
            {
                "id": self.url("position-decision", pk=decision.pk),
                "type": self.vendor_type("PositionDecision"),
                **self.owner(decision, embedded),
                **vendor(
                    position=self.web(position),
                    function=position.function,
                    department=self.url("department", pk=position.department_id),
                    sharePercent=decimal_text(position.share_percent),
                    payScheme=position.pay_scheme,
                    payGrade=position.pay_grade,
                    action=decision.action,
                    resolutionItem=decision.resolution_item
                    and decision.resolution_item.number,
                    validFrom=date_text(decision.valid_from),
                    validUntil=date_text(decision.valid_until),
                    extendsUntil=date_text(decision.extends_until),
                    mayAdvertiseUnlimited=decision.may_advertise_unlimited,
                ),
                **stamps(decision),
            },
            keep={PREFIX + "mayAdvertiseUnlimited"},
        )

    def funding_line(self, line, embedded=False):
        def code(obj):
            return obj and obj.number

        return compact(
            {
                "id": self.url("funding-line", pk=line.pk),
                "type": self.vendor_type("FundingLine"),
                **self.owner(line, embedded),
                **vendor(
                    partOf=line.part_of_id
                    and self.url("funding-line", pk=line.part_of_id),
                    purpose=line.purpose,
                    year=line.year,
                    amount=decimal_text(line.amount),
                    currency="EUR",
                    direction=line.direction,
                    source=line.source,
                    budgetStatus=line.budget_status,
                    budgetUnit=code(line.budget_unit),
                    costCentre=code(line.cost_centre),
                    product=code(line.product),
                    accountGroup=code(line.account_group),
                    fundedPosts=decimal_text(line.funded_posts),
                    resolutionItem=line.resolution_item and line.resolution_item.number,
                ),
                **stamps(line),
            }
        )

    # Files --------------------------------------------------------------

    def file(self, attachment, paper=None):
        """An attachment as File; embedded in `paper` when given."""
        owner = paper or attachment.paper
        file_name = os.path.basename(attachment.file.name)
        return compact(
            {
                "id": self.url("file", pk=attachment.pk),
                "type": SCHEMA + "File",
                "name": attachment.title,
                "fileName": file_name,
                "mimeType": mimetypes.guess_type(file_name)[0],
                "accessUrl": self.url("file-access", pk=attachment.pk),
                "downloadUrl": self.url("file-download", pk=attachment.pk),
                "paper": None if paper else [self.url("paper", pk=owner.pk)],
                **stamps(attachment),
                "web": self.web(owner),
                **vendor(number=attachment.number),
            }
        )

    def pdf(self, paper):
        if paper.pk not in self._pdfs:
            self._pdfs[paper.pk] = paper_pdf(paper)
        return self._pdfs[paper.pk]

    def main_file(self, paper, embedded=False):
        """The paper's text as a PDF made from its stored sections (textfile.py)."""
        content = self.pdf(paper)
        return compact(
            {
                "id": self.url("paper-text", pk=paper.pk),
                "type": SCHEMA + "File",
                "name": f"GRDrs {paper.reference} (Text)",
                "fileName": main_file_name(paper),
                "mimeType": "application/pdf",
                "size": len(content),
                "sha512Checksum": hashlib.sha512(content).hexdigest(),
                "accessUrl": self.url("paper-text-access", pk=paper.pk),
                "downloadUrl": self.url("paper-text-download", pk=paper.pk),
                "paper": None if embedded else [self.url("paper", pk=paper.pk)],
                **stamps(paper),
                "web": self.web(paper),
            }
        )


def main_file_name(paper):
    return slugify(f"grdrs-{paper.number}-{paper.year}-{paper.suffix}") + ".pdf"


def co_departments_of(paper):
    """Keys of a paper's further departments in charge, in key order: from the
    annotation of queries.with_paper_details where there is one."""
    ids = getattr(paper, "co_department_ids", None)
    if ids is None and not hasattr(paper, "co_department_ids"):
        return sorted(d.pk for d in paper.co_departments.all())
    return sorted(int(pk) for pk in (ids or "").split(",") if pk)
