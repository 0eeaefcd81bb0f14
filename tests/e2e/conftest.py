"""Browser fixtures: Playwright driving the machine's Chromium against pytest-django's
live server.

Playwright cannot download its own browsers here, so the tests use Debian's Chromium
(``/usr/bin/chromium``, or STEERCO_CHROMIUM). `make test` skips this suite when there is
no Chromium; run directly without one, the tests are skipped with that reason, or fail
under STEERCO_REQUIRE_ALL=1.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from steerco.testing import find_chromium, skip_or_fail

# Playwright's sync API runs an asyncio loop in the test's thread, and Django refuses ORM
# calls from a thread with a running loop unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Without the networking flags Chromium keeps trying to reach Google's services, which a
# closed network refuses many times a second; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    executable = find_chromium()
    if executable is None:
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the 'playwright' package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's outcome on the test item so `page` can tell a failure at teardown.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request):
    """A fresh browser context per test: no cookies carried from one test to the next.

    When the test fails, the page as it was is saved to test-artifacts/ to show why. Whatever
    the Content-Security-Policy refused during the test (a script, a style, an eval) fails it
    at teardown, as does a Permissions-Policy the browser cannot read: a page may look fine
    while the script behind a button was blocked.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    refused = []

    def watch_policies(message) -> None:
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            refused.append(message.text)

    page.on("console", watch_policies)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        page.screenshot(path=ARTIFACTS / f"failed-{name}.png", full_page=True)
    context.close()
    if refused:
        pytest.fail("The browser refused our policies:\n" + "\n".join(refused))


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots go (gitignored); CI keeps them for a look after a failure."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
