from tests.visibility.conftest import canary, roles  # noqa: F401  (fixtures)
