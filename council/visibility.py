"""The one visibility rule, and the viewers that derived facts are computed for.

A record is non-public by its own flag (a paper, a consultation, a meeting, an
attachment) or by the paper it belongs to (items, sections, references, position
decisions, funding lines). Only users with the permission below see non-public
records. Everything derived from records (a paper's state, a position's expiry,
totals, warnings, search hits) is computed for a viewer from the records that viewer
may see, by querysets that take the viewer as their first argument.
"""

NONPUBLIC_PERMISSION = "council.view_nonpublic_paper"


def can_see_nonpublic(user):
    """The visibility rule: non-public records need a permission."""
    return bool(user and user.is_authenticated and user.has_perm(NONPUBLIC_PERMISSION))


class _FullRecord:
    """The viewer of the record as a whole, for what must see every row: a clerk's
    validation of new data, the OParl tombstones' before/after comparison, commands
    that check the data itself. Never for what is shown to a person."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    pk = None

    def has_perm(self, perm, obj=None):
        return perm == NONPUBLIC_PERMISSION

    def __str__(self):
        return "record"


FULL_RECORD = _FullRecord()


def audience(user):
    """What the querysets' visible_to read of a user, as a key: readers with the
    same audience see the same rows, so SQL compiled for one serves the others
    (audit.history.newest_of). Staff see positions that rest on no decision yet
    (positions.models.PositionQuerySet.visible_to)."""
    return (can_see_nonpublic(user), bool(getattr(user, "is_staff", False)))
