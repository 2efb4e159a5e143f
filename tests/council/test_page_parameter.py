"""Every public list pages with `?seite=`; the English `?page=` of before redirects."""

import pytest

LISTS = [
    "/drucksachen/",
    "/beschlusskontrolle/",
    "/sitzungen/",
    "/finanzen/",
    "/stellen/",
    "/gremien/gemeinderat/",
]


@pytest.mark.parametrize("url", LISTS)
def test_the_english_page_parameter_redirects_to_seite(client, demo, url):
    response = client.get(url, {"page": "2"})
    assert response.status_code == 301
    assert response["Location"] == f"{url}?seite=2"


@pytest.mark.parametrize("url", LISTS)
def test_the_first_page_answers_under_seite(client, demo, url):
    assert client.get(url, {"seite": "1"}).status_code == 200
