"""Our `ratsregister` types: JSON schemas answered at each type URI.

They are written like the official OParl schemas (draft 4) and describe the
objects a paper embeds under "ratsregister:" (serializers.py). docs/oparl.md lists
them with their meaning.
"""

P = "ratsregister:"


def _string(description, fmt=None):
    spec = {"type": "string", "description": description}
    if fmt:
        spec["format"] = fmt
    return spec


def _integer(description):
    return {"type": "integer", "description": description}


COMMON = {
    "id": _string("Die URL des Objekts.", "url"),
    "type": _string("Die URL dieses Schemas."),
    P + "paper": _string("Die Drucksache (nur außerhalb ihrer Drucksache).", "url"),
    "created": _string("Angelegt.", "date-time"),
    "modified": _string("Zuletzt geändert.", "date-time"),
    "web": _string("Die Stelle auf der Seite der Drucksache.", "url"),
    "deleted": {"type": "boolean", "description": "Gelöscht oder nicht öffentlich."},
}

# Where a consultation (or an item voted on by itself) has its votes recorded.
VOTES = {
    "votesYes": _integer("Ja-Stimmen, wo die Niederschrift sie nennt."),
    "votesNo": _integer("Nein-Stimmen, wo die Niederschrift sie nennt."),
    "votesAbstain": _integer("Enthaltungen, wo die Niederschrift sie nennt."),
    "voteNote": _string("Wie abgestimmt wurde, wie gedruckt: einmütig, einstimmig …"),
}

TYPES = {
    "ResolutionItem": (
        "Eine Ziffer des Beschlussantrags einer Drucksache und ihre Umsetzung.",
        {
            P + "number": _integer("Die Ziffer, ab 1."),
            P + "text": _string("Der Text der Ziffer."),
            P + "outcome": _string("as_proposed, amended, rejected oder withdrawn."),
            P + "implementation": _string("open, in_progress, done oder dropped."),
            P + "responsibleDepartment": _string("Die umsetzende Stelle.", "url"),
            P + "dueDate": _string("Umzusetzen bis.", "date"),
            **{P + k: v for k, v in VOTES.items()},
        },
    ),
    "PaperSection": (
        "Ein Textabschnitt einer Drucksache (Begründung, Finanzielle Auswirkungen …).",
        {
            P + "order": _integer("Die Reihenfolge in der Drucksache."),
            P + "heading": _string("Die Überschrift."),
            P + "text": _string("Der Text."),
        },
    ),
    "PositionDecision": (
        "Ein Beschluss der Drucksache über eine Stelle.",
        {
            P + "position": _string("Die Seite der Stelle.", "url"),
            P + "function": _string("Die Funktion der Stelle."),
            P + "department": _string("Die Dienststelle der Stelle.", "url"),
            P + "sharePercent": _string("Stellenanteil in Prozent, als Dezimalzahl."),
            P + "payScheme": _string("TVöD, TV-L oder Besoldung."),
            P + "payGrade": _string("Entgelt- oder Besoldungsgruppe."),
            P + "action": _string("Was beschlossen wurde (Code)."),
            P + "resolutionItem": _integer("Die Ziffer, auf der er beruht."),
            P + "validFrom": _string("Gültig ab.", "date"),
            P + "validUntil": _string("Befristet bis.", "date"),
            P + "extendsUntil": _string("Verlängert bis.", "date"),
            P + "mayAdvertiseUnlimited": {
                "type": "boolean",
                "description": "Darf unbefristet ausgeschrieben werden.",
            },
        },
    ),
    "FundingLine": (
        "Ein Betrag, den die Drucksache für ein Jahr bindet oder erwartet.",
        {
            P + "partOf": _string("Die Zeile, zu der diese gehört.", "url"),
            P + "purpose": _string("Zweck."),
            P + "year": _integer("Haushaltsjahr."),
            P + "amount": _string("Betrag als Dezimalzahl."),
            P + "currency": _string("Immer EUR."),
            P + "direction": _string("Ausgabe oder Einnahme (Code)."),
            P + "source": _string("Herkunft der Mittel (Code)."),
            P + "budgetStatus": _string("Stand im Haushalt (Code)."),
            P + "budgetUnit": _string("Teilhaushalt."),
            P + "costCentre": _string("Kostenstelle."),
            P + "product": _string("Produkt."),
            P + "accountGroup": _string("Kontengruppe."),
            P + "fundedPosts": _string("Finanzierte Stellen, als Dezimalzahl."),
            P + "resolutionItem": _integer("Die Ziffer, auf der sie beruht."),
        },
    ),
}


def schema(name, serializer):
    """The JSON schema of type `name`, or None."""
    if name not in TYPES:
        return None
    title, properties = TYPES[name]
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "id": serializer.vendor_type(name),
        "title": name,
        "description": title,
        "type": "object",
        "properties": {**COMMON, **properties},
        "required": ["id", "type"],
    }
