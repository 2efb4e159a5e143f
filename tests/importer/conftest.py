"""The importer's hypothesis profile: modest runtimes, no example database on disk."""

from hypothesis import HealthCheck, settings

# Examples run inside one test's transaction (django_db) and reuse its fixtures;
# whole Vorlagen are large inputs, so the size and speed checks are relaxed too.
settings.register_profile(
    "importer",
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
