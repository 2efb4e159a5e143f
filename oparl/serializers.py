"""OParl 1.1 objects as dicts, built from what queries.py fetched.

Optional properties without a value are left out, as the specification asks.
Structured data OParl has no place for goes under the vendor prefix
"ratsregister:"; enumerations there are given as stable codes, not labels.
"""

import hashlib
import mimetypes
import os

from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from . import conf

SCHEMA = "https://schema.oparl.org/1.1/"
PREFIX = "ratsregister:"

CLASSIFICATION = {
    "council": "Parlament",
    "committee": "Ausschuss",
    "advisory": "Beirat",
    "district": "Bezirksbeirat",
}

TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def person_key(name):
    """The URL key of a signer: the name is all the register knows of a person."""
    key = slugify(name.translate(TRANSLITERATION))
    # A name without a single Latin letter still needs a key.
    return key or "person-" + hashlib.sha1(name.encode()).hexdigest()[:12]


def absolute_url(request, path):
    """An absolute URL on OPARL_BASE_URL if set, else on the host asked."""
    base = conf.get("OPARL_BASE_URL")
    if base:
        return base.rstrip("/") + path
    return request.build_absolute_uri(path)


def datetime_text(value):
    """yyyy-mm-ddThh:mm:ss±hh:mm in the local time zone, as OParl asks."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


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


class Serializer:
    """Turns model instances into OParl objects with absolute URLs."""

    # Stands in for a key while an object URL is reversed once per request.
    PLACEHOLDER = 987654321987654321

    def __init__(self, request):
        self.request = request
        self.ags = conf.get("OPARL_BODY_AGS")
        self._url_parts = {}

    # URLs ---------------------------------------------------------------

    def url(self, name, **kwargs):
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

    def paper_url(self, pk):
        return self.url("paper", pk=pk)

    def consultation_url(self, pk):
        return self.url("consultation", pk=pk)

    def agenda_item_url(self, pk):
        return self.url("agenda-item", pk=pk)

    def meeting_url(self, pk):
        return self.url("meeting", pk=pk)

    def committee_url(self, pk):
        return self.url("committee", pk=pk)

    def department_url(self, pk):
        return self.url("department", pk=pk)

    def person_url(self, name):
        return self.url("person", key=person_key(name))

    def file_url(self, pk):
        return self.url("file", pk=pk)

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

    def deleted(self, tombstone, url, type_name):
        return {
            "id": url,
            "type": SCHEMA + type_name,
            "created": datetime_text(tombstone.created),
            "modified": datetime_text(tombstone.modified),
            "deleted": True,
        }

    # Organizations ------------------------------------------------------

    def committee(self, committee):
        return compact(
            {
                "id": self.committee_url(committee.pk),
                "type": SCHEMA + "Organization",
                "body": self.body_url(),
                "name": committee.name,
                "shortName": committee.short_name,
                "organizationType": "Gremium",
                "classification": CLASSIFICATION.get(committee.kind),
                "created": datetime_text(committee.created),
                "modified": datetime_text(committee.modified),
                "web": self.web(committee),
            }
        )

    def department(self, department):
        return compact(
            {
                "id": self.department_url(department.pk),
                "type": SCHEMA + "Organization",
                "body": self.body_url(),
                "name": department.name,
                "shortName": department.short_name,
                "organizationType": "Verwaltungsbereich",
                "classification": str(department.get_kind_display()),
                "subOrganizationOf": department.parent_id
                and self.department_url(department.parent_id),
                "created": datetime_text(department.created),
                "modified": datetime_text(department.modified),
            }
        )

    # Persons ------------------------------------------------------------

    def person(self, row):
        return compact(
            {
                "id": self.person_url(row["signed_by_name"]),
                "type": SCHEMA + "Person",
                "body": self.body_url(),
                "name": row["signed_by_name"],
                "created": datetime_text(row["first_created"]),
                "modified": datetime_text(row["last_modified"]),
            }
        )

    # Meetings and agenda items -----------------------------------------

    def meeting(self, meeting):
        meeting_url = self.meeting_url(meeting.pk)
        start = None
        if meeting.start_time:
            start = datetime_text(
                timezone.make_aware(
                    timezone.datetime.combine(meeting.date, meeting.start_time)
                )
            )
        return compact(
            {
                "id": meeting_url,
                "type": SCHEMA + "Meeting",
                "name": f"{meeting.committee.name}, {meeting.date:%d.%m.%Y}",
                "start": start,
                "location": meeting.location and self.location(meeting, embedded=True),
                "organization": [self.committee_url(meeting.committee_id)],
                "agendaItem": [
                    self.agenda_item(consultation, embedded=True)
                    for consultation in meeting.consultations.all()
                ],
                "created": datetime_text(meeting.created),
                "modified": datetime_text(
                    getattr(meeting, "oparl_modified", meeting.modified)
                ),
                "web": self.web(meeting.committee),
                **vendor(date=date_text(meeting.date), public=meeting.is_public),
            }
        )

    def location(self, meeting, embedded=False):
        return compact(
            {
                "id": self.url("meeting-location", pk=meeting.pk),
                "type": SCHEMA + "Location",
                "description": meeting.location,
                "meetings": None if embedded else [self.meeting_url(meeting.pk)],
                "created": datetime_text(meeting.created),
                "modified": datetime_text(meeting.modified),
            }
        )

    def agenda_item(self, consultation, embedded=False):
        paper = consultation.paper
        return compact(
            {
                "id": self.agenda_item_url(consultation.pk),
                "type": SCHEMA + "AgendaItem",
                "meeting": None
                if embedded
                else self.meeting_url(consultation.meeting_id),
                "order": consultation.agenda_order,
                "name": f"GRDrs {paper.reference}"
                + (f": {paper.title}" if paper.title else ""),
                "public": consultation.is_public,
                "consultation": self.consultation_url(consultation.pk),
                "result": str(consultation.get_result_display()),
                "resolutionText": consultation.result_note,
                "created": datetime_text(consultation.created),
                "modified": datetime_text(consultation.modified),
                "web": self.web(paper),
                **vendor(paper=self.paper_url(paper.pk)),
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
                "id": self.consultation_url(consultation.pk),
                "type": SCHEMA + "Consultation",
                "paper": None if paper else self.paper_url(consultation.paper_id),
                "meeting": self.meeting_url(consultation.meeting_id)
                if has_meeting
                else None,
                "agendaItem": self.agenda_item_url(consultation.pk)
                if has_meeting
                else None,
                "organization": [self.committee_url(consultation.committee_id)],
                "authoritative": consultation.role == consultation.Role.DECISION,
                "role": str(consultation.get_role_display()),
                "created": datetime_text(consultation.created),
                "modified": datetime_text(consultation.modified),
                "web": self.web(paper or consultation.paper),
                **vendor(
                    order=consultation.order,
                    date=date_text(consultation.date),
                    result=consultation.result,
                    resultNote=consultation.result_note,
                ),
            },
            keep={"authoritative"},
        )

    def paper(self, paper):
        web = self.web(paper)
        related, superordinated, subordinated, kinds = [], [], [], []
        # "ergänzt / ersetzt" makes the supplement subordinate to what it supplements.
        for ref in paper.references_made.all():
            url = self.paper_url(ref.to_paper_id)
            if ref.kind == ref.Kind.SUPPLEMENTS:
                superordinated.append(url)
            else:
                related.append(url)
            kinds.append({"paper": url, "kind": ref.kind})
        for ref in paper.references_received.all():
            url = self.paper_url(ref.from_paper_id)
            if ref.kind == ref.Kind.SUPPLEMENTS:
                subordinated.append(url)
            else:
                related.append(url)
            kinds.append({"paper": url, "kind": ref.kind, "inverse": True})
        return compact(
            {
                "id": self.paper_url(paper.pk),
                "type": SCHEMA + "Paper",
                "body": self.body_url(),
                "name": paper.title,
                "reference": paper.reference,
                "date": date_text(paper.date),
                "paperType": paper.paper_type and str(paper.get_paper_type_display()),
                "relatedPaper": list(dict.fromkeys(related)),
                "superordinatedPaper": list(dict.fromkeys(superordinated)),
                "subordinatedPaper": list(dict.fromkeys(subordinated)),
                "auxiliaryFile": [
                    self.file(attachment, paper=paper)
                    for attachment in paper.attachments.all()
                ],
                "originatorPerson": paper.signed_by_name
                and [self.person_url(paper.signed_by_name)],
                "underDirectionOf": paper.department_id
                and [self.department_url(paper.department_id)],
                "consultation": [
                    self.consultation(consultation, paper=paper)
                    for consultation in paper.consultations.all()
                ],
                "created": datetime_text(paper.created),
                "modified": datetime_text(
                    getattr(paper, "oparl_modified", paper.modified)
                ),
                "web": web,
                **vendor(
                    state=paper.state.value,
                    paperTypeNote=paper.paper_type_note,
                    fileReference=paper.file_reference,
                    signerOffice=paper.signed_by_office,
                    isStub=paper.is_stub or None,
                    coSigningDepartments=[
                        self.department_url(d.pk)
                        for d in paper.co_signing_departments.all()
                    ],
                    references=kinds,
                    sections=[
                        {"heading": s.heading, "text": s.body}
                        for s in paper.sections.all()
                    ],
                    resolutionItems=[
                        self.resolution_item(item, web) for item in paper.items.all()
                    ],
                    positionDecisions=[
                        self.position_decision(decision)
                        for decision in paper.position_decisions.all()
                    ],
                    fundingLines=[
                        self.funding_line(line) for line in paper.funding_lines.all()
                    ],
                ),
            }
        )

    def resolution_item(self, item, paper_web):
        return compact(
            {
                "number": item.number,
                "text": item.text,
                "outcome": item.outcome,
                "implementation": item.implementation,
                "responsibleDepartment": item.responsible_department_id
                and self.department_url(item.responsible_department_id),
                "dueDate": date_text(item.due_date),
                "created": datetime_text(item.created),
                "modified": datetime_text(item.modified),
                "web": f"{paper_web}#ziffer-{item.number}",
            }
        )

    def position_decision(self, decision):
        position = decision.position
        return compact(
            {
                "position": self.web(position),
                "function": position.function,
                "department": self.department_url(position.department_id),
                "sharePercent": decimal_text(position.share_percent),
                "payScheme": position.pay_scheme,
                "payGrade": position.pay_grade,
                "action": decision.action,
                "resolutionItem": decision.resolution_item
                and decision.resolution_item.number,
                "validFrom": date_text(decision.valid_from),
                "validUntil": date_text(decision.valid_until),
                "extendsUntil": date_text(decision.extends_until),
                "mayAdvertiseUnlimited": decision.may_advertise_unlimited,
                "created": datetime_text(decision.created),
                "modified": datetime_text(decision.modified),
            },
            keep={"mayAdvertiseUnlimited"},
        )

    def funding_line(self, line):
        def code(obj):
            return obj and obj.number

        return compact(
            {
                "line": line.pk,
                "partOf": line.part_of_id,
                "purpose": line.purpose,
                "year": line.year,
                "amount": decimal_text(line.amount),
                "currency": "EUR",
                "direction": line.direction,
                "source": line.source,
                "budgetStatus": line.budget_status,
                "budgetUnit": code(line.budget_unit),
                "costCentre": code(line.cost_centre),
                "product": code(line.product),
                "accountGroup": code(line.account_group),
                "fundedPosts": decimal_text(line.funded_posts),
                "resolutionItem": line.resolution_item and line.resolution_item.number,
                "created": datetime_text(line.created),
                "modified": datetime_text(line.modified),
            }
        )

    # Files --------------------------------------------------------------

    def file(self, attachment, paper=None):
        """An attachment as File; embedded in `paper` when given."""
        owner = paper or attachment.paper
        file_name = os.path.basename(attachment.file.name)
        return compact(
            {
                "id": self.file_url(attachment.pk),
                "type": SCHEMA + "File",
                "name": attachment.title,
                "fileName": file_name,
                "mimeType": mimetypes.guess_type(file_name)[0],
                "accessUrl": self.url("file-access", pk=attachment.pk),
                "downloadUrl": self.url("file-download", pk=attachment.pk),
                "paper": None if paper else [self.paper_url(owner.pk)],
                # Attachments have no timestamps of their own: the paper's stand in.
                "created": datetime_text(owner.created),
                "modified": datetime_text(owner.modified),
                "web": self.web(owner),
                **vendor(number=attachment.number),
            }
        )
