import pytest
from django.contrib.auth.models import Group

from accounts.roles import CLERKS, HR
from demo.loader import load_demo


@pytest.fixture
def demo(db):
    """The demo data of DESIGN.md, loaded as `make run` loads it."""
    load_demo()


def _member(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(
        username=username, password="pw", is_staff=True, email=f"{username}@example.org"
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def clerk(db, django_user_model):
    """A member of the Geschäftsstelle, as the data migration set the group up."""
    return _member(django_user_model, "clerk", CLERKS)


@pytest.fixture
def hr_user(db, django_user_model):
    """A member of the Personalamt."""
    return _member(django_user_model, "hr", HR)


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    return client
