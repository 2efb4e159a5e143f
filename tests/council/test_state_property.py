"""The paper state computed in SQL (one subquery per paper, issue 12) agrees with
the rule as written down in docs/visibility.md, for random Beratungsfolgen and
both kinds of viewer."""

from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from council.models import FULL_RECORD, Consultation, Paper
from tests.factories import CommitteeFactory, DepartmentFactory

C = Consultation
# Fewer examples on SQLite, the full count on PostgreSQL (as tests/fuzz does).
EXAMPLES = 60 if connection.vendor == "postgresql" else 15

steps = st.lists(
    st.tuples(
        st.sampled_from(C.Role.values),
        st.sampled_from(C.Result.values),
        st.booleans(),
    ),
    max_size=5,
)


def expected_state(paper_public, rows, permitted):
    """The rule, step by step, in Python."""
    seen = [r for r in rows if permitted or (paper_public and r[2])]
    closed = [r for r in rows if not r[2]]

    def settles(role, result):
        return result == C.Result.WITHDRAWN or (
            role == C.Role.DECISION
            and result in [*C.Result.approving(), C.Result.REJECTED]
        )

    if any(result == C.Result.WITHDRAWN for _, result, _ in seen):
        return Paper.State.WITHDRAWN
    decisions = [r for r in seen if r[0] == C.Role.DECISION]
    if any(result in C.Result.approving() for _, result, _ in decisions):
        return Paper.State.ADOPTED
    if any(result == C.Result.REJECTED for _, result, _ in decisions):
        return Paper.State.REJECTED
    if not permitted and (
        any(settles(role, result) for role, result, _ in closed)
        or (closed and not seen)
    ):
        return Paper.State.NONPUBLIC
    if not seen:
        return Paper.State.NONE
    if not decisions and not any(r[1] in C.Result.pending() for r in seen):
        return Paper.State.NOTED
    return Paper.State.IN_CONSULTATION


@pytest.mark.django_db
class TestStateProperty(TestCase):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(papers=st.lists(st.tuples(st.booleans(), steps), min_size=1, max_size=4))
    def test_sql_state_matches_the_written_rule_for_public_and_permitted(self, papers):
        department = DepartmentFactory()
        committee = CommitteeFactory()
        made = []
        for n, (public, rows) in enumerate(papers, start=1):
            paper = Paper.objects.create(
                number=n,
                year=2020,
                paper_type=Paper.Type.DECISION,
                title=f"Vorlage {n}",
                date="2020-01-01",
                department=department,
                is_public=public,
            )
            C.objects.bulk_create(
                C(
                    paper=paper,
                    order=order,
                    committee=committee,
                    role=role,
                    result=result,
                    is_public=step_public,
                )
                for order, (role, result, step_public) in enumerate(rows, start=1)
            )
            made.append((paper.pk, public, rows))
        for viewer, permitted in ((AnonymousUser(), False), (FULL_RECORD, True)):
            states = dict(Paper.objects.with_state(viewer).values_list("pk", "state"))
            # Counted by state (grouped by the columns the state reads).
            counted = (
                Paper.objects.with_state(viewer)
                .values("state")
                .annotate(n=Count("pk"))
                .values_list("state", "n")
            )
            assert dict(counted) == Counter(states.values())
            for pk, public, rows in made:
                assert states[pk] == expected_state(public, rows, permitted)
                # Filtering by the state finds the same papers.
                assert (
                    Paper.objects.with_state(viewer)
                    .filter(pk=pk, state=states[pk])
                    .exists()
                )
