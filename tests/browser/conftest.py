"""Helpers of the browser tests: screenshots as artifacts and an axe-core audit."""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


def artifacts_dir():
    path = Path(
        os.environ.get(
            "TEST_ARTIFACTS_DIR", settings.BASE_DIR / "var" / "test-artifacts"
        )
    )
    path = path / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_screenshot(page, path, attempts=3):
    """A full-page screenshot, tried again after the next frames when Chromium's
    compositor refuses one ("Unable to capture screenshot"): seen once in CI on a
    busy two-core machine, on a page that photographs fine on every other run."""
    for attempt in range(1, attempts + 1):
        try:
            page.screenshot(path=path, full_page=True)
            return
        except PlaywrightError as error:
            if attempt == attempts or "Unable to capture screenshot" not in str(error):
                raise
            page.wait_for_timeout(250 * attempt)


def audit(page, name):
    """Save a full-page screenshot, run axe-core and fail on serious violations."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    save_screenshot(page, artifacts_dir() / f"{slug}.png")
    # Evaluated through the DevTools protocol: the pages' Content-Security-Policy
    # refuses an inline <script>, as add_script_tag would insert.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    blocking = [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    (artifacts_dir() / f"{slug}.axe.json").write_text(
        json.dumps(result["violations"], indent=2, ensure_ascii=False)
    )
    assert blocking == [], f"axe-core on {page.url}: {blocking}"


@pytest.fixture
def audited():
    return audit
