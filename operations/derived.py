"""Facts the database stores although they could be computed, and their checks.

A few values are kept in columns or rows because pages filter, sort or sync by them
at volume (a paper's search vector, the OParl stamps, the page cache's data
version). Each is maintained by database triggers in the transaction of the change
that alters it, never by code that could forget. Each app states here how to
recompute what it stores: a check recomputes it from the source rows and names
every row where stored and derived differ. `manage.py verify_derived` runs them
all; the apps' `derived.py` modules are found like their `admin.py`.
"""

from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

# How many differing rows a check names before it only counts the rest.
NAMED = 20


@dataclass(frozen=True)
class Check:
    name: str
    label: str
    function: object

    def run(self, connection):
        """The findings, each a German sentence; none if stored equals derived."""
        return list(self.function(connection))


CHECKS = {}


def check(name, label):
    """Register `function(connection)` as the check `name` (app label first)."""

    def register(function):
        CHECKS[name] = Check(name, label, function)
        return function

    return register


def checks():
    """Every app's checks, in the order of their names."""
    autodiscover_modules("derived")
    return [CHECKS[name] for name in sorted(CHECKS)]


def rows_differ(what, keys):
    """Findings for rows whose stored value differs: the first NAMED by key,
    then how many more."""
    keys = list(keys)
    findings = [f"{what} {key}" for key in keys[:NAMED]]
    if len(keys) > NAMED:
        findings.append(f"… und {len(keys) - NAMED} weitere")
    return findings


@check("operations.data_version", "Datenversion des Seiten-Caches (Trigger)")
def data_version_triggers(connection):
    from . import pagecache

    existing = set(connection.introspection.table_names())
    watched = {table for table in pagecache.watched_tables() if table in existing}
    missing = sorted(watched - pagecache.installed_tables(connection))
    return [
        f"Tabelle {table}: kein Trigger, eine Änderung ließe den Seiten-Cache veralten"
        for table in missing
    ]
