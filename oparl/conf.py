"""Settings of the OParl interface, each with a default so that config/ stays as it is.

Override any of them in the settings module (e.g. OPARL_BODY_NAME = "…").
"""

from django.conf import settings

DEFAULTS = {
    # The scheme and host of every id, e.g. "https://ratsregister.stuttgart.de", so
    # that ids stay the same whichever host name a client used; empty: the host asked.
    "OPARL_BASE_URL": "",
    "OPARL_BODY_NAME": "Landeshauptstadt Stuttgart",
    "OPARL_BODY_SHORT_NAME": "Stuttgart",
    # The Amtlicher Gemeindeschlüssel: the body's official, unchanging key.
    "OPARL_BODY_AGS": "08111000",
    "OPARL_BODY_WEBSITE": "https://www.stuttgart.de/",
    "OPARL_SYSTEM_NAME": "Ratsregister",
    "OPARL_CONTACT_EMAIL": "",
    "OPARL_CONTACT_NAME": "",
    "OPARL_LICENSE": "",
    # Page size of every list, and the largest `limit` a client gets.
    "OPARL_PAGE_SIZE": 100,
    "OPARL_MAX_PAGE_SIZE": 500,
}


def get(name):
    return getattr(settings, name, DEFAULTS[name])
