"""Settings of the OParl interface.

Those an installation must set (its host, its body) come from the environment in
config/settings/base.py; the rest have defaults here and may be overridden in the
settings module.
"""

from django.conf import settings

# OPARL_BASE_URL, OPARL_BODY_NAME, OPARL_BODY_SHORT_NAME, OPARL_BODY_AGS and
# OPARL_CONTACT_EMAIL come from the environment in config/settings/base.py.
DEFAULTS = {
    "OPARL_BODY_WEBSITE": "https://www.stuttgart.de/",
    "OPARL_SYSTEM_NAME": "Ratsregister",
    "OPARL_CONTACT_NAME": "",
    "OPARL_LICENSE": "",
    # Page size of every list, and the largest `limit` a client gets.
    "OPARL_PAGE_SIZE": 100,
    "OPARL_MAX_PAGE_SIZE": 500,
    # Each object's JSON kept under its stamp (oparl/cache.py), in this cache
    # ("default" where it is not configured), for at most these seconds.
    "OPARL_OBJECT_CACHE": True,
    "OPARL_CACHE_ALIAS": "oparl",
    "OPARL_CACHE_SECONDS": 7 * 24 * 3600,
}


def get(name):
    return getattr(settings, name, DEFAULTS.get(name))
