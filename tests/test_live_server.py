"""The live server the browser tests run against answers requests that arrive
together, as a browser sends them, on either database."""

from concurrent.futures import ThreadPoolExecutor
from urllib.request import urlopen

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def status_of(url):
    with urlopen(url, timeout=60) as response:
        response.read()
        return response.status


@pytest.mark.usefixtures("demo")
def test_requests_that_arrive_together_are_all_answered(live_server):
    # Each page runs in a transaction (ATOMIC_REQUESTS); on in-memory SQLite all of
    # the server's threads share one connection, and overlapping transactions on it
    # failed with a 503 now and then in the browser tests.
    urls = [
        f"{live_server.url}{path}"
        for path in ["/", "/drucksachen/", "/drucksachen/2019/949/", "/stellen/"]
    ] * 10

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(status_of, urls))

    assert statuses == [200] * len(urls)
