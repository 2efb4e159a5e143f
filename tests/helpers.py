import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


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
