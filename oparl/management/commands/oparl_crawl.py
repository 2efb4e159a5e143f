"""Crawl the whole OParl body as a harvester does, in process, and say how long.

For the figures in docs/oparl.md and as a check after an upgrade: every list of
the body to its last page, with the embedded objects counted by type.
"""

import json
import time
from collections import Counter
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand
from django.test import Client
from django.test.utils import override_settings

LISTS = (
    "organization",
    "person",
    "meeting",
    "paper",
    "agendaItem",
    "consultation",
    "file",
    "locationList",
)


def count(entry, found):
    found[entry["type"].rsplit("/", 1)[1]] += 1
    for key, value in entry.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict) and "id" in item and key != "location":
                count(item, found)


class Command(BaseCommand):
    help = "Liest die ganze OParl-Schnittstelle wie ein Harvester und misst die Zeit."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100, help="Seitengröße.")
        parser.add_argument(
            "--since", help="Nur Änderungen ab diesem Zeitpunkt (modified_since)."
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, limit, since, format, **options):
        client = Client(HTTP_HOST="localhost")
        with override_settings(ALLOWED_HOSTS=["localhost"], DEBUG=False):
            result = self.crawl(client, limit, since)
        if format == "json":
            self.stdout.write(json.dumps(result, indent=2))
            return
        for name, figures in result["lists"].items():
            self.stdout.write(
                f"{name:14} {figures['entries']:7} Einträge  {figures['pages']:5} "
                f"Seiten  {figures['seconds']:7.1f} s"
            )
        self.stdout.write(
            f"gesamt: {result['entries']} Einträge ({result['objects']} Objekte mit "
            f"eingebetteten), {result['requests']} Abrufe, {result['seconds']:.1f} s, "
            f"{result['papers_per_second']:.0f} Drucksachen/s, "
            f"{result['megabytes']:.1f} MB JSON"
        )

    def get(self, client, url):
        parts = urlsplit(url)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert response.status_code == 200, (url, response.status_code)
        self.bytes += len(response.content)
        return json.loads(response.content)

    def crawl(self, client, limit, since):
        self.bytes = 0
        started = time.perf_counter()
        system = self.get(client, "/oparl/v1/system")
        body = self.get(client, system["body"])["data"][0]
        lists, found, requests = {}, Counter(), 2
        query = f"?limit={limit}" + (f"&modified_since={since}" if since else "")
        for name in LISTS:
            url, entries, pages, start = body[name] + query, 0, 0, time.perf_counter()
            while url:
                page = self.get(client, url)
                pages += 1
                for entry in page["data"]:
                    entries += 1
                    count(entry, found)
                url = page["links"].get("next")
            requests += pages
            lists[name] = {
                "entries": entries,
                "pages": pages,
                "seconds": round(time.perf_counter() - start, 2),
            }
        seconds = time.perf_counter() - started
        return {
            "lists": lists,
            "types": dict(found),
            "entries": sum(figures["entries"] for figures in lists.values()),
            "objects": sum(found.values()),
            "requests": requests,
            "seconds": round(seconds, 1),
            "papers_per_second": lists["paper"]["entries"]
            / max(lists["paper"]["seconds"], 0.001),
            "megabytes": round(self.bytes / 1e6, 1),
        }
