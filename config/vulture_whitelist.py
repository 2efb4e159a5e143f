# ruff: noqa
"""Names vulture cannot see used: Django, django-filter, pytest and templates reach
them by name. Read by `make lint` / `make test` (pyproject.toml [tool.vulture]),
never imported. Name patterns of Django's conventions (`*Admin`, `list_*`,
`get_*`, `clean_*` …) are in pyproject.toml's ignore_names; a name goes here only
when no pattern fits, with the place that uses it. Dead code is deleted, not
listed here."""

# FilterSets' declared filters: their names are the public URL parameters.
jahr, art, dienststelle, gremium, stand, monat
umsetzung, ueberfaellig
ablauf_in_monaten, stand_am, ablauf_ab, ablauf_bis, tarif, entgeltgruppe, befristung
ignore  # positions/filters.py: a filter's method="ignore"

# Model fields and choices read only through the ORM, SQL, triggers or a form.
search_vector, published, sent_at, responsible_department
DROPPED, PLANNED, TVL
BUDGET_READING  # importer/reading/paper_draft.py: a Problem code, compared by value

# Attributes that templates read.
departments_involved  # council/paper_detail.html
decisions_shown, funding_line_count  # council/paper_detail.html, items
headline  # council search results
unsubscribe_url, more  # follow/mail/digest.*
meeting_new, committee_new, outcome_before, inserted  # importer protocol preview
submitter, recorder  # protocol header fields shown in the preview

# Columns of positions' standing tables, written by its triggers and read in SQL
# (positions/standing.py, charts.FTE_SQL); its verify_derived check by registration.
record_from, record_until, public_from, public_until, record_last_expiry
record_decision, record_expiry, public_decision, public_expiry, has_public_decision
public_last_expiry, default_permissions, standings
record_adopted_on, public_in_force, public_adopted_on

# Attributes that Django's admin reads: RelatedFieldWidgetWrapper's links
# (council/admin_widgets.py), our paginator's estimate (admin pagination template).
can_add_related, can_change_related, can_delete_related, can_view_related
estimated
is_estimate  # council/paper_list.html: the paper list's paginator

# Class attributes Django's generic views read.
page_kwarg  # council/filters.py RenamedParametersMixin: ListView's ?seite=

# Named in settings (AUTHENTICATION_BACKENDS, AXES_LOCKOUT_CALLABLE).
LoginThrottleBackend, lockout_response

# pytest fixtures a test asks for by name for their effect, and hooks.
demo, page_cache, larger_volume, another_949, without_692, late
demo_with_file_and_location, transactional_db, django_db_setup, compiled
django_get_or_create  # factory_boy's Meta option
is_url, is_oparl_date_time, is_date  # tests/oparl/conftest.py: jsonschema formats
handle_starttag, handle_endtag, handle_data  # HTMLParser's callbacks
raise_request_exception  # the test client's option
# Settings a test overrides (settings.X = …).
MEDIA_ROOT, EMAIL_BACKEND, OPARL_MAX_PAGE_SIZE, OPARL_BASE_URL, OPARL_OBJECT_CACHE
ROOT_URLCONF, LOCALE_PATHS, FORM_RENDERER
# A form's option that Django's BoundField reads.
required_css_class  # tests/test_form_renderer.py

# To check by the owner (written this session, not used yet): benchmark/volume.py.
position_list

# Django's expression API, called by the ORM when it resolves a query.
set_source_expressions  # council/models.py: PaperState
