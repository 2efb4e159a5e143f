"""A crawl of everything reachable: no non-public fact reaches who may not see it.

Each role starts at every list, feed, calendar and the OParl system object, follows
every link and every OParl URL it is given, and searches for the marker and its
words; a clerk and HR also walk the admin (changelists, change pages, history,
search, autocomplete). The same crawl as a permitted user finds every non-public
record, so that the test would fail if the crawl stopped looking.
"""

import io
import json
import re
from html import escape, unescape
from urllib.parse import parse_qs, quote, quote_plus, urlencode, urljoin, urlsplit

import pytest
from django.contrib import admin
from django.core.cache import caches
from openpyxl import load_workbook

from positions.models import CalendarToken

from .conftest import MARKER, SECRET_VALUES

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
START = [
    "/",
    "/drucksachen/",
    "/drucksachen/feed/",
    "/drucksachen/?stand=withdrawn",
    "/drucksachen/?stand=adopted",
    "/drucksachen/?stand=nonpublic",
    "/drucksachen/?q=9001/2020",
    "/drucksachen/?q=9002/2020",
    "/gremien/",
    "/gremien/kalender.ics",
    "/gremien/kalender.ics?gremium=gemeinderat",
    "/beschlusskontrolle/",
    "/beschlusskontrolle/?ueberfaellig=on",
    "/sitzungen/",
    "/sitzungen/?gremium=gemeinderat",
    "/sitzungen/?monat=2020-02",
    "/gremien/gemeinderat/sitzungen.ics",
    "/finanzen/",
    "/finanzen/?jahr=2020",
    "/stellen/",
    "/stellen/?ablauf_in_monaten=120",
    "/stellen/?befristung=active",
    "/stellen/?stand_am=2025-01-01",
    "/stellen/?entgeltgruppe=EG+11",
    "/stellen/export.csv",
    "/stellen/export.xlsx",
    "/stellen/export.csv?stand_am=2025-01-01",
    "/oparl/v1/system",
]
WORDS = [MARKER, f"Personalsache {MARKER}", "Personalsache", "Zwiebel", "9001"]
SKIP = ("/static/", "/admin/logout/", "/admin/password_change/", "/media/")
# The admin's filters and orderings multiply without end; a few of each suffice.
MAX_VARIANTS = 6
MAX_REQUESTS = 1500


def links(response):
    content_type = response.get("Content-Type", "")
    text = body(response)
    if "json" in content_type:
        return re.findall(r'"(https?://testserver/[^"]+)"', text)
    if "html" in content_type:
        return [unescape(h) for h in re.findall(r'(?:href|src|action)="([^"#]+)', text)]
    return re.findall(r"https?://testserver/[^\s\\\"<>]+", text)


def body(response):
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            " ".join(str(v) for v in row if v is not None)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
        )
    if response.streaming:
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    text = content.decode("utf-8", "replace")
    if "json" in response.get("Content-Type", ""):
        # JSON escapes non-ASCII; compare what a reader of the data sees.
        text += json.dumps(json.loads(text), ensure_ascii=False) if text else ""
    return text


def admin_starts():
    urls = ["/admin/"]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = f"/admin/{opts.app_label}/{opts.model_name}/"
        urls.append(changelist)
        for word in WORDS:
            urls.append(f"{changelist}?{urlencode({'q': word})}")
        for field in model_admin.autocomplete_fields:
            urls.extend(
                "/admin/autocomplete/?"
                + urlencode(
                    {
                        "app_label": opts.app_label,
                        "model_name": opts.model_name,
                        "field_name": field,
                        "term": word,
                    }
                )
                for word in ("", *WORDS)
            )
    return urls


def crawl(client, starts, admin_too):
    seen, queue, pages = set(), list(starts), {}
    variants = {}
    while queue and len(pages) < MAX_REQUESTS:
        url = queue.pop(0)
        parts = urlsplit(urljoin(HOST + "/", url))
        if parts.netloc not in ("testserver", "") or parts.path.startswith(SKIP):
            continue
        if parts.path.startswith("/admin/") and not admin_too:
            continue
        # A change page reached from a filtered list is the same page.
        query = "&".join(
            pair
            for pair in parts.query.split("&")
            if pair and not pair.startswith(("_changelist_filters=", "_facets="))
        )
        path = parts.path + (f"?{query}" if query else "")
        if path in seen:
            continue
        seen.add(path)
        if query and parts.path.startswith("/admin/"):
            variants[parts.path] = variants.get(parts.path, 0) + 1
            if variants[parts.path] > MAX_VARIANTS and "autocomplete" not in path:
                continue
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200:
            continue
        pages[path] = body(response)
        queue.extend(urljoin(HOST + parts.path, link) for link in links(response))
    return pages


def leaks(pages):
    found = []
    for path, text in pages.items():
        # What the visitor typed comes back in the search field: not a leak.
        for name, typed in parse_qs(urlsplit(path).query).items():
            for value in typed:
                # The admin carries the filter along, encoded once more.
                carried = quote(urlencode({name: value}))
                text = text.replace(carried, "")
                for form in (escape(value), quote_plus(value), quote(value), value):
                    text = text.replace(form, "")
        for secret in (MARKER, *SECRET_VALUES):
            if secret in text:
                at = text.index(secret)
                found.append((path, secret, text[max(0, at - 80) : at + 40]))
        if secret_in_url(path):
            found.append((path, "address"))
    return found


def secret_in_url(path):
    return any(f"/{n}/" in path for n in ("2020/9001", "2020/9002", "2020/9005"))


def starts_for(user, client):
    starts = list(START)
    starts += [f"/drucksachen/?{urlencode({'q': word})}" for word in WORDS]
    if user is not None and user.has_perm("positions.view_hr_register"):
        token = CalendarToken.objects.issue(user)
        starts += [f"/stellen/kalender/{token.secret}.ics"]
    return starts


@pytest.mark.parametrize("role", ["anonymous", "user", "hr", "clerk_without"])
def test_no_role_without_the_permission_meets_a_non_public_fact(
    canary, roles, client, role
):
    user = roles[role]
    if user is not None:
        client.force_login(user)
    starts = starts_for(user, client)
    staff = user is not None and user.is_staff
    if staff:
        starts += admin_starts()
    pages = crawl(client, starts, admin_too=staff)
    print(role, len(pages), "pages")
    assert len(pages) > 30
    found = leaks(pages)
    assert found == [], "\n".join(map(str, found))
    # What may be seen is there: the crawl looked in the right places.
    assert any("/drucksachen/2019/949/" in path for path in pages)
    assert any(path.startswith("/oparl/v1/paper/") for path in pages)
    if staff:
        change_pages = [p for p in pages if re.match(r"/admin/\w+/\w+/\d+/change/", p)]
        assert len(change_pages) > 5


@pytest.mark.parametrize("role", ["member", "clerk"])
def test_a_permitted_user_finds_every_non_public_fact(canary, roles, client, role):
    user = roles[role]
    client.force_login(user)
    starts = starts_for(user, client)
    if user.is_staff:
        starts += admin_starts()
    pages = crawl(client, starts, admin_too=user.is_staff)
    text = "\n".join(pages.values())
    expected = {MARKER, "9001/2020", "30.06.2029", "37,5 %", "123.456,78"}
    if user.is_staff:
        expected |= {"EG 11", "02.02.2020"}
    assert {value for value in expected if value not in text} == set()
    # Not only in the admin: the public pages show them to a permitted member.
    paper_page = client.get("/drucksachen/2020/9001/").content.decode()
    assert f"Personalsache {MARKER}" in paper_page
    attachment = canary["attachment"]
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_pages_from_the_cache_keep_each_reader_to_their_own_rights(
    canary, roles, client, settings
):
    """The same crawls with the page cache on, one after the other in one cache:
    each reader is served only what was kept for readers with the same rights."""
    settings.RATSREGISTER_PAGE_CACHE = True
    kept = caches[settings.RATSREGISTER_PAGE_CACHE_ALIAS]
    kept.clear()

    def pages_for(role):
        client.logout()
        user = roles[role]
        if user is not None:
            client.force_login(user)
        return crawl(client, starts_for(user, client), admin_too=False)

    try:
        # The public's pages are kept first; a permitted member still finds
        # the non-public facts on the public pages, and nobody after the
        # member meets them.
        assert leaks(pages_for("anonymous")) == []
        text = "\n".join(pages_for("member").values())
        missing = {v for v in (MARKER, "9001/2020", "30.06.2029") if v not in text}
        assert missing == set()
        for role in ("clerk_without", "anonymous", "user"):
            found = leaks(pages_for(role))
            assert found == [], "\n".join(map(str, found))
    finally:
        kept.clear()
