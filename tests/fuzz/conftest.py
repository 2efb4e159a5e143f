"""How hard the fuzz test tries: every parameter gets at least 300 values on
PostgreSQL (the database of production and CI), a sample on SQLite.

FUZZ_PROFILE=full or FUZZ_PROFILE=quick overrides the choice by database;
FUZZ_SHRINK=0 reports a failing value as found, without shrinking it first.
"""

import os
from dataclasses import dataclass

from django.db import connection
from hypothesis import HealthCheck, Phase, settings


@dataclass(frozen=True)
class Effort:
    examples: int  # hypothesis examples per page
    batch: int  # requests per example, each with a value for every parameter

    @property
    def values_per_parameter(self):
        return self.examples * self.batch


EFFORTS = {"full": Effort(examples=30, batch=10), "quick": Effort(examples=4, batch=5)}
PROFILE = os.environ.get("FUZZ_PROFILE") or (
    "full" if connection.vendor == "postgresql" else "quick"
)
EFFORT = EFFORTS[PROFILE]

for name, effort in EFFORTS.items():
    # One test runs many examples against the same database (no flush between
    # them: the values only read) and the same clients.
    settings.register_profile(
        f"fuzz-{name}",
        max_examples=effort.examples,
        deadline=None,
        database=None,
        phases=(
            [Phase.explicit, Phase.generate]
            if os.environ.get("FUZZ_SHRINK") == "0"
            else list(Phase)
        ),
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )
