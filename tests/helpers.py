import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

# What a signed-in user's first request adds to its queries: sessions end after
# hours of inactivity, so a request renews its session with an UPDATE, in a
# savepoint of the test's transaction, once the last renewal is a minute old (or,
# right after force_login, never happened; operations.middleware.SessionMiddleware).
SESSION_RENEWAL = 3


def assert_rejected(obj, message):
    """The clerk gets `message` from validation, and the database refuses the row."""
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert message in " ".join(excinfo.value.messages)

    model = type(obj)
    before = model.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()
    assert model.objects.count() == before
