"""Every page in one language: German by default and for German browsers, English
for English browsers or after the switch, from a complete English catalogue
(locale/en/LC_MESSAGES/django.po, compiled by `make messages`)."""

import ast
import re
import shutil
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

PO = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# The same as README's makemessages command: the project's code and templates only.
IGNORED = [".venv", "tests", "node_modules", "var", "benchmark", "media", "staticfiles"]
PAPER = "/drucksachen/2019/949/"


def catalogue(path):
    """The entries of a .po file: {(msgctxt, msgid, msgid_plural): (msgstrs, flags)},
    without the header (the stdlib reads only .mo files)."""
    entries, current, field = {}, None, None

    def keep(entry):
        if entry and entry.get("msgid"):
            key = (entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural"))
            entries[key] = (entry["msgstr"], entry["flags"])

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            keep(current)
            current = None
            continue
        if current is None:
            current = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            current["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(
            r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) (\".*\")$", line
        ):
            name, index, value = (
                match.group(1),
                match.group(2),
                ast.literal_eval(match.group(3)),
            )
            if name.startswith("msgstr"):
                field = ("msgstr", int(index or 0))
                current["msgstr"][field[1]] = value
            else:
                field = (name, None)
                current[name] = value
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if field[0] == "msgstr":
                current["msgstr"][field[1]] += value
            else:
                current[field[0]] += value
    return entries


def test_every_msgid_of_the_english_catalogue_has_an_english_translation():
    entries = catalogue(PO)
    assert len(entries) > 900
    untranslated = [
        key[1] for key, (msgstrs, _) in entries.items() if not all(msgstrs.values())
    ]
    fuzzy = [key[1] for key, (_, flags) in entries.items() if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []
    plural = [key for key in entries if key[2]]
    assert all(len(entries[key][0]) == 2 for key in plural)


def test_the_english_catalogue_holds_every_msgid_of_the_code_and_templates(
    tmp_path, settings, monkeypatch
):
    # makemessages into a copy of the project (it writes work files next to the
    # templates it reads), fresh, and compare the msgids with the committed .po.
    copy = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            *IGNORED, ".git", "locale", "__pycache__", "*.mo", ".*cache"
        ),
    )
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], ignore_patterns=IGNORED, verbosity=0)
    wanted = set(catalogue(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = set(catalogue(PO))
    missing = sorted(key[1] for key in wanted - committed)
    assert missing == [], "run makemessages (README) and translate these"
    assert sorted(key[1] for key in committed - wanted) == []


@pytest.fixture
def compiled():
    assert MO.exists(), "the English catalogue is compiled by `make messages`"


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.parametrize(
    ("path", "german", "english"),
    [
        ("/", "Neueste Drucksachen", "Latest papers"),
        (PAPER, "Beratungsfolge</h2>", "Consultation sequence</h2>"),
    ],
)
def test_a_page_is_english_for_an_english_browser_and_german_for_a_german_one(
    demo, client, compiled, path, german, english
):
    english_page = client.get(path, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert html_lang(english_page) == "en"
    assert english in english_page.text
    assert german not in english_page.text
    german_page = client.get(path, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert html_lang(german_page) == "de"
    assert german in german_page.text
    # No Accept-Language at all: German.
    assert german in client.get(path).text


def test_the_admin_index_is_english_for_an_english_browser_and_german_for_a_german_one(
    demo, clerk_client, compiled
):
    english = clerk_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(english) == "en"
    assert "Administration of papers, positions and finances" in english.text
    assert "Council documents" in english.text
    german = clerk_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="de")
    assert html_lang(german) == "de"
    assert "Verwaltung der Drucksachen, Stellen und Finanzen" in german.text
    assert "Ratsdokumente" in german.text


def test_the_switch_sets_the_language_and_goes_back_to_the_page(demo, client, compiled):
    page = client.get(PAPER).text
    link = f'href="/i18n/sprache/?sprache=en&amp;weiter={PAPER}" lang="en"'
    assert link in page
    assert ">English</a>" in page
    response = client.get("/i18n/sprache/", {"sprache": "en", "weiter": PAPER})
    assert response.status_code == 302
    assert response["Location"] == PAPER
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # The cookie beats a German browser.
    english = client.get(PAPER, HTTP_ACCEPT_LANGUAGE="de")
    assert html_lang(english) == "en"
    assert "Consultation sequence</h2>" in english.text
    client.get("/i18n/sprache/", {"sprache": "de", "weiter": PAPER})
    assert html_lang(client.get(PAPER, HTTP_ACCEPT_LANGUAGE="en")) == "de"


def test_the_switch_goes_nowhere_else_and_ignores_unknown_languages(db, client):
    response = client.get(
        "/i18n/sprache/", {"sprache": "fr", "weiter": "https://example.org/"}
    )
    assert response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switchs_english_parameter_names_of_before_redirect_to_the_german(
    db, client
):
    response = client.get("/i18n/sprache/", {"language": "en", "next": PAPER})
    assert response.status_code == 301
    assert (
        response["Location"]
        == f"/i18n/sprache/?sprache=en&weiter={quote(PAPER, safe='')}"
    )
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    # Followed, it switches as the German link does.
    followed = client.get(response["Location"])
    assert followed["Location"] == PAPER
    assert followed.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_page_cache_keeps_an_english_and_a_german_page_apart(
    demo, client, settings, compiled
):
    settings.RATSREGISTER_PAGE_CACHE = True
    cache.clear()
    try:
        for _ in range(2):  # the second round comes from the cache
            assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "en"
            assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="de")) == "de"
            assert html_lang(client.get("/")) == "de"
        # The switch's links carry no CSRF token: the page is stored.
        stored = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        assert "csrfmiddlewaretoken" not in stored.text
    finally:
        cache.clear()
