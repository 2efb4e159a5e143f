"""Every kind of answer carries the security headers; nothing of a signed-in user
stays in a cache; no template needs inline script or style."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"


def assert_policies(response):
    policy = response[CSP]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in policy.split("; ") if part
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def assert_private(response):
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


def assert_not_private(response):
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_public_page_for_a_visitor(demo, client):
    response = client.get("/drucksachen/2019/949/")

    assert response.status_code == 200
    assert_policies(response)
    assert response["X-Frame-Options"] == "DENY"
    assert_not_private(response)


def test_a_page_for_a_signed_in_user_is_never_cached(demo, hr_client):
    response = hr_client.get("/stellen/")

    assert response.status_code == 200
    assert_policies(response)
    assert_private(response)
    assert "Cookie" in response["Vary"]


def test_the_paper_list_for_a_signed_in_clerk_is_never_cached(demo, clerk_client):
    response = clerk_client.get("/drucksachen/")

    assert_private(response)


def test_the_admin(demo, clerk_client):
    response = clerk_client.get("/admin/council/paper/")

    assert response.status_code == 200
    assert_policies(response)
    assert_private(response)


def test_the_admin_login_page(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert_policies(response)


def test_the_import_page(demo, clerk_client):
    response = clerk_client.get("/admin/import/")

    assert response.status_code == 200
    assert_policies(response)
    assert_private(response)


def test_the_oparl_api_keeps_its_cors_and_sets_no_cookie(demo, client):
    response = client.get("/oparl/v1/system")

    assert response.status_code == 200
    assert_policies(response)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "no-cache"
    assert not response.cookies


def test_the_oparl_api_answers_a_signed_in_user_as_anyone_without_a_cookie(
    demo, clerk_client
):
    response = clerk_client.get("/oparl/v1/system")

    assert response["Cache-Control"] == "no-cache"
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_a_404(client):
    response = client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    assert_policies(response)
    assert_not_private(response)


def test_a_404_for_a_signed_in_user(clerk_client):
    response = clerk_client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    assert_private(response)


def test_the_hr_export(demo, hr_client):
    response = hr_client.get("/stellen/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert_policies(response)
    assert_private(response)


def test_a_static_file(client):
    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert_not_private(response)
    assert not response.cookies


def test_the_429_page_for_a_locked_login(clerk, client):
    for _ in range(5):
        response = client.post(
            "/admin/login/", {"username": "clerk", "password": "falsch"}
        )

    assert response.status_code == 429
    assert_policies(response)


# No template may need what the policy refuses.

INLINE = [
    (re.compile(r"<style[\s>]", re.I), "<style> block"),
    (re.compile(r"""\sstyle\s*=\s*["']""", re.I), "style attribute"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def templates():
    return sorted(
        path
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        if path.is_file()
    )


@pytest.mark.parametrize(
    "template", templates(), ids=lambda p: str(p.relative_to(settings.BASE_DIR))
)
def test_no_template_has_inline_script_or_style(template):
    text = template.read_text(encoding="utf-8")

    found = [name for pattern, name in INLINE if pattern.search(text)]

    assert found == []
